//! The `zego-token` binary never prints a ServerSecret it was given (in the environment,
//! in a file named by `--secret-file` or `$ZEGO_SERVER_SECRET_FILE`, or on stdin with
//! `--secret-stdin`), nor the file's contents, on stdout or stderr: on success, on every
//! secret error (wrong length, whitespace, quotes, several lines), with a wrong secret,
//! with malformed tokens and with bad flags. `serve --check-config` and a running
//! `serve` (logging JSON and text at TRACE, a refused SIGHUP reload) never print the
//! secrets, API keys or HS256 secret they read from the environment and files.

// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used)]

mod common;

use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::net::{SocketAddr, TcpStream};
use std::process::{Child, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use assert_cmd::Command;
use common::{cmd, signal};
use zego_token_server::config::sha256_hex;

/// The secret under test.
const SECRET: &str = "CliS3cr3t7d1e9c2b8a4f6e0d3c5b7a1";
/// Another valid secret (a token made with it does not decrypt with SECRET).
const OTHER: &str = "0therS3cr3t5a4b3c2d1e0f9a8b7c6d5";
const APP: &str = "4242";
const NOW: &str = "1700000000";
const API_KEY: &str = "ztk_cli_leak_9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f";
const HS256_SECRET: &str = "cli-hs256-issuer-secret-Lm9n8b7v6c5x4z3";

// ------------------------------------------------------------------ the detector

/// Every form of `value` a leak could take: itself, hex, base64, any 12-byte slice.
fn forms(value: &str) -> Vec<String> {
    let mut f = vec![
        value.to_owned(),
        hex(value.as_bytes()),
        hex(value.as_bytes()).to_uppercase(),
        base64(value.as_bytes()),
    ];
    if value.len() > 12 {
        f.extend(
            (0..=value.len() - 12)
                .filter(|&i| value.is_char_boundary(i) && value.is_char_boundary(i + 12))
                .map(|i| value[i..i + 12].to_owned()),
        );
    }
    f
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Standard base64 without padding.
fn base64(bytes: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..=chunk.len() {
            out.push(char::from(A[(n >> (18 - 6 * i) & 63) as usize]));
        }
    }
    out
}

/// The first form of a secret found in `text`.
fn leak(text: &str, secrets: &[&str]) -> Option<String> {
    secrets.iter().find_map(|s| {
        forms(s)
            .into_iter()
            .find(|f| text.contains(f.as_str()))
            .map(|f| format!("{f:?} (from {s:?})"))
    })
}

#[track_caller]
fn assert_clean(label: &str, r: &Run, secrets: &[&str]) {
    for (stream, text) in [("stdout", &r.stdout), ("stderr", &r.stderr)] {
        if let Some(l) = leak(text, secrets) {
            panic!("{label}: {stream} leaks {l}:\n{text}");
        }
    }
}

// ------------------------------------------------------------------ running

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run(c: &mut Command) -> Run {
    let out = c.timeout(Duration::from_secs(60)).output().unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn file(dir: &tempfile::TempDir, name: &str, contents: &str) -> std::path::PathBuf {
    let p = dir.path().join(name);
    std::fs::write(&p, contents).unwrap();
    p
}

/// The ways to hand the binary a secret: each sets up a command for `contents`.
#[derive(Clone, Copy, Debug)]
enum Source {
    Env,
    FileFlag,
    FileEnv,
    Stdin,
}

const SOURCES: [Source; 4] = [
    Source::Env,
    Source::FileFlag,
    Source::FileEnv,
    Source::Stdin,
];

/// Runs `args` with the secret given as `contents` through `src` (the flags after the
/// subcommand's own arguments).
fn sub(src: Source, contents: &str, dir: &tempfile::TempDir, args: &[&str]) -> Run {
    let mut c = cmd();
    c.args(args);
    match src {
        Source::Env => {
            c.env("ZEGO_SERVER_SECRET", contents);
        }
        Source::FileFlag => {
            c.arg("--secret-file")
                .arg(file(dir, "flag-secret", contents));
        }
        Source::FileEnv => {
            c.env("ZEGO_SERVER_SECRET_FILE", file(dir, "env-secret", contents));
        }
        Source::Stdin => {
            c.arg("--secret-stdin").write_stdin(contents.to_owned());
        }
    }
    run(&mut c)
}

fn token_with(secret: &str, extra: &[&str]) -> String {
    let r = run(cmd()
        .env("ZEGO_SERVER_SECRET", secret)
        .args([
            "generate",
            "--app-id",
            APP,
            "--user-id",
            "alice",
            "--now",
            NOW,
        ])
        .args(extra));
    assert_eq!(r.code, 0, "{}", r.stderr);
    r.stdout.trim().to_owned()
}

// ------------------------------------------------------------------ tests

#[test]
fn the_detector_finds_planted_secrets() {
    let run = |text: &str| Run {
        code: 0,
        stdout: text.to_owned(),
        stderr: String::new(),
    };
    for planted in [
        format!("secret: {SECRET}"),
        format!("hex {}", hex(SECRET.as_bytes())),
        format!("b64 {}", base64(SECRET.as_bytes())),
        format!("cut …{}…", &SECRET[7..25]),
    ] {
        assert!(
            std::panic::catch_unwind(|| assert_clean("planted", &run(&planted), &[SECRET]))
                .is_err(),
            "not detected: {planted}"
        );
    }
    assert_eq!(base64(b"Man"), "TWFu");
    assert_eq!(base64(b"Ma"), "TWE");
    assert!(leak("zego-token: the secret on stdin is 33 bytes", &[SECRET]).is_none());
}

#[test]
fn commands_never_print_the_secret() {
    let dir = tempfile::tempdir().unwrap();
    let good = format!("{SECRET}\n");
    let basic = token_with(SECRET, &[]);
    let room = token_with(
        SECRET,
        &["--room", "room-1", "--publish", "--stream", "s-1"],
    );
    let cbc = token_with(SECRET, &["--mode", "cbc"]);
    let foreign = token_with(OTHER, &[]);
    let expired = token_with(SECRET, &["--ttl", "60"]);
    let kit = {
        let r = run(cmd().env("ZEGO_SERVER_SECRET", SECRET).args([
            "kit-token",
            "--app-id",
            APP,
            "--user-id",
            "alice",
            "--room",
            "room-1",
        ]));
        assert_eq!(r.code, 0, "{}", r.stderr);
        r.stdout.trim().to_owned()
    };
    let (_, kit_info) = kit.split_once('#').unwrap();
    let bad_kit = format!("{basic}#{}", &kit_info[..kit_info.len() - 4]);
    let later = "1700000100";

    // (args, expected exit status)
    let cases: Vec<(Vec<&str>, i32)> = vec![
        (vec!["generate", "--app-id", APP, "--user-id", "u"], 0),
        (
            vec!["generate", "--app-id", APP, "--user-id", "u", "--json"],
            0,
        ),
        (
            vec![
                "generate",
                "--app-id",
                APP,
                "--user-id",
                "u",
                "--room",
                "r",
                "--publish",
                "--stream",
                "s",
                "--mode",
                "cbc",
                "--json",
            ],
            0,
        ),
        (
            vec![
                "generate",
                "--app-id",
                APP,
                "--user-id",
                "u",
                "--payload",
                "raw",
            ],
            0,
        ),
        (
            vec![
                "kit-token",
                "--app-id",
                APP,
                "--user-id",
                "u",
                "--room",
                "r",
                "--json",
            ],
            0,
        ),
        (vec!["inspect", &basic, "--now", later], 0),
        (vec!["inspect", &room, "--json", "--now", later], 0),
        (vec!["inspect", &cbc, "--now", later], 0),
        (vec!["inspect", &kit, "--json", "--now", later], 0),
        (vec!["verify", &basic, "--app-id", APP, "--now", later], 0),
        (
            vec![
                "verify", &room, "--app-id", APP, "--room", "room-1", "--stream", "s-1", "--json",
                "--now", later,
            ],
            0,
        ),
        // Rejections: wrong secret, expired, wrong app/user/room, malformed tokens.
        (vec!["inspect", &foreign, "--now", later], 1),
        (vec!["inspect", &foreign, "--json", "--now", later], 1),
        (vec!["verify", &foreign, "--app-id", APP, "--now", later], 1),
        (
            vec![
                "verify",
                &expired,
                "--app-id",
                APP,
                "--json",
                "--now",
                "1800000000",
            ],
            1,
        ),
        (vec!["verify", &basic, "--app-id", "1", "--now", later], 1),
        (
            vec![
                "verify",
                &basic,
                "--app-id",
                APP,
                "--user-id",
                "bob",
                "--now",
                later,
            ],
            1,
        ),
        (
            vec![
                "verify", &room, "--app-id", APP, "--room", "room-2", "--now", later,
            ],
            1,
        ),
        (vec!["inspect", "04!!garbage!!"], 1),
        (vec!["inspect", "not a token", "--json"], 1),
        (vec!["inspect", "04AAAA"], 1),
        (
            vec![
                "verify",
                "04AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
                "--app-id",
                APP,
            ],
            1,
        ),
        (vec!["verify", &bad_kit, "--app-id", APP, "--json"], 1),
        (vec!["inspect", &basic[..basic.len() - 8], "--json"], 1),
        // Input errors after the secret was read.
        (vec!["generate", "--app-id", APP, "--user-id", ""], 2),
        (vec!["generate", "--app-id", "0", "--user-id", "u"], 2),
        (
            vec!["generate", "--app-id", APP, "--user-id", "u", "--ttl", "0"],
            2,
        ),
        (
            vec![
                "generate",
                "--app-id",
                APP,
                "--user-id",
                "u",
                "--room",
                "r",
                "--stream",
                "bad id",
            ],
            2,
        ),
        (vec!["verify", &basic], 2),
    ];
    for src in SOURCES {
        for (args, code) in &cases {
            let r = sub(src, &good, &dir, args);
            assert_eq!(r.code, *code, "{src:?} {args:?}: {}{}", r.stdout, r.stderr);
            assert_clean(&format!("{src:?} {args:?}"), &r, &[SECRET, OTHER]);
        }
    }
    // Both variables set: refused, neither shown.
    let r = run(cmd()
        .env("ZEGO_SERVER_SECRET", SECRET)
        .env(
            "ZEGO_SERVER_SECRET_FILE",
            file(&dir, "both", &format!("{OTHER}\n")),
        )
        .args(["generate", "--app-id", APP, "--user-id", "u"]));
    assert_eq!(r.code, 2);
    assert_clean("both variables", &r, &[SECRET, OTHER]);
}

#[test]
fn bad_secrets_are_described_not_shown() {
    let dir = tempfile::tempdir().unwrap();
    let contents = [
        format!("{SECRET}x"),
        SECRET[..31].to_owned(),
        format!("{SECRET}\n\n"),
        format!("  {SECRET}\n"),
        format!("\"{SECRET}\""),
        // (32 bytes in quotes are a valid secret, accepted with a warning: see cli.rs.)
        format!("'{SECRET}'"),
        format!("{}\n{}", &SECRET[..16], &SECRET[16..]),
        format!("{}é{}", &SECRET[..15], &SECRET[17..]),
        format!("ZEGO_SERVER_SECRET={SECRET}"),
        format!("{SECRET}{SECRET}"),
    ];
    for src in SOURCES {
        for c in &contents {
            for args in [
                &["generate", "--app-id", APP, "--user-id", "u"][..],
                &["inspect", "04AAAA"][..],
                &["verify", "04AAAA", "--app-id", APP][..],
                &[
                    "kit-token",
                    "--app-id",
                    APP,
                    "--user-id",
                    "u",
                    "--room",
                    "r",
                ][..],
            ] {
                let r = sub(src, c, &dir, args);
                assert_eq!(
                    r.code, 2,
                    "{src:?} {c:?} {args:?}: {}{}",
                    r.stdout, r.stderr
                );
                assert!(
                    r.stderr.contains("bytes") || r.stderr.contains("empty"),
                    "{}",
                    r.stderr
                );
                assert_clean(&format!("{src:?} {c:?} {args:?}"), &r, &[SECRET]);
                // Nor the file's (or stream's) contents as a whole.
                for text in [&r.stdout, &r.stderr] {
                    assert!(!text.contains(c.trim()), "{src:?} {c:?}: {text}");
                }
            }
        }
    }
}

#[test]
fn bad_flags_never_print_the_secret() {
    let dir = tempfile::tempdir().unwrap();
    let good = format!("{SECRET}\n");
    let flags: Vec<Vec<&str>> = vec![
        vec!["generate", "--app-id", APP],
        vec!["generate", "--app-id", "abc", "--user-id", "u"],
        vec!["generate", "--app-id", APP, "--user-id", "u", "--ttl", "1x"],
        vec![
            "generate",
            "--app-id",
            APP,
            "--user-id",
            "u",
            "--mode",
            "ecb",
        ],
        vec!["generate", "--app-id", APP, "--user-id", "u", "--unknown"],
        vec!["generate", "--app-id", APP, "--user-id", "u", "--demo"],
        vec!["generate", "--app-id", APP, "--user-id", "u", "--publish"],
        vec![
            "generate",
            "--app-id",
            APP,
            "--user-id",
            "u",
            "--iv-hex",
            "zz",
            "--nonce",
            "1",
        ],
        vec!["inspect"],
        vec!["verify", "04AAAA", "--leeway", "soon"],
        vec!["kit-token", "--app-id", APP, "--user-id", "u"],
        vec!["nonsense"],
        vec!["generate", "--help"],
        vec!["--version"],
    ];
    for src in SOURCES {
        for args in &flags {
            let r = sub(src, &good, &dir, args);
            assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
            assert_clean(&format!("{src:?} {args:?}"), &r, &[SECRET]);
        }
    }
    // Both the token and the secret on stdin: refused before reading either.
    let r = run(cmd()
        .args(["inspect", "-", "--secret-stdin"])
        .write_stdin(good.clone()));
    assert_eq!(r.code, 2);
    assert_clean("stdin twice", &r, &[SECRET]);
}

// ------------------------------------------------------------------ serve

struct ServeFiles {
    dir: tempfile::TempDir,
    config: std::path::PathBuf,
}

/// A config whose first app's secret comes from a variable, the second's from a file,
/// with an API key (stored as its SHA-256) and an HS256 issuer from a variable.
fn serve_files(extra: &str) -> ServeFiles {
    let dir = tempfile::tempdir().unwrap();
    let secret_file = file(&dir, "zego-secret", &format!("{OTHER}\n"));
    let text = format!(
        r#"listen = "127.0.0.1:0"

[[apps]]
app_id = {APP}
secret_env = "CLI_LEAK_SECRET"

[[apps]]
app_id = 43
secret_file = {file:?}

[[api_keys]]
name = "cli-backend"
sha256 = "{sha}"

[[jwt_issuers]]
issuer = "https://id.cli.test/"
audiences = ["zego"]
hs256_secret_env = "CLI_LEAK_HS256"
{extra}
"#,
        file = secret_file.display().to_string(),
        sha = sha256_hex(API_KEY),
    );
    let config = file(&dir, "zego-token.toml", &text);
    ServeFiles { dir, config }
}

fn serve_cmd(f: &ServeFiles) -> Command {
    let mut c = cmd();
    c.env("CLI_LEAK_SECRET", SECRET)
        .env("CLI_LEAK_HS256", HS256_SECRET)
        .env("ZEGO_TOKEN_API_KEY", API_KEY)
        .arg("serve")
        .arg("--config")
        .arg(&f.config);
    c
}

const SERVE_SECRETS: [&str; 4] = [SECRET, OTHER, API_KEY, HS256_SECRET];

#[test]
fn check_config_never_prints_the_secrets() {
    let f = serve_files("");
    let r = run(serve_cmd(&f).arg("--check-config"));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout
            .contains("config OK: 2 app(s), 1 API key(s), 1 JWT issuer(s)"),
        "{}",
        r.stdout
    );
    assert_clean("check-config", &r, &SERVE_SECRETS);

    let r = run(serve_cmd(&f).arg("--print-example-config"));
    assert_eq!(r.code, 0);
    assert!(r.stdout.contains("secret_env"), "{}", r.stdout);
    assert_clean("print-example-config", &r, &SERVE_SECRETS);

    let long = format!("{SECRET}x");
    let short = &HS256_SECRET[..20];
    let mut secrets = SERVE_SECRETS.to_vec();
    secrets.push(&long);
    secrets.push(short);
    // A `--check-config` run that fails: label, one more variable, what stderr must say.
    for (label, (var, value), needle) in [
        ("33-byte secret", ("CLI_LEAK_SECRET", &*long), "33 bytes"),
        (
            "short HS256 secret",
            ("CLI_LEAK_HS256", short),
            "shorter than 32",
        ),
        (
            "missing variable",
            ("CLI_LEAK_SECRET", ""),
            "CLI_LEAK_SECRET",
        ),
        (
            "secret as an inline key",
            ("ZEGO_TOKEN_APPS__0__SECRET", SECRET),
            "inline secrets",
        ),
        (
            "secret in the app id's variable",
            ("ZEGO_TOKEN_APPS__0__APP_ID", SECRET),
            "ZEGO_TOKEN_APPS__0__APP_ID",
        ),
        (
            "API key as an inline key",
            ("ZEGO_TOKEN_API_KEYS__0__KEY", API_KEY),
            "api_keys[0].key",
        ),
        (
            "API key in a number's variable",
            ("ZEGO_TOKEN_LIMITS__BODY_LIMIT_BYTES", API_KEY),
            "ZEGO_TOKEN_LIMITS__BODY_LIMIT_BYTES",
        ),
        (
            "HS256 secret under a misspelt key",
            ("ZEGO_TOKEN_JWT_ISSUERS__0__SECRET", HS256_SECRET),
            "jwt_issuers[0]",
        ),
    ] {
        let r = run(serve_cmd(&f).env(var, value).arg("--check-config"));
        assert_eq!(r.code, 2, "{label}: {}{}", r.stdout, r.stderr);
        assert!(
            r.stderr.contains(needle),
            "{label}: {needle:?} not in {}",
            r.stderr
        );
        assert_clean(label, &r, &secrets);
    }

    // A bad secret file and an inline secret in the file itself.
    let bad = serve_files("");
    std::fs::write(bad.dir.path().join("zego-secret"), format!(" {OTHER}\n\n")).unwrap();
    let r = run(serve_cmd(&bad).arg("--check-config"));
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("apps[1].secret_file"), "{}", r.stderr);
    assert_clean("bad secret file", &r, &SERVE_SECRETS);
    let text = std::fs::read_to_string(&f.config).unwrap().replace(
        "secret_env = \"CLI_LEAK_SECRET\"",
        &format!("secret = \"{SECRET}\""),
    );
    std::fs::write(&f.config, text).unwrap();
    let r = run(serve_cmd(&f).arg("--check-config"));
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert_clean("inline secret in the file", &r, &SERVE_SECRETS);
}

/// A running `serve`: its output (log on stdout, errors on stderr) collected by threads.
struct Server {
    child: Child,
    output: Arc<Mutex<String>>,
}

impl Server {
    fn start(f: &ServeFiles) -> Self {
        let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_zego-token"));
        for var in ["ZEGO_SERVER_SECRET", "ZEGO_TOKEN_CONFIG", "RUST_LOG"] {
            c.env_remove(var);
        }
        let mut child = c
            .env("CLI_LEAK_SECRET", SECRET)
            .env("CLI_LEAK_HS256", HS256_SECRET)
            .args(["serve", "--config"])
            .arg(&f.config)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // The log goes to stdout; errors to stderr: collect both.
        let output = Arc::new(Mutex::new(String::new()));
        let out: Box<dyn std::io::Read + Send> = Box::new(child.stdout.take().unwrap());
        let err: Box<dyn std::io::Read + Send> = Box::new(child.stderr.take().unwrap());
        for pipe in [out, err] {
            let sink = output.clone();
            std::thread::spawn(move || {
                for line in BufReader::new(pipe).lines() {
                    let Ok(line) = line else { break };
                    let mut s = sink.lock().unwrap();
                    s.push_str(&line);
                    s.push('\n');
                }
            });
        }
        Self { child, output }
    }

    fn log(&self) -> String {
        self.output.lock().unwrap().clone()
    }

    fn wait_for(&mut self, needle: &str) -> String {
        let start = Instant::now();
        loop {
            let log = self.log();
            if log.contains(needle) {
                return log;
            }
            assert!(
                start.elapsed() < Duration::from_secs(30),
                "{needle:?} never logged ({:?}):\n{log}",
                self.child.try_wait()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// The address from the "listening" line (text `addr=…` or JSON `"addr":"…"`).
    fn addr(&mut self) -> SocketAddr {
        let log = self.wait_for("listening");
        let line = log.lines().find(|l| l.contains("listening")).unwrap();
        let at = line.find("127.0.0.1:").unwrap();
        let port: String = line[at + 10..]
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        format!("127.0.0.1:{port}").parse().unwrap()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn call(addr: SocketAddr, auth: Option<&str>, body: &str) -> String {
    let auth = auth.map_or_else(String::new, |a| format!("Authorization: {a}\r\n"));
    let req = format!(
        "POST /v1/token HTTP/1.1\r\nHost: t\r\n{auth}Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    s.write_all(req.as_bytes()).unwrap();
    let mut out = String::new();
    let _ = s.read_to_string(&mut out);
    out
}

/// `serve --config` logging at TRACE, in JSON and in text (the real log setup): a
/// token, refused credentials, a body error quoting a token, a SIGHUP reload refused
/// because the file now holds an inline secret, then SIGTERM. Neither the log nor the
/// answers carry a secret, the API key, a token or its claims.
#[test]
fn serve_logs_never_carry_the_secrets() {
    for format in ["json", "text"] {
        let f = serve_files(&format!(
            "\n[log]\nformat = \"{format}\"\nlevel = \"trace\"\n"
        ));
        let mut server = Server::start(&f);
        let addr = server.addr();
        let body = format!(r#"{{"user_id":"u","app_id":{APP},"room_id":"r"}}"#);
        let ok = call(addr, Some(&format!("Bearer {API_KEY}")), &body);
        assert!(ok.starts_with("HTTP/1.1 200"), "{ok}");
        let token: serde_json::Value =
            serde_json::from_str(ok.split_once("\r\n\r\n").unwrap().1).unwrap();
        let token = token["token"].as_str().unwrap().to_owned();
        let secret = zego_token::ServerSecret::new(SECRET).unwrap();
        let claims = zego_token::decode(&token, &secret).unwrap().claims;
        let claims_json = serde_json::to_string(&claims).unwrap();
        let mut answers = vec![ok.clone()];
        for auth in [
            Some(format!("Bearer {}", &API_KEY[..API_KEY.len() - 1])),
            Some(format!("Basic {API_KEY}")),
            Some(format!("Bearer {HS256_SECRET}.{SECRET}.{OTHER}")),
            None,
        ] {
            let r = call(addr, auth.as_deref(), &body);
            assert!(r.starts_with("HTTP/1.1 401"), "{r}");
            answers.push(r);
        }
        let r = call(
            addr,
            Some(&format!("Bearer {API_KEY}")),
            &format!(r#"{{"user_id":"u","app_id":"{token}"}}"#),
        );
        assert!(r.starts_with("HTTP/1.1 422"), "{r}");
        server.wait_for("request refused");
        // A reload that fails: the file now holds an inline secret.
        let text = std::fs::read_to_string(&f.config).unwrap().replace(
            "secret_env = \"CLI_LEAK_SECRET\"",
            &format!("secret = \"{SECRET}\""),
        );
        std::fs::write(&f.config, text).unwrap();
        signal(&server.child, "-HUP");
        server.wait_for("config reload refused");
        signal(&server.child, "-TERM");
        let status = server.child.wait().unwrap();
        assert!(status.success(), "{status:?}");
        let log = server.wait_for("stopped");
        let run = Run {
            code: 0,
            stdout: answers.join("\n"),
            stderr: log.clone(),
        };
        assert_clean(&format!("serve ({format})"), &run, &SERVE_SECRETS);
        for plain in [
            &token,
            &claims_json,
            &claims.payload,
            &token[2..34].to_owned(),
        ] {
            assert!(
                !log.contains(plain.as_str()),
                "{format} log leaks {plain}:\n{log}"
            );
        }
        assert!(log.contains("fingerprint"), "{log}");
        assert!(log.contains("inline secrets"), "{log}");
        if format == "json" {
            assert!(log.lines().all(|l| l.starts_with('{')), "{log}");
        }
    }
}
