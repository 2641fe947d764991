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
pub struct Health {
    /// `ok`, `ready` or `draining`.
    pub status: &'static str,
    /// JWT issuers (`jwt:<issuer>`) with no keys yet: their callers get 503. Absent
    /// when none.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub issuers_without_keys: Vec<String>,
    /// JWT issuers whose last JWKS fetch failed (serving with their previous keys).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub issuers_with_stale_keys: Vec<String>,
}

impl Health {
    fn plain(status: &'static str) -> Self {
        Self {
            status,
            issuers_without_keys: Vec::new(),
            issuers_with_stale_keys: Vec::new(),
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
        (status = 503, description = "Shutting down", body = Health),
    ))]
pub(crate) async fn readyz(State(state): State<AppState>) -> Response {
    if state.is_draining() {
        let mut r = json_response(&Health::plain("draining"));
        *r.status_mut() = StatusCode::SERVICE_UNAVAILABLE;
        return r.into_response();
    }
    // Still ready without an issuer's keys: API-key callers and the other issuers are
    // served; the answer names the issuers that are not.
    let (none, stale) = state.snapshot().issuers_without_fresh_keys();
    json_response(&Health {
        status: "ready",
        issuers_without_keys: none,
        issuers_with_stale_keys: stale,
    })
}
