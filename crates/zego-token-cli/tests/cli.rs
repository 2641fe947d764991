//! Drives the real `zego-token` binary: the official vectors, generate -> inspect/verify
//! round trips, every failure path, and insta snapshots of the human output (made
//! deterministic with the hidden `--now`, `--nonce` and `--iv-hex` flags).

// Test code: a failed unwrap is a failed test, which is what we want.
#![allow(clippy::unwrap_used)]

mod common;

use std::io::Write as _;
use std::path::Path;
use std::process::{Command as StdCommand, Stdio};

use assert_cmd::Command;
use common::cmd;
use predicates::prelude::*;
use serde::Deserialize;
use serde_json::{Value, json};

const DEMO_SECRET: &str = "fa94dd0f974cf2e293728a526b028271";
const OTHER_SECRET: &str = "12345678900987654321123456789012";
const NOW: &str = "1700000000";
const GCM_IV: &str = "000102030405060708090a0b";
const CBC_IV: &str = "000102030405060708090a0b0c0d0e0f";

/// The binary with the demo secret in the environment.
fn with_secret(secret: &str) -> Command {
    let mut c = cmd();
    c.env("ZEGO_SERVER_SECRET", secret);
    c
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run(c: &mut Command) -> Run {
    let out = c.output().unwrap();
    Run {
        code: out.status.code().unwrap(),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
    }
}

/// Runs and parses stdout as one JSON object.
fn run_json(c: &mut Command) -> (i32, Value) {
    let r = run(c);
    let v: Value = serde_json::from_str(&r.stdout)
        .unwrap_or_else(|e| panic!("stdout is not JSON ({e}): {}\n{}", r.stdout, r.stderr));
    assert_eq!(r.stdout.lines().count(), 1, "one object on one line");
    (r.code, v)
}

/// `generate --demo` for `user_id` at [`NOW`], with a fixed nonce and IV.
fn demo_generate(user_id: &str, nonce: &str, iv_hex: &str) -> Command {
    let mut c = cmd();
    c.args(["generate", "--demo", "--user-id", user_id, "--now", NOW])
        .args(["--nonce", nonce, "--iv-hex", iv_hex]);
    c
}

/// A deterministic demo token.
fn demo_token(extra: &[&str]) -> String {
    let r = run(demo_generate("alice", "12345", GCM_IV).args(extra));
    assert_eq!(r.code, 0, "{}", r.stderr);
    r.stdout.trim().to_owned()
}

/// A random-IV token made with `secret` for app 42.
fn token_for(secret: &str, extra: &[&str]) -> String {
    let r = run(with_secret(secret)
        .args(["generate", "--app-id", "42", "--user-id", "bob"])
        .args(extra));
    assert_eq!(r.code, 0, "{}", r.stderr);
    r.stdout.trim().to_owned()
}

// ---------------------------------------------------------------- official vectors

#[derive(Debug, Deserialize)]
struct Vector {
    source: String,
    mode: String,
    case: String,
    app_id: u32,
    user_id: String,
    secret: String,
    ctime: i64,
    expire: i64,
    nonce: i64,
    payload: String,
    token: String,
}

fn vectors() -> Vec<Vector> {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../zego-token/tests/vectors/token04.json");
    let text = std::fs::read_to_string(&path).unwrap();
    let v: Vec<Vector> = serde_json::from_str(&text).unwrap();
    assert_eq!(v.len(), 71, "the vector file holds 71 tokens");
    v
}

/// Runs `check` over every vector and reports every failing one by name.
fn for_each_vector(check: impl Fn(&Vector) -> Result<(), String>) {
    let failures: Vec<String> = vectors()
        .iter()
        .filter_map(|v| {
            check(v)
                .err()
                .map(|e| format!("{}/{}: {e}", v.source, v.case))
        })
        .collect();
    assert!(
        failures.is_empty(),
        "{} failing:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn every_vector_inspects_with_its_secret() {
    for_each_vector(|v| {
        let ctime = v.ctime.to_string();
        let (code, j) =
            run_json(with_secret(&v.secret).args(["inspect", "--json", "--now", &ctime, &v.token]));
        if code != 0 {
            return Err(format!("exit {code}: {j}"));
        }
        let want = json!({
            "app_id": v.app_id, "user_id": v.user_id, "nonce": v.nonce,
            "ctime": v.ctime, "expire": v.expire, "payload": v.payload,
        });
        if j["claims"] != want {
            return Err(format!("claims {} != {want}", j["claims"]));
        }
        if j["mode"] != json!(v.mode) || j["expire"] != json!(v.expire) {
            return Err(format!("header {} {}", j["mode"], j["expire"]));
        }
        if j["decrypted"] != json!(true) || j["type"] != json!("inspect") {
            return Err(format!("{j}"));
        }
        // A 64-byte user id is one no SDK accepts: the tool must say so, with the code.
        let refused = j["warnings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|w| w["code"] == "user_id_length" && w["sdk_code"] == 1_002_006);
        if refused != (v.user_id.len() >= 64) {
            return Err(format!("user_id_length warning is {refused}"));
        }
        Ok(())
    });
}

#[test]
fn every_vector_shows_its_header_without_a_secret() {
    for_each_vector(|v| {
        let (code, j) = run_json(cmd().args(["inspect", "--json", &v.token]));
        if code != 0 {
            return Err(format!("exit {code}: {j}"));
        }
        let iv_len = if v.mode == "gcm" { 12 } else { 16 };
        if j["mode"] != json!(v.mode)
            || j["expire"] != json!(v.expire)
            || j["iv_len"] != json!(iv_len)
            || j["decrypted"] != json!(false)
            || j.get("claims").is_some()
        {
            return Err(format!("{j}"));
        }
        Ok(())
    });
}

/// The room of a privilege payload, if it is one.
fn room_of(payload: &str) -> Option<String> {
    let v: Value = serde_json::from_str(payload).ok()?;
    v.get("room_id")?.as_str().map(str::to_owned)
}

#[test]
fn every_vector_verifies_and_expires() {
    for_each_vector(|v| {
        let ctime = v.ctime.to_string();
        let app = v.app_id.to_string();
        let mut c = with_secret(&v.secret);
        c.args([
            "verify",
            &v.token,
            "--app-id",
            &app,
            "--user-id",
            &v.user_id,
        ])
        .args(["--now", &ctime]);
        if let Some(room) = room_of(&v.payload) {
            c.args(["--room", &room]);
        }
        let r = run(&mut c);
        if r.code != 0 || !r.stdout.starts_with("valid: ") {
            return Err(format!("exit {}: {}{}", r.code, r.stdout, r.stderr));
        }
        // At the expiry second the token is refused (without leeway), with the SDK's code.
        let expire = v.expire.to_string();
        let (code, j) = run_json(with_secret(&v.secret).args([
            "verify", "--json", &v.token, "--app-id", &app, "--now", &expire, "--leeway", "0",
        ]));
        if code != 1 || j["error"]["kind"] != "expired" || j["error"]["zego_code"] != 1_002_078 {
            return Err(format!("at expiry: exit {code}: {j}"));
        }
        // The default leeway is 5 s: valid 4 s past expiry, expired at 5 s.
        for (late, want) in [(4, 0), (5, 1)] {
            let at = (v.expire + late).to_string();
            let (code, _) = run_json(
                with_secret(&v.secret)
                    .args(["verify", "--json", &v.token, "--app-id", &app, "--now", &at]),
            );
            if code != want {
                return Err(format!(
                    "{late} s after expiry with the default leeway: exit {code}"
                ));
            }
        }
        // Another secret cannot decrypt it.
        let (code, j) = run_json(
            with_secret(if v.secret == DEMO_SECRET {
                OTHER_SECRET
            } else {
                DEMO_SECRET
            })
            .args([
                "verify", "--json", &v.token, "--app-id", &app, "--now", &ctime,
            ]),
        );
        if code != 1 || j["error"]["kind"] != "decrypt" || j["error"]["zego_code"] != 1_002_033 {
            return Err(format!("wrong secret: exit {code}: {j}"));
        }
        Ok(())
    });
}

// ---------------------------------------------------------------- round trips

#[test]
fn generate_json_round_trips_in_both_modes() {
    for mode in ["gcm", "cbc"] {
        let (code, g) = run_json(with_secret(OTHER_SECRET).args([
            "generate",
            "--app-id",
            "42",
            "--user-id",
            "bob",
            "--mode",
            mode,
            "--ttl",
            "30m",
            "--json",
        ]));
        assert_eq!(code, 0);
        for key in [
            "token", "app_id", "user_id", "ctime", "expire", "mode", "payload",
        ] {
            assert!(g.get(key).is_some(), "{key} missing from {g}");
        }
        assert_eq!(g["type"], "generate");
        assert_eq!(g["mode"], mode);
        assert_eq!(g["payload"], "");
        assert_eq!(
            g["expire"].as_i64().unwrap() - g["ctime"].as_i64().unwrap(),
            1800
        );
        let token = g["token"].as_str().unwrap();

        let (code, i) = run_json(with_secret(OTHER_SECRET).args(["inspect", "--json", token]));
        assert_eq!(code, 0, "{i}");
        assert_eq!(i["mode"], mode);
        assert_eq!(
            i["claims"],
            json!({"app_id": 42, "user_id": "bob", "nonce": g["nonce"], "ctime": g["ctime"],
                   "expire": g["expire"], "payload": ""})
        );
        let legacy = i["warnings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|w| w["code"] == "legacy_cbc");
        assert_eq!(legacy, mode == "cbc");

        with_secret(OTHER_SECRET)
            .args(["verify", token, "--app-id", "42", "--user-id", "bob"])
            .assert()
            .code(0)
            .stdout(predicate::str::starts_with("valid: app_id 42"));
    }
}

#[test]
fn ttl_accepts_units() {
    for (ttl, secs) in [
        ("3600", 3600),
        ("1h", 3600),
        ("30m", 1800),
        ("1h30m", 5400),
        ("2d", 172_800),
    ] {
        let (code, g) = run_json(with_secret(OTHER_SECRET).args([
            "generate",
            "--app-id",
            "7",
            "--user-id",
            "u",
            "--json",
            "--ttl",
            ttl,
        ]));
        assert_eq!(code, 0);
        assert_eq!(
            g["expire"].as_i64().unwrap() - g["ctime"].as_i64().unwrap(),
            secs,
            "{ttl}"
        );
    }
}

#[test]
fn privilege_tokens_round_trip() {
    for mode in ["gcm", "cbc"] {
        let token = token_for(
            OTHER_SECRET,
            &[
                "--mode",
                mode,
                "--room",
                "r1",
                "--publish",
                "--stream",
                "s1",
                "--stream",
                "s-2",
            ],
        );
        let (code, i) = run_json(with_secret(OTHER_SECRET).args(["inspect", "--json", &token]));
        assert_eq!(code, 0);
        assert_eq!(
            i["claims"]["payload"],
            r#"{"room_id":"r1","privilege":{"1":1,"2":1},"stream_id_list":["s1","s-2"]}"#
        );
        assert_eq!(i["privileges"]["room_id"], "r1");
        assert_eq!(i["privileges"]["publish"], true);
        let ok = |extra: &[&str]| {
            with_secret(OTHER_SECRET)
                .args(["verify", &token, "--app-id", "42"])
                .args(extra)
                .assert()
                .code(0);
        };
        ok(&["--room", "r1"]);
        ok(&["--room", "r1", "--stream", "s-2"]);
        ok(&["--publish"]);
        let rejected = |extra: &[&str], kind: &str, code: u32| {
            let (exit, j) = run_json(
                with_secret(OTHER_SECRET)
                    .args(["verify", "--json", &token, "--app-id", "42"])
                    .args(extra),
            );
            assert_eq!(exit, 1, "{j}");
            assert_eq!(j["valid"], false);
            assert_eq!(j["error"]["kind"], kind, "{j}");
            assert_eq!(j["error"]["zego_code"], code, "{j}");
        };
        rejected(&["--room", "r2"], "room_mismatch", 1_002_033);
        rejected(&["--stream", "s3"], "stream_not_allowed", 1_003_072);
    }
}

#[test]
fn privilege_defaults_and_denials() {
    let (_, g) = run_json(with_secret(OTHER_SECRET).args([
        "generate",
        "--app-id",
        "42",
        "--user-id",
        "bob",
        "--room",
        "r1",
        "--json",
    ]));
    assert_eq!(
        g["payload"],
        r#"{"room_id":"r1","privilege":{"1":1,"2":0},"stream_id_list":null}"#
    );
    assert_eq!(g["privileges"]["login"], true);
    let token = g["token"].as_str().unwrap();
    let (code, j) = run_json(with_secret(OTHER_SECRET).args([
        "verify",
        "--json",
        token,
        "--app-id",
        "42",
        "--publish",
    ]));
    assert_eq!(
        (code, &j["error"]["kind"]),
        (1, &json!("privilege_missing"))
    );
    assert_eq!(j["error"]["zego_code"], 1_003_072);

    let token = token_for(OTHER_SECRET, &["--room", "r1", "--no-login"]);
    let (code, j) = run_json(
        with_secret(OTHER_SECRET)
            .args(["verify", "--json", &token, "--app-id", "42", "--room", "r1"]),
    );
    assert_eq!(
        (code, &j["error"]["kind"]),
        (1, &json!("privilege_missing"))
    );
    assert_eq!(j["error"]["zego_code"], 1_002_033);

    // A basic token pins no room.
    let token = token_for(OTHER_SECRET, &[]);
    let (code, j) = run_json(
        with_secret(OTHER_SECRET)
            .args(["verify", "--json", &token, "--app-id", "42", "--room", "r1"]),
    );
    assert_eq!((code, &j["error"]["kind"]), (1, &json!("room_mismatch")));
}

#[test]
fn raw_payload_is_passed_through_and_flagged() {
    let token = token_for(OTHER_SECRET, &["--payload", "hello"]);
    let (code, i) = run_json(with_secret(OTHER_SECRET).args(["inspect", "--json", &token]));
    assert_eq!(code, 0);
    assert_eq!(i["claims"]["payload"], "hello");
    assert!(
        i["warnings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|w| w["code"] == "payload_not_room")
    );
    let (code, j) = run_json(
        with_secret(OTHER_SECRET)
            .args(["verify", "--json", &token, "--app-id", "42", "--room", "r"]),
    );
    assert_eq!((code, &j["error"]["kind"]), (1, &json!("invalid_payload")));
    assert_eq!(j["error"]["zego_code"], 1_002_075);
}

#[test]
fn kit_tokens_round_trip() {
    let (code, k) = run_json(with_secret(OTHER_SECRET).args([
        "kit-token",
        "--app-id",
        "42",
        "--user-id",
        "bob",
        "--room",
        "r1",
        "--user-name",
        "Zoë D",
        "--json",
    ]));
    assert_eq!(code, 0);
    let kit = k["kit_token"].as_str().unwrap();
    let (token04, _) = kit.split_once('#').unwrap();
    assert_eq!(token04, k["token"]);

    let (code, i) = run_json(with_secret(OTHER_SECRET).args(["inspect", "--json", kit]));
    assert_eq!(code, 0, "{i}");
    assert_eq!(i["kind"], "kit");
    assert_eq!(
        i["kit"],
        json!({"userID": "bob", "roomID": "r1", "userName": "Zoë D", "appID": 42})
    );
    assert_eq!(i["claims"]["user_id"], "bob");
    assert_eq!(i["claims"]["payload"], "");

    with_secret(OTHER_SECRET)
        .args(["verify", kit, "--app-id", "42"])
        .assert()
        .code(0);
    let (code, j) = run_json(with_secret(OTHER_SECRET).args([
        "verify",
        "--json",
        kit,
        "--app-id",
        "42",
        "--user-id",
        "eve",
    ]));
    assert_eq!((code, &j["error"]["zego_code"]), (1, &json!(1_002_077)));

    // A kit info whose appID differs from the token's is refused as the kit's SDK would.
    let other_app = run(with_secret(OTHER_SECRET).args([
        "kit-token",
        "--app-id",
        "43",
        "--user-id",
        "bob",
        "--room",
        "r1",
    ]))
    .stdout;
    let (_, info43) = other_app.trim().split_once('#').unwrap();
    let spliced = format!("{token04}#{info43}");
    let (code, j) =
        run_json(with_secret(OTHER_SECRET).args(["verify", "--json", &spliced, "--app-id", "42"]));
    assert_eq!(
        (code, &j["error"]["kind"]),
        (1, &json!("app_id_mismatch")),
        "{j}"
    );
    let (code, i) = run_json(with_secret(OTHER_SECRET).args(["inspect", "--json", &spliced]));
    assert_eq!(code, 0);
    assert!(
        i["warnings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|w| w["code"] == "kit_app_id_mismatch"),
        "{i}"
    );

    // --pin-room makes the token04 part a privilege token for the room.
    let kit = run(with_secret(OTHER_SECRET).args([
        "kit-token",
        "--app-id",
        "42",
        "--user-id",
        "bob",
        "--room",
        "r1",
        "--pin-room",
    ]))
    .stdout;
    with_secret(OTHER_SECRET)
        .args(["verify", kit.trim(), "--app-id", "42", "--room", "r1"])
        .assert()
        .code(0);
}

#[test]
fn readme_quick_start_pipeline() {
    let token = cmd()
        .args(["generate", "--demo", "--user-id", "alice"])
        .assert()
        .code(0)
        .stderr(predicate::str::contains("ZEGO's servers refuse"))
        .get_output()
        .stdout
        .clone();
    cmd()
        .args(["inspect", "--demo", "-"])
        .write_stdin(token)
        .assert()
        .code(0)
        .stdout(predicate::str::contains("user_id   \"alice\""))
        .stdout(predicate::str::contains("(expires in "))
        .stdout(predicate::str::contains("demo app"));
}

#[test]
fn tokens_come_from_stdin_with_whitespace_trimmed() {
    let token = demo_token(&[]);
    cmd()
        .args(["verify", "--demo", "-", "--now", NOW])
        .write_stdin(format!("  {token}\r\n"))
        .assert()
        .code(0);
}

// ---------------------------------------------------------------- secrets

fn secret_file(contents: &[u8]) -> tempfile::NamedTempFile {
    let mut f = tempfile::NamedTempFile::new().unwrap();
    f.write_all(contents).unwrap();
    f
}

#[test]
fn secret_sources() {
    let token = token_for(OTHER_SECRET, &[]);
    let verify = |c: &mut Command| {
        let r = run(c);
        assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    };
    let base = |secret: Option<&str>| {
        let mut c = secret.map_or_else(cmd, with_secret);
        c.args(["verify", &token, "--app-id", "42"]);
        c
    };
    for contents in [
        OTHER_SECRET.to_owned(),
        format!("{OTHER_SECRET}\n"),
        format!("{OTHER_SECRET}\r\n"),
    ] {
        let f = secret_file(contents.as_bytes());
        verify(base(None).arg("--secret-file").arg(f.path()));
        verify(base(None).env("ZEGO_SERVER_SECRET_FILE", f.path()));
        verify(
            base(None)
                .arg("--secret-stdin")
                .write_stdin(contents.clone()),
        );
    }
    // A flag beats the environment.
    let f = secret_file(OTHER_SECRET.as_bytes());
    verify(base(Some(DEMO_SECRET)).arg("--secret-file").arg(f.path()));
    // The app id may come from the environment.
    with_secret(OTHER_SECRET)
        .env("ZEGO_APP_ID", "42")
        .args(["verify", &token])
        .assert()
        .code(0);
    // With --demo, an app id in the environment is ignored.
    cmd()
        .env("ZEGO_APP_ID", "42")
        .args(["generate", "--demo", "--user-id", "u"])
        .assert()
        .code(0);
}

/// Runs a command expected to fail with status 2 and checks its one-line message.
fn fails_with(c: &mut Command, needles: &[&str]) -> String {
    let r = run(c);
    assert_eq!(r.code, 2, "stdout: {}\nstderr: {}", r.stdout, r.stderr);
    assert!(r.stdout.is_empty(), "{}", r.stdout);
    let last = r.stderr.lines().last().unwrap_or_default().to_owned();
    assert!(last.starts_with("zego-token: "), "{}", r.stderr);
    for n in needles {
        assert!(last.contains(n), "{n:?} not in {last:?}");
    }
    assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
    // The secret never shows, whole or in part.
    for secret in [DEMO_SECRET, OTHER_SECRET] {
        assert!(!r.stderr.contains(&secret[..12]), "{}", r.stderr);
    }
    last
}

#[test]
fn secret_errors_are_specific() {
    let gen_args = ["generate", "--app-id", "42", "--user-id", "u"];
    fails_with(
        cmd().args(gen_args),
        &["no ServerSecret", "ZEGO_SERVER_SECRET", "--secret-file"],
    );
    fails_with(
        cmd().args(["generate", "--user-id", "u"]),
        &["no ServerSecret and no app id", "--demo"],
    );
    fails_with(
        with_secret(OTHER_SECRET).args(["generate", "--user-id", "u"]),
        &["no app id", "ZEGO_APP_ID"],
    );
    let f = secret_file(format!("{OTHER_SECRET}x\n").as_bytes());
    let path = f.path().display().to_string();
    fails_with(
        cmd().args(gen_args).arg("--secret-file").arg(f.path()),
        &[&format!("the secret in {path} is 33 bytes"), "exactly 32"],
    );
    let f = secret_file(format!("{OTHER_SECRET}\n\n").as_bytes());
    fails_with(
        cmd().args(gen_args).arg("--secret-file").arg(f.path()),
        &["33 bytes", "whitespace"],
    );
    let f = secret_file(b"");
    fails_with(
        cmd().args(gen_args).arg("--secret-file").arg(f.path()),
        &["is empty"],
    );
    // 32 bytes that begin with a quote are a valid secret to every official generator:
    // accepted, with a warning. Quoted with the wrong length, the quotes are named.
    let f = secret_file(format!("\"{}\"", &OTHER_SECRET[..30]).as_bytes());
    let r = run(cmd().args(gen_args).arg("--secret-file").arg(f.path()));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("begins with a quote"), "{}", r.stderr);
    assert!(!r.stderr.contains(&OTHER_SECRET[..12]), "{}", r.stderr);
    let f = secret_file(format!("\"{OTHER_SECRET}\"").as_bytes());
    fails_with(
        cmd().args(gen_args).arg("--secret-file").arg(f.path()),
        &["34 bytes", "quoted"],
    );
    fails_with(
        with_secret(&OTHER_SECRET[..20]).args(gen_args),
        &["the secret in ZEGO_SERVER_SECRET is 20 bytes"],
    );
    fails_with(
        cmd()
            .args(gen_args)
            .args(["--secret-file", "/nonexistent/secret"]),
        &[
            "cannot read the secret file /nonexistent/secret",
            "No such file",
        ],
    );
    fails_with(
        cmd()
            .args(gen_args)
            .env("ZEGO_SERVER_SECRET_FILE", "/nonexistent/secret"),
        &["ZEGO_SERVER_SECRET_FILE"],
    );
    let dir = tempfile::tempdir().unwrap();
    fails_with(
        cmd().args(gen_args).arg("--secret-file").arg(dir.path()),
        &["cannot read the secret file"],
    );
    let f = secret_file(OTHER_SECRET.as_bytes());
    fails_with(
        with_secret(OTHER_SECRET)
            .env("ZEGO_SERVER_SECRET_FILE", f.path())
            .args(gen_args),
        &["both ZEGO_SERVER_SECRET and ZEGO_SERVER_SECRET_FILE"],
    );
    fails_with(
        cmd()
            .args(["inspect", "-", "--secret-stdin"])
            .write_stdin("x"),
        &["stdin"],
    );
    fails_with(
        cmd().args(["verify", "04AAAA", "--app-id", "1"]),
        &["verify needs the ServerSecret"],
    );
    fails_with(
        with_secret(OTHER_SECRET).args(["verify", "04AAAA"]),
        &["verify needs the app id"],
    );
}

#[test]
fn secret_is_not_accepted_on_the_command_line() {
    let r = run(cmd().args([
        "generate",
        "--app-id",
        "1",
        "--user-id",
        "u",
        "--secret",
        OTHER_SECRET,
    ]));
    assert_eq!(r.code, 2);
    assert!(!r.stderr.contains(OTHER_SECRET), "{}", r.stderr);
}

#[test]
fn generate_input_errors_name_the_flag() {
    let g = |extra: &[&str]| {
        let mut c = with_secret(OTHER_SECRET);
        c.args(["generate", "--app-id", "42", "--user-id", "u"])
            .args(extra);
        c
    };
    fails_with(
        with_secret(OTHER_SECRET).args(["generate", "--app-id", "0", "--user-id", "u"]),
        &["--app-id", "app_id is 0", "code 1"],
    );
    let long = "x".repeat(64);
    fails_with(
        with_secret(OTHER_SECRET).args(["generate", "--app-id", "42", "--user-id", &long]),
        &["--user-id", "64 bytes", "code 3"],
    );
    fails_with(&mut g(&["--ttl", "0"]), &["--ttl", "more than 0"]);
    fails_with(
        &mut g(&["--room", "r", "--stream", "bad id"]),
        &["--stream", "stream ID #1"],
    );
    fails_with(&mut g(&["--room", ""]), &["--room", "empty"]);
    fails_with(&mut g(&["--room", &"r".repeat(128)]), &["--room", "128"]);
    fails_with(
        &mut g(&["--nonce", "1", "--iv-hex", "0011"]),
        &["IV is 2 bytes"],
    );
    fails_with(
        &mut g(&["--nonce", "1", "--iv-hex", "zz"]),
        &["--iv-hex", "not hex"],
    );
    fails_with(
        cmd().args(["generate", "--demo", "--app-id", "42", "--user-id", "u"]),
        &["--demo uses the demo app id"],
    );
    // clap's own usage errors also exit 2.
    for bad in [
        &["--ttl", "1x"][..],
        &["--ttl", "-5"],
        &["--mode", "ecb"],
        &["--publish"],
        &["--room", "r", "--payload", "p"],
    ] {
        let r = run(&mut g(bad));
        assert_eq!(r.code, 2, "{bad:?}: {}", r.stderr);
        assert!(r.stdout.is_empty());
    }
    let r = run(with_secret(OTHER_SECRET).args(["generate", "--app-id", "x", "--user-id", "u"]));
    assert_eq!(r.code, 2);
    let r = run(cmd().args(["frobnicate"]));
    assert_eq!(r.code, 2);
}

#[test]
fn verify_rejections_carry_zego_codes() {
    let token = token_for(OTHER_SECRET, &["--ttl", "60"]);
    let check = |extra: &[&str], kind: &str, zego: Value, zim: Value| {
        let (code, j) = run_json(
            with_secret(OTHER_SECRET)
                .args(["verify", "--json", &token])
                .args(extra),
        );
        assert_eq!(code, 1, "{j}");
        assert_eq!(j["valid"], false);
        assert_eq!(j["error"]["kind"], kind, "{j}");
        assert_eq!(j["error"]["zego_code"], zego, "{j}");
        assert_eq!(j["error"]["zim_code"], zim, "{j}");
        assert!(j["error"]["advice"].as_str().unwrap().len() > 10);
    };
    check(
        &["--app-id", "43"],
        "app_id_mismatch",
        json!(1_002_076),
        json!(6_000_103),
    );
    check(
        &["--app-id", "42", "--user-id", "eve"],
        "user_id_mismatch",
        json!(1_002_077),
        json!(6_000_103),
    );
    // Two hours later it has expired; a leeway of 2 h covers it.
    let later = (std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
        + 7200)
        .to_string();
    check(
        &["--app-id", "42", "--now", &later],
        "expired",
        json!(1_002_078),
        json!(6_000_106),
    );
    with_secret(OTHER_SECRET)
        .args([
            "verify", &token, "--app-id", "42", "--now", &later, "--leeway", "2h",
        ])
        .assert()
        .code(0);
    check(
        &["--app-id", "42", "--now", "1000"],
        "not_yet_valid",
        Value::Null,
        Value::Null,
    );

    let wrong = |t: &str, kind: &str, zego: u32| {
        let (code, j) =
            run_json(with_secret(OTHER_SECRET).args(["verify", "--json", t, "--app-id", "42"]));
        assert_eq!(code, 1, "{t}: {j}");
        assert_eq!(j["error"]["kind"], kind, "{t}: {j}");
        assert_eq!(j["error"]["zego_code"], zego, "{t}: {j}");
    };
    wrong(&token_for(DEMO_SECRET, &[]), "decrypt", 1_002_033);
    wrong(
        &token_for(DEMO_SECRET, &["--mode", "cbc"]),
        "decrypt",
        1_002_033,
    );
    wrong("04not-base64!", "malformed", 1_002_075);
    wrong("04AAAA", "malformed", 1_002_075);
    wrong(&token[..token.len() - 8], "malformed", 1_002_075);
    wrong("03AAAA", "wrong_version", 1_002_079);
    wrong(&format!("{token}#not-base64"), "malformed", 1_002_075);
    // A flipped ciphertext byte fails authentication.
    let mut tampered = token.clone().into_bytes();
    let i = tampered.len() - 10;
    tampered[i] = if tampered[i] == b'A' { b'B' } else { b'A' };
    wrong(&String::from_utf8(tampered).unwrap(), "decrypt", 1_002_033);
}

#[test]
fn inspect_rejections_exit_1() {
    let r = run(cmd().args(["inspect", "hello"]));
    assert_eq!(r.code, 1);
    assert!(r.stdout.contains("1002079"), "{}", r.stdout);
    let token = token_for(OTHER_SECRET, &[]);
    let (code, j) = run_json(with_secret(DEMO_SECRET).args(["inspect", "--json", &token]));
    assert_eq!(code, 1);
    assert_eq!(j["decrypted"], false);
    assert_eq!(j["mode"], "gcm");
    assert_eq!(j["error"]["kind"], "decrypt");
    fails_with(
        cmd().args(["inspect", "-"]).write_stdin(" \n"),
        &["no token on stdin"],
    );
}

#[test]
fn broken_pipe_exits_0() {
    // The secret comes from stdin, so the program waits until stdout is already closed.
    let mut child = StdCommand::new(assert_cmd::cargo::cargo_bin("zego-token"))
        .args([
            "generate",
            "--app-id",
            "1",
            "--user-id",
            "u",
            "--secret-stdin",
        ])
        .env_remove("ZEGO_SERVER_SECRET")
        .env_remove("ZEGO_SERVER_SECRET_FILE")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(OTHER_SECRET.as_bytes()).unwrap();
    drop(stdin);
    let out = child.wait_with_output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

// ---------------------------------------------------------------- snapshots

fn snapshot_run(c: &mut Command) -> String {
    let r = run(c);
    format!(
        "exit: {}\n--- stdout\n{}--- stderr\n{}",
        r.code, r.stdout, r.stderr
    )
}

#[test]
fn snapshot_generate() {
    insta::assert_snapshot!(
        "generate_gcm",
        snapshot_run(&mut demo_generate("alice", "12345", GCM_IV))
    );
    insta::assert_snapshot!(
        "generate_cbc_room_json",
        snapshot_run(demo_generate("alice", "-7", CBC_IV).args([
            "--mode",
            "cbc",
            "--room",
            "room1",
            "--publish",
            "--stream",
            "s1",
            "--json",
        ]))
    );
    insta::assert_snapshot!(
        "kit_token",
        snapshot_run(cmd().args([
            "kit-token",
            "--demo",
            "--user-id",
            "alice",
            "--room",
            "room1",
            "--user-name",
            "Alice A.",
            "--now",
            NOW,
            "--nonce",
            "1",
            "--iv-hex",
            GCM_IV,
        ]))
    );
}

#[test]
fn snapshot_inspect() {
    let basic = demo_token(&[]);
    let room = demo_token(&[
        "--room",
        "room1",
        "--publish",
        "--stream",
        "s1",
        "--stream",
        "s2",
    ]);
    let cbc =
        run(demo_generate(&"x".repeat(40), "-5", CBC_IV).args(["--mode", "cbc", "--ttl", "20"]))
            .stdout
            .trim()
            .to_owned();
    let later = (NOW.parse::<i64>().unwrap() + 3 * 3600 + 60).to_string();

    insta::assert_snapshot!(
        "inspect_basic",
        snapshot_run(cmd().args(["inspect", "--demo", "--now", NOW, &basic]))
    );
    insta::assert_snapshot!(
        "inspect_no_secret",
        snapshot_run(cmd().args(["inspect", "--now", NOW, &basic]))
    );
    insta::assert_snapshot!(
        "inspect_room_expired",
        snapshot_run(cmd().args(["inspect", "--demo", "--now", &later, &room]))
    );
    insta::assert_snapshot!(
        "inspect_cbc_warnings",
        snapshot_run(cmd().args(["inspect", "--demo", "--now", NOW, &cbc]))
    );
    insta::assert_snapshot!(
        "inspect_wrong_secret",
        snapshot_run(with_secret(OTHER_SECRET).args(["inspect", "--now", NOW, &basic]))
    );
    insta::assert_snapshot!(
        "inspect_malformed",
        snapshot_run(cmd().args(["inspect", "04AAAA"]))
    );
    insta::assert_snapshot!(
        "inspect_json",
        snapshot_run(cmd().args(["inspect", "--demo", "--json", "--now", NOW, &room]))
    );
}

#[test]
fn snapshot_verify() {
    let room = demo_token(&["--room", "room1"]);
    let later = (NOW.parse::<i64>().unwrap() + 3 * 3600 + 60).to_string();
    let v = |extra: &[&str]| {
        let mut c = cmd();
        c.args(["verify", "--demo", &room]).args(extra);
        snapshot_run(&mut c)
    };
    insta::assert_snapshot!(
        "verify_valid",
        v(&["--now", NOW, "--user-id", "alice", "--room", "room1"])
    );
    insta::assert_snapshot!("verify_expired", v(&["--now", &later]));
    insta::assert_snapshot!(
        "verify_user_mismatch",
        v(&["--now", NOW, "--user-id", "bob"])
    );
    insta::assert_snapshot!("verify_no_publish", v(&["--now", NOW, "--stream", "s1"]));
    insta::assert_snapshot!("verify_json", v(&["--now", &later, "--json"]));
}

#[test]
fn snapshot_help() {
    let help = run(cmd().arg("--help"));
    assert_eq!(help.code, 0);
    insta::assert_snapshot!("help", help.stdout);
    let verify_help = run(cmd().args(["verify", "--help"]));
    assert_eq!(verify_help.code, 0);
    // The codes are listed where the verify user looks.
    for code in [
        "1002033", "1002076", "1002077", "1002078", "1003072", "6000106",
    ] {
        assert!(verify_help.stdout.contains(code), "{code}");
    }
    insta::assert_snapshot!("help_verify", verify_help.stdout);
}

#[test]
fn version_exits_0() {
    cmd()
        .arg("--version")
        .assert()
        .code(0)
        .stdout(predicate::str::starts_with("zego-token "));
}

/// The `code`s of a JSON answer's warnings.
fn warning_codes(j: &Value) -> Vec<String> {
    j["warnings"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|w| w["code"].as_str().unwrap_or_default().to_owned())
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn generate_warns_about_tokens_the_sdks_refuse() {
    let gen_json = |user: &str, extra: &[&str]| {
        let r = run(with_secret(OTHER_SECRET)
            .args(["generate", "--app-id", "42", "--user-id", user, "--json"])
            .args(extra));
        let j: Value = serde_json::from_str(&r.stdout).unwrap_or(Value::Null);
        (r, j)
    };
    // Minted (as the official generators would), but warned about, with the SDK's code.
    let (r, j) = gen_json("alice smith", &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(warning_codes(&j), ["user_id_charset"]);
    assert_eq!(j["warnings"][0]["sdk_code"], 1_002_006);
    assert!(
        r.stderr
            .contains("zego-token: warning: the user_id contains U+0020"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("RTC SDK code 1002006"), "{}", r.stderr);
    let (r, j) = gen_json("josé", &["--room", "vip room"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(warning_codes(&j), ["user_id_charset", "room_id_charset"]);
    // Lifetimes: 30 s is too short, 31 s is fine, over 24 days is past ZIM's limit.
    let (_, j) = gen_json("u", &["--ttl", "30"]);
    assert_eq!(warning_codes(&j), ["ttl_too_short"]);
    let (_, j) = gen_json("u", &["--ttl", "31"]);
    assert_eq!(warning_codes(&j), Vec::<String>::new());
    let (_, j) = gen_json("u", &["--ttl", "2073601"]);
    assert_eq!(warning_codes(&j), ["ttl_over_zim_limit"]);
    // An expiry past 2^31 - 1 is refused unless asked for.
    let (r, _) = gen_json("u", &["--ttl", "5000d"]);
    assert_eq!(r.code, 2, "{}", r.stdout);
    assert!(r.stderr.contains("--allow-long"), "{}", r.stderr);
    let (r, j) = gen_json("u", &["--ttl", "5000d", "--allow-long"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(warning_codes(&j).contains(&"expire_past_2038".to_owned()));
}

#[test]
fn kit_tokens_refuse_ids_the_kits_cannot_carry() {
    for (user, room, flag) in [("josé", "r1", "--user-id"), ("bob", "room one", "--room")] {
        let r = run(with_secret(OTHER_SECRET).args([
            "kit-token",
            "--app-id",
            "42",
            "--user-id",
            user,
            "--room",
            room,
        ]));
        assert_eq!(r.code, 2, "{user} {room}: {}", r.stdout);
        assert!(
            r.stderr.contains(flag) && r.stderr.contains("UIKits"),
            "{}",
            r.stderr
        );
    }
}

#[test]
fn verify_usage_and_kit_app_id() {
    let token =
        run(with_secret(OTHER_SECRET).args(["generate", "--app-id", "42", "--user-id", "u"]))
            .stdout
            .trim()
            .to_owned();
    for flag in ["--user-id=", "--room=", "--stream="] {
        let r = run(with_secret(OTHER_SECRET).args(["verify", &token, "--app-id", "42", flag]));
        assert_eq!(r.code, 2, "{flag}: {}", r.stdout);
        assert!(r.stderr.contains("is empty"), "{}", r.stderr);
    }
    // A basic token and --room: the verdict explains what ZEGO does.
    let r =
        run(with_secret(OTHER_SECRET).args(["verify", &token, "--app-id", "42", "--room", "r"]));
    assert_eq!(r.code, 1);
    assert!(
        r.stdout.contains("carries no room restriction"),
        "{}",
        r.stdout
    );
    // A kit token verifies from its own appID.
    let kit = run(with_secret(OTHER_SECRET).args([
        "kit-token",
        "--app-id",
        "42",
        "--user-id",
        "bob",
        "--room",
        "r1",
    ]))
    .stdout
    .trim()
    .to_owned();
    let r = run(with_secret(OTHER_SECRET).args(["verify", &kit]));
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(
        r.stdout.starts_with("valid: app_id 42, user_id \"bob\""),
        "{}",
        r.stdout
    );
    // Pasted with quotes, line breaks and percent encoding: still read.
    let mangled = format!("\"{}\n{}\"", &token[..20], token[20..].replace('+', "%2B"));
    let r = run(with_secret(OTHER_SECRET).args(["verify", &mangled, "--app-id", "42"]));
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    if token.contains('+') {
        let r = run(with_secret(OTHER_SECRET).args(["inspect", &token.replace('+', " ")]));
        assert_eq!(r.code, 1);
        assert!(r.stdout.contains("URL-decoded"), "{}", r.stdout);
    }
}
