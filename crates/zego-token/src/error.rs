//! The one error type of the crate, grouped by who is at fault.

use std::fmt;

/// Everything that can go wrong when generating, decoding or verifying a token.
///
/// Variants are grouped by who is at fault:
///
/// * the caller handed invalid input to a generator: [`Error::InvalidInput`];
/// * the text is not a token04 token at all: [`Error::Malformed`];
/// * the token could not be decrypted and authenticated: [`Error::Decrypt`] (one opaque
///   variant, on purpose, see its docs);
/// * the token decrypted but its contents are not acceptable: [`Error::InvalidClaims`],
///   [`Error::InvalidPayload`] and the rejections of [`verify`](crate::verify).
///
/// No variant ever carries the ServerSecret, key material, or decrypted plaintext.
/// [`Error::zego_code`] and [`Error::zim_code`] give the error code ZEGO's SDKs show
/// when their servers refuse a token for the same reason;
/// [`Error::official_code`] gives the error code the official generators use for input
/// errors.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// An input to a generator breaks a rule (the field and the rule are named).
    InvalidInput(InvalidInput),
    /// The text is not a well-formed token04 token.
    Malformed(Malformed),
    /// The token could not be decrypted with this secret.
    ///
    /// A wrong secret, a tampered ciphertext, a bad CBC padding and (for CBC tokens) a
    /// plaintext that is not a claims document are deliberately indistinguishable:
    /// telling them apart would turn any service that decodes tokens into a padding
    /// oracle for the legacy CBC mode.
    Decrypt,
    /// The claims are not acceptable as a whole: an AES-GCM token authenticated but its
    /// plaintext is not a valid claims document, or (from [`verify`](crate::verify)) the
    /// header's `expire` differs from the claims'.
    ///
    /// An unparsable plaintext is reported this way only for GCM, whose tag proves the
    /// plaintext came from the key holder; for CBC it is [`Error::Decrypt`].
    InvalidClaims(InvalidClaims),
    /// The payload is not a room privilege document (`room_id`, `privilege`,
    /// `stream_id_list`).
    InvalidPayload(String),
    /// The token expired (plus leeway) before the verification time.
    Expired {
        /// The token's `expire` claim, Unix seconds.
        expired_at: i64,
        /// The verification time, Unix seconds.
        now: i64,
    },
    /// The token's creation time lies in the future (beyond the leeway).
    NotYetValid {
        /// The token's `ctime` claim, Unix seconds.
        ctime: i64,
        /// The verification time, Unix seconds.
        now: i64,
    },
    /// The token was made for another app.
    AppIdMismatch {
        /// The app id the verifier expected.
        expected: u32,
        /// The app id in the token.
        found: u32,
    },
    /// The token was made for another user.
    UserIdMismatch {
        /// The user id the verifier expected.
        expected: String,
        /// The user id in the token.
        found: String,
    },
    /// The token does not pin the expected room (or pins none).
    RoomMismatch {
        /// The room the verifier expected.
        expected: String,
        /// The room in the token's privilege payload; `None` for a basic token.
        found: Option<String>,
    },
    /// The token's privilege payload does not grant a required privilege.
    PrivilegeMissing(Privilege),
    /// The token restricts publishing to a stream list that lacks the expected stream.
    StreamNotAllowed {
        /// The stream the verifier expected to be allowed.
        stream_id: String,
    },
}

/// A privilege of the RTC room payload (the keys of its `privilege` object).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Privilege {
    /// Key `"1"`: log in to the room.
    Login,
    /// Key `"2"`: publish streams in the room.
    Publish,
}

impl Privilege {
    /// The key of this privilege in the payload's `privilege` object.
    #[must_use]
    pub const fn key(self) -> &'static str {
        match self {
            Self::Login => "1",
            Self::Publish => "2",
        }
    }
}

impl fmt::Display for Privilege {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Login => "login",
            Self::Publish => "publish",
        })
    }
}

/// The generator input that broke a rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Field {
    /// `app_id`.
    AppId,
    /// `user_id`.
    UserId,
    /// The ServerSecret.
    Secret,
    /// The lifetime (`effective_time_in_seconds`).
    EffectiveTime,
    /// The payload (or the claims as a whole, when they are too large).
    Payload,
    /// The privilege payload's `room_id`.
    RoomId,
    /// A stream ID of the privilege payload.
    StreamId,
}

impl Field {
    /// The name of the field as the official generators spell it.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::AppId => "app_id",
            Self::UserId => "user_id",
            Self::Secret => "secret",
            Self::EffectiveTime => "effective_time_in_seconds",
            Self::Payload => "payload",
            Self::RoomId => "room_id",
            Self::StreamId => "stream_id",
        }
    }
}

/// A generator input that breaks a rule: which field, and what is wrong with it.
///
/// The message never contains the value of the secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidInput {
    field: Field,
    message: String,
}

impl InvalidInput {
    pub(crate) fn new(field: Field, message: impl Into<String>) -> Self {
        Self {
            field,
            message: message.into(),
        }
    }

    /// The field at fault.
    #[must_use]
    pub const fn field(&self) -> Field {
        self.field
    }

    /// What is wrong and what is expected, as a sentence fragment.
    #[must_use]
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for InvalidInput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid {}: {}", self.field.name(), self.message)
    }
}

/// Why a text is not a well-formed token04 token.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Malformed {
    /// The text is empty.
    Empty,
    /// The text does not start with the version `04`.
    Version {
        /// The first two characters, when they are ASCII alphanumerics (e.g. `"03"`).
        found: Option<String>,
    },
    /// The text is longer than any token04 can be.
    TooLong {
        /// Its length in bytes.
        len: usize,
        /// The longest a token04 can be.
        max: usize,
    },
    /// The part after `04` is not standard, padded base64.
    Base64,
    /// The binary body ends before a field it announces.
    Truncated {
        /// The field that is cut short.
        field: &'static str,
    },
    /// The IV length does not fit the cipher mode.
    IvLength {
        /// The mode the body announces.
        mode: crate::CipherMode,
        /// The IV length found.
        found: usize,
    },
    /// The ciphertext length does not fit the cipher mode.
    CiphertextLength {
        /// The mode the body announces.
        mode: crate::CipherMode,
        /// The ciphertext length found.
        found: usize,
    },
    /// The mode byte is neither 0 (CBC) nor 1 (GCM).
    UnknownMode(u8),
    /// More than one byte follows the ciphertext.
    TrailingBytes(usize),
    /// The part of a UIKit kit token after `#` is not base64 of a JSON object.
    KitInfo,
    /// The text is a UIKit kit token (`token04#info`) where a plain token04 was expected.
    KitToken,
    /// The token holds spaces: it was URL- or form-decoded, which turns every `+` into a
    /// space.
    UrlDecoded,
}

impl fmt::Display for Malformed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Empty => f.write_str("the token is empty; expected text starting with \"04\""),
            Self::Version { found: Some(v) } => write!(
                f,
                "the token has version \"{v}\"; only token04 (text starting with \"04\") is supported"
            ),
            Self::Version { found: None } => {
                f.write_str("the token does not start with \"04\", the token04 version prefix")
            }
            Self::TooLong { len, max } => write!(
                f,
                "the token is {len} bytes long; a token04 is at most {max} bytes"
            ),
            Self::Base64 => f.write_str(
                "the text after \"04\" is not standard base64 with '=' padding (was the token cut or changed when copied?)",
            ),
            Self::Truncated { field } => write!(
                f,
                "the token's binary body ends inside its {field} field (the token was cut short)"
            ),
            Self::IvLength { mode, found } => write!(
                f,
                "the token's IV is {found} bytes long; {mode} needs {}",
                mode.iv_len()
            ),
            Self::CiphertextLength { mode, found } => match mode {
                crate::CipherMode::Cbc => write!(
                    f,
                    "the token's ciphertext is {found} bytes long; AES-CBC needs a non-zero multiple of 16"
                ),
                crate::CipherMode::Gcm => write!(
                    f,
                    "the token's ciphertext is {found} bytes long; AES-GCM needs at least the 16-byte tag"
                ),
            },
            Self::UnknownMode(b) => write!(
                f,
                "the token's mode byte is {b}; expected 0 (AES-CBC) or 1 (AES-GCM)"
            ),
            Self::TrailingBytes(n) => write!(
                f,
                "{n} bytes follow the ciphertext; a token04 has at most one (the mode byte)"
            ),
            Self::KitInfo => f.write_str(
                "the part of the kit token after '#' is not base64 of a JSON object with userID, roomID, userName and appID",
            ),
            Self::KitToken => f.write_str(
                "this is a UIKit kit token (token04#info): pass the part before '#', or read it as a kit token",
            ),
            Self::UrlDecoded => f.write_str(
                "the token contains spaces where '+' was: it was URL-decoded (in a URL query or form a '+' becomes a space); send it in a JSON body or percent-encoded, or put the '+' back",
            ),
        }
    }
}

/// The claim member of a decrypted token that is missing or has the wrong type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidClaims {
    pub(crate) member: Option<&'static str>,
    pub(crate) message: String,
}

impl InvalidClaims {
    /// The claim at fault (`app_id`, `user_id`, `nonce`, `ctime`, `expire`, `payload`),
    /// or `None` when the plaintext is not a JSON object at all.
    #[must_use]
    pub const fn member(&self) -> Option<&'static str> {
        self.member
    }
}

impl fmt::Display for InvalidClaims {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::InvalidInput(e) => e.fmt(f),
            Self::Malformed(e) => write!(f, "malformed token: {e}"),
            Self::Decrypt => f.write_str(
                "the token cannot be decrypted with this ServerSecret, or it decrypts to something that is not a token's claims: it belongs to another app or secret, it was changed, or (CBC) its generator wrote broken claims",
            ),
            Self::InvalidClaims(e) => write!(f, "the token's claims are invalid: {e}"),
            Self::InvalidPayload(e) => write!(
                f,
                "the payload is not a room privilege document: {e}"
            ),
            Self::Expired { expired_at, now } => write!(
                f,
                "the token expired at {expired_at} (Unix time), {} s before {now}",
                now.saturating_sub(*expired_at)
            ),
            Self::NotYetValid { ctime, now } => write!(
                f,
                "the token was created at {ctime} (Unix time), {} s after {now}: the clock of the machine that made it is ahead",
                ctime.saturating_sub(*now)
            ),
            Self::AppIdMismatch { expected, found } => write!(
                f,
                "the token is for app_id {found}, not {expected}"
            ),
            Self::UserIdMismatch { expected, found } => write!(
                f,
                "the token is for user_id {found:?}, not {expected:?}"
            ),
            Self::RoomMismatch {
                expected,
                found: Some(found),
            } => write!(f, "the token is for room {found:?}, not {expected:?}"),
            Self::RoomMismatch {
                expected,
                found: None,
            } => write!(
                f,
                "the token is a basic token: it carries no room restriction, so it does not pin room {expected:?} (ZEGO accepts it for any room unless room privilege checks are switched on for the app)"
            ),
            Self::PrivilegeMissing(p) => {
                write!(f, "the token does not grant the {p} privilege")
            }
            Self::StreamNotAllowed { stream_id } => write!(
                f,
                "the token's stream list does not include stream {stream_id:?}"
            ),
        }
    }
}

impl std::error::Error for Error {}

impl Error {
    /// A stable machine-readable name for the reason, for JSON output, logs and metrics:
    /// `invalid_input`, `wrong_version`, `malformed`, `decrypt`, `invalid_claims`,
    /// `invalid_payload`, `expired`, `not_yet_valid`, `app_id_mismatch`,
    /// `user_id_mismatch`, `room_mismatch`, `privilege_missing`, `stream_not_allowed`.
    #[must_use]
    pub const fn kind(&self) -> &'static str {
        match self {
            Self::InvalidInput(_) => "invalid_input",
            Self::Malformed(Malformed::Version { .. }) => "wrong_version",
            Self::Malformed(_) => "malformed",
            Self::Decrypt => "decrypt",
            Self::InvalidClaims(_) => "invalid_claims",
            Self::InvalidPayload(_) => "invalid_payload",
            Self::Expired { .. } => "expired",
            Self::NotYetValid { .. } => "not_yet_valid",
            Self::AppIdMismatch { .. } => "app_id_mismatch",
            Self::UserIdMismatch { .. } => "user_id_mismatch",
            Self::RoomMismatch { .. } => "room_mismatch",
            Self::PrivilegeMissing(_) => "privilege_missing",
            Self::StreamNotAllowed { .. } => "stream_not_allowed",
        }
    }

    /// The error code of the official generators for this input error: 1 (app_id),
    /// 3 (user_id), 5 (secret), 6 (effective time). `None` for other errors, and for
    /// input rules the official generators do not check.
    #[must_use]
    pub fn official_code(&self) -> Option<u32> {
        match self {
            Self::InvalidInput(e) => match e.field {
                Field::AppId => Some(1),
                Field::UserId => Some(3),
                Field::Secret => Some(5),
                Field::EffectiveTime => Some(6),
                _ => None,
            },
            _ => None,
        }
    }

    /// The error code ZEGO's RTC (Express) SDKs report when ZEGO's server refuses a token
    /// for this reason, where one exists.
    ///
    /// | code | meaning |
    /// |---|---|
    /// | 1002033 | room login failed: token wrong (cannot be decrypted, wrong room, no login privilege) |
    /// | 1002075 | token format error |
    /// | 1002076 | app_id differs from the SDK's appID |
    /// | 1002077 | user_id differs from the login userID |
    /// | 1002078 | token expired |
    /// | 1002079 | wrong token version |
    /// | 1002080 | nonce has the wrong type |
    /// | 1003072 | publishing refused (publish privilege or stream ID) |
    #[must_use]
    pub fn zego_code(&self) -> Option<u32> {
        match self {
            Self::InvalidInput(_) | Self::NotYetValid { .. } => None,
            Self::Malformed(Malformed::Version { .. }) => Some(1_002_079),
            Self::Malformed(_) | Self::InvalidPayload(_) => Some(1_002_075),
            Self::Decrypt
            | Self::RoomMismatch { .. }
            | Self::PrivilegeMissing(Privilege::Login) => Some(1_002_033),
            Self::InvalidClaims(e) => Some(match e.member {
                Some("app_id") => 1_002_076,
                Some("user_id") => 1_002_077,
                // Only `verify`'s header/claims disagreement names `expire`: a changed
                // or broken token, not an expired one.
                Some("expire") => 1_002_075,
                Some("nonce") => 1_002_080,
                _ => 1_002_075,
            }),
            Self::Expired { .. } => Some(1_002_078),
            Self::AppIdMismatch { .. } => Some(1_002_076),
            Self::UserIdMismatch { .. } => Some(1_002_077),
            Self::PrivilegeMissing(Privilege::Publish) | Self::StreamNotAllowed { .. } => {
                Some(1_003_072)
            }
        }
    }

    /// The error code ZEGO's in-app chat (ZIM) SDKs report for this reason: 6000106
    /// (expired), 6000107 (version), 6000103 (any other invalid token).
    #[must_use]
    pub fn zim_code(&self) -> Option<u32> {
        match self {
            Self::InvalidInput(_)
            | Self::NotYetValid { .. }
            | Self::InvalidPayload(_)
            | Self::RoomMismatch { .. }
            | Self::PrivilegeMissing(_)
            | Self::StreamNotAllowed { .. } => None,
            Self::Malformed(Malformed::Version { .. }) => Some(6_000_107),
            Self::Expired { .. } => Some(6_000_106),
            Self::Malformed(_)
            | Self::Decrypt
            | Self::InvalidClaims(_)
            | Self::AppIdMismatch { .. }
            | Self::UserIdMismatch { .. } => Some(6_000_103),
        }
    }

    /// A sentence a person can act on to fix the problem.
    #[must_use]
    pub fn advice(&self) -> &'static str {
        match self {
            Self::InvalidInput(_) => "Correct the named input and generate again.",
            Self::Malformed(Malformed::Version { .. }) => {
                "Pass a token04 token: generate a new one with this tool or an official token04 generator."
            }
            Self::Malformed(_) => {
                "Copy the whole token again, without quotes, spaces or line breaks, or generate a new one."
            }
            Self::Decrypt => {
                "Use the ServerSecret of the app that made the token (ZEGO console, project settings); if it is the right one, the token was changed or its generator is broken: generate a new token."
            }
            Self::InvalidClaims(_) => {
                "The generator that made this token is broken: generate a new token with a conforming generator."
            }
            Self::InvalidPayload(_) => {
                "Build the payload as {\"room_id\":…,\"privilege\":{\"1\":1,\"2\":0},\"stream_id_list\":…}, or generate a privilege token with a room."
            }
            Self::Expired { .. } => {
                "Fetch a new token before this one expires (renew on the SDK's token-will-expire callback) and check the server clock."
            }
            Self::NotYetValid { .. } => {
                "Synchronise the clock of the machine that generates tokens (NTP)."
            }
            Self::AppIdMismatch { .. } => {
                "Generate the token with the app_id the SDK is initialised with."
            }
            Self::UserIdMismatch { .. } => {
                "Generate the token for the exact userID the client logs in with."
            }
            Self::RoomMismatch { found: None, .. } => {
                "A basic token carries no room restriction: ZEGO accepts it for any room unless room privilege checks are switched on for the app (then the login fails with 1002033). Generate a privilege token for the room if that check is on or you want it pinned."
            }
            Self::RoomMismatch { .. } => {
                "Generate a privilege token for the room the client logs in to."
            }
            Self::PrivilegeMissing(Privilege::Login) => {
                "Generate the token with the login privilege (\"1\":1)."
            }
            Self::PrivilegeMissing(Privilege::Publish) => {
                "Generate the token with the publish privilege (\"2\":1) if this user may publish."
            }
            Self::StreamNotAllowed { .. } => {
                "Add the stream ID to the token's stream list, or leave the list empty to allow any stream."
            }
        }
    }

    pub(crate) fn input(field: Field, message: impl Into<String>) -> Self {
        Self::InvalidInput(InvalidInput::new(field, message))
    }
}

impl From<Malformed> for Error {
    fn from(e: Malformed) -> Self {
        Self::Malformed(e)
    }
}
