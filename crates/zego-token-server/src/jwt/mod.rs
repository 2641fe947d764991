//! Caller authentication with the app's own login JWTs (HS256, RS256, ES256).
//!
//! CONTRACT (shared between the config/auth code and this module; keep these
//! signatures): the config layer builds a [`JwtConfig`] per trusted issuer (secrets
//! already read from env/files), [`JwtVerifier::new`] prepares it (loading a JWKS file or
//! fetching a JWKS URL), and [`JwtVerifier::verify`] checks a bearer token and returns
//! the [`JwtIdentity`] the policy layer uses.
//!
//! # What is checked, in order
//!
//! 1. Shape: three base64url parts, at most [`MAX_JWT_LEN`] bytes, a JSON header
//!    without `crit`.
//! 2. Algorithm: HS256 for a shared secret; RS256 or ES256 for a JWKS, and only the one
//!    that fits the chosen key. `none`, the other algorithms and algorithm confusion
//!    (an HS256 token "signed" with an RSA public key) are refused before any crypto.
//! 3. Key: by the header's `kid`; a token without `kid` is accepted only when the set
//!    holds exactly one key. An unknown `kid` makes a JWKS URL be fetched again, at most
//!    once per [`UNKNOWN_KID_REFRESH_INTERVAL`].
//! 4. Signature (with the key pre-built when the keys were loaded).
//! 5. Claims: `iss` equals the issuer, `aud` (string or array) holds one of the
//!    audiences, `exp` present and not past, `nbf` and `iat` not in the future; each
//!    time check allows [`JwtConfig::leeway`] of clock skew and reads the injected
//!    [`Clock`].
//! 6. Identity: the user id claim, then the optional rooms and publish claims.
//!
//! No [`JwtRejection`] or [`JwtSetupError`] ever carries the token, a claim value or key
//! material; `Debug` of the config and the verifier redacts the secret.

mod fetch;
mod keys;

use std::path::PathBuf;
use std::sync::{Arc, PoisonError, RwLock, Weak};
use std::time::Duration;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::Algorithm;
use serde::Deserialize;
use serde_json::{Map, Value};
use zego_token::{Clock, SystemClock};
use zeroize::Zeroizing;

use self::fetch::JwksClient;
use self::keys::{KeySet, Selection};

/// Longest JWT accepted, in bytes; longer ones are refused before any decoding.
pub(crate) const MAX_JWT_LEN: usize = 8 * 1024;

/// Largest JWKS document accepted (file or URL), in bytes.
pub(crate) const MAX_JWKS_BYTES: usize = 1024 * 1024;

/// Time allowed for one JWKS fetch (connect, headers and body).
pub(crate) const JWKS_FETCH_TIMEOUT: Duration = Duration::from_secs(5);

/// A token with an unknown `kid` makes a JWKS URL be fetched again at most this often,
/// so garbage key ids cannot make the service hammer the identity provider.
pub(crate) const UNKNOWN_KID_REFRESH_INTERVAL: Duration = Duration::from_secs(30);

/// How long a request with an unknown `kid` waits for the fetch it started (or joined);
/// the fetch itself runs in its own task and goes on after that.
pub(crate) const UNKNOWN_KID_WAIT: Duration = Duration::from_secs(1);

/// While an issuer has no keys at all, its JWKS URL is retried this often.
pub(crate) const NO_KEYS_RETRY: Duration = Duration::from_secs(5);

/// `exp` further ahead than this is refused: a login token that never expires is a
/// credential that cannot be revoked.
pub(crate) const MAX_JWT_LIFETIME_SECONDS: i64 = 366 * 24 * 3600;

/// How one trusted issuer is verified.
#[derive(Debug, Clone)]
pub struct JwtConfig {
    /// Expected `iss`. Must not be empty.
    pub issuer: String,
    /// Accepted `aud` values (the token must carry at least one). Must not be empty.
    pub audiences: Vec<String>,
    /// Where the verification keys come from.
    pub keys: JwtKeySource,
    /// The claim holding the ZEGO user_id. Default `sub`.
    ///
    /// A string, or an integer (rendered in decimal); it must pass
    /// [`zego_token::validate_user_id`] (not empty, fewer than 64 bytes).
    pub user_id_claim: String,
    /// Optional claim holding the rooms (exact IDs) this user may be given tokens for.
    ///
    /// An array of strings or one string. When configured but absent from a token, the
    /// identity gets `Some(vec![])` (no room): least privilege.
    pub rooms_claim: Option<String>,
    /// Optional boolean claim saying whether this user may publish.
    ///
    /// When configured but absent from a token, the identity gets `Some(false)`.
    pub publish_claim: Option<String>,
    /// Clock tolerance for `exp`/`nbf`/`iat` (whole seconds are used).
    pub leeway: Duration,
    /// How often a JWKS URL is fetched again (also on an unknown `kid`, rate-limited).
    ///
    /// `Duration::ZERO` turns the periodic fetch off; the unknown-`kid` fetch remains.
    /// Ignored for the other key sources.
    pub jwks_refresh: Duration,
}

/// Verification key material of an issuer.
#[derive(Clone)]
pub enum JwtKeySource {
    /// A shared HS256 secret (already read from its env var or file).
    ///
    /// At least 32 bytes (RFC 7518 §3.2: no shorter than the hash output).
    Hs256(Zeroizing<Vec<u8>>),
    /// A JWKS document on disk (RS256 / ES256 keys), read once at start (and by
    /// [`JwtVerifier::refresh_keys`]).
    JwksFile(PathBuf),
    /// A JWKS document fetched over HTTP(S), cached and refreshed.
    ///
    /// Must be `https://`, except for loopback hosts (`http://127.0.0.1:…`,
    /// `http://localhost…`): keys fetched over plain HTTP could be substituted.
    JwksUrl(String),
}

impl std::fmt::Debug for JwtKeySource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Hs256(_) => f.write_str("Hs256(<redacted>)"),
            Self::JwksFile(p) => f.debug_tuple("JwksFile").field(p).finish(),
            Self::JwksUrl(u) => f
                .debug_tuple("JwksUrl")
                .field(&fetch::redact_url(u))
                .finish(),
        }
    }
}

/// Who a verified JWT says the caller is, and what its claims grant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JwtIdentity {
    /// The user_id (from `user_id_claim`); the token request's user_id is ignored.
    pub user_id: String,
    /// Rooms from `rooms_claim`; `None` when no rooms claim is configured.
    pub rooms: Option<Vec<String>>,
    /// Publish right from `publish_claim`; `None` when not configured.
    pub may_publish: Option<bool>,
}

/// Why a JWT was refused. The `Display` text is safe to log (never the token).
///
/// Claim names in the variants come from the configuration, never from the token.
/// [`JwtRejection::code`] gives a short stable label for metrics.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum JwtRejection {
    /// Generic refusal; not produced by [`JwtVerifier::verify`] (kept for callers).
    #[error("the JWT was not accepted")]
    Invalid,
    /// Not a well-formed JWT (shape, base64url, JSON, size, `crit` header).
    #[error("the JWT is malformed: {reason}")]
    Malformed {
        /// What is wrong, a fixed phrase.
        reason: &'static str,
    },
    /// The header's `alg` is not allowed for this issuer or for the selected key
    /// (`none`, HS256 against a JWKS, RS256 against an EC key...).
    #[error("the JWT's signing algorithm is not allowed for this issuer or key")]
    DisallowedAlgorithm,
    /// No key with the token's `kid` (also after a refresh), or no `kid` while the
    /// issuer has several keys.
    #[error("the JWT's key id (kid) names no current key of the issuer")]
    UnknownKey,
    /// The signature does not verify with the issuer's key.
    #[error("the JWT's signature is not valid")]
    BadSignature,
    /// The token names this issuer, whose JWKS has not been fetched yet.
    #[error("the issuer's keys have not been fetched yet (its JWKS URL is failing)")]
    KeysUnavailable,
    /// `iss` is missing or is not the configured issuer.
    #[error("the JWT was issued by another issuer")]
    WrongIssuer,
    /// `aud` is missing or names none of the accepted audiences.
    #[error("the JWT is not meant for this service (audience)")]
    WrongAudience,
    /// `exp` has passed (beyond the leeway).
    #[error("the JWT has expired")]
    Expired,
    /// `nbf` or `iat` is in the future (beyond the leeway).
    #[error("the JWT is not valid yet")]
    NotYetValid,
    /// A required claim (`exp`) is missing.
    #[error("the JWT has no `{claim}` claim")]
    MissingClaim {
        /// The claim's name.
        claim: String,
    },
    /// A claim has the wrong type (`exp` not a number, rooms not strings...).
    #[error("the JWT's `{claim}` claim {reason}")]
    InvalidClaim {
        /// The claim's name.
        claim: String,
        /// What is wrong, a fixed phrase.
        reason: &'static str,
    },
    /// The configured user id claim is missing (or null).
    #[error("the JWT has no `{claim}` claim for the user id")]
    MissingUserId {
        /// The claim's name ([`JwtConfig::user_id_claim`]).
        claim: String,
    },
    /// The user id claim is empty, too long for ZEGO, or not a string or integer.
    #[error("the JWT's `{claim}` claim is not a usable user id: {reason}")]
    InvalidUserId {
        /// The claim's name ([`JwtConfig::user_id_claim`]).
        claim: String,
        /// What is wrong, a fixed phrase.
        reason: &'static str,
    },
}

impl JwtRejection {
    /// A short, stable, machine-readable label (for metrics and logs).
    #[must_use]
    pub fn code(&self) -> &'static str {
        match self {
            Self::Invalid => "invalid",
            Self::Malformed { .. } => "malformed",
            Self::DisallowedAlgorithm => "disallowed_algorithm",
            Self::UnknownKey => "unknown_kid",
            Self::BadSignature => "bad_signature",
            Self::KeysUnavailable => "keys_unavailable",
            Self::WrongIssuer => "wrong_issuer",
            Self::WrongAudience => "wrong_audience",
            Self::Expired => "expired",
            Self::NotYetValid => "not_yet_valid",
            Self::MissingClaim { .. } => "missing_claim",
            Self::InvalidClaim { .. } => "invalid_claim",
            Self::MissingUserId { .. } => "missing_user_id",
            Self::InvalidUserId { .. } => "invalid_user_id",
        }
    }

    /// The reason sent to the client in the 401 body (`error.reason`), so an app
    /// developer can tell an expired login token from a wrong audience without the
    /// server log. It names the failed check only: never the token, a claim value or
    /// anything about the keys beyond "signature" / "unknown kid".
    ///
    /// | reason | cases |
    /// |---|---|
    /// | `jwt_malformed` | not three base64url parts of JSON, too long, a `crit` header |
    /// | `jwt_algorithm` | `alg` not allowed for this issuer or key (`none`, HS256 vs a JWKS…) |
    /// | `jwt_unknown_kid` | no current key has the token's `kid` |
    /// | `jwt_signature` | the signature does not verify |
    /// | `jwt_issuer` | `iss` missing or not a configured issuer |
    /// | `jwt_audience` | `aud` missing or names no accepted audience |
    /// | `jwt_expired` | `exp` has passed (beyond the leeway) |
    /// | `jwt_not_yet_valid` | `nbf` or `iat` in the future (beyond the leeway) |
    /// | `jwt_claim_missing` | `exp` or the user id claim is missing |
    /// | `jwt_claim_invalid` | a claim has the wrong type, or `exp` is over a year ahead |
    /// | `jwt_user_id_invalid` | the user id claim is empty or too long for ZEGO |
    /// | `jwt_invalid` | [`JwtRejection::Invalid`] (not produced by the verifier) |
    ///
    /// [`JwtRejection::KeysUnavailable`] is not a 401 (the service answers 503
    /// `issuer_keys_unavailable`); its reason is `jwt_keys_unavailable`.
    #[must_use]
    pub fn client_reason(&self) -> &'static str {
        match self {
            Self::Invalid => "jwt_invalid",
            Self::Malformed { .. } => "jwt_malformed",
            Self::DisallowedAlgorithm => "jwt_algorithm",
            Self::UnknownKey => "jwt_unknown_kid",
            Self::BadSignature => "jwt_signature",
            Self::KeysUnavailable => "jwt_keys_unavailable",
            Self::WrongIssuer => "jwt_issuer",
            Self::WrongAudience => "jwt_audience",
            Self::Expired => "jwt_expired",
            Self::NotYetValid => "jwt_not_yet_valid",
            Self::MissingClaim { .. } | Self::MissingUserId { .. } => "jwt_claim_missing",
            Self::InvalidClaim { .. } => "jwt_claim_invalid",
            Self::InvalidUserId { .. } => "jwt_user_id_invalid",
        }
    }

    fn malformed(reason: &'static str) -> Self {
        Self::Malformed { reason }
    }
}

/// Checks a JWKS URL without fetching it: `https`, or plain `http` only to a loopback
/// host (what [`JwtVerifier::new`] enforces), so `--check-config` refuses it by key.
///
/// # Errors
///
/// What is wrong and the fix; the text never contains the URL.
pub(crate) fn check_jwks_url(url: &str) -> Result<(), String> {
    fetch::check_url(url).map(|_| ())
}

/// The shortest HS256 secret, in bytes (RFC 7518 §3.2: no shorter than the hash output).
pub(crate) const HS256_MIN_SECRET: usize = keys::HS256_MIN_SECRET;

/// A rule on an issuer's identity settings that is broken. The one check of these rules:
/// the config runs it at load (naming the key), [`JwtVerifier`] on every [`JwtConfig`]
/// it is given (one built in code may break them).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum IdentityFault {
    /// `issuer` is empty or blank.
    EmptyIssuer,
    /// `audiences` is empty.
    NoAudience,
    /// `audiences` holds an empty value.
    EmptyAudience,
    /// `user_id_claim` is empty.
    EmptyUserIdClaim,
}

impl IdentityFault {
    /// The first rule broken, if any.
    pub(crate) fn of(issuer: &str, audiences: &[String], user_id_claim: &str) -> Option<Self> {
        if issuer.trim().is_empty() {
            Some(Self::EmptyIssuer)
        } else if audiences.is_empty() {
            Some(Self::NoAudience)
        } else if audiences.iter().any(String::is_empty) {
            Some(Self::EmptyAudience)
        } else if user_id_claim.is_empty() {
            Some(Self::EmptyUserIdClaim)
        } else {
            None
        }
    }

    /// The config key (in a `[[jwt_issuers]]` table) the rule is about.
    pub(crate) fn key(self) -> &'static str {
        match self {
            Self::EmptyIssuer => "issuer",
            Self::NoAudience | Self::EmptyAudience => "audiences",
            Self::EmptyUserIdClaim => "user_id_claim",
        }
    }

    /// What is wrong with that key and how to fix it.
    pub(crate) fn config_hint(self) -> &'static str {
        match self {
            Self::EmptyIssuer => "is empty; give the `iss` value of your identity provider",
            Self::NoAudience => "is empty; list the `aud` values your tokens carry",
            Self::EmptyAudience => "holds an empty value; list the `aud` values your tokens carry",
            Self::EmptyUserIdClaim => {
                "is empty; name the claim holding the ZEGO user_id (default \"sub\")"
            }
        }
    }
}

/// Why [`JwtVerifier`] refused a [`JwtConfig`]: the error, and whether it is the HS256
/// length rule (the config names the `hs256_secret_env`/`_file` key for that one).
#[derive(Debug)]
pub(crate) struct SetupFault {
    /// The HS256 secret is shorter than [`HS256_MIN_SECRET`].
    pub(crate) short_hs256: bool,
    /// What went wrong.
    pub(crate) error: JwtSetupError,
}

/// Why an issuer could not be set up (bad JWKS file, unreachable URL at start...).
///
/// The message names the issuer and the file or URL (password and query redacted),
/// never key material.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct JwtSetupError(pub String);

/// A prepared verifier for one issuer. Cheap to clone (shared key cache).
///
/// For a JWKS URL, a background task (on the tokio runtime that ran
/// [`JwtVerifier::new`]) fetches the keys every [`JwtConfig::jwks_refresh`]; it stops
/// when the last clone is dropped. A failed fetch keeps the previous keys.
#[derive(Clone)]
pub struct JwtVerifier {
    inner: Arc<Inner>,
}

struct Inner {
    config: JwtConfig,
    clock: Arc<dyn Clock>,
    leeway: i64,
    /// The current keys; swapped whole on refresh, never held across an await.
    keys: RwLock<Arc<KeySet>>,
    /// Set for a JWKS URL.
    remote: Option<Remote>,
    /// The last fetch failed.
    stale: std::sync::atomic::AtomicBool,
    /// The periodic refresh task, aborted when the verifier goes away.
    refresher: std::sync::Mutex<Option<tokio::task::AbortHandle>>,
}

struct Remote {
    client: JwksClient,
    /// Serialises fetches and remembers when the last one started (clock seconds).
    gate: tokio::sync::Mutex<Option<i64>>,
    /// The unknown-`kid` fetch in flight (single flight): resolves to `true` when done.
    inflight: std::sync::Mutex<Option<tokio::sync::watch::Receiver<bool>>>,
}

impl Drop for Inner {
    fn drop(&mut self) {
        if let Some(task) = self
            .refresher
            .get_mut()
            .unwrap_or_else(PoisonError::into_inner)
            .take()
        {
            task.abort();
        }
    }
}

impl std::fmt::Debug for JwtVerifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JwtVerifier")
            .field("issuer", &self.inner.config.issuer)
            .field("audiences", &self.inner.config.audiences)
            .field("keys", &self.inner.config.keys)
            .field("loaded_keys", &self.inner.current_keys().len())
            .finish_non_exhaustive()
    }
}

impl JwtVerifier {
    /// Prepares the verifier: loads the JWKS file or fetches the JWKS URL once.
    ///
    /// Uses the system clock; see [`JwtVerifier::with_clock`].
    ///
    /// # Errors
    ///
    /// [`JwtSetupError`] naming the problem.
    pub async fn new(config: JwtConfig) -> Result<Self, JwtSetupError> {
        Self::with_clock(config, Arc::new(SystemClock)).await
    }

    /// Like [`JwtVerifier::new`] with an injected clock, which judges `exp`/`nbf`/`iat`
    /// and paces the unknown-`kid` refetch (tests, or the service's shared clock).
    ///
    /// # Errors
    ///
    /// [`JwtSetupError`] naming the problem: empty issuer, audiences or user id claim;
    /// an HS256 secret under 32 bytes; an unreadable, oversized or keyless JWKS file;
    /// a JWKS URL that is not https (outside loopback), unreachable, slow, oversized or
    /// without a usable key.
    pub async fn with_clock(
        config: JwtConfig,
        clock: Arc<dyn Clock>,
    ) -> Result<Self, JwtSetupError> {
        Self::build(config, clock, None)
            .await
            .map(|(v, _)| v)
            .map_err(|f| f.error)
    }

    /// As [`JwtVerifier::with_clock`], except that a JWKS URL that cannot be fetched is
    /// not an error: the verifier starts with `previous`'s keys when it has the same
    /// URL (the last good keys, across a reload), else with none, and keeps fetching in
    /// the background (every 5 s while it has no keys). The second value says what
    /// happened, for the log. Tokens of this issuer get
    /// [`JwtRejection::KeysUnavailable`] while it has no keys.
    ///
    /// # Errors
    ///
    /// As [`JwtVerifier::with_clock`], except for a failed fetch.
    pub async fn with_fallback(
        config: JwtConfig,
        clock: Arc<dyn Clock>,
        previous: Option<&Self>,
    ) -> Result<(Self, Option<String>), JwtSetupError> {
        Self::build(config, clock, Some(previous))
            .await
            .map_err(|f| f.error)
    }

    /// [`JwtVerifier::with_fallback`] for the service's config: the error says whether
    /// it is the HS256 length rule, so the config can name the key the secret came from.
    pub(crate) async fn for_config(
        config: JwtConfig,
        clock: Arc<dyn Clock>,
        previous: Option<&Self>,
    ) -> Result<(Self, Option<String>), SetupFault> {
        Self::build(config, clock, Some(previous)).await
    }

    async fn build(
        config: JwtConfig,
        clock: Arc<dyn Clock>,
        lenient: Option<Option<&Self>>,
    ) -> Result<(Self, Option<String>), SetupFault> {
        let mut note = None;
        let issuer = &config.issuer;
        let fail = |what: String| SetupFault {
            short_hs256: false,
            error: JwtSetupError(format!("JWT issuer {issuer:?}: {what}")),
        };
        if let Some(fault) = IdentityFault::of(issuer, &config.audiences, &config.user_id_claim) {
            return Err(match fault {
                IdentityFault::EmptyIssuer => SetupFault {
                    short_hs256: false,
                    error: JwtSetupError("a JWT issuer is empty".to_owned()),
                },
                IdentityFault::NoAudience | IdentityFault::EmptyAudience => {
                    fail("audiences must list at least one non-empty audience".to_owned())
                }
                IdentityFault::EmptyUserIdClaim => fail("user_id_claim is empty".to_owned()),
            });
        }
        let mut remote = None;
        let mut stale = false;
        let keys = match &config.keys {
            JwtKeySource::Hs256(secret) => {
                if secret.len() < HS256_MIN_SECRET {
                    return Err(SetupFault {
                        short_hs256: true,
                        ..fail(format!(
                            "the HS256 secret is {} bytes; RFC 7518 §3.2 requires at least {}",
                            secret.len(),
                            HS256_MIN_SECRET
                        ))
                    });
                }
                KeySet::hs256(secret)
            }
            JwtKeySource::JwksFile(path) => load_file(path).map_err(fail)?,
            JwtKeySource::JwksUrl(url) => {
                let client = JwksClient::new(url)
                    .map_err(|e| fail(format!("JWKS URL {}: {e}", fetch::redact_url(url))))?;
                let keys = match (client.fetch().await, lenient) {
                    (Ok(keys), _) => keys,
                    (Err(e), None) => {
                        return Err(fail(format!(
                            "cannot fetch the JWKS from {}: {e}",
                            client.shown()
                        )));
                    }
                    (Err(e), Some(previous)) => {
                        let kept = previous.filter(|p| {
                            matches!(&p.inner.config.keys, JwtKeySource::JwksUrl(u) if u == url)
                                && p.inner.current_keys().len() > 0
                        });
                        match kept {
                            Some(p) => {
                                note = Some(format!(
                                    "cannot fetch the JWKS from {}: {e}; keeping its previous keys (stale) and retrying",
                                    client.shown()
                                ));
                                stale = true;
                                KeySet::clone_of(&p.inner.current_keys())
                            }
                            None => {
                                note = Some(format!(
                                    "cannot fetch the JWKS from {}: {e}; its callers get 503 until the keys arrive (retrying every {} s)",
                                    client.shown(),
                                    NO_KEYS_RETRY.as_secs()
                                ));
                                stale = true;
                                KeySet::empty()
                            }
                        }
                    }
                };
                remote = Some(Remote {
                    client,
                    gate: tokio::sync::Mutex::new(Some(clock.now())),
                    inflight: std::sync::Mutex::new(None),
                });
                keys
            }
        };
        let refresh_every = config.jwks_refresh;
        let inner = Arc::new(Inner {
            leeway: i64::try_from(config.leeway.as_secs()).unwrap_or(i64::MAX),
            config,
            clock,
            keys: RwLock::new(Arc::new(keys)),
            remote,
            stale: std::sync::atomic::AtomicBool::new(stale),
            refresher: std::sync::Mutex::new(None),
        });
        if inner.remote.is_some() && !refresh_every.is_zero() {
            let task = spawn_refresher(Arc::downgrade(&inner), refresh_every);
            *inner
                .refresher
                .lock()
                .unwrap_or_else(PoisonError::into_inner) = task;
        }
        Ok((Self { inner }, note))
    }

    /// Whether this issuer has no keys yet (a JWKS URL not fetched since start).
    #[must_use]
    pub fn has_no_keys(&self) -> bool {
        self.inner.current_keys().len() == 0
    }

    /// Whether the last JWKS fetch failed (the keys in use may be old, or absent).
    #[must_use]
    pub fn keys_stale(&self) -> bool {
        self.inner.stale.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// The issuer this verifier accepts.
    #[must_use]
    pub fn issuer(&self) -> &str {
        &self.inner.config.issuer
    }

    /// Loads the keys again now: re-reads a JWKS file or re-fetches a JWKS URL (not
    /// rate-limited); nothing for an HS256 secret. On failure the previous keys stay.
    ///
    /// # Errors
    ///
    /// [`JwtSetupError`] naming the file or URL and the cause.
    pub async fn refresh_keys(&self) -> Result<(), JwtSetupError> {
        let inner = &self.inner;
        match &inner.config.keys {
            JwtKeySource::Hs256(_) => Ok(()),
            JwtKeySource::JwksFile(path) => {
                let keys = load_file(path).map_err(|e| {
                    JwtSetupError(format!("JWT issuer {:?}: {e}", inner.config.issuer))
                })?;
                inner.install(keys);
                Ok(())
            }
            JwtKeySource::JwksUrl(_) => inner.refetch(false).await.map(|_| ()),
        }
    }

    /// Verifies signature, `iss`, `aud`, `exp` (and `nbf`, `iat`), extracts the identity.
    ///
    /// # Errors
    ///
    /// [`JwtRejection`] with the reason.
    pub async fn verify(&self, token: &str) -> Result<JwtIdentity, JwtRejection> {
        let inner = &self.inner;
        let parts = split(token)?;
        let header = parse_header(parts.header)?;
        let mut keys = inner.current_keys();
        if !keys.accepts(header.alg) {
            return Err(JwtRejection::DisallowedAlgorithm);
        }
        let kid = header.kid.as_deref();
        // Only a token that names this issuer may make it fetch: another issuer's
        // users never wait on this one's identity provider.
        let ours = || unverified_issuer(parts.payload).as_deref() == Some(&*inner.config.issuer);
        let unknown = keys.len() == 0
            || (kid.is_some() && keys.select(kid, header.alg).err() == Some(Selection::Unknown));
        if unknown && inner.remote.is_some() && ours() {
            // Maybe the issuer rotated its keys: fetch again (single flight,
            // rate-limited, in its own task), wait a little for it, re-select.
            if let Some(mut done) = self.kick_refetch() {
                let _ = tokio::time::timeout(UNKNOWN_KID_WAIT, done.wait_for(|d| *d)).await;
            }
            keys = inner.current_keys();
        }
        if keys.len() == 0 {
            return Err(if ours() {
                JwtRejection::KeysUnavailable
            } else {
                JwtRejection::WrongIssuer
            });
        }
        let key = keys.select(kid, header.alg).map_err(|e| match e {
            Selection::Unknown => JwtRejection::UnknownKey,
            Selection::WrongAlgorithm => JwtRejection::DisallowedAlgorithm,
        })?;
        let valid = jsonwebtoken::crypto::verify(
            parts.signature,
            parts.signing_input.as_bytes(),
            &key.key,
            key.alg,
        )
        .map_err(|_| JwtRejection::malformed("the signature is not base64url"))?;
        if !valid {
            return Err(JwtRejection::BadSignature);
        }
        let claims = parse_claims(parts.payload)?;
        inner.check_claims(&claims)?;
        inner.identity(&claims)
    }
}

impl JwtVerifier {
    /// Starts the unknown-`kid` fetch unless one is in flight (then joins it) or the
    /// last one started less than [`UNKNOWN_KID_REFRESH_INTERVAL`] ago (then `None`).
    fn kick_refetch(&self) -> Option<tokio::sync::watch::Receiver<bool>> {
        let inner = &self.inner;
        let remote = inner.remote.as_ref()?;
        let mut inflight = remote
            .inflight
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if let Some(rx) = inflight.as_ref()
            && !*rx.borrow()
        {
            return Some(rx.clone());
        }
        // A periodic fetch is running: its keys will do.
        let last = *remote.gate.try_lock().ok()?;
        let now = inner.clock.now();
        let min_gap = i64::try_from(UNKNOWN_KID_REFRESH_INTERVAL.as_secs()).unwrap_or(i64::MAX);
        if last.is_some_and(|t| now >= t && now - t < min_gap) {
            return None;
        }
        let runtime = tokio::runtime::Handle::try_current().ok()?;
        let (tx, rx) = tokio::sync::watch::channel(false);
        *inflight = Some(rx.clone());
        let me = Arc::clone(inner);
        runtime.spawn(async move {
            let _ = me.refetch(true).await;
            let _ = tx.send(true);
        });
        Some(rx)
    }
}

/// The `iss` of a payload, unverified (only to decide whether a fetch is worth it).
fn unverified_issuer(payload: &str) -> Option<String> {
    #[derive(Deserialize)]
    struct Iss {
        iss: Option<String>,
    }
    let bytes = URL_SAFE_NO_PAD.decode(payload).ok()?;
    serde_json::from_slice::<Iss>(&bytes).ok()?.iss
}

impl Inner {
    fn current_keys(&self) -> Arc<KeySet> {
        Arc::clone(&self.keys.read().unwrap_or_else(PoisonError::into_inner))
    }

    fn install(&self, keys: KeySet) {
        *self.keys.write().unwrap_or_else(PoisonError::into_inner) = Arc::new(keys);
    }

    /// Fetches the JWKS URL and installs the keys. With `gated`, does nothing (Ok(false))
    /// when the last fetch started less than [`UNKNOWN_KID_REFRESH_INTERVAL`] ago.
    async fn refetch(&self, gated: bool) -> Result<bool, JwtSetupError> {
        let Some(remote) = &self.remote else {
            return Ok(false);
        };
        let mut last = remote.gate.lock().await;
        let now = self.clock.now();
        let min_gap = i64::try_from(UNKNOWN_KID_REFRESH_INTERVAL.as_secs()).unwrap_or(i64::MAX);
        // A clock that went backwards does not block fetching.
        if gated && last.is_some_and(|t| now >= t && now - t < min_gap) {
            return Ok(false);
        }
        *last = Some(now);
        match remote.client.fetch().await {
            Ok(keys) => {
                tracing::debug!(
                    issuer = %self.config.issuer,
                    keys = keys.len(),
                    "JWKS refreshed"
                );
                self.install(keys);
                self.stale
                    .store(false, std::sync::atomic::Ordering::Relaxed);
                Ok(true)
            }
            Err(e) => {
                self.stale.store(true, std::sync::atomic::Ordering::Relaxed);
                tracing::warn!(
                    issuer = %self.config.issuer,
                    url = %remote.client.shown(),
                    error = %e,
                    "JWKS refresh failed; keeping the previous keys"
                );
                Err(JwtSetupError(format!(
                    "JWT issuer {:?}: cannot fetch the JWKS from {}: {e}",
                    self.config.issuer,
                    remote.client.shown()
                )))
            }
        }
    }

    fn check_claims(&self, claims: &Map<String, Value>) -> Result<(), JwtRejection> {
        let config = &self.config;
        if claims.get("iss").and_then(Value::as_str) != Some(config.issuer.as_str()) {
            return Err(JwtRejection::WrongIssuer);
        }
        let accepted = |a: &Value| {
            a.as_str()
                .is_some_and(|a| config.audiences.iter().any(|c| c == a))
        };
        let aud_ok = match claims.get("aud") {
            Some(Value::Array(list)) => list.iter().any(accepted),
            Some(single) => accepted(single),
            None => false,
        };
        if !aud_ok {
            return Err(JwtRejection::WrongAudience);
        }
        let now = self.clock.now();
        let Some(exp) = numeric_date(claims, "exp")? else {
            return Err(JwtRejection::MissingClaim {
                claim: "exp".to_owned(),
            });
        };
        // RFC 7519 §4.1.4: the current time must be before `exp`.
        if now.saturating_sub(self.leeway) >= exp {
            return Err(JwtRejection::Expired);
        }
        if exp.saturating_sub(now) > MAX_JWT_LIFETIME_SECONDS {
            return Err(JwtRejection::InvalidClaim {
                claim: "exp".to_owned(),
                reason: "is more than a year ahead (a login token that never expires cannot be revoked)",
            });
        }
        for claim in ["nbf", "iat"] {
            if let Some(t) = numeric_date(claims, claim)?
                && t > now.saturating_add(self.leeway)
            {
                return Err(JwtRejection::NotYetValid);
            }
        }
        Ok(())
    }

    fn identity(&self, claims: &Map<String, Value>) -> Result<JwtIdentity, JwtRejection> {
        let config = &self.config;
        let claim = &config.user_id_claim;
        let invalid = |reason| JwtRejection::InvalidUserId {
            claim: claim.clone(),
            reason,
        };
        let user_id = match claims.get(claim) {
            None | Some(Value::Null) => {
                return Err(JwtRejection::MissingUserId {
                    claim: claim.clone(),
                });
            }
            Some(Value::String(s)) => s.clone(),
            Some(Value::Number(n)) if n.is_i64() || n.is_u64() => n.to_string(),
            Some(_) => return Err(invalid("it is not a string or an integer")),
        };
        if user_id.is_empty() {
            return Err(invalid("it is empty"));
        }
        if zego_token::validate_user_id(&user_id).is_err() {
            return Err(invalid("it is 64 bytes or longer (ZEGO's limit)"));
        }

        let rooms = match &config.rooms_claim {
            None => None,
            Some(name) => Some(match claims.get(name) {
                None | Some(Value::Null) => Vec::new(),
                Some(Value::String(s)) => vec![s.clone()],
                Some(Value::Array(list)) => list
                    .iter()
                    .map(|v| v.as_str().map(str::to_owned))
                    .collect::<Option<Vec<_>>>()
                    .ok_or_else(|| JwtRejection::InvalidClaim {
                        claim: name.clone(),
                        reason: "is not an array of strings",
                    })?,
                Some(_) => {
                    return Err(JwtRejection::InvalidClaim {
                        claim: name.clone(),
                        reason: "is not an array of strings",
                    });
                }
            }),
        };
        let may_publish = match &config.publish_claim {
            None => None,
            Some(name) => Some(match claims.get(name) {
                None | Some(Value::Null) => false,
                Some(Value::Bool(b)) => *b,
                Some(_) => {
                    return Err(JwtRejection::InvalidClaim {
                        claim: name.clone(),
                        reason: "is not a boolean",
                    });
                }
            }),
        };
        Ok(JwtIdentity {
            user_id,
            rooms,
            may_publish,
        })
    }
}

/// Starts the periodic JWKS fetch on the current tokio runtime (none: no task; the
/// unknown-`kid` fetch still works).
fn spawn_refresher(inner: Weak<Inner>, every: Duration) -> Option<tokio::task::AbortHandle> {
    // Capped so that deadline arithmetic cannot overflow on an absurd setting.
    let every = every.min(Duration::from_secs(365 * 24 * 3600));
    let runtime = tokio::runtime::Handle::try_current().ok()?;
    let task = runtime.spawn(async move {
        loop {
            let wait = match inner.upgrade() {
                Some(i) if i.current_keys().len() == 0 => every.min(NO_KEYS_RETRY),
                Some(_) => every,
                None => break,
            };
            tokio::time::sleep(wait).await;
            let Some(inner) = inner.upgrade() else {
                break;
            };
            // A failure is logged inside and keeps the old keys.
            let _ = inner.refetch(false).await;
        }
    });
    Some(task.abort_handle())
}

fn load_file(path: &std::path::Path) -> Result<KeySet, String> {
    let shown = path.display();
    let bytes = crate::files::read_capped(path, MAX_JWKS_BYTES)
        .map_err(|e| format!("JWKS file {shown}: {e}"))?;
    keys::parse_jwks(&bytes).map_err(|e| format!("JWKS file {shown}: {e}"))
}

/// The three parts of a compact JWS (RFC 7515 §7.1).
struct Parts<'a> {
    header: &'a str,
    payload: &'a str,
    signature: &'a str,
    /// `header.payload`, the signed bytes.
    signing_input: &'a str,
}

fn split(token: &str) -> Result<Parts<'_>, JwtRejection> {
    if token.len() > MAX_JWT_LEN {
        return Err(JwtRejection::malformed("it is too long"));
    }
    let shape = || JwtRejection::malformed("it is not three dot-separated parts");
    let (signing_input, signature) = token.rsplit_once('.').ok_or_else(shape)?;
    let (header, payload) = signing_input.split_once('.').ok_or_else(shape)?;
    if header.is_empty() || payload.contains('.') {
        return Err(shape());
    }
    Ok(Parts {
        header,
        payload,
        signature,
        signing_input,
    })
}

struct Header {
    alg: Algorithm,
    kid: Option<String>,
}

#[derive(Deserialize)]
struct RawHeader {
    alg: Option<String>,
    kid: Option<String>,
    crit: Option<serde::de::IgnoredAny>,
}

fn parse_header(b64: &str) -> Result<Header, JwtRejection> {
    let bytes = URL_SAFE_NO_PAD
        .decode(b64)
        .map_err(|_| JwtRejection::malformed("the header is not base64url"))?;
    let raw: RawHeader = serde_json::from_slice(&bytes)
        .map_err(|_| JwtRejection::malformed("the header is not a JSON object"))?;
    if raw.crit.is_some() {
        // RFC 7515 §4.1.11: we understand no extension, so a `crit` token is refused.
        return Err(JwtRejection::malformed(
            "the header has critical extensions",
        ));
    }
    let alg = match raw.alg.as_deref() {
        None => return Err(JwtRejection::malformed("the header has no `alg`")),
        Some("HS256") => Algorithm::HS256,
        Some("RS256") => Algorithm::RS256,
        Some("ES256") => Algorithm::ES256,
        // `none` and everything else.
        Some(_) => return Err(JwtRejection::DisallowedAlgorithm),
    };
    Ok(Header { alg, kid: raw.kid })
}

fn parse_claims(b64: &str) -> Result<Map<String, Value>, JwtRejection> {
    let bytes = URL_SAFE_NO_PAD
        .decode(b64)
        .map_err(|_| JwtRejection::malformed("the payload is not base64url"))?;
    serde_json::from_slice(&bytes)
        .map_err(|_| JwtRejection::malformed("the payload is not a JSON object"))
}

/// A NumericDate claim (RFC 7519 §2): seconds, integer or not; `None` when absent.
fn numeric_date(claims: &Map<String, Value>, name: &str) -> Result<Option<i64>, JwtRejection> {
    match claims.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => {
            if let Some(i) = n.as_i64() {
                Ok(Some(i))
            } else if n.is_u64() {
                Ok(Some(i64::MAX))
            } else {
                // A float: whole seconds, saturating (`as` saturates, NaN cannot occur
                // in JSON).
                #[allow(clippy::cast_possible_truncation, reason = "saturating by design")]
                Ok(n.as_f64().map(|f| f.floor() as i64))
            }
        }
        Some(_) => Err(JwtRejection::InvalidClaim {
            claim: name.to_owned(),
            reason: "is not a number of seconds",
        }),
    }
}
