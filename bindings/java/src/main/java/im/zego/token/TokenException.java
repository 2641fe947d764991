package im.zego.token;

import java.util.OptionalInt;

/**
 * Why a token could not be generated, read or accepted.
 *
 * <p>The subclass says who is at fault: {@link InvalidInputException} (the caller's input
 * to a generator), {@link MalformedTokenException} (not a token04 text),
 * {@link DecryptException} (wrong secret or changed token), {@link InvalidClaimsException}
 * and {@link InvalidPayloadException} (decrypted, but not valid claims or not a room
 * privilege payload), {@link TokenRejectedException} (valid, but refused by
 * {@link ServerSecret#verify}; {@link ExpiredTokenException} for expiry).
 *
 * <p>{@link #kind()} is a stable machine-readable name; {@link #zegoCode()} and
 * {@link #zimCode()} give the codes ZEGO's Express and ZIM SDKs report when ZEGO's server
 * refuses a token for the same reason; {@link #advice()} says what to do. No message ever
 * contains the ServerSecret, key material or decrypted plaintext.
 */
public class TokenException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String kind;
    private final String advice;
    private final int zegoCode;
    private final int zimCode;
    private final int officialCode;

    TokenException(String kind, String message, String advice, int zegoCode, int zimCode,
            int officialCode) {
        super(message);
        this.kind = kind;
        this.advice = advice;
        this.zegoCode = zegoCode;
        this.zimCode = zimCode;
        this.officialCode = officialCode;
    }

    /**
     * Called by the native library: the subclass for a core error kind.
     */
    static TokenException fromNative(String kind, String message, String advice, int zegoCode,
            int zimCode, int officialCode, String field) {
        switch (kind) {
            case "invalid_input":
                return new InvalidInputException(message, advice, officialCode, field);
            case "wrong_version":
            case "malformed":
                return new MalformedTokenException(kind, message, advice, zegoCode, zimCode);
            case "decrypt":
                return new DecryptException(message, advice, zegoCode, zimCode);
            case "invalid_claims":
                return new InvalidClaimsException(message, advice, zegoCode, zimCode);
            case "invalid_payload":
                return new InvalidPayloadException(message, advice, zegoCode, zimCode);
            case "expired":
                return new ExpiredTokenException(message, advice, zegoCode, zimCode);
            default:
                return new TokenRejectedException(kind, message, advice, zegoCode, zimCode);
        }
    }

    /**
     * A stable name for the reason: {@code invalid_input}, {@code wrong_version},
     * {@code malformed}, {@code decrypt}, {@code invalid_claims}, {@code invalid_payload},
     * {@code expired}, {@code not_yet_valid}, {@code app_id_mismatch},
     * {@code user_id_mismatch}, {@code room_mismatch}, {@code privilege_missing},
     * {@code stream_not_allowed}.
     *
     * @return the kind
     */
    public String kind() {
        return kind;
    }

    /**
     * A sentence a person can act on to fix the problem.
     *
     * @return the advice
     */
    public String advice() {
        return advice;
    }

    /**
     * The error code ZEGO's Express (RTC) SDKs report for this reason (e.g. 1002078 for an
     * expired token), when there is one.
     *
     * @return the code, or empty
     */
    public OptionalInt zegoCode() {
        return zegoCode < 0 ? OptionalInt.empty() : OptionalInt.of(zegoCode);
    }

    /**
     * The error code ZEGO's in-app chat (ZIM) SDKs report for this reason (6000103,
     * 6000106, 6000107), when there is one.
     *
     * @return the code, or empty
     */
    public OptionalInt zimCode() {
        return zimCode < 0 ? OptionalInt.empty() : OptionalInt.of(zimCode);
    }

    /**
     * The official generators' error code for an input error: 1 (appId), 3 (userId),
     * 5 (secret), 6 (effective time).
     *
     * @return the code, or empty for other errors
     */
    public OptionalInt officialCode() {
        return officialCode < 0 ? OptionalInt.empty() : OptionalInt.of(officialCode);
    }
}
