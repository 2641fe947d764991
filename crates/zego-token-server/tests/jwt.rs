//! Login-JWT verification: accepted tokens, every rejection, key selection and JWKS
//! URL refresh against a tiny HTTP server on 127.0.0.1 (no other network).
//!
//! Keys are the test-only fixtures in `tests/fixtures/jwt/` (see its README).

// Tests fail loudly on a broken fixture or setup; that is what unwrap is for here.
#![allow(
    clippy::unwrap_used,
    reason = "test code: a panic is the failure report"
)]

mod common;

use std::path::PathBuf;
use std::sync::atomic::{AtomicI64, AtomicU16, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::TcpListener;
use zego_token::Clock;
use zego_token_server::testing::{
    JwtConfig, JwtIdentity, JwtKeySource, JwtRejection, JwtSetupError, JwtVerifier,
};
use zeroize::Zeroizing;

const NOW: i64 = 1_800_000_000;
const ISSUER: &str = "https://login.example.com";
const AUDIENCE: &str = "zego-token-service";
const HS_SECRET: &[u8] = b"test-only-hs256-secret-of-32+bytes!!";

// ---------------------------------------------------------------------------- helpers

/// A clock the test moves by hand.
#[derive(Debug)]
struct TestClock(AtomicI64);

impl Clock for TestClock {
    fn now(&self) -> i64 {
        self.0.load(Ordering::SeqCst)
    }
}

impl TestClock {
    fn at(t: i64) -> Arc<Self> {
        Arc::new(Self(AtomicI64::new(t)))
    }
    fn advance(&self, secs: i64) {
        self.0.fetch_add(secs, Ordering::SeqCst);
    }
}

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/jwt")
        .join(name)
}

fn read_fixture(name: &str) -> Vec<u8> {
    std::fs::read(fixture(name)).unwrap()
}

fn config(keys: JwtKeySource) -> JwtConfig {
    JwtConfig {
        issuer: ISSUER.to_owned(),
        audiences: vec!["other-service".to_owned(), AUDIENCE.to_owned()],
        keys,
        user_id_claim: "sub".to_owned(),
        rooms_claim: None,
        publish_claim: None,
        leeway: Duration::from_secs(30),
        jwks_refresh: Duration::from_secs(600),
    }
}

fn hs256_source() -> JwtKeySource {
    JwtKeySource::Hs256(Zeroizing::new(HS_SECRET.to_vec()))
}

/// A verifier on a clock at [`NOW`], and the clock, for the test to move.
async fn clocked_verifier(config: JwtConfig) -> (JwtVerifier, Arc<TestClock>) {
    let clock = TestClock::at(NOW);
    let v = JwtVerifier::with_clock(config, clock.clone())
        .await
        .unwrap();
    (v, clock)
}

async fn verifier(config: JwtConfig) -> JwtVerifier {
    clocked_verifier(config).await.0
}

async fn file_verifier() -> JwtVerifier {
    verifier(config(JwtKeySource::JwksFile(fixture("jwks.json")))).await
}

fn claims() -> Value {
    json!({
        "iss": ISSUER,
        "aud": AUDIENCE,
        "sub": "user-42",
        "iat": NOW - 10,
        "exp": NOW + 300,
    })
}

/// Claims with some members replaced (`null` removes one).
fn claims_with(changes: Value) -> Value {
    let mut c = claims();
    for (k, v) in changes.as_object().unwrap() {
        if v.is_null() {
            c.as_object_mut().unwrap().remove(k);
        } else {
            c[k] = v.clone();
        }
    }
    c
}

fn sign(alg: Algorithm, key: &EncodingKey, kid: Option<&str>, claims: &Value) -> String {
    let mut header = Header::new(alg);
    header.kid = kid.map(str::to_owned);
    jsonwebtoken::encode(&header, claims, key).unwrap()
}

fn hs256(claims: &Value) -> String {
    sign(
        Algorithm::HS256,
        &EncodingKey::from_secret(HS_SECRET),
        None,
        claims,
    )
}

fn rsa_key(name: &str) -> EncodingKey {
    EncodingKey::from_rsa_pem(&read_fixture(name)).unwrap()
}

fn rs256(kid: Option<&str>, claims: &Value) -> String {
    sign(Algorithm::RS256, &rsa_key("rsa1.key.pem"), kid, claims)
}

fn rs256_key2(kid: Option<&str>, claims: &Value) -> String {
    sign(Algorithm::RS256, &rsa_key("rsa2.key.pem"), kid, claims)
}

fn es256(kid: Option<&str>, claims: &Value) -> String {
    let key = EncodingKey::from_ec_pem(&read_fixture("ec1.key.pem")).unwrap();
    sign(Algorithm::ES256, &key, kid, claims)
}

/// A token with a hand-written header and an arbitrary signature.
fn raw_token(header: &Value, claims: &Value, signature: &str) -> String {
    format!(
        "{}.{}.{signature}",
        URL_SAFE_NO_PAD.encode(header.to_string()),
        URL_SAFE_NO_PAD.encode(claims.to_string())
    )
}

/// An RS256-labelled token with a junk signature: the `kid` is looked up before any
/// signature check, and RSA signing is slow in debug builds.
fn unsigned_rs256(kid: &str, claims: &Value) -> String {
    raw_token(&json!({"alg": "RS256", "kid": kid}), claims, "c2ln")
}

fn identity(user_id: &str) -> JwtIdentity {
    JwtIdentity {
        user_id: user_id.to_owned(),
        rooms: None,
        may_publish: None,
    }
}

/// A one-route HTTP/1.1 server on 127.0.0.1 serving a swappable JWKS and counting hits.
struct JwksServer {
    url: String,
    body: Arc<Mutex<Vec<u8>>>,
    status: Arc<AtomicU16>,
    hits: Arc<AtomicUsize>,
    /// Milliseconds to wait before answering (a slow identity provider).
    delay_ms: Arc<AtomicU64>,
    /// A `Location` header to send (with a 3xx status).
    location: Arc<Mutex<Option<String>>>,
    task: tokio::task::JoinHandle<()>,
}

impl JwksServer {
    async fn start(fixture_name: &str) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!(
            "http://{}/.well-known/jwks.json",
            listener.local_addr().unwrap()
        );
        let body = Arc::new(Mutex::new(read_fixture(fixture_name)));
        let status = Arc::new(AtomicU16::new(200));
        let hits = Arc::new(AtomicUsize::new(0));
        let delay_ms = Arc::new(AtomicU64::new(0));
        let location = Arc::new(Mutex::new(None::<String>));
        let (b, s, h) = (body.clone(), status.clone(), hits.clone());
        let (d, l) = (delay_ms.clone(), location.clone());
        let task = tokio::spawn(async move {
            loop {
                let Ok((mut conn, _)) = listener.accept().await else {
                    return;
                };
                let (b, s, h) = (b.clone(), s.clone(), h.clone());
                let (d, l) = (d.clone(), l.clone());
                tokio::spawn(async move {
                    // Read the request head (a GET has no body).
                    let mut head = Vec::new();
                    let mut buf = [0_u8; 1024];
                    while !head.windows(4).any(|w| w == b"\r\n\r\n") && head.len() < 16 * 1024 {
                        match conn.read(&mut buf).await {
                            Ok(0) | Err(_) => return,
                            Ok(n) => head.extend_from_slice(&buf[..n]),
                        }
                    }
                    h.fetch_add(1, Ordering::SeqCst);
                    let delay = d.load(Ordering::SeqCst);
                    if delay > 0 {
                        tokio::time::sleep(Duration::from_millis(delay)).await;
                    }
                    let body = b.lock().unwrap().clone();
                    let code = s.load(Ordering::SeqCst);
                    let location = l
                        .lock()
                        .unwrap()
                        .as_ref()
                        .map(|u| format!("location: {u}\r\n"))
                        .unwrap_or_default();
                    let response = format!(
                        "HTTP/1.1 {code} X\r\ncontent-type: application/json\r\n\
                         {location}content-length: {}\r\nconnection: close\r\n\r\n",
                        body.len()
                    );
                    let _ = conn.write_all(response.as_bytes()).await;
                    let _ = conn.write_all(&body).await;
                    let _ = conn.shutdown().await;
                });
            }
        });
        Self {
            url,
            body,
            status,
            hits,
            delay_ms,
            location,
            task,
        }
    }

    fn serve(&self, fixture_name: &str) {
        *self.body.lock().unwrap() = read_fixture(fixture_name);
    }

    fn hits(&self) -> usize {
        self.hits.load(Ordering::SeqCst)
    }
}

impl Drop for JwksServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

// ------------------------------------------------------------------- accepted tokens

#[tokio::test]
async fn hs256_token_is_accepted() {
    let v = verifier(config(hs256_source())).await;
    assert_eq!(v.issuer(), ISSUER);
    assert_eq!(v.verify(&hs256(&claims())).await, Ok(identity("user-42")));
    // The kid is not consulted for a shared secret.
    let with_kid = sign(
        Algorithm::HS256,
        &EncodingKey::from_secret(HS_SECRET),
        Some("whatever"),
        &claims(),
    );
    assert_eq!(v.verify(&with_kid).await, Ok(identity("user-42")));
}

#[tokio::test]
async fn rs256_and_es256_tokens_from_a_jwks_file_are_accepted() {
    let v = file_verifier().await;
    assert_eq!(
        v.verify(&rs256(Some("rsa-1"), &claims())).await,
        Ok(identity("user-42"))
    );
    // The EC JWK has no `alg`: ES256 is inferred from crv P-256.
    assert_eq!(
        v.verify(&es256(Some("ec-1"), &claims())).await,
        Ok(identity("user-42"))
    );
}

#[tokio::test]
async fn audience_may_be_an_array_and_times_may_be_floats() {
    let v = file_verifier().await;
    let c = claims_with(json!({
        "aud": ["someone-else", AUDIENCE],
        "exp": (NOW + 300) as f64 + 0.5,
        "nbf": NOW as f64 - 0.5,
    }));
    assert_eq!(
        v.verify(&rs256(Some("rsa-1"), &c)).await,
        Ok(identity("user-42"))
    );
}

// ------------------------------------------------------------------------ rejections

#[tokio::test]
async fn bad_signature_is_rejected() {
    let v = file_verifier().await;
    // Signed by key 2 but naming key 1.
    let token = rs256_key2(Some("rsa-1"), &claims());
    assert_eq!(v.verify(&token).await, Err(JwtRejection::BadSignature));
    // A tampered payload under a valid signature.
    let good = rs256(Some("rsa-1"), &claims());
    let mut parts: Vec<&str> = good.split('.').collect();
    let forged = URL_SAFE_NO_PAD.encode(claims_with(json!({"sub": "admin"})).to_string());
    parts[1] = &forged;
    assert_eq!(
        v.verify(&parts.join(".")).await,
        Err(JwtRejection::BadSignature)
    );
    // HS256 with another secret.
    let hv = verifier(config(hs256_source())).await;
    let other = sign(
        Algorithm::HS256,
        &EncodingKey::from_secret(b"another-secret-that-is-32-bytes-long"),
        None,
        &claims(),
    );
    assert_eq!(hv.verify(&other).await, Err(JwtRejection::BadSignature));
}

#[tokio::test]
async fn wrong_or_missing_issuer_is_rejected() {
    let v = verifier(config(hs256_source())).await;
    for iss in [json!("https://evil.example.com"), json!(null), json!(42)] {
        let token = hs256(&claims_with(json!({ "iss": iss })));
        assert_eq!(v.verify(&token).await, Err(JwtRejection::WrongIssuer));
    }
}

#[tokio::test]
async fn wrong_or_missing_audience_is_rejected() {
    let v = verifier(config(hs256_source())).await;
    for aud in [
        json!("elsewhere"),
        json!(["a", "b"]),
        json!([]),
        json!(null),
    ] {
        let token = hs256(&claims_with(json!({ "aud": aud })));
        assert_eq!(v.verify(&token).await, Err(JwtRejection::WrongAudience));
    }
}

#[tokio::test]
async fn expiry_honours_the_leeway() {
    let v = verifier(config(hs256_source())).await;
    // Leeway is 30 s: expired 29 s ago still passes, 30 s ago does not.
    let recent = hs256(&claims_with(json!({"exp": NOW - 29})));
    assert_eq!(v.verify(&recent).await, Ok(identity("user-42")));
    let old = hs256(&claims_with(json!({"exp": NOW - 30})));
    assert_eq!(v.verify(&old).await, Err(JwtRejection::Expired));
}

#[tokio::test]
async fn missing_or_non_numeric_exp_is_rejected() {
    let v = verifier(config(hs256_source())).await;
    let token = hs256(&claims_with(json!({"exp": null})));
    let err = v.verify(&token).await.unwrap_err();
    assert_eq!(
        err,
        JwtRejection::MissingClaim {
            claim: "exp".to_owned()
        }
    );
    assert_eq!(err.code(), "missing_claim");
    let token = hs256(&claims_with(json!({"exp": "tomorrow"})));
    assert!(matches!(
        v.verify(&token).await,
        Err(JwtRejection::InvalidClaim { claim, .. }) if claim == "exp"
    ));
}

#[tokio::test]
async fn nbf_and_iat_in_the_future_are_rejected() {
    let v = verifier(config(hs256_source())).await;
    let within = hs256(&claims_with(json!({"nbf": NOW + 30, "iat": NOW + 30})));
    assert_eq!(v.verify(&within).await, Ok(identity("user-42")));
    let nbf = hs256(&claims_with(json!({"nbf": NOW + 31})));
    assert_eq!(v.verify(&nbf).await, Err(JwtRejection::NotYetValid));
    let iat = hs256(&claims_with(json!({"iat": NOW + 31})));
    assert_eq!(v.verify(&iat).await, Err(JwtRejection::NotYetValid));
}

#[tokio::test]
async fn the_injected_clock_decides() {
    let (v, clock) = clocked_verifier(config(hs256_source())).await;
    let token = hs256(&claims());
    assert!(v.verify(&token).await.is_ok());
    clock.advance(300 + 30);
    assert_eq!(v.verify(&token).await, Err(JwtRejection::Expired));
}

#[tokio::test]
async fn unknown_kid_is_rejected() {
    let v = file_verifier().await;
    let token = rs256(Some("no-such-key"), &claims());
    assert_eq!(v.verify(&token).await, Err(JwtRejection::UnknownKey));
    // No kid while the set holds two keys: ambiguous.
    assert_eq!(
        v.verify(&rs256(None, &claims())).await,
        Err(JwtRejection::UnknownKey)
    );
}

#[tokio::test]
async fn a_token_without_kid_uses_the_only_key() {
    let v = verifier(config(JwtKeySource::JwksFile(fixture("jwks-rsa1.json")))).await;
    assert_eq!(
        v.verify(&rs256(None, &claims())).await,
        Ok(identity("user-42"))
    );
}

#[tokio::test]
async fn algorithm_confusion_is_rejected() {
    let v = file_verifier().await;
    // The classic attack: HS256 "signed" with the RSA public key as the HMAC secret.
    let public_pem = read_fixture("rsa1.pub.pem");
    for kid in [Some("rsa-1"), None] {
        let token = sign(
            Algorithm::HS256,
            &EncodingKey::from_secret(&public_pem),
            kid,
            &claims(),
        );
        assert_eq!(
            v.verify(&token).await,
            Err(JwtRejection::DisallowedAlgorithm)
        );
    }
    // An ES256 token naming the RSA key, and RS256 naming the EC key.
    let token = es256(Some("rsa-1"), &claims());
    assert_eq!(
        v.verify(&token).await,
        Err(JwtRejection::DisallowedAlgorithm)
    );
    let token = rs256(Some("ec-1"), &claims());
    assert_eq!(
        v.verify(&token).await,
        Err(JwtRejection::DisallowedAlgorithm)
    );
    // The other way round: an RS256 token against an HS256 issuer.
    let hv = verifier(config(hs256_source())).await;
    let token = rs256(Some("rsa-1"), &claims());
    assert_eq!(
        hv.verify(&token).await,
        Err(JwtRejection::DisallowedAlgorithm)
    );
}

#[tokio::test]
async fn alg_none_and_unsupported_algorithms_are_rejected() {
    let hv = verifier(config(hs256_source())).await;
    let fv = file_verifier().await;
    for alg in ["none", "None", "HS512", "RS384", "PS256", "EdDSA", ""] {
        let token = raw_token(&json!({"alg": alg, "typ": "JWT"}), &claims(), "");
        assert_eq!(
            hv.verify(&token).await,
            Err(JwtRejection::DisallowedAlgorithm),
            "{alg}"
        );
        let token = raw_token(&json!({"alg": alg, "kid": "rsa-1"}), &claims(), "");
        assert_eq!(
            fv.verify(&token).await,
            Err(JwtRejection::DisallowedAlgorithm),
            "{alg}"
        );
    }
}

#[tokio::test]
async fn malformed_tokens_are_rejected() {
    let v = verifier(config(hs256_source())).await;
    let good = hs256(&claims());
    let too_long = format!("{good}{}", "A".repeat(9000));
    let crit = raw_token(
        &json!({"alg": "HS256", "crit": ["exp"], "exp": 1}),
        &claims(),
        "sig",
    );
    let cases = [
        "",
        "abc",
        "a.b",
        "a.b.c.d",
        "..",
        "!!!.e30.sig",
        "e30.!!!.sig",
        "bm90IGpzb24.e30.sig", // header "not json"
        "e30.e30.sig",         // header without alg
        too_long.as_str(),
        crit.as_str(),
    ];
    for token in cases {
        let err = v.verify(token).await.unwrap_err();
        assert_eq!(err.code(), "malformed", "{token:.40}: {err}");
    }
    // A payload that is not JSON, validly signed.
    let header = URL_SAFE_NO_PAD.encode(r#"{"alg":"HS256"}"#);
    let payload = URL_SAFE_NO_PAD.encode("not json");
    let sig = jsonwebtoken::crypto::sign(
        format!("{header}.{payload}").as_bytes(),
        &EncodingKey::from_secret(HS_SECRET),
        Algorithm::HS256,
    )
    .unwrap();
    let token = format!("{header}.{payload}.{sig}");
    assert_eq!(v.verify(&token).await.unwrap_err().code(), "malformed");
    // A signature that is not base64url.
    let mut bad_sig = good.clone();
    bad_sig.push('*');
    assert_eq!(v.verify(&bad_sig).await.unwrap_err().code(), "malformed");
}

// --------------------------------------------------------------------- claim mapping

#[tokio::test]
async fn user_id_claim_variants() {
    let mut cfg = config(hs256_source());
    cfg.user_id_claim = "uid".to_owned();
    let v = verifier(cfg).await;
    let check = |uid: Value| {
        let token = hs256(&claims_with(json!({ "uid": uid })));
        let v = v.clone();
        async move { v.verify(&token).await }
    };
    assert_eq!(check(json!("alice")).await, Ok(identity("alice")));
    assert_eq!(check(json!(1_234_567)).await, Ok(identity("1234567")));
    assert_eq!(check(json!(-5)).await, Ok(identity("-5")));
    assert_eq!(
        check(json!("x".repeat(63))).await,
        Ok(identity(&"x".repeat(63)))
    );

    let missing = JwtRejection::MissingUserId {
        claim: "uid".to_owned(),
    };
    assert_eq!(check(Value::Null).await, Err(missing.clone()));
    assert_eq!(missing.code(), "missing_user_id");
    assert!(missing.to_string().contains("`uid`"));
    for bad in [
        json!(""),
        json!("x".repeat(64)),
        json!(1.5),
        json!(true),
        json!(["a"]),
    ] {
        let err = check(bad.clone()).await.unwrap_err();
        assert!(
            matches!(&err, JwtRejection::InvalidUserId { claim, .. } if claim == "uid"),
            "{bad}: {err:?}"
        );
        assert_eq!(err.code(), "invalid_user_id");
        assert!(err.to_string().contains("`uid`"));
    }
    // `sub` is not used when another claim is configured.
    let token = hs256(&claims());
    assert_eq!(v.verify(&token).await, Err(missing));
}

#[tokio::test]
async fn rooms_and_publish_claims() {
    let mut cfg = config(hs256_source());
    cfg.rooms_claim = Some("zego_rooms".to_owned());
    cfg.publish_claim = Some("zego_publish".to_owned());
    let v = verifier(cfg).await;
    let get = |changes: Value| {
        let token = hs256(&claims_with(changes));
        let v = v.clone();
        async move { v.verify(&token).await }
    };

    let id = get(json!({"zego_rooms": ["r1", "r2"], "zego_publish": true}))
        .await
        .unwrap();
    assert_eq!(id.rooms, Some(vec!["r1".to_owned(), "r2".to_owned()]));
    assert_eq!(id.may_publish, Some(true));

    let id = get(json!({"zego_rooms": "lobby", "zego_publish": false}))
        .await
        .unwrap();
    assert_eq!(id.rooms, Some(vec!["lobby".to_owned()]));
    assert_eq!(id.may_publish, Some(false));

    // Configured but absent: least privilege.
    let id = get(json!({})).await.unwrap();
    assert_eq!(id.rooms, Some(vec![]));
    assert_eq!(id.may_publish, Some(false));

    for bad in [
        json!({"zego_rooms": [1, 2]}),
        json!({"zego_rooms": {"r": 1}}),
        json!({"zego_publish": "yes"}),
        json!({"zego_publish": 1}),
    ] {
        let err = get(bad.clone()).await.unwrap_err();
        assert_eq!(err.code(), "invalid_claim", "{bad}");
        assert!(err.to_string().contains("`zego_"), "{err}");
    }

    // Not configured: None, whatever the token holds.
    let plain = verifier(config(hs256_source())).await;
    let token = hs256(&claims_with(
        json!({"zego_rooms": ["r1"], "zego_publish": true}),
    ));
    assert_eq!(plain.verify(&token).await, Ok(identity("user-42")));
}

// ------------------------------------------------------------------------- JWKS URL

fn url_config(url: &str) -> JwtConfig {
    config(JwtKeySource::JwksUrl(url.to_owned()))
}

#[tokio::test]
async fn jwks_url_keys_are_fetched_and_selected_by_kid() {
    let server = JwksServer::start("jwks.json").await;
    let v = verifier(url_config(&server.url)).await;
    assert_eq!(server.hits(), 1);
    assert_eq!(
        v.verify(&rs256(Some("rsa-1"), &claims())).await,
        Ok(identity("user-42"))
    );
    assert_eq!(
        v.verify(&es256(Some("ec-1"), &claims())).await,
        Ok(identity("user-42"))
    );
    // Verifying does not fetch.
    assert_eq!(server.hits(), 1);
}

#[tokio::test]
async fn rotated_key_is_picked_up_on_unknown_kid_at_most_every_30_s() {
    let server = JwksServer::start("jwks.json").await;
    let (v, clock) = clocked_verifier(url_config(&server.url)).await;
    assert_eq!(server.hits(), 1);

    // The IdP rotates to key 2.
    server.serve("jwks-rotated.json");
    let new_token = rs256_key2(Some("rsa-2"), &claims_with(json!({"exp": NOW + 3600})));

    // Within 30 s of the last fetch: no new fetch, the kid is unknown.
    clock.advance(10);
    assert_eq!(v.verify(&new_token).await, Err(JwtRejection::UnknownKey));
    assert_eq!(server.hits(), 1);

    // 30 s after the last fetch: one fetch, and the new key verifies.
    clock.advance(20);
    assert_eq!(v.verify(&new_token).await, Ok(identity("user-42")));
    assert_eq!(server.hits(), 2);

    // Key 1 is gone from the set now.
    let old_token = rs256(Some("rsa-1"), &claims_with(json!({"exp": NOW + 3600})));
    assert_eq!(v.verify(&old_token).await, Err(JwtRejection::UnknownKey));
    assert_eq!(server.hits(), 2);
}

#[tokio::test]
async fn garbage_kids_cannot_hammer_the_idp() {
    let server = JwksServer::start("jwks.json").await;
    let (v, clock) = clocked_verifier(url_config(&server.url)).await;
    let c = claims_with(json!({"exp": NOW + 3600}));

    // 50 garbage kids, concurrently, right after start: no fetch at all.
    let tasks: Vec<_> = (0..50)
        .map(|i| {
            let v = v.clone();
            let token = unsigned_rs256(&format!("garbage-{i}"), &c);
            tokio::spawn(async move { v.verify(&token).await })
        })
        .collect();
    for t in tasks {
        assert_eq!(t.await.unwrap(), Err(JwtRejection::UnknownKey));
    }
    assert_eq!(server.hits(), 1);

    // Each 30 s window allows exactly one fetch, however many garbage kids arrive.
    for window in 1..=3 {
        clock.advance(30);
        for i in 0..20 {
            let token = unsigned_rs256(&format!("junk-{i}"), &c);
            assert_eq!(v.verify(&token).await, Err(JwtRejection::UnknownKey));
        }
        assert_eq!(server.hits(), 1 + window);
    }
}

#[tokio::test]
async fn periodic_refresh_picks_up_a_rotation() {
    let server = JwksServer::start("jwks.json").await;
    let mut cfg = url_config(&server.url);
    cfg.jwks_refresh = Duration::from_millis(100);
    let v = verifier(cfg).await;
    server.serve("jwks-rotated.json");
    // Wait (bounded) for the background task to fetch again.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while server.hits() < 3 {
        assert!(
            tokio::time::Instant::now() < deadline,
            "no background refresh"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    // The clock has not moved, so this did not come from an unknown-kid fetch.
    let token = rs256_key2(Some("rsa-2"), &claims());
    assert_eq!(v.verify(&token).await, Ok(identity("user-42")));

    // Dropping the last verifier stops the task.
    drop(v);
    tokio::time::sleep(Duration::from_millis(50)).await;
    let after_drop = server.hits();
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(server.hits(), after_drop);
}

#[tokio::test]
async fn a_failed_refresh_keeps_the_old_keys() {
    let server = JwksServer::start("jwks.json").await;
    let (v, clock) = clocked_verifier(url_config(&server.url)).await;
    let token = rs256(Some("rsa-1"), &claims_with(json!({"exp": NOW + 3600})));

    server.status.store(500, Ordering::SeqCst);
    let err = v.refresh_keys().await.unwrap_err();
    assert!(err.to_string().contains("500"), "{err}");
    assert!(err.to_string().contains(&server.url), "{err}");
    assert_eq!(v.verify(&token).await, Ok(identity("user-42")));

    server.status.store(200, Ordering::SeqCst);
    server.serve("not-a-jwks.json");
    assert!(v.refresh_keys().await.is_err());
    // An unknown kid's fetch fails too: still the old keys.
    clock.advance(60);
    let other = rs256(Some("nope"), &claims_with(json!({"exp": NOW + 3600})));
    assert_eq!(v.verify(&other).await, Err(JwtRejection::UnknownKey));
    assert_eq!(v.verify(&token).await, Ok(identity("user-42")));
}

#[tokio::test]
async fn jwks_url_down_at_start_is_a_setup_error() {
    // Bind then drop: a loopback port with nothing listening.
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/jwks.json", listener.local_addr().unwrap());
    drop(listener);
    let err: JwtSetupError = JwtVerifier::new(url_config(&url)).await.unwrap_err();
    let text = err.to_string();
    assert!(text.contains(&url), "{text}");
    assert!(text.contains(ISSUER), "{text}");

    // Up but answering 404, or not a JWKS.
    let server = JwksServer::start("jwks.json").await;
    server.status.store(404, Ordering::SeqCst);
    let err = JwtVerifier::new(url_config(&server.url)).await.unwrap_err();
    assert!(err.to_string().contains("404"), "{err}");
    server.status.store(200, Ordering::SeqCst);
    server.serve("not-a-jwks.json");
    let err = JwtVerifier::new(url_config(&server.url)).await.unwrap_err();
    assert!(err.to_string().contains("no usable"), "{err}");
}

#[tokio::test]
async fn https_path_runs_the_tls_handshake_without_panicking() {
    // A loopback peer that answers the ClientHello with plain text: the rustls client
    // (ring provider) must be set up and fail the handshake cleanly, as a setup error.
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("https://{}/jwks.json", listener.local_addr().unwrap());
    let peer = tokio::spawn(async move {
        if let Ok((mut conn, _)) = listener.accept().await {
            let _ = conn.write_all(b"HTTP/1.1 400 Bad Request\r\n\r\n").await;
            let _ = conn.shutdown().await;
        }
    });
    let err = JwtVerifier::new(url_config(&url)).await.unwrap_err();
    assert!(err.to_string().contains(&url), "{err}");
    peer.abort();
}

#[tokio::test]
async fn oversized_jwks_is_refused() {
    let server = JwksServer::start("jwks.json").await;
    *server.body.lock().unwrap() = vec![b' '; 1024 * 1024 + 1];
    let err = JwtVerifier::new(url_config(&server.url)).await.unwrap_err();
    assert!(err.to_string().contains("larger than"), "{err}");
}

// -------------------------------------------------------------------- setup, safety

#[tokio::test]
async fn setup_errors_name_the_problem() {
    let mut short = config(JwtKeySource::Hs256(Zeroizing::new(b"short".to_vec())));
    short.issuer = "app".to_owned();
    let err = JwtVerifier::new(short).await.unwrap_err().to_string();
    assert!(err.contains("32"), "{err}");
    assert!(!err.contains("short"), "the secret leaked: {err}");

    let mut no_aud = config(hs256_source());
    no_aud.audiences.clear();
    assert!(JwtVerifier::new(no_aud).await.is_err());

    let missing = config(JwtKeySource::JwksFile(fixture("no-such-file.json")));
    let err = JwtVerifier::new(missing).await.unwrap_err().to_string();
    assert!(err.contains("no-such-file.json"), "{err}");

    let keyless = config(JwtKeySource::JwksFile(fixture("not-a-jwks.json")));
    assert!(JwtVerifier::new(keyless).await.is_err());

    // Plain http to a non-loopback host is refused before any connection is tried.
    let err = JwtVerifier::new(url_config("http://idp.example.com/jwks.json"))
        .await
        .unwrap_err()
        .to_string();
    assert!(err.contains("https"), "{err}");
}

#[test]
fn verifier_and_its_future_are_send_and_sync() {
    // axum handlers need a Send future; the verifier lives in shared state.
    fn send_sync<T: Send + Sync>(_: &T) {}
    fn send<T: Send>(_: &T) {}
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let v = rt.block_on(verifier(config(hs256_source())));
    send_sync(&v);
    send(&v.verify("token"));
}

#[tokio::test]
async fn nothing_secret_is_printed() {
    let secret_text = std::str::from_utf8(HS_SECRET).unwrap();
    let cfg = config(hs256_source());
    assert!(!format!("{cfg:?}").contains(secret_text));
    let v = verifier(cfg).await;
    assert!(!format!("{v:?}").contains(secret_text));
    assert!(format!("{v:?}").contains("<redacted>"));

    let url = config(JwtKeySource::JwksUrl(
        "https://user:hunter2@idp.example.com/jwks?token=abc".to_owned(),
    ));
    let shown = format!("{url:?}");
    assert!(
        !shown.contains("hunter2") && !shown.contains("abc"),
        "{shown}"
    );

    // No rejection repeats the token or a claim value.
    let fv = file_verifier().await;
    let tokens = [
        rs256(Some("rsa-1"), &claims_with(json!({"iss": "evil-issuer"}))),
        rs256(Some("secret-kid"), &claims()),
        rs256_key2(Some("rsa-1"), &claims()),
        rs256(Some("rsa-1"), &claims_with(json!({"sub": "x".repeat(70)}))),
    ];
    for token in tokens {
        let err = fv.verify(&token).await.unwrap_err();
        let text = format!("{err} {err:?}");
        for leak in ["evil-issuer", "secret-kid", "xxxxxxxx", &token[..20]] {
            assert!(!text.contains(leak), "{text}");
        }
        assert!(!err.code().is_empty());
    }
}

// ------------------------------------------------------- identity provider outages (issue 9)

#[tokio::test]
async fn a_lenient_verifier_starts_without_the_idp_and_picks_the_keys_up() {
    let server = JwksServer::start("jwks.json").await;
    server.status.store(503, Ordering::SeqCst);
    let clock = TestClock::at(NOW);
    let (v, note) = JwtVerifier::with_fallback(url_config(&server.url), clock.clone(), None)
        .await
        .unwrap();
    let note = note.expect("the failure is reported for the log");
    assert!(note.contains("503"), "{note}");
    assert!(v.has_no_keys());
    let token = rs256(Some("rsa-1"), &claims_with(json!({"exp": NOW + 3600})));
    assert_eq!(v.verify(&token).await, Err(JwtRejection::KeysUnavailable));
    // Another issuer's token is not this issuer's business.
    let other = rs256(
        Some("rsa-1"),
        &claims_with(json!({"exp": NOW + 3600, "iss": "https://other.example.com"})),
    );
    assert_eq!(v.verify(&other).await, Err(JwtRejection::WrongIssuer));
    // The IdP comes back: the next token of this issuer (past the 30 s gap) fetches.
    server.status.store(200, Ordering::SeqCst);
    clock.advance(31);
    assert_eq!(v.verify(&token).await, Ok(identity("user-42")));
    assert!(!v.has_no_keys());
    assert!(!v.keys_stale());
}

#[tokio::test]
async fn a_rebuilt_verifier_keeps_the_last_good_keys() {
    let server = JwksServer::start("jwks.json").await;
    let clock = TestClock::at(NOW);
    let (first, note) = JwtVerifier::with_fallback(url_config(&server.url), clock.clone(), None)
        .await
        .unwrap();
    assert!(note.is_none());
    server.status.store(500, Ordering::SeqCst);
    let (second, note) =
        JwtVerifier::with_fallback(url_config(&server.url), clock.clone(), Some(&first))
            .await
            .unwrap();
    assert!(note.unwrap().contains("previous keys"));
    assert!(second.keys_stale());
    let token = rs256(Some("rsa-1"), &claims_with(json!({"exp": NOW + 3600})));
    assert_eq!(second.verify(&token).await, Ok(identity("user-42")));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_kid_fetches_are_single_flight_and_bounded_for_the_caller() {
    let server = JwksServer::start("jwks.json").await;
    let (v, clock) = clocked_verifier(url_config(&server.url)).await;
    assert_eq!(server.hits(), 1);
    // The IdP becomes slow (3 s a request).
    server.delay_ms.store(3000, Ordering::SeqCst);
    clock.advance(31);
    let c = claims_with(json!({"exp": NOW + 3600}));
    let started = std::time::Instant::now();
    let tasks: Vec<_> = (0..20)
        .map(|i| {
            let v = v.clone();
            let token = unsigned_rs256(&format!("new-{i}"), &c);
            tokio::spawn(async move { v.verify(&token).await })
        })
        .collect();
    for t in tasks {
        assert_eq!(t.await.unwrap(), Err(JwtRejection::UnknownKey));
    }
    // Every caller waited at most about UNKNOWN_KID_WAIT (1 s), not the IdP's 3 s.
    assert!(
        started.elapsed() < Duration::from_millis(2500),
        "{:?}",
        started.elapsed()
    );
    // One fetch for all twenty (single flight).
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(server.hits(), 2);

    // A token that names another issuer never makes this one fetch, and is not slowed.
    clock.advance(31);
    let other = unsigned_rs256(
        "another-kid",
        &claims_with(json!({"exp": NOW + 3600, "iss": "https://other.example.com"})),
    );
    let started = std::time::Instant::now();
    assert!(v.verify(&other).await.is_err());
    assert!(started.elapsed() < Duration::from_millis(300));
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(server.hits(), 2);
}

#[tokio::test]
async fn redirects_are_not_followed() {
    let target = JwksServer::start("jwks.json").await;
    let server = JwksServer::start("jwks.json").await;
    server.status.store(302, Ordering::SeqCst);
    *server.location.lock().unwrap() = Some(target.url.clone());
    let err = JwtVerifier::new(url_config(&server.url)).await.unwrap_err();
    assert!(
        err.to_string().contains("redirects are not followed"),
        "{err}"
    );
    assert_eq!(target.hits(), 0, "the redirect target was fetched");
}

#[tokio::test]
async fn a_login_token_that_never_expires_is_refused() {
    let v = verifier(config(hs256_source())).await;
    for exp in [json!(1e300), json!(NOW + 400 * 24 * 3600)] {
        let token = hs256(&claims_with(json!({ "exp": exp })));
        let err = v.verify(&token).await.unwrap_err();
        assert_eq!(err.code(), "invalid_claim", "{exp}: {err}");
    }
    let token = hs256(&claims_with(json!({"exp": NOW + 30 * 24 * 3600})));
    assert!(v.verify(&token).await.is_ok());
}

#[tokio::test]
async fn jwks_files_are_size_capped_and_must_be_regular() {
    let err = JwtVerifier::new(config(JwtKeySource::JwksFile("/dev/zero".into())))
        .await
        .unwrap_err();
    assert!(err.to_string().contains("not a regular file"), "{err}");
}

// ------------------------------------------------------- reasons told to the client

#[tokio::test]
async fn every_rejection_has_a_distinct_client_reason() {
    let hs = verifier(config(hs256_source())).await;
    let file = file_verifier().await;
    let forged = {
        let t = hs256(&claims());
        let (head, _) = t.rsplit_once('.').unwrap();
        format!("{head}.{}", URL_SAFE_NO_PAD.encode([0u8; 32]))
    };
    let cases: Vec<(&JwtVerifier, String, &str)> = vec![
        (&hs, "not-a-jwt".into(), "jwt_malformed"),
        (&hs, "a.b.c".into(), "jwt_malformed"),
        (
            &hs,
            raw_token(&json!({"alg": "none"}), &claims(), ""),
            "jwt_algorithm",
        ),
        (
            &file,
            unsigned_rs256("no-such-key", &claims()),
            "jwt_unknown_kid",
        ),
        (&hs, forged, "jwt_signature"),
        (
            &hs,
            hs256(&claims_with(json!({"iss": "https://evil.example"}))),
            "jwt_issuer",
        ),
        (
            &hs,
            hs256(&claims_with(json!({"aud": "someone-else"}))),
            "jwt_audience",
        ),
        (
            &hs,
            hs256(&claims_with(json!({"exp": NOW - 3600}))),
            "jwt_expired",
        ),
        (
            &hs,
            hs256(&claims_with(json!({"nbf": NOW + 3600}))),
            "jwt_not_yet_valid",
        ),
        (
            &hs,
            hs256(&claims_with(json!({"exp": null}))),
            "jwt_claim_missing",
        ),
        (
            &hs,
            hs256(&claims_with(json!({"sub": null}))),
            "jwt_claim_missing",
        ),
        (
            &hs,
            hs256(&claims_with(json!({"exp": "soon"}))),
            "jwt_claim_invalid",
        ),
        (
            &hs,
            hs256(&claims_with(json!({"sub": "u".repeat(64)}))),
            "jwt_user_id_invalid",
        ),
    ];
    for (v, token, want) in cases {
        let got = v.verify(&token).await.unwrap_err();
        assert_eq!(got.client_reason(), want, "{got:?}");
        // A label, never the token or a claim.
        assert!(want.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'));
    }
}

/// A login JWT for the service harness's issuer (`common::JWT_SECRET`, clock at
/// `common::NOW`), with some claims changed.
fn service_jwt(changes: Value) -> String {
    let mut c = json!({
        "iss": "https://id.test/",
        "aud": "zego",
        "sub": "alice",
        "exp": common::NOW + 600,
    });
    for (k, v) in changes.as_object().unwrap() {
        if v.is_null() {
            c.as_object_mut().unwrap().remove(k);
        } else {
            c[k] = v.clone();
        }
    }
    sign(
        Algorithm::HS256,
        &EncodingKey::from_secret(common::JWT_SECRET.as_bytes()),
        None,
        &c,
    )
}

#[tokio::test]
async fn a_refused_jwt_tells_the_client_why_and_an_api_key_does_not() {
    let h = common::harness(
        "[[jwt_issuers]]\nissuer = \"https://id.test/\"\naudiences = [\"zego\"]\nhs256_secret_env = \"JWT_SECRET\"\n",
    )
    .await;
    let body = r#"{"app_id":42}"#;
    let ok = common::token(&h.state, &service_jwt(json!({})), body).await;
    assert_eq!(ok.status, 200, "{}", ok.text);
    let cases = [
        (json!({"exp": common::NOW - 3600}), "jwt_expired"),
        (json!({"aud": "another-service"}), "jwt_audience"),
        (json!({"iss": "https://other.test/"}), "jwt_issuer"),
        (json!({"sub": null}), "jwt_claim_missing"),
        (json!({"nbf": common::NOW + 3600}), "jwt_not_yet_valid"),
    ];
    for (changes, reason) in cases {
        let r = common::token(&h.state, &service_jwt(changes), body).await;
        common::assert_error(&r, 401, "unauthorized");
        assert_eq!(r.body["error"]["reason"], reason, "{}", r.text);
        assert!(r.headers.contains_key("www-authenticate"));
        assert!(!r.text.contains("alice"), "no claim value: {}", r.text);
    }
    // Signed with another secret.
    let forged = sign(
        Algorithm::HS256,
        &EncodingKey::from_secret(b"not-the-identity-providers-secret-at-all"),
        None,
        &json!({"iss": "https://id.test/", "aud": "zego", "sub": "alice", "exp": common::NOW + 600}),
    );
    let r = common::token(&h.state, &forged, body).await;
    assert_eq!(r.body["error"]["reason"], "jwt_signature", "{}", r.text);
    // API keys: today's body, no reason.
    for key in ["wrong-api-key", "x.y"] {
        let r = common::token(&h.state, key, body).await;
        common::assert_error(&r, 401, "unauthorized");
        assert!(r.body["error"].get("reason").is_none(), "{}", r.text);
    }
    let r = common::send(&h.state, common::post("/v1/token", None, body)).await;
    common::assert_error(&r, 401, "unauthorized");
    assert!(r.body["error"].get("reason").is_none(), "{}", r.text);
}

#[test]
fn the_openapi_error_schema_documents_the_reason() {
    let doc: Value = serde_json::from_str(zego_token_server::testing::openapi_text()).unwrap();
    let detail = &doc["components"]["schemas"]["ErrorDetail"];
    assert!(detail["properties"]["reason"].is_object(), "{detail}");
    let required = detail["required"].as_array().unwrap();
    assert!(!required.iter().any(|r| r == "reason"), "{detail}");
    let text = detail["properties"]["reason"]["description"]
        .as_str()
        .unwrap();
    for reason in [
        "jwt_expired",
        "jwt_audience",
        "jwt_issuer",
        "jwt_signature",
        "jwt_claim_missing",
    ] {
        assert!(text.contains(reason), "{reason}: {text}");
    }
}
