using System;
using System.Text;

namespace ZegoToken
{
    /// <summary>
    /// A ZEGO ServerSecret, validated and with its AES keys prepared once, held inside the
    /// C library (zeroized there when disposed). This object holds only a SafeHandle: no
    /// copy of the secret stays in managed memory (the UTF-8 bytes passed to the library
    /// live on the stack for the call and are wiped), ToString() prints &lt;redacted&gt;,
    /// and no exception message contains it.
    /// </summary>
    /// <remarks>
    /// Thread safety: one instance may be used from any number of threads at once. Dispose
    /// it once, when no thread needs it any more; calls in flight keep the native handle
    /// alive (SafeHandle reference counting), later calls throw ObjectDisposedException.
    /// </remarks>
    public sealed unsafe class ServerSecret : IDisposable
    {
        readonly SecretHandle handle;

        /// <summary>Validates the 32-character ServerSecret from ZEGO's console and prepares its keys.</summary>
        /// <exception cref="InvalidInputException">Field "secret", official code 5, when it is not 32 bytes.</exception>
        public ServerSecret(string secret)
        {
            Native.EnsureLoaded();
            if (secret == null)
            {
                throw new InvalidInputException("invalid secret: it is null; pass the 32-character ServerSecret", "invalid_input",
                    Native.StatusInvalidInput, "secret", 5, 0, 0, Native.FixInput);
            }
            int count;
            try
            {
                count = Native.Utf8.GetByteCount(secret);
            }
            catch (EncoderFallbackException)
            {
                throw new InvalidInputException("invalid secret: it holds an unpaired UTF-16 surrogate; pass the 32-character ServerSecret",
                    "invalid_input", Native.StatusInvalidInput, "secret", 5, 0, 0, Native.FixInput);
            }
            if (count > 256)
            {
                // No ServerSecret is this long (it is exactly 32 bytes); say so without copying it.
                throw new InvalidInputException("invalid secret: it is " + count + " bytes long; the ServerSecret is exactly 32 bytes",
                    "invalid_input", Native.StatusInvalidInput, "secret", 5, 0, 0, Native.FixInput);
            }
            // On the stack, not the GC heap, so no copy outlives the call; wiped after it.
            byte* buf = stackalloc byte[count + 1];
            Native.Error* err = null;
            int status;
            try
            {
                fixed (char* chars = secret)
                {
                    int written = Native.Utf8.GetBytes(chars, secret.Length, buf, count);
                    status = Native.zego_token_secret_new(buf, (UIntPtr)written, out handle, &err);
                }
            }
            finally
            {
                for (int i = 0; i < count; i++)
                {
                    buf[i] = 0;
                }
            }
            if (status != Native.Ok)
            {
                throw Native.Exception(status, err);
            }
        }

        /// <summary>Generates an AES-GCM token04 at the system clock's time (the fast path).</summary>
        /// <param name="appId">The app (not 0).</param>
        /// <param name="userId">The user (non-empty, under 64 bytes).</param>
        /// <param name="effectiveTimeInSeconds">The lifetime in seconds (above 0).</param>
        /// <param name="payload">"" for a basic token; the JSON of a <see cref="RoomPayload"/> for a privilege token.</param>
        /// <exception cref="InvalidInputException">An input breaks a rule.</exception>
        public string Generate(uint appId, string userId, long effectiveTimeInSeconds, string payload = "")
        {
            byte[] user = Native.Bytes(userId, "user_id", 3);
            byte[] body = Native.Bytes(payload ?? "", "payload", 0);
            Native.Generated* g;
            Native.Error* err;
            int status;
            fixed (byte* u = user, p = body)
            {
                status = Native.zego_token_generate(Live(), appId, u, (UIntPtr)user.Length, effectiveTimeInSeconds, p, (UIntPtr)body.Length,
                    Native.ModeGcm, &g, &err);
            }
            if (status != Native.Ok)
            {
                throw Native.Exception(status, err);
            }
            try
            {
                return Native.Text(g->token);
            }
            finally
            {
                Native.zego_token_generated_free(g);
            }
        }

        /// <summary>Generates a privilege token for the room in <paramref name="payload"/>.</summary>
        public string Generate(uint appId, string userId, long effectiveTimeInSeconds, RoomPayload payload)
        {
            return Generate(appId, userId, effectiveTimeInSeconds, (payload ?? throw new ArgumentNullException(nameof(payload))).ToJson());
        }

        /// <summary>
        /// Generates a token with options, and returns it with the values chosen for it and
        /// the ZEGO client rules it breaks.
        /// </summary>
        /// <param name="mode">Gcm (default) or Cbc (legacy).</param>
        /// <param name="ctime">A fixed creation time (Unix seconds) instead of the clock.</param>
        public GeneratedToken GenerateWith(uint appId, string userId, long effectiveTimeInSeconds, string payload = "",
            CipherMode mode = CipherMode.Gcm, long? ctime = null)
        {
            if (mode != CipherMode.Gcm && mode != CipherMode.Cbc)
            {
                throw new InvalidInputException("invalid mode: " + (int)mode + "; it must be CipherMode.Gcm or CipherMode.Cbc", "invalid_argument",
                    Native.StatusInvalidArgument, "mode", 0, 0, 0, Native.FixInput);
            }
            byte[] user = Native.Bytes(userId, "user_id", 3);
            byte[] body = Native.Bytes(payload ?? "", "payload", 0);
            Native.Generated* g;
            Native.Error* err;
            int status;
            fixed (byte* u = user, p = body)
            {
                status = ctime.HasValue
                    ? Native.zego_token_generate_at(Live(), appId, u, (UIntPtr)user.Length, effectiveTimeInSeconds, p, (UIntPtr)body.Length, (uint)mode, ctime.Value, &g, &err)
                    : Native.zego_token_generate(Live(), appId, u, (UIntPtr)user.Length, effectiveTimeInSeconds, p, (UIntPtr)body.Length, (uint)mode, &g, &err);
            }
            if (status != Native.Ok)
            {
                throw Native.Exception(status, err);
            }
            try
            {
                return new GeneratedToken(Native.Text(g->token), g->ctime, g->expire, g->nonce, Native.Mode(g->mode), Native.Warnings(g->warnings, g->warning_count));
            }
            finally
            {
                Native.zego_token_generated_free(g);
            }
        }

        /// <summary>GenerateWith for a privilege token.</summary>
        public GeneratedToken GenerateWith(uint appId, string userId, long effectiveTimeInSeconds, RoomPayload payload,
            CipherMode mode = CipherMode.Gcm, long? ctime = null)
        {
            return GenerateWith(appId, userId, effectiveTimeInSeconds, (payload ?? throw new ArgumentNullException(nameof(payload))).ToJson(), mode, ctime);
        }

        /// <summary>Generates a token04 and wraps it as a kit token for ZEGO's prebuilt UIKits.</summary>
        public string KitToken(uint appId, string userId, string roomId, string userName, long effectiveTimeInSeconds, string payload = "")
        {
            return Token.KitToken(Generate(appId, userId, effectiveTimeInSeconds, payload), appId, userId, roomId, userName);
        }

        /// <summary>Decrypts a token and returns its claims without judging them (no expiry, app or user check).</summary>
        /// <exception cref="InvalidTokenException">Not a token04, or not decryptable with this secret.</exception>
        public DecodedToken Decode(string token)
        {
            byte[] text = Native.Bytes(token, "token", 0);
            Native.Decoded* d;
            Native.Error* err;
            int status;
            fixed (byte* t = text)
            {
                status = Native.zego_token_decode(Live(), t, (UIntPtr)text.Length, &d, &err);
            }
            if (status != Native.Ok)
            {
                throw Native.Exception(status, err);
            }
            return Token.Take(d);
        }

        /// <summary>Decrypts a token and checks it as ZEGO's server would (app, user, expiry, creation time, room, privileges, stream).</summary>
        /// <exception cref="InvalidTokenException">A check failed: Kind says which, ZegoCode/ZimCode what the SDKs report.</exception>
        public DecodedToken Verify(string token, Validation validation)
        {
            if (validation == null)
            {
                throw new ArgumentNullException(nameof(validation));
            }
            byte[] text = Native.Bytes(token, "token", 0);
            return validation.Run(Live(), text);
        }

        public void Dispose()
        {
            handle.Dispose();
        }

        public override string ToString()
        {
            return "ServerSecret(<redacted>)";
        }

        SecretHandle Live()
        {
            if (handle.IsClosed)
            {
                throw new ObjectDisposedException(nameof(ServerSecret));
            }
            return handle;
        }
    }
}
