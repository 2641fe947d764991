//! Hostile traffic at the wire (issue 9): slow and idle sockets, connection floods,
//! oversized heads, unauthenticated HTTP/2 bodies, the body budget, `100-continue`,
//! duplicate credentials, forged forwarding headers, basic tokens and cipher modes
//! under restricted policies. Each test fails on the service before these fixes.
#![allow(clippy::unwrap_used, reason = "tests: a panic is a test failure")]

mod common;

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use axum::extract::ConnectInfo;
use common::*;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use zego_token_server::PeerAddr;
use zego_token_server::testing::AppStateExt as _;

const BODY: &str = r#"{"user_id":"u","app_id":42}"#;

/// Waits until the server closes `s` (EOF or reset); returns how long that took, or
/// `None` if it was still open after `within`. Bytes the server sends are skipped.
async fn closed_within(s: &mut TcpStream, within: Duration) -> Option<Duration> {
    let start = Instant::now();
    let mut buf = [0u8; 4096];
    loop {
        match tokio::time::timeout_at((start + within).into(), s.read(&mut buf)).await {
            Err(_) => return None,
            Ok(Ok(0) | Err(_)) => return Some(start.elapsed()),
            Ok(Ok(_)) => {}
        }
    }
}

/// Reads one whole response (the server closes or sends `content-length` bytes).
async fn response(s: &mut TcpStream) -> (u16, String, String) {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        let text = String::from_utf8_lossy(&buf).into_owned();
        if let Some((head, body)) = text.split_once("\r\n\r\n") {
            let lower = head.to_ascii_lowercase();
            let len = lower
                .lines()
                .find_map(|l| l.strip_prefix("content-length: "))
                .and_then(|v| v.trim().parse::<usize>().ok());
            if len.is_some_and(|n| body.len() >= n) {
                let status = head
                    .split(' ')
                    .nth(1)
                    .and_then(|c| c.parse().ok())
                    .unwrap_or(0);
                return (status, lower, body.to_owned());
            }
        }
        match tokio::time::timeout(Duration::from_secs(5), s.read(&mut chunk)).await {
            Ok(Ok(n)) if n > 0 => buf.extend_from_slice(&chunk[..n]),
            _ => {
                let text = String::from_utf8_lossy(&buf).into_owned();
                let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
                let status = head
                    .split(' ')
                    .nth(1)
                    .and_then(|c| c.parse().ok())
                    .unwrap_or(0);
                return (status, head.to_ascii_lowercase(), body.to_owned());
            }
        }
    }
}

fn token_request(key: &str, body: &str, extra_headers: &str) -> String {
    format!(
        "POST /v1/token HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer {key}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n{extra_headers}\r\n{body}",
        body.len()
    )
}

async fn ok_request(addr: SocketAddr) -> u16 {
    let mut s = TcpStream::connect(addr).await.unwrap();
    s.write_all(token_request(KEY, BODY, "Connection: close\r\n").as_bytes())
        .await
        .unwrap();
    response(&mut s).await.0
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_head_that_never_ends_is_closed_at_the_header_timeout() {
    let h = harness("[limits]\nheader_read_timeout_ms = 300\nidle_timeout_ms = 60000").await;
    let server = start(h.state.clone()).await;
    let mut s = TcpStream::connect(server.addr).await.unwrap();
    // A slowloris: a header line now and then, never the blank line.
    s.write_all(b"POST /v1/token HTTP/1.1\r\nHost: t\r\n")
        .await
        .unwrap();
    let writer = async {
        for i in 0..20 {
            tokio::time::sleep(Duration::from_millis(100)).await;
            if s.write_all(format!("X-Pad-{i}: a\r\n").as_bytes())
                .await
                .is_err()
            {
                break;
            }
        }
    };
    writer.await;
    let took = closed_within(&mut s, Duration::from_secs(3)).await;
    assert!(
        took.is_some(),
        "the half-sent head was still open after 5 s"
    );
    assert_eq!(ok_request(server.addr).await, 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn idle_sockets_are_closed() {
    // HTTP/1 keep-alive after a request (header timeout), a socket that never speaks,
    // and an HTTP/2 connection with nothing in flight (idle timeout).
    let h = harness("[limits]\nheader_read_timeout_ms = 400\nidle_timeout_ms = 400").await;
    let server = start(h.state.clone()).await;

    let mut silent = TcpStream::connect(server.addr).await.unwrap();
    let took = closed_within(&mut silent, Duration::from_secs(3)).await;
    assert!(took.is_some_and(|t| t < Duration::from_secs(2)), "{took:?}");

    let mut kept = TcpStream::connect(server.addr).await.unwrap();
    kept.write_all(token_request(KEY, BODY, "").as_bytes())
        .await
        .unwrap();
    assert_eq!(response(&mut kept).await.0, 200);
    let took = closed_within(&mut kept, Duration::from_secs(3)).await;
    assert!(took.is_some_and(|t| t < Duration::from_secs(2)), "{took:?}");

    let tcp = TcpStream::connect(server.addr).await.unwrap();
    let (mut client, conn) = h2::client::handshake(tcp).await.unwrap();
    let conn = tokio::spawn(conn);
    let req = http::Request::get("/healthz").body(()).unwrap();
    let (resp, _) = client.send_request(req, true).unwrap();
    assert_eq!(resp.await.unwrap().status(), 200);
    let started = Instant::now();
    let ended = tokio::time::timeout(Duration::from_secs(3), conn).await;
    assert!(
        ended.is_ok(),
        "the idle HTTP/2 connection was still open after 3 s"
    );
    assert!(started.elapsed() < Duration::from_secs(2));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connections_beyond_the_cap_are_closed_at_once_and_the_others_are_served() {
    let h = harness(
        "[limits]\nmax_connections = 4\nheader_read_timeout_ms = 5000\nidle_timeout_ms = 5000",
    )
    .await;
    let server = start(h.state.clone()).await;
    let mut held = Vec::new();
    for _ in 0..4 {
        held.push(TcpStream::connect(server.addr).await.unwrap());
    }
    // Let the server accept the four.
    let deadline = Instant::now() + Duration::from_secs(3);
    while h.state.metrics().connections_open() < 4 {
        assert!(
            Instant::now() < deadline,
            "the held connections were not accepted"
        );
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let mut extra = TcpStream::connect(server.addr).await.unwrap();
    let took = closed_within(&mut extra, Duration::from_secs(2)).await;
    assert!(
        took.is_some_and(|t| t < Duration::from_millis(500)),
        "the fifth connection was not closed promptly: {took:?}"
    );
    assert!(h.state.metrics().connections_refused() >= 1);
    // Those already accepted are served normally.
    let s = &mut held[0];
    s.write_all(token_request(KEY, BODY, "").as_bytes())
        .await
        .unwrap();
    assert_eq!(response(s).await.0, 200);
    // Once they go, new connections are accepted again.
    drop(held);
    let deadline = Instant::now() + Duration::from_secs(3);
    while h.state.metrics().connections_open() > 0 {
        assert!(Instant::now() < deadline);
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    assert_eq!(ok_request(server.addr).await, 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn oversized_heads_get_a_json_431() {
    let h = harness("[limits]\nmax_header_bytes = 2048\nmax_headers = 16").await;
    let server = start(h.state.clone()).await;
    let big = format!("X-Big: {}\r\n", "a".repeat(3000));
    let mut s = TcpStream::connect(server.addr).await.unwrap();
    s.write_all(token_request(KEY, BODY, &big).as_bytes())
        .await
        .unwrap();
    let (status, head, body) = response(&mut s).await;
    assert_eq!(status, 431, "{head}{body}");
    assert!(body.contains("\"headers_too_large\""), "{body}");
    assert!(head.contains("connection: close"), "{head}");
    let many: String = (0..20).map(|i| format!("X-N{i}: v\r\n")).collect();
    let mut s = TcpStream::connect(server.addr).await.unwrap();
    s.write_all(token_request(KEY, BODY, &many).as_bytes())
        .await
        .unwrap();
    let (status, _, body) = response(&mut s).await;
    assert_eq!(status, 431, "{body}");
    assert!(body.contains("\"headers_too_large\""), "{body}");
    // Far beyond (hyper's own parser limit): still answered and closed, never held.
    let huge = format!("X-Huge: {}\r\n", "b".repeat(64 * 1024));
    let mut s = TcpStream::connect(server.addr).await.unwrap();
    let _ = s
        .write_all(token_request(KEY, BODY, &huge).as_bytes())
        .await;
    let (status, _, _) = response(&mut s).await;
    assert_eq!(status, 431);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unauthenticated_h2_bodies_are_refused_from_the_headers() {
    let h = harness("[limits]\nrequest_timeout_ms = 10000").await;
    let server = start(h.state.clone()).await;
    let tcp = TcpStream::connect(server.addr).await.unwrap();
    let (client, conn) = h2::client::handshake(tcp).await.unwrap();
    tokio::spawn(conn);
    let mut client = client.ready().await.unwrap();
    // One exchange first, so the server's SETTINGS have arrived; then its limits.
    let (resp, _) = client
        .send_request(http::Request::get("/healthz").body(()).unwrap(), true)
        .unwrap();
    assert_eq!(resp.await.unwrap().status(), 200);
    let mut client = client.ready().await.unwrap();
    assert!(
        client.current_max_send_streams() <= 16,
        "{}",
        client.current_max_send_streams()
    );
    let started = Instant::now();
    let mut pending = Vec::new();
    for _ in 0..8 {
        let req = http::Request::post("/v1/token")
            .header("content-type", "application/json")
            .header("content-length", "60000")
            .body(())
            .unwrap();
        client = client.ready().await.unwrap();
        let (resp, mut stream) = client.send_request(req, false).unwrap();
        stream
            .send_data(bytes::Bytes::from(vec![b'x'; 1000]), false)
            .unwrap();
        // The body never ends: the server must answer from the headers.
        pending.push((resp, stream));
    }
    for (resp, _stream) in pending {
        let r = tokio::time::timeout(Duration::from_secs(3), resp)
            .await
            .expect("no answer until the body completes: the body was buffered first")
            .unwrap();
        assert_eq!(r.status(), 401);
    }
    assert!(started.elapsed() < Duration::from_secs(3));
    // The connection still serves an authenticated request.
    let req = http::Request::post("/v1/token")
        .header("content-type", "application/json")
        .header("authorization", format!("Bearer {KEY}"))
        .body(())
        .unwrap();
    let mut client = client.ready().await.unwrap();
    let (resp, mut stream) = client.send_request(req, false).unwrap();
    stream.send_data(bytes::Bytes::from(BODY), true).unwrap();
    let r = tokio::time::timeout(Duration::from_secs(3), resp)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(r.status(), 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_body_budget_is_shared_by_all_requests() {
    let h = harness("[limits]\nbody_limit_bytes = 1024\nmax_buffered_bytes = 1500").await;
    let server = start(h.state.clone()).await;
    // An authenticated request that holds 1000 bytes of the budget (its body is slow).
    let body = format!(
        r#"{{"user_id":"u","app_id":42,"room_id":"{}"}}"#,
        "r".repeat(950)
    );
    let mut slow = TcpStream::connect(server.addr).await.unwrap();
    let full = token_request(KEY, &body, "");
    slow.write_all(&full.as_bytes()[..full.len() - 10])
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(200)).await;
    // A second one cannot reserve its 1000 bytes.
    let mut s = TcpStream::connect(server.addr).await.unwrap();
    s.write_all(token_request(KEY, &body, "").as_bytes())
        .await
        .unwrap();
    let (status, head, text) = response(&mut s).await;
    assert_eq!(status, 503, "{text}");
    assert!(text.contains("\"overloaded\""), "{text}");
    assert!(head.contains("retry-after: 1"), "{head}");
    // The first one completes (its room ID is too long for ZEGO: 422, but read whole).
    slow.write_all(&full.as_bytes()[full.len() - 10..])
        .await
        .unwrap();
    let (status, _, text) = response(&mut slow).await;
    assert_eq!(status, 422, "{text}");
    // And the budget is back.
    assert_eq!(ok_request(server.addr).await, 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn expect_100_continue_is_not_answered_before_authentication() {
    let h = harness("").await;
    let server = start(h.state.clone()).await;
    let mut s = TcpStream::connect(server.addr).await.unwrap();
    let req = token_request("wrong-key", "", "Expect: 100-continue\r\n").replace(
        "Content-Length: 0",
        &format!("Content-Length: {}", BODY.len()),
    );
    s.write_all(req.as_bytes()).await.unwrap();
    let (status, head, _) = response(&mut s).await;
    assert_eq!(
        status, 401,
        "a 100 Continue invited the body before the key was checked: {head}"
    );
    assert!(head.contains("connection: close"), "{head}");
    // An accepted caller gets its 100 Continue and its token.
    let mut s = TcpStream::connect(server.addr).await.unwrap();
    let req = token_request(KEY, "", "Expect: 100-continue\r\n").replace(
        "Content-Length: 0",
        &format!("Content-Length: {}", BODY.len()),
    );
    s.write_all(req.as_bytes()).await.unwrap();
    let mut buf = [0u8; 256];
    let n = tokio::time::timeout(Duration::from_secs(3), s.read(&mut buf))
        .await
        .unwrap()
        .unwrap();
    assert!(
        buf[..n].starts_with(b"HTTP/1.1 100"),
        "{}",
        String::from_utf8_lossy(&buf[..n])
    );
    s.write_all(BODY.as_bytes()).await.unwrap();
    assert_eq!(response(&mut s).await.0, 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_authorization_headers_are_refused() {
    let h = harness("").await;
    let server = start(h.state.clone()).await;
    for extra in [
        "Authorization: Bearer wrong\r\n".to_owned(),
        format!("Authorization: Bearer {KEY}\r\n"),
    ] {
        let mut s = TcpStream::connect(server.addr).await.unwrap();
        s.write_all(token_request(KEY, BODY, &format!("{extra}Connection: close\r\n")).as_bytes())
            .await
            .unwrap();
        let (status, _, body) = response(&mut s).await;
        assert_eq!(status, 401, "{body}");
    }
}

/// A token request as if it came from `peer` with these `X-Forwarded-For` lines.
fn from_peer(peer: &str, xff: &[&str]) -> axum::http::Request<axum::body::Body> {
    let mut r = post("/v1/token", Some(KEY), BODY);
    for v in xff {
        r.headers_mut()
            .append("x-forwarded-for", v.parse().unwrap());
    }
    r.extensions_mut().insert(ConnectInfo(PeerAddr(
        format!("{peer}:40000").parse().unwrap(),
    )));
    r
}

#[tokio::test]
async fn forged_forwarding_entries_neither_bypass_nor_frame() {
    let h = harness(
        "[rate_limit]\nper_ip_per_second = 0.001\nper_ip_burst = 5\nclient_ip_header = \"x-forwarded-for\"\ntrusted_proxies = [\"10.0.0.0/8\"]",
    )
    .await;
    // Through the trusted proxy 10.0.0.2, a client rotating a fake first entry is still
    // the address the proxy saw (the rightmost untrusted entry).
    let mut ok = 0;
    for i in 0..20 {
        let fake = format!("198.51.100.{i}, 203.0.113.7");
        if send(&h.state, from_peer("10.0.0.2", &[&fake])).await.status == 200 {
            ok += 1;
        }
    }
    assert_eq!(ok, 5, "rotating the first entry bypassed the per-IP limit");
    // A direct client (not a trusted proxy) cannot name someone else: its header is
    // ignored, its own address is charged, and the victim is untouched.
    for _ in 0..8 {
        let _ = send(&h.state, from_peer("192.0.2.50", &["192.0.2.99"])).await;
    }
    assert_eq!(
        send(&h.state, from_peer("192.0.2.99", &[])).await.status,
        200
    );
    let r = send(&h.state, from_peer("192.0.2.50", &[])).await;
    assert_error(&r, 429, "rate_limited_ip");
}

#[tokio::test]
async fn ipv6_clients_share_a_bucket_per_64() {
    let h = harness("[rate_limit]\nper_ip_per_second = 0.001\nper_ip_burst = 2").await;
    let v6 = |a: &str| {
        let mut r = post("/v1/token", Some(KEY), BODY);
        r.extensions_mut().insert(ConnectInfo(PeerAddr(
            format!("[{a}]:40000").parse().unwrap(),
        )));
        r
    };
    assert_eq!(send(&h.state, v6("2001:db8:1:2::1")).await.status, 200);
    assert_eq!(send(&h.state, v6("2001:db8:1:2::2")).await.status, 200);
    let r = send(&h.state, v6("2001:db8:1:2:ffff::3")).await;
    assert_error(&r, 429, "rate_limited_ip");
    assert_eq!(send(&h.state, v6("2001:db8:1:3::1")).await.status, 200);
}

#[tokio::test]
async fn forwarded_header_is_read_from_the_right() {
    let h = harness(
        "[rate_limit]\nper_ip_per_second = 0.001\nper_ip_burst = 1\nclient_ip_header = \"forwarded\"\ntrusted_proxies = [\"10.0.0.0/8\"]",
    )
    .await;
    let req = |v: &str| {
        let mut r = post("/v1/token", Some(KEY), BODY);
        r.headers_mut().insert("forwarded", v.parse().unwrap());
        r.extensions_mut()
            .insert(ConnectInfo(PeerAddr("10.0.0.2:40000".parse().unwrap())));
        r
    };
    assert_eq!(
        send(&h.state, req("for=1.1.1.1, for=203.0.113.7"))
            .await
            .status,
        200
    );
    let r = send(&h.state, req("for=2.2.2.2, for=203.0.113.7;proto=https")).await;
    assert_error(&r, 429, "rate_limited_ip");
}

#[tokio::test]
async fn restricted_rooms_get_no_basic_tokens_and_modes_are_per_caller() {
    let h = harness(&format!(
        "[[api_keys]]\nname = \"rooms-but-basic\"\nsha256 = \"{}\"\nrooms = [\"room-*\"]\nallow_basic = true\nmodes = [\"gcm\"]\n",
        zego_token_server::config::sha256_hex("gcm-only-key")
    ))
    .await;
    // The limited key (rooms = ["room-*"], allow_publish = false): no basic token.
    let r = token(&h.state, LIMITED_KEY, r#"{"user_id":"user-1"}"#).await;
    assert_error(&r, 403, "room_required");
    let r = token(
        &h.state,
        LIMITED_KEY,
        r#"{"user_id":"user-1","room_id":"room-1"}"#,
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    // Unrestricted callers keep basic tokens; allow_basic = true opts a restricted one in.
    assert_eq!(token(&h.state, KEY, BODY).await.status, 200);
    assert_eq!(token(&h.state, "gcm-only-key", BODY).await.status, 200);
    // Modes: both by default; a gcm-only key cannot get CBC.
    let cbc = r#"{"user_id":"u","app_id":42,"mode":"cbc"}"#;
    assert_eq!(token(&h.state, KEY, cbc).await.status, 200);
    let r = token(&h.state, "gcm-only-key", cbc).await;
    assert_error(&r, 403, "mode_not_allowed");
}

#[tokio::test]
async fn a_restricted_key_cannot_tell_configured_apps_from_others() {
    let h = harness("").await;
    // The limited key may use APP only; 42 is configured, 7 is not: the same answer.
    let a = token(
        &h.state,
        LIMITED_KEY,
        r#"{"user_id":"user-1","room_id":"room-1","app_id":42}"#,
    )
    .await;
    let b = token(
        &h.state,
        LIMITED_KEY,
        r#"{"user_id":"user-1","room_id":"room-1","app_id":7}"#,
    )
    .await;
    assert_error(&a, 403, "app_not_allowed");
    assert_error(&b, 403, "app_not_allowed");
}

/// A JWKS server on 127.0.0.1 that serves the fixture while `up`, else 503.
struct Idp {
    url: String,
    up: std::sync::Arc<std::sync::atomic::AtomicBool>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Idp {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn idp(up: bool) -> Idp {
    use std::sync::atomic::{AtomicBool, Ordering};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/jwks.json", listener.local_addr().unwrap());
    let flag = std::sync::Arc::new(AtomicBool::new(up));
    let f = flag.clone();
    let body = std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/jwt/jwks.json"),
    )
    .unwrap();
    let task = tokio::spawn(async move {
        while let Ok((mut c, _)) = listener.accept().await {
            let (f, body) = (f.clone(), body.clone());
            tokio::spawn(async move {
                let mut buf = [0u8; 4096];
                let _ = c.read(&mut buf).await;
                let (code, body) = if f.load(Ordering::SeqCst) {
                    (200, body)
                } else {
                    (503, b"down".to_vec())
                };
                let head = format!(
                    "HTTP/1.1 {code} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
                    body.len()
                );
                let _ = c.write_all(head.as_bytes()).await;
                let _ = c.write_all(&body).await;
            });
        }
    });
    Idp {
        url,
        up: flag,
        task,
    }
}

const IDP_ISSUER: &str = "https://login.example.com";

fn idp_config(url: &str, extra_key: Option<(&str, &str)>) -> String {
    let extra = extra_key.map_or_else(String::new, |(name, key)| {
        format!(
            "[[api_keys]]\nname = \"{name}\"\nsha256 = \"{}\"\n",
            zego_token_server::config::sha256_hex(key)
        )
    });
    config_text(&format!(
        "{extra}[[jwt_issuers]]\nissuer = \"{IDP_ISSUER}\"\naudiences = [\"zego\"]\njwks_url = \"{url}\"\n"
    ))
}

/// An RS256-labelled token of the IdP's issuer (the signature is never reached).
fn idp_token() -> String {
    use base64::Engine as _;
    let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    format!(
        "{}.{}.c2ln",
        b64.encode(r#"{"alg":"RS256","kid":"rsa-1"}"#),
        b64.encode(format!(
            r#"{{"iss":"{IDP_ISSUER}","aud":"zego","sub":"u","exp":{}}}"#,
            NOW + 3600
        ))
    )
}

#[tokio::test]
async fn an_idp_outage_neither_blocks_start_up_nor_reloads() {
    let server = idp(false).await;
    let text = idp_config(&server.url, None);
    let config = zego_token_server::Config::from_toml(&text, &env()).unwrap();
    // Start-up with the IdP down: API-key callers are served.
    let state = zego_token_server::AppState::new(&config, &env())
        .await
        .unwrap();
    assert_eq!(token(&state, KEY, BODY).await.status, 200);
    // The issuer's callers get a clear 503, and readiness names the issuer.
    let r = send(
        &state,
        post("/v1/token", Some(&idp_token()), r#"{"app_id":42}"#),
    )
    .await;
    assert_error(&r, 503, "issuer_keys_unavailable");
    let r = send(&state, get("/readyz", None)).await;
    assert_eq!(r.status, 200);
    assert_eq!(
        r.body["issuers_without_keys"][0].as_str(),
        Some(format!("jwt:{IDP_ISSUER}").as_str()),
        "{}",
        r.text
    );
    // A reload while it is still down applies everything else: a revoked key is gone,
    // a new one works.
    let text2 = idp_config(&server.url, Some(("rotated", "a-new-key-of-the-backend"))).replace(
        &format!(
            "[[api_keys]]\nname = \"full\"\nsha256 = \"{}\"\n",
            zego_token_server::config::sha256_hex(KEY)
        ),
        "",
    );
    let config2 = zego_token_server::Config::from_toml(&text2, &env()).unwrap();
    state.reload(&config2, &env()).await.unwrap();
    assert_eq!(token(&state, KEY, BODY).await.status, 401);
    assert_eq!(
        token(&state, "a-new-key-of-the-backend", BODY).await.status,
        200
    );
    // Once up, a reload fetches the keys; down again, the next reload keeps them.
    server.up.store(true, std::sync::atomic::Ordering::SeqCst);
    state.reload(&config2, &env()).await.unwrap();
    let r = send(&state, get("/readyz", None)).await;
    assert!(r.body.get("issuers_without_keys").is_none(), "{}", r.text);
    server.up.store(false, std::sync::atomic::Ordering::SeqCst);
    state.reload(&config, &env()).await.unwrap();
    let r = send(&state, get("/readyz", None)).await;
    assert_eq!(
        r.body["issuers_with_stale_keys"][0].as_str(),
        Some(format!("jwt:{IDP_ISSUER}").as_str()),
        "{}",
        r.text
    );
    // With its old keys the issuer's tokens are judged (here: a bad signature, 401),
    // not refused for want of keys.
    let r = send(
        &state,
        post("/v1/token", Some(&idp_token()), r#"{"app_id":42}"#),
    )
    .await;
    assert_error(&r, 401, "unauthorized");
}

#[tokio::test]
async fn config_errors_never_echo_a_pasted_secret() {
    let pasted = "fa94dd0f974cf2e293728a526b028271";
    // A secret pasted into secret_env.
    let text = config_text("").replace(
        "secret_env = \"APP_SECRET\"",
        &format!("secret_env = \"{pasted}\""),
    );
    let c = zego_token_server::Config::from_toml(&text, &env()).unwrap();
    let e = zego_token_server::AppState::new(&c, &env())
        .await
        .unwrap_err();
    assert_eq!(e.key.as_deref(), Some("apps[0].secret_env"));
    assert!(!e.to_string().contains(pasted), "{e}");
    // ... into secret_file.
    let text = config_text("").replace(
        "secret_env = \"APP_SECRET\"",
        &format!("secret_file = \"{pasted}\""),
    );
    let c = zego_token_server::Config::from_toml(&text, &env()).unwrap();
    let e = zego_token_server::AppState::new(&c, &env())
        .await
        .unwrap_err();
    assert_eq!(e.key.as_deref(), Some("apps[0].secret_file"));
    assert!(!e.to_string().contains(pasted), "{e}");
    // ... on a malformed line: the line number, not the line.
    let text = format!("{}\nsecret = {pasted}\n", config_text(""));
    let e = zego_token_server::Config::from_toml(&text, &env()).unwrap_err();
    assert!(!e.to_string().contains(pasted), "{e}");
    assert!(e.to_string().contains("line "), "{e}");
    // ... as a value of the wrong type.
    let text = config_text("").replace("app_id = 42", &format!("app_id = \"{pasted}\""));
    let e = zego_token_server::Config::from_toml(&text, &env()).unwrap_err();
    assert!(!e.to_string().contains(pasted), "{e}");
    assert_eq!(e.key.as_deref(), Some("apps[1].app_id"), "{e}");
}

#[tokio::test]
async fn secret_files_are_capped_and_must_be_regular() {
    for path in ["/dev/zero", "/dev/urandom"] {
        let text = config_text("").replace(
            "secret_env = \"APP_SECRET\"",
            &format!("secret_file = \"{path}\""),
        );
        let c = zego_token_server::Config::from_toml(&text, &env()).unwrap();
        let started = Instant::now();
        let e = zego_token_server::AppState::new(&c, &env())
            .await
            .unwrap_err();
        assert!(e.message.contains("not a regular file"), "{e}");
        assert!(started.elapsed() < Duration::from_secs(1));
    }
    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().join("big");
    std::fs::write(&big, vec![b'a'; 100_000]).unwrap();
    let text = config_text("").replace(
        "secret_env = \"APP_SECRET\"",
        &format!("secret_file = \"{}\"", big.display()),
    );
    let c = zego_token_server::Config::from_toml(&text, &env()).unwrap();
    let e = zego_token_server::AppState::new(&c, &env())
        .await
        .unwrap_err();
    assert!(e.message.contains("larger than"), "{e}");
}

#[tokio::test]
async fn placeholder_key_hashes_are_refused() {
    for hash in [
        "0000000000000000000000000000000000000000000000000000000000000000".to_owned(),
        zego_token_server::config::sha256_hex(""),
    ] {
        let text = config_text("").replace(&zego_token_server::config::sha256_hex(KEY), &hash);
        let c = zego_token_server::Config::from_toml(&text, &env()).unwrap();
        let e = zego_token_server::AppState::new(&c, &env())
            .await
            .unwrap_err();
        assert_eq!(e.key.as_deref(), Some("api_keys[0].sha256"), "{e}");
        assert!(e.message.contains("placeholder"), "{e}");
    }
}
