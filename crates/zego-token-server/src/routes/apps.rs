//! `GET /v1/apps`: the apps this caller may use.

use axum::Router;
use axum::response::Response;
use axum::routing::get;
use serde::Serialize;
use utoipa::ToSchema;

use crate::auth::Caller;
use crate::error::json_response;
use crate::state::AppState;

/// One app.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AppInfo {
    /// The AppID.
    pub app_id: u32,
    /// Whether requests without `app_id` get this app.
    pub default: bool,
    /// Whether this is the public demo app (ZEGO refuses its tokens).
    pub demo: bool,
}

/// The answer of `GET /v1/apps`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AppsResponse {
    /// The apps.
    pub apps: Vec<AppInfo>,
}

pub(crate) fn router() -> Router<AppState> {
    Router::new().route("/v1/apps", get(list))
}

/// List the caller's apps.
#[utoipa::path(
    get,
    path = "/v1/apps",
    tag = "tokens",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The apps this caller may use", body = AppsResponse),
        (status = 401, description = "No or unknown credentials", body = crate::openapi::ErrorBody),
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
    json_response(&AppsResponse { apps })
}
