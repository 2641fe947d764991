//! The [`Caller`] extractor: who is asking, under which policy.
//!
//! Order: the per-IP bucket (so credential guessing is throttled too), then the bearer
//! credential, then the per-caller bucket. A bearer credential is first tried as an
//! API key: its SHA-256 is compared, in constant time, with the hash of every configured
//! key (all of them, so timing does not reveal how many matched before). If none
//! matches and it has the shape of a JWT, each trusted issuer's verifier is tried.
//! For an API key the client only learns "not accepted"; for a login JWT it also gets
//! which check failed (`error.reason`: `jwt_expired`, `jwt_audience`, … see
//! [`JwtRejection::client_reason`]), since the app developer holding the JWT cannot read
//! the server log. The precise reason goes to the log, with at most a short fingerprint
//! of the credential.

use std::net::IpAddr;
use std::sync::Arc;

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use crate::error::ApiError;
use crate::jwt::{JwtIdentity, JwtRejection};
use crate::policy::Policy;
use crate::proxy::PeerAddr;
use crate::rate_limit::{LimitKey, Refusal};
use crate::state::{AppState, Snapshot};

/// How the caller authenticated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallerKind {
    /// A backend with an API key.
    ApiKey,
    /// An app client with a login JWT.
    Jwt,
}

/// An authenticated caller, with the snapshot it was authenticated against.
#[derive(Debug, Clone)]
pub struct Caller {
    /// The API key's name, or `jwt:<issuer>`.
    pub name: Arc<str>,
    /// How it authenticated.
    pub kind: CallerKind,
    /// What it may ask for.
    pub policy: Arc<Policy>,
    /// For a JWT caller: the verified identity (the user_id comes from here).
    pub identity: Option<JwtIdentity>,
    /// The configuration snapshot this request runs under.
    pub snapshot: Arc<Snapshot>,
}

/// A short, non-reversible fingerprint of a credential, safe to log.
#[must_use]
pub fn fingerprint(secret: &[u8]) -> String {
    digest_fingerprint(&Sha256::digest(secret).into())
}

/// [`fingerprint`] of a credential whose SHA-256 is already known.
fn digest_fingerprint(digest: &[u8; 32]) -> String {
    hex::encode(&digest[..4])
}

/// The address the per-IP bucket is keyed by (see [`crate::proxy`]).
fn client_ip(parts: &Parts, snap: &Snapshot) -> Option<IpAddr> {
    let peer = parts
        .extensions
        .get::<ConnectInfo<PeerAddr>>()
        .map(|c| c.0.0.ip());
    snap.client_ip
        .client_ip(&parts.headers, peer)
        .map(crate::proxy::bucket_addr)
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        // Authenticated already, from the headers, before the body was read
        // (`crate::body`): the buckets were charged then.
        if let Some(caller) = parts.extensions.get::<Self>() {
            return Ok(caller.clone());
        }
        let snap = state.request_snapshot(&parts.extensions);
        if snap.ip_rate.enabled()
            && let Some(ip) = client_ip(parts, &snap)
        {
            snap.limiter
                .check(&LimitKey::Ip(ip), snap.ip_rate)
                .await
                .map_err(|r| limit_error(r, "ip"))?;
        }
        let mut values = parts.headers.get_all(AUTHORIZATION).iter();
        let Some(value) = values.next() else {
            return Err(ApiError::unauthorized("no Authorization header", false));
        };
        if values.next().is_some() {
            // Which one would a proxy or a log have looked at? Refuse rather than pick.
            return Err(ApiError::unauthorized(
                "several Authorization headers",
                true,
            ));
        }
        let credential = value
            .to_str()
            .ok()
            .and_then(|v| {
                let (scheme, rest) = v.split_once(' ')?;
                scheme.eq_ignore_ascii_case("bearer").then(|| rest.trim())
            })
            .filter(|c| !c.is_empty())
            .ok_or_else(|| {
                ApiError::unauthorized(
                    "the Authorization header is not `Bearer <credential>`",
                    true,
                )
            })?;
        let caller = authenticate(credential, snap).await?;
        // The access log line names the caller (a configured name, never a credential).
        tracing::Span::current().record("caller", &*caller.name);
        let key = match &caller.identity {
            Some(id) => LimitKey::Caller(Arc::from(format!("{}\u{0}{}", caller.name, id.user_id))),
            None => LimitKey::Caller(caller.name.clone()),
        };
        let snap = &caller.snapshot;
        snap.limiter
            .check(&key, snap.caller_rate)
            .await
            .map_err(|r| limit_error(r, "caller"))?;
        Ok(caller)
    }
}

/// 429 for an empty bucket; 503 `rate_limit_unavailable` when the shared store failed
/// under `on_store_error = "deny"`.
fn limit_error(refusal: Refusal, scope: &'static str) -> ApiError {
    match refusal {
        Refusal::Limited(retry_after) => ApiError::RateLimited { scope, retry_after },
        Refusal::StoreUnavailable => ApiError::Unavailable {
            code: "rate_limit_unavailable",
            message: "the rate-limit store does not answer; retry shortly".into(),
        },
    }
}

async fn authenticate(credential: &str, snap: Arc<Snapshot>) -> Result<Caller, ApiError> {
    let digest: [u8; 32] = Sha256::digest(credential.as_bytes()).into();
    let mut found = None;
    for (i, k) in snap.api_keys.iter().enumerate() {
        // Compare against every key; no early exit.
        if bool::from(k.hash.ct_eq(&digest)) {
            found = Some(i);
        }
    }
    if let Some(i) = found {
        let k = &snap.api_keys[i];
        let (name, policy) = (k.name.clone(), k.policy.clone());
        return Ok(Caller {
            name,
            kind: CallerKind::ApiKey,
            policy,
            identity: None,
            snapshot: snap,
        });
    }
    let fp = digest_fingerprint(&digest);
    if snap.jwt.is_empty() || credential.split('.').count() != 3 {
        return Err(ApiError::unauthorized(
            format!("unknown API key (fingerprint {fp})"),
            true,
        ));
    }
    let mut best: Option<JwtRejection> = None;
    for entry in &snap.jwt {
        match entry.verifier.verify(credential).await {
            Ok(identity) => {
                return Ok(Caller {
                    name: entry.name.clone(),
                    kind: CallerKind::Jwt,
                    policy: entry.policy.clone(),
                    identity: Some(identity),
                    snapshot: snap.clone(),
                });
            }
            Err(e) => {
                // With several issuers, "wrong issuer" from the others is noise; "no
                // keys yet" from the token's own issuer is the answer.
                if best != Some(JwtRejection::KeysUnavailable)
                    && (best.is_none() || e != JwtRejection::WrongIssuer)
                {
                    best = Some(e);
                }
            }
        }
    }
    if best == Some(JwtRejection::KeysUnavailable) {
        return Err(ApiError::Unavailable {
            code: "issuer_keys_unavailable",
            message: "the identity provider's signing keys could not be fetched yet; retry shortly"
                .into(),
        });
    }
    let rejection = best.unwrap_or(JwtRejection::Invalid);
    Err(ApiError::unauthorized_jwt(
        format!("JWT refused: {rejection} (fingerprint {fp})"),
        rejection.client_reason(),
    ))
}
