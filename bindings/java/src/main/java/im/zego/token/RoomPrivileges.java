package im.zego.token;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * The privileges of a privilege token: built by {@link RoomPayload#build()} or read back
 * by {@link Decoded#roomPrivileges()}. Immutable and thread-safe.
 */
public final class RoomPrivileges {
    private final String roomId;
    private final boolean login;
    private final boolean publish;
    private final List<String> streamIds;
    private final String json;

    /** Called by {@link RoomPayload} and by the native library. */
    RoomPrivileges(String roomId, boolean login, boolean publish, String[] streamIds,
            String json) {
        this.roomId = roomId;
        this.login = login;
        this.publish = publish;
        this.streamIds = streamIds == null ? null
                : Collections.unmodifiableList(Arrays.asList(streamIds.clone()));
        this.json = json;
    }

    /** @return the only room the token may log in to */
    public String roomId() {
        return roomId;
    }

    /** @return whether the token may log in to the room (privilege key 1) */
    public boolean canLogin() {
        return login;
    }

    /** @return whether the token may publish streams (privilege key 2) */
    public boolean canPublish() {
        return publish;
    }

    /**
     * @return the only stream IDs the token may publish; empty when there is no list (an
     *     empty list, like no list, allows any stream)
     */
    public Optional<List<String>> streamIds() {
        return Optional.ofNullable(streamIds);
    }

    /**
     * @param streamId a stream ID
     * @return whether the token may publish that stream
     */
    public boolean allowsStream(String streamId) {
        return publish && (streamIds == null || streamIds.isEmpty()
                || streamIds.contains(streamId));
    }

    /**
     * @return the payload JSON, in the official samples' shape:
     *     {@code {"room_id":…,"privilege":{"1":1,"2":0},"stream_id_list":…}}
     */
    public String toJson() {
        return json;
    }

    @Override
    public String toString() {
        return "RoomPrivileges" + json;
    }
}
