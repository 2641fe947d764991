//! Any text as the TOML config, with a fixed environment holding secrets (an app
//! secret, a short one, an HS256 secret, the dev API key) and one `ZEGO_TOKEN_`
//! override. `Config::from_toml` never panics; an error has a non-empty message; a
//! config it accepts passes `check()` again; and no error message or `Debug` output
//! shows a secret value the text did not itself contain. An accepted config that reads
//! secrets only from the environment also builds an `AppState`, or fails with a clean
//! message.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use zego_token_server::{AppState, Config, Env};

/// A valid 32-character ServerSecret.
const APP_SECRET: &str = "fa94dd0f974cf2e293728a526b028271";
/// 31 characters: refused as a ServerSecret and as an HS256 secret.
const SHORT_SECRET: &str = "short-secret-of-31-characters!!";
/// A valid HS256 secret (42 bytes).
const JWT_SECRET: &str = "jwt-shared-secret-of-the-identity-provider";
/// The dev API key variable (reserved: not a config override).
const DEV_KEY: &str = "dev-api-key-never-shown";
const SECRETS: [&str; 4] = [APP_SECRET, SHORT_SECRET, JWT_SECRET, DEV_KEY];

struct Fixed {
    env: Env,
    rt: tokio::runtime::Runtime,
}

fn fixed() -> &'static Fixed {
    static F: OnceLock<Fixed> = OnceLock::new();
    F.get_or_init(|| Fixed {
        env: Env::from_pairs([
            ("APP_SECRET", APP_SECRET),
            ("SHORT_SECRET", SHORT_SECRET),
            ("JWT_SECRET", JWT_SECRET),
            ("ZEGO_TOKEN_API_KEY", DEV_KEY),
            ("ZEGO_TOKEN_LIMITS__SHUTDOWN_GRACE_SECONDS", "5"),
        ]),
        rt: tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a tokio runtime"),
    })
}

/// `shown` contains no secret value, neither as text nor as a `Debug` byte list,
/// unless `text` (the input) contained it.
fn assert_no_secret(shown: &str, text: &str, what: &str) {
    for s in SECRETS {
        let bytes = format!("{:?}", s.as_bytes());
        assert!(
            text.contains(s) || !(shown.contains(s) || shown.contains(&bytes)),
            "{what} shows a secret value: {shown}"
        );
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let f = fixed();
    let config = match Config::from_toml(text, &f.env) {
        Ok(c) => c,
        Err(e) => {
            assert!(!e.message.trim().is_empty(), "empty error message: {e:?}");
            assert_no_secret(&format!("{e} {e:?}"), text, "the error");
            return;
        }
    };
    assert_eq!(config.check(), Ok(()), "an accepted config fails check()");
    assert_eq!(
        config.limits.shutdown_grace_seconds, 5,
        "the override was not applied"
    );
    assert_no_secret(&format!("{config:?}"), text, "Debug of the config");
    // Only environment secrets: no files read, no JWKS fetched.
    let env_only = config.apps.iter().all(|a| a.secret_file.is_none())
        && config.jwt_issuers.iter().all(|j| {
            j.hs256_secret_file.is_none() && j.jwks_file.is_none() && j.jwks_url.is_none()
        });
    if env_only {
        match f.rt.block_on(AppState::new(&config, &f.env)) {
            Ok(state) => assert_no_secret(&format!("{state:?}"), text, "Debug of the state"),
            Err(e) => {
                assert!(!e.message.trim().is_empty(), "empty state error: {e:?}");
                assert_no_secret(&format!("{e} {e:?}"), text, "the state error");
            }
        }
    }
});
