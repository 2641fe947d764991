//! Secrets never leak: the whole API, every failure path, config errors, reloads, a real
//! listener (plain and TLS) and `Debug` output run with known ServerSecrets (one from a
//! variable, one from a file), API keys (one limited by policy), an HS256 issuer secret
//! and caller JWTs (valid, expired, wrong audience, bad signature, `alg: none`), and none
//! of them (in raw, hex or base64 form), nor the plaintext claims of the tokens the
//! service mints, may appear in the logs, a response body or header, a `ConfigError`, or
//! the `Debug` of the config and the state.
//!
//! Logs are captured at TRACE (`EnvFilter` "trace") in both the text and the JSON format
//! by one global subscriber, so every thread (the real listener's tasks too) is seen.
//! Log capture lives in this test binary only: no other test can race for the global
//! subscriber or its callsite cache.
#![allow(clippy::unwrap_used, reason = "tests: a panic is a test failure")]

mod common;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use axum::body::Body;
use axum::http::{Request, header};
use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use common::{
    Captured, Reply, assert_error, error_code, get, jwt_with, post, send, serve_on, start,
};
use serde_json::json;
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::{TcpListener, TcpStream};
use tracing_subscriber::prelude::*;
use zego_token::{FixedClock, ServerSecret};
use zego_token_server::config::sha256_hex;
use zego_token_server::testing::{AppStateExt as _, ManualClock};
use zego_token_server::{AppState, Config, ConfigError, Env};

// ------------------------------------------------------------------ the known values

/// The fixed "now" of the token clock.
const NOW: i64 = 1_700_000_000;
/// App whose ServerSecret comes from a variable.
const APP_ENV: u32 = 1_234_567_890;
const SECRET_ENV_VAR: &str = "LEAK_TEST_APP_SECRET";
const SECRET_FROM_ENV: &str = "Zs3cr3tFromEnv9f1e2d3c4b5a69788X";
/// App whose ServerSecret comes from a file.
const APP_FILE: u32 = 42;
const SECRET_FROM_FILE: &str = "Zs3cr3tFromFile0e1d2c3b4a5968771";
/// An unrestricted and a policy-limited API key.
const FULL_KEY: &str = "ztk_full_5f0c2b9e8d7a6c5b4a39281706f5e4d3c2b1a0f9e8d7";
const LIMITED_KEY: &str = "ztk_limited_0a1b2c3d4e5f60718293a4b5c6d7e8f9a0b1";
/// A key that looks real but is not configured.
const WRONG_KEY: &str = "ztk_wrong_ffeeddccbbaa99887766554433221100ffeeddcc";
/// The HS256 secret of the trusted identity provider.
const JWT_SECRET_VAR: &str = "LEAK_TEST_JWT_SECRET";
const JWT_SECRET: &str = "hs256-issuer-secret-Q7w9e8r7t6y5u4i3o2p1";
const ISSUER: &str = "https://id.leak.test/";
const AUDIENCE: &str = "zego-leak";
/// The request id the test sends, to find its log lines.
const REQUEST_ID: &str = "leak-test-request-0001";

// ------------------------------------------------------------------ log capture

struct Logs {
    text: Captured,
    json: Captured,
}

/// The process-wide subscriber: TRACE for every target, text and JSON side by side.
fn logs() -> &'static Logs {
    static LOGS: OnceLock<Logs> = OnceLock::new();
    LOGS.get_or_init(|| {
        let logs = Logs {
            text: Captured::default(),
            json: Captured::default(),
        };
        let (t, j) = (logs.text.clone(), logs.json.clone());
        let subscriber = tracing_subscriber::registry()
            .with(tracing_subscriber::EnvFilter::new("trace"))
            .with(
                tracing_subscriber::fmt::layer()
                    .with_ansi(false)
                    .with_writer(move || t.clone()),
            )
            .with(
                tracing_subscriber::fmt::layer()
                    .json()
                    .flatten_event(true)
                    .with_current_span(true)
                    .with_span_list(true)
                    .with_writer(move || j.clone()),
            );
        tracing::subscriber::set_global_default(subscriber).unwrap();
        logs
    })
}

// ------------------------------------------------------------------ the detector

/// A known secret and the forms it could plausibly be written in.
struct Needle {
    what: String,
    forms: Vec<String>,
}

/// The raw value, its hex, its base64 (standard and URL-safe, without padding, so a
/// value embedded in a longer encoding still matches in its aligned form), and every
/// 12-character slice of it (a truncated or partly redacted value).
fn needle(what: &str, value: &str) -> Needle {
    let mut forms = vec![
        value.to_owned(),
        hex::encode(value),
        hex::encode_upper(value),
        STANDARD.encode(value).trim_end_matches('=').to_owned(),
        URL_SAFE_NO_PAD.encode(value),
    ];
    if value.is_ascii() && value.len() > 12 {
        forms.extend((0..=value.len() - 12).map(|i| value[i..i + 12].to_owned()));
    }
    Needle {
        what: what.to_owned(),
        forms,
    }
}

/// A value only matched as it is (token texts, claims JSON).
fn exact(what: &str, value: &str) -> Needle {
    Needle {
        what: what.to_owned(),
        forms: vec![value.to_owned()],
    }
}

/// The first needle found in `haystack`, described.
fn find_leak(haystack: &str, needles: &[Needle]) -> Option<String> {
    needles.iter().find_map(|n| {
        n.forms
            .iter()
            .find(|f| haystack.contains(f.as_str()))
            .map(|f| format!("{} (as {f:?})", n.what))
    })
}

#[track_caller]
fn assert_clean(place: &str, haystack: &str, needles: &[Needle]) {
    if let Some(leak) = find_leak(haystack, needles) {
        panic!("{place} leaks {leak}:\n{haystack}");
    }
}

/// Secrets the service holds or is shown by callers: never in logs, answers or errors.
fn secret_needles(jwts: &[(&str, String)]) -> Vec<Needle> {
    let mut n = vec![
        needle("the ServerSecret from the variable", SECRET_FROM_ENV),
        needle("the ServerSecret from the file", SECRET_FROM_FILE),
        needle("the full API key", FULL_KEY),
        needle("the limited API key", LIMITED_KEY),
        needle("the refused API key", WRONG_KEY),
        needle("the HS256 issuer secret", JWT_SECRET),
    ];
    for (what, jwt) in jwts {
        n.push(exact(what, jwt));
        // The claims and signature segments (the header is the same for every JWT).
        for seg in jwt.split('.').skip(1).filter(|s| s.len() >= 16) {
            n.push(exact(&format!("a segment of {what}"), seg));
        }
    }
    n
}

/// What a minted token reveals when decrypted: never in the logs.
fn token_needles(minted: &[Minted]) -> Vec<Needle> {
    let mut n = Vec::new();
    for m in minted {
        n.push(exact(&format!("token {}", m.label), &m.token));
        n.push(exact(
            &format!("the body of token {}", m.label),
            &m.token[2..34],
        ));
        n.push(exact(&format!("the claims of {}", m.label), &m.claims_json));
        if !m.payload.is_empty() {
            n.push(exact(&format!("the payload of {}", m.label), &m.payload));
            let escaped = serde_json::to_string(&m.payload).unwrap();
            n.push(exact(
                &format!("the escaped payload of {}", m.label),
                escaped.trim_matches('"'),
            ));
        }
        if let Some(kit) = &m.kit {
            n.push(exact(&format!("kit token {}", m.label), kit));
        }
    }
    n
}

// ------------------------------------------------------------------ fixture

fn config_text(secret_file: &std::path::Path, extra: &str) -> String {
    format!(
        r#"
[[apps]]
app_id = {APP_ENV}
secret_env = "{SECRET_ENV_VAR}"

[[apps]]
app_id = {APP_FILE}
secret_file = {file:?}

[[api_keys]]
name = "backend-full"
sha256 = "{full}"

[[api_keys]]
name = "backend-limited"
sha256 = "{limited}"
apps = [{APP_ENV}]
rooms = ["room-*"]
user_ids = ["user-*"]
allow_publish = false
max_ttl_seconds = 600

[[jwt_issuers]]
issuer = "{ISSUER}"
audiences = ["{AUDIENCE}"]
hs256_secret_env = "{JWT_SECRET_VAR}"
rooms_claim = "rooms"
publish_claim = "pub"
allow_publish = true
apps = [{APP_FILE}]

{extra}
"#,
        file = secret_file.display().to_string(),
        full = sha256_hex(FULL_KEY),
        limited = sha256_hex(LIMITED_KEY),
    )
}

fn env() -> Env {
    Env::from_pairs([
        (SECRET_ENV_VAR, SECRET_FROM_ENV),
        (JWT_SECRET_VAR, JWT_SECRET),
    ])
}

struct Fixture {
    dir: tempfile::TempDir,
    secret_file: PathBuf,
}

impl Fixture {
    fn new() -> Self {
        assert_eq!(SECRET_FROM_ENV.len(), 32);
        assert_eq!(SECRET_FROM_FILE.len(), 32);
        let dir = tempfile::tempdir().unwrap();
        let secret_file = dir.path().join("zego-secret");
        std::fs::write(&secret_file, format!("{SECRET_FROM_FILE}\n")).unwrap();
        Self { dir, secret_file }
    }

    fn text(&self, extra: &str) -> String {
        config_text(&self.secret_file, extra)
    }

    fn config(&self, extra: &str) -> Config {
        Config::from_toml(&self.text(extra), &env()).unwrap()
    }

    async fn state(&self, extra: &str) -> AppState {
        AppState::with_clocks(
            &self.config(extra),
            &env(),
            Arc::new(FixedClock(NOW)),
            Arc::new(ManualClock::default()),
        )
        .await
        .unwrap()
    }
}

// ------------------------------------------------------------------ JWTs

/// The caller JWTs: `(label, jwt)`; the first one is valid.
fn jwts() -> Vec<(&'static str, String)> {
    let hs = json!({"alg": "HS256", "typ": "JWT"});
    // Judged on the fixture's injected clock (NOW), like the tokens.
    let later = NOW + 600;
    let claims = |sub: &str, aud: &str, exp: i64| json!({"iss": ISSUER, "aud": aud, "sub": sub, "exp": exp, "rooms": ["r1"], "pub": true});
    vec![
        (
            "the valid JWT",
            jwt_with(&hs, &claims("alice", AUDIENCE, later), Some(JWT_SECRET)),
        ),
        (
            "the expired JWT",
            jwt_with(
                &hs,
                &claims("alice", AUDIENCE, NOW - 3600),
                Some(JWT_SECRET),
            ),
        ),
        (
            "the wrong-audience JWT",
            jwt_with(
                &hs,
                &claims("alice", "other-service", later),
                Some(JWT_SECRET),
            ),
        ),
        (
            "the badly signed JWT",
            jwt_with(
                &hs,
                &claims("alice", AUDIENCE, later),
                Some("another-secret-another-secret-another"),
            ),
        ),
        (
            "the alg=none JWT",
            jwt_with(
                &json!({"alg": "none", "typ": "JWT"}),
                &claims("alice", AUDIENCE, later),
                None,
            ),
        ),
    ]
}

// ------------------------------------------------------------------ requests

/// A token the service minted, with its decrypted plaintext.
struct Minted {
    label: String,
    token: String,
    kit: Option<String>,
    claims_json: String,
    payload: String,
}

/// `token`, minted for `app`, decrypted with the app's secret.
fn decrypted(label: &str, token: &str, app: u32, kit: Option<String>) -> Minted {
    let secret = if app == APP_ENV {
        SECRET_FROM_ENV
    } else {
        SECRET_FROM_FILE
    };
    let d = zego_token::decode(token, &ServerSecret::new(secret).unwrap()).unwrap();
    Minted {
        label: label.to_owned(),
        token: token.to_owned(),
        kit,
        claims_json: serde_json::to_string(&d.claims).unwrap(),
        payload: d.claims.payload,
    }
}

fn decode(label: &str, r: &Reply) -> Minted {
    assert_eq!(r.status, 200, "{label}: {}", r.text);
    let app = u32::try_from(r.body["app_id"].as_u64().unwrap()).unwrap();
    let kit = r.body["kit_token"].as_str().map(str::to_owned);
    let m = decrypted(label, r.body["token"].as_str().unwrap(), app, kit);
    // The generator writes the claims in this member order (the official one), so this
    // is the plaintext inside the token.
    assert!(
        m.claims_json.starts_with("{\"app_id\":"),
        "{}",
        m.claims_json
    );
    m
}

fn with_id(mut req: Request<Body>) -> Request<Body> {
    req.headers_mut()
        .insert("x-request-id", REQUEST_ID.parse().unwrap());
    req
}

fn raw(method: &str, path: &str, headers: &[(&str, &str)], body: &str) -> Request<Body> {
    let mut b = Request::builder().method(method).uri(path);
    for (k, v) in headers {
        b = b.header(*k, *v);
    }
    b.body(Body::from(body.to_owned())).unwrap()
}

/// Every answer, to be searched for secrets in body and headers.
#[derive(Default)]
struct Answers(Vec<(String, Reply)>);

impl Answers {
    async fn send(&mut self, state: &AppState, label: &str, req: Request<Body>) -> &Reply {
        let r = send(state, req).await;
        assert!(
            r.status < 500 || r.status == 503,
            "{label}: {} {}",
            r.status,
            r.text
        );
        if (400..500).contains(&r.status) {
            error_code(&r);
        }
        self.0.push((label.to_owned(), r));
        &self.0.last().unwrap().1
    }

    /// Sends, and checks the status and (for errors) the code.
    async fn expect(
        &mut self,
        state: &AppState,
        label: &str,
        req: Request<Body>,
        status: u16,
        code: Option<&str>,
    ) -> &Reply {
        let r = self.send(state, label, req).await;
        assert_eq!(r.status, status, "{label}: {}", r.text);
        if let Some(code) = code {
            assert_eq!(error_code(r), code, "{label}");
        }
        r
    }

    fn check(&self, needles: &[Needle]) {
        for (label, r) in &self.0 {
            assert_clean(&format!("the body of {label}"), &r.text, needles);
            for (name, value) in &r.headers {
                let v = String::from_utf8_lossy(value.as_bytes());
                assert_clean(
                    &format!("header {name} of {label}"),
                    &format!("{name}: {v}"),
                    needles,
                );
            }
        }
    }
}

fn tok(key: &str, body: &str) -> Request<Body> {
    with_id(post("/v1/token", Some(key), body))
}

fn insp(key: &str, body: &str) -> Request<Body> {
    with_id(post("/v1/inspect", Some(key), body))
}

/// Checks both log formats for secrets (and, when given, token plaintext).
#[track_caller]
fn check_logs(needles: &[Needle]) {
    let logs = logs();
    assert_clean("the text log", &logs.text.text(), needles);
    assert_clean("the JSON log", &logs.json.text(), needles);
}

// ------------------------------------------------------------------ tests

#[test]
fn the_detector_finds_planted_secrets() {
    let needles = secret_needles(&jwts());
    let jwt = jwts().remove(0).1;
    let payload_segment = jwt.split('.').nth(1).unwrap().to_owned();
    for planted in [
        format!("INFO request refused key={FULL_KEY}"),
        format!("{{\"detail\":\"{}\"}}", hex::encode(SECRET_FROM_FILE)),
        format!("auth={}", STANDARD.encode(LIMITED_KEY)),
        format!("secret {}", URL_SAFE_NO_PAD.encode(JWT_SECRET)),
        format!("cut: ...{}...", &SECRET_FROM_ENV[10..28]),
        format!("bearer {jwt}"),
        format!("claims segment {payload_segment}"),
    ] {
        assert!(
            find_leak(&planted, &needles).is_some(),
            "not detected: {planted}"
        );
    }
    let m = Minted {
        label: "t".into(),
        token: "04AAAAAGVU8zsAEDMzMzMzMzMzMzMzMzMzMzMAAAA".into(),
        kit: None,
        claims_json: r#"{"app_id":42,"user_id":"u","nonce":1,"ctime":2,"expire":3,"payload":""}"#
            .into(),
        payload: r#"{"room_id":"r"}"#.into(),
    };
    let n = token_needles(std::slice::from_ref(&m));
    assert!(find_leak(&format!("x {} y", m.claims_json), &n).is_some());
    assert!(find_leak(r#"payload="{\"room_id\":\"r\"}""#, &n).is_some());
    assert!(find_leak("request refused status=401 code=unauthorized", &needles).is_none());
}

#[tokio::test]
async fn the_whole_api_leaks_nothing() {
    logs();
    let fx = Fixture::new();
    let extra = "[limits]\nbody_limit_bytes = 1024\n[console]\nenabled = true\n";
    let s = &fx.state(extra).await;
    let jwts = jwts();
    let jwt = |i: usize| jwts[i].1.as_str();
    let valid = jwt(0);
    let mut a = Answers::default();
    let mut minted = Vec::new();

    // ---- every route, success paths
    for (label, key, body) in [
        ("basic", FULL_KEY, r#"{"user_id":"user1","app_id":42}"#),
        (
            "privilege",
            FULL_KEY,
            r#"{"user_id":"user2","app_id":1234567890,"room_id":"room-9","privileges":{"publish":true},"stream_ids":["s-1","s-2"]}"#,
        ),
        (
            "kit",
            FULL_KEY,
            r#"{"user_id":"user3","app_id":42,"room_id":"room-kit","kit":{"user_name":"Zoë"}}"#,
        ),
        (
            "cbc",
            FULL_KEY,
            r#"{"user_id":"user4","app_id":1234567890,"mode":"cbc","ttl_seconds":120}"#,
        ),
        (
            "limited",
            LIMITED_KEY,
            r#"{"user_id":"user-5","room_id":"room-1"}"#,
        ),
        (
            "jwt",
            valid,
            r#"{"room_id":"r1","privileges":{"publish":true}}"#,
        ),
    ] {
        let r = a.expect(s, label, tok(key, body), 200, None).await.clone();
        minted.push(decode(label, &r));
    }
    let t = |label: &str| {
        minted
            .iter()
            .find(|m| m.label == label)
            .unwrap()
            .token
            .clone()
    };
    let basic = t("basic");
    let privilege = t("privilege");
    let kit = minted
        .iter()
        .find(|m| m.label == "kit")
        .unwrap()
        .kit
        .clone()
        .unwrap();

    // Inspect: valid, expired, wrong app, not configured, malformed, kit, a JWT.
    let expired = zego_token::generate_with(
        &ServerSecret::new(SECRET_FROM_ENV).unwrap(),
        &zego_token::Claims::new(APP_ENV, "user-old", Duration::from_secs(10)),
        &zego_token::GenerateOptions::default().clock(Arc::new(FixedClock(NOW - 100))),
    )
    .unwrap();
    let r = a
        .expect(
            s,
            "inspect expired",
            insp(FULL_KEY, &json!({"token": expired.token}).to_string()),
            200,
            None,
        )
        .await;
    assert_eq!(r.body["verdict"]["code"], "expired", "{}", r.text);
    let foreign = zego_token::generate_with(
        &ServerSecret::new("ForeignSecretForeignSecretForeig").unwrap(),
        &zego_token::Claims::new(APP_FILE, "user-x", Duration::from_secs(600)),
        &zego_token::GenerateOptions::default().clock(Arc::new(FixedClock(NOW))),
    )
    .unwrap();
    for (label, key, body, verdict) in [
        (
            "inspect valid",
            FULL_KEY,
            json!({"token": privilege, "user_id": "user2", "room_id": "room-9"}),
            None,
        ),
        (
            "inspect wrong user",
            FULL_KEY,
            json!({"token": basic, "user_id": "someone"}),
            Some("user_id_mismatch"),
        ),
        (
            "inspect wrong app",
            FULL_KEY,
            json!({"token": basic, "app_id": APP_ENV}),
            Some("decrypt"),
        ),
        (
            "inspect foreign secret",
            FULL_KEY,
            json!({"token": foreign.token}),
            Some("decrypt"),
        ),
        (
            "inspect unconfigured app",
            FULL_KEY,
            json!({"token": basic, "app_id": 777}),
            Some("app_not_configured"),
        ),
        (
            "inspect limited, no app of its own",
            LIMITED_KEY,
            json!({"token": basic}),
            Some("decrypt"),
        ),
        (
            "inspect malformed",
            FULL_KEY,
            json!({"token": "04!!not-base64!!"}),
            Some("malformed"),
        ),
        (
            "inspect wrong version",
            FULL_KEY,
            json!({"token": "not a token"}),
            Some("wrong_version"),
        ),
        ("inspect kit", FULL_KEY, json!({"token": kit}), None),
        (
            "inspect a JWT",
            FULL_KEY,
            json!({"token": valid}),
            Some("wrong_version"),
        ),
        (
            "inspect an API key",
            FULL_KEY,
            json!({"token": LIMITED_KEY}),
            Some("wrong_version"),
        ),
    ] {
        let r = a
            .expect(s, label, insp(key, &body.to_string()), 200, None)
            .await;
        match verdict {
            None => assert_eq!(r.body["verdict"]["valid"], true, "{label}: {}", r.text),
            Some(code) => assert_eq!(r.body["verdict"]["code"], code, "{label}: {}", r.text),
        }
    }

    for (label, key) in [
        ("apps full", FULL_KEY),
        ("apps limited", LIMITED_KEY),
        ("apps jwt", valid),
    ] {
        a.expect(s, label, with_id(get("/v1/apps", Some(key))), 200, None)
            .await;
    }
    for path in [
        "/healthz",
        "/readyz",
        "/metrics",
        "/openapi.json",
        "/console",
    ] {
        a.expect(s, path, with_id(get(path, None)), 200, None).await;
    }

    // ---- 401: missing, wrong, malformed credentials; JWTs refused or misplaced
    let json_ct = ("content-type", "application/json");
    let body = r#"{"user_id":"user1","app_id":42}"#;
    let basic_auth = format!("Basic {}", STANDARD.encode(format!("{FULL_KEY}:")));
    let basic_jwt = format!("Basic {valid}");
    let token_scheme = format!("Token {valid}");
    let no_scheme = valid.to_owned();
    let bearer_twice = format!("Bearer Bearer {FULL_KEY}");
    let lowercase = format!("bearer {WRONG_KEY}");
    let unauthorized: Vec<(String, Request<Body>)> = vec![
        (
            "no credentials".into(),
            with_id(post("/v1/token", None, body)),
        ),
        ("wrong key".into(), tok(WRONG_KEY, body)),
        ("empty bearer".into(), {
            with_id(raw(
                "POST",
                "/v1/token",
                &[json_ct, ("authorization", "Bearer ")],
                body,
            ))
        }),
        ("API key as Basic".into(), {
            with_id(raw(
                "POST",
                "/v1/token",
                &[json_ct, ("authorization", &basic_auth)],
                body,
            ))
        }),
        ("JWT as Basic".into(), {
            with_id(raw(
                "POST",
                "/v1/token",
                &[json_ct, ("authorization", &basic_jwt)],
                body,
            ))
        }),
        ("JWT with the Token scheme".into(), {
            with_id(raw(
                "POST",
                "/v1/token",
                &[json_ct, ("authorization", &token_scheme)],
                body,
            ))
        }),
        ("JWT without a scheme".into(), {
            with_id(raw(
                "POST",
                "/v1/token",
                &[json_ct, ("authorization", &no_scheme)],
                body,
            ))
        }),
        ("JWT in x-api-key".into(), {
            with_id(raw(
                "POST",
                "/v1/token",
                &[json_ct, ("x-api-key", valid)],
                body,
            ))
        }),
        ("JWT in the query".into(), {
            with_id(raw(
                "POST",
                &format!("/v1/token?access_token={valid}"),
                &[json_ct],
                body,
            ))
        }),
        ("key in the query".into(), {
            with_id(raw("GET", &format!("/v1/apps?api_key={FULL_KEY}"), &[], ""))
        }),
        ("Bearer twice".into(), {
            with_id(raw(
                "POST",
                "/v1/token",
                &[json_ct, ("authorization", &bearer_twice)],
                body,
            ))
        }),
        ("lower-case bearer, wrong key".into(), {
            with_id(raw(
                "POST",
                "/v1/token",
                &[json_ct, ("authorization", &lowercase)],
                body,
            ))
        }),
        (
            "wrong key on inspect".into(),
            insp(WRONG_KEY, r#"{"token":"04"}"#),
        ),
        (
            "wrong key on apps".into(),
            with_id(get("/v1/apps", Some(WRONG_KEY))),
        ),
        ("non-UTF-8 credential".into(), {
            let mut r = with_id(post("/v1/token", None, body));
            r.headers_mut().insert(
                header::AUTHORIZATION,
                axum::http::HeaderValue::from_bytes(b"Bearer \xffztk_full_5f0c2b").unwrap(),
            );
            r
        }),
    ]
    .into_iter()
    .chain(
        jwts.iter()
            .skip(1)
            .map(|(label, j)| ((*label).to_owned(), tok(j, r#"{"room_id":"r1"}"#))),
    )
    .collect();
    for (label, req) in unauthorized {
        a.expect(s, &label, req, 401, Some("unauthorized")).await;
    }

    // ---- 403: policy refusals, for API-key and JWT callers
    for (label, key, body, code) in [
        (
            "limited: other app",
            LIMITED_KEY,
            r#"{"user_id":"user-1","app_id":42,"room_id":"room-1"}"#,
            "app_not_allowed",
        ),
        (
            "limited: room",
            LIMITED_KEY,
            r#"{"user_id":"user-1","room_id":"lobby"}"#,
            "room_not_allowed",
        ),
        (
            "limited: user",
            LIMITED_KEY,
            r#"{"user_id":"admin","room_id":"room-1"}"#,
            "user_id_not_allowed",
        ),
        (
            "limited: publish",
            LIMITED_KEY,
            r#"{"user_id":"user-1","room_id":"room-1","privileges":{"publish":true}}"#,
            "publish_not_allowed",
        ),
        (
            "jwt: other user",
            valid,
            r#"{"room_id":"r1","user_id":"bob"}"#,
            "user_id_mismatch",
        ),
        (
            "jwt: room",
            valid,
            r#"{"room_id":"r2"}"#,
            "room_not_allowed",
        ),
        ("jwt: no room", valid, r#"{}"#, "room_required"),
        (
            "jwt: other app",
            valid,
            r#"{"room_id":"r1","app_id":1234567890}"#,
            "app_not_allowed",
        ),
    ] {
        a.expect(s, label, tok(key, body), 403, Some(code)).await;
    }
    let r = insp(valid, &json!({"token": basic}).to_string());
    a.expect(s, "jwt inspect", r, 403, Some("inspect_not_allowed"))
        .await;
    let r = insp(
        LIMITED_KEY,
        &json!({"token": basic, "app_id": 42}).to_string(),
    );
    a.expect(s, "limited inspect app", r, 403, Some("app_not_allowed"))
        .await;

    // ---- 404, 405
    a.expect(
        s,
        "404",
        with_id(get("/nope", Some(FULL_KEY))),
        404,
        Some("not_found"),
    )
    .await;
    a.expect(
        s,
        "404 with a JWT",
        with_id(get(&format!("/v1/{valid}"), Some(valid))),
        404,
        Some("not_found"),
    )
    .await;
    a.expect(
        s,
        "405",
        with_id(get("/v1/token", Some(FULL_KEY))),
        405,
        Some("method_not_allowed"),
    )
    .await;
    a.expect(
        s,
        "405 healthz",
        with_id(post("/healthz", Some(FULL_KEY), body)),
        405,
        Some("method_not_allowed"),
    )
    .await;

    // ---- 400, 413, 415, 422: bodies that carry credentials where they do not belong
    let big = json!({"user_id": "user1", "app_id": 42, "room_id": FULL_KEY.repeat(30)}).to_string();
    a.expect(
        s,
        "413",
        tok(FULL_KEY, &big),
        413,
        Some("payload_too_large"),
    )
    .await;
    let r = with_id(raw(
        "POST",
        "/v1/token",
        &[
            ("content-type", "text/plain"),
            ("authorization", &format!("Bearer {FULL_KEY}")),
        ],
        &format!("api_key={LIMITED_KEY}"),
    ));
    a.expect(s, "415", r, 415, Some("unsupported_media_type"))
        .await;
    for (label, b) in [
        (
            "truncated JSON with a key",
            format!("{{\"user_id\":\"{LIMITED_KEY}"),
        ),
        ("not JSON", format!("api_key={LIMITED_KEY}&jwt={valid}")),
        ("empty", String::new()),
    ] {
        a.expect(s, label, tok(FULL_KEY, &b), 400, Some("invalid_json"))
            .await;
    }
    let mut invalid = common::invalid_token_bodies();
    invalid.extend([
        (r#"{"user_id":"u"}"#.to_owned(), "app_id_required"),
        (
            json!({"user_id": "u", "app_id": 42, "api_key": FULL_KEY}).to_string(),
            "invalid_body",
        ),
        (
            json!({"user_id": "u", "app_id": 42, "jwt": valid}).to_string(),
            "invalid_body",
        ),
        (
            json!({"user_id": "u", "app_id": 42, "secret": SECRET_FROM_ENV}).to_string(),
            "invalid_body",
        ),
    ]);
    for (b, code) in &invalid {
        a.expect(s, &format!("422 {b}"), tok(FULL_KEY, b), 422, Some(code))
            .await;
    }
    let r = tok(
        LIMITED_KEY,
        r#"{"user_id":"user-1","room_id":"room-1","ttl_seconds":601}"#,
    );
    a.expect(s, "limited ttl", r, 422, Some("ttl_too_long"))
        .await;
    let r = insp(FULL_KEY, r#"{"token":"04","secret":"x"}"#);
    a.expect(s, "inspect unknown field", r, 422, Some("invalid_body"))
        .await;

    // A value of the wrong type is quoted back by the JSON error to the caller who sent
    // it (serde's message); it must still never reach the log.
    let echoed = format!(r#"{{"user_id":"u","app_id":"{basic}"}}"#);
    let r = send(s, tok(FULL_KEY, &echoed)).await;
    assert_error(&r, 422, "invalid_body");

    // ---- console off, draining
    let off = fx.state("").await;
    a.expect(
        &off,
        "console off",
        with_id(get("/console", None)),
        404,
        Some("not_found"),
    )
    .await;
    off.set_draining();
    a.expect(&off, "draining", with_id(get("/readyz", None)), 503, None)
        .await;

    // ---- 429, per caller and per IP
    let limited = fx
        .state("[rate_limit]\nper_caller_per_second = 1.0\nper_caller_burst = 1\nper_ip_per_second = 1.0\nper_ip_burst = 2\nclient_ip_header = \"x-forwarded-for\"")
        .await;
    let from = |ip: &str, key: &str| {
        let mut r = tok(key, body);
        r.headers_mut()
            .insert("x-forwarded-for", ip.parse().unwrap());
        r
    };
    a.expect(&limited, "first", from("10.0.0.1", FULL_KEY), 200, None)
        .await;
    a.expect(
        &limited,
        "429 caller",
        from("10.0.0.2", FULL_KEY),
        429,
        Some("rate_limited"),
    )
    .await;
    a.expect(&limited, "ip 2nd", from("10.0.0.1", WRONG_KEY), 401, None)
        .await;
    a.expect(
        &limited,
        "429 ip",
        from("10.0.0.1", LIMITED_KEY),
        429,
        Some("rate_limited_ip"),
    )
    .await;

    // ---- nothing secret in any answer
    let secrets = secret_needles(&jwts);
    a.check(&secrets);

    // ---- nothing secret, nor any token plaintext, in the logs
    let mut all = secret_needles(&jwts);
    all.extend(token_needles(&minted));
    all.push(exact("the expired token", &expired.token));
    all.push(exact("the foreign token", &foreign.token));
    check_logs(&all);

    // ---- and the logs are useful: request id, outcome, code, fingerprint, route
    let text = logs().text.text();
    let json_log = logs().json.text();
    for log in [&text, &json_log] {
        assert!(log.contains(REQUEST_ID), "the request id is logged:\n{log}");
        assert!(log.contains("request refused"), "{log}");
        assert!(
            log.contains("backend-limited"),
            "the caller's name is logged:\n{log}"
        );
        assert!(log.contains("unauthorized"), "{log}");
        assert!(log.contains("rate_limited_ip"), "{log}");
        assert!(log.contains("publish_not_allowed"), "{log}");
        let fp = zego_token_server::testing::fingerprint(WRONG_KEY.as_bytes());
        assert!(
            log.contains(&format!("fingerprint {fp}")),
            "a refused key is logged by its fingerprint {fp}:\n{log}"
        );
        assert!(log.contains("the JWT has expired"), "{log}");
        assert!(log.contains("not meant for this service"), "{log}");
        assert!(log.contains("signature is not valid"), "{log}");
        assert!(log.contains("algorithm is not allowed"), "{log}");
    }
    let line = json_log
        .lines()
        .find(|l| l.contains(&format!("\"id\":\"{REQUEST_ID}\"")) && l.contains("\"status\":200"))
        .unwrap_or_else(|| panic!("no JSON access line for {REQUEST_ID}:\n{json_log}"));
    let v: serde_json::Value = serde_json::from_str(line).unwrap();
    assert_eq!(v["span"]["id"], REQUEST_ID, "{line}");
}

// ------------------------------------------------------------------ config, reload, Debug

#[tokio::test]
async fn config_errors_reloads_and_debug_leak_nothing() {
    logs();
    let fx = Fixture::new();
    let jwts = jwts();
    let secrets = secret_needles(&jwts);
    let text = fx.text("");
    let check_err = |label: &str, e: &ConfigError| {
        assert_clean(&format!("ConfigError {label}"), &e.to_string(), &secrets);
        assert_clean(
            &format!("ConfigError {label} (Debug)"),
            &format!("{e:?}"),
            &secrets,
        );
    };
    let from_toml_err = |text: &str, env: &Env| Config::from_toml(text, env).unwrap_err();
    let with_env = |pairs: &[(&str, &str)]| {
        let mut all: Vec<(String, String)> = vec![
            (SECRET_ENV_VAR.into(), SECRET_FROM_ENV.into()),
            (JWT_SECRET_VAR.into(), JWT_SECRET.into()),
            ("ZEGO_TOKEN_API_KEY".into(), FULL_KEY.into()),
        ];
        all.extend(
            pairs
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned())),
        );
        Env::from_pairs(all)
    };

    // Parse-time errors, with every secret in the environment.
    let cases: Vec<(&str, String, Env)> = vec![
        (
            "inline ServerSecret",
            text.replace(
                &format!("secret_env = \"{SECRET_ENV_VAR}\""),
                &format!("secret = \"{SECRET_FROM_ENV}\""),
            ),
            env(),
        ),
        (
            "inline API key",
            text.replacen("sha256 =", &format!("key = \"{FULL_KEY}\"\nsha256 ="), 1),
            env(),
        ),
        (
            "inline HS256 secret",
            text.replace(
                &format!("hs256_secret_env = \"{JWT_SECRET_VAR}\""),
                &format!("hs256_secret = \"{JWT_SECRET}\""),
            ),
            env(),
        ),
        (
            "ServerSecret in a variable as an inline key",
            text.clone(),
            with_env(&[("ZEGO_TOKEN_APPS__0__SECRET", SECRET_FROM_ENV)]),
        ),
        (
            "API key in a variable as an inline key",
            text.clone(),
            with_env(&[("ZEGO_TOKEN_API_KEYS__1__KEY", LIMITED_KEY)]),
        ),
        (
            "HS256 secret in a variable as an inline key",
            text.clone(),
            with_env(&[("ZEGO_TOKEN_JWT_ISSUERS__0__HS256_SECRET", JWT_SECRET)]),
        ),
        (
            "ServerSecret under a misspelt key",
            text.clone(),
            with_env(&[("ZEGO_TOKEN_APPS__0__SERVER_SECRET", SECRET_FROM_ENV)]),
        ),
        (
            "API key under an unknown top-level key",
            text.clone(),
            with_env(&[("ZEGO_TOKEN_KEY", FULL_KEY)]),
        ),
        (
            "ServerSecret in the app id's variable",
            text.clone(),
            with_env(&[("ZEGO_TOKEN_APPS__0__APP_ID", SECRET_FROM_ENV)]),
        ),
        (
            "API key in a number's variable",
            text.clone(),
            with_env(&[("ZEGO_TOKEN_TOKEN__MAX_TTL_SECONDS", FULL_KEY)]),
        ),
        (
            "HS256 secret in a list's variable",
            text.clone(),
            with_env(&[("ZEGO_TOKEN_JWT_ISSUERS__0__AUDIENCES", JWT_SECRET)]),
        ),
        (
            "a bad value next to the secrets",
            text.clone(),
            with_env(&[("ZEGO_TOKEN_TOKEN__MAX_TTL_SECONDS", "soon")]),
        ),
        ("not TOML", format!("{text}\nthis is = not toml"), env()),
    ];
    for (label, text, env) in &cases {
        check_err(label, &from_toml_err(text, env));
    }
    // The error still says what is wrong and where it was set, without the value.
    let e = from_toml_err(
        &text,
        &with_env(&[("ZEGO_TOKEN_APPS__0__APP_ID", SECRET_FROM_ENV)]),
    );
    assert_eq!(e.key.as_deref(), Some("apps[0].app_id"), "{e}");
    for part in ["expected u32", "ZEGO_TOKEN_APPS__0__APP_ID", "not shown"] {
        assert!(e.message.contains(part), "{part:?} missing: {e}");
    }

    // Build-time errors: wrong secrets, missing secrets, with the real ones around.
    let build_err =
        |config: Config, env: Env| async move { AppState::new(&config, &env).await.unwrap_err() };
    let long = format!("{SECRET_FROM_ENV}x");
    let e = build_err(fx.config(""), with_env(&[(SECRET_ENV_VAR, &long)])).await;
    assert!(e.message.contains("33 bytes"), "{e}");
    check_err("33-byte ServerSecret", &e);
    assert_clean(
        "ConfigError",
        &e.to_string(),
        &[needle("the long secret", &long)],
    );
    let short = &JWT_SECRET[..20];
    let e = build_err(fx.config(""), with_env(&[(JWT_SECRET_VAR, short)])).await;
    check_err("short HS256 secret", &e);
    assert_clean(
        "ConfigError",
        &e.to_string(),
        &[needle("the short secret", short)],
    );
    let bad_file = fx.dir.path().join("bad-secret");
    std::fs::write(&bad_file, format!("  {SECRET_FROM_FILE}\n\n")).unwrap();
    let text_bad_file = text.replace(
        &format!("{:?}", fx.secret_file.display().to_string()),
        &format!("{:?}", bad_file.display().to_string()),
    );
    let config = Config::from_toml(&text_bad_file, &env()).unwrap();
    let e = build_err(config, env()).await;
    assert_eq!(e.key.as_deref(), Some("apps[1].secret_file"), "{e}");
    check_err("secret file with whitespace", &e);
    let e = build_err(
        fx.config(""),
        Env::from_pairs([(JWT_SECRET_VAR, JWT_SECRET), ("OTHER", SECRET_FROM_ENV)]),
    )
    .await;
    assert!(e.message.contains(SECRET_ENV_VAR), "{e}");
    check_err("missing variable", &e);

    // Config::load: errors name the file, never the secrets in the environment.
    let path = fx.dir.path().join("zego-token.toml");
    std::fs::write(
        &path,
        format!("{text}\n[token]\nmax_ttl_seconds = \"long\"\n"),
    )
    .unwrap();
    check_err("load", &Config::load(&path, &env()).unwrap_err());

    // Reloads: refused configs keep the old one; their errors leak nothing.
    std::fs::write(&path, &text).unwrap();
    let config = Config::load(&path, &env()).unwrap();
    let state = AppState::new(&config, &env()).await.unwrap();
    let e = state
        .reload(&config, &with_env(&[(SECRET_ENV_VAR, &long)]))
        .await
        .unwrap_err();
    check_err("reload with a 33-byte secret", &e);
    std::fs::write(&bad_file, "short\n").unwrap();
    let e = state
        .reload(&Config::from_toml(&text_bad_file, &env()).unwrap(), &env())
        .await
        .unwrap_err();
    check_err("reload with a bad secret file", &e);
    std::fs::write(
        &path,
        text.replace(
            &format!("secret_env = \"{SECRET_ENV_VAR}\""),
            &format!("secret = \"{SECRET_FROM_ENV}\""),
        ),
    )
    .unwrap();
    let e = zego_token_server::reload_from_file(&state, &path, None)
        .await
        .unwrap_err();
    check_err("reload from a file with an inline secret", &e);
    let r = send(&state, get("/metrics", None)).await;
    assert!(
        r.text
            .contains(r#"zego_token_config_reloads_total{result="refused"} 3"#),
        "{}",
        r.text
    );

    // Debug of everything that holds the secrets.
    let state = fx.state("").await;
    for (label, dbg) in [
        ("Config", format!("{:?}", fx.config(""))),
        ("Config (pretty)", format!("{:#?}", fx.config(""))),
        ("AppState", format!("{state:?}")),
        ("AppState (pretty)", format!("{state:#?}")),
        ("Snapshot", format!("{:#?}", state.snapshot())),
        ("Env", format!("{:?}", with_env(&[]))),
        (
            "ServerSecret",
            format!("{:?}", ServerSecret::new(SECRET_FROM_ENV).unwrap()),
        ),
    ] {
        assert_clean(label, &dbg, &secrets);
    }
    assert!(format!("{state:?}").contains("<redacted>"));

    check_logs(&secrets);
}

// ------------------------------------------------------------------ a real listener

/// One HTTP/1.1 exchange over a fresh connection; the whole answer, head and body.
async fn over_the_wire(addr: SocketAddr, request: &str) -> String {
    let mut s = TcpStream::connect(addr).await.unwrap();
    s.write_all(request.as_bytes()).await.unwrap();
    let mut buf = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(5), s.read_to_end(&mut buf)).await;
    String::from_utf8_lossy(&buf).into_owned()
}

fn http(method: &str, path: &str, auth: Option<&str>, body: &str) -> String {
    let auth = auth.map_or_else(String::new, |a| format!("Authorization: {a}\r\n"));
    format!(
        "{method} {path} HTTP/1.1\r\nHost: leak.test\r\n{auth}Content-Type: application/json\r\nx-request-id: {REQUEST_ID}-wire\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
}

/// Waits until `needle` shows in the text log (logging is asynchronous to the client).
async fn wait_for_log(needle: &str) -> bool {
    for _ in 0..100 {
        if logs().text.text().contains(needle) {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    false
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_real_listener_leaks_nothing() {
    logs();
    let fx = Fixture::new();
    let jwts = jwts();
    let valid = jwts[0].1.clone();
    let state = fx.state("[limits]\nbody_limit_bytes = 1024").await;
    let mut server = start(state.clone()).await;
    let addr = server.addr;

    let body = r#"{"user_id":"user1","app_id":42}"#;
    let bearer = |k: &str| format!("Bearer {k}");
    let mut answers = Vec::new();
    let ok = over_the_wire(
        addr,
        &http("POST", "/v1/token", Some(&bearer(FULL_KEY)), body),
    )
    .await;
    assert!(ok.starts_with("HTTP/1.1 200"), "{ok}");
    let token: serde_json::Value =
        serde_json::from_str(ok.split_once("\r\n\r\n").unwrap().1).unwrap();
    let minted = decrypted("wire", token["token"].as_str().unwrap(), APP_FILE, None);
    let jwt_ok = over_the_wire(
        addr,
        &http(
            "POST",
            "/v1/token",
            Some(&bearer(&valid)),
            r#"{"room_id":"r1"}"#,
        ),
    )
    .await;
    assert!(jwt_ok.starts_with("HTTP/1.1 200"), "{jwt_ok}");
    for (auth, expect) in [
        (Some(bearer(WRONG_KEY)), "HTTP/1.1 401"),
        (Some(bearer(&jwts[1].1)), "HTTP/1.1 401"),
        (Some(bearer(&jwts[4].1)), "HTTP/1.1 401"),
        (Some(format!("Basic {valid}")), "HTTP/1.1 401"),
        (None, "HTTP/1.1 401"),
    ] {
        let r = over_the_wire(addr, &http("POST", "/v1/token", auth.as_deref(), body)).await;
        assert!(r.starts_with(expect), "{r}");
        answers.push(r);
    }
    let big = format!(r#"{{"user_id":"{}"}}"#, LIMITED_KEY.repeat(40));
    let r = over_the_wire(
        addr,
        &http("POST", "/v1/token", Some(&bearer(FULL_KEY)), &big),
    )
    .await;
    assert!(r.starts_with("HTTP/1.1 413"), "{r}");
    answers.push(r);
    // Not HTTP at all, and a header hyper refuses: answered (or dropped) before the router.
    answers.push(over_the_wire(addr, &format!("{FULL_KEY}\r\n\r\n")).await);
    answers.push(
        over_the_wire(
            addr,
            &format!("GET /healthz HTTP/1.1\r\nHost: x\r\nAuthorization Bearer {FULL_KEY}\r\n\r\n"),
        )
        .await,
    );
    let r = over_the_wire(addr, &http("GET", "/metrics", None, "")).await;
    assert!(r.starts_with("HTTP/1.1 200"), "{r}");
    answers.push(r);

    server.shut_down();
    assert!(matches!(
        tokio::time::timeout(Duration::from_secs(5), server.task).await,
        Ok(Ok(Ok(())))
    ));

    // TLS: a plain-text client (its request carrying a key) fails the handshake, which
    // is logged at DEBUG with the peer and the error.
    let certified = rcgen::generate_simple_self_signed(vec!["localhost".to_owned()]).unwrap();
    let cert = fx.dir.path().join("cert.pem");
    let key = fx.dir.path().join("key.pem");
    std::fs::write(&cert, certified.cert.pem()).unwrap();
    std::fs::write(&key, certified.signing_key.serialize_pem()).unwrap();
    let tls = zego_token_server::load_tls(&cert, &key).unwrap();
    let tcp = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let tls_addr = tcp.local_addr().unwrap();
    let listener = zego_token_server::ServiceListener::tls(tcp, tls).unwrap();
    let mut tls_server = serve_on(state.clone(), listener, tls_addr);
    answers.push(
        over_the_wire(
            tls_addr,
            &http("POST", "/v1/token", Some(&bearer(FULL_KEY)), body),
        )
        .await,
    );
    assert!(
        wait_for_log("TLS handshake failed").await,
        "the failed handshake is logged"
    );
    tls_server.shut_down();
    let _ = tokio::time::timeout(Duration::from_secs(5), tls_server.task).await;

    let secrets = secret_needles(&jwts);
    for a in answers.iter().chain([&jwt_ok]) {
        assert_clean("an answer over the wire", a, &secrets);
    }
    let mut all = secret_needles(&jwts);
    all.extend(token_needles(std::slice::from_ref(&minted)));
    check_logs(&all);
    assert!(wait_for_log("shutting down").await);
    let text = logs().text.text();
    assert!(text.contains(&format!("{REQUEST_ID}-wire")), "{text}");
    assert!(text.contains("payload_too_large"), "{text}");
}
