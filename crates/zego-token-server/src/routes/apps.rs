//! `GET /v1/apps`: the apps this caller may use, and what its policy lets it ask for
//! (TTL cap, cipher modes, basic tokens, publish), so a client such as the console can
//! pre-fill a request that the service will accept.

use axum::Router;
use axum::response::Response;
use axum::routing::get;
use serde::Serialize;
use utoipa::ToSchema;
use zego_token::CipherMode;

use crate::auth::Caller;
use crate::error::json_response;
use crate::policy::Lifetimes;
use crate::routes::token::Mode;
use crate::state::AppState;

/// One app.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct AppInfo {
    /// The AppID.
    pub app_id: u32,
    /// Whether this is the only app configured on the server (requests without
    /// `app_id` get it). See `default_app_id` for the app this caller gets.
    pub default: bool,
    /// Whether this is the public demo app (ZEGO refuses its tokens).
    pub demo: bool,
}

/// The answer of `GET /v1/apps`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct AppsResponse {
    /// The apps this caller may use, by AppID.
    pub apps: Vec<AppInfo>,
    /// The app a `POST /v1/token` without `app_id` gets for this caller (the only app
    /// configured, or the only one it may use); `null` when it must name one.
    pub default_app_id: Option<u32>,
    /// The longest `ttl_seconds` this caller may ask for: its policy's
    /// `max_ttl_seconds`, within the server's `token.max_ttl_seconds`.
    pub max_ttl_seconds: u64,
    /// The TTL a request without `ttl_seconds` gets: `token.default_ttl_seconds`,
    /// lowered to `max_ttl_seconds`.
    pub default_ttl_seconds: u64,
    /// The cipher modes this caller may ask for.
    pub modes: Vec<Mode>,
    /// Whether this caller may get basic tokens (without `room_id`); when false, every
    /// request needs a `room_id`.
    pub allow_basic: bool,
    /// Whether this caller may grant the publish privilege.
    pub allow_publish: bool,
}

pub(crate) fn router() -> Router<AppState> {
    Router::new().route("/v1/apps", get(list))
}

/// List the caller's apps and what it may ask for.
#[utoipa::path(
    get,
    path = "/v1/apps",
    tag = "tokens",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The apps this caller may use and the limits of its policy", body = AppsResponse),
        (status = 401, description = "No or unknown credentials", body = crate::error::ErrorBody),
    )
)]
pub(crate) async fn list(caller: Caller) -> Response {
    let snap = &*caller.snapshot;
    let default = snap.default_app();
    let apps = snap
        .app_ids()
        .filter(|id| caller.policy.allows_app(*id))
        .map(|app_id| AppInfo {
            app_id,
            default: default == Some(app_id),
            demo: snap.app(app_id).is_some_and(|a| a.demo),
        })
        .collect();
    // The same choices `POST /v1/token` makes (`Policy::decide`).
    let policy = &caller.policy;
    let default_app_id = policy.default_app(&snap.apps);
    let lifetimes = Lifetimes::from(&snap.config.token);
    let identity = caller.identity.as_ref();
    let modes = policy
        .modes
        .iter()
        .map(|m| match m {
            CipherMode::Gcm => Mode::Gcm,
            CipherMode::Cbc => Mode::Cbc,
        })
        .collect();
    json_response(&AppsResponse {
        apps,
        default_app_id,
        max_ttl_seconds: policy.ttl_cap(lifetimes.max_ttl_seconds),
        default_ttl_seconds: policy.default_ttl(lifetimes),
        modes,
        allow_basic: policy.allows_basic(identity),
        allow_publish: policy.allows_publish(identity),
    })
}
