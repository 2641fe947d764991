//! `GET /console`: the debug console, one embedded page that calls the same
//! authenticated JSON API. On with `--dev`, off in production unless
//! `[console] enabled = true`; when off the route answers 404.

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use base64::Engine as _;
use sha2::{Digest, Sha256};
use std::sync::LazyLock;

use crate::error::ApiError;
use crate::state::AppState;

/// The page, embedded at build time.
pub(crate) const CONSOLE_HTML: &str = include_str!("../../assets/console.html");

pub(crate) fn router() -> Router<AppState> {
    Router::new().route("/console", get(console))
}

async fn console(State(state): State<AppState>) -> Response {
    if !state.snapshot().config.console.enabled {
        return ApiError::NotFound.into_response();
    }
    let mut r = Html(CONSOLE_HTML).into_response();
    let h = r.headers_mut();
    h.insert(header::CONTENT_SECURITY_POLICY, CSP.clone());
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

/// The page's Content-Security-Policy: only its own inline `<script>` and `<style>`
/// blocks run (allowed by their SHA-256, so an injected script or style would not), and
/// it only talks to its own origin.
static CSP: LazyLock<HeaderValue> = LazyLock::new(|| {
    let script = inline_hash(CONSOLE_HTML, "<script>", "</script>");
    let style = inline_hash(CONSOLE_HTML, "<style>", "</style>");
    let csp = format!(
        "default-src 'none'; script-src '{script}'; style-src '{style}'; connect-src 'self'; \
         img-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    );
    HeaderValue::from_str(&csp).expect("base64 hashes are valid header text")
});

/// `sha256-<base64>` of the text between the first `open` and the next `close`, as CSP
/// hashes inline blocks (CSP Level 3, "hash-source").
fn inline_hash(page: &str, open: &str, close: &str) -> String {
    let start = page.find(open).map_or(0, |i| i + open.len());
    let end = page[start..].find(close).map_or(page.len(), |i| start + i);
    let digest = Sha256::digest(&page.as_bytes()[start..end]);
    format!(
        "sha256-{}",
        base64::engine::general_purpose::STANDARD.encode(digest)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_has_exactly_one_inline_script_and_style_and_the_csp_pins_them() {
        assert_eq!(CONSOLE_HTML.matches("<script").count(), 1);
        assert_eq!(CONSOLE_HTML.matches("<style").count(), 1);
        // No inline event handlers or style attributes: the hashes would not cover them.
        assert!(!CONSOLE_HTML.contains(" onclick="));
        assert!(!CONSOLE_HTML.contains(" style=\""));
        let csp = CSP.to_str().unwrap();
        assert!(!csp.contains("unsafe-inline"), "{csp}");
        assert!(csp.contains(&inline_hash(CONSOLE_HTML, "<script>", "</script>")));
        assert_eq!(
            inline_hash("a<x>b</x>", "<x>", "</x>"),
            inline_hash("b", "", "\u{0}")
        );
    }
}
