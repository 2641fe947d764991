package im.zego.token;

/**
 * The token is genuine but {@link ServerSecret#verify} refuses it: {@code expired}
 * ({@link ExpiredTokenException}), {@code not_yet_valid}, {@code app_id_mismatch},
 * {@code user_id_mismatch}, {@code room_mismatch}, {@code privilege_missing},
 * {@code stream_not_allowed}.
 */
public class TokenRejectedException extends TokenException {
    private static final long serialVersionUID = 1L;

    TokenRejectedException(String kind, String message, String advice, int zegoCode,
            int zimCode) {
        super(kind, message, advice, zegoCode, zimCode, -1);
    }
}
