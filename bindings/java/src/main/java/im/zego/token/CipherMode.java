package im.zego.token;

/** The two cipher modes of token04. */
public enum CipherMode {
    /** AES-256-GCM: authenticated, the current official mode. The default. */
    GCM,
    /**
     * AES-256-CBC with PKCS#7 padding: the legacy mode. It has no integrity protection
     * (whoever holds a CBC token can flip bits of its claims undetected); use it only for
     * peers that cannot take GCM.
     */
    CBC
}
