using System;

namespace ZegoToken
{
    /// <summary>
    /// What Verify expects of a token. Defaults: any user, no room, publish not required,
    /// the library's default leeway (a few seconds), the system clock.
    /// </summary>
    /// <example><code>var v = new Validation(1234567890).UserId("user-42").RoomId("room-1");</code></example>
    public sealed unsafe class Validation
    {
        readonly uint appId;
        string userId;
        string roomId;
        string streamId;
        bool requirePublish;
        uint? leeway;
        long? now;

        /// <param name="appId">The app the token must be for.</param>
        public Validation(uint appId)
        {
            this.appId = appId;
        }

        /// <summary>The token must be for this user.</summary>
        public Validation UserId(string value)
        {
            userId = value ?? throw new ArgumentNullException(nameof(value));
            return this;
        }

        /// <summary>The token must pin this room, with the login privilege.</summary>
        public Validation RoomId(string value)
        {
            roomId = value ?? throw new ArgumentNullException(nameof(value));
            return this;
        }

        /// <summary>The token must let the user publish this stream (implies RequirePublish).</summary>
        public Validation StreamId(string value)
        {
            streamId = value ?? throw new ArgumentNullException(nameof(value));
            return this;
        }

        /// <summary>The token must grant the publish privilege.</summary>
        public Validation RequirePublish(bool required = true)
        {
            requirePublish = required;
            return this;
        }

        /// <summary>Tolerance for clock differences, in seconds.</summary>
        public Validation Leeway(uint seconds)
        {
            leeway = seconds;
            return this;
        }

        /// <summary>Judge times at this Unix time instead of the system clock.</summary>
        public Validation At(long unixSeconds)
        {
            now = unixSeconds;
            return this;
        }

        /// <summary>Judge times at this instant instead of the system clock.</summary>
        public Validation At(DateTimeOffset instant)
        {
            return At(instant.ToUnixTimeSeconds());
        }

        internal DecodedToken Run(SecretHandle secret, byte[] token)
        {
            byte[] user = userId == null ? null : Native.Bytes(userId, "user_id", 0);
            byte[] room = roomId == null ? null : Native.Bytes(roomId, "room_id", 0);
            byte[] stream = streamId == null ? null : Native.Bytes(streamId, "stream_id", 0);
            Native.Validation v;
            Native.zego_token_validation_init(&v, appId);
            Native.Decoded* d;
            Native.Error* err;
            int status;
            // A pinned empty array has no address; a one-byte array with length 0 still
            // says "expected, and empty" (ptr NULL would mean "not expected").
            fixed (byte* u = NonEmpty(user), r = NonEmpty(room), s = NonEmpty(stream), t = token)
            {
                if (user != null)
                {
                    v.user_id.ptr = u;
                    v.user_id.len = (UIntPtr)user.Length;
                }
                if (room != null)
                {
                    v.room_id.ptr = r;
                    v.room_id.len = (UIntPtr)room.Length;
                }
                if (stream != null)
                {
                    v.stream_id.ptr = s;
                    v.stream_id.len = (UIntPtr)stream.Length;
                }
                v.require_publish = requirePublish ? (byte)1 : (byte)0;
                if (leeway.HasValue)
                {
                    v.leeway_seconds = leeway.Value;
                }
                if (now.HasValue)
                {
                    v.use_fixed_now = 1;
                    v.now = now.Value;
                }
                status = Native.zego_token_verify(secret, t, (UIntPtr)token.Length, &v, &d, &err);
            }
            if (status != Native.Ok)
            {
                throw Native.Exception(status, err);
            }
            return Token.Take(d);
        }

        static byte[] NonEmpty(byte[] b)
        {
            return b == null || b.Length > 0 ? b : OneByte;
        }

        static readonly byte[] OneByte = new byte[1];
    }
}
