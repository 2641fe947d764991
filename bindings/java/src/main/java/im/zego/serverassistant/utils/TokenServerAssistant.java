package im.zego.serverassistant.utils;

import im.zego.token.InvalidInputException;
import im.zego.token.Token04;

/**
 * A drop-in replacement for ZEGO's official {@code TokenServerAssistant}: the same class
 * name, package, fields, constants, error codes and {@code generateToken04} signature, so
 * an application changes one dependency and nothing else.
 *
 * <p>Differences from the official class, all deliberate:
 * <ul>
 *   <li>Tokens are AES-256-GCM (the current official mode), made by the zego-token Rust
 *       core; the IV and nonce come from a CSPRNG, not {@code java.util.Random}.
 *   <li>Nothing is ever printed ({@link #VERBOSE} is kept for source compatibility and
 *       ignored); the official class prints every nonce it draws.
 *   <li>No JCE policy files are needed on old JDKs ("Illegal key size"): the cipher runs
 *       in the native library.
 *   <li>Validation is stricter where ZEGO's SDKs would refuse the token anyway: an appId
 *       outside 1..4294967295 (code 1), a userId of 64 bytes or more (code 3), a secret
 *       that is not exactly 32 bytes (code 5), and claims too large for the token's
 *       16-bit length field (code -1, {@code OTHER}). Messages name the rule broken.
 *   <li>A null payload gives a basic token with an empty payload.
 * </ul>
 *
 * <p>Thread-safe. A server that makes many tokens should keep an
 * {@link im.zego.token.ServerSecret} instead: it skips the key schedule on every call.
 */
public class TokenServerAssistant {
    /** Kept for source compatibility with the official class; nothing is ever printed. */
    public static boolean VERBOSE = false;

    /** Privilege key: log in to the room. */
    public static final Integer PrivilegeKeyLogin = 1;

    /** Privilege key: publish streams. */
    public static final Integer PrivilegeKeyPublish = 2;

    /** Privilege value: allowed. */
    public static final int PrivilegeEnable = 1;

    /** Privilege value: denied. */
    public static final int PrivilegeDisable = 0;

    /** The official error codes. */
    public static enum ErrorCode {
        /** The token was generated. */
        SUCCESS(0),
        /** The appId is invalid. */
        ILLEGAL_APP_ID(1),
        /** The userId is invalid. */
        ILLEGAL_USER_ID(3),
        /** The secret is invalid. */
        ILLEGAL_SECRET(5),
        /** The effectiveTimeInSeconds is invalid. */
        ILLEGAL_EFFECTIVE_TIME(6),
        /** Any other error. */
        OTHER(-1);

        private ErrorCode(int code) {
            this.value = code;
        }

        /** The numeric code. */
        public int value;

        static ErrorCode of(int official) {
            for (ErrorCode c : values()) {
                if (c.value == official && c != SUCCESS) {
                    return c;
                }
            }
            return OTHER;
        }
    }

    /** The error of a {@link TokenInfo}: {@code SUCCESS} and "" when there is none. */
    public static class ErrorInfo {
        /** The error code. */
        public ErrorCode code;
        /** What is wrong and what is expected; "" on success. */
        public String message;

        ErrorInfo() {
            code = ErrorCode.SUCCESS;
            message = "";
        }

        @Override
        public String toString() {
            return "{\"code\": " + code.value + ", \"message\": \"" + message + "\"}";
        }
    }

    /** The result of {@link TokenServerAssistant#generateToken04}. */
    public static class TokenInfo {
        /** The token; "" when there is an error. */
        public String data = "";

        /** The error; check that its code is {@code SUCCESS} before using {@link #data}. */
        public ErrorInfo error;

        TokenInfo() {
            this.error = new ErrorInfo();
        }

        @Override
        public String toString() {
            return "TokenInfo {\"error\": " + error + ", \"data\": \"" + data + "\"}";
        }
    }

    private TokenServerAssistant() {}

    /**
     * Generates a token04 for ZEGO's servers.
     *
     * @param appId the AppID from ZEGO's console
     * @param userId the user ID
     * @param secret the 32-character ServerSecret from ZEGO's console
     * @param effectiveTimeInSeconds how long the token is valid, in seconds
     * @param payload "" (or null) for a basic token, the privilege JSON for a privilege
     *     token
     * @return the token in {@code data}; check {@code error.code} first
     */
    public static TokenInfo generateToken04(long appId, String userId, String secret,
            int effectiveTimeInSeconds, String payload) {
        TokenInfo token = new TokenInfo();
        try {
            token.data = Token04.generateToken04(appId, userId, secret, effectiveTimeInSeconds,
                    payload);
        } catch (InvalidInputException e) {
            token.error.code = e.officialCode().isPresent()
                    ? ErrorCode.of(e.officialCode().getAsInt()) : ErrorCode.OTHER;
            token.error.message = e.getMessage();
        }
        return token;
    }
}
