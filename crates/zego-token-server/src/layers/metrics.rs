//! Request metrics: the in-flight gauge (held until the answer is ready, or until the
//! request is dropped because its connection went away), the latency histogram by
//! route and status, and the refusal counter by error code (from the [`ErrorInfo`]
//! extension of error answers). The registry itself is `crate::metrics`.

use std::time::Instant;

use axum::response::Response;
use prometheus_client::metrics::gauge::Gauge;

use crate::error::ErrorInfo;
use crate::metrics::Route;
use crate::state::AppState;

/// Counts a request as in flight until dropped (so a request dropped because its
/// connection went away is not counted forever).
pub(crate) struct InFlight<'a>(&'a Gauge);

impl<'a> InFlight<'a> {
    pub(crate) fn new(state: &'a AppState) -> Self {
        let g = state.metrics().in_flight_gauge();
        g.inc();
        Self(g)
    }
}

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        self.0.dec();
    }
}

/// Records the answer `resp` of a request to `route` that began at `start`: latency
/// by route and status, and the refusal by its error code.
pub(crate) fn record(state: &AppState, route: Route, resp: &Response, start: Instant) {
    let metrics = state.metrics();
    metrics.observe(route, resp.status(), start.elapsed());
    if let Some(info) = resp.extensions().get::<ErrorInfo>() {
        metrics.refused(info.code);
    }
}
