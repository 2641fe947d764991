#![doc = include_str!("../README.md")]
#![deny(missing_docs)]

mod cipher;
mod claims;
mod clock;
pub mod dangerous;
mod envelope;
mod error;
pub mod format;
mod generate;
mod json;
mod kit;
mod privilege;
pub mod sdk;
mod secret;
mod verify;

// public interface
pub use crate::cipher::{CBC_IV_LEN, CipherMode, GCM_NONCE_LEN, GCM_TAG_LEN};
pub use crate::claims::{Claims, Payload, TokenClaims, USER_ID_LIMIT};
pub use crate::clock::{Clock, FixedClock, SystemClock};
pub use crate::envelope::{MAX_TOKEN_LEN, UntrustedEnvelope, VERSION, inspect, normalize_token};
pub use crate::error::{Error, Field, InvalidClaims, InvalidInput, Malformed, Privilege};
pub use crate::generate::{
    GenerateOptions, Generated, MAX_CLAIMS_LEN, generate, generate_token04, generate_with,
};
pub use crate::kit::{KitInfo, decode_kit_info, kit_token, parse_kit_token, validate_kit_ids};
pub use crate::privilege::{
    ROOM_ID_LIMIT, RoomPayload, RoomPrivileges, STREAM_ID_LIMIT, validate_room_id,
    validate_stream_id,
};
pub use crate::secret::{SECRET_LEN, ServerSecret};
pub use crate::verify::{
    DEFAULT_LEEWAY, Decoded, Validation, check, decode, decode_envelope, verify,
};

/// Checks a user id against ZEGO's limits (non-empty, fewer than 64 bytes).
///
/// # Errors
///
/// [`Error::InvalidInput`] for [`Field::UserId`].
pub fn validate_user_id(user_id: &str) -> Result<(), Error> {
    claims::validate_user_id(user_id)
}

#[cfg(doctest)]
#[doc = include_str!("../../../README.md")]
struct WorkspaceReadme;

/// A public demo app, for examples, tests and `--dev` modes.
///
/// These values are published in this repository (and in ZEGO's test vectors): ZEGO's
/// servers refuse tokens made with them. Never configure them for a real app.
pub mod demo {
    /// The demo app id.
    pub const APP_ID: u32 = 1_234_567_890;
    /// The demo ServerSecret.
    pub const SECRET: &str = "fa94dd0f974cf2e293728a526b028271";
}
