#![doc = include_str!("../README.md")]
//!
//! # Layout
//!
//! Public, for an application embedding the service:
//!
//! * [`config`]: [`Config`], defaults → TOML → `ZEGO_TOKEN_…` environment; secrets from
//!   variables or files, never inline.
//! * [`AppState`]: the shared state, built from a [`Config`]; the reloadable part is
//!   swapped atomically by [`AppState::reload`] ([`reload_from_file`] and
//!   [`reload_from_env`] are what `SIGHUP` runs in `zego-token serve`).
//! * [`app`]: the router with every layer; [`metrics_app`]: `/metrics` alone, for a
//!   separate listener.
//! * [`serve`](fn@serve): runs [`app`] on a plain or TLS [`ServiceListener`]
//!   ([`load_tls`]) with graceful, bounded shutdown after a drain delay
//!   ([`serve_with_drain`] can end it early); [`PeerAddr`] is the `ConnectInfo` the
//!   routes read, for an embedder serving [`app`] with `axum::serve`.
//! * [`ApiError`]: every error the API answers, the only status table; every error is
//!   `{"error": {"code", "message"}}`.
//!
//! Private: `auth` (the caller extractor: API keys compared as SHA-256 in constant
//! time, login JWTs through `jwt`), `policy` (what a caller may ask for), `rate_limit`
//! (in-memory and Redis stores), `proxy` (client IP behind proxies), `routes`
//! (`/v1/token`, `/v1/inspect`, `/v1/apps`, `/healthz`, `/readyz`, `/console`),
//! `metrics` (the registry), `openapi` (`/openapi.json`), `layers` (the request
//! pipeline, one layer per concern: request id, access log, metrics, panic guard,
//! snapshot + timeout, head and body limits), `body`, `state`, `serve`'s connection
//! loop. `testing` (feature `test-util`, off by default) opens some of them to this
//! crate's own tests and fuzz targets; it is not part of the API.
//!
//! The process around the service (flags, runtime, log subscriber, signals, the
//! `--dev` banner) is the `zego-token` binary's (`crates/zego-token-cli`).

// `testing` (feature `test-util`) shows internals with their own docs, which link to
// other internals; the embedding docs (default features) stay free of such links.
#![cfg_attr(feature = "test-util", allow(rustdoc::private_intra_doc_links))]

// The items `testing` re-exports (and the types they expose) are `pub` for it, and a
// few (`fingerprint`, the login-JWT verifier's and rate limiters' test constructors)
// are used by the tests alone: without the feature nothing outside reaches them. The
// lints still check these modules in `test-util` builds (the crate's tests and
// `cargo clippy --all-targets` enable the feature).
#[cfg_attr(not(feature = "test-util"), allow(unreachable_pub, dead_code))]
mod auth;
mod body;
pub mod config;
mod error;
mod files;
#[cfg_attr(not(feature = "test-util"), allow(unreachable_pub, dead_code))]
mod jwt;
mod layers;
#[cfg_attr(not(feature = "test-util"), allow(unreachable_pub))]
mod metrics;
#[cfg_attr(not(feature = "test-util"), allow(unreachable_pub))]
mod openapi;
#[cfg_attr(not(feature = "test-util"), allow(unreachable_pub))]
mod policy;
mod proxy;
#[cfg_attr(not(feature = "test-util"), allow(unreachable_pub, dead_code))]
mod rate_limit;
mod reload;
mod routes;
mod serve;
#[cfg_attr(not(feature = "test-util"), allow(unreachable_pub))]
mod state;
#[cfg(any(test, feature = "test-util"))]
pub mod testing;

use axum::Router;
use axum::http::{HeaderValue, Method, header};
use tower_http::cors::{AllowOrigin, CorsLayer};

// public interface
pub use crate::config::{Config, ConfigError, Env};
pub use crate::error::ApiError;
pub use crate::proxy::PeerAddr;
pub use crate::reload::{reload_from_env, reload_from_file};
pub use crate::serve::{ServiceListener, load_tls, serve, serve_with_drain};
pub use crate::state::AppState;

/// The service's router, with every layer (request id, access log, metrics, panic
/// guard, timeout, head and body limits, CORS). Pure: it only reads `state`.
///
/// The routes read the peer address as `ConnectInfo<`[`PeerAddr`]`>`: [`serve`] provides
/// it; with `axum::serve`, use `into_make_service_with_connect_info::<PeerAddr>()`.
pub fn app(state: AppState) -> Router {
    let routes = routes::router()
        .route("/openapi.json", axum::routing::get(openapi::openapi_json))
        .fallback(|| async { ApiError::NotFound })
        .method_not_allowed_fallback(|| async { ApiError::MethodNotAllowed });
    with_layers(routes, state)
}

/// A router with only `GET /metrics` (the Prometheus/OpenMetrics exposition), for a
/// separate listener: what `zego-token serve` runs on `metrics.listen`. With
/// `metrics.listen` unset, [`app`] serves `/metrics` itself.
pub fn metrics_app(state: AppState) -> Router {
    metrics::metrics_router(state)
}

/// `routes` with the service's layer stack, as [`app`] builds it.
pub(crate) fn with_layers(routes: Router<AppState>, state: AppState) -> Router {
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
