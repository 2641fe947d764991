//! Why a call failed, and its conversion to the C [`ZegoTokenError`].

use std::borrow::Cow;
use std::ffi::c_char;
use std::ptr;

use crate::alloc;
use crate::types::*;

/// A failed call: an error of the core, or a fault of the call itself that the core
/// never sees (NULL pointers, invalid UTF-8, unknown modes), or a caught panic.
#[derive(Debug)]
pub(crate) enum Failure {
    Core(zego_token::Error),
    Local(Local),
    Panic,
}

/// A failure found at the boundary, with the same information a core error carries.
#[derive(Debug)]
pub(crate) struct Local {
    status: i32,
    kind: &'static str,
    field: Option<&'static str>,
    official_code: u32,
    zego_code: u32,
    zim_code: u32,
    message: String,
    advice: &'static str,
}

const FIX_CALL: &str = "Fix the call: see the function's documentation in zego_token.h.";

impl From<zego_token::Error> for Failure {
    fn from(e: zego_token::Error) -> Self {
        Self::Core(e)
    }
}

impl Failure {
    /// A required pointer argument is NULL.
    pub(crate) fn null(arg: &'static str) -> Self {
        Self::argument(
            arg,
            format!("the argument {arg} is NULL; a valid pointer is required"),
        )
    }

    /// A text argument is NULL but has a length.
    pub(crate) fn null_text(arg: &'static str, len: usize) -> Self {
        Self::argument(
            arg,
            format!(
                "the argument {arg} is NULL but its length is {len}; pass NULL only with length 0"
            ),
        )
    }

    /// Any other misuse of an argument.
    pub(crate) fn argument(arg: &'static str, message: String) -> Self {
        Self::Local(Local {
            status: ZEGO_TOKEN_STATUS_INVALID_ARGUMENT,
            kind: "invalid_argument",
            field: Some(arg),
            official_code: 0,
            zego_code: 0,
            zim_code: 0,
            message,
            advice: FIX_CALL,
        })
    }

    /// A generator input is not UTF-8 (or, for the secret, not text).
    pub(crate) fn not_utf8(
        field: &'static str,
        official_code: u32,
        e: std::str::Utf8Error,
    ) -> Self {
        Self::Local(Local {
            status: ZEGO_TOKEN_STATUS_INVALID_INPUT,
            kind: "invalid_input",
            field: Some(field),
            official_code,
            zego_code: 0,
            zim_code: 0,
            message: format!(
                "invalid {field}: it is not valid UTF-8 (invalid byte at offset {}); pass UTF-8 text",
                e.valid_up_to()
            ),
            advice: "Correct the named input and generate again.",
        })
    }

    /// A negative lifetime (the core's `Duration` cannot carry one).
    pub(crate) fn negative_lifetime(secs: i64) -> Self {
        Self::Local(Local {
            status: ZEGO_TOKEN_STATUS_INVALID_INPUT,
            kind: "invalid_input",
            field: Some("effective_time_in_seconds"),
            official_code: 6,
            zego_code: 0,
            zim_code: 0,
            message: format!(
                "invalid effective_time_in_seconds: the lifetime is {secs} s; it must be more than 0 seconds"
            ),
            advice: "Correct the named input and generate again.",
        })
    }

    /// A token text that is not UTF-8: never a token04 (the core's codes for a
    /// malformed token).
    pub(crate) fn token_not_utf8(e: std::str::Utf8Error) -> Self {
        Self::Local(Local {
            status: ZEGO_TOKEN_STATUS_MALFORMED,
            kind: "malformed",
            field: None,
            official_code: 0,
            zego_code: 1_002_075,
            zim_code: 6_000_103,
            message: format!(
                "malformed token: the text is not valid UTF-8 (invalid byte at offset {}); a token04 is ASCII",
                e.valid_up_to()
            ),
            advice: "Copy the whole token again, without quotes, spaces or line breaks, or generate a new one.",
        })
    }

    /// The status code a call returns for this failure.
    pub(crate) fn status(&self) -> i32 {
        match self {
            Self::Core(e) => status_of_kind(e.kind()),
            Self::Local(l) => l.status,
            Self::Panic => ZEGO_TOKEN_STATUS_INTERNAL,
        }
    }

    /// Converts to a heap-allocated C error (freed by `zego_token_error_free`).
    pub(crate) fn into_raw(self) -> *mut ZegoTokenError {
        let status = self.status();
        let (kind, field, official, zego, zim, message, advice): (
            &str,
            Option<&str>,
            u32,
            u32,
            u32,
            Cow<'_, str>,
            &str,
        ) = match &self {
            Self::Core(e) => (
                e.kind(),
                match e {
                    zego_token::Error::InvalidInput(i) => Some(i.field().name()),
                    _ => None,
                },
                e.official_code().unwrap_or(0),
                e.zego_code().unwrap_or(0),
                e.zim_code().unwrap_or(0),
                Cow::Owned(e.to_string()),
                e.advice(),
            ),
            Self::Local(l) => (
                l.kind,
                l.field,
                l.official_code,
                l.zego_code,
                l.zim_code,
                Cow::Borrowed(l.message.as_str()),
                l.advice,
            ),
            Self::Panic => (
                "internal",
                None,
                0,
                0,
                0,
                Cow::Borrowed("internal error in zego-token (a bug); the call had no effect"),
                "Report this as a bug in zego-token, with the call that caused it.",
            ),
        };
        let text = |s: &str| -> *const c_char { alloc::string(s.as_bytes()) };
        Box::into_raw(Box::new(ZegoTokenError {
            status,
            official_code: official,
            zego_code: zego,
            zim_code: zim,
            kind: text(kind),
            field: field.map_or(ptr::null(), text),
            message: text(&message),
            advice: text(advice),
        }))
    }
}

/// The status for a core error's stable kind.
fn status_of_kind(kind: &str) -> i32 {
    match kind {
        "invalid_input" => ZEGO_TOKEN_STATUS_INVALID_INPUT,
        "wrong_version" => ZEGO_TOKEN_STATUS_WRONG_VERSION,
        "malformed" => ZEGO_TOKEN_STATUS_MALFORMED,
        "decrypt" => ZEGO_TOKEN_STATUS_DECRYPT,
        "invalid_claims" => ZEGO_TOKEN_STATUS_INVALID_CLAIMS,
        "invalid_payload" => ZEGO_TOKEN_STATUS_INVALID_PAYLOAD,
        "expired" => ZEGO_TOKEN_STATUS_EXPIRED,
        "not_yet_valid" => ZEGO_TOKEN_STATUS_NOT_YET_VALID,
        "app_id_mismatch" => ZEGO_TOKEN_STATUS_APP_ID_MISMATCH,
        "user_id_mismatch" => ZEGO_TOKEN_STATUS_USER_ID_MISMATCH,
        "room_mismatch" => ZEGO_TOKEN_STATUS_ROOM_MISMATCH,
        "privilege_missing" => ZEGO_TOKEN_STATUS_PRIVILEGE_MISSING,
        "stream_not_allowed" => ZEGO_TOKEN_STATUS_STREAM_NOT_ALLOWED,
        _ => ZEGO_TOKEN_STATUS_OTHER,
    }
}

/// A secret whose bytes are not UTF-8 text (the drop-in call takes the secret as text).
pub(crate) fn secret_not_text() -> Local {
    Local {
        status: ZEGO_TOKEN_STATUS_INVALID_INPUT,
        kind: "invalid_input",
        field: Some("secret"),
        official_code: 5,
        zego_code: 0,
        zim_code: 0,
        message: "invalid secret: the ServerSecret is not text; it must be the 32 characters shown in ZEGO's console".into(),
        advice: "Correct the named input and generate again.",
    }
}
