//! Caller authentication with the app's own login JWTs (HS256, RS256, ES256).
//!
//! CONTRACT (shared between the config/auth code and this module; keep these
//! signatures): the config layer builds a [`JwtConfig`] per trusted issuer (secrets
//! already read from env/files), [`JwtVerifier::new`] prepares it (loading a JWKS file or
//! fetching a JWKS URL), and [`JwtVerifier::verify`] checks a bearer token and returns
//! the [`JwtIdentity`] the policy layer uses.

use std::path::PathBuf;
use std::time::Duration;

use zeroize::Zeroizing;

/// How one trusted issuer is verified.
#[derive(Debug, Clone)]
pub struct JwtConfig {
    /// Expected `iss`.
    pub issuer: String,
    /// Accepted `aud` values (the token must carry at least one).
    pub audiences: Vec<String>,
    /// Where the verification keys come from.
    pub keys: JwtKeySource,
    /// The claim holding the ZEGO user_id. Default `sub`.
    pub user_id_claim: String,
    /// Optional claim holding the rooms (exact IDs) this user may be given tokens for.
    pub rooms_claim: Option<String>,
    /// Optional boolean claim saying whether this user may publish.
    pub publish_claim: Option<String>,
    /// Clock tolerance for `exp`/`nbf`/`iat`.
    pub leeway: Duration,
    /// How often a JWKS URL is fetched again (also on an unknown `kid`, rate-limited).
    pub jwks_refresh: Duration,
}

/// Verification key material of an issuer.
#[derive(Clone)]
pub enum JwtKeySource {
    /// A shared HS256 secret (already read from its env var or file).
    Hs256(Zeroizing<Vec<u8>>),
    /// A JWKS document on disk (RS256 / ES256 keys).
    JwksFile(PathBuf),
    /// A JWKS document fetched over HTTP(S), cached and refreshed.
    JwksUrl(String),
}

impl std::fmt::Debug for JwtKeySource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Hs256(_) => f.write_str("Hs256(<redacted>)"),
            Self::JwksFile(p) => f.debug_tuple("JwksFile").field(p).finish(),
            Self::JwksUrl(u) => f.debug_tuple("JwksUrl").field(u).finish(),
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
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum JwtRejection {
    /// Anything not yet implemented or not matched.
    #[error("the JWT was not accepted")]
    Invalid,
}

/// Why an issuer could not be set up (bad JWKS file, unreachable URL at start...).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct JwtSetupError(pub String);

/// A prepared verifier for one issuer. Cheap to clone (shared key cache).
#[derive(Debug, Clone)]
pub struct JwtVerifier {
    config: std::sync::Arc<JwtConfig>,
}

impl JwtVerifier {
    /// Prepares the verifier: loads the JWKS file or fetches the JWKS URL once.
    ///
    /// # Errors
    ///
    /// [`JwtSetupError`] naming the problem.
    pub async fn new(config: JwtConfig) -> Result<Self, JwtSetupError> {
        Ok(Self {
            config: std::sync::Arc::new(config),
        })
    }

    /// The issuer this verifier accepts.
    #[must_use]
    pub fn issuer(&self) -> &str {
        &self.config.issuer
    }

    /// Verifies signature, `iss`, `aud`, `exp` (and `nbf`), extracts the identity.
    ///
    /// # Errors
    ///
    /// [`JwtRejection`] with the reason.
    pub async fn verify(&self, _token: &str) -> Result<JwtIdentity, JwtRejection> {
        Err(JwtRejection::Invalid)
    }
}
