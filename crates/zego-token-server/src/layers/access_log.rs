//! The access log: the `request` span (fields `id`, `method`, `route`, and `caller`,
//! which the `Caller` extractor fills in) around everything below, and one line per
//! request at its end: `request` (info) for an answer, `request refused` (info) for a
//! 4xx error, `request failed` (error) for a 5xx one, with the status, the error code
//! and its log-only detail, and the latency in microseconds.
//!
//! Where the lines go (and off the request path) is the subscriber's business: `zego-token
//! serve` writes them through its batching log writer thread.

use std::convert::Infallible;
use std::task::{Context, Poll};
use std::time::Instant;

use axum::extract::{MatchedPath, Request};
use axum::response::Response;
use tower::{Layer, Service};
use tracing::Instrument;

use super::ResponseFuture;
use super::request_id::RequestId;
use crate::error::ErrorInfo;
use crate::metrics::Route;

/// Adds the span and the access-log line.
#[derive(Debug, Clone, Copy)]
pub(crate) struct AccessLogLayer;

impl<S> Layer<S> for AccessLogLayer {
    type Service = AccessLog<S>;

    fn layer(&self, inner: S) -> Self::Service {
        AccessLog { inner }
    }
}

/// The service of [`AccessLogLayer`].
#[derive(Debug, Clone)]
pub(crate) struct AccessLog<S> {
    inner: S,
}

impl<S> Service<Request> for AccessLog<S>
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
        let span = tracing::info_span!(
            "request",
            id = req.extensions().get::<RequestId>().map_or("", RequestId::as_str),
            method = %req.method(),
            route = ?route,
            caller = tracing::field::Empty,
        );
        let fut = span.in_scope(|| self.inner.call(req)).instrument(span);
        Box::pin(async move {
            let mut fut = std::pin::pin!(fut);
            let Ok(resp) = fut.as_mut().await;
            fut.span().in_scope(|| log(&resp, start));
            Ok(resp)
        })
    }
}

/// The access-log line of `resp`.
fn log(resp: &Response, start: Instant) {
    let status = resp.status();
    let latency_us = u64::try_from(start.elapsed().as_micros()).unwrap_or(u64::MAX);
    if let Some(info) = resp.extensions().get::<ErrorInfo>() {
        let detail = info.detail.as_deref();
        if status.is_server_error() {
            tracing::error!(
                status = status.as_u16(),
                code = info.code,
                detail,
                latency_us,
                "request failed"
            );
        } else {
            tracing::info!(
                status = status.as_u16(),
                code = info.code,
                detail,
                latency_us,
                "request refused"
            );
        }
    } else {
        tracing::info!(status = status.as_u16(), latency_us, "request");
    }
}
