package im.zego.token;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

import org.json.simple.JSONArray;
import org.json.simple.JSONObject;
import org.json.simple.parser.JSONParser;
import org.json.simple.parser.ParseException;

/** The 71 official vectors, read from the core's copy (never copied here). */
final class Vectors {
    static final String FILE = "crates/zego-token/tests/vectors/token04.json";

    private Vectors() {}

    /** One vector, with the fields the tests use. */
    static final class Vector {
        final String name;
        final String source;
        final CipherMode mode;
        final String kase;
        final long appId;
        final String userId;
        final String secret;
        final long ctime;
        final long effectiveTime;
        final long expire;
        final long nonce;
        final String payload;
        final byte[] iv;
        final String plaintext;
        final String token;

        Vector(JSONObject o) {
            source = (String) o.get("source");
            kase = (String) o.get("case");
            name = source + "/" + kase;
            mode = "gcm".equals(o.get("mode")) ? CipherMode.GCM : CipherMode.CBC;
            appId = (Long) o.get("app_id");
            userId = (String) o.get("user_id");
            secret = (String) o.get("secret");
            ctime = (Long) o.get("ctime");
            effectiveTime = (Long) o.get("effective_time_in_seconds");
            expire = (Long) o.get("expire");
            nonce = (Long) o.get("nonce");
            payload = (String) o.get("payload");
            iv = hex((String) o.get("iv_hex"));
            plaintext = (String) o.get("plaintext");
            token = (String) o.get("token");
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static Path repoRoot() {
        String prop = System.getProperty("zego.repo.root");
        if (prop != null && Files.exists(Paths.get(prop).resolve(FILE))) {
            return Paths.get(prop);
        }
        for (Path p = Paths.get("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.exists(p.resolve(FILE))) {
                return p;
            }
        }
        throw new IllegalStateException("cannot find " + FILE + " above " + Paths.get("").toAbsolutePath()
                + "; set -Dzego.repo.root");
    }

    static List<Vector> all() {
        try (Reader r = Files.newBufferedReader(repoRoot().resolve(FILE), StandardCharsets.UTF_8)) {
            JSONArray array = (JSONArray) new JSONParser().parse(r);
            List<Vector> out = new ArrayList<Vector>();
            for (Object o : array) {
                out.add(new Vector((JSONObject) o));
            }
            return out;
        } catch (IOException | ParseException e) {
            throw new IllegalStateException("cannot read " + FILE, e);
        }
    }

    static byte[] hex(String s) {
        byte[] out = new byte[s.length() / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
        }
        return out;
    }
}
