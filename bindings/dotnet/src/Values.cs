using System.Collections.Generic;

namespace ZegoToken
{
    /// <summary>The two token04 cipher modes.</summary>
    public enum CipherMode
    {
        /// <summary>AES-256-CBC: legacy, unauthenticated (a holder can flip plaintext bits); only for peers that need it.</summary>
        Cbc = 0,

        /// <summary>AES-256-GCM: authenticated, the default and ZEGO's recommended mode.</summary>
        Gcm = 1,
    }

    /// <summary>A ZEGO client rule the token breaks: ZEGO's server takes the token, that client refuses or mistreats it.</summary>
    public sealed class SdkWarning
    {
        internal SdkWarning(string rule, string product, uint? code, string message, bool blocking)
        {
            Rule = rule;
            Product = product;
            Code = code;
            Message = message;
            Blocking = blocking;
        }

        /// <summary>The stable rule id, e.g. "user_id_charset", "ttl_too_short".</summary>
        public string Rule { get; }

        /// <summary>The client: "rtc" (Express SDKs), "zim", "kit" (UIKits) or "token".</summary>
        public string Product { get; }

        /// <summary>The SDK error code the client will show, if any.</summary>
        public uint? Code { get; }

        /// <summary>What will go wrong.</summary>
        public string Message { get; }

        /// <summary>True when the token is unusable for that client; false for a caveat.</summary>
        public bool Blocking { get; }

        public override string ToString()
        {
            return Product + "/" + Rule + ": " + Message;
        }
    }

    /// <summary>A freshly generated token and the values chosen for it.</summary>
    public sealed class GeneratedToken
    {
        internal GeneratedToken(string token, long ctime, long expire, int nonce, CipherMode mode, IReadOnlyList<SdkWarning> warnings)
        {
            Token = token;
            Ctime = ctime;
            Expire = expire;
            Nonce = nonce;
            Mode = mode;
            Warnings = warnings;
        }

        /// <summary>The token text ("04" + base64).</summary>
        public string Token { get; }

        /// <summary>Creation time, Unix seconds.</summary>
        public long Ctime { get; }

        /// <summary>Expiry time, Unix seconds.</summary>
        public long Expire { get; }

        /// <summary>The random claims nonce.</summary>
        public int Nonce { get; }

        public CipherMode Mode { get; }

        /// <summary>ZEGO client rules the claims break (empty when none).</summary>
        public IReadOnlyList<SdkWarning> Warnings { get; }

        public override string ToString()
        {
            return Token;
        }
    }

    /// <summary>The room privilege payload of a decoded token.</summary>
    public sealed class RoomPrivileges
    {
        internal RoomPrivileges(string roomId, bool canLogin, bool canPublish, IReadOnlyList<string> streamIds)
        {
            RoomId = roomId;
            CanLogin = canLogin;
            CanPublish = canPublish;
            StreamIds = streamIds;
        }

        /// <summary>The only room the token may log in to.</summary>
        public string RoomId { get; }

        /// <summary>The login privilege ("1":1).</summary>
        public bool CanLogin { get; }

        /// <summary>The publish privilege ("2":1).</summary>
        public bool CanPublish { get; }

        /// <summary>The only streams the user may publish; null or empty means any stream.</summary>
        public IReadOnlyList<string> StreamIds { get; }
    }

    /// <summary>A token decrypted with its secret: every claim, the IV and the parsed room privileges.</summary>
    public sealed class DecodedToken
    {
        internal DecodedToken(uint appId, string userId, long ctime, long expire, long nonce, string payload, CipherMode mode,
            byte[] iv, long headerExpire, RoomPrivileges room, IReadOnlyList<SdkWarning> warnings)
        {
            AppId = appId;
            UserId = userId;
            Ctime = ctime;
            Expire = expire;
            Nonce = nonce;
            Payload = payload;
            Mode = mode;
            Iv = iv;
            HeaderExpire = headerExpire;
            Room = room;
            Warnings = warnings;
        }

        public uint AppId { get; }

        public string UserId { get; }

        /// <summary>Creation time, Unix seconds.</summary>
        public long Ctime { get; }

        /// <summary>Expiry time, Unix seconds.</summary>
        public long Expire { get; }

        /// <summary>The claims nonce.</summary>
        public long Nonce { get; }

        /// <summary>The payload text, "" for a basic token.</summary>
        public string Payload { get; }

        public CipherMode Mode { get; }

        /// <summary>The IV (CBC, 16 bytes) or GCM nonce (12 bytes).</summary>
        public byte[] Iv { get; }

        /// <summary>The header's unauthenticated copy of expire.</summary>
        public long HeaderExpire { get; }

        /// <summary>The room privileges when the payload is a room privilege document, else null.</summary>
        public RoomPrivileges Room { get; }

        /// <summary>ZEGO client rules the claims break (empty when none).</summary>
        public IReadOnlyList<SdkWarning> Warnings { get; }
    }

    /// <summary>A token's header, read without the secret. Nothing in it is authenticated.</summary>
    public sealed class TokenHeader
    {
        internal TokenHeader(long expire, CipherMode mode, bool hasModeByte, byte[] iv, long ciphertextLength)
        {
            Expire = expire;
            Mode = mode;
            HasModeByte = hasModeByte;
            Iv = iv;
            CiphertextLength = ciphertextLength;
        }

        /// <summary>The header's copy of expire, Unix seconds.</summary>
        public long Expire { get; }

        public CipherMode Mode { get; }

        /// <summary>The body ends with an explicit mode byte (always for GCM).</summary>
        public bool HasModeByte { get; }

        /// <summary>The IV (CBC) or GCM nonce.</summary>
        public byte[] Iv { get; }

        /// <summary>The ciphertext length in bytes (GCM: with its 16-byte tag).</summary>
        public long CiphertextLength { get; }
    }
}
