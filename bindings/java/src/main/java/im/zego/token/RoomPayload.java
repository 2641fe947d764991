package im.zego.token;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * Builds the payload of a privilege token (ZEGO's "权限认证 token"): the only room the
 * token may log in to, whether it may log in and publish, and optionally the only stream
 * IDs it may publish. No hand-written JSON.
 *
 * <pre>{@code
 * RoomPrivileges room = RoomPayload.forRoom("room-1").allowPublish().stream("s1").build();
 * }</pre>
 *
 * <p>Defaults: login allowed, publish denied, no stream list (any stream ID). Setters
 * never fail; {@link #build()} checks everything (room ID under 128 bytes, stream IDs
 * under 256 bytes of {@code A-Z a-z 0-9 - _}). Not thread-safe; build once, share the
 * result.
 */
public final class RoomPayload {
    private final String roomId;
    private boolean login = true;
    private boolean publish;
    private List<String> streams;

    private RoomPayload(String roomId) {
        this.roomId = roomId;
    }

    /**
     * @param roomId the room the token is for
     * @return a builder with login allowed and publish denied
     */
    public static RoomPayload forRoom(String roomId) {
        return new RoomPayload(Objects.requireNonNull(roomId, "roomId"));
    }

    /** @return this builder, allowing login to the room */
    public RoomPayload allowLogin() {
        return login(true);
    }

    /** @return this builder, denying login to the room */
    public RoomPayload denyLogin() {
        return login(false);
    }

    /** @return this builder, allowing publishing streams */
    public RoomPayload allowPublish() {
        return publish(true);
    }

    /** @return this builder, denying publishing streams */
    public RoomPayload denyPublish() {
        return publish(false);
    }

    /**
     * @param allowed whether the token may log in to the room
     * @return this builder
     */
    public RoomPayload login(boolean allowed) {
        this.login = allowed;
        return this;
    }

    /**
     * @param allowed whether the token may publish streams
     * @return this builder
     */
    public RoomPayload publish(boolean allowed) {
        this.publish = allowed;
        return this;
    }

    /**
     * Adds a stream ID to the list of the only streams the token may publish.
     *
     * @param streamId the stream ID
     * @return this builder
     */
    public RoomPayload stream(String streamId) {
        list().add(Objects.requireNonNull(streamId, "streamId"));
        return this;
    }

    /**
     * Adds stream IDs to the list (an empty collection still writes an empty list, which
     * ZEGO reads as "any stream").
     *
     * @param streamIds the stream IDs
     * @return this builder
     */
    public RoomPayload streams(Collection<String> streamIds) {
        List<String> list = list();
        for (String s : Objects.requireNonNull(streamIds, "streamIds")) {
            list.add(Objects.requireNonNull(s, "streamId"));
        }
        return this;
    }

    private List<String> list() {
        if (streams == null) {
            streams = new ArrayList<String>();
        }
        return streams;
    }

    /**
     * Checks the IDs and writes the payload JSON.
     *
     * @return the privileges, with their JSON
     * @throws InvalidInputException (field {@code room_id} or {@code stream_id}) when an ID
     *     breaks ZEGO's limits
     */
    public RoomPrivileges build() throws InvalidInputException {
        String[] list = streams == null ? null : streams.toArray(new String[0]);
        String json;
        try {
            json = Native.roomPayload(roomId, login, publish, list);
        } catch (InvalidInputException e) {
            throw e;
        } catch (TokenException e) {
            throw new IllegalStateException("zego-token: unexpected " + e.kind(), e);
        }
        return new RoomPrivileges(roomId, login, publish, list, json);
    }
}
