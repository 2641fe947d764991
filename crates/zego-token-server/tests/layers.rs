//! The layer stack around routes the service does not have: a handler that panics is
//! answered, logged and counted like any other failure; a request sees one config
//! snapshot from its outermost layer to its handler.
//!
//! Logs are captured by one global subscriber in this test binary only (JSON, with the
//! current span), so no other test races for it.
#![allow(
    clippy::unwrap_used,
    reason = "a panic in a test is a failure with its location"
)]

mod common;

use std::sync::{Arc, OnceLock};

use axum::Router;
use axum::body::Body;
use axum::http::Request;
use axum::routing::{get, post};
use common::{Captured, KEY, harness};
use serde_json::Value;
use tower::ServiceExt;
use tracing_subscriber::prelude::*;
use zego_token_server::AppState;
use zego_token_server::testing::{AppStateExt as _, Caller, Snapshot};

/// The JSON log lines written so far.
fn log_lines() -> Vec<Value> {
    static LOGS: OnceLock<Captured> = OnceLock::new();
    let logs = LOGS.get_or_init(|| {
        let logs = Captured::default();
        let w = logs.clone();
        let subscriber = tracing_subscriber::registry()
            .with(tracing_subscriber::EnvFilter::new("info"))
            .with(
                tracing_subscriber::fmt::layer()
                    .json()
                    .flatten_event(true)
                    .with_current_span(true)
                    .with_writer(move || w.clone()),
            );
        tracing::subscriber::set_global_default(subscriber).unwrap();
        logs
    });
    let bytes = logs.0.lock().unwrap().clone();
    String::from_utf8(bytes)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

async fn boom() -> &'static str {
    panic!("a handler bug")
}

async fn call(
    state: &AppState,
    routes: Router<AppState>,
    req: Request<Body>,
) -> (u16, String, Value) {
    let resp = zego_token_server::testing::with_layers(routes, state.clone())
        .oneshot(req)
        .await
        .unwrap();
    let status = resp.status().as_u16();
    let id = resp.headers()["x-request-id"].to_str().unwrap().to_owned();
    let bytes = axum::body::to_bytes(resp.into_body(), usize::MAX)
        .await
        .unwrap();
    (
        status,
        id,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    )
}

fn metrics(state: &AppState) -> String {
    state.metrics().encode().unwrap()
}

#[tokio::test]
async fn a_panicking_handler_is_answered_logged_and_counted() {
    log_lines();
    let h = harness("").await;
    let routes = Router::new().route("/boom", get(boom));
    let req = Request::get("/boom")
        .header("x-request-id", "panic-test-1")
        .body(Body::empty())
        .unwrap();
    let (status, id, body) = call(&h.state, routes, req).await;

    assert_eq!(status, 500);
    assert_eq!(id, "panic-test-1");
    assert_eq!(body["error"]["code"], "internal", "{body}");
    // The client learns nothing of the panic.
    assert!(!body.to_string().contains("a handler bug"), "{body}");

    let lines: Vec<Value> = log_lines()
        .into_iter()
        .filter(|l| l["span"]["id"] == "panic-test-1")
        .collect();
    assert_eq!(lines.len(), 1, "{lines:?}");
    let line = &lines[0];
    assert_eq!(line["message"], "request failed", "{line}");
    assert_eq!(line["level"], "ERROR", "{line}");
    assert_eq!(line["status"], 500, "{line}");
    assert_eq!(line["code"], "internal", "{line}");
    assert_eq!(line["span"]["method"], "GET", "{line}");

    let m = metrics(&h.state);
    assert!(
        m.contains(
            r#"zego_token_http_request_duration_seconds_count{route="other",status="500"} 1"#
        ),
        "{m}"
    );
    assert!(
        m.contains(r#"zego_token_refusals_total{reason="internal"} 1"#),
        "{m}"
    );
    // The request left the in-flight gauge when it was answered.
    assert_eq!(h.state.metrics().in_flight(), 0);
}

#[tokio::test]
async fn a_panic_on_a_body_route_after_authentication_is_caught_too() {
    log_lines();
    let h = harness("").await;
    async fn boom_after_auth(_caller: Caller, _body: String) -> &'static str {
        panic!("after the body was read")
    }
    // Same path as the token route, so the body layer authenticates and buffers first.
    let routes = Router::new().route("/v1/token", post(boom_after_auth));
    let req = Request::post("/v1/token")
        .header("authorization", format!("Bearer {KEY}"))
        .header("x-request-id", "panic-test-2")
        .body(Body::from(r#"{"user_id":"user-1"}"#))
        .unwrap();
    let (status, _, body) = call(&h.state, routes, req).await;
    assert_eq!(status, 500);
    assert_eq!(body["error"]["code"], "internal", "{body}");
    let lines: Vec<Value> = log_lines()
        .into_iter()
        .filter(|l| l["span"]["id"] == "panic-test-2")
        .collect();
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert_eq!(lines[0]["span"]["caller"], "full", "{:?}", lines[0]);
    let m = metrics(&h.state);
    assert!(
        m.contains(
            r#"zego_token_http_request_duration_seconds_count{route="token",status="500"} 1"#
        ),
        "{m}"
    );
}

#[tokio::test]
async fn the_caller_and_the_handler_see_the_snapshot_the_request_started_with() {
    let h = harness("").await;
    async fn same(caller: Caller, axum::Extension(snap): axum::Extension<Arc<Snapshot>>) -> String {
        Arc::ptr_eq(&caller.snapshot, &snap).to_string()
    }
    let routes = Router::new().route("/v1/apps", get(same));
    let req = Request::get("/v1/apps")
        .header("authorization", format!("Bearer {KEY}"))
        .body(Body::empty())
        .unwrap();
    let resp = zego_token_server::testing::with_layers(routes, h.state.clone())
        .oneshot(req)
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let bytes = axum::body::to_bytes(resp.into_body(), 16).await.unwrap();
    assert_eq!(&bytes[..], b"true");
}
