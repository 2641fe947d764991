package im.zego.token;

/** The token cannot be decrypted with this secret. A wrong secret, a changed token and a bad CBC padding are deliberately indistinguishable (anything else would make a padding oracle). */
public final class DecryptException extends TokenException {
    private static final long serialVersionUID = 1L;

    DecryptException(String message, String advice, int zegoCode, int zimCode) {
        super("decrypt", message, advice, zegoCode, zimCode, -1);
    }
}
