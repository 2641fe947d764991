//! The router in-process (tower `oneshot`): every status the API can answer.
#![allow(clippy::unwrap_used, reason = "tests: a panic is a test failure")]

mod common;

use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::http::{Request, header};
use common::*;
use zego_token::{FixedClock, ServerSecret, Validation};
use zego_token_server::testing::AppStateExt as _;

#[tokio::test]
async fn issues_a_basic_token_that_verifies() {
    let h = harness("").await;
    let r = token(
        &h.state,
        KEY,
        r#"{"user_id":"user1","app_id":1234567890,"ttl_seconds":3600}"#,
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let b = &r.body;
    assert_eq!(b["app_id"], APP);
    assert_eq!(b["user_id"], "user1");
    assert_eq!(b["expire"], NOW + 3600);
    assert_eq!(b["expires_in"], 3600);
    assert_eq!(b["renew_after"], NOW + 3600 - 60);
    assert_eq!(b["claims"]["ctime"], NOW);
    assert_eq!(b["claims"]["mode"], "gcm");
    assert_eq!(b["claims"]["payload"], "");
    assert!(b.get("kit_token").is_none());
    assert!(r.headers.contains_key("x-request-id"));
    let secret = ServerSecret::new(SECRET).unwrap();
    let v = Validation::new(APP)
        .user_id("user1")
        .clock(Arc::new(FixedClock(NOW + 10)));
    let d = zego_token::verify(b["token"].as_str().unwrap(), &secret, &v).unwrap();
    assert_eq!(d.claims.expire, NOW + 3600);
}

#[tokio::test]
async fn issues_privilege_cbc_and_kit_tokens() {
    let h = harness("").await;
    let r = token(
        &h.state,
        KEY,
        r#"{"user_id":"u2","app_id":42,"room_id":"room-1","privileges":{"publish":true},"stream_ids":["s-1"],"mode":"cbc","kit":{"user_name":"Zoë"}}"#,
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["claims"]["mode"], "cbc");
    let payload = r.body["claims"]["payload"].as_str().unwrap();
    assert_eq!(
        payload,
        r#"{"room_id":"room-1","privilege":{"1":1,"2":1},"stream_id_list":["s-1"]}"#
    );
    let kit = r.body["kit_token"].as_str().unwrap();
    let (t, info) = kit.split_once('#').unwrap();
    assert_eq!(t, r.body["token"].as_str().unwrap());
    assert!(
        zego_token::decode_kit_info(info)
            .unwrap()
            .contains("Zo%C3%AB")
    );
    let secret = ServerSecret::new(SECRET2).unwrap();
    let v = Validation::new(APP2)
        .room_id("room-1")
        .require_publish()
        .stream_id("s-1")
        .clock(Arc::new(FixedClock(NOW)));
    zego_token::verify(t, &secret, &v).unwrap();
}

#[tokio::test]
async fn default_app_and_ttl() {
    // With one app, it is the default; the default TTL comes from the config.
    let text = format!(
        "[[apps]]\napp_id = {APP}\nsecret_env = \"APP_SECRET\"\n[[api_keys]]\nname = \"k\"\nsha256 = \"{}\"\n[token]\ndefault_ttl_seconds = 120\n",
        zego_token_server::config::sha256_hex(KEY)
    );
    let config = zego_token_server::Config::from_toml(&text, &env()).unwrap();
    let state = zego_token_server::AppState::with_clocks(
        &config,
        &env(),
        Arc::new(FixedClock(NOW)),
        Arc::new(zego_token_server::testing::ManualClock::default()),
    )
    .await
    .unwrap();
    let r = token(&state, KEY, r#"{"user_id":"u"}"#).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["app_id"], APP);
    assert_eq!(r.body["expires_in"], 120);
    // Short lifetimes renew halfway.
    assert_eq!(r.body["renew_after"], NOW + 60);
}

#[tokio::test]
async fn several_apps_need_an_app_id_from_the_full_key() {
    let h = harness("").await;
    let r = token(&h.state, KEY, r#"{"user_id":"u"}"#).await;
    assert_eq!(r.status, 422);
    assert_eq!(error_code(&r), "app_id_required");
    // The limited key may use one app only: that one is its default.
    let r = token(
        &h.state,
        LIMITED_KEY,
        r#"{"user_id":"user-1","room_id":"room-1"}"#,
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["app_id"], APP);
}

#[tokio::test]
async fn bad_bodies_are_400_413_415_422() {
    let h = harness("[limits]\nbody_limit_bytes = 1024").await;
    let s = &h.state;
    let r = token(s, KEY, "{not json").await;
    assert_error(&r, 400, "invalid_json");
    let r = token(s, KEY, r#"{"user_id": 5, "app_id": 42}"#).await;
    assert_error(&r, 422, "invalid_body");
    let r = token(s, KEY, r#"{"user_id":"u","app_id":42,"ttl":5}"#).await;
    assert_eq!(
        (r.status, error_code(&r).as_str()),
        (422, "invalid_body"),
        "unknown fields are refused"
    );
    let big = format!(r#"{{"user_id":"{}","app_id":42}}"#, "x".repeat(2000));
    let r = token(s, KEY, &big).await;
    assert_error(&r, 413, "payload_too_large");
    let req = Request::post("/v1/token")
        .header(header::AUTHORIZATION, format!("Bearer {KEY}"))
        .header(header::CONTENT_TYPE, "text/plain")
        .body(Body::from(r#"{"user_id":"u"}"#))
        .unwrap();
    let r = send(s, req).await;
    assert_error(&r, 415, "unsupported_media_type");
}

#[tokio::test]
async fn field_rules_are_the_librarys() {
    let h = harness("").await;
    let cases = invalid_token_bodies();
    for (body, code) in cases {
        let r = token(&h.state, KEY, &body).await;
        assert_eq!(r.status, 422, "{body}: {}", r.text);
        assert_eq!(error_code(&r), code, "{body}");
    }
}

#[tokio::test]
async fn unauthenticated_is_401_with_www_authenticate() {
    let h = harness("").await;
    let s = &h.state;
    for req in [
        post("/v1/token", None, r#"{"user_id":"u"}"#),
        post("/v1/token", Some("wrong-key"), r#"{"user_id":"u"}"#),
        post("/v1/token", Some("a.b.c"), r#"{"user_id":"u"}"#),
        get("/v1/apps", None),
        post("/v1/inspect", Some("nope"), r#"{"token":"04"}"#),
    ] {
        let r = send(s, req).await;
        assert_eq!(r.status, 401, "{}", r.text);
        assert_eq!(error_code(&r), "unauthorized");
        let www = r
            .headers
            .get(header::WWW_AUTHENTICATE)
            .unwrap()
            .to_str()
            .unwrap();
        assert!(www.starts_with("Bearer realm=\"zego-token\""), "{www}");
    }
    let req = Request::post("/v1/token")
        .header(header::AUTHORIZATION, format!("Basic {KEY}"))
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from("{}"))
        .unwrap();
    assert_eq!(send(s, req).await.status, 401);
}

#[tokio::test]
async fn policy_refusals_are_403() {
    let h = harness("").await;
    let cases = [
        (
            r#"{"user_id":"user-1","app_id":42,"room_id":"room-1"}"#,
            "app_not_allowed",
        ),
        (
            r#"{"user_id":"user-1","room_id":"lobby"}"#,
            "room_not_allowed",
        ),
        (
            r#"{"user_id":"admin","room_id":"room-1"}"#,
            "user_id_not_allowed",
        ),
        (
            r#"{"user_id":"user-1","room_id":"room-1","privileges":{"publish":true}}"#,
            "publish_not_allowed",
        ),
    ];
    for (body, code) in cases {
        let r = token(&h.state, LIMITED_KEY, body).await;
        assert_eq!(r.status, 403, "{body}: {}", r.text);
        assert_eq!(error_code(&r), code, "{body}");
    }
    // The key's own TTL cap (600) is a field error naming the cap.
    let r = token(
        &h.state,
        LIMITED_KEY,
        r#"{"user_id":"user-1","room_id":"room-1","ttl_seconds":601}"#,
    )
    .await;
    assert_error(&r, 422, "ttl_too_long");
    assert!(r.body["error"]["message"].as_str().unwrap().contains("600"));
}

#[tokio::test]
async fn unknown_paths_404_wrong_methods_405() {
    let h = harness("").await;
    let r = send(&h.state, get("/nope", None)).await;
    assert_error(&r, 404, "not_found");
    let r = send(&h.state, get("/v1/token", Some(KEY))).await;
    assert_error(&r, 405, "method_not_allowed");
    let r = send(&h.state, post("/healthz", None, "{}")).await;
    assert_eq!(r.status, 405);
    // Console: off by default in production configs.
    let r = send(&h.state, get("/console", None)).await;
    assert_error(&r, 404, "not_found");
    let h = harness("[console]\nenabled = true").await;
    let r = send(&h.state, get("/console", None)).await;
    assert_eq!(r.status, 200);
    assert!(r.text.contains("<h1>"), "{}", r.text);
}

#[tokio::test]
async fn rate_limits_are_429_with_retry_after() {
    let h = harness("[rate_limit]\nper_caller_per_second = 1.0\nper_caller_burst = 2").await;
    let body = r#"{"user_id":"u","app_id":42}"#;
    assert_eq!(token(&h.state, KEY, body).await.status, 200);
    assert_eq!(token(&h.state, KEY, body).await.status, 200);
    let r = token(&h.state, KEY, body).await;
    assert_error(&r, 429, "rate_limited");
    assert_eq!(r.headers.get(header::RETRY_AFTER).unwrap(), "1");
    // Another caller has its own bucket.
    assert_eq!(
        token(
            &h.state,
            LIMITED_KEY,
            r#"{"user_id":"user-1","room_id":"room-1"}"#
        )
        .await
        .status,
        200
    );
    h.mono.advance(Duration::from_secs(1));
    assert_eq!(token(&h.state, KEY, body).await.status, 200);
}

#[tokio::test]
async fn per_ip_limit_uses_the_forwarded_header_when_configured() {
    let h = harness(
        "[rate_limit]\nper_ip_per_second = 1.0\nper_ip_burst = 1\nclient_ip_header = \"x-forwarded-for\"",
    )
    .await;
    let req = |ip: &str| {
        let mut r = post("/v1/token", Some(KEY), r#"{"user_id":"u","app_id":42}"#);
        r.headers_mut()
            .insert("x-forwarded-for", ip.parse().unwrap());
        r
    };
    // The rightmost entry is the one the proxy wrote (the client writes the left ones).
    assert_eq!(send(&h.state, req("10.9.9.9, 10.0.0.1")).await.status, 200);
    let r = send(&h.state, req("10.0.0.1")).await;
    assert_error(&r, 429, "rate_limited_ip");
    assert!(r.headers.contains_key(header::RETRY_AFTER));
    assert_eq!(send(&h.state, req("10.0.0.2")).await.status, 200);
}

#[tokio::test]
async fn health_metrics_openapi_apps() {
    let h = harness("").await;
    let s = &h.state;
    let r = send(s, get("/healthz", None)).await;
    assert_eq!((r.status, r.body["status"].as_str()), (200, Some("ok")));
    let r = send(s, get("/readyz", None)).await;
    assert_eq!(r.status, 200);
    assert_eq!(
        token(s, KEY, r#"{"user_id":"u","app_id":42,"room_id":"r"}"#)
            .await
            .status,
        200
    );
    assert_eq!(
        token(s, KEY, r#"{"user_id":"","app_id":42}"#).await.status,
        422
    );
    let r = send(s, get("/metrics", None)).await;
    assert_eq!(r.status, 200);
    assert!(
        r.text
            .contains(r#"zego_token_tokens_issued_total{app_id="42",kind="privilege"} 1"#),
        "{}",
        r.text
    );
    assert!(
        r.text
            .contains(r#"zego_token_refusals_total{reason="invalid_user_id"} 1"#),
        "{}",
        r.text
    );
    assert!(
        r.text
            .contains("zego_token_http_request_duration_seconds_bucket"),
        "{}",
        r.text
    );
    let r = send(s, get("/openapi.json", None)).await;
    assert_eq!(r.status, 200);
    assert!(r.body["openapi"].as_str().unwrap().starts_with("3."));
    for p in [
        "/v1/token",
        "/v1/inspect",
        "/v1/apps",
        "/healthz",
        "/readyz",
    ] {
        assert!(r.body["paths"].get(p).is_some(), "{p} missing from OpenAPI");
    }
    assert!(
        r.body["components"]["schemas"]
            .get("TokenRequest")
            .is_some()
    );
    let r = send(s, get("/v1/apps", Some(LIMITED_KEY))).await;
    assert_eq!(r.status, 200);
    assert_eq!(
        r.body["apps"],
        serde_json::json!([{"app_id": APP, "default": false, "demo": false}])
    );
    let r = send(s, get("/v1/apps", Some(KEY))).await;
    assert_eq!(r.body["apps"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn inspect_explains_tokens() {
    let h = harness("").await;
    let s = &h.state;
    let made = token(
        s,
        KEY,
        r#"{"user_id":"u1","app_id":42,"room_id":"r1","ttl_seconds":60}"#,
    )
    .await;
    let t = made.body["token"].as_str().unwrap();
    let inspect = |body: String| send(s, post("/v1/inspect", Some(KEY), &body));

    let r = inspect(format!(
        r#"{{"token":"{t}","user_id":"u1","room_id":"r1"}}"#
    ))
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["verdict"]["valid"], true, "{}", r.text);
    assert_eq!(r.body["app_id"], APP2);
    assert_eq!(r.body["header"]["mode"], "gcm");
    assert_eq!(r.body["header"]["iv_len"], 12);
    assert_eq!(r.body["claims"]["user_id"], "u1");
    assert_eq!(r.body["room"]["room_id"], "r1");
    assert_eq!(r.body["room"]["login"], true);
    assert!(!r.text.contains(SECRET2));

    let r = inspect(format!(r#"{{"token":"{t}","user_id":"someone-else"}}"#)).await;
    assert_eq!(r.body["verdict"]["valid"], false);
    assert_eq!(r.body["verdict"]["code"], "user_id_mismatch");
    assert_eq!(r.body["verdict"]["zego_code"], 1_002_077);

    let r = inspect(format!(r#"{{"token":"{t}","app_id":0}}"#)).await;
    assert_eq!(r.status, 422, "{}", r.text);
    assert_eq!(r.body["error"]["code"], "invalid_app_id");

    let r = inspect(r#"{"token":"not a token"}"#.to_owned()).await;
    assert_eq!(r.status, 200);
    assert!(r.body["header"].is_null());
    assert_eq!(r.body["verdict"]["code"], "wrong_version");

    let r = inspect(format!(r#"{{"token":"{t}","app_id":777}}"#)).await;
    assert_eq!(r.body["verdict"]["code"], "app_not_configured");
    assert_eq!(r.body["header"]["mode"], "gcm");

    // The limited key may not decrypt with app 42: no app of its own decrypts it.
    let r = send(
        s,
        post(
            "/v1/inspect",
            Some(LIMITED_KEY),
            &format!(r#"{{"token":"{t}"}}"#),
        ),
    )
    .await;
    assert_eq!(r.body["verdict"]["code"], "decrypt");
    assert!(r.body.get("claims").is_none());
    let r = send(
        s,
        post(
            "/v1/inspect",
            Some(LIMITED_KEY),
            &format!(r#"{{"token":"{t}","app_id":42}}"#),
        ),
    )
    .await;
    assert_error(&r, 403, "app_not_allowed");
}

#[tokio::test]
async fn inspect_sees_expiry_on_the_injected_clock() {
    let h = harness("").await;
    let secret = ServerSecret::new(SECRET).unwrap();
    let old = zego_token::generate_with(
        &secret,
        &zego_token::Claims::new(APP, "u", Duration::from_secs(10)),
        &zego_token::GenerateOptions::default().clock(Arc::new(FixedClock(NOW - 100))),
    )
    .unwrap();
    let r = send(
        &h.state,
        post(
            "/v1/inspect",
            Some(KEY),
            &format!(r#"{{"token":"{}"}}"#, old.token),
        ),
    )
    .await;
    assert_eq!(r.body["verdict"]["code"], "expired", "{}", r.text);
    assert_eq!(r.body["verdict"]["zego_code"], 1_002_078);
    assert!(r.body["verdict"]["advice"].is_string());
}

const ISSUER: &str = r#"
[[jwt_issuers]]
issuer = "https://id.test/"
audiences = ["zego"]
hs256_secret_env = "JWT_SECRET"
rooms_claim = "rooms"
publish_claim = "pub"
allow_publish = true
apps = [42]
"#;

fn jwt(claims: &serde_json::Value, key: &str) -> String {
    jwt_with(
        &serde_json::json!({"alg": "HS256", "typ": "JWT"}),
        claims,
        Some(key),
    )
}

fn login(sub: &str, exp: i64, publish: bool) -> String {
    jwt(
        &serde_json::json!({"iss":"https://id.test/","aud":"zego","sub":sub,"exp":exp,"rooms":["r1"],"pub":publish}),
        JWT_SECRET,
    )
}

#[tokio::test]
async fn login_jwt_callers_get_tokens_for_their_own_user_and_rooms() {
    let h = harness(ISSUER).await;
    let s = &h.state;
    // JWT times are judged on the service's injected clock, like token times.
    let later = NOW + 600;
    let alice = login("alice", later, false);
    let r = token(s, &alice, r#"{"room_id":"r1"}"#).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["user_id"], "alice");
    assert_eq!(
        r.body["app_id"], APP2,
        "the issuer's only app is the default"
    );
    let cases = [
        (
            r#"{"room_id":"r1","user_id":"bob"}"#,
            403,
            "user_id_mismatch",
        ),
        (r#"{"room_id":"r2"}"#, 403, "room_not_allowed"),
        (r#"{}"#, 403, "room_required"),
        (
            r#"{"room_id":"r1","privileges":{"publish":true}}"#,
            403,
            "publish_not_allowed",
        ),
        (
            r#"{"room_id":"r1","app_id":1234567890}"#,
            403,
            "app_not_allowed",
        ),
    ];
    for (body, status, code) in cases {
        let r = token(s, &alice, body).await;
        assert_eq!(
            (r.status, error_code(&r).as_str()),
            (status, code),
            "{body}"
        );
    }
    let publisher = login("pat", later, true);
    let r = token(
        s,
        &publisher,
        r#"{"room_id":"r1","privileges":{"publish":true}}"#,
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    // Refused JWTs: expired, forged, another issuer's audience.
    for bad in [
        login("alice", NOW - 3600, false),
        jwt(
            &serde_json::json!({"iss":"https://id.test/","aud":"zego","sub":"alice","exp":later}),
            "another-secret-another-secret-xx",
        ),
        jwt(
            &serde_json::json!({"iss":"https://id.test/","aud":"other","sub":"alice","exp":later}),
            JWT_SECRET,
        ),
    ] {
        let r = token(s, &bad, r#"{"room_id":"r1"}"#).await;
        assert_eq!(r.status, 401, "{}", r.text);
        assert!(r.headers.contains_key(header::WWW_AUTHENTICATE));
    }
    // JWT callers may not inspect.
    let r = send(s, post("/v1/inspect", Some(&alice), r#"{"token":"04"}"#)).await;
    assert_error(&r, 403, "inspect_not_allowed");
}

#[tokio::test]
async fn bad_input_never_gives_a_5xx() {
    let h = harness("[limits]\nbody_limit_bytes = 4096").await;
    let s = &h.state;
    let mut bodies: Vec<Vec<u8>> = [
        "",
        "null",
        "[]",
        "1",
        "\"str\"",
        "{}",
        "{\"user_id\":null}",
        "{\"user_id\":\"u\",\"ttl_seconds\":1e400}",
        "{\"user_id\":\"u\",\"ttl_seconds\":9223372036854775807,\"app_id\":42}",
        "{\"user_id\":\"u\",\"app_id\":4294967296}",
        "{\"user_id\":\"u\",\"app_id\":-1}",
        "{\"user_id\":\"\\ud800\",\"app_id\":42}",
        "{\"user_id\":\"u\",\"app_id\":42,\"room_id\":\"\"}",
        "{\"user_id\":\"u\",\"app_id\":42,\"room_id\":\"r\",\"stream_ids\":[]}",
        "{\"user_id\":\"u\",\"app_id\":42,\"room_id\":\"r\",\"kit\":{\"user_name\":\"\"}}",
        "{\"token\":\"\"}",
        "{\"token\":\"04\"}",
        "{\"token\":\"04AAAA#x\"}",
        "{\"token\":5}",
    ]
    .iter()
    .map(|b| b.as_bytes().to_vec())
    .collect();
    bodies.push(vec![0xff, 0xfe, b'{', 0x80]);
    bodies.push(format!("{}{}", "[".repeat(3000), "]".repeat(3000)).into_bytes());
    // Random tokens for inspect: random base64 bodies after "04".
    for n in 0..200_usize {
        use base64::Engine;
        let bytes: Vec<u8> = (0..(n % 90)).map(|_| rand::random::<u8>()).collect();
        let t = base64::engine::general_purpose::STANDARD.encode(bytes);
        bodies.push(format!(r#"{{"token":"04{t}"}}"#).into_bytes());
    }
    for body in &bodies {
        for path in ["/v1/token", "/v1/inspect"] {
            let req = Request::post(path)
                .header(header::AUTHORIZATION, format!("Bearer {KEY}"))
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(body.clone()))
                .unwrap();
            let r = send(s, req).await;
            assert!(
                r.status < 500,
                "{path} {:?} -> {} {}",
                String::from_utf8_lossy(body),
                r.status,
                r.text
            );
            if r.status >= 400 {
                error_code(&r);
            }
        }
    }
}

#[tokio::test]
async fn cors_allows_only_listed_origins() {
    let h = harness("[cors]\nallowed_origins = [\"https://app.example.com\"]").await;
    let preflight = |origin: &str| {
        Request::options("/v1/token")
            .header(header::ORIGIN, origin)
            .header(header::ACCESS_CONTROL_REQUEST_METHOD, "POST")
            .header(
                header::ACCESS_CONTROL_REQUEST_HEADERS,
                "authorization,content-type",
            )
            .body(Body::empty())
            .unwrap()
    };
    let r = send(&h.state, preflight("https://app.example.com")).await;
    assert!(r.status < 300, "{}", r.status);
    assert_eq!(
        r.headers.get(header::ACCESS_CONTROL_ALLOW_ORIGIN).unwrap(),
        "https://app.example.com"
    );
    let methods = r
        .headers
        .get(header::ACCESS_CONTROL_ALLOW_METHODS)
        .unwrap()
        .to_str()
        .unwrap();
    assert!(methods.contains("POST"), "{methods}");
    let r = send(&h.state, preflight("https://evil.example.com")).await;
    assert!(!r.headers.contains_key(header::ACCESS_CONTROL_ALLOW_ORIGIN));
    // Errors carry the CORS headers too, so the browser can read them.
    let mut req = post("/v1/token", None, "{}");
    req.headers_mut()
        .insert(header::ORIGIN, "https://app.example.com".parse().unwrap());
    let r = send(&h.state, req).await;
    assert_eq!(r.status, 401);
    assert!(r.headers.contains_key(header::ACCESS_CONTROL_ALLOW_ORIGIN));
    // Without an allow-list there are no CORS headers at all.
    let h = harness("").await;
    let r = send(&h.state, preflight("https://app.example.com")).await;
    assert!(!r.headers.contains_key(header::ACCESS_CONTROL_ALLOW_ORIGIN));
}

#[tokio::test]
async fn openapi_states_the_library_limits_and_the_service_agrees() {
    let h = harness("").await;
    let s = &h.state;
    let doc = send(s, get("/openapi.json", None)).await.body;
    let schemas = &doc["components"]["schemas"];
    let req = &schemas["TokenRequest"]["properties"];
    assert_eq!(req["user_id"]["maxLength"], zego_token::USER_ID_LIMIT - 1);
    assert_eq!(req["room_id"]["maxLength"], zego_token::ROOM_ID_LIMIT - 1);
    assert_eq!(
        req["stream_ids"]["items"]["$ref"],
        "#/components/schemas/StreamId"
    );
    let sid = &schemas["StreamId"];
    assert_eq!(sid["maxLength"], zego_token::STREAM_ID_LIMIT - 1);
    assert_eq!(sid["minLength"], 1);
    assert_eq!(sid["pattern"], "^[A-Za-z0-9_-]+$");

    // The service draws the line where the document does.
    let cases = [
        ("a".repeat(zego_token::STREAM_ID_LIMIT - 1), 200),
        ("a".repeat(zego_token::STREAM_ID_LIMIT), 422),
        ("Az09-_".to_owned(), 200),
        (String::new(), 422),
        ("a b".to_owned(), 422),
        ("a.b".to_owned(), 422),
        ("é".to_owned(), 422),
    ];
    for (id, want) in cases {
        let body = serde_json::json!({
            "user_id": "u", "app_id": APP, "room_id": "r", "stream_ids": [id],
        });
        let r = token(s, KEY, &body.to_string()).await;
        assert_eq!(r.status, want, "stream ID {id:?}: {}", r.text);
        if want == 422 {
            assert_eq!(error_code(&r), "invalid_stream_id", "{id:?}");
        }
    }
}

#[tokio::test]
async fn client_rules_are_enforced_by_default() {
    let h = harness("").await;
    let s = &h.state;
    // Each blocking rule is a 422 named after it, with the SDK's code in the message.
    for (body, rule, code) in [
        (
            r#"{"user_id":"alice smith","app_id":42}"#,
            "user_id_charset",
            "1002006",
        ),
        (
            r#"{"user_id":"josé","app_id":42}"#,
            "user_id_charset",
            "1002006",
        ),
        (
            r#"{"user_id":"u","app_id":42,"room_id":"vip room"}"#,
            "room_id_charset",
            "1002012",
        ),
        (
            r#"{"user_id":"u","app_id":42,"ttl_seconds":30}"#,
            "ttl_too_short",
            "6000108",
        ),
        (
            r#"{"user_id":"u\u0000x","app_id":42}"#,
            "user_id_charset",
            "1002006",
        ),
    ] {
        let r = token(s, KEY, body).await;
        assert_error(&r, 422, rule);
        assert!(
            r.body["error"]["message"].as_str().unwrap().contains(code),
            "{}",
            r.text
        );
    }
    // A kit token's IDs: the same rules.
    let r = token(
        s,
        KEY,
        r#"{"user_id":"u","app_id":42,"room_id":"r 1","kit":{"user_name":"n"}}"#,
    )
    .await;
    assert_error(&r, 422, "room_id_charset");
    // Caveats are minted and listed: a user ID past ZIM's 32 bytes, '%' (Web SDK only).
    let long = "u".repeat(40);
    let r = token(s, KEY, &format!(r#"{{"user_id":"{long}","app_id":42}}"#)).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["warnings"][0]["rule"], "zim_user_id_length");
    assert_eq!(r.body["warnings"][0]["product"], "zim");
    let r = token(s, KEY, r#"{"user_id":"50%","app_id":42}"#).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["warnings"][0]["rule"], "user_id_percent");
    // 31 s is the shortest lifetime, and its renewal comes before the 30 s warning.
    let r = token(s, KEY, r#"{"user_id":"u","app_id":42,"ttl_seconds":40}"#).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert!(r.body.get("warnings").is_none(), "{}", r.text);
    let renew = r.body["renew_after"].as_i64().unwrap();
    assert!((NOW..NOW + 40 - 30).contains(&renew), "{renew}");
}

#[tokio::test]
async fn id_rules_any_mints_with_warnings() {
    let h = harness("[token]\nid_rules = \"any\"\n").await;
    let r = token(
        &h.state,
        KEY,
        r#"{"user_id":"alice smith","app_id":42,"ttl_seconds":20}"#,
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let rules: Vec<&str> = r.body["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["rule"].as_str().unwrap())
        .collect();
    assert_eq!(rules, ["user_id_charset", "ttl_too_short"]);
    assert_eq!(r.body["warnings"][0]["code"], 1_002_006);
    assert_eq!(r.body["warnings"][0]["blocking"], true);
    // Too short to renew before the SDKs' warning: the answer says so.
    assert!(r.body["renew_after"].is_null(), "{}", r.text);
}

#[tokio::test]
async fn inspect_takes_pasted_and_kit_tokens_and_warns_like_the_cli() {
    let h = harness("").await;
    let s = &h.state;
    let made = token(
        s,
        KEY,
        r#"{"user_id":"bob","app_id":42,"room_id":"r1","kit":{"user_name":"Zoë D"}}"#,
    )
    .await;
    assert_eq!(made.status, 200, "{}", made.text);
    let t = made.body["token"].as_str().unwrap();
    let kit = made.body["kit_token"].as_str().unwrap();
    let inspect = |token: String| {
        let body = serde_json::json!({ "token": token }).to_string();
        send(s, post("/v1/inspect", Some(KEY), &body))
    };
    // Quoted, line-wrapped and percent-encoded copies read as the token itself.
    let pasted = format!(
        "  \"{}\r\n{}\"\n",
        &t[..30],
        t[30..].replace('+', "%2B").replace('/', "%2F")
    );
    let r = inspect(pasted).await;
    assert_eq!(r.body["verdict"]["valid"], true, "{}", r.text);
    assert_eq!(r.body["claims"]["user_id"], "bob");
    // Spaces where '+' was are named.
    if t.contains('+') {
        let r = inspect(t.replace('+', " ")).await;
        assert_eq!(r.body["verdict"]["code"], "malformed");
        assert!(
            r.body["verdict"]["message"]
                .as_str()
                .unwrap()
                .contains("URL-decoded")
        );
    }
    // A kit token: the kit info as the kit reads it, user name decoded.
    let r = inspect(kit.to_owned()).await;
    assert_eq!(r.body["verdict"]["valid"], true, "{}", r.text);
    assert_eq!(
        r.body["kit"],
        serde_json::json!({"appID": 42, "userID": "bob", "roomID": "r1", "userName": "Zoë D"})
    );
    assert_eq!(r.body["warnings"], serde_json::json!([]));
    // The warnings are the library's, as the CLI shows them: a CBC token from the demo app.
    let secret = ServerSecret::new(SECRET).unwrap();
    let cbc = zego_token::generate_with(
        &secret,
        &zego_token::Claims::new(APP, "u", Duration::from_secs(20)),
        &zego_token::GenerateOptions::default()
            .mode(zego_token::CipherMode::Cbc)
            .clock(Arc::new(FixedClock(NOW))),
    )
    .unwrap();
    let r = inspect(cbc.token).await;
    let rules: Vec<&str> = r.body["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["rule"].as_str().unwrap())
        .collect();
    assert_eq!(
        rules,
        ["legacy_cbc", "demo_app", "ttl_too_short"],
        "{}",
        r.text
    );
    // Empty expectations are the caller's mistake.
    let body = format!(r#"{{"token":"{t}","user_id":""}}"#);
    assert_error(
        &send(s, post("/v1/inspect", Some(KEY), &body)).await,
        422,
        "empty_expectation",
    );
}

#[tokio::test]
async fn apps_tell_the_callers_default_app_ttl_cap_modes_and_privileges() {
    const GCM_KEY: &str = "test-key-gcm-rooms-only";
    let h = harness(&format!(
        "[token]\ndefault_ttl_seconds = 900\nmax_ttl_seconds = 1800\n\n[[api_keys]]\nname = \"gcm\"\nsha256 = \"{}\"\nmodes = [\"gcm\"]\nrequire_room = true\n",
        zego_token_server::config::sha256_hex(GCM_KEY)
    ))
    .await;
    let s = &h.state;
    let apps = |key: &'static str| async move {
        let r = send(s, get("/v1/apps", Some(key))).await;
        assert_eq!(r.status, 200, "{}", r.text);
        r.body
    };

    // Full key: both apps, so no default; the global cap and default TTL; everything.
    let full = apps(KEY).await;
    assert_eq!(full["apps"].as_array().unwrap().len(), 2);
    assert_eq!(full["default_app_id"], serde_json::Value::Null);
    assert_eq!(full["max_ttl_seconds"], 1800);
    assert_eq!(full["default_ttl_seconds"], 900);
    assert_eq!(full["modes"], serde_json::json!(["gcm", "cbc"]));
    assert_eq!(full["allow_basic"], true);
    assert_eq!(full["allow_publish"], true);
    // /v1/token agrees: without app_id it must name one.
    assert_error(
        &token(s, KEY, r#"{"user_id":"u"}"#).await,
        422,
        "app_id_required",
    );

    // Limited key: one app (its default), capped at 600, rooms only, no publish. The
    // existing per-app fields are unchanged.
    let limited = apps(LIMITED_KEY).await;
    assert_eq!(
        limited["apps"],
        serde_json::json!([{"app_id": APP, "default": false, "demo": false}])
    );
    assert_eq!(limited["default_app_id"], APP);
    assert_eq!(limited["max_ttl_seconds"], 600);
    assert_eq!(limited["default_ttl_seconds"], 600);
    assert_eq!(limited["allow_basic"], false);
    assert_eq!(limited["allow_publish"], false);
    // /v1/token agrees: no app_id and no TTL give that app and that default ...
    let r = token(s, LIMITED_KEY, r#"{"user_id":"user-1","room_id":"room-1"}"#).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["app_id"], limited["default_app_id"]);
    assert_eq!(r.body["expires_in"], limited["default_ttl_seconds"]);
    // ... the cap is the cap ...
    let at_cap = r#"{"user_id":"user-1","room_id":"room-1","ttl_seconds":600}"#;
    assert_eq!(token(s, LIMITED_KEY, at_cap).await.status, 200);
    assert_error(
        &token(
            s,
            LIMITED_KEY,
            r#"{"user_id":"user-1","room_id":"room-1","ttl_seconds":601}"#,
        )
        .await,
        422,
        "ttl_too_long",
    );
    // ... and basic tokens and publish are refused.
    assert_error(
        &token(s, LIMITED_KEY, r#"{"user_id":"user-1"}"#).await,
        403,
        "room_required",
    );

    // GCM only, privilege tokens only (require_room).
    let gcm = apps(GCM_KEY).await;
    assert_eq!(gcm["modes"], serde_json::json!(["gcm"]));
    assert_eq!(gcm["allow_basic"], false);
    assert_eq!(gcm["allow_publish"], true);
    assert_error(
        &token(
            s,
            GCM_KEY,
            r#"{"user_id":"u","app_id":42,"room_id":"r","mode":"cbc"}"#,
        )
        .await,
        403,
        "mode_not_allowed",
    );

    // The OpenAPI schema lists the new fields.
    let doc = send(s, get("/openapi.json", None)).await.body;
    let props = &doc["components"]["schemas"]["AppsResponse"]["properties"];
    for f in [
        "apps",
        "default_app_id",
        "max_ttl_seconds",
        "default_ttl_seconds",
        "modes",
        "allow_basic",
        "allow_publish",
    ] {
        assert!(props.get(f).is_some(), "AppsResponse.{f} missing: {props}");
    }
}

#[tokio::test]
async fn apps_tell_a_jwt_caller_what_its_claims_allow() {
    let h = harness(ISSUER).await;
    let s = &h.state;
    // A rooms claim means privilege tokens only; a false publish claim, no publish.
    let r = send(s, get("/v1/apps", Some(&login("alice", NOW + 600, false)))).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(
        r.body["apps"],
        serde_json::json!([{"app_id": APP2, "default": false, "demo": false}])
    );
    assert_eq!(r.body["default_app_id"], APP2);
    assert_eq!(r.body["allow_basic"], false);
    assert_eq!(r.body["allow_publish"], false);
    let r = send(s, get("/v1/apps", Some(&login("bob", NOW + 600, true)))).await;
    assert_eq!(r.body["allow_publish"], true);
}
