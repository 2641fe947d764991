//! `GET /console`: the debug console, one embedded page that calls the same
//! authenticated JSON API. On with `--dev`, off in production unless
//! `[console] enabled = true`; when off the route answers 404.

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;

use crate::error::ApiError;
use crate::state::AppState;

/// The page, embedded at build time.
pub const CONSOLE_HTML: &str = include_str!("../../assets/console.html");

pub(crate) fn router() -> Router<AppState> {
    Router::new().route("/console", get(console))
}

async fn console(State(state): State<AppState>) -> Response {
    if !state.snapshot().console {
        return ApiError::NotFound.into_response();
    }
    let mut r = Html(CONSOLE_HTML).into_response();
    let h = r.headers_mut();
    // The page only talks to its own origin.
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; connect-src 'self'; frame-ancestors 'none'",
        ),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}
