using System;
using System.Collections.Generic;

namespace ZegoToken
{
    /// <summary>Functions that need no ServerSecret.</summary>
    public static unsafe class Token
    {
        /// <summary>Reads a token's header without the secret. Nothing in it is authenticated.</summary>
        /// <exception cref="InvalidTokenException">The text is not a well-formed token04.</exception>
        public static TokenHeader Inspect(string token)
        {
            Native.EnsureLoaded();
            byte[] text = Native.Bytes(token, "token", 0);
            Native.Header h;
            Native.Error* err;
            int status;
            fixed (byte* t = text)
            {
                status = Native.zego_token_inspect(t, (UIntPtr)text.Length, &h, &err);
            }
            if (status != Native.Ok)
            {
                throw Native.Exception(status, err);
            }
            var iv = new byte[h.iv_len];
            for (int i = 0; i < iv.Length; i++)
            {
                iv[i] = h.iv[i];
            }
            return new TokenHeader(h.expire, Native.Mode(h.mode), h.has_mode_byte != 0, iv, (long)h.ciphertext_len.ToUInt64());
        }

        /// <summary>
        /// Wraps a token04 as a kit token for ZEGO's prebuilt UIKits:
        /// token04 + "#" + base64({"userID","roomID","userName" (URI-encoded),"appID"}).
        /// </summary>
        /// <exception cref="InvalidInputException">An ID or name the kits cannot carry.</exception>
        public static string KitToken(string token04, uint appId, string userId, string roomId, string userName)
        {
            Native.EnsureLoaded();
            byte[] t = Native.Bytes(token04, "token04", 0);
            byte[] u = Native.Bytes(userId, "user_id", 3);
            byte[] r = Native.Bytes(roomId, "room_id", 0);
            byte[] n = Native.Bytes(userName, "user_name", 0);
            byte* kit;
            UIntPtr len;
            Native.Error* err;
            int status;
            fixed (byte* tp = t, up = u, rp = r, np = n)
            {
                status = Native.zego_token_kit_token(tp, (UIntPtr)t.Length, appId, up, (UIntPtr)u.Length, rp, (UIntPtr)r.Length,
                    np, (UIntPtr)n.Length, &kit, &len, &err);
            }
            if (status != Native.Ok)
            {
                throw Native.Exception(status, err);
            }
            return Native.TakeString(kit, len);
        }

        /// <summary>Decodes the part of a kit token after "#" to its JSON text.</summary>
        /// <exception cref="InvalidTokenException">It is not base64 of UTF-8 text.</exception>
        public static string DecodeKitInfo(string info)
        {
            Native.EnsureLoaded();
            byte[] text = Native.Bytes(info, "info", 0);
            byte* json;
            UIntPtr len;
            Native.Error* err;
            int status;
            fixed (byte* t = text)
            {
                status = Native.zego_token_decode_kit_info(t, (UIntPtr)text.Length, &json, &len, &err);
            }
            if (status != Native.Ok)
            {
                throw Native.Exception(status, err);
            }
            return Native.TakeString(json, len);
        }

        /// <summary>The version of the loaded native library, e.g. "0.1.0".</summary>
        public static string LibraryVersion
        {
            get
            {
                Native.EnsureLoaded();
                return Native.CString(Native.zego_token_version());
            }
        }

        /// <summary>Copies a ZegoTokenDecoded* into managed values and frees it.</summary>
        internal static DecodedToken Take(Native.Decoded* d)
        {
            try
            {
                var iv = new byte[checked((int)d->iv_len.ToUInt64())];
                for (int i = 0; i < iv.Length; i++)
                {
                    iv[i] = d->iv[i];
                }
                RoomPrivileges room = null;
                if (d->payload_kind == Native.PayloadRoom && d->room != null)
                {
                    Native.Room* r = d->room;
                    List<string> streams = null;
                    if (r->has_stream_list != 0)
                    {
                        int n = checked((int)r->stream_count.ToUInt64());
                        streams = new List<string>(n);
                        for (int i = 0; i < n; i++)
                        {
                            streams.Add(Native.Text(r->stream_ids[i]));
                        }
                    }
                    room = new RoomPrivileges(Native.Text(r->room_id), r->can_login != 0, r->can_publish != 0, streams);
                }
                return new DecodedToken(d->app_id, Native.Text(d->user_id), d->ctime, d->expire, d->nonce, Native.Text(d->payload),
                    Native.Mode(d->mode), iv, d->header_expire, room, Native.Warnings(d->warnings, d->warning_count));
            }
            finally
            {
                Native.zego_token_decoded_free(d);
            }
        }
    }
}
