package im.zego.token;

import java.util.List;

/**
 * A freshly generated token and the values chosen for it. {@link #toString()} leaves the
 * token text out, so logging the object does not leak a credential.
 */
public final class GeneratedToken {
    private final String token;
    private final CipherMode mode;
    private final long ctime;
    private final long expire;
    private final int nonce;
    private final List<SdkWarning> warnings;

    /** Called by the native library. */
    GeneratedToken(String token, boolean gcm, long ctime, long expire, int nonce,
            Object[] warnings) {
        this.token = token;
        this.mode = gcm ? CipherMode.GCM : CipherMode.CBC;
        this.ctime = ctime;
        this.expire = expire;
        this.nonce = nonce;
        this.warnings = SdkWarning.list(warnings);
    }

    /** @return the token text ({@code "04"} + base64) */
    public String token() {
        return token;
    }

    /** @return the cipher mode used */
    public CipherMode mode() {
        return mode;
    }

    /** @return the creation time, Unix seconds */
    public long ctime() {
        return ctime;
    }

    /** @return the expiry time, Unix seconds */
    public long expire() {
        return expire;
    }

    /** @return the random claims nonce */
    public int nonce() {
        return nonce;
    }

    /**
     * The rules of ZEGO's clients this token breaks (user or room ID characters and
     * lengths, lifetimes, ZIM's 32-bit expiry): the token was made, but a client may
     * refuse it or be unable to renew it in time. Empty when none applies.
     *
     * @return the warnings, unmodifiable
     */
    public List<SdkWarning> warnings() {
        return warnings;
    }

    @Override
    public String toString() {
        return "GeneratedToken{mode=" + mode + ", ctime=" + ctime + ", expire=" + expire
                + ", length=" + token.length() + ", warnings=" + warnings + "}";
    }
}
