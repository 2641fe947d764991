//! The structs and constants of the C ABI (`#[repr(C)]`, mirrored in `zego_token.h`).

use std::ffi::c_char;

/// The version of this C ABI, as returned by `zego_token_abi_version()`. It changes only
/// when a function or caller-filled struct changes incompatibly; additions keep it.
pub const ZEGO_TOKEN_ABI_VERSION: u32 = 1;

/// Length of a ZEGO ServerSecret in bytes.
pub const ZEGO_TOKEN_SECRET_LEN: usize = 32;

/// Success.
pub const ZEGO_TOKEN_OK: i32 = 0;
/// The call itself is wrong: a NULL pointer where one is required, a NULL text with a
/// non-zero length, an unknown mode. Kind `"invalid_argument"`.
pub const ZEGO_TOKEN_STATUS_INVALID_ARGUMENT: i32 = 1;
/// A generator input breaks a rule (`field` names it; `official_code` is 1, 3, 5 or 6
/// for app_id, user_id, secret, effective time). Kind `"invalid_input"`.
pub const ZEGO_TOKEN_STATUS_INVALID_INPUT: i32 = 2;
/// The token is not a token04 (wrong version prefix). Kind `"wrong_version"`.
pub const ZEGO_TOKEN_STATUS_WRONG_VERSION: i32 = 3;
/// The text is not a well-formed token04. Kind `"malformed"`.
pub const ZEGO_TOKEN_STATUS_MALFORMED: i32 = 4;
/// The token cannot be decrypted with this secret (wrong secret or changed token; one
/// opaque reason on purpose). Kind `"decrypt"`.
pub const ZEGO_TOKEN_STATUS_DECRYPT: i32 = 5;
/// The decrypted claims are not a valid claims document. Kind `"invalid_claims"`.
pub const ZEGO_TOKEN_STATUS_INVALID_CLAIMS: i32 = 6;
/// The payload is not a room privilege document. Kind `"invalid_payload"`.
pub const ZEGO_TOKEN_STATUS_INVALID_PAYLOAD: i32 = 7;
/// The token expired. Kind `"expired"`.
pub const ZEGO_TOKEN_STATUS_EXPIRED: i32 = 8;
/// The token's creation time lies in the future. Kind `"not_yet_valid"`.
pub const ZEGO_TOKEN_STATUS_NOT_YET_VALID: i32 = 9;
/// The token is for another app. Kind `"app_id_mismatch"`.
pub const ZEGO_TOKEN_STATUS_APP_ID_MISMATCH: i32 = 10;
/// The token is for another user. Kind `"user_id_mismatch"`.
pub const ZEGO_TOKEN_STATUS_USER_ID_MISMATCH: i32 = 11;
/// The token does not pin the expected room. Kind `"room_mismatch"`.
pub const ZEGO_TOKEN_STATUS_ROOM_MISMATCH: i32 = 12;
/// The token lacks a required privilege. Kind `"privilege_missing"`.
pub const ZEGO_TOKEN_STATUS_PRIVILEGE_MISSING: i32 = 13;
/// The token's stream list lacks the expected stream. Kind `"stream_not_allowed"`.
pub const ZEGO_TOKEN_STATUS_STREAM_NOT_ALLOWED: i32 = 14;
/// A reason newer than this ABI version: read the error's `kind`.
pub const ZEGO_TOKEN_STATUS_OTHER: i32 = 98;
/// A bug inside the library (a caught panic). Kind `"internal"`.
pub const ZEGO_TOKEN_STATUS_INTERNAL: i32 = 99;

/// Cipher mode AES-256-CBC (legacy); the value of the token's mode byte.
pub const ZEGO_TOKEN_MODE_CBC: u32 = 0;
/// Cipher mode AES-256-GCM (the default and recommended mode); the value of the mode byte.
pub const ZEGO_TOKEN_MODE_GCM: u32 = 1;

/// The decoded payload is empty (a basic token).
pub const ZEGO_TOKEN_PAYLOAD_EMPTY: u32 = 0;
/// The decoded payload is a room privilege document (`room` is set).
pub const ZEGO_TOKEN_PAYLOAD_ROOM: u32 = 1;
/// The decoded payload is other text (not a room privilege document).
pub const ZEGO_TOKEN_PAYLOAD_OTHER: u32 = 2;

/// A text with its length: UTF-8, not necessarily NUL-terminated when the caller passes
/// it; NUL-terminated (after `len` bytes) when the library returns it.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct ZegoTokenStr {
    /// The first byte; NULL for "not given" (see each use).
    pub ptr: *const c_char,
    /// The length in bytes, without any NUL terminator.
    pub len: usize,
}

impl ZegoTokenStr {
    pub(crate) const NONE: Self = Self {
        ptr: std::ptr::null(),
        len: 0,
    };
}

/// Why a call failed. Allocated by the library, freed with `zego_token_error_free`.
/// Every string is NUL-terminated, owned by this struct, and never contains the secret.
#[repr(C)]
#[derive(Debug)]
pub struct ZegoTokenError {
    /// The status the call returned (`ZEGO_TOKEN_STATUS_*`).
    pub status: i32,
    /// The official generators' code for an input error: 1 app_id, 3 user_id, 5 secret,
    /// 6 effective time; 0 when none applies.
    pub official_code: u32,
    /// The error code ZEGO's RTC (Express) SDKs report for this reason (e.g. 1002078,
    /// token expired); 0 when none applies.
    pub zego_code: u32,
    /// The error code ZEGO's ZIM SDKs report (e.g. 6000106); 0 when none applies.
    pub zim_code: u32,
    /// A stable machine-readable reason, e.g. `"expired"`, `"invalid_input"`.
    pub kind: *const c_char,
    /// For `"invalid_input"`: the input at fault (`"app_id"`, `"user_id"`, `"secret"`,
    /// `"effective_time_in_seconds"`, `"payload"`, `"room_id"`, `"stream_id"`, ...);
    /// for `"invalid_argument"`: the argument's name; NULL otherwise.
    pub field: *const c_char,
    /// What is wrong and what was expected, as a sentence.
    pub message: *const c_char,
    /// What to do about it, as a sentence.
    pub advice: *const c_char,
}

/// One SDK-rule warning: the token works as a token04, but a ZEGO SDK will refuse or
/// mistreat it (e.g. a user ID with characters the SDK does not accept). Owned by the
/// struct that holds it.
#[repr(C)]
#[derive(Debug)]
pub struct ZegoTokenWarning {
    /// The stable rule id, e.g. `"user_id_charset"`, `"ttl_too_short"`.
    pub rule: *const c_char,
    /// The client the rule is of: `"rtc"` (Express SDKs), `"zim"` (in-app chat),
    /// `"kit"` (the prebuilt UIKits), or `"token"` for advice about the token itself.
    pub product: *const c_char,
    /// The SDK error code the client will see; 0 when none.
    pub code: u32,
    /// A sentence saying what will go wrong.
    pub message: *const c_char,
    /// 1 when the token is unusable for that client (it refuses it, or it cannot be
    /// renewed in time), 0 for a caveat. (Appended in ABI 1, after the first header.)
    pub blocking: u8,
}

/// A generated token and the values chosen for it. Allocated by the library, freed with
/// `zego_token_generated_free`.
#[repr(C)]
#[derive(Debug)]
pub struct ZegoTokenGenerated {
    /// The token text (`"04"` + base64), NUL-terminated.
    pub token: ZegoTokenStr,
    /// Creation time, Unix seconds.
    pub ctime: i64,
    /// Expiry time, Unix seconds.
    pub expire: i64,
    /// The random claims nonce.
    pub nonce: i32,
    /// `ZEGO_TOKEN_MODE_GCM` or `ZEGO_TOKEN_MODE_CBC`.
    pub mode: u32,
    /// SDK-rule warnings about the claims (`warning_count` entries; NULL when none).
    pub warnings: *const ZegoTokenWarning,
    /// The number of warnings.
    pub warning_count: usize,
}

/// The room privilege payload of a decoded token. Owned by its `ZegoTokenDecoded`.
#[repr(C)]
#[derive(Debug)]
pub struct ZegoTokenRoom {
    /// The only room the token may log in to.
    pub room_id: ZegoTokenStr,
    /// 1 when the login privilege is granted, else 0.
    pub can_login: u8,
    /// 1 when the publish privilege is granted, else 0.
    pub can_publish: u8,
    /// 1 when the payload carries a stream list (even an empty one), 0 for `null`/absent.
    pub has_stream_list: u8,
    /// The streams the user may publish (`stream_count` entries; empty list or none
    /// means any stream).
    pub stream_ids: *const ZegoTokenStr,
    /// The number of stream IDs.
    pub stream_count: usize,
}

/// A token decrypted with its secret. Allocated by the library, freed with
/// `zego_token_decoded_free`.
#[repr(C)]
#[derive(Debug)]
pub struct ZegoTokenDecoded {
    /// The app the token is for.
    pub app_id: u32,
    /// `ZEGO_TOKEN_MODE_GCM` or `ZEGO_TOKEN_MODE_CBC`.
    pub mode: u32,
    /// The claims nonce (signed 32-bit in every official generator).
    pub nonce: i64,
    /// Creation time, Unix seconds.
    pub ctime: i64,
    /// Expiry time, Unix seconds.
    pub expire: i64,
    /// The unauthenticated copy of expire in the header (equal to `expire` for every
    /// conforming generator).
    pub header_expire: i64,
    /// The user the token is for (may contain NUL bytes: use `len`).
    pub user_id: ZegoTokenStr,
    /// The payload text, `""` for a basic token (may contain NUL bytes: use `len`).
    pub payload: ZegoTokenStr,
    /// The IV (CBC, 16 bytes) or nonce (GCM, 12 bytes).
    pub iv: *const u8,
    /// The IV length.
    pub iv_len: usize,
    /// `ZEGO_TOKEN_PAYLOAD_EMPTY`, `_ROOM` or `_OTHER`.
    pub payload_kind: u32,
    /// The room privileges when `payload_kind` is `ZEGO_TOKEN_PAYLOAD_ROOM`, else NULL.
    pub room: *const ZegoTokenRoom,
    /// Everything worth saying about the token (`warning_count` entries; NULL when
    /// none): the client rules its claims break, and notes on the token itself
    /// (product `"token"`: legacy CBC, a weak GCM nonce, a header that disagrees with
    /// the claims, ...), judged at the system clock (decode) or the validation's time
    /// (verify).
    pub warnings: *const ZegoTokenWarning,
    /// The number of warnings.
    pub warning_count: usize,
}

/// A token's header, read without the secret: nothing in it is authenticated. Filled
/// by `zego_token_inspect` into storage the caller owns (nothing to free).
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct ZegoTokenHeader {
    /// The header's copy of expire (Unix seconds). Unauthenticated.
    pub expire: i64,
    /// The ciphertext length in bytes (GCM: including the 16-byte tag).
    pub ciphertext_len: usize,
    /// `ZEGO_TOKEN_MODE_GCM` or `ZEGO_TOKEN_MODE_CBC`.
    pub mode: u32,
    /// 1 when the body ends with an explicit mode byte (always for GCM), else 0.
    pub has_mode_byte: u8,
    /// The IV length (16 for CBC, 12 for GCM).
    pub iv_len: u8,
    /// The IV (CBC) or nonce (GCM) bytes; the first `iv_len` are meaningful.
    pub iv: [u8; 16],
}

/// What `zego_token_verify` expects of a token. Filled by the caller; start with
/// `zego_token_validation_init`, which sets the library's defaults.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct ZegoTokenValidation {
    /// The app the token must be for.
    pub app_id: u32,
    /// Tolerance for clock differences, in seconds, applied to expire and to a creation
    /// time in the future.
    pub leeway_seconds: u32,
    /// The user the token must be for; `ptr` NULL: any user.
    pub user_id: ZegoTokenStr,
    /// The room a privilege token must pin, with the login privilege; `ptr` NULL: none.
    pub room_id: ZegoTokenStr,
    /// A stream the token must let the user publish (implies `require_publish`); `ptr`
    /// NULL: none.
    pub stream_id: ZegoTokenStr,
    /// Non-zero: the token must grant the publish privilege.
    pub require_publish: u8,
    /// Non-zero: judge times at `now` instead of the system clock.
    pub use_fixed_now: u8,
    /// The time to judge at (Unix seconds) when `use_fixed_now` is non-zero.
    pub now: i64,
}
