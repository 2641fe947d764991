//! Config parsing, layering and error messages.
#![allow(clippy::unwrap_used, reason = "tests: a panic is a test failure")]

mod common;

use common::*;
use zego_token_server::config::{EXAMPLE_CONFIG, sha256_hex};
use zego_token_server::testing::AppStateExt as _;
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

// ------------------------------------------------------------- environment-only config

/// The variables of a container started with no config file.
fn env_only(extra: &[(&str, &str)]) -> Env {
    let hash = sha256_hex(KEY);
    let mut pairs: Vec<(String, String)> = vec![
        ("ZEGO_TOKEN_APPS__0__APP_ID".into(), "1234567890".into()),
        ("ZEGO_TOKEN_APPS__0__SECRET_ENV".into(), "APP_SECRET".into()),
        ("ZEGO_TOKEN_API_KEYS__0__NAME".into(), "backend".into()),
        ("ZEGO_TOKEN_API_KEYS__0__SHA256".into(), hash),
        ("APP_SECRET".into(), SECRET.into()),
    ];
    pairs.extend(
        extra
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned())),
    );
    Env::from_pairs(pairs)
}

#[tokio::test]
async fn the_environment_alone_creates_list_entries() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("zego");
    std::fs::write(&file, format!("{SECRET2}\n")).unwrap();
    let file = file.display().to_string();
    let env = env_only(&[
        ("ZEGO_TOKEN_APPS__1__APP_ID", "42"),
        ("ZEGO_TOKEN_APPS__1__SECRET_FILE", &file),
        // A name that reads as a number is still a name.
        ("ZEGO_TOKEN_API_KEYS__1__NAME", "2024"),
        ("ZEGO_TOKEN_API_KEYS__1__SHA256", &sha256_hex("second-key")),
        ("ZEGO_TOKEN_API_KEYS__1__APPS__0", "42"),
        ("ZEGO_TOKEN_API_KEYS__1__MAX_TTL_SECONDS", "600"),
        (
            "ZEGO_TOKEN_JWT_ISSUERS__0__ISSUER",
            "https://id.example.com/",
        ),
        ("ZEGO_TOKEN_JWT_ISSUERS__0__AUDIENCES__0", "zego"),
        ("ZEGO_TOKEN_JWT_ISSUERS__0__AUDIENCES__1", "12345"),
        ("ZEGO_TOKEN_JWT_ISSUERS__0__HS256_SECRET_ENV", "JWT_SECRET"),
        ("JWT_SECRET", JWT_SECRET),
        ("ZEGO_TOKEN_LISTEN", "0.0.0.0:8080"),
        ("ZEGO_TOKEN_LOG__FORMAT", "json"),
    ]);
    assert!(env.has_config_keys());
    let c = Config::from_env(&env).unwrap();
    assert_eq!(c.listen.to_string(), "0.0.0.0:8080");
    assert_eq!(
        c.apps.iter().map(|a| a.app_id).collect::<Vec<_>>(),
        [1_234_567_890, 42]
    );
    assert_eq!(c.apps[1].secret_file.as_deref(), Some(file.as_ref()));
    assert_eq!(c.api_keys[1].name, "2024");
    assert_eq!(c.api_keys[1].apps, Some(vec![42]));
    assert_eq!(c.api_keys[1].max_ttl_seconds, Some(600));
    assert_eq!(c.jwt_issuers[0].audiences, ["zego", "12345"]);
    // The result is a complete config: the state builds, secrets read from the file.
    let state = AppState::new(&c, &env).await.unwrap();
    assert!(state.snapshot().app(42).is_some());
}

#[test]
fn indices_are_numbers_so_entry_ten_follows_entry_nine() {
    let names: Vec<(String, String)> = (0..12)
        .flat_map(|i| {
            [
                (format!("ZEGO_TOKEN_API_KEYS__{i}__NAME"), format!("k{i}")),
                (
                    format!("ZEGO_TOKEN_API_KEYS__{i}__SHA256"),
                    sha256_hex(&format!("key-{i}")),
                ),
            ]
        })
        .chain([
            ("ZEGO_TOKEN_APPS__0__APP_ID".into(), "7".into()),
            ("ZEGO_TOKEN_APPS__0__SECRET_ENV".into(), "S".into()),
        ])
        .collect();
    let c = Config::from_env(&Env::from_pairs(names)).unwrap();
    let got: Vec<&str> = c.api_keys.iter().map(|k| k.name.as_str()).collect();
    let want: Vec<String> = (0..12).map(|i| format!("k{i}")).collect();
    assert_eq!(got, want);
}

#[test]
fn an_index_that_skips_entries_names_the_variable() {
    let e = Config::from_env(&env_only(&[("ZEGO_TOKEN_APPS__2__APP_ID", "42")])).unwrap_err();
    assert_eq!(e.key.as_deref(), Some("ZEGO_TOKEN_APPS__2__APP_ID"), "{e}");
    assert!(e.message.contains("dense"), "{e}");
    assert!(e.message.contains("the next one is 1"), "{e}");
    assert!(e.message.contains("apps[2].app_id"), "{e}");
    // A gap in a nested list too.
    let e = Config::from_env(&env_only(&[("ZEGO_TOKEN_API_KEYS__0__APPS__1", "1")])).unwrap_err();
    assert_eq!(
        e.key.as_deref(),
        Some("ZEGO_TOKEN_API_KEYS__0__APPS__1"),
        "{e}"
    );
    // A word where an index belongs.
    let e = Config::from_env(&env_only(&[("ZEGO_TOKEN_APPS__FIRST__APP_ID", "1")])).unwrap_err();
    assert_eq!(
        e.key.as_deref(),
        Some("ZEGO_TOKEN_APPS__FIRST__APP_ID"),
        "{e}"
    );
    assert!(e.message.contains("not an array index"), "{e}");
}

#[test]
fn an_index_overrides_a_field_of_an_entry_from_the_file() {
    let env = Env::from_pairs([
        ("APP_SECRET", SECRET),
        ("ZEGO_TOKEN_API_KEYS__0__MAX_TTL_SECONDS", "900"),
        ("ZEGO_TOKEN_APPS__0__APP_ID", "77"),
        ("ZEGO_TOKEN_APPS__1__APP_ID", "78"),
        ("ZEGO_TOKEN_APPS__1__SECRET_ENV", "APP_SECRET"),
    ]);
    let c = Config::from_toml(&minimal(), &env).unwrap();
    assert_eq!(c.apps.len(), 2);
    assert_eq!(c.apps[0].app_id, 77, "field of the file's entry overridden");
    assert_eq!(
        c.apps[0].secret_env.as_deref(),
        Some("APP_SECRET"),
        "others kept"
    );
    assert_eq!(c.apps[1].app_id, 78, "a new entry after the file's");
    assert_eq!(c.api_keys[0].name, "k");
    assert_eq!(c.api_keys[0].max_ttl_seconds, Some(900));
}

#[test]
fn an_unknown_key_in_a_created_entry_is_refused_naming_the_variable() {
    let e = Config::from_env(&env_only(&[(
        "ZEGO_TOKEN_APPS__0__SECRETFILE",
        "/run/secrets/zego",
    )]))
    .unwrap_err();
    assert!(e.message.contains("unknown field `secretfile`"), "{e}");
    assert!(e.message.contains("ZEGO_TOKEN_APPS__0__SECRETFILE"), "{e}");
    // Wrong types stay errors (no string retry for a key that wants a number).
    let e = Config::from_env(&env_only(&[("ZEGO_TOKEN_APPS__0__APP_ID", "abc")])).unwrap_err();
    assert_eq!(e.key.as_deref(), Some("apps[0].app_id"), "{e}");
    assert!(e.message.contains("ZEGO_TOKEN_APPS__0__APP_ID"), "{e}");
    // An incomplete env-only config names what is missing.
    let e = Config::from_env(&Env::from_pairs([("ZEGO_TOKEN_LISTEN", "0.0.0.0:1")])).unwrap_err();
    assert_eq!(e.key.as_deref(), Some("apps"), "{e}");
    // Flags are not config keys.
    assert!(
        !Env::from_pairs([("ZEGO_TOKEN_API_KEY", "x"), ("ZEGO_TOKEN_CONFIG", "/f")])
            .has_config_keys()
    );
}

// -------------------------------------------------------------------------- log.level

#[test]
fn log_level_typos_are_refused_naming_the_accepted_values() {
    for bad in [
        "inf",
        "debugg",
        "info,debugg",
        "zego_token_server=debugg",
        "",
        " , ",
    ] {
        let e = err(&format!("{}[log]\nlevel = {bad:?}\n", minimal()), &env());
        assert_eq!(e.key.as_deref(), Some("log.level"), "{bad:?}: {e}");
        assert!(
            e.message.contains("error, warn, info, debug, trace"),
            "{bad:?}: {e}"
        );
    }
    for good in [
        "info",
        "WARN",
        "off",
        "info,zego_token_server=debug",
        "warn,tower_http=trace",
    ] {
        let c = Config::from_toml(&format!("{}[log]\nlevel = {good:?}\n", minimal()), &env())
            .unwrap_or_else(|e| panic!("{good:?}: {e}"));
        assert_eq!(c.log.level, good);
    }
    // From the environment too.
    let e = err(
        &minimal(),
        &Env::from_pairs([("APP_SECRET", SECRET), ("ZEGO_TOKEN_LOG__LEVEL", "inf")]),
    );
    assert_eq!(e.key.as_deref(), Some("log.level"), "{e}");
}

// ---------------------------------------------------------------------- --check-config

#[test]
fn a_pasted_sha256sum_line_is_accepted() {
    let line = format!("{}  -", sha256_hex(KEY));
    let c = Config::from_toml(&minimal().replace(&sha256_hex(KEY), &line), &env()).unwrap();
    assert_eq!(c.api_keys[0].sha256, line);
    // The hash of a file is refused with the reason (it covers the file's newline).
    let file_line = format!("{}  key.txt", sha256_hex(KEY));
    let e = err(&minimal().replace(&sha256_hex(KEY), &file_line), &env());
    assert_eq!(e.key.as_deref(), Some("api_keys[0].sha256"), "{e}");
    assert!(e.message.contains("sha256sum FILE"), "{e}");
    assert!(e.message.contains("printf %s"), "{e}");
}

#[tokio::test]
async fn a_pasted_sha256sum_line_authenticates_its_key() {
    let text = config_text("").replace(&sha256_hex(KEY), &format!("{}  -", sha256_hex(KEY)));
    let config = Config::from_toml(&text, &env()).unwrap();
    let state = AppState::new(&config, &env()).await.unwrap();
    let r = token(&state, KEY, r#"{"user_id":"u1","app_id":42}"#).await;
    assert_eq!(r.status, 200, "{}", r.text);
}

#[tokio::test]
async fn the_untouched_example_is_refused_with_how_to_make_a_key() {
    let c = Config::from_toml(EXAMPLE_CONFIG, &Env::default()).unwrap();
    let env = Env::from_pairs([("ZEGO_SERVER_SECRET", SECRET)]);
    let e = AppState::new(&c, &env).await.unwrap_err();
    assert_eq!(e.key.as_deref(), Some("api_keys[0].sha256"), "{e}");
    assert!(e.message.contains("placeholder"), "{e}");
    assert!(e.message.contains("openssl rand"), "{e}");
    assert!(e.message.contains("sha256sum"), "{e}");
}

fn issuer(source: &str) -> String {
    format!(
        "{}[[jwt_issuers]]\nissuer = \"https://id.example.com/\"\naudiences = [\"zego\"]\n{source}\n",
        minimal()
    )
}

#[test]
fn a_plain_http_jwks_url_is_refused_except_on_loopback() {
    for bad in [
        "http://id.example.com/jwks.json",
        "http://10.0.0.1/jwks.json",
        "ftp://id.example.com/jwks.json",
        "not a url",
    ] {
        let e = err(&issuer(&format!("jwks_url = {bad:?}")), &env());
        assert_eq!(
            e.key.as_deref(),
            Some("jwt_issuers[0].jwks_url"),
            "{bad}: {e}"
        );
        assert!(!e.message.contains("id.example.com"), "{e}");
    }
    let e = err(
        &issuer("jwks_url = \"http://id.example.com/jwks.json\""),
        &env(),
    );
    assert!(e.message.contains("https"), "{e}");
    for good in [
        "https://id.example.com/jwks.json",
        "http://127.0.0.1:9/jwks.json",
        "http://localhost:9/jwks.json",
        "http://[::1]:9/jwks.json",
    ] {
        Config::from_toml(&issuer(&format!("jwks_url = {good:?}")), &env())
            .unwrap_or_else(|e| panic!("{good}: {e}"));
    }
}

#[tokio::test]
async fn a_short_hs256_secret_is_reported_under_the_key_it_came_from() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("jwt");
    std::fs::write(&file, "short\n").unwrap();
    let from_file = issuer(&format!(
        "hs256_secret_file = {:?}",
        file.display().to_string()
    ));
    let c = Config::from_toml(&from_file, &env()).unwrap();
    let e = AppState::new(&c, &env()).await.unwrap_err();
    assert_eq!(
        e.key.as_deref(),
        Some("jwt_issuers[0].hs256_secret_file"),
        "{e}"
    );
    assert!(e.message.contains("32 bytes"), "{e}");
    let from_env = issuer("hs256_secret_env = \"SHORT\"");
    let c = Config::from_toml(&from_env, &env()).unwrap();
    let short = Env::from_pairs([("APP_SECRET", SECRET), ("SHORT", "short")]);
    let e = AppState::new(&c, &short).await.unwrap_err();
    assert_eq!(
        e.key.as_deref(),
        Some("jwt_issuers[0].hs256_secret_env"),
        "{e}"
    );
}

// ------------------------------------------------------------------------ secret files

#[tokio::test]
async fn secret_files_lose_one_line_break_and_refuse_more() {
    use zego_token_server::config::read_secret_file;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("zego");
    let text = minimal().replace(
        "secret_env = \"APP_SECRET\"",
        &format!("secret_file = {:?}", file.display().to_string()),
    );
    let c = Config::from_toml(&text, &Env::default()).unwrap();
    for ok in [
        SECRET.to_owned(),
        format!("{SECRET}\n"),
        format!("{SECRET}\r\n"),
    ] {
        std::fs::write(&file, &ok).unwrap();
        assert_eq!(
            &read_secret_file(&file).unwrap()[..],
            SECRET.as_bytes(),
            "{ok:?}"
        );
        AppState::new(&c, &Env::default())
            .await
            .unwrap_or_else(|e| panic!("{ok:?}: {e}"));
    }
    for bad in [
        format!("{SECRET}\n\n"),
        format!("{SECRET}\r\n\r\n"),
        format!("{SECRET} \n"),
        format!("{SECRET}\t"),
    ] {
        std::fs::write(&file, &bad).unwrap();
        let e = read_secret_file(&file).unwrap_err();
        assert!(
            e.to_string()
                .contains("whitespace besides one trailing newline"),
            "{e}"
        );
        let e = AppState::new(&c, &Env::default()).await.unwrap_err();
        assert_eq!(
            e.key.as_deref(),
            Some("apps[0].secret_file"),
            "{bad:?}: {e}"
        );
        assert!(e.message.contains("whitespace"), "{e}");
        assert!(!e.to_string().contains(&SECRET[..8]), "{e}");
    }
}

#[tokio::test]
async fn dev_reads_the_secret_file_variable() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("zego");
    std::fs::write(&file, format!("{SECRET2}\n")).unwrap();
    let path = file.display().to_string();
    let env = Env::from_pairs([("ZEGO_APP_ID", "42"), ("ZEGO_SERVER_SECRET_FILE", &path)]);
    let c = Config::dev(None, &env).unwrap();
    assert_eq!(c.apps[0].app_id, 42);
    assert_eq!(c.apps[0].secret_file.as_deref(), Some(file.as_path()));
    let mut c = c;
    c.add_api_key("dev", KEY);
    let state = AppState::new(&c, &env).await.unwrap();
    let r = token(&state, KEY, r#"{"user_id":"u1"}"#).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let both = Env::from_pairs([
        ("ZEGO_APP_ID", "42"),
        ("ZEGO_SERVER_SECRET_FILE", path.as_str()),
        ("ZEGO_SERVER_SECRET", SECRET2),
    ]);
    let e = Config::dev(None, &both).unwrap_err();
    assert!(e.message.contains("both"), "{e}");
    let e = Config::dev(
        None,
        &Env::from_pairs([("ZEGO_SERVER_SECRET_FILE", path.as_str())]),
    )
    .unwrap_err();
    assert!(e.message.contains("ZEGO_APP_ID"), "{e}");
}
