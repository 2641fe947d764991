//! `POST /v1/token` through the whole router. The first byte picks the caller and
//! content type, the rest is the body. Every answer: no 5xx, JSON, the error shape, no
//! secret or key; a 200's token decodes with the app's secret to exactly the user, app,
//! room, lifetime and mode of the request body (as serde_json reads it).
#![no_main]

mod common;

use common::{JWT_USER, NOW, check_answer, secret_of, service};
use libfuzzer_sys::fuzz_target;
use serde_json::Value;
use zego_token::CipherMode;

fuzz_target!(|data: &[u8]| {
    let Some((&pick, body)) = data.split_first() else {
        return;
    };
    let svc = service();
    let full = format!("Bearer {}", common::KEY);
    let limited = format!("Bearer {}", common::LIMITED_KEY);
    let jwt = format!("Bearer {}", svc.jwt);
    let lower = format!("bearer   {} ", common::KEY);
    let json = Some("application/json");
    let variant = pick % 8;
    let (auth, content_type) = match variant {
        0 => (Some(full.as_str()), json),
        1 => (Some(limited.as_str()), json),
        2 => (Some(jwt.as_str()), json),
        3 => (None, json),
        4 => (Some("Bearer not-a-configured-key"), json),
        5 => (Some(full.as_str()), None),
        6 => (Some(full.as_str()), Some("application/json; charset=utf-8")),
        _ => (Some(lower.as_str()), Some("application/vnd.api+json")),
    };
    let r = svc.post("/v1/token", auth, content_type, body.to_vec());
    let answer = check_answer(&r, body);
    let text = String::from_utf8_lossy(&r.body);
    match variant {
        3 | 4 => assert_eq!(r.status, 401, "{text}"),
        5 => assert_eq!(r.status, 415, "{text}"),
        _ => assert!(
            [200, 400, 403, 413, 422].contains(&r.status),
            "unexpected status {}: {text}",
            r.status
        ),
    }
    if r.status != 200 {
        return;
    }
    let req: Value = serde_json::from_slice(body).expect("an accepted body is JSON");
    let user = match variant {
        2 => {
            if let Some(asked) = req["user_id"].as_str() {
                assert_eq!(asked, JWT_USER, "a JWT caller got a token for another user");
            }
            JWT_USER
        }
        _ => req["user_id"]
            .as_str()
            .expect("an accepted body has a user_id"),
    };
    let app_id = u32::try_from(answer["app_id"].as_u64().expect("app_id")).expect("u32 app_id");
    if let Some(asked) = req["app_id"].as_u64() {
        assert_eq!(u64::from(app_id), asked);
    }
    assert_eq!(answer["user_id"], user);
    let token = answer["token"].as_str().expect("token is a string");
    let d = zego_token::decode(token, &secret_of(app_id)).expect("the token decodes");
    assert_eq!(d.claims.app_id, app_id);
    assert_eq!(d.claims.user_id, user);
    assert_eq!(d.claims.ctime, NOW);
    assert_eq!(answer["expire"].as_i64(), Some(d.claims.expire));
    if let Some(ttl) = req["ttl_seconds"].as_i64() {
        assert_eq!(d.claims.expire, NOW + ttl);
    }
    let want_mode = if req["mode"] == "cbc" {
        CipherMode::Cbc
    } else {
        CipherMode::Gcm
    };
    assert_eq!(d.mode, want_mode);
    match req["room_id"].as_str() {
        Some(room) => {
            let p = d
                .claims
                .room_privileges()
                .expect("payload parses")
                .expect("a room payload");
            assert_eq!(p.room_id(), room);
        }
        None => assert_eq!(
            d.claims.payload, "",
            "a token without room_id has a payload"
        ),
    }
    assert_eq!(
        answer.get("kit_token").is_some(),
        !req["kit"].is_null(),
        "kit_token present iff kit asked: {text}"
    );
});
