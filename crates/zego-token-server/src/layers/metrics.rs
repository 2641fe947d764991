//! Request metrics: the in-flight gauge (held until the answer is ready, or until the
//! request is dropped because its connection went away), the latency histogram by
//! route and status, and the refusal counter by error code (from the [`ErrorInfo`]
//! extension of error answers). The registry itself is `crate::metrics`.

use std::convert::Infallible;
use std::task::{Context, Poll};
use std::time::Instant;

use axum::extract::{MatchedPath, Request};
use axum::response::Response;
use prometheus_client::metrics::gauge::Gauge;
use tower::{Layer, Service};

use super::ResponseFuture;
use crate::error::ErrorInfo;
use crate::metrics::Route;
use crate::state::AppState;

/// Feeds the request metrics of the state's registry.
#[derive(Debug, Clone)]
pub(crate) struct MetricsLayer {
    state: AppState,
}

impl MetricsLayer {
    pub(crate) fn new(state: AppState) -> Self {
        Self { state }
    }
}

impl<S> Layer<S> for MetricsLayer {
    type Service = RequestMetrics<S>;

    fn layer(&self, inner: S) -> Self::Service {
        RequestMetrics {
            inner,
            state: self.state.clone(),
        }
    }
}

/// The service of [`MetricsLayer`].
#[derive(Debug, Clone)]
pub(crate) struct RequestMetrics<S> {
    inner: S,
    state: AppState,
}

/// Counts a request as in flight until dropped.
struct InFlight(Gauge);

impl InFlight {
    fn new(g: &Gauge) -> Self {
        g.inc();
        Self(g.clone())
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.dec();
    }
}

impl<S> Service<Request> for RequestMetrics<S>
where
    S: Service<Request, Response = Response, Error = Infallible> + Clone + Send + 'static,
    S::Future: Send + 'static,
{
    type Response = Response;
    type Error = Infallible;
    type Future = ResponseFuture;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, req: Request) -> Self::Future {
        let start = Instant::now();
        let route = Route::from_path(req.extensions().get::<MatchedPath>());
        let state = self.state.clone();
        let in_flight = InFlight::new(state.metrics().in_flight_gauge());
        let fut = self.inner.call(req);
        Box::pin(async move {
            let Ok(resp) = fut.await;
            drop(in_flight);
            let metrics = state.metrics();
            metrics.observe(route, resp.status(), start.elapsed());
            if let Some(info) = resp.extensions().get::<ErrorInfo>() {
                metrics.refused(info.code);
            }
            Ok(resp)
        })
    }
}
