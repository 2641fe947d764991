//! Shared by the router targets: one service per process (runtime, state, router),
//! built on first use, and the properties every answer of the API has.
//!
//! The service mirrors `crates/zego-token-server/tests/common/mod.rs`: two apps, a
//! full-access API key, a limited key, and an HS256 login-JWT issuer; token time fixed
//! at [`NOW`]; rate limits off (rate 0), so no answer is a 429.
#![allow(dead_code, reason = "each target uses a different subset")]

use std::sync::{Arc, OnceLock};

use axum::Router;
use axum::body::Body;
use axum::http::{Request, header};
use serde_json::Value;
use tower::ServiceExt;
use zego_token::{FixedClock, ServerSecret};
use zego_token_server::config::sha256_hex;
use zego_token_server::testing::{AppStateExt as _, ManualClock};
use zego_token_server::{AppState, Config, Env};

/// Token time of the service.
pub const NOW: i64 = 1_700_000_000;
pub const APP: u32 = 1_234_567_890;
pub const SECRET: &str = "fa94dd0f974cf2e293728a526b028271";
pub const APP2: u32 = 42;
pub const SECRET2: &str = "0123456789abcdef0123456789abcdef";
pub const KEY: &str = "fuzz-key-full-access";
pub const LIMITED_KEY: &str = "fuzz-key-limited";
pub const JWT_SECRET: &str = "jwt-shared-secret-of-the-identity-provider";
/// The `sub` of the login JWT the JWT-caller variant presents (rooms `["r1"]`, no publish).
pub const JWT_USER: &str = "alice";

/// Values no answer may contain (unless the request itself carried them).
pub const NEVER_SHOWN: [&str; 5] = [SECRET, SECRET2, KEY, LIMITED_KEY, JWT_SECRET];

pub struct Service {
    rt: tokio::runtime::Runtime,
    router: Router,
    /// A valid login JWT for [`JWT_USER`] (expires in 2096).
    pub jwt: String,
}

/// The service, built once per process.
pub fn service() -> &'static Service {
    static SERVICE: OnceLock<Service> = OnceLock::new();
    SERVICE.get_or_init(build)
}

fn build() -> Service {
    let text = format!(
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

[[jwt_issuers]]
issuer = "https://id.test/"
audiences = ["zego"]
hs256_secret_env = "JWT_SECRET"
rooms_claim = "rooms"
publish_claim = "pub"
allow_publish = true
apps = [{APP2}]

[rate_limit]
per_caller_per_second = 0
per_ip_per_second = 0
"#,
        full = sha256_hex(KEY),
        limited = sha256_hex(LIMITED_KEY),
    );
    let env = Env::from_pairs([
        ("APP_SECRET", SECRET),
        ("APP2_SECRET", SECRET2),
        ("JWT_SECRET", JWT_SECRET),
    ]);
    let config = Config::from_toml(&text, &env).expect("the fuzz config is valid");
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    let state = rt
        .block_on(AppState::with_clocks(
            &config,
            &env,
            Arc::new(FixedClock(NOW)),
            Arc::new(ManualClock::default()),
        ))
        .expect("the fuzz state builds");
    Service {
        rt,
        router: zego_token_server::app(state),
        jwt: login_jwt(),
    }
}

/// The secret of a configured app.
pub fn secret_of(app_id: u32) -> ServerSecret {
    let s = match app_id {
        APP => SECRET,
        APP2 => SECRET2,
        other => panic!("answer names app {other}, which is not configured"),
    };
    ServerSecret::new(s).expect("32-byte secret")
}

pub struct Reply {
    pub status: u16,
    pub content_type: Option<String>,
    /// All response headers, `name: value` lines.
    pub headers: String,
    pub body: Vec<u8>,
}

impl Service {
    /// `POST path` with the given credential (`Authorization` value) and content type.
    pub fn post(
        &self,
        path: &str,
        auth: Option<&str>,
        content_type: Option<&str>,
        body: Vec<u8>,
    ) -> Reply {
        let mut b = Request::post(path);
        if let Some(a) = auth {
            b = b.header(header::AUTHORIZATION, a);
        }
        if let Some(c) = content_type {
            b = b.header(header::CONTENT_TYPE, c);
        }
        let req = b.body(Body::from(body)).expect("a valid request");
        self.rt.block_on(async {
            let resp = self.router.clone().oneshot(req).await.expect("infallible");
            let status = resp.status().as_u16();
            let content_type = resp
                .headers()
                .get(header::CONTENT_TYPE)
                .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
            let headers = resp
                .headers()
                .iter()
                .map(|(k, v)| format!("{k}: {}\n", String::from_utf8_lossy(v.as_bytes())))
                .collect();
            let body = axum::body::to_bytes(resp.into_body(), usize::MAX)
                .await
                .expect("a readable body")
                .to_vec();
            Reply {
                status,
                content_type,
                headers,
                body,
            }
        })
    }
}

/// `FUZZ_SHOW=1` prints every request and answer (for replaying seeds or crashes).
fn show() -> bool {
    static SHOW: OnceLock<bool> = OnceLock::new();
    *SHOW.get_or_init(|| std::env::var_os("FUZZ_SHOW").is_some())
}

/// Whether the request carried `s` (raw, or once its JSON escapes are undone), so an
/// echo of it in the answer is not a leak.
fn carried(request: &[u8], s: &str) -> bool {
    request.windows(s.len()).any(|w| w == s.as_bytes())
        || serde_json::from_slice::<Value>(request).is_ok_and(|v| v.to_string().contains(s))
}

/// The properties of every answer: not 5xx; a JSON body labelled `application/json`;
/// a non-200 body is exactly `{"error":{"code","message"}}` with non-empty strings; no
/// secret, API key or JWT secret in headers or body. Returns the parsed body.
pub fn check_answer(r: &Reply, request: &[u8]) -> Value {
    let text = String::from_utf8_lossy(&r.body);
    if show() {
        eprintln!(
            "{}\n  -> {} {text}",
            String::from_utf8_lossy(request),
            r.status
        );
    }
    assert!(r.status < 500, "status {}: {text}", r.status);
    assert_eq!(
        r.content_type.as_deref(),
        Some("application/json"),
        "status {}: {text}",
        r.status
    );
    let body: Value = serde_json::from_slice(&r.body)
        .unwrap_or_else(|e| panic!("status {}: body is not JSON ({e}): {text}", r.status));
    if r.status != 200 {
        let obj = body.as_object().expect("error body is an object");
        assert_eq!(obj.len(), 1, "error body has only `error`: {text}");
        let err = body["error"].as_object().expect("`error` is an object");
        assert_eq!(err.len(), 2, "`error` has only code and message: {text}");
        let code = err["code"].as_str().expect("error.code is a string");
        let message = err["message"].as_str().expect("error.message is a string");
        assert!(!code.is_empty() && !message.is_empty(), "{text}");
    }
    for s in NEVER_SHOWN {
        if carried(request, s) {
            continue;
        }
        assert!(!text.contains(s), "answer contains a secret value: {text}");
        assert!(
            !r.headers.contains(s),
            "headers contain a secret value: {}",
            r.headers
        );
    }
    body
}

/// An HS256 login JWT for [`JWT_USER`], rooms `["r1"]`, publish false, `exp` in 2096
/// (valid on the fixed and on the real clock).
fn login_jwt() -> String {
    let claims = serde_json::json!({
        "iss": "https://id.test/", "aud": "zego", "sub": JWT_USER,
        "exp": 4_000_000_000_i64, "rooms": ["r1"], "pub": false,
    });
    jsonwebtoken::encode(
        &jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256),
        &claims,
        &jsonwebtoken::EncodingKey::from_secret(JWT_SECRET.as_bytes()),
    )
    .expect("HS256 signing cannot fail")
}
