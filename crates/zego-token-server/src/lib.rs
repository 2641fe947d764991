#![doc = include_str!("../README.md")]
//!
//! # Layout
//!
//! * [`config`]: defaults → TOML → `ZEGO_TOKEN_…` environment → flags; secrets from
//!   variables or files, never inline.
//! * [`state`]: [`AppState`], the shared state; the reloadable part is swapped
//!   atomically by [`AppState::reload`] (what `SIGHUP` calls).
//! * [`auth`]: the [`Caller`](auth::Caller) extractor (API keys compared as SHA-256 in
//!   constant time, login JWTs through [`jwt`]); [`policy`]: what a caller may ask for.
//! * [`routes`]: `/v1/token`, `/v1/inspect`, `/v1/apps`, `/healthz`, `/readyz`,
//!   `/console`; plus `/metrics` ([`metrics`], the registry) and `/openapi.json`
//!   ([`openapi`]).
//! * `layers`: the request pipeline, one layer per concern (request id, access log,
//!   metrics, panic guard, snapshot + timeout, head and body limits).
//! * [`error`]: [`ApiError`], the only status table; every error is
//!   `{"error": {"code", "message"}}`.
//! * [`serve`](fn@serve): runs [`app`] on a plain or TLS listener with graceful,
//!   bounded shutdown after a drain delay ([`serve_with_drain`] can end it early);
//!   [`cli`]: `zego-token serve` ([`ServeArgs`], [`run`]).

pub mod auth;
mod body;
pub mod cli;
pub mod config;
pub mod error;
pub mod jwt;
mod layers;
mod log_writer;
pub mod metrics;
pub mod openapi;
pub mod policy;
pub mod proxy;
pub mod rate_limit;
pub mod routes;
mod serve;
pub mod state;

use axum::Router;
use axum::http::{HeaderValue, Method, header};
use tower_http::cors::{AllowOrigin, CorsLayer};

// public interface
pub use crate::cli::{ServeArgs, reload_from_file, run};
pub use crate::config::{Config, ConfigError, Env};
pub use crate::error::ApiError;
pub use crate::serve::{
    Conn, ConnLimits, PeerAddr, ServiceListener, load_tls, serve, serve_with_drain,
};
pub use crate::state::AppState;

/// The service's router, with every layer (request id, access log, metrics, panic
/// guard, timeout, head and body limits, CORS). Pure: it only reads `state`.
pub fn app(state: AppState) -> Router {
    let routes = routes::router()
        .fallback(|| async { ApiError::NotFound })
        .method_not_allowed_fallback(|| async { ApiError::MethodNotAllowed });
    with_layers(routes, state)
}

/// `routes` with the service's layer stack, as [`app`] builds it: for tests that need
/// a route the service does not have (a handler that panics).
#[doc(hidden)]
pub fn with_layers(routes: Router<AppState>, state: AppState) -> Router {
    let snap = state.snapshot();
    let cors = &snap.config.cors;
    let mut router = layers::wrap(routes, &state).with_state(state.clone());
    if !cors.allowed_origins.is_empty() {
        let origins: Vec<HeaderValue> = cors
            .allowed_origins
            .iter()
            .filter_map(|o| HeaderValue::try_from(o.as_str()).ok())
            .collect();
        router = router.layer(
            CorsLayer::new()
                .allow_origin(AllowOrigin::list(origins))
                .allow_methods([Method::GET, Method::POST])
                .allow_headers([header::AUTHORIZATION, header::CONTENT_TYPE])
                .expose_headers([
                    header::RETRY_AFTER,
                    header::HeaderName::from_static("x-request-id"),
                ])
                .max_age(std::time::Duration::from_secs(cors.max_age_seconds)),
        );
    }
    router
}
