package im.zego.token;

import java.time.Duration;
import java.util.Objects;

/**
 * Builds a basic or privilege token; made by {@link Token04#builder(long, String)}.
 *
 * <pre>{@code
 * GeneratedToken t = Token04.builder(appId, "user-42")
 *         .lifetime(Duration.ofHours(1))
 *         .room(RoomPayload.forRoom("room-1").allowPublish().stream("s1"))
 *         .generate(secret);
 * }</pre>
 *
 * <p>Setters never fail; {@link #generate(ServerSecret)} checks everything and names the
 * input at fault. The lifetime has no default: a builder without one is refused. Not
 * thread-safe; the {@link ServerSecret} it uses is.
 */
public final class TokenBuilder {
    private final long appId;
    private final String userId;
    private Duration lifetime = Duration.ZERO;
    private String payload;
    private RoomPayload room;
    private CipherMode mode = CipherMode.GCM;

    TokenBuilder(long appId, String userId) {
        this.appId = appId;
        this.userId = Objects.requireNonNull(userId, "userId");
    }

    /**
     * @param lifetime how long the token is valid: whole seconds, more than 0
     * @return this builder
     */
    public TokenBuilder lifetime(Duration lifetime) {
        this.lifetime = Objects.requireNonNull(lifetime, "lifetime");
        return this;
    }

    /**
     * Makes a privilege token for a room (replaces any payload set before).
     *
     * @param room the room and its privileges, checked when the token is generated
     * @return this builder
     */
    public TokenBuilder room(RoomPayload room) {
        this.room = Objects.requireNonNull(room, "room");
        this.payload = null;
        return this;
    }

    /**
     * Makes a privilege token from privileges built before (replaces any payload).
     *
     * @param room the privileges
     * @return this builder
     */
    public TokenBuilder room(RoomPrivileges room) {
        this.payload = Objects.requireNonNull(room, "room").toJson();
        this.room = null;
        return this;
    }

    /**
     * Sets any payload text, passed through unchanged (replaces a room).
     *
     * @param payload the payload; "" for a basic token
     * @return this builder
     */
    public TokenBuilder payload(String payload) {
        this.payload = Objects.requireNonNull(payload, "payload");
        this.room = null;
        return this;
    }

    /**
     * Uses the legacy AES-CBC mode instead of GCM. CBC tokens are not authenticated:
     * whoever holds one can change its claims undetected. Only for peers that cannot take
     * GCM.
     *
     * @return this builder
     */
    public TokenBuilder legacyCbc() {
        this.mode = CipherMode.CBC;
        return this;
    }

    /**
     * Generates the token. The IV and the claims nonce come from the native library's
     * CSPRNG (ChaCha12 seeded by the operating system).
     *
     * @param secret the app's ServerSecret
     * @return the token, the times and nonce chosen for it, and the SDK rules it breaks
     * @throws InvalidInputException when an input breaks a rule (the field is named)
     */
    public GeneratedToken generate(ServerSecret secret) throws InvalidInputException {
        Objects.requireNonNull(secret, "secret");
        String p = room != null ? room.build().toJson() : payload;
        return secret.generateFull(appId, userId, lifetime, p, mode);
    }
}
