//! The request's config snapshot and its timeout. The snapshot current when the
//! request arrives is taken once here and put in the request extensions: the
//! `Caller` extractor and the handlers use that one, so a reload never changes a
//! request midway. The request is bounded by that snapshot's
//! `limits.request_timeout_ms`; past it the answer is 408 `timeout`, and on HTTP/1 it
//! says `Connection: close` (the body may be half read).

use std::convert::Infallible;
use std::task::{Context, Poll};

use axum::extract::Request;
use axum::response::{IntoResponse, Response};
use tower::{Layer, Service};

use super::ResponseFuture;
use crate::body::close_connection;
use crate::error::ApiError;
use crate::state::AppState;

/// Takes the snapshot and bounds the request.
#[derive(Debug, Clone)]
pub(crate) struct TimeoutLayer {
    state: AppState,
}

impl TimeoutLayer {
    pub(crate) fn new(state: AppState) -> Self {
        Self { state }
    }
}

impl<S> Layer<S> for TimeoutLayer {
    type Service = Timeout<S>;

    fn layer(&self, inner: S) -> Self::Service {
        Timeout {
            inner,
            state: self.state.clone(),
        }
    }
}

/// The service of [`TimeoutLayer`].
#[derive(Debug, Clone)]
pub(crate) struct Timeout<S> {
    inner: S,
    state: AppState,
}

impl<S> Service<Request> for Timeout<S>
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

    fn call(&mut self, mut req: Request) -> Self::Future {
        let snapshot = self.state.snapshot();
        let limit = snapshot.request_timeout;
        let version = req.version();
        req.extensions_mut().insert(snapshot);
        let fut = self.inner.call(req);
        Box::pin(async move {
            match tokio::time::timeout(limit, fut).await {
                Ok(r) => r,
                Err(_) => {
                    let mut resp = ApiError::Timeout.into_response();
                    close_connection(version, &mut resp);
                    Ok(resp)
                }
            }
        })
    }
}
