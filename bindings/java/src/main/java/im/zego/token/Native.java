package im.zego.token;

import java.nio.charset.StandardCharsets;

/**
 * The native methods of the Rust core ({@code bindings/java/native}, crate
 * {@code zego-token-jni}). Package-private: the public classes check their arguments' Java
 * types and hold the secret handle's lock around each call.
 *
 * <p>Every method turns a core error into a {@link TokenException} subclass, a null
 * argument into a {@link NullPointerException} and a closed secret (handle 0) into an
 * {@link IllegalStateException}; no Rust panic crosses into the JVM.
 */
final class Native {
    static {
        NativeLibrary.load();
    }

    private Native() {}

    /** A token returned as its ASCII bytes. */
    static String text(byte[] ascii) {
        return new String(ascii, StandardCharsets.ISO_8859_1);
    }

    static native long secretNew(byte[] secret) throws TokenException;

    static native void secretFree(long handle);

    /** The token's ASCII bytes (a byte[] is cheaper to return than a String). */
    static native byte[] generate(long handle, long appId, String userId, long seconds,
            int nanos, String payload) throws TokenException;

    static native GeneratedToken generateFull(long handle, long appId, String userId,
            long seconds, int nanos, String payload, boolean cbc) throws TokenException;

    /** The token's ASCII bytes. */
    static native byte[] generateToken04(long appId, String userId, byte[] secret,
            int effectiveTimeInSeconds, String payload) throws TokenException;

    static native Decoded decode(long handle, String token) throws TokenException;

    static native Decoded verify(long handle, String token, long appId, String userId,
            String roomId, boolean requirePublish, String streamId, long leewaySeconds,
            boolean fixedClock, long now) throws TokenException;

    static native Envelope inspect(String token) throws TokenException;

    static native String roomPayload(String roomId, boolean login, boolean publish,
            String[] streams) throws TokenException;

    static native RoomPrivileges parseRoom(String payload) throws TokenException;

    static native String kitToken(String token04, long appId, String userId, String roomId,
            String userName) throws TokenException;

    static native String sealPlaintext(long handle, boolean cbc, long expire, byte[] iv,
            byte[] plaintext) throws TokenException;

    /** The benchmark's measure of the JNI per-call cost: generate's conversions, no crypto. */
    static native byte[] callCost(long handle, long appId, String userId, long seconds,
            int nanos, String payload, int tokenLength) throws TokenException;
}
