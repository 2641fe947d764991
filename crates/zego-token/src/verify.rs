//! Decoding with the secret, and verification against expectations.

use std::sync::Arc;
use std::time::Duration;

use crate::cipher::{CipherMode, open};
use crate::claims::{TokenClaims, parse_claims};
use crate::clock::{Clock, SystemClock};
use crate::envelope::UntrustedEnvelope;
use crate::error::{Error, InvalidClaims, Privilege};
use crate::secret::ServerSecret;

/// A token decrypted with its secret.
///
/// For GCM tokens the claims are authenticated: only a holder of the secret could have
/// made them. For CBC tokens they are merely decrypted; CBC has no integrity protection.
/// Nothing about expiry, app or user has been checked: that is [`verify`]'s job.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    /// The six claims.
    pub claims: TokenClaims,
    /// The cipher mode.
    pub mode: CipherMode,
    /// The IV (CBC) or nonce (GCM) bytes.
    pub iv: Vec<u8>,
    /// The unauthenticated copy of `expire` in the header. Equal to `claims.expire` for
    /// every conforming generator.
    pub header_expire: i64,
}

/// Decrypts a token with `secret` and returns its claims, without judging them.
///
/// # Errors
///
/// * [`Error::Malformed`]: not a token04;
/// * [`Error::Decrypt`]: not made with this secret, or changed;
/// * [`Error::InvalidClaims`]: a GCM token whose authenticated plaintext is not a claims
///   document (for CBC this is [`Error::Decrypt`], to avoid a padding oracle).
pub fn decode(token: &str, secret: &ServerSecret) -> Result<Decoded, Error> {
    let env = UntrustedEnvelope::parse(token)?;
    decode_envelope(&env, secret)
}

/// [`decode`] for an envelope already parsed.
///
/// # Errors
///
/// As [`decode`], without [`Error::Malformed`].
pub fn decode_envelope(env: &UntrustedEnvelope, secret: &ServerSecret) -> Result<Decoded, Error> {
    let plaintext = open(secret, env.mode(), env.iv(), env.ciphertext())?;
    let claims = parse_claims(&plaintext).map_err(|e| match env.mode() {
        CipherMode::Gcm => Error::InvalidClaims(e),
        CipherMode::Cbc => Error::Decrypt,
    })?;
    Ok(Decoded {
        claims,
        mode: env.mode(),
        iv: env.iv().to_vec(),
        header_expire: env.untrusted_expire(),
    })
}

/// The default clock tolerance of [`Validation`]: 5 seconds.
///
/// Real clocks disagree by a second or two even with NTP, and the official .NET generator
/// rounds `ctime` to the nearest second, so a fresh token from it can be up to a second
/// "in the future". A few seconds of leeway absorbs both without extending a token's
/// life in any way that matters.
pub const DEFAULT_LEEWAY: Duration = Duration::from_secs(5);

/// What [`verify`] expects of a token.
///
/// ```
/// use std::time::Duration;
/// use zego_token::Validation;
///
/// let v = Validation::new(1234567890)
///     .user_id("user-42")
///     .room_id("room-1")
///     .leeway(Duration::from_secs(30));
/// assert_eq!(v.app_id, 1234567890);
/// ```
#[derive(Debug, Clone)]
pub struct Validation {
    /// The app the token must be for. Required.
    pub app_id: u32,
    /// The user the token must be for. Default: any.
    pub user_id: Option<String>,
    /// The room a privilege token must pin, with the login privilege. Default: none
    /// expected (a basic token passes; a privilege token passes for any room).
    pub room_id: Option<String>,
    /// Whether the token must grant the publish privilege. Default: `false`.
    pub require_publish: bool,
    /// A stream the token must let the user publish (implies `require_publish`).
    /// Default: none.
    pub stream_id: Option<String>,
    /// Tolerance for clock differences, applied to `expire` and to a `ctime` in the
    /// future. Default: [`DEFAULT_LEEWAY`] (5 s).
    pub leeway: Duration,
    /// The clock that says what time it is. Default: [`SystemClock`].
    pub clock: Arc<dyn Clock>,
}

impl Validation {
    /// Expects a token for `app_id`, valid now, with no other expectation.
    #[must_use]
    pub fn new(app_id: u32) -> Self {
        Self {
            app_id,
            user_id: None,
            room_id: None,
            require_publish: false,
            stream_id: None,
            leeway: DEFAULT_LEEWAY,
            clock: Arc::new(SystemClock),
        }
    }

    /// Expects this user.
    #[must_use]
    pub fn user_id(mut self, user_id: impl Into<String>) -> Self {
        self.user_id = Some(user_id.into());
        self
    }

    /// Expects a privilege token for this room, granting login.
    #[must_use]
    pub fn room_id(mut self, room_id: impl Into<String>) -> Self {
        self.room_id = Some(room_id.into());
        self
    }

    /// Expects the publish privilege.
    #[must_use]
    pub fn require_publish(mut self) -> Self {
        self.require_publish = true;
        self
    }

    /// Expects the token to allow publishing this stream.
    #[must_use]
    pub fn stream_id(mut self, stream_id: impl Into<String>) -> Self {
        self.stream_id = Some(stream_id.into());
        self
    }

    /// Sets the clock tolerance.
    #[must_use]
    pub fn leeway(mut self, leeway: Duration) -> Self {
        self.leeway = leeway;
        self
    }

    /// Sets the clock.
    #[must_use]
    pub fn clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }
}

/// Decrypts a token and checks it as ZEGO's server would: app, user, expiry, room and
/// privileges. Returns the decoded token when every expectation holds.
///
/// Checks run in this order, and the first failure is returned: format, decryption,
/// header/claims expire agreement, app_id, user_id, expiry, creation time, room, login,
/// publish, stream.
///
/// # Errors
///
/// [`Error::InvalidInput`] when an expectation of `v` is empty (a usage error); every
/// other variant for the token; each of those maps to the ZEGO error code
/// the SDK reports ([`Error::zego_code`], [`Error::zim_code`]).
pub fn verify(token: &str, secret: &ServerSecret, v: &Validation) -> Result<Decoded, Error> {
    let decoded = decode(token, secret)?;
    check(&decoded, v)?;
    Ok(decoded)
}

/// Applies a [`Validation`] to a token already decoded.
///
/// # Errors
///
/// As [`verify`], for the checks after decryption.
pub fn check(decoded: &Decoded, v: &Validation) -> Result<(), Error> {
    let c = &decoded.claims;
    // An empty expectation is a caller's mistake, not a match for a token with an empty
    // user_id (which no SDK can log in with).
    for (field, value) in [
        (crate::Field::UserId, v.user_id.as_deref()),
        (crate::Field::RoomId, v.room_id.as_deref()),
        (crate::Field::StreamId, v.stream_id.as_deref()),
    ] {
        if value == Some("") {
            return Err(Error::input(
                field,
                format!(
                    "the expected {} is empty; give a value or leave the expectation out",
                    field.name()
                ),
            ));
        }
    }
    // The header's expire is not covered by the GCM tag: a token whose header disagrees
    // with its claims was changed after it was made (or made by a broken generator).
    if decoded.header_expire != c.expire {
        return Err(Error::InvalidClaims(InvalidClaims {
            member: Some("expire"),
            message: format!(
                "the header's expire {} differs from the claims' expire {}",
                decoded.header_expire, c.expire
            ),
        }));
    }
    if c.app_id != v.app_id {
        return Err(Error::AppIdMismatch {
            expected: v.app_id,
            found: c.app_id,
        });
    }
    if let Some(user) = &v.user_id
        && *user != c.user_id
    {
        return Err(Error::UserIdMismatch {
            expected: user.clone(),
            found: c.user_id.clone(),
        });
    }
    let now = v.clock.now();
    let leeway = i64::try_from(v.leeway.as_secs()).unwrap_or(i64::MAX);
    if c.expire.saturating_add(leeway) <= now {
        return Err(Error::Expired {
            expired_at: c.expire,
            now,
        });
    }
    if c.ctime > now.saturating_add(leeway) {
        return Err(Error::NotYetValid {
            ctime: c.ctime,
            now,
        });
    }
    let wants_publish = v.require_publish || v.stream_id.is_some();
    if v.room_id.is_none() && !wants_publish {
        return Ok(());
    }
    let room = c.room_privileges()?;
    if let Some(expected) = &v.room_id {
        let Some(room) = &room else {
            return Err(Error::RoomMismatch {
                expected: expected.clone(),
                found: None,
            });
        };
        if room.room_id() != expected {
            return Err(Error::RoomMismatch {
                expected: expected.clone(),
                found: Some(room.room_id().to_owned()),
            });
        }
        if !room.can_login() {
            return Err(Error::PrivilegeMissing(Privilege::Login));
        }
    }
    if wants_publish {
        let room = room
            .as_ref()
            .filter(|r| r.can_publish())
            .ok_or(Error::PrivilegeMissing(Privilege::Publish))?;
        if let Some(stream) = &v.stream_id
            && !room.stream_restriction_allows(stream)
        {
            return Err(Error::StreamNotAllowed {
                stream_id: stream.clone(),
            });
        }
    }
    Ok(())
}
