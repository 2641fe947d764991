package im.zego.token;

/** The token expired (plus the leeway) before the verification time. */
public final class ExpiredTokenException extends TokenRejectedException {
    private static final long serialVersionUID = 1L;

    ExpiredTokenException(String message, String advice, int zegoCode, int zimCode) {
        super("expired", message, advice, zegoCode, zimCode);
    }
}
