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
    json_response(&Health { status: "ok" })
}

/// Readiness.
#[utoipa::path(get, path = "/readyz", tag = "operations",
    responses(
        (status = 200, description = "Ready for traffic", body = Health),
        (status = 503, description = "Shutting down", body = Health),
    ))]
pub(crate) async fn readyz(State(state): State<AppState>) -> Response {
    if state.is_draining() {
        let mut r = json_response(&Health { status: "draining" });
        *r.status_mut() = StatusCode::SERVICE_UNAVAILABLE;
        return r.into_response();
    }
    json_response(&Health { status: "ready" })
}
