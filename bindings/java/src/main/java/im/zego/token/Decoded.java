package im.zego.token;

import java.util.List;
import java.util.Optional;

/**
 * A decrypted token: its six claims exactly as they are in it, and its header.
 *
 * <p>Returned by {@link ServerSecret#decode} (claims read, not judged) and
 * {@link ServerSecret#verify} (claims accepted). Immutable and thread-safe.
 */
public final class Decoded {
    private final long appId;
    private final String userId;
    private final long nonce;
    private final long ctime;
    private final long expire;
    private final String payload;
    private final boolean payloadPresent;
    private final CipherMode mode;
    private final byte[] iv;
    private final long headerExpire;
    private final List<SdkWarning> warnings;

    /** Called by the native library. */
    Decoded(long appId, String userId, long nonce, long ctime, long expire, String payload,
            boolean payloadPresent, boolean gcm, byte[] iv, long headerExpire,
            Object[] warnings) {
        this.appId = appId;
        this.userId = userId;
        this.nonce = nonce;
        this.ctime = ctime;
        this.expire = expire;
        this.payload = payload;
        this.payloadPresent = payloadPresent;
        this.mode = gcm ? CipherMode.GCM : CipherMode.CBC;
        this.iv = iv;
        this.headerExpire = headerExpire;
        this.warnings = SdkWarning.list(warnings);
    }

    /** @return the app the token is for */
    public long appId() {
        return appId;
    }

    /** @return the user the token is for */
    public String userId() {
        return userId;
    }

    /** @return the random claims nonce (signed 32-bit in every official generator) */
    public long nonce() {
        return nonce;
    }

    /** @return the creation time, Unix seconds */
    public long ctime() {
        return ctime;
    }

    /** @return the expiry time, Unix seconds */
    public long expire() {
        return expire;
    }

    /** @return the payload text: "" for a basic token, JSON for a privilege token */
    public String payload() {
        return payload;
    }

    /** @return whether the claims have a payload member at all (an absent one reads as "") */
    public boolean payloadPresent() {
        return payloadPresent;
    }

    /**
     * Everything worth saying about the token beyond its verdict, from the core's
     * {@code sdk::token_warnings} (the list the CLI and the service show): the rules of
     * ZEGO's clients its claims break (user or room ID characters and lengths, lifetimes,
     * ZIM's 32-bit expiry), its cipher (legacy CBC), claims that disagree with each other
     * or with the kit info of a kit token. Empty when none applies.
     *
     * @return the warnings, unmodifiable
     */
    public List<SdkWarning> warnings() {
        return warnings;
    }

    /** @return the cipher mode of the token */
    public CipherMode mode() {
        return mode;
    }

    /** @return a copy of the IV (CBC, 16 bytes) or GCM nonce (12 bytes) */
    public byte[] iv() {
        return iv.clone();
    }

    /** @return the expire written in the unencrypted header (verify requires it to equal {@link #expire()}) */
    public long headerExpire() {
        return headerExpire;
    }

    /**
     * The room privileges of a privilege token.
     *
     * @return the privileges, or empty for a basic token (empty payload)
     * @throws InvalidPayloadException when the payload is not empty and not a room
     *     privilege document
     */
    public Optional<RoomPrivileges> roomPrivileges() throws InvalidPayloadException {
        try {
            return Optional.ofNullable(Native.parseRoom(payload));
        } catch (InvalidPayloadException e) {
            throw e;
        } catch (TokenException e) {
            throw new IllegalStateException("zego-token: unexpected " + e.kind(), e);
        }
    }

    /** The claims and the mode; never any key material. */
    @Override
    public String toString() {
        return "Decoded{appId=" + appId + ", userId=" + quote(userId) + ", nonce=" + nonce
                + ", ctime=" + ctime + ", expire=" + expire + ", payload=" + quote(payload)
                + ", mode=" + mode + "}";
    }

    static String quote(String s) {
        return s == null ? "null" : "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
