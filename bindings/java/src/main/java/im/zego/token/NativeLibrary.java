package im.zego.token;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;

/**
 * Loads the native library, in this order:
 *
 * <ol>
 *   <li>the file named by the system property {@code zego.token.library} (an absolute
 *       path), when set;
 *   <li>the copy packaged in the jar under
 *       {@code im/zego/token/native/<os>-<arch>/}, extracted to a temporary file;
 *   <li>{@code System.loadLibrary("zego_token_jni")}, which searches
 *       {@code java.library.path}.
 * </ol>
 */
final class NativeLibrary {
    static final String NAME = "zego_token_jni";
    static final String PROPERTY = "zego.token.library";

    /** How the library was found: "property", "jar" or "library-path". */
    static volatile String source = "not loaded";

    private NativeLibrary() {}

    static synchronized void load() {
        String explicit = System.getProperty(PROPERTY);
        if (explicit != null && !explicit.isEmpty()) {
            System.load(explicit);
            source = "property";
            return;
        }
        String file = System.mapLibraryName(NAME);
        String resource = "native/" + platform() + "/" + file;
        InputStream in = NativeLibrary.class.getResourceAsStream(resource);
        if (in == null) {
            System.loadLibrary(NAME);
            source = "library-path";
            return;
        }
        Path tmp;
        try {
            try {
                tmp = Files.createTempFile("zego_token_jni-", "-" + file);
                Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                in.close();
            }
        } catch (IOException e) {
            UnsatisfiedLinkError err = new UnsatisfiedLinkError(
                    "zego-token: cannot extract the native library " + resource
                            + " from the jar to a temporary file: " + e);
            err.initCause(e);
            throw err;
        }
        System.load(tmp.toAbsolutePath().toString());
        source = "jar";
        // A loaded library stays mapped after its file is removed (not on Windows, which
        // keeps the file locked: there it goes when the JVM exits).
        try {
            Files.delete(tmp);
        } catch (IOException e) {
            tmp.toFile().deleteOnExit();
        }
    }

    /** {@code <os>-<arch>}: linux, darwin or windows; x86_64 or aarch64. */
    static String platform() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        String o = os.startsWith("mac") || os.startsWith("darwin") ? "darwin"
                : os.startsWith("windows") ? "windows" : os.replace(' ', '_');
        String a = arch.equals("amd64") || arch.equals("x86_64") ? "x86_64"
                : arch.equals("arm64") || arch.equals("aarch64") ? "aarch64" : arch;
        return o + "-" + a;
    }
}
