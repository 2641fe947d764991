package im.zego.token;

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

    GeneratedToken(String token, CipherMode mode, long ctime, long expire, int nonce) {
        this.token = token;
        this.mode = mode;
        this.ctime = ctime;
        this.expire = expire;
        this.nonce = nonce;
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

    @Override
    public String toString() {
        return "GeneratedToken{mode=" + mode + ", ctime=" + ctime + ", expire=" + expire
                + ", length=" + token.length() + "}";
    }
}
