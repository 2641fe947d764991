//! `GET /healthz` (the process answers) and `GET /readyz` (it has a config and is not
//! draining: load balancers should route to it).

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde::Serialize;
use utoipa::ToSchema;

use crate::error::json_response;
use crate::state::AppState;

/// Health answer.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct Health {
    /// `ok`, `ready`, `draining`, or `store_unavailable` (see `rate_limit_store`).
    pub status: &'static str,
    /// JWT issuers (`jwt:<issuer>`) with no keys yet: their callers get 503. Absent
    /// when none.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub issuers_without_keys: Vec<String>,
    /// JWT issuers whose last JWKS fetch failed (serving with their previous keys).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub issuers_with_stale_keys: Vec<String>,
    /// With `rate_limit.store = "redis"`: `ok`, or `unavailable` when Redis does not
    /// answer a `PING` in time (503 only with `rate_limit.redis_required_for_ready`).
    /// Absent with the memory store.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rate_limit_store: Option<&'static str>,
}

impl Health {
    fn plain(status: &'static str) -> Self {
        Self {
            status,
            issuers_without_keys: Vec::new(),
            issuers_with_stale_keys: Vec::new(),
            rate_limit_store: None,
        }
    }
}

pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
}

/// Liveness.
#[utoipa::path(get, path = "/healthz", tag = "operations",
    responses((status = 200, description = "The process is up", body = Health)))]
pub(crate) async fn healthz() -> Response {
    json_response(&Health::plain("ok"))
}

/// Readiness.
#[utoipa::path(get, path = "/readyz", tag = "operations",
    responses(
        (status = 200, description = "Ready for traffic", body = Health),
        (status = 503, description = "Shutting down, or the required rate-limit store does not answer", body = Health),
    ))]
pub(crate) async fn readyz(State(state): State<AppState>) -> Response {
    if state.is_draining() {
        let mut r = json_response(&Health::plain("draining"));
        *r.status_mut() = StatusCode::SERVICE_UNAVAILABLE;
        return r.into_response();
    }
    // Still ready without an issuer's keys: API-key callers and the other issuers are
    // served; the answer names the issuers that are not.
    let snap = state.snapshot();
    let (none, stale) = snap.issuers_without_fresh_keys();
    let (rate_limit_store, store_required) = rate_limit_store(&snap).await;
    let mut r = json_response(&Health {
        status: if store_required {
            "store_unavailable"
        } else {
            "ready"
        },
        issuers_without_keys: none,
        issuers_with_stale_keys: stale,
        rate_limit_store,
    });
    if store_required {
        *r.status_mut() = StatusCode::SERVICE_UNAVAILABLE;
    }
    r
}

/// The shared rate-limit store's state for `/readyz`, and whether it makes the replica
/// unready (`rate_limit.redis_required_for_ready` and no answer).
async fn rate_limit_store(snap: &crate::state::Snapshot) -> (Option<&'static str>, bool) {
    if snap.limiter().store() == "memory" {
        return (None, false);
    }
    if snap.limiter().store_reachable().await {
        (Some("ok"), false)
    } else {
        let required = snap.config.rate_limit.redis_required_for_ready;
        (Some("unavailable"), required)
    }
}
