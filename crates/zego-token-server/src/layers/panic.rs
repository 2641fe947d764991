//! The panic guard: a panic anywhere below (the handler, the extractors, the body and
//! timeout layers) becomes a 500 `internal` answer with the JSON error shape, whose
//! [`ErrorInfo`](crate::error::ErrorInfo) the access log and the metrics above record
//! like any other. The panic payload is not logged (it could hold anything); the
//! process's panic hook still reports where it happened.

use std::convert::Infallible;
use std::panic::AssertUnwindSafe;
use std::task::{Context, Poll};

use axum::extract::Request;
use axum::response::{IntoResponse, Response};
use futures_util::FutureExt;
use tower::{Layer, Service};

use super::ResponseFuture;
use crate::error::ApiError;

/// Catches panics below it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct PanicGuardLayer;

impl<S> Layer<S> for PanicGuardLayer {
    type Service = PanicGuard<S>;

    fn layer(&self, inner: S) -> Self::Service {
        PanicGuard { inner }
    }
}

/// The service of [`PanicGuardLayer`].
#[derive(Debug, Clone)]
pub(crate) struct PanicGuard<S> {
    inner: S,
}

fn panic_response() -> Response {
    ApiError::Internal("a handler panicked".into()).into_response()
}

impl<S> Service<Request> for PanicGuard<S>
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
        let inner = &mut self.inner;
        match std::panic::catch_unwind(AssertUnwindSafe(move || inner.call(req))) {
            Ok(fut) => Box::pin(async move {
                match AssertUnwindSafe(fut).catch_unwind().await {
                    Ok(r) => r,
                    Err(_) => Ok(panic_response()),
                }
            }),
            Err(_) => Box::pin(std::future::ready(Ok(panic_response()))),
        }
    }
}
