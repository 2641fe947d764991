//! The access log: the `request` span ([`span`]) (fields `id`, `method`, `route`, and `caller`,
//! which the `Caller` extractor fills in) around everything below, and one line per
//! request at its end ([`log`], called inside the span): `request` (info) for an answer, `request refused` (info) for a
//! 4xx error, `request failed` (error) for a 5xx one, with the status, the error code
//! and its log-only detail, and the latency in microseconds.
//!
//! Where the lines go (and off the request path) is the subscriber's business: `zego-token
//! serve` writes them through a non-blocking writer thread.

use std::time::Instant;

use axum::extract::Request;
use axum::response::Response;
use tracing::Span;

use super::request_id::RequestId;
use crate::error::ErrorInfo;
use crate::metrics::Route;

/// The `request` span of `req` (its id must be assigned already); the pipeline runs
/// everything below inside it.
pub(crate) fn span(req: &Request, route: Route) -> Span {
    tracing::info_span!(
        "request",
        id = req.extensions().get::<RequestId>().map_or("", RequestId::as_str),
        method = %req.method(),
        route = ?route,
        caller = tracing::field::Empty,
    )
}

/// The access-log line of `resp`.
pub(crate) fn log(resp: &Response, start: Instant) {
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
