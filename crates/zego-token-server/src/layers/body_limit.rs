//! Request heads and bodies (the rules are in `crate::body`): the head limits, then,
//! on the routes that read a body, authentication from the headers before the body is
//! read to `limits.body_limit_bytes` under the process-wide buffer budget. An answer
//! that leaves a body unread says `Connection: close` on HTTP/1.

use std::convert::Infallible;
use std::task::{Context, Poll};

use axum::extract::{MatchedPath, Request};
use axum::response::Response;
use tower::{Layer, Service};

use super::ResponseFuture;
use crate::body::close_connection;
use crate::metrics::Route;
use crate::state::AppState;

/// Applies the head and body limits.
#[derive(Debug, Clone)]
pub(crate) struct BodyLimitLayer {
    state: AppState,
}

impl BodyLimitLayer {
    pub(crate) fn new(state: AppState) -> Self {
        Self { state }
    }
}

impl<S> Layer<S> for BodyLimitLayer {
    type Service = BodyLimit<S>;

    fn layer(&self, inner: S) -> Self::Service {
        BodyLimit {
            inner,
            state: self.state.clone(),
        }
    }
}

/// The service of [`BodyLimitLayer`].
#[derive(Debug, Clone)]
pub(crate) struct BodyLimit<S> {
    inner: S,
    state: AppState,
}

impl<S> Service<Request> for BodyLimit<S>
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
        let route = Route::from_path(req.extensions().get::<MatchedPath>());
        let version = req.version();
        let state = self.state.clone();
        let mut inner = super::take(&mut self.inner);
        Box::pin(async move {
            let next = move |req| {
                let fut = inner.call(req);
                async move {
                    let Ok(resp) = fut.await;
                    resp
                }
            };
            let (mut resp, close) = crate::body::run(&state, route, req, next).await;
            if close {
                close_connection(version, &mut resp);
            }
            Ok(resp)
        })
    }
}
