// ZEGO's official .NET generator (token/.net/token04/src/ZegoServerAssistant), same
// namespace, types, fields and method (drop-in): replace ZEGO's GenerateToken.cs or DLL
// with this assembly and nothing else changes. The token comes from the zego-token native
// library: AES-256-GCM with a nonce from an OS-seeded CSPRNG, ctime the current second
// (the official port rounds it, so a fresh token can lie a second in the future).
using System;
using ZegoToken;

namespace ZegoServerAssistant
{
    public enum ErrorCode
    {
        success = 0,
        appIDInvalid = 1,
        /// <summary>Not in the official token04 list, which checks no payload: the payload cannot be carried (not valid UTF-16/UTF-8, or too large for the token's 16-bit length field). 4 is the code ZEGO's token03 generators gave an invalid privilege.</summary>
        payloadInvalid = 4,
        userIDInvalid = 3,
        secretInvalid = 5,
        effectiveTimeInSecondsInvalid = 6,
    }

    public enum AesEncryptMode
    {
        /// <summary>AES/CBC/PKCS5Padding: deprecated.</summary>
        AesEncryptModeCBCPKCS5Padding = 0,
        /// <summary>AES/GCM: recommended; what GenerateToken04 writes.</summary>
        AesEncryptModeGCM = 1,
    }

    public class ErrorInfo
    {
        public ErrorCode errorCode;
        public string errorMessage;
    }

    public class GenerateTokenResult
    {
        public string token;
        public ErrorInfo errorInfo;
    }

    /// <summary>The official entry point. Thread-safe: it keeps no state between calls.</summary>
    public static unsafe class ServerAssistant
    {
        /// <summary>
        /// Generates a token04. errorInfo.errorCode is success (and errorMessage "success")
        /// with the token, or an ErrorCode with a message saying what was wrong. The checks
        /// are stricter than the official ones where a token would be corrupt or refused by
        /// ZEGO's SDKs (an empty or 64-byte userID, a payload the token cannot carry).
        /// </summary>
        public static GenerateTokenResult GenerateToken04(uint appID, string userID, string secret, long effectiveTimeInSeconds, string payload)
        {
            var result = new GenerateTokenResult { errorInfo = new ErrorInfo { errorCode = ErrorCode.success, errorMessage = "success" } };
            Native.EnsureLoaded();
            // A text that cannot be encoded goes to the library as "" so that the library
            // still reports the first bad input in the official order (app, user, secret,
            // time); its message is then replaced by the real reason.
            string userProblem, secretProblem, payloadProblem;
            byte[] user = Encode(userID, "user_id", out userProblem);
            byte[] key = Encode(secret, "secret", out secretProblem);
            byte[] body = Encode(payload ?? "", "payload", out payloadProblem);
            byte* token;
            UIntPtr len;
            Native.Error* err;
            int status;
            try
            {
                fixed (byte* u = user, k = key, p = body)
                {
                    status = Native.zego_token_generate_token04(appID, u, (UIntPtr)user.Length, k, (UIntPtr)key.Length, effectiveTimeInSeconds,
                        p, (UIntPtr)body.Length, &token, &len, &err);
                }
            }
            finally
            {
                Array.Clear(key, 0, key.Length);
            }
            if (status == Native.Ok)
            {
                string text = Native.TakeString(token, len);
                if (payloadProblem == null)
                {
                    result.token = text;
                    return result;
                }
                result.errorInfo.errorCode = ErrorCode.payloadInvalid;
                result.errorInfo.errorMessage = payloadProblem;
                return result;
            }
            TokenException e = Native.Exception(status, err);
            result.errorInfo.errorCode = e.OfficialCode.HasValue ? (ErrorCode)e.OfficialCode.Value : ErrorCode.payloadInvalid;
            result.errorInfo.errorMessage = e.Field == "user_id" && userProblem != null ? userProblem
                : e.Field == "secret" && secretProblem != null ? secretProblem
                : e.Message;
            return result;
        }

        /// <summary>The older official overload: a basic token (empty payload).</summary>
        public static GenerateTokenResult GenerateToken04(uint appID, string userID, string secret, long effectiveTimeInSeconds)
        {
            return GenerateToken04(appID, userID, secret, effectiveTimeInSeconds, "");
        }

        static byte[] Encode(string s, string field, out string problem)
        {
            problem = null;
            if (s == null)
            {
                problem = "invalid " + field + ": it is null";
                return Empty;
            }
            try
            {
                return Native.Utf8.GetBytes(s);
            }
            catch (System.Text.EncoderFallbackException)
            {
                problem = "invalid " + field + ": it holds an unpaired UTF-16 surrogate, which UTF-8 cannot carry";
                return Empty;
            }
        }

        static readonly byte[] Empty = new byte[0];
    }
}
