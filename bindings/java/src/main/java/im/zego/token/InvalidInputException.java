package im.zego.token;

/** An input to a generator breaks a rule; {@link #field()} names it. */
public final class InvalidInputException extends TokenException {
    private static final long serialVersionUID = 1L;

    private final String field;

    InvalidInputException(String message, String advice, int officialCode, String field) {
        super("invalid_input", message, advice, -1, -1, officialCode);
        this.field = field;
    }

    /**
     * The input at fault, as the official generators spell it: {@code app_id},
     * {@code user_id}, {@code secret}, {@code effective_time_in_seconds}, {@code payload},
     * {@code room_id} or {@code stream_id}.
     *
     * @return the field name
     */
    public String field() {
        return field;
    }
}
