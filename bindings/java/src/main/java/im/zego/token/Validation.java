package im.zego.token;

import java.time.Duration;
import java.util.Objects;

/**
 * What {@link ServerSecret#verify} requires of a token. Immutable: each setter returns a
 * new instance, so one can be shared between threads.
 *
 * <pre>{@code
 * Validation v = Validation.forApp(appId).userId("user-42").roomId("room-1").requirePublish();
 * }</pre>
 *
 * <p>Always checked: the app id, the expiry (plus leeway) and the creation time (not in
 * the future beyond the leeway), on the system clock unless {@link #at(long)} fixes it.
 */
public final class Validation {
    final long appId;
    final String userId;
    final String roomId;
    final boolean requirePublish;
    final String streamId;
    /** -1: the core's default leeway. */
    final long leewaySeconds;
    final boolean fixedClock;
    final long now;

    private Validation(long appId, String userId, String roomId, boolean requirePublish,
            String streamId, long leewaySeconds, boolean fixedClock, long now) {
        this.appId = appId;
        this.userId = userId;
        this.roomId = roomId;
        this.requirePublish = requirePublish;
        this.streamId = streamId;
        this.leewaySeconds = leewaySeconds;
        this.fixedClock = fixedClock;
        this.now = now;
    }

    /**
     * @param appId the app the token must be for
     * @return a validation of app id and times only
     */
    public static Validation forApp(long appId) {
        return new Validation(appId, null, null, false, null, -1, false, 0);
    }

    /**
     * @param userId the user the token must be for
     * @return a copy that also checks the user
     */
    public Validation userId(String userId) {
        return new Validation(appId, Objects.requireNonNull(userId, "userId"), roomId,
                requirePublish, streamId, leewaySeconds, fixedClock, now);
    }

    /**
     * @param roomId the room the token must pin, with the login privilege
     * @return a copy that also checks the room
     */
    public Validation roomId(String roomId) {
        return new Validation(appId, userId, Objects.requireNonNull(roomId, "roomId"),
                requirePublish, streamId, leewaySeconds, fixedClock, now);
    }

    /** @return a copy that also requires the publish privilege */
    public Validation requirePublish() {
        return new Validation(appId, userId, roomId, true, streamId, leewaySeconds,
                fixedClock, now);
    }

    /**
     * @param streamId a stream the token must allow publishing (implies the publish
     *     privilege)
     * @return a copy that also checks the stream
     */
    public Validation streamId(String streamId) {
        return new Validation(appId, userId, roomId, requirePublish,
                Objects.requireNonNull(streamId, "streamId"), leewaySeconds, fixedClock, now);
    }

    /**
     * @param leeway how far the clocks of the machines may differ (whole seconds are used)
     * @return a copy with this leeway
     */
    public Validation leeway(Duration leeway) {
        long s = Objects.requireNonNull(leeway, "leeway").getSeconds();
        if (s < 0) {
            throw new IllegalArgumentException("leeway is negative: " + leeway);
        }
        return new Validation(appId, userId, roomId, requirePublish, streamId, s, fixedClock,
                now);
    }

    /**
     * @param unixSeconds the verification time to use instead of the system clock
     * @return a copy that judges times at that moment
     */
    public Validation at(long unixSeconds) {
        return new Validation(appId, userId, roomId, requirePublish, streamId, leewaySeconds,
                true, unixSeconds);
    }
}
