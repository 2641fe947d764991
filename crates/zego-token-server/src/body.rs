//! Request bodies are read in full before the handlers run, so a refused request does not
//! cost the client its next request.
//!
//! The handlers authenticate and rate-limit before they parse: a request refused for its
//! credentials never reads its body. If that body has not fully arrived when the response
//! is written, hyper closes the connection afterwards without announcing it, and a
//! keep-alive client sends its next request into a closed socket and loses it. So the
//! request middleware reads every body first, up to `limits.body_limit_bytes` and within
//! the request timeout, and says `Connection: close` on the paths that leave a body unread
//! (too large, unreadable, timed out), so clients open a new connection instead.

use axum::body::{Body, HttpBody};
use axum::extract::Request;
use axum::http::{HeaderValue, Version, header};
use axum::response::Response;
use http_body_util::{BodyExt, LengthLimitError, Limited};

use crate::error::ApiError;

/// Reads the body of `req` into memory (at most `limit` bytes) and returns the request
/// with the buffered body. A declared or actual length over `limit` is
/// [`ApiError::PayloadTooLarge`], a broken body (connection lost, bad chunked encoding) a
/// 400 `unreadable_body`.
pub(crate) async fn buffer(req: Request, limit: usize) -> Result<Request, ApiError> {
    if req.body().is_end_stream() {
        return Ok(req);
    }
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit as u64) {
        return Err(ApiError::PayloadTooLarge);
    }
    let (parts, body) = req.into_parts();
    match Limited::new(body, limit).collect().await {
        Ok(collected) => Ok(Request::from_parts(parts, Body::from(collected.to_bytes()))),
        Err(e) if e.is::<LengthLimitError>() => Err(ApiError::PayloadTooLarge),
        Err(_) => Err(ApiError::BadRequest {
            code: "unreadable_body",
            message: "the request body could not be read: the connection broke or the \
                      chunked encoding is invalid"
                .into(),
        }),
    }
}

/// Marks an HTTP/1 response as the last on its connection. (HTTP/2 has no such header; a
/// stream with an unread body is reset on its own without touching the others.)
pub(crate) fn close_connection(version: Version, resp: &mut Response) {
    if matches!(version, Version::HTTP_10 | Version::HTTP_11) {
        resp.headers_mut()
            .insert(header::CONNECTION, HeaderValue::from_static("close"));
    }
}
