//! Logs: a failing request path never logs a secret, an API key, a JWT or a token.
//! Its own test binary, so no other test registers tracing callsites concurrently.
#![allow(clippy::unwrap_used, reason = "tests: a panic is a test failure")]

mod common;

use std::sync::{Arc, Mutex};

use common::*;

/// A writer that collects log output.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn logs_never_carry_secrets_keys_or_tokens() {
    let buf = Captured::default();
    let writer = buf.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);
    let h = harness("").await;
    let s = &h.state;
    let made = token(s, KEY, r#"{"user_id":"u1","app_id":42}"#).await;
    let t = made.body["token"].as_str().unwrap().to_owned();
    // Failing paths: wrong key (that looks like a real one), a JWT-shaped credential,
    // a body carrying a token where a number belongs, an inspect of a foreign token.
    let wrong_key = "ztk_0123456789abcdef0123456789abcdef0123456789abcdef";
    let jwt_like = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1MSJ9.c2lnbmF0dXJl";
    assert_eq!(token(s, wrong_key, "{}").await.status, 401);
    assert_eq!(token(s, jwt_like, "{}").await.status, 401);
    let r = token(s, KEY, &format!(r#"{{"user_id":"u1","app_id":"{t}"}}"#)).await;
    assert_eq!(r.status, 422);
    let r = send(
        s,
        post(
            "/v1/inspect",
            Some(LIMITED_KEY),
            &format!(r#"{{"token":"{t}"}}"#),
        ),
    )
    .await;
    assert_eq!(r.status, 200);
    let logs = String::from_utf8(buf.0.lock().unwrap().clone()).unwrap();
    assert!(
        logs.contains("request refused"),
        "the failures are logged: {logs}"
    );
    assert!(logs.contains("fingerprint"), "{logs}");
    for secret in [
        SECRET,
        SECRET2,
        KEY,
        LIMITED_KEY,
        wrong_key,
        jwt_like,
        t.as_str(),
    ] {
        assert!(!logs.contains(secret), "log leaks {secret}: {logs}");
    }
    // The middle (claims) part of the JWT and the token's base64 body are absent too.
    assert!(!logs.contains("eyJzdWIiOiJ1MSJ9"));
    assert!(!logs.contains(&t[2..30]));
}
