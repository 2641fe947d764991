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
//! `Connection: close` on HTTP/1 itself. The stack is applied to the router once, as
//! one tower layer, so axum boxes it once per request; each layer is a plain tower
//! service with one boxed future.

pub(crate) mod access_log;
pub(crate) mod body_limit;
pub(crate) mod metrics;
pub(crate) mod panic;
pub(crate) mod request_id;
pub(crate) mod timeout;

use std::convert::Infallible;
use std::future::Future;
use std::pin::Pin;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::response::Response;
use tower::ServiceBuilder;

use crate::state::AppState;

/// The future every layer returns.
pub(crate) type ResponseFuture = Pin<Box<dyn Future<Output = Result<Response, Infallible>> + Send>>;

/// Takes the service that is ready (tower's contract: `call` the one `poll_ready` was
/// called on) and leaves a clone in its place.
pub(crate) fn take<S: Clone>(inner: &mut S) -> S {
    let clone = inner.clone();
    std::mem::replace(inner, clone)
}

/// `router` with the service's request layers (see the module doc).
pub(crate) fn wrap(router: Router<AppState>, state: &AppState) -> Router<AppState> {
    let stack = ServiceBuilder::new()
        .layer(request_id::RequestIdLayer::new(state.instance_id()))
        .layer(access_log::AccessLogLayer)
        .layer(metrics::MetricsLayer::new(state.clone()))
        .layer(panic::PanicGuardLayer)
        .layer(timeout::TimeoutLayer::new(state.clone()))
        .layer(body_limit::BodyLimitLayer::new(state.clone()))
        // The body layer has read the body to the limit already: axum's own limit
        // (2 MB by default) would be a second, different one.
        .layer(DefaultBodyLimit::disable());
    router.layer(stack)
}
