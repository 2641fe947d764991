//! Shared by the test binaries: the binary with a clean environment, and signals.
#![allow(dead_code, reason = "each test binary uses a different subset")]
#![allow(
    unreachable_pub,
    reason = "a test helper module, public to its test binaries"
)]
#![allow(
    clippy::unwrap_used,
    reason = "test helpers: a panic is a test failure"
)]

use assert_cmd::Command;

/// What a run must not inherit from whoever runs the tests: secret, app id, config, API
/// key, log filter, colour setting.
const INHERITED: [&str; 7] = [
    "ZEGO_SERVER_SECRET",
    "ZEGO_SERVER_SECRET_FILE",
    "ZEGO_APP_ID",
    "ZEGO_TOKEN_CONFIG",
    "ZEGO_TOKEN_API_KEY",
    "RUST_LOG",
    "NO_COLOR",
];

/// The binary with a clean environment (see [`INHERITED`]).
pub fn cmd() -> Command {
    let mut c = Command::cargo_bin("zego-token").unwrap();
    for var in INHERITED {
        c.env_remove(var);
    }
    c
}

/// The binary as a process to spawn and keep running, with the same clean environment.
pub fn process() -> std::process::Command {
    let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_zego-token"));
    for var in INHERITED {
        c.env_remove(var);
    }
    c
}

/// `zego-token serve --config CFG` spawned with the clean environment, stdin closed,
/// stdout and stderr piped.
pub fn serve_config(cfg: &std::path::Path) -> std::process::Child {
    process()
        .args(["serve", "--config"])
        .arg(cfg)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap()
}

/// A free loopback port (bound and released; the server binds it right after).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// The child's stdout and stderr lines on one channel, read on threads from now on
/// (so neither pipe fills).
pub fn output_lines(child: &mut std::process::Child) -> std::sync::mpsc::Receiver<String> {
    use std::io::{BufRead, BufReader, Read};
    let (tx, rx) = std::sync::mpsc::channel();
    for stream in [
        Box::new(child.stdout.take().unwrap()) as Box<dyn Read + Send>,
        Box::new(child.stderr.take().unwrap()),
    ] {
        let tx = tx.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stream).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
    }
    rx
}

/// Sends `sig` (as `kill` spells it, e.g. `-HUP`) to `child`.
pub fn signal(child: &std::process::Child, sig: &str) {
    let ok = std::process::Command::new("kill")
        .args([sig, &child.id().to_string()])
        .status()
        .unwrap()
        .success();
    assert!(ok, "kill {sig} failed");
}

/// Waits (bounded by `within`) for `child`, told to stop by SIGTERM, to exit.
pub fn exit_after_sigterm(
    child: &mut std::process::Child,
    within: std::time::Duration,
) -> std::process::ExitStatus {
    let deadline = std::time::Instant::now() + within;
    loop {
        if let Some(st) = child.try_wait().unwrap() {
            return st;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "serve did not exit after SIGTERM"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}
