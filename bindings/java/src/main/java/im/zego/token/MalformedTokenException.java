package im.zego.token;

/** The text is not a well-formed token04 token (kind {@code malformed}, or {@code wrong_version} for another version). */
public final class MalformedTokenException extends TokenException {
    private static final long serialVersionUID = 1L;

    MalformedTokenException(String kind, String message, String advice, int zegoCode, int zimCode) {
        super(kind, message, advice, zegoCode, zimCode, -1);
    }
}
