//! Prometheus metrics: the registry and the metric families, nothing about requests.
//!
//! Metrics: `zego_token_tokens_issued_total{app_id, kind}`,
//! `zego_token_refusals_total{reason}`, `zego_token_http_request_duration_seconds{route,
//! status}` (histogram), `zego_token_config_reloads_total{result}`,
//! `zego_token_http_requests_in_flight`, `zego_token_connections_open`,
//! `zego_token_connections_refused_total`, `zego_token_draining` (1 once shutdown has
//! begun), `zego_token_rate_limit_store_errors_total{kind}`. Labels are enums and
//! integers, so the hot path allocates nothing for them.
//!
//! The latency histogram is a fixed table of atomic cells, one per route and status
//! the service answers with (created with the registry, so a request takes no lock and
//! hashes no label); a cell appears in the exposition once it has counted a request,
//! as a `Family` member would. The request layers that feed these live in
//! `crate::layers`.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::{MatchedPath, State};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use prometheus_client::encoding::{
    EncodeLabelSet, EncodeLabelValue, EncodeMetric, MetricEncoder, NoLabelSet,
};
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::{MetricType, TypedMetric};
use prometheus_client::registry::Registry;

use crate::error::ApiError;

/// The route a request matched, as a metrics label.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, EncodeLabelValue)]
#[allow(non_camel_case_types, reason = "label values are the snake_case names")]
pub(crate) enum Route {
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
    /// Every route, in label order.
    const ALL: [Self; 8] = [
        Self::token,
        Self::inspect,
        Self::apps,
        Self::health,
        Self::metrics,
        Self::openapi,
        Self::console,
        Self::other,
    ];

    /// The route of a request, from the path axum matched (none for a 404).
    pub(crate) fn from_path(path: Option<&MatchedPath>) -> Self {
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

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, EncodeLabelSet)]
struct LatencyLabels {
    route: Route,
    status: u16,
}

/// Upper bounds of the latency buckets: 50 µs doubling 16 times (to ~1.6 s), then +Inf.
const BUCKETS_NS: [u64; 16] = {
    let mut b = [0u64; 16];
    let mut i = 0;
    while i < 16 {
        b[i] = 50_000 << i;
        i += 1;
    }
    b
};

/// One latency histogram on atomics: a count per bucket (the last is +Inf), the total
/// count and the sum in nanoseconds (exact, and summed without a compare-and-swap).
#[derive(Debug, Default)]
struct Cell {
    buckets: [AtomicU64; BUCKETS_NS.len() + 1],
    count: AtomicU64,
    sum_ns: AtomicU64,
}

impl Cell {
    fn observe(&self, elapsed: Duration) {
        let ns = u64::try_from(elapsed.as_nanos()).unwrap_or(u64::MAX);
        let i = BUCKETS_NS.partition_point(|&b| b < ns);
        self.buckets[i].fetch_add(1, Ordering::Relaxed);
        self.sum_ns.fetch_add(ns, Ordering::Relaxed);
        self.count.fetch_add(1, Ordering::Relaxed);
    }

    fn encode(&self, mut encoder: MetricEncoder<'_>) -> Result<(), std::fmt::Error> {
        let mut buckets = [(0.0, 0u64); BUCKETS_NS.len() + 1];
        for (i, slot) in buckets.iter_mut().enumerate() {
            let bound = BUCKETS_NS
                .get(i)
                .map_or(f64::INFINITY, |&ns| ns as f64 / 1e9);
            *slot = (bound, self.buckets[i].load(Ordering::Relaxed));
        }
        // The count is the sum of the buckets read, so the exposition is consistent
        // even while requests are being counted.
        let count = buckets.iter().map(|b| b.1).sum();
        let sum = self.sum_ns.load(Ordering::Relaxed) as f64 / 1e9;
        encoder.encode_histogram::<NoLabelSet>(sum, count, &buckets, None)
    }
}

/// The statuses the service answers with (`crate::error`'s table, 200 and the
/// fallbacks): each has a pre-made cell per route.
const STATUSES: [u16; 15] = [
    200, 204, 304, 400, 401, 403, 404, 405, 408, 413, 415, 422, 429, 431, 500,
];
/// 503, 504 and any other status get a cell on first use, in `Latency::rare`.
fn status_index(status: u16) -> Option<usize> {
    STATUSES.iter().position(|&s| s == status)
}

/// `http_request_duration_seconds{route, status}`: a fixed table of atomic cells for
/// the known routes × [`STATUSES`], and a locked map for any other status (rare: only
/// a status the table does not list takes the lock).
#[derive(Debug, Default)]
struct LatencyTable {
    cells: [[Cell; STATUSES.len()]; Route::ALL.len()],
    rare: Mutex<BTreeMap<LatencyLabels, Arc<Cell>>>,
}

#[derive(Debug, Clone, Default)]
struct Latency(Arc<LatencyTable>);

impl Latency {
    fn observe(&self, route: Route, status: StatusCode, elapsed: Duration) {
        let status = status.as_u16();
        if let Some(i) = status_index(status) {
            self.0.cells[route as usize][i].observe(elapsed);
            return;
        }
        let cell = {
            let mut rare = self
                .0
                .rare
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            rare.entry(LatencyLabels { route, status })
                .or_default()
                .clone()
        };
        cell.observe(elapsed);
    }
}

impl TypedMetric for Latency {
    const TYPE: MetricType = MetricType::Histogram;
}

impl EncodeMetric for Latency {
    fn encode(&self, mut encoder: MetricEncoder<'_>) -> Result<(), std::fmt::Error> {
        for route in Route::ALL {
            for (i, &status) in STATUSES.iter().enumerate() {
                let cell = &self.0.cells[route as usize][i];
                if cell.count.load(Ordering::Relaxed) > 0 {
                    cell.encode(encoder.encode_family(&LatencyLabels { route, status })?)?;
                }
            }
        }
        let rare: Vec<(LatencyLabels, Arc<Cell>)> = self
            .0
            .rare
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .iter()
            .map(|(l, c)| (l.clone(), c.clone()))
            .collect();
        for (labels, cell) in &rare {
            cell.encode(encoder.encode_family(labels)?)?;
        }
        Ok(())
    }

    fn metric_type(&self) -> MetricType {
        MetricType::Histogram
    }
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
    latency: Latency,
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
        let latency = Latency::default();
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

    /// The in-flight gauge (`crate::layers::metrics` holds a request in it).
    pub(crate) fn in_flight_gauge(&self) -> &Gauge {
        &self.in_flight
    }

    /// Records a request's latency by route and status.
    pub(crate) fn observe(&self, route: Route, status: StatusCode, elapsed: Duration) {
        self.latency.observe(route, status, elapsed);
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

/// The exposition as a response (`GET /metrics`).
pub(crate) fn render(metrics: &Metrics) -> Response {
    match metrics.encode() {
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

/// A router with only `/metrics`, for a separate (loopback) listener. `state` is the
/// service's [`AppState`](crate::AppState) (anything that holds the [`Metrics`]).
pub(crate) fn metrics_router<S>(state: S) -> axum::Router
where
    S: AsRef<Metrics> + Clone + Send + Sync + 'static,
{
    axum::Router::new()
        .route(
            "/metrics",
            axum::routing::get(|State(s): State<S>| async move { render(s.as_ref()) }),
        )
        .with_state(state)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latency_cells_render_as_the_histogram_family_did() {
        let m = Metrics::new();
        m.observe(Route::token, StatusCode::OK, Duration::from_micros(70));
        m.observe(Route::token, StatusCode::OK, Duration::from_secs(5));
        m.observe(
            Route::other,
            StatusCode::GATEWAY_TIMEOUT,
            Duration::from_micros(10),
        );
        let text = m.encode().unwrap();
        let name = "zego_token_http_request_duration_seconds";
        let line = |l: &str| text.lines().any(|x| x == format!("{name}_{l}"));
        assert!(line(r#"count{route="token",status="200"} 2"#), "{text}");
        assert!(line(r#"sum{route="token",status="200"} 5.00007"#), "{text}");
        assert!(
            line(r#"bucket{le="0.00005",route="token",status="200"} 0"#),
            "{text}"
        );
        assert!(
            line(r#"bucket{le="0.0001",route="token",status="200"} 1"#),
            "{text}"
        );
        assert!(
            line(r#"bucket{le="1.6384",route="token",status="200"} 1"#),
            "{text}"
        );
        assert!(
            line(r#"bucket{le="+Inf",route="token",status="200"} 2"#),
            "{text}"
        );
        // A status outside the table still gets its own cell.
        assert!(line(r#"count{route="other",status="504"} 1"#), "{text}");
        assert!(
            line(r#"bucket{le="0.00005",route="other",status="504"} 1"#),
            "{text}"
        );
        // Cells that counted nothing are not exposed.
        assert!(!text.contains(r#"route="inspect""#), "{text}");
    }
}
