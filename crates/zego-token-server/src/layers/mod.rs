//! The request layers, one concern each, in the order a request meets them:
//!
//! 1. [`request_id`]: the id (the incoming `x-request-id` if it is short and plain,
//!    else a new one), in the request extensions and echoed in the response.
//! 2. [`access_log`]: the `request` tracing span (id, method, route, caller) around
//!    everything below, and one access-log line per request.
//! 3. [`metrics`]: the in-flight gauge, latency by route and status, refusals by code.
//! 4. [`panic`]: a panic below becomes a 500 with the JSON error shape, which the
//!    observing layers above log and count like any other answer.
//! 5. [`timeout`]: takes the request's one config [`Snapshot`](crate::state::Snapshot)
//!    (into the request extensions, where the `Caller` extractor finds it) and bounds
//!    the request by its `limits.request_timeout_ms`.
//! 6. [`body_limit`]: head limits, authentication before the body is read, the body
//!    read to `limits.body_limit_bytes` (see `crate::body`): the service's only body
//!    limit.
//!
//! Each layer that answers for a body it left unread (timeout, body limit) says
//! `Connection: close` on HTTP/1 itself.
//!
//! Each file holds one concern as plain functions; [`Pipeline`] runs them in that
//! order in one future, applied to the router as one tower layer: a request costs
//! one boxed future here, not one per concern, and the route and snapshot are worked
//! out once.

pub(crate) mod access_log;
pub(crate) mod body_limit;
pub(crate) mod metrics;
pub(crate) mod panic;
pub(crate) mod request_id;
pub(crate) mod timeout;

use std::convert::Infallible;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Instant;

use axum::Router;
use axum::extract::{DefaultBodyLimit, MatchedPath, Request};
use axum::response::Response;
use tower::{Layer, Service};
use tracing::Instrument;

use crate::metrics::Route;
use crate::state::AppState;

/// `router` with the service's request pipeline (see the module doc).
pub(crate) fn wrap(router: Router<AppState>, state: &AppState) -> Router<AppState> {
    router
        .layer(PipelineLayer {
            state: state.clone(),
        })
        // The body step has read the body to the limit already: axum's own limit
        // (2 MB by default) would be a second, different one.
        .layer(DefaultBodyLimit::disable())
}

/// The tower layer of [`Pipeline`].
#[derive(Debug, Clone)]
struct PipelineLayer {
    state: AppState,
}

impl<S> Layer<S> for PipelineLayer {
    type Service = Pipeline<S>;

    fn layer(&self, inner: S) -> Self::Service {
        Pipeline {
            inner,
            state: self.state.clone(),
        }
    }
}

/// The request pipeline around one route.
#[derive(Debug, Clone)]
struct Pipeline<S> {
    inner: S,
    state: AppState,
}

impl<S> Service<Request> for Pipeline<S>
where
    S: Service<Request, Response = Response, Error = Infallible> + Clone + Send + 'static,
    S::Future: Send + 'static,
{
    type Response = Response;
    type Error = Infallible;
    type Future = Pin<Box<dyn Future<Output = Result<Response, Infallible>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, req: Request) -> Self::Future {
        // tower's contract: call the service `poll_ready` was called on; leave a clone.
        let clone = self.inner.clone();
        let inner = std::mem::replace(&mut self.inner, clone);
        Box::pin(run(self.state.clone(), inner, req))
    }
}

/// One request through the steps, in the order of the module doc.
async fn run<S>(state: AppState, mut inner: S, mut req: Request) -> Result<Response, Infallible>
where
    S: Service<Request, Response = Response, Error = Infallible>,
{
    let start = Instant::now();
    let route = Route::from_path(req.extensions().get::<MatchedPath>());
    let id = request_id::assign(&mut req, state.instance_id());
    let span = access_log::span(&req, route);
    let handler = move |req| {
        let fut = inner.call(req);
        async move {
            let Ok(resp) = fut.await;
            resp
        }
    };
    let mut resp = async {
        let in_flight = metrics::InFlight::new(&state);
        let resp = panic::guard(timeout::bounded(&state, req, |req| {
            body_limit::run(&state, route, req, handler)
        }))
        .await;
        drop(in_flight);
        metrics::record(&state, route, &resp, start);
        access_log::log(&resp, start);
        resp
    }
    .instrument(span)
    .await;
    request_id::echo(&mut resp, id);
    Ok(resp)
}
