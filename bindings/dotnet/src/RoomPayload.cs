using System;
using System.Collections.Generic;

namespace ZegoToken
{
    /// <summary>
    /// The payload of a privilege token from typed values: the only room the token may log
    /// in to, the login and publish privileges, the only streams the user may publish.
    /// Defaults: login allowed, publish denied, any stream. The setters return this object;
    /// ToJson() checks ZEGO's limits (room ID non-empty and under 128 bytes, stream IDs
    /// under 256 bytes of A-Z a-z 0-9 - _).
    /// </summary>
    /// <example><code>var payload = new RoomPayload("room-1").AllowPublish().Stream("s1");</code></example>
    public sealed unsafe class RoomPayload
    {
        readonly string roomId;
        bool login = true;
        bool publish;
        readonly List<string> streams = new List<string>();

        public RoomPayload(string roomId)
        {
            this.roomId = roomId;
        }

        public RoomPayload AllowLogin(bool allowed = true)
        {
            login = allowed;
            return this;
        }

        public RoomPayload DenyLogin()
        {
            login = false;
            return this;
        }

        public RoomPayload AllowPublish(bool allowed = true)
        {
            publish = allowed;
            return this;
        }

        public RoomPayload DenyPublish()
        {
            publish = false;
            return this;
        }

        /// <summary>Adds a stream the user may publish (the list then restricts publishing to it).</summary>
        public RoomPayload Stream(string streamId)
        {
            streams.Add(streamId ?? throw new ArgumentNullException(nameof(streamId)));
            return this;
        }

        /// <summary>Adds streams the user may publish; none means any stream.</summary>
        public RoomPayload Streams(IEnumerable<string> streamIds)
        {
            foreach (string id in streamIds ?? throw new ArgumentNullException(nameof(streamIds)))
            {
                Stream(id);
            }
            return this;
        }

        /// <summary>The payload JSON as the library writes it.</summary>
        /// <exception cref="InvalidInputException">Field "room_id" or "stream_id" when an ID breaks ZEGO's limits.</exception>
        public string ToJson()
        {
            Native.EnsureLoaded();
            byte[] room = Native.Bytes(roomId, "room_id", 0);
            var ids = new byte[streams.Count][];
            for (int i = 0; i < ids.Length; i++)
            {
                ids[i] = Native.Bytes(streams[i], "stream_id", 0);
            }
            // Each stream ID is pinned while its pointer is in the list.
            var pins = new System.Runtime.InteropServices.GCHandle[ids.Length];
            Native.Str* list = stackalloc Native.Str[Math.Max(1, ids.Length)];
            try
            {
                for (int i = 0; i < ids.Length; i++)
                {
                    pins[i] = System.Runtime.InteropServices.GCHandle.Alloc(ids[i], System.Runtime.InteropServices.GCHandleType.Pinned);
                    list[i].ptr = ids[i].Length == 0 ? null : (byte*)pins[i].AddrOfPinnedObject();
                    list[i].len = (UIntPtr)ids[i].Length;
                }
                byte* json;
                UIntPtr len;
                Native.Error* err;
                int status;
                fixed (byte* r = room)
                {
                    status = Native.zego_token_room_payload(r, (UIntPtr)room.Length, login ? (byte)1 : (byte)0, publish ? (byte)1 : (byte)0,
                        ids.Length == 0 ? null : list, (UIntPtr)ids.Length, &json, &len, &err);
                }
                if (status != Native.Ok)
                {
                    throw Native.Exception(status, err);
                }
                return Native.TakeString(json, len);
            }
            finally
            {
                foreach (var pin in pins)
                {
                    if (pin.IsAllocated)
                    {
                        pin.Free();
                    }
                }
            }
        }

        public override string ToString()
        {
            return "RoomPayload(" + roomId + ")";
        }
    }
}
