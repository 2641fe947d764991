//! The routes, merged in one place. Each module has `router()`.

pub mod apps;
pub mod console;
pub mod health;
pub mod inspect;
pub mod token;

use axum::Router;
use axum::routing::get;

use crate::state::AppState;

pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .merge(token::router())
        .merge(inspect::router())
        .merge(apps::router())
        .merge(health::router())
        .merge(console::router())
        .route("/metrics", get(crate::metrics::metrics_handler))
        .route("/openapi.json", get(crate::openapi::openapi_json))
}
