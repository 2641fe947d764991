package im.zego.token;

/** The token decrypted (GCM) but its claims are not a valid claims document, or the header's expire differs from the claims'. */
public final class InvalidClaimsException extends TokenException {
    private static final long serialVersionUID = 1L;

    InvalidClaimsException(String message, String advice, int zegoCode, int zimCode) {
        super("invalid_claims", message, advice, zegoCode, zimCode, -1);
    }
}
