package im.zego.token;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.OptionalInt;

/**
 * A rule of ZEGO's clients that a token (or the input for one) breaks, from the core's
 * SDK rules: a userID or roomID with characters or a length an SDK refuses, a lifetime
 * ZIM refuses or too short to renew before the SDKs' will-expire warning, an expiry past
 * ZIM's 32-bit limit. Immutable.
 */
public final class SdkWarning {
    private final String rule;
    private final String product;
    private final int code;
    private final boolean blocking;
    private final String message;

    /** Called by the native library. */
    SdkWarning(String rule, String product, int code, boolean blocking, String message) {
        this.rule = rule;
        this.product = product;
        this.code = code;
        this.blocking = blocking;
        this.message = message;
    }

    static List<SdkWarning> list(Object[] warnings) {
        if (warnings == null || warnings.length == 0) {
            return Collections.emptyList();
        }
        List<SdkWarning> out = new ArrayList<SdkWarning>(warnings.length);
        for (Object w : warnings) {
            out.add((SdkWarning) w);
        }
        return Collections.unmodifiableList(out);
    }

    /** @return a stable name for the rule, e.g. {@code user_id_charset}, {@code ttl_too_short} */
    public String rule() {
        return rule;
    }

    /** @return the client the rule is of: {@code rtc}, {@code zim}, {@code kit} or {@code token} */
    public String product() {
        return product;
    }

    /** @return the error code that client reports, when one is known */
    public OptionalInt code() {
        return code < 0 ? OptionalInt.empty() : OptionalInt.of(code);
    }

    /** @return whether that client refuses the token (or cannot renew it in time), not just a caveat */
    public boolean blocking() {
        return blocking;
    }

    /** @return a sentence saying what is wrong and what the client will do */
    public String message() {
        return message;
    }

    /** The message, with the code in parentheses when there is one. */
    @Override
    public String toString() {
        return code < 0 ? message : message + " (" + code + ")";
    }
}
