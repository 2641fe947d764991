//! The routes, merged in one place. Each module has `router()`. (`/openapi.json` is
//! added by [`app`](crate::app): the document is made from these routes.)

pub(crate) mod apps;
pub(crate) mod console;
pub(crate) mod health;
pub(crate) mod inspect;
pub(crate) mod token;

use axum::Router;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use crate::error::ApiError;
use crate::state::AppState;

pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .merge(token::router())
        .merge(inspect::router())
        .merge(apps::router())
        .merge(health::router())
        .merge(console::router())
        .route("/metrics", get(metrics))
}

/// `GET /metrics` on the main listener (when `metrics.enabled` and no
/// `metrics.listen` of its own).
async fn metrics(State(state): State<AppState>) -> Response {
    if !state.metrics_on_main() {
        return ApiError::NotFound.into_response();
    }
    crate::metrics::render(state.metrics())
}
