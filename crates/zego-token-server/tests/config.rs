//! Config parsing, layering and error messages.
#![allow(clippy::unwrap_used, reason = "tests: a panic is a test failure")]

mod common;

use common::*;
use zego_token_server::config::{EXAMPLE_CONFIG, sha256_hex};
use zego_token_server::{AppState, Config, ConfigError, Env};

fn err(text: &str, env: &Env) -> ConfigError {
    Config::from_toml(text, env).unwrap_err()
}

fn minimal() -> String {
    format!(
        "[[apps]]\napp_id = 1234567890\nsecret_env = \"APP_SECRET\"\n[[api_keys]]\nname = \"k\"\nsha256 = \"{}\"\n",
        sha256_hex(KEY)
    )
}

#[test]
fn the_example_config_parses() {
    let c = Config::from_toml(EXAMPLE_CONFIG, &Env::default()).unwrap();
    assert_eq!(c.listen.to_string(), "127.0.0.1:8080");
    assert_eq!(c.apps[0].app_id, 1_234_567_890);
    assert_eq!(c.token.default_ttl_seconds, 3600);
    assert_eq!(c.limits.body_limit_bytes, 65536);
    assert!(!c.console.enabled);
}

#[test]
fn every_example_key_is_a_real_key() {
    // Uncomment every `# key = value` line of the example: it must still parse, so the
    // example documents no key that does not exist.
    let mut out = String::new();
    let mut in_jwt = false;
    for line in EXAMPLE_CONFIG.lines() {
        if line.starts_with("# [[jwt_issuers]]") {
            in_jwt = true;
            out.push_str("[[jwt_issuers]]\n");
            continue;
        }
        if line.starts_with('[') {
            in_jwt = false;
        }
        let uncommented = line.strip_prefix("# ").filter(|l| {
            l.split_once(" = ").is_some_and(|(k, _)| {
                !k.contains(' ')
                    && k.chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
            })
        });
        match uncommented {
            // One key source per issuer, one secret source per app.
            Some(l) if in_jwt && (l.starts_with("hs256_secret_file") || l.starts_with("jwks")) => {}
            Some(l) if l.starts_with("secret_file") => {}
            Some(l) if l.starts_with("cert_file") || l.starts_with("key_file") => {}
            Some(l) => {
                out.push_str(l);
                out.push('\n');
            }
            None => {
                out.push_str(line);
                out.push('\n');
            }
        }
    }
    let c = Config::from_toml(&out, &Env::default()).unwrap_or_else(|e| panic!("{e}\n{out}"));
    assert_eq!(c.jwt_issuers.len(), 1);
    assert_eq!(c.metrics.listen.unwrap().to_string(), "127.0.0.1:9090");
}

#[test]
fn unknown_keys_name_the_key() {
    let e = err(&format!("{}\n[token]\nmax_ttl = 5\n", minimal()), &env());
    assert_eq!(e.key.as_deref(), Some("token.max_ttl"), "{e}");
    assert!(e.message.contains("unknown field `max_ttl`"), "{e}");
    let e = err(&format!("lisen = \"x\"\n{}", minimal()), &env());
    assert!(e.to_string().contains("unknown field `lisen`"), "{e}");
    let e = err(
        &minimal().replace("name = \"k\"", "name = \"k\"\nroom = [\"a\"]"),
        &env(),
    );
    assert_eq!(e.key.as_deref(), Some("api_keys[0].room"), "{e}");
    assert!(e.message.contains("`room`"), "{e}");
}

#[test]
fn environment_overrides_the_file() {
    let env = Env::from_pairs([
        ("APP_SECRET", SECRET),
        ("ZEGO_TOKEN_LISTEN", "0.0.0.0:9000"),
        ("ZEGO_TOKEN_TOKEN__MAX_TTL_SECONDS", "7200"),
        ("ZEGO_TOKEN_APPS__0__SECRET_ENV", "OTHER"),
        ("ZEGO_TOKEN_API_KEYS__0__ROOMS", "[\"room-*\"]"),
        (
            "ZEGO_TOKEN_CORS__ALLOWED_ORIGINS",
            "[\"https://app.example.com\"]",
        ),
        ("ZEGO_TOKEN_API_KEY", "reserved for --dev, not a config key"),
    ]);
    let c = Config::from_toml(&format!("listen = \"127.0.0.1:1\"\n{}\n[token]\nmax_ttl_seconds = 60\ndefault_ttl_seconds = 60\n", minimal()), &env).unwrap();
    assert_eq!(c.listen.to_string(), "0.0.0.0:9000");
    assert_eq!(c.token.max_ttl_seconds, 7200);
    assert_eq!(c.apps[0].secret_env.as_deref(), Some("OTHER"));
    assert_eq!(c.api_keys[0].rooms, vec!["room-*".to_owned()]);
    assert_eq!(
        c.cors.allowed_origins,
        vec!["https://app.example.com".to_owned()]
    );
}

#[test]
fn environment_typos_are_errors_naming_the_variable() {
    let env = Env::from_pairs([("APP_SECRET", SECRET), ("ZEGO_TOKEN_TOKEN__MAX_TTL", "5")]);
    let e = err(&minimal(), &env);
    assert_eq!(e.key.as_deref(), Some("token.max_ttl"), "{e}");
    assert!(e.message.contains("ZEGO_TOKEN_TOKEN__MAX_TTL"), "{e}");
    let env = Env::from_pairs([("ZEGO_TOKEN_APPS__5__APP_ID", "5")]);
    let e = err(&minimal(), &env);
    assert_eq!(e.key.as_deref(), Some("ZEGO_TOKEN_APPS__5__APP_ID"), "{e}");
}

#[test]
fn inline_secrets_are_refused_with_the_fix() {
    let e = err(
        &minimal().replace(
            "secret_env = \"APP_SECRET\"",
            "secret = \"fa94dd0f974cf2e293728a526b028271\"",
        ),
        &env(),
    );
    assert_eq!(e.key.as_deref(), Some("apps[0].secret"));
    assert!(e.message.contains("secret_env"), "{e}");
    assert!(
        !e.to_string().contains("fa94dd0f"),
        "the error never echoes the secret"
    );
    let e = err(
        &minimal().replace("sha256 =", "key = \"plain\"\nsha256 ="),
        &env(),
    );
    assert_eq!(e.key.as_deref(), Some("api_keys[0].key"));
}

#[test]
fn semantic_errors_say_how_to_fix() {
    let cases: [(String, &str, &str); 10] = [
        ("".into(), "apps", "[[apps]]"),
        (
            minimal().replace("app_id = 1234567890", "app_id = 0"),
            "apps[0].app_id",
            "AppID",
        ),
        (
            minimal().replace("secret_env = \"APP_SECRET\"", ""),
            "apps[0].secret_env",
            "secret_file",
        ),
        (
            minimal().replace(
                "secret_env = \"APP_SECRET\"",
                "secret_env = \"A\"\nsecret_file = \"/x\"",
            ),
            "apps[0].secret_file",
            "keep one",
        ),
        (
            minimal().replace(&sha256_hex(KEY), "abc"),
            "api_keys[0].sha256",
            "sha256sum",
        ),
        (
            format!("{}apps = [7]\n", minimal()),
            "api_keys[0].apps",
            "app 7 is not configured",
        ),
        (
            format!("{}[token]\nrenew_before_seconds = 10\n", minimal()),
            "token.renew_before_seconds",
            "30",
        ),
        (
            format!("{}[token]\ndefault_ttl_seconds = 100000\n", minimal()),
            "token.default_ttl_seconds",
            "max_ttl_seconds",
        ),
        (
            format!(
                "{}[cors]\nallowed_origins = [\"app.example.com/\"]\n",
                minimal()
            ),
            "cors.allowed_origins[0]",
            "scheme://host",
        ),
        (
            format!("{}[tls]\ncert_file = \"/c.pem\"\n", minimal()),
            "tls.key_file",
            "both",
        ),
    ];
    for (text, key, hint) in cases {
        let e = err(&text, &env());
        assert_eq!(e.key.as_deref(), Some(key), "{e}");
        assert!(e.message.contains(hint), "{e} lacks {hint:?}");
    }
    let e = err(
        &minimal().replace(
            "[[api_keys]]\nname = \"k\"",
            "[[api_keys]]\nname = \"k\"\n[[api_keys]]\nname = \"k\"",
        ),
        &env(),
    );
    assert!(e.key.is_some(), "{e}");
    let e = err("this is = not toml", &env());
    assert!(e.message.contains("TOML"), "{e}");
}

#[tokio::test]
async fn secrets_are_checked_when_the_state_is_built() {
    let c = Config::from_toml(&minimal(), &env()).unwrap();
    let e = AppState::new(&c, &Env::default()).await.unwrap_err();
    assert_eq!(e.key.as_deref(), Some("apps[0].secret_env"));
    assert!(e.message.contains("APP_SECRET is not set"), "{e}");
    let short = Env::from_pairs([("APP_SECRET", "too-short")]);
    let e = AppState::new(&c, &short).await.unwrap_err();
    assert!(e.message.contains("9 bytes"), "{e}");
    assert!(
        !e.to_string().contains("too-short"),
        "never echoes the secret: {e}"
    );
    // A secret file with a trailing newline works.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("zego");
    std::fs::write(&file, format!("{SECRET}\n")).unwrap();
    let text = minimal().replace(
        "secret_env = \"APP_SECRET\"",
        &format!("secret_file = {:?}", file.display().to_string()),
    );
    let c = Config::from_toml(&text, &Env::default()).unwrap();
    AppState::new(&c, &Env::default()).await.unwrap();
    let missing = text.replace("zego\"", "nope\"");
    let c = Config::from_toml(&missing, &Env::default()).unwrap();
    let e = AppState::new(&c, &Env::default()).await.unwrap_err();
    assert_eq!(e.key.as_deref(), Some("apps[0].secret_file"), "{e}");
}

#[test]
fn load_names_the_file() {
    let e = Config::load("/nonexistent/zego.toml".as_ref(), &env()).unwrap_err();
    assert!(e.to_string().contains("/nonexistent/zego.toml"), "{e}");
    assert!(e.to_string().contains("--print-example-config"), "{e}");
}

#[test]
fn dev_config_uses_env_or_the_demo_app() {
    let c = Config::dev(None, &Env::default()).unwrap();
    assert_eq!(c.apps[0].app_id, zego_token::demo::APP_ID);
    assert!(c.console.enabled);
    assert!(c.listen.ip().is_loopback());
    let env = Env::from_pairs([("ZEGO_APP_ID", "42"), ("ZEGO_SERVER_SECRET", SECRET2)]);
    let c = Config::dev(None, &env).unwrap();
    assert_eq!(c.apps[0].app_id, 42);
    let e = Config::dev(None, &Env::from_pairs([("ZEGO_APP_ID", "42")])).unwrap_err();
    assert!(e.message.contains("both"), "{e}");
}

#[test]
fn debug_output_hides_env_values() {
    let env = Env::from_pairs([("APP_SECRET", SECRET)]);
    let dbg = format!("{env:?}");
    assert!(dbg.contains("APP_SECRET"));
    assert!(!dbg.contains(SECRET));
}
