//! Request heads and bodies: what is read before the handlers run, and how much.
//!
//! Order, for every request:
//!
//! 1. The head is checked against `limits.max_header_bytes` / `limits.max_headers`
//!    (431 with the JSON error shape; hyper's own, empty-bodied 431 is only for heads
//!    far beyond these, at twice the limits).
//! 2. On the routes that read a body (`POST /v1/token`, `POST /v1/inspect`) the caller
//!    is **authenticated from the headers first** (per-IP bucket, credential, per-caller
//!    bucket). A refused request never has its body buffered: the body is drained
//!    (read and dropped, at most `limits.body_limit_bytes`, for at most
//!    [`DRAIN_TIMEOUT`]) so the keep-alive connection stays usable, or, when it cannot
//!    be drained (too large, too slow, `Expect: 100-continue` not yet answered), the
//!    answer says `Connection: close`. On HTTP/2 the stream is simply reset.
//! 3. An authenticated caller's body is read in full, up to `limits.body_limit_bytes`,
//!    after reserving its size from `limits.max_buffered_bytes`, one budget shared by
//!    every request in the process (503 `overloaded` when it is spent). The reservation
//!    is held until the handler has answered.
//!
//! Routes that take no body drain whatever body comes, without buffering it.
//!
//! This is the service's only body limit: axum's own `DefaultBodyLimit` is disabled in
//! the layer stack (`crate::layers`), since every handler gets a body already read to
//! `limits.body_limit_bytes` here (or an empty one).
//!
//! Every path that leaves a body unread says `Connection: close` on HTTP/1, so a
//! keep-alive client opens a new connection instead of losing its next request to a
//! socket hyper closes.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use axum::body::{Body, HttpBody};
use axum::extract::{FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{HeaderValue, Method, Version, header};
use axum::response::{IntoResponse, Response};
use http_body_util::{BodyExt, LengthLimitError, Limited};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use crate::auth::Caller;
use crate::error::ApiError;
use crate::metrics::Route;
use crate::state::{AppState, HeadLimits};

/// Longest time a refused request's body is drained before the connection is closed
/// instead.
pub(crate) const DRAIN_TIMEOUT: Duration = Duration::from_secs(2);

/// 431 when the head is over the limits: request line and headers, counted as on the
/// wire (`name: value\r\n`).
pub(crate) fn check_head(req: &Request, limits: HeadLimits) -> Result<(), ApiError> {
    let headers = req.headers();
    if headers.len() > limits.max_headers {
        return Err(ApiError::HeadersTooLarge);
    }
    let mut bytes = req.method().as_str().len() + uri_len(req.uri()) + 12;
    for (name, value) in headers {
        bytes += name.as_str().len() + value.len() + 4;
    }
    if bytes > limits.max_bytes {
        return Err(ApiError::HeadersTooLarge);
    }
    Ok(())
}

/// The length of the URI as it prints, without building the text.
fn uri_len(uri: &axum::http::Uri) -> usize {
    struct Count(usize);
    impl std::fmt::Write for Count {
        fn write_str(&mut self, s: &str) -> std::fmt::Result {
            self.0 += s.len();
            Ok(())
        }
    }
    let mut n = Count(0);
    let _ = std::fmt::write(&mut n, format_args!("{uri}"));
    n.0
}

fn declared_length(parts: &Parts) -> Option<u64> {
    parts
        .headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok())
}

/// Runs the request through steps 2 and 3 (see the module doc). Returns the response
/// and whether the connection must be closed after it.
pub(crate) async fn guarded<F>(
    state: &AppState,
    route: Route,
    req: Request,
    next: impl FnOnce(Request) -> F,
) -> (Response, bool)
where
    F: Future<Output = Response>,
{
    if req.body().is_end_stream() {
        return (next(req).await, false);
    }
    let limit = state.body_limit();
    let reads_body = matches!(route, Route::token | Route::inspect) && req.method() == Method::POST;
    let (mut parts, body) = req.into_parts();
    if !reads_body {
        let drained = discard(&parts, body, limit).await;
        let req = Request::from_parts(parts, Body::empty());
        return (next(req).await, !drained);
    }
    match Caller::from_request_parts(&mut parts, state).await {
        Ok(caller) => {
            parts.extensions.insert(caller);
        }
        Err(e) => {
            let drained = discard(&parts, body, limit).await;
            return (e.into_response(), !drained);
        }
    }
    match buffer(parts, body, limit, state.body_budget()).await {
        Ok((req, reservation)) => {
            let resp = next(req).await;
            drop(reservation);
            (resp, false)
        }
        Err(e) => (e.into_response(), true),
    }
}

/// Reads the body into memory (at most `limit` bytes), after reserving its size from
/// `budget`. A declared or actual length over `limit` is
/// [`ApiError::PayloadTooLarge`], a spent budget [`ApiError::Unavailable`], a broken
/// body (connection lost, bad chunked encoding) a 400 `unreadable_body`.
async fn buffer(
    parts: Parts,
    body: Body,
    limit: usize,
    budget: &Arc<Semaphore>,
) -> Result<(Request, OwnedSemaphorePermit), ApiError> {
    let declared = declared_length(&parts);
    if declared.is_some_and(|n| n > limit as u64) {
        return Err(ApiError::PayloadTooLarge);
    }
    let reserve = declared
        .and_then(|n| usize::try_from(n).ok())
        .unwrap_or(limit)
        .clamp(1, limit);
    let reservation = u32::try_from(reserve)
        .ok()
        .and_then(|n| budget.clone().try_acquire_many_owned(n).ok())
        .ok_or_else(|| ApiError::Unavailable {
            code: "overloaded",
            message: "the server is reading too many request bodies at once; retry shortly".into(),
        })?;
    match Limited::new(body, reserve).collect().await {
        Ok(collected) => Ok((
            Request::from_parts(parts, Body::from(collected.to_bytes())),
            reservation,
        )),
        Err(e) if e.is::<LengthLimitError>() => Err(ApiError::PayloadTooLarge),
        Err(_) => Err(ApiError::BadRequest {
            code: "unreadable_body",
            message: "the request body could not be read: the connection broke or the \
                      chunked encoding is invalid"
                .into(),
        }),
    }
}

/// Reads and drops a body the service will not use: at most `limit` bytes, for at
/// most [`DRAIN_TIMEOUT`]. Returns whether it was read to its end (the HTTP/1
/// connection is then usable for the next request). Nothing is kept in memory.
async fn discard(parts: &Parts, mut body: Body, limit: usize) -> bool {
    if body.is_end_stream() {
        return true;
    }
    if !matches!(parts.version, Version::HTTP_10 | Version::HTTP_11) {
        // HTTP/2: dropping the body resets this stream only.
        return true;
    }
    let expects_continue = parts
        .headers
        .get(header::EXPECT)
        .is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"100-continue"));
    if expects_continue || declared_length(parts).is_some_and(|n| n > limit as u64) {
        // Do not invite (100 Continue) or wait for a body only to drop it.
        return false;
    }
    let drain = async {
        let mut seen = 0usize;
        while let Some(frame) = body.frame().await {
            match frame {
                Ok(f) => {
                    if let Some(data) = f.data_ref() {
                        seen += data.len();
                        if seen > limit {
                            return false;
                        }
                    }
                }
                Err(_) => return false,
            }
        }
        true
    };
    tokio::time::timeout(DRAIN_TIMEOUT, drain)
        .await
        .unwrap_or(false)
}

/// Marks an HTTP/1 response as the last on its connection. (HTTP/2 has no such header; a
/// stream with an unread body is reset on its own without touching the others.)
pub(crate) fn close_connection(version: Version, resp: &mut Response) {
    if matches!(version, Version::HTTP_10 | Version::HTTP_11) {
        resp.headers_mut()
            .insert(header::CONNECTION, HeaderValue::from_static("close"));
    }
}

/// [`check_head`] + [`guarded`]: what `crate::layers::body_limit` runs. `next` is the
/// rest of the stack.
pub(crate) async fn run<F>(
    state: &AppState,
    route: Route,
    req: Request,
    next: impl FnOnce(Request) -> F,
) -> (Response, bool)
where
    F: Future<Output = Response>,
{
    if let Err(e) = check_head(&req, state.head_limits()) {
        return (e.into_response(), true);
    }
    guarded(state, route, req, next).await
}
