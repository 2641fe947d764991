//! The drain on a real listener: after the shutdown future, `/readyz` answers 503
//! `draining` while the listener still accepts and serves for
//! `limits.drain_delay_seconds`; `end_delay` cuts it short; then the listener closes,
//! idle keep-alive connections are closed and a request in flight is answered with
//! `Connection: close`.
#![allow(clippy::unwrap_used, reason = "tests: a panic is a test failure")]

mod common;

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use common::*;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use zego_token_server::Config;
use zego_token_server::testing::AppStateExt as _;

const BODY: &str = r#"{"user_id":"u","app_id":42}"#;

fn token_request(connection: &str) -> String {
    format!(
        "POST /v1/token HTTP/1.1\r\nHost: test\r\nAuthorization: Bearer {KEY}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: {connection}\r\n\r\n{BODY}",
        BODY.len()
    )
}

fn get_request(path: &str) -> String {
    format!("GET {path} HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n")
}

/// Sends one request on a new connection and reads to EOF: (status, head, body).
async fn call(addr: SocketAddr, request: &str) -> (u16, String, String) {
    let mut s = TcpStream::connect(addr).await.unwrap();
    s.write_all(request.as_bytes()).await.unwrap();
    let mut buf = Vec::new();
    s.read_to_end(&mut buf).await.unwrap();
    split(&String::from_utf8_lossy(&buf))
}

fn split(text: &str) -> (u16, String, String) {
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((text, ""));
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    (status, head.to_ascii_lowercase(), body.to_owned())
}

/// Waits (bounded) until new connections are refused; returns when they were.
async fn wait_until_refused(addr: SocketAddr, within: Duration) -> Instant {
    let deadline = Instant::now() + within;
    loop {
        if TcpStream::connect(addr).await.is_err() {
            return Instant::now();
        }
        assert!(
            Instant::now() < deadline,
            "still accepting after {within:?}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

async fn wait_until_draining(state: &zego_token_server::AppState) {
    let deadline = Instant::now() + Duration::from_secs(5);
    while !state.is_draining() {
        assert!(Instant::now() < deadline, "never began draining");
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn readyz_turns_503_and_tokens_are_still_minted_during_the_delay() {
    let h = harness("[limits]\ndrain_delay_seconds = 2").await;
    let state = h.state.clone();
    let mut server = start(h.state.clone()).await;
    let (status, _, body) = call(server.addr, &get_request("/readyz")).await;
    assert_eq!(status, 200, "{body}");
    let (_, _, metrics) = call(server.addr, &get_request("/metrics")).await;
    assert!(metrics.contains("zego_token_draining 0"), "{metrics}");

    server.begin_shutdown();
    let began = Instant::now();
    wait_until_draining(&state).await;
    // New connections are accepted and served: the probe sees the 503 ...
    let (status, _, body) = call(server.addr, &get_request("/readyz")).await;
    assert_eq!(status, 503, "{body}");
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v["status"], "draining");
    // ... and requests are still served as before.
    let (status, head, body) = call(server.addr, &token_request("close")).await;
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("\"token\":\"04"), "{body}");
    assert!(!head.contains("retry-after"), "{head}");
    let (_, _, metrics) = call(server.addr, &get_request("/metrics")).await;
    assert!(metrics.contains("zego_token_draining 1"), "{metrics}");
    assert!(
        !server.task.is_finished(),
        "serve returned during the delay"
    );

    // After the delay the listener closes and serve returns Ok.
    let refused_at = wait_until_refused(server.addr, Duration::from_secs(10)).await;
    assert!(
        refused_at.duration_since(began) >= Duration::from_millis(1900),
        "the listener closed {:?} after the signal, before the 2 s delay",
        refused_at.duration_since(began)
    );
    let result = tokio::time::timeout(Duration::from_secs(5), server.task).await;
    assert!(matches!(result, Ok(Ok(Ok(())))), "serve returns Ok");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn end_delay_cuts_the_delay_short() {
    let h = harness("[limits]\ndrain_delay_seconds = 300").await;
    let state = h.state.clone();
    let mut server = start(h.state.clone()).await;
    server.begin_shutdown();
    wait_until_draining(&state).await;
    assert_eq!(call(server.addr, &get_request("/readyz")).await.0, 503);
    assert_eq!(call(server.addr, &token_request("close")).await.0, 200);
    server.end_delay();
    // Far less than the 300 s delay.
    wait_until_refused(server.addr, Duration::from_secs(10)).await;
    let result = tokio::time::timeout(Duration::from_secs(10), server.task).await;
    assert!(matches!(result, Ok(Ok(Ok(())))));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn plain_serve_with_no_delay_stops_accepting_at_once() {
    let h = harness("[limits]\ndrain_delay_seconds = 0").await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    // `serve` has no way to end the delay early: with 0 there is none.
    let task = tokio::spawn(zego_token_server::serve(h.state.clone(), listener, async {
        let _ = rx.await;
    }));
    assert_eq!(call(addr, &token_request("close")).await.0, 200);
    tx.send(()).unwrap();
    let result = tokio::time::timeout(Duration::from_secs(5), task).await;
    assert!(matches!(result, Ok(Ok(Ok(())))));
    assert!(h.state.is_draining());
    assert!(
        TcpStream::connect(addr).await.is_err(),
        "no longer accepting"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn keep_alive_connections_are_served_during_the_delay_then_closed() {
    let h = harness("[limits]\ndrain_delay_seconds = 300\nidle_timeout_ms = 60000").await;
    let state = h.state.clone();
    let mut server = start(h.state.clone()).await;
    // Two keep-alive connections opened before the signal.
    let mut idle = TcpStream::connect(server.addr).await.unwrap();
    let mut busy = TcpStream::connect(server.addr).await.unwrap();
    for s in [&mut idle, &mut busy] {
        served_keeping_alive(s).await;
    }

    server.begin_shutdown();
    wait_until_draining(&state).await;
    // During the delay both are served as before, without `Connection: close`.
    for s in [&mut idle, &mut busy] {
        served_keeping_alive(s).await;
    }
    // A request in flight when the delay ends: head and most of the body.
    let full = token_request("keep-alive");
    let (first, rest) = full.split_at(full.len() - 5);
    busy.write_all(first.as_bytes()).await.unwrap();
    let deadline = Instant::now() + Duration::from_secs(5);
    while state.metrics().in_flight() < 1 {
        assert!(Instant::now() < deadline, "the request never arrived");
        tokio::time::sleep(Duration::from_millis(2)).await;
    }

    server.end_delay();
    wait_until_refused(server.addr, Duration::from_secs(10)).await;
    // The idle connection is closed without an answer.
    let mut buf = [0u8; 64];
    let n = tokio::time::timeout(Duration::from_secs(5), idle.read(&mut buf))
        .await
        .expect("the idle keep-alive connection is closed")
        .unwrap_or(0);
    assert_eq!(n, 0, "{:?}", String::from_utf8_lossy(&buf[..n]));
    // The request in flight is answered, with `Connection: close`, then the
    // connection ends.
    busy.write_all(rest.as_bytes()).await.unwrap();
    let (status, head, body) = read_one(&mut busy).await.unwrap();
    assert_eq!(status, 200, "{body}");
    assert!(head.contains("connection: close"), "{head}");
    assert_eq!(busy.read(&mut buf).await.unwrap_or(0), 0);
    let result = tokio::time::timeout(Duration::from_secs(10), server.task).await;
    assert!(matches!(result, Ok(Ok(Ok(())))));
}

#[test]
fn drain_delay_defaults_to_5_and_is_bounded() {
    let c = config("");
    assert_eq!(c.limits.drain_delay_seconds, 5);
    assert_eq!(
        config("[limits]\ndrain_delay_seconds = 300")
            .limits
            .drain_delay_seconds,
        300
    );
    let e =
        Config::from_toml(&config_text("[limits]\ndrain_delay_seconds = 301"), &env()).unwrap_err();
    assert_eq!(e.key.as_deref(), Some("limits.drain_delay_seconds"), "{e}");
    assert!(e.message.contains("between 0 and 300"), "{e}");
    let e =
        Config::from_toml(&config_text("[limits]\ndrain_delay_seconds = -1"), &env()).unwrap_err();
    assert!(e.to_string().contains("drain_delay_seconds"), "{e}");
    // From the environment, like every key.
    let mut pairs = vec![("ZEGO_TOKEN_LIMITS__DRAIN_DELAY_SECONDS", "12")];
    pairs.extend([("APP_SECRET", SECRET), ("APP2_SECRET", SECRET2)]);
    let c = Config::from_toml(&config_text(""), &zego_token_server::Env::from_pairs(pairs));
    assert_eq!(c.unwrap().limits.drain_delay_seconds, 12);
}

/// One token request on `s`, answered 200 without `Connection: close`.
async fn served_keeping_alive(s: &mut TcpStream) {
    s.write_all(token_request("keep-alive").as_bytes())
        .await
        .unwrap();
    let (status, head, body) = read_one(s).await.unwrap();
    assert_eq!(status, 200, "{body}");
    assert!(!head.contains("connection: close"), "{head}");
}
