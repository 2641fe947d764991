//! Any text: parsing never panics; a parsed envelope writes back to the same text (once
//! the normaliser has undone paste damage: quotes, whitespace, line breaks, %-escapes);
//! decoding and verifying never panic, and nothing random authenticates.
#![no_main]

use libfuzzer_sys::fuzz_target;
use zego_token::{Error, ServerSecret, Validation, demo};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let secret = ServerSecret::new(demo::SECRET).expect("demo secret is valid");
    if let Ok(env) = zego_token::inspect(text) {
        let normal = zego_token::normalize_token(text).expect("inspect accepted the text");
        assert_eq!(env.to_token(), normal, "re-encoding changed the token");
        assert_eq!(env.iv().len(), env.mode().iv_len());
    }
    match zego_token::decode(text, &secret) {
        Ok(d) => {
            // Only possible for a token really made with the demo secret (seed corpus):
            // it must then also verify for its own app and user at its creation time.
            let v = Validation::new(d.claims.app_id)
                .user_id(d.claims.user_id.clone())
                .clock(std::sync::Arc::new(zego_token::FixedClock(d.claims.ctime)));
            let _ = zego_token::check(&d, &v);
        }
        Err(Error::Malformed(_) | Error::Decrypt | Error::InvalidClaims(_)) => {}
        Err(other) => panic!("decode returned a verification error: {other:?}"),
    }
    let _ = zego_token::verify(text, &secret, &Validation::new(demo::APP_ID));
});
