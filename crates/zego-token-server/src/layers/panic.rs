//! The panic guard: a panic anywhere below (the handler, the extractors, the body and
//! timeout layers) becomes a 500 `internal` answer with the JSON error shape, whose
//! [`ErrorInfo`](crate::error::ErrorInfo) the access log and the metrics above record
//! like any other. The panic payload is not logged (it could hold anything); the
//! process's panic hook still reports where it happened.

use std::future::Future;
use std::panic::AssertUnwindSafe;

use axum::response::{IntoResponse, Response};
use futures_util::FutureExt;

use crate::error::ApiError;

fn panic_response() -> Response {
    ApiError::Internal("a handler panicked".into()).into_response()
}

/// Runs `fut`; a panic while polling it (which includes calling the handler) becomes
/// the 500 answer.
pub(crate) async fn guard(fut: impl Future<Output = Response>) -> Response {
    match AssertUnwindSafe(fut).catch_unwind().await {
        Ok(resp) => resp,
        Err(_) => panic_response(),
    }
}
