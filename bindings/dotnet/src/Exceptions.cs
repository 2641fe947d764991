using System;

namespace ZegoToken
{
    /// <summary>
    /// Why a zego-token call failed. The message says what was wrong and what was expected;
    /// it never contains the ServerSecret. Catch <see cref="InvalidInputException"/> for a
    /// wrong generator input and <see cref="InvalidTokenException"/> for a refused token;
    /// this class alone means an internal library error (kind "internal").
    /// </summary>
    public class TokenException : Exception
    {
        internal TokenException(string message, string kind, int status, string field, uint officialCode, uint zegoCode, uint zimCode, string advice)
            : base(message)
        {
            Kind = kind;
            Status = status;
            Field = field;
            OfficialCode = officialCode == 0 ? (uint?)null : officialCode;
            ZegoCode = zegoCode == 0 ? (uint?)null : zegoCode;
            ZimCode = zimCode == 0 ? (uint?)null : zimCode;
            Advice = advice;
        }

        /// <summary>
        /// The stable reason: "invalid_input", "invalid_argument", "wrong_version", "malformed",
        /// "decrypt", "invalid_claims", "invalid_payload", "expired", "not_yet_valid",
        /// "app_id_mismatch", "user_id_mismatch", "room_mismatch", "privilege_missing",
        /// "stream_not_allowed", "internal".
        /// </summary>
        public string Kind { get; }

        /// <summary>The C ABI status (ZEGO_TOKEN_STATUS_*).</summary>
        public int Status { get; }

        /// <summary>The input at fault for "invalid_input" ("app_id", "user_id", "secret", ...), else null.</summary>
        public string Field { get; }

        /// <summary>The official generators' code: 1 app_id, 3 user_id, 5 secret, 6 effective time; else null.</summary>
        public uint? OfficialCode { get; }

        /// <summary>The code ZEGO's RTC (Express) SDKs report for this reason (e.g. 1002078), or null.</summary>
        public uint? ZegoCode { get; }

        /// <summary>The code ZEGO's ZIM SDKs report for this reason (e.g. 6000106), or null.</summary>
        public uint? ZimCode { get; }

        /// <summary>What to do about it, as a sentence.</summary>
        public string Advice { get; }
    }

    /// <summary>A generator input breaks a rule (Kind "invalid_input"; Field names it), or a call is wrong ("invalid_argument").</summary>
    public sealed class InvalidInputException : TokenException
    {
        internal InvalidInputException(string message, string kind, int status, string field, uint officialCode, uint zegoCode, uint zimCode, string advice)
            : base(message, kind, status, field, officialCode, zegoCode, zimCode, advice)
        {
        }
    }

    /// <summary>A token was refused: not a token04, not decryptable with the secret, or failing an expectation of Verify.</summary>
    public sealed class InvalidTokenException : TokenException
    {
        internal InvalidTokenException(string message, string kind, int status, string field, uint officialCode, uint zegoCode, uint zimCode, string advice)
            : base(message, kind, status, field, officialCode, zegoCode, zimCode, advice)
        {
        }
    }
}
