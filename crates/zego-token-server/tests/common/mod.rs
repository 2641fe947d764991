//! Shared test helpers: configs, states on injected clocks, requests.
#![allow(dead_code, reason = "each test binary uses a different subset")]
#![allow(
    unreachable_pub,
    reason = "a test helper module, public to its test binaries"
)]
#![allow(
    clippy::unwrap_used,
    reason = "test helpers: a failure is a test failure"
)]

use std::net::SocketAddr;
use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, Response, header};
use serde_json::Value;
use tokio::io::AsyncReadExt;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use tower::ServiceExt;
use zego_token::FixedClock;
use zego_token_server::config::sha256_hex;
use zego_token_server::testing::{AppStateExt as _, ManualClock};
use zego_token_server::{AppState, Config, Env, ServiceListener};

/// The fixed "now" of the tests.
/// A log writer that keeps everything written to it (clones share the buffer).
#[derive(Clone, Default)]
pub struct Captured(pub Arc<std::sync::Mutex<Vec<u8>>>);

impl Captured {
    /// What was written so far, as text.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }
}

impl std::io::Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

pub const NOW: i64 = 1_700_000_000;
pub const APP: u32 = 1_234_567_890;
pub const SECRET: &str = "fa94dd0f974cf2e293728a526b028271";
pub const APP2: u32 = 42;
pub const SECRET2: &str = "0123456789abcdef0123456789abcdef";
pub const KEY: &str = "test-key-full-access";
pub const LIMITED_KEY: &str = "test-key-limited";
pub const JWT_SECRET: &str = "jwt-shared-secret-of-the-identity-provider";

/// A config with two apps, a full-access key and a limited key.
pub fn config_text(extra: &str) -> String {
    format!(
        r#"
[[apps]]
app_id = {APP}
secret_env = "APP_SECRET"

[[apps]]
app_id = {APP2}
secret_env = "APP2_SECRET"

[[api_keys]]
name = "full"
sha256 = "{full}"

[[api_keys]]
name = "limited"
sha256 = "{limited}"
apps = [{APP}]
rooms = ["room-*"]
user_ids = ["user-*"]
allow_publish = false
max_ttl_seconds = 600

{extra}
"#,
        full = sha256_hex(KEY),
        limited = sha256_hex(LIMITED_KEY),
    )
}

pub fn env() -> Env {
    Env::from_pairs([
        ("APP_SECRET", SECRET),
        ("APP2_SECRET", SECRET2),
        ("JWT_SECRET", JWT_SECRET),
    ])
}

pub fn config(extra: &str) -> Config {
    Config::from_toml(&config_text(extra), &env()).unwrap()
}

pub struct Harness {
    pub state: AppState,
    pub mono: Arc<ManualClock>,
}

pub async fn harness(extra: &str) -> Harness {
    let mono = Arc::new(ManualClock::default());
    let state = AppState::with_clocks(
        &config(extra),
        &env(),
        Arc::new(FixedClock(NOW)),
        mono.clone(),
    )
    .await
    .unwrap();
    Harness { state, mono }
}

#[derive(Clone)]
pub struct Reply {
    pub status: u16,
    pub headers: axum::http::HeaderMap,
    pub body: Value,
    pub text: String,
}

pub async fn send(state: &AppState, req: Request<Body>) -> Reply {
    let resp: Response<Body> = zego_token_server::app(state.clone())
        .oneshot(req)
        .await
        .unwrap();
    let status = resp.status().as_u16();
    let headers = resp.headers().clone();
    let bytes = axum::body::to_bytes(resp.into_body(), usize::MAX)
        .await
        .unwrap();
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    Reply {
        status,
        headers,
        body,
        text,
    }
}

pub fn post(path: &str, key: Option<&str>, body: &str) -> Request<Body> {
    let mut b = Request::post(path).header(header::CONTENT_TYPE, "application/json");
    if let Some(k) = key {
        b = b.header(header::AUTHORIZATION, format!("Bearer {k}"));
    }
    b.body(Body::from(body.to_owned())).unwrap()
}

pub fn get(path: &str, key: Option<&str>) -> Request<Body> {
    let mut b = Request::get(path);
    if let Some(k) = key {
        b = b.header(header::AUTHORIZATION, format!("Bearer {k}"));
    }
    b.body(Body::empty()).unwrap()
}

pub async fn token(state: &AppState, key: &str, body: &str) -> Reply {
    send(state, post("/v1/token", Some(key), body)).await
}

/// Asserts the error shape and returns the code.
pub fn error_code(r: &Reply) -> String {
    let code = r.body["error"]["code"]
        .as_str()
        .unwrap_or_else(|| panic!("not an error body: {}", r.text));
    assert!(r.body["error"]["message"].is_string(), "{}", r.text);
    assert_eq!(
        r.headers.get(header::CONTENT_TYPE).unwrap(),
        "application/json",
        "{}",
        r.text
    );
    code.to_owned()
}

/// Asserts the status and the error code (and, through [`error_code`], the error shape).
#[track_caller]
pub fn assert_error(r: &Reply, status: u16, code: &str) {
    assert_eq!(
        (r.status, error_code(r).as_str()),
        (status, code),
        "{}",
        r.text
    );
}

/// Token request bodies that break one field rule each, with the error code expected.
/// The harnesses of `api.rs` and `leaks.rs` both configure app 42 and a 86,400 s cap.
pub fn invalid_token_bodies() -> Vec<(String, &'static str)> {
    vec![
        (
            format!(r#"{{"user_id":"{}","app_id":42}}"#, "u".repeat(64)),
            "invalid_user_id",
        ),
        (r#"{"user_id":"","app_id":42}"#.into(), "invalid_user_id"),
        (r#"{"app_id":42}"#.into(), "missing_user_id"),
        (
            r#"{"user_id":"u","app_id":42,"room_id":"r","stream_ids":["bad id"]}"#.into(),
            "invalid_stream_id",
        ),
        (
            format!(
                r#"{{"user_id":"u","app_id":42,"room_id":"{}"}}"#,
                "r".repeat(128)
            ),
            "invalid_room_id",
        ),
        (
            r#"{"user_id":"u","app_id":42,"room_id":""}"#.into(),
            "invalid_room_id",
        ),
        (
            r#"{"user_id":"u","app_id":42,"ttl_seconds":0}"#.into(),
            "invalid_ttl",
        ),
        (
            r#"{"user_id":"u","app_id":42,"ttl_seconds":-5}"#.into(),
            "invalid_ttl",
        ),
        (
            r#"{"user_id":"u","app_id":42,"ttl_seconds":86401}"#.into(),
            "ttl_too_long",
        ),
        (r#"{"user_id":"u","app_id":0}"#.into(), "invalid_app_id"),
        (r#"{"user_id":"u","app_id":7}"#.into(), "unknown_app"),
        (
            r#"{"user_id":"u","app_id":42,"stream_ids":["s"]}"#.into(),
            "room_required",
        ),
        (
            r#"{"user_id":"u","app_id":42,"kit":{"user_name":"n"}}"#.into(),
            "room_required",
        ),
        (
            r#"{"user_id":"u","app_id":42,"room_id":"r","kit":{"user_name":""}}"#.into(),
            "invalid_user_name",
        ),
        (
            r#"{"user_id":"u","app_id":42,"mode":"ecb"}"#.into(),
            "invalid_body",
        ),
    ]
}

/// A compact JWT with any header and claims, signed HS256 with `key` (jsonwebtoken's
/// signer), or with an empty signature for `None` (`alg: none` and similar forgeries).
pub fn jwt_with(header: &Value, claims: &Value, key: Option<&str>) -> String {
    use base64::Engine as _;
    let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let signing = format!(
        "{}.{}",
        b64.encode(header.to_string()),
        b64.encode(claims.to_string())
    );
    let sig = key.map_or_else(String::new, |k| {
        jsonwebtoken::crypto::sign(
            signing.as_bytes(),
            &jsonwebtoken::EncodingKey::from_secret(k.as_bytes()),
            jsonwebtoken::Algorithm::HS256,
        )
        .unwrap()
    });
    format!("{signing}.{sig}")
}

/// The service on a real listener, in a task, until [`Running::shut_down`].
pub struct Running {
    pub addr: SocketAddr,
    stop: Option<oneshot::Sender<()>>,
    end_delay: Option<oneshot::Sender<()>>,
    pub task: JoinHandle<std::io::Result<()>>,
}

impl Running {
    /// Shuts down at once: the shutdown signal, then the end of the drain delay (as a
    /// second SIGTERM would), so the listener closes without waiting for
    /// `limits.drain_delay_seconds`.
    pub fn shut_down(&mut self) {
        self.begin_shutdown();
        self.end_delay();
    }

    /// Sends the shutdown signal only: `/readyz` turns 503 and the drain delay runs.
    pub fn begin_shutdown(&mut self) {
        self.stop.take().unwrap().send(()).unwrap();
    }

    /// Ends the drain delay early.
    pub fn end_delay(&mut self) {
        self.end_delay.take().unwrap().send(()).unwrap();
    }
}

/// Serves `state` on `listener`, which is bound at `addr`.
pub fn serve_on(state: AppState, listener: ServiceListener, addr: SocketAddr) -> Running {
    let (tx, rx) = oneshot::channel();
    let (end_tx, end_rx) = oneshot::channel();
    let task = tokio::spawn(zego_token_server::serve_with_drain(
        state,
        listener,
        async {
            let _ = rx.await;
        },
        async {
            let _ = end_rx.await;
        },
    ));
    Running {
        addr,
        stop: Some(tx),
        end_delay: Some(end_tx),
        task,
    }
}

/// Serves `state` on a plain listener on 127.0.0.1:0, bound before this returns (so the
/// port is ready).
pub async fn start(state: AppState) -> Running {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    serve_on(state, listener.into(), addr)
}

/// Reads one HTTP/1.1 response (with a `content-length`) from a keep-alive connection:
/// (status, lower-cased headers text, body), or `None` if the server closed it first.
pub async fn read_one(stream: &mut TcpStream) -> Option<(u16, String, String)> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).to_ascii_lowercase();
    let len: usize = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length: "))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(0);
    while buf.len() < head_end + len {
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    let status = head.split(' ').nth(1)?.parse().ok()?;
    let body = String::from_utf8_lossy(&buf[head_end..head_end + len]).into_owned();
    Some((status, head, body))
}
