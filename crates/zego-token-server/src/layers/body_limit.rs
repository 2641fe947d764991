//! Request heads and bodies (the rules are in `crate::body`): the head limits, then,
//! on the routes that read a body, authentication from the headers before the body is
//! read to `limits.body_limit_bytes` under the process-wide buffer budget. An answer
//! that leaves a body unread says `Connection: close` on HTTP/1.

use std::future::Future;

use axum::extract::Request;
use axum::response::Response;

use crate::body::close_connection;
use crate::metrics::Route;
use crate::state::AppState;

/// Applies the head and body limits to `req`, then runs `next` on it.
pub(crate) async fn run<F>(
    state: &AppState,
    route: Route,
    req: Request,
    next: impl FnOnce(Request) -> F,
) -> Response
where
    F: Future<Output = Response>,
{
    let version = req.version();
    let (mut resp, close) = crate::body::run(state, route, req, next).await;
    if close {
        close_connection(version, &mut resp);
    }
    resp
}
