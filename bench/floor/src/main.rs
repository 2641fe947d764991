//! The floor of the load benchmark (`bench/service/run.sh`): what `POST /v1/token`
//! costs on this machine with nothing but hyper 1 and the library.
//!
//! A bare hyper server (hyper-util's auto connection builder, as the service uses, on a
//! multi-thread tokio runtime) that answers `POST /v1/token` with a basic AES-GCM token
//! from [`zego_token::generate`]. It reads the same request JSON as the service
//! (`user_id`, `ttl_seconds`), checks the bearer key with a plain comparison (as the
//! Node baseline does), and answers the same JSON shape. No logging, metrics, limits,
//! routing table or timeouts: everything the service does beyond this is its overhead.
//!
//! ```text
//! cargo run --release -p zego-token-bench-floor -- 127.0.0.1:8092
//! ```
//!
//! Environment: `ZEGO_SERVER_SECRET` (32 characters), `ZEGO_APP_ID` (default
//! 1234567890), `BENCH_API_KEY` (default `bench-key`), `WORKERS` (runtime threads,
//! default one per core), `FLOOR_EXTRA_US` (busy-loop this many microseconds per
//! request before answering: how a fixed per-request cost shows in tokens/s and CPU on
//! this machine; default 0). Not a product: it is built by the bench script only.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use http_body_util::{BodyExt, Full};
use hyper::body::{Bytes, Incoming};
use hyper::header::{AUTHORIZATION, CONTENT_TYPE, HeaderValue};
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::{TokioExecutor, TokioIo};
use hyper_util::server::conn::auto;
use serde::{Deserialize, Serialize};
use zego_token::{Claims, ServerSecret};

struct Floor {
    extra: Duration,
    app_id: u32,
    secret: ServerSecret,
    bearer: String,
}

#[derive(Deserialize)]
struct TokenRequest {
    user_id: String,
    ttl_seconds: Option<u64>,
}

#[derive(Serialize)]
struct TokenResponse<'a> {
    token: String,
    app_id: u32,
    user_id: &'a str,
    expires_in: u64,
}

fn answer(status: StatusCode, body: Vec<u8>) -> Response<Full<Bytes>> {
    let mut resp = Response::new(Full::new(Bytes::from(body)));
    *resp.status_mut() = status;
    resp.headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    resp
}

fn refuse(status: StatusCode, code: &str) -> Response<Full<Bytes>> {
    answer(
        status,
        format!(r#"{{"error":{{"code":"{code}","message":"{code}"}}}}"#).into_bytes(),
    )
}

async fn handle(floor: Arc<Floor>, req: Request<Incoming>) -> Response<Full<Bytes>> {
    if req.method() != Method::POST || req.uri().path() != "/v1/token" {
        return refuse(StatusCode::NOT_FOUND, "not_found");
    }
    if req.headers().get(AUTHORIZATION).map(HeaderValue::as_bytes) != Some(floor.bearer.as_bytes())
    {
        return refuse(StatusCode::UNAUTHORIZED, "unauthorized");
    }
    let Ok(body) = req.into_body().collect().await else {
        return refuse(StatusCode::BAD_REQUEST, "unreadable_body");
    };
    let Ok(asked) = serde_json::from_slice::<TokenRequest>(&body.to_bytes()) else {
        return refuse(StatusCode::BAD_REQUEST, "invalid_json");
    };
    if !floor.extra.is_zero() {
        let start = std::time::Instant::now();
        while start.elapsed() < floor.extra {
            std::hint::spin_loop();
        }
    }
    let ttl = asked.ttl_seconds.unwrap_or(3600);
    let claims = Claims::new(floor.app_id, &asked.user_id, Duration::from_secs(ttl));
    let Ok(token) = zego_token::generate(&floor.secret, &claims) else {
        return refuse(StatusCode::UNPROCESSABLE_ENTITY, "invalid_request");
    };
    let out = TokenResponse {
        token,
        app_id: floor.app_id,
        user_id: &asked.user_id,
        expires_in: ttl,
    };
    match serde_json::to_vec(&out) {
        Ok(body) => answer(StatusCode::OK, body),
        Err(_) => refuse(StatusCode::INTERNAL_SERVER_ERROR, "internal"),
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let addr: SocketAddr = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:8092".to_owned())
        .parse()?;
    let secret = std::env::var("ZEGO_SERVER_SECRET")
        .map_err(|_| "ZEGO_SERVER_SECRET is not set (32 characters)")?;
    let app_id = match std::env::var("ZEGO_APP_ID") {
        Ok(v) => v.parse().map_err(|_| "ZEGO_APP_ID is not a number")?,
        Err(_) => 1_234_567_890,
    };
    let key = std::env::var("BENCH_API_KEY").unwrap_or_else(|_| "bench-key".to_owned());
    let extra_us: u64 = match std::env::var("FLOOR_EXTRA_US") {
        Ok(v) => v.parse().map_err(|_| "FLOOR_EXTRA_US is not a number")?,
        Err(_) => 0,
    };
    let floor = Arc::new(Floor {
        extra: Duration::from_micros(extra_us),
        app_id,
        secret: ServerSecret::new(&secret)?,
        bearer: format!("Bearer {key}"),
    });
    let mut rt = tokio::runtime::Builder::new_multi_thread();
    rt.enable_all();
    if let Some(n) = std::env::var("WORKERS").ok().and_then(|v| v.parse().ok()) {
        rt.worker_threads(n);
    }
    rt.build()?.block_on(async move {
        let listener = tokio::net::TcpListener::bind(addr).await?;
        let builder = Arc::new(auto::Builder::new(TokioExecutor::new()));
        loop {
            let (tcp, _) = listener.accept().await?;
            let _ = tcp.set_nodelay(true);
            let (floor, builder) = (floor.clone(), builder.clone());
            tokio::spawn(async move {
                let service = hyper::service::service_fn(move |req| {
                    let floor = floor.clone();
                    async move { Ok::<_, Infallible>(handle(floor, req).await) }
                });
                let _ = builder.serve_connection(TokioIo::new(tcp), service).await;
            });
        }
    })
}
