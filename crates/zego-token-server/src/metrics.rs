//! Prometheus metrics, and the request middleware that feeds them and the access log.
//!
//! Metrics: `zego_token_tokens_issued_total{app_id, kind}`,
//! `zego_token_refusals_total{reason}`, `zego_token_http_request_duration_seconds{route,
//! status}` (histogram), `zego_token_config_reloads_total{result}`, `zego_token_draining`
//! (1 once shutdown has begun). Labels are enums and integers, so the hot path allocates
//! nothing for them.
//!
//! The middleware (`observe`) gives each request an id (the incoming `x-request-id`
//! if it is short and plain, else a new one), runs the request inside a tracing span
//! carrying it, bounds it with the request timeout, records latency by matched route,
//! counts refusals from the [`ErrorInfo`] extension, writes one access-log line, and
//! echoes the id in `x-request-id`.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderName, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use prometheus_client::encoding::{EncodeLabelSet, EncodeLabelValue};
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;
use tracing::Instrument;

use crate::error::{ApiError, ErrorInfo};
use crate::state::AppState;

/// The route a request matched, as a metrics label.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EncodeLabelValue)]
#[allow(non_camel_case_types, reason = "label values are the snake_case names")]
pub enum Route {
    /// `POST /v1/token`
    token,
    /// `POST /v1/inspect`
    inspect,
    /// `GET /v1/apps`
    apps,
    /// `/healthz`, `/readyz`
    health,
    /// `/metrics`
    metrics,
    /// `/openapi.json`
    openapi,
    /// `/console`
    console,
    /// Anything else (404s).
    other,
}

impl Route {
    fn from_path(path: Option<&MatchedPath>) -> Self {
        match path.map(MatchedPath::as_str) {
            Some("/v1/token") => Self::token,
            Some("/v1/inspect") => Self::inspect,
            Some("/v1/apps") => Self::apps,
            Some("/healthz" | "/readyz") => Self::health,
            Some("/metrics") => Self::metrics,
            Some("/openapi.json") => Self::openapi,
            Some("/console") => Self::console,
            _ => Self::other,
        }
    }
}

/// Token kind label.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EncodeLabelValue)]
#[allow(non_camel_case_types, reason = "label values are the snake_case names")]
pub enum Kind {
    /// Empty payload.
    basic,
    /// Room privilege payload.
    privilege,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, EncodeLabelSet)]
struct TokenLabels {
    app_id: u32,
    kind: Kind,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, EncodeLabelSet)]
struct RefusalLabels {
    reason: &'static str,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, EncodeLabelSet)]
struct LatencyLabels {
    route: Route,
    status: u16,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, EncodeLabelSet)]
struct ReloadLabels {
    result: &'static str,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, EncodeLabelSet)]
struct StoreErrorLabels {
    kind: &'static str,
}

/// `zego_token_rate_limit_store_errors_total{kind}`: requests whose shared rate-limit
/// store (Redis) failed, by kind (`timeout`, `connection`, `response`, `skipped`).
/// Cheap to clone (the limiter holds one).
#[derive(Debug, Clone, Default)]
pub struct StoreErrors(Family<StoreErrorLabels, Counter>);

impl StoreErrors {
    /// Counts one failed store call.
    pub fn inc(&self, kind: &'static str) {
        self.0.get_or_create(&StoreErrorLabels { kind }).inc();
    }

    /// The count for one kind.
    #[must_use]
    pub fn get(&self, kind: &'static str) -> u64 {
        self.0.get_or_create(&StoreErrorLabels { kind }).get()
    }
}

/// The service's metrics and their registry.
#[derive(Debug)]
pub struct Metrics {
    registry: Registry,
    tokens: Family<TokenLabels, Counter>,
    refusals: Family<RefusalLabels, Counter>,
    latency: Family<LatencyLabels, Histogram>,
    reloads: Family<ReloadLabels, Counter>,
    store_errors: StoreErrors,
    in_flight: Gauge,
    connections_open: Gauge,
    connections_refused: Counter,
    draining: Gauge,
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

impl Metrics {
    /// Registers every metric.
    #[must_use]
    pub fn new() -> Self {
        let mut registry = Registry::with_prefix("zego_token");
        let tokens = Family::<TokenLabels, Counter>::default();
        let refusals = Family::<RefusalLabels, Counter>::default();
        let latency = Family::<LatencyLabels, Histogram>::new_with_constructor(
            (|| Histogram::new(exponential_buckets(0.000_05, 2.0, 16))) as fn() -> Histogram,
        );
        let reloads = Family::<ReloadLabels, Counter>::default();
        registry.register(
            "tokens_issued",
            "Tokens issued, by app and kind",
            tokens.clone(),
        );
        registry.register("refusals", "Requests refused, by reason", refusals.clone());
        registry.register(
            "http_request_duration_seconds",
            "Request latency, by route and status",
            latency.clone(),
        );
        registry.register(
            "config_reloads",
            "Configuration reloads, by result",
            reloads.clone(),
        );
        let store_errors = StoreErrors::default();
        registry.register(
            "rate_limit_store_errors",
            "Requests whose shared rate-limit store (Redis) failed or was slow, by kind",
            store_errors.0.clone(),
        );
        let in_flight = Gauge::default();
        registry.register(
            "http_requests_in_flight",
            "Requests being served",
            in_flight.clone(),
        );
        let connections_open = Gauge::default();
        registry.register(
            "connections_open",
            "Client connections open",
            connections_open.clone(),
        );
        let connections_refused = Counter::default();
        registry.register(
            "connections_refused",
            "Connections closed at once because limits.max_connections was reached",
            connections_refused.clone(),
        );
        let draining = Gauge::default();
        registry.register(
            "draining",
            "1 once shutdown has begun (/readyz answers 503), else 0",
            draining.clone(),
        );
        Self {
            registry,
            tokens,
            refusals,
            latency,
            reloads,
            store_errors,
            in_flight,
            connections_open,
            connections_refused,
            draining,
        }
    }

    /// Counts an issued token.
    pub fn token_issued(&self, app_id: u32, kind: Kind) {
        self.tokens
            .get_or_create(&TokenLabels { app_id, kind })
            .inc();
    }

    /// Counts a refusal.
    pub fn refused(&self, reason: &'static str) {
        self.refusals.get_or_create(&RefusalLabels { reason }).inc();
    }

    /// Counts a reload attempt.
    pub fn reloaded(&self, ok: bool) {
        let result = if ok { "ok" } else { "refused" };
        self.reloads.get_or_create(&ReloadLabels { result }).inc();
    }

    /// The rate-limit store's error counter.
    #[must_use]
    pub fn rate_limit_store_errors(&self) -> &StoreErrors {
        &self.store_errors
    }

    /// Counts a connection closed at once for the connection cap.
    pub fn connection_refused(&self) {
        self.connections_refused.inc();
    }

    pub(crate) fn connection_opened(&self) {
        self.connections_open.inc();
    }

    pub(crate) fn set_draining(&self) {
        self.draining.set(1);
    }

    pub(crate) fn connection_closed(&self) {
        self.connections_open.dec();
    }

    /// Client connections open right now.
    #[must_use]
    pub fn connections_open(&self) -> i64 {
        self.connections_open.get()
    }

    /// Connections refused so far for the connection cap.
    #[must_use]
    pub fn connections_refused(&self) -> u64 {
        self.connections_refused.get()
    }

    /// Requests being served right now.
    #[must_use]
    pub fn in_flight(&self) -> i64 {
        self.in_flight.get()
    }

    fn observe(&self, route: Route, status: StatusCode, secs: f64) {
        self.latency
            .get_or_create(&LatencyLabels {
                route,
                status: status.as_u16(),
            })
            .observe(secs);
    }

    /// The OpenMetrics text exposition.
    ///
    /// # Errors
    ///
    /// Only if formatting fails (it writes to a `String`).
    pub fn encode(&self) -> Result<String, std::fmt::Error> {
        let mut out = String::with_capacity(4096);
        prometheus_client::encoding::text::encode(&mut out, &self.registry)?;
        Ok(out)
    }
}

/// `GET /metrics`.
pub(crate) async fn metrics_handler(State(state): State<AppState>) -> Response {
    if !state.metrics_on_main() {
        return ApiError::NotFound.into_response();
    }
    render(&state)
}

pub(crate) fn render(state: &AppState) -> Response {
    match state.metrics().encode() {
        Ok(text) => (
            [(
                axum::http::header::CONTENT_TYPE,
                HeaderValue::from_static(
                    "application/openmetrics-text; version=1.0.0; charset=utf-8",
                ),
            )],
            text,
        )
            .into_response(),
        Err(e) => ApiError::Internal(format!("encoding metrics: {e}")).into_response(),
    }
}

/// A router with only `/metrics`, for a separate (loopback) listener.
pub fn metrics_router(state: AppState) -> axum::Router {
    axum::Router::new()
        .route(
            "/metrics",
            axum::routing::get(|State(s): State<AppState>| async move { render(&s) }),
        )
        .with_state(state)
}

static REQUEST_SEQ: AtomicU64 = AtomicU64::new(0);
static X_REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

fn request_id(req: &Request, prefix: u32) -> HeaderValue {
    if let Some(v) = req.headers().get(&X_REQUEST_ID)
        && v.len() <= 64
        && !v.is_empty()
        && v.as_bytes()
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
    {
        return v.clone();
    }
    let n = REQUEST_SEQ.fetch_add(1, Ordering::Relaxed);
    let mut buf = [0u8; 24];
    let text = hex_id(&mut buf, prefix, n);
    HeaderValue::from_str(text).unwrap_or_else(|_| HeaderValue::from_static("0"))
}

fn hex_id(buf: &mut [u8; 24], prefix: u32, n: u64) -> &str {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut v = (u128::from(prefix) << 64) | u128::from(n);
    for slot in buf.iter_mut().rev() {
        *slot = HEX[usize::try_from(v & 0xf).unwrap_or(0)];
        v >>= 4;
    }
    std::str::from_utf8(buf).unwrap_or("0")
}

/// Counts a request as in flight until dropped (also when the connection goes away).
struct InFlight<'a>(&'a Gauge);

impl<'a> InFlight<'a> {
    fn new(g: &'a Gauge) -> Self {
        g.inc();
        Self(g)
    }
}

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        self.0.dec();
    }
}

/// The request middleware: id, span, body, timeout, metrics, access log.
pub(crate) async fn observe(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let start = Instant::now();
    let route = Route::from_path(req.extensions().get::<MatchedPath>());
    let id = request_id(&req, state.instance_id());
    let span = tracing::info_span!(
        "request",
        id = id.to_str().unwrap_or(""),
        method = %req.method(),
        route = ?route,
        caller = tracing::field::Empty,
    );
    let timeout = state.request_timeout();
    let version = req.version();
    let _in_flight = InFlight::new(&state.metrics().in_flight);
    // Head limits, authentication before any body is buffered, the body budget (see
    // `crate::body`); a response that leaves a body unread closes the connection and
    // says so.
    let st = state.clone();
    let run = async move { crate::body::run(&st, route, req, next).await };
    let (mut resp, close) = match tokio::time::timeout(timeout, run.instrument(span.clone())).await
    {
        Ok(r) => r,
        Err(_) => (ApiError::Timeout.into_response(), true),
    };
    if close {
        crate::body::close_connection(version, &mut resp);
    }
    let status = resp.status();
    let elapsed = start.elapsed();
    state
        .metrics()
        .observe(route, status, elapsed.as_secs_f64());
    let _enter = span.enter();
    if let Some(info) = resp.extensions().get::<ErrorInfo>() {
        state.metrics().refused(info.code);
        let detail = info.detail.as_deref();
        if status.is_server_error() {
            tracing::error!(
                status = status.as_u16(),
                code = info.code,
                detail,
                latency_us = elapsed.as_micros() as u64,
                "request failed"
            );
        } else {
            tracing::info!(
                status = status.as_u16(),
                code = info.code,
                detail,
                latency_us = elapsed.as_micros() as u64,
                "request refused"
            );
        }
    } else {
        tracing::info!(
            status = status.as_u16(),
            latency_us = elapsed.as_micros() as u64,
            "request"
        );
    }
    resp.headers_mut().insert(X_REQUEST_ID.clone(), id);
    resp
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_fixed_width_hex() {
        let mut buf = [0u8; 24];
        assert_eq!(hex_id(&mut buf, 0xdead_beef, 1), "deadbeef0000000000000001");
    }
}
