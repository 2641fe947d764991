//! The request's config snapshot and its timeout. The snapshot current when the
//! request arrives is taken once here and put in the request extensions: the
//! `Caller` extractor and the handlers use that one, so a reload never changes a
//! request midway. The request is bounded by that snapshot's
//! `limits.request_timeout_ms`; past it the answer is 408 `timeout`, and on HTTP/1 it
//! says `Connection: close` (the body may be half read).

use std::future::Future;

use axum::extract::Request;
use axum::response::{IntoResponse, Response};

use crate::body::close_connection;
use crate::error::ApiError;
use crate::state::AppState;

/// Puts the current snapshot in `req` and runs `next` on it within that snapshot's
/// request timeout.
pub(crate) async fn bounded<F>(
    state: &AppState,
    mut req: Request,
    next: impl FnOnce(Request) -> F,
) -> Response
where
    F: Future<Output = Response>,
{
    let snapshot = state.snapshot();
    let limit = snapshot.request_timeout;
    let version = req.version();
    req.extensions_mut().insert(snapshot);
    match tokio::time::timeout(limit, next(req)).await {
        Ok(resp) => resp,
        Err(_) => {
            let mut resp = ApiError::Timeout.into_response();
            close_connection(version, &mut resp);
            resp
        }
    }
}
