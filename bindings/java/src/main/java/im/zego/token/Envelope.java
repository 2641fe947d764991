package im.zego.token;

import java.util.List;

/**
 * The unencrypted header of a token04, read without the secret by
 * {@link Token04#inspect(String)}. Nothing in it is authenticated: the expiry shown here
 * is what the token claims, not a verified fact.
 */
public final class Envelope {
    private final long untrustedExpire;
    private final CipherMode mode;
    private final boolean hasModeByte;
    private final byte[] iv;
    private final int ciphertextLength;
    private final List<SdkWarning> warnings;

    /** Called by the native library. */
    Envelope(long untrustedExpire, boolean gcm, boolean hasModeByte, byte[] iv,
            int ciphertextLength, Object[] warnings) {
        this.untrustedExpire = untrustedExpire;
        this.mode = gcm ? CipherMode.GCM : CipherMode.CBC;
        this.hasModeByte = hasModeByte;
        this.iv = iv;
        this.ciphertextLength = ciphertextLength;
        this.warnings = SdkWarning.list(warnings);
    }

    /** @return the expiry the header claims, Unix seconds (not verified) */
    public long untrustedExpire() {
        return untrustedExpire;
    }

    /** @return the cipher mode the body announces */
    public CipherMode mode() {
        return mode;
    }

    /** @return whether a mode byte follows the ciphertext (GCM always; CBC never in official tokens) */
    public boolean hasModeByte() {
        return hasModeByte;
    }

    /** @return a copy of the IV or GCM nonce */
    public byte[] iv() {
        return iv.clone();
    }

    /** @return the ciphertext length in bytes (with the GCM tag) */
    public int ciphertextLength() {
        return ciphertextLength;
    }

    /**
     * What the header alone says is worth knowing (e.g. {@code legacy_cbc} for a CBC
     * token), and for a kit token the rules its kit info breaks; the claims' rules need
     * the secret ({@link Decoded#warnings()}).
     *
     * @return the warnings, unmodifiable
     */
    public List<SdkWarning> warnings() {
        return warnings;
    }

    @Override
    public String toString() {
        return "Envelope{untrustedExpire=" + untrustedExpire + ", mode=" + mode
                + ", ciphertextLength=" + ciphertextLength + "}";
    }
}
