//! Property tests: round trips over arbitrary inputs; parsers never panic.

#![allow(
    clippy::unwrap_used,
    reason = "a panic in a test is a failure with its location"
)]

use std::sync::Arc;
use std::time::Duration;

use base64_simd::STANDARD;
use proptest::prelude::*;
use zego_token::{
    CipherMode, Claims, Error, FixedClock, GenerateOptions, Payload, RoomPayload, RoomPrivileges,
    ServerSecret, Validation,
};

fn secret() -> ServerSecret {
    ServerSecret::new(zego_token::demo::SECRET).unwrap()
}

fn user_id() -> impl Strategy<Value = String> {
    // Any non-empty string under ZEGO's 64-byte limit, control characters and
    // non-ASCII included.
    any::<String>().prop_filter("1..64 bytes", |s| !s.is_empty() && s.len() < 64)
}

fn mode() -> impl Strategy<Value = CipherMode> {
    prop_oneof![Just(CipherMode::Gcm), Just(CipherMode::Cbc)]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn generate_then_verify_round_trips(
        app_id in 1u32..,
        user in user_id(),
        payload in ".{0,300}",
        lifetime in 1u64..4_000_000_000,
        ctime in 0i64..4_000_000_000,
        mode in mode(),
    ) {
        let claims = Claims::new(app_id, user.clone(), Duration::from_secs(lifetime))
            .payload(Payload::raw(payload.clone()));
        let options = GenerateOptions::default()
            .mode(mode)
            .clock(Arc::new(FixedClock(ctime)));
        let made = zego_token::generate_with(&secret(), &claims, &options).unwrap();
        let v = Validation::new(app_id).user_id(user.clone()).clock(Arc::new(FixedClock(ctime)));
        let d = zego_token::verify(&made.token, &secret(), &v).unwrap();
        prop_assert_eq!(d.claims.app_id, app_id);
        prop_assert_eq!(&d.claims.user_id, &user);
        prop_assert_eq!(&d.claims.payload, &payload);
        prop_assert_eq!(d.claims.ctime, ctime);
        prop_assert_eq!(d.claims.expire, ctime + i64::try_from(lifetime).unwrap());
        prop_assert_eq!(d.claims.nonce, i64::from(made.nonce));
        prop_assert_eq!(d.mode, mode);
        let env = zego_token::inspect(&made.token).unwrap();
        prop_assert_eq!(env.to_token(), made.token);
    }

    #[test]
    fn room_payloads_round_trip(
        room in "[a-zA-Z0-9_#@!~ -]{1,127}",
        login in any::<bool>(),
        publish in any::<bool>(),
        streams in proptest::option::of(proptest::collection::vec("[A-Za-z0-9_-]{1,40}", 0..5)),
    ) {
        let mut b = RoomPayload::new(room.clone()).login(login).publish(publish);
        if let Some(list) = &streams {
            b = b.streams(list.clone());
        }
        let built = b.build().unwrap();
        let parsed = RoomPrivileges::parse(&built.to_json()).unwrap();
        prop_assert_eq!(&parsed, &built);
        prop_assert_eq!(parsed.room_id(), room.as_str());
        prop_assert_eq!(parsed.can_login(), login);
        prop_assert_eq!(parsed.can_publish(), publish);
    }

    #[test]
    fn arbitrary_text_never_panics(text in ".{0,200}") {
        let _ = zego_token::inspect(&text);
        let _ = zego_token::decode(&text, &secret());
        let _ = zego_token::verify(&text, &secret(), &Validation::new(1));
        let _ = RoomPrivileges::parse(&text);
    }

    #[test]
    fn arbitrary_bodies_never_panic_and_round_trip(body in proptest::collection::vec(any::<u8>(), 0..200)) {
        let token = format!("04{}", STANDARD.encode_to_string(&body));
        if let Ok(env) = zego_token::inspect(&token) {
            prop_assert_eq!(env.to_token(), token.clone());
        }
        match zego_token::decode(&token, &secret()) {
            // Random bytes do not authenticate (GCM) and essentially never pad and
            // parse (CBC).
            Ok(d) => prop_assert!(false, "random body decoded: {:?}", d),
            Err(Error::Malformed(_) | Error::Decrypt | Error::InvalidClaims(_)) => {}
            Err(e) => prop_assert!(false, "unexpected error kind: {:?}", e),
        }
    }

    #[test]
    fn structured_random_envelopes_never_panic(
        expire in any::<i64>(),
        gcm in any::<bool>(),
        ct in proptest::collection::vec(any::<u8>(), 0..96),
    ) {
        let iv_len: u16 = if gcm { 12 } else { 16 };
        let mut body = expire.to_be_bytes().to_vec();
        body.extend_from_slice(&iv_len.to_be_bytes());
        body.extend(std::iter::repeat_n(7u8, usize::from(iv_len)));
        body.extend_from_slice(&u16::try_from(ct.len()).unwrap().to_be_bytes());
        body.extend_from_slice(&ct);
        if gcm {
            body.push(1);
        }
        let token = format!("04{}", STANDARD.encode_to_string(&body));
        prop_assert!(zego_token::decode(&token, &secret()).is_err());
    }
}

#[test]
fn too_large_claims_are_refused_before_encrypting() {
    let s = secret();
    for mode in [CipherMode::Gcm, CipherMode::Cbc] {
        let iv = vec![9u8; mode.iv_len()];
        let make = |claims: &Claims| {
            zego_token::dangerous::generate_with_iv(&s, claims, mode, 1_700_000_000, 0, &iv)
        };
        let base = Claims::new(1, "u", Duration::from_secs(60));
        // The claims of `base` serialize to this many bytes; the rest is payload room.
        let d = zego_token::decode(&make(&base).unwrap().token, &s).unwrap();
        let room = zego_token::MAX_CLAIMS_LEN - serde_json::to_string(&d.claims).unwrap().len();
        let fits = base.clone().payload(Payload::raw("x".repeat(room)));
        let made = make(&fits).unwrap();
        let d = zego_token::decode(&made.token, &s).unwrap();
        assert_eq!(d.claims.payload.len(), room);
        assert!(zego_token::inspect(&made.token).unwrap().ciphertext_len() <= 65_535);
        let too_big = base.payload(Payload::raw("x".repeat(room + 1)));
        let err = make(&too_big).unwrap_err();
        assert!(err.to_string().contains("16-bit length field"), "{err}");
    }
}
