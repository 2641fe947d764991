package im.zego.token;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * Entry points that need no {@link ServerSecret}: the token builder, header inspection,
 * UIKit kit tokens, and the official generator's signature.
 *
 * <p>All methods are thread-safe.
 */
public final class Token04 {
    private Token04() {}

    /**
     * Starts a token for a user of an app.
     *
     * @param appId the AppID (1 to 4294967295)
     * @param userId the user, fewer than 64 bytes
     * @return a builder; set the lifetime, optionally a room, then generate
     */
    public static TokenBuilder builder(long appId, String userId) {
        return new TokenBuilder(appId, userId);
    }

    /**
     * Reads the unencrypted header of any token04, without the secret.
     *
     * @param token a token04 text
     * @return the header
     * @throws MalformedTokenException when the text is not a token04 (the reason is named)
     */
    public static Envelope inspect(String token) throws MalformedTokenException {
        Objects.requireNonNull(token, "token");
        try {
            return Native.inspect(token);
        } catch (MalformedTokenException e) {
            throw e;
        } catch (TokenException e) {
            throw new IllegalStateException("zego-token: unexpected " + e.kind(), e);
        }
    }

    /**
     * A UIKit kit token: {@code token04 + "#" + base64(JSON)} carrying the user, room, user
     * name and app, as ZEGO's prebuilt web kits take it.
     *
     * @param token04 a token made for the same app and user
     * @param appId the AppID
     * @param userId the user
     * @param roomId the room the kit joins
     * @param userName the name the kit shows
     * @return the kit token
     * @throws InvalidInputException when an input cannot be carried (the field is named)
     */
    public static String kitToken(String token04, long appId, String userId, String roomId,
            String userName) throws InvalidInputException {
        Objects.requireNonNull(token04, "token04");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(roomId, "roomId");
        Objects.requireNonNull(userName, "userName");
        try {
            return Native.kitToken(token04, appId, userId, roomId, userName);
        } catch (InvalidInputException e) {
            throw e;
        } catch (TokenException e) {
            throw new IllegalStateException("zego-token: unexpected " + e.kind(), e);
        }
    }

    /**
     * The official generator's signature, throwing instead of returning an error code: an
     * AES-GCM token at the system clock's time. Prefer a reusable {@link ServerSecret},
     * which skips the key schedule on every call.
     *
     * <p>{@code im.zego.serverassistant.utils.TokenServerAssistant.generateToken04} is the
     * unchanged official call on top of this.
     *
     * @param appId the AppID
     * @param userId the user; null is refused with official code 3
     * @param secret the 32-character ServerSecret; null is refused with official code 5
     * @param effectiveTimeInSeconds the lifetime, more than 0
     * @param payload the payload; null means "" (a basic token)
     * @return the token text
     * @throws InvalidInputException when an input breaks a rule; {@code officialCode()} is
     *     the official generator's code (1 appId, 3 userId, 5 secret, 6 effective time)
     */
    public static String generateToken04(long appId, String userId, String secret,
            int effectiveTimeInSeconds, String payload) throws InvalidInputException {
        byte[] key = secret == null ? null : secret.getBytes(StandardCharsets.UTF_8);
        try {
            return Native.text(
                    Native.generateToken04(appId, userId, key, effectiveTimeInSeconds, payload));
        } catch (InvalidInputException e) {
            throw e;
        } catch (TokenException e) {
            throw new IllegalStateException("zego-token: unexpected " + e.kind(), e);
        } finally {
            if (key != null) {
                Arrays.fill(key, (byte) 0);
            }
        }
    }
}
