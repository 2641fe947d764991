//! `POST /v1/inspect` through the whole router. The first byte picks the key and how
//! the rest is sent: raw as the body, or as the `token` string of a well-formed request
//! (so the token parser is reached). Every answer: no 5xx, JSON, the error shape, no
//! secret or key; a wrapped token gets 200 (or 403 for an app the key may not use), and
//! what the 200 says agrees with the library.
#![no_main]

mod common;

use std::sync::Arc;

use common::{APP2, NOW, check_answer, secret_of, service};
use libfuzzer_sys::fuzz_target;
use serde_json::json;
use zego_token::{FixedClock, Validation};

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let svc = service();
    let key = if (pick / 4) % 2 == 0 {
        common::KEY
    } else {
        common::LIMITED_KEY
    };
    let token = String::from_utf8_lossy(rest);
    let mode = pick % 4;
    let body = match mode {
        0 => rest.to_vec(),
        1 => json!({ "token": token }).to_string().into_bytes(),
        2 => json!({ "token": token, "app_id": APP2 })
            .to_string()
            .into_bytes(),
        _ => json!({ "token": token, "user_id": "u", "room_id": "r" })
            .to_string()
            .into_bytes(),
    };
    let auth = format!("Bearer {key}");
    let r = svc.post(
        "/v1/inspect",
        Some(&auth),
        Some("application/json"),
        body.clone(),
    );
    let answer = check_answer(&r, &body);
    let text = String::from_utf8_lossy(&r.body);
    if mode == 0 {
        assert!(
            [200, 400, 403, 413, 422].contains(&r.status),
            "status {}: {text}",
            r.status
        );
        return;
    }
    assert!(
        [200, 403].contains(&r.status),
        "status {}: {text}",
        r.status
    );
    if r.status != 200 {
        return;
    }
    let verdict = &answer["verdict"];
    let valid = verdict["valid"].as_bool().expect("verdict.valid is a bool");
    assert!(verdict["message"].is_string(), "{text}");
    // The router's reading of the token agrees with the library's.
    let parts = zego_token::parse_kit_token(&token);
    let t = parts.as_ref().map_or("", |(t, _)| *t);
    let env = parts.and_then(|(t, _)| zego_token::inspect(t));
    assert_eq!(
        answer["header"].is_null(),
        env.is_err(),
        "header vs library: {text}"
    );
    if let Some(claims) = answer.get("claims") {
        let app_id = u32::try_from(answer["app_id"].as_u64().expect("app_id with claims"))
            .expect("u32 app_id");
        let d = zego_token::decode(t, &secret_of(app_id)).expect("the library decodes it too");
        assert_eq!(claims["user_id"], d.claims.user_id.as_str());
        assert_eq!(claims["ctime"], d.claims.ctime);
        assert_eq!(claims["expire"], d.claims.expire);
        assert_eq!(claims["nonce"], d.claims.nonce);
        assert_eq!(
            claims.get("payload").and_then(|p| p.as_str()),
            d.claims.payload_present.then_some(d.claims.payload.as_str())
        );
        let mut v = Validation::new(app_id).clock(Arc::new(FixedClock(NOW)));
        if mode == 3 {
            v = v.user_id("u").room_id("r");
        }
        assert_eq!(
            valid,
            zego_token::check(&d, &v).is_ok(),
            "verdict vs library: {text}"
        );
    } else {
        assert!(!valid, "valid without claims: {text}");
    }
});
