//! The crate as an embedding application uses it, through its public API alone (no
//! `testing` module): a `Config` from TOML, `AppState::new`, `serve` on a
//! `TcpListener` until a shutdown future resolves, `metrics_app` for a separate
//! metrics listener, and `reload_from_file`.
#![allow(
    clippy::unwrap_used,
    reason = "a panic in a test is a failure with its location"
)]

use std::time::Duration;

use axum::body::Body;
use axum::http::{Request, header};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tower::ServiceExt;
use zego_token_server::config::sha256_hex;
use zego_token_server::{AppState, Config, Env};

const KEY: &str = "embedding-test-api-key";
const SECRET: &str = "fa94dd0f974cf2e293728a526b028271";

fn env() -> Env {
    Env::from_pairs([("EMBEDDED_ZEGO_SECRET", SECRET)])
}

fn config_text(metrics_listen: bool) -> String {
    format!(
        r#"
listen = "127.0.0.1:0"

[[apps]]
app_id = 1234567890
secret_env = "EMBEDDED_ZEGO_SECRET"

[[api_keys]]
name = "backend"
sha256 = "{hash}"

[limits]
drain_delay_seconds = 0

[metrics]
{listen}
"#,
        hash = sha256_hex(KEY),
        listen = if metrics_listen {
            r#"listen = "127.0.0.1:9""#
        } else {
            ""
        },
    )
}

/// One HTTP/1.1 request on a new connection; the status and the body.
async fn request(addr: std::net::SocketAddr, head: &str, body: &str) -> (u16, String) {
    let mut s = TcpStream::connect(addr).await.unwrap();
    let text = format!(
        "{head}\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    s.write_all(text.as_bytes()).await.unwrap();
    let mut out = String::new();
    tokio::time::timeout(Duration::from_secs(10), s.read_to_string(&mut out))
        .await
        .unwrap()
        .unwrap();
    let status = out.split_whitespace().nth(1).unwrap().parse().unwrap();
    let body = out.split_once("\r\n\r\n").map(|(_, b)| b.to_owned());
    (status, body.unwrap_or_default())
}

#[tokio::test]
async fn serve_runs_until_the_shutdown_future_resolves() {
    let config = Config::from_toml(&config_text(false), &env()).unwrap();
    let state = AppState::new(&config, &env()).await.unwrap();
    let listener = TcpListener::bind(config.listen).await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(zego_token_server::serve(state, listener, async {
        let _ = stopped.await;
    }));

    let (status, _) = request(addr, "GET /healthz HTTP/1.1", "").await;
    assert_eq!(status, 200);
    let auth = format!("POST /v1/token HTTP/1.1\r\nAuthorization: Bearer {KEY}");
    let (status, body) = request(addr, &auth, r#"{"user_id":"alice"}"#).await;
    assert_eq!(status, 200, "{body}");
    assert!(body.contains(r#""token":"04"#), "{body}");
    let (status, _) = request(addr, "POST /v1/token HTTP/1.1", r#"{"user_id":"a"}"#).await;
    assert_eq!(status, 401);
    // Metrics are on the main router when `metrics.listen` is unset.
    let (status, body) = request(addr, "GET /metrics HTTP/1.1", "").await;
    assert_eq!(status, 200);
    assert!(body.contains("zego_token_tokens_issued_total"), "{body}");

    stop.send(()).unwrap();
    tokio::time::timeout(Duration::from_secs(15), server)
        .await
        .expect("serve returned after its shutdown future resolved")
        .unwrap()
        .unwrap();
    assert!(TcpStream::connect(addr).await.is_err(), "still accepting");
}

#[tokio::test]
async fn metrics_app_serves_metrics_alone() {
    let config = Config::from_toml(&config_text(true), &env()).unwrap();
    let state = AppState::new(&config, &env()).await.unwrap();
    let metrics = zego_token_server::metrics_app(state.clone());
    let resp = metrics
        .clone()
        .oneshot(Request::get("/metrics").body(Body::empty()).unwrap())
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    assert!(
        resp.headers()[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("application/openmetrics-text"),
        "{:?}",
        resp.headers()
    );
    let text = axum::body::to_bytes(resp.into_body(), usize::MAX)
        .await
        .unwrap();
    assert!(
        String::from_utf8_lossy(&text).contains("zego_token_draining 0"),
        "{text:?}"
    );
    // Nothing but /metrics there, and no /metrics on the main router any more.
    let resp = metrics
        .oneshot(Request::get("/healthz").body(Body::empty()).unwrap())
        .await
        .unwrap();
    assert_eq!(resp.status(), 404);
    let resp = zego_token_server::app(state)
        .oneshot(Request::get("/metrics").body(Body::empty()).unwrap())
        .await
        .unwrap();
    assert_eq!(resp.status(), 404);
}

#[tokio::test]
async fn reload_from_file_swaps_the_keys_and_refuses_a_bad_file() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("zego-token.toml");
    // The file reads its secret from a file: `reload_from_file` takes the process
    // environment, which this test does not change.
    let secret = dir.path().join("secret");
    std::fs::write(&secret, format!("{SECRET}\n")).unwrap();
    let text = |key: &str| {
        format!(
            "listen = \"127.0.0.1:0\"\n[[apps]]\napp_id = 1234567890\nsecret_file = \"{}\"\n[[api_keys]]\nname = \"backend\"\nsha256 = \"{}\"\n",
            secret.display(),
            sha256_hex(key)
        )
    };
    std::fs::write(&file, text("first-key-0123456789")).unwrap();
    let config = Config::load(&file, &Env::default()).unwrap();
    let state = AppState::new(&config, &Env::default()).await.unwrap();
    let status = |key: &'static str| {
        let app = zego_token_server::app(state.clone());
        async move {
            let req = Request::post("/v1/token")
                .header(header::AUTHORIZATION, format!("Bearer {key}"))
                .header(header::CONTENT_TYPE, "application/json")
                .extension(axum::extract::ConnectInfo(zego_token_server::PeerAddr(
                    "127.0.0.1:40000".parse().unwrap(),
                )))
                .body(Body::from(r#"{"user_id":"alice"}"#))
                .unwrap();
            app.oneshot(req).await.unwrap().status().as_u16()
        }
    };
    assert_eq!(status("first-key-0123456789").await, 200);

    std::fs::write(&file, text("second-key-0123456789")).unwrap();
    let restart = zego_token_server::reload_from_file(&state, &file, None)
        .await
        .unwrap();
    assert!(restart.is_empty(), "{restart:?}");
    assert_eq!(status("second-key-0123456789").await, 200);
    assert_eq!(status("first-key-0123456789").await, 401);

    std::fs::write(&file, "listen = 5").unwrap();
    let e = zego_token_server::reload_from_file(&state, &file, None)
        .await
        .unwrap_err();
    assert!(e.to_string().contains("listen"), "{e}");
    assert_eq!(status("second-key-0123456789").await, 200);
}
