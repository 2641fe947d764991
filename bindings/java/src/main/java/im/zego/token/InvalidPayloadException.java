package im.zego.token;

/** The payload is not a room privilege document. */
public final class InvalidPayloadException extends TokenException {
    private static final long serialVersionUID = 1L;

    InvalidPayloadException(String message, String advice, int zegoCode, int zimCode) {
        super("invalid_payload", message, advice, zegoCode, zimCode, -1);
    }
}
