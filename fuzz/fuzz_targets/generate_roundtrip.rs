//! Arbitrary generator inputs: generation either refuses with an input error or makes a
//! token that decodes to exactly the inputs, in both modes.
#![no_main]

use std::sync::Arc;
use std::time::Duration;

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use zego_token::{
    CipherMode, Claims, Error, FixedClock, GenerateOptions, Payload, ServerSecret, demo,
};

#[derive(Debug, Arbitrary)]
struct Input {
    app_id: u32,
    user_id: String,
    payload: String,
    lifetime: u64,
    ctime: i64,
    cbc: bool,
}

fuzz_target!(|input: Input| {
    let secret = ServerSecret::new(demo::SECRET).expect("demo secret is valid");
    let mode = if input.cbc {
        CipherMode::Cbc
    } else {
        CipherMode::Gcm
    };
    let claims = Claims::new(
        input.app_id,
        input.user_id.clone(),
        Duration::from_secs(input.lifetime),
    )
    .payload(Payload::raw(input.payload.clone()));
    let options = GenerateOptions::default()
        .mode(mode)
        .clock(Arc::new(FixedClock(input.ctime)));
    match zego_token::generate_with(&secret, &claims, &options) {
        Ok(made) => {
            let d = zego_token::decode(&made.token, &secret).expect("our token decodes");
            assert_eq!(d.claims.app_id, input.app_id);
            assert_eq!(d.claims.user_id, input.user_id);
            assert_eq!(d.claims.payload, input.payload);
            assert_eq!(d.claims.ctime, input.ctime);
            assert_eq!(d.claims.expire, made.expire);
            assert_eq!(d.mode, mode);
            assert_eq!(
                zego_token::inspect(&made.token).expect("parses").to_token(),
                made.token
            );
        }
        Err(Error::InvalidInput(_)) => {}
        Err(other) => panic!("generation failed with a non-input error: {other:?}"),
    }
});
