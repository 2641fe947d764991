//! `zego-token serve` as a process on SIGTERM: `/readyz` answers 503 `draining` while
//! the listener still accepts and mints for `limits.drain_delay_seconds`; a second
//! signal ends the delay; then connections are refused and the process exits 0.
//! `--dev` has no delay.
#![cfg(unix)]
#![allow(
    clippy::unwrap_used,
    reason = "a panic in a test is a failure with its location"
)]

mod common;

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use common::signal;
use zego_token_server::config::sha256_hex;

const SECRET: &str = "fa94dd0f974cf2e293728a526b028271";
const KEY: &str = "drain-test-key-0123456789";

/// A running `serve`, killed if a test fails before it exits.
struct Server {
    child: Child,
    lines: mpsc::Receiver<String>,
    seen: Vec<String>,
    _dir: tempfile::TempDir,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    /// `serve --config` on 127.0.0.1:0 with `extra` appended to the config.
    fn production(extra: &str) -> (Self, SocketAddr) {
        let dir = tempfile::tempdir().unwrap();
        let secret_file = dir.path().join("secret");
        std::fs::write(&secret_file, SECRET).unwrap();
        let cfg = dir.path().join("config.toml");
        std::fs::write(
            &cfg,
            format!(
                "listen = \"127.0.0.1:0\"\n\n[[apps]]\napp_id = 1234567890\nsecret_file = \"{}\"\n\n[[api_keys]]\nname = \"k\"\nsha256 = \"{}\"\n\n[log]\nlevel = \"info\"\n{extra}",
                secret_file.display(),
                sha256_hex(KEY)
            ),
        )
        .unwrap();
        let mut c = common::process();
        c.args(["serve", "--config"]).arg(&cfg);
        let mut server = Self::spawn(c, dir);
        let line = server.wait_for("listening");
        // The log line carries `addr=127.0.0.1:PORT`.
        let addr = line
            .split_whitespace()
            .find_map(|w| w.strip_prefix("addr="))
            .unwrap_or_else(|| panic!("no addr= in {line:?}"))
            .parse()
            .unwrap();
        (server, addr)
    }

    /// `serve --dev` on 127.0.0.1:0 with a chosen key.
    fn dev() -> (Self, SocketAddr) {
        let dir = tempfile::tempdir().unwrap();
        let mut c = common::process();
        c.args(["serve", "--dev", "--listen", "127.0.0.1:0"])
            .env("ZEGO_TOKEN_API_KEY", KEY);
        let mut server = Self::spawn(c, dir);
        // The banner: ` listening  http://127.0.0.1:PORT`.
        let line = server.wait_for("listening  http://");
        let addr = line
            .split("http://")
            .nth(1)
            .unwrap()
            .trim()
            .parse()
            .unwrap();
        (server, addr)
    }

    fn spawn(mut cmd: Command, dir: tempfile::TempDir) -> Self {
        let mut child = cmd
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let rx = common::output_lines(&mut child);
        Self {
            child,
            lines: rx,
            seen: Vec::new(),
            _dir: dir,
        }
    }

    /// The first output line (from now on) containing `needle`, within 15 s.
    fn wait_for(&mut self, needle: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(15);
        while Instant::now() < deadline {
            if let Ok(line) = self.lines.recv_timeout(Duration::from_millis(100)) {
                self.seen.push(line.clone());
                if line.contains(needle) {
                    return line;
                }
            }
        }
        panic!(
            "no line containing {needle:?}; output so far:\n{}",
            self.seen.join("\n")
        );
    }

    /// Waits (bounded) for the process to exit.
    fn exit_status(&mut self, within: Duration) -> ExitStatus {
        let deadline = Instant::now() + within;
        loop {
            if let Some(s) = self.child.try_wait().unwrap() {
                return s;
            }
            assert!(
                Instant::now() < deadline,
                "serve did not exit within {within:?}; output:\n{}",
                self.seen.join("\n")
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

/// One request on a new connection: (status, body), or `None` when the connection is
/// refused.
fn call(addr: SocketAddr, request: &str) -> Option<(u16, String)> {
    let mut s = TcpStream::connect(addr).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    s.write_all(request.as_bytes()).unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).unwrap();
    let status = out.split_whitespace().nth(1)?.parse().ok()?;
    let body = out.split_once("\r\n\r\n").map(|(_, b)| b.to_owned())?;
    Some((status, body))
}

fn readyz(addr: SocketAddr) -> Option<(u16, String)> {
    call(
        addr,
        "GET /readyz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    )
}

fn mint(addr: SocketAddr) -> Option<(u16, String)> {
    let body = r#"{"user_id":"alice"}"#;
    call(
        addr,
        &format!(
            "POST /v1/token HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {KEY}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        ),
    )
}

/// Waits (bounded) until connections are refused.
fn wait_until_refused(addr: SocketAddr, within: Duration) -> Instant {
    let deadline = Instant::now() + within;
    loop {
        if TcpStream::connect(addr).is_err() {
            return Instant::now();
        }
        assert!(
            Instant::now() < deadline,
            "still accepting after {within:?}"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn sigterm_turns_readyz_503_and_keeps_minting_for_the_delay_then_exits_zero() {
    let (mut server, addr) = Server::production("\n[limits]\ndrain_delay_seconds = 3\n");
    assert_eq!(readyz(addr).unwrap().0, 200);
    assert_eq!(mint(addr).unwrap().0, 200);

    signal(&server.child, "-TERM");
    let sent = Instant::now();
    let line = server.wait_for("draining");
    assert!(line.contains("drain_delay_seconds=3"), "{line}");
    // Still accepting: the probe sees the documented 503 ...
    let (status, body) = readyz(addr).expect("the listener still accepts during the delay");
    assert_eq!(status, 503, "{body}");
    assert!(body.contains(r#""status":"draining""#), "{body}");
    // ... and clients still get tokens.
    let (status, body) = mint(addr).expect("the listener still accepts during the delay");
    assert_eq!(status, 200, "{body}");
    assert!(body.contains(r#""token":"04"#), "{body}");

    let refused = wait_until_refused(addr, Duration::from_secs(15));
    assert!(
        refused.duration_since(sent) >= Duration::from_millis(2500),
        "refused {:?} after SIGTERM, before the 3 s delay",
        refused.duration_since(sent)
    );
    let status = server.exit_status(Duration::from_secs(15));
    assert!(status.success(), "exit status {status:?}");
    let line = server.wait_for("shutting down");
    assert!(line.contains("drain_delay_cut_short=false"), "{line}");
    server.wait_for("stopped");
}

#[test]
fn a_second_signal_ends_the_delay() {
    let (mut server, addr) = Server::production("\n[limits]\ndrain_delay_seconds = 300\n");
    signal(&server.child, "-TERM");
    server.wait_for("draining");
    assert_eq!(readyz(addr).unwrap().0, 503);
    assert_eq!(mint(addr).unwrap().0, 200);
    // SIGINT counts as the second signal too.
    signal(&server.child, "-INT");
    let line = server.wait_for("shutting down");
    assert!(line.contains("drain_delay_cut_short=true"), "{line}");
    // Far sooner than the 300 s delay.
    let status = server.exit_status(Duration::from_secs(20));
    assert!(status.success(), "exit status {status:?}");
    assert!(TcpStream::connect(addr).is_err());
}

#[test]
fn production_defaults_to_a_5_second_delay() {
    let (mut server, addr) = Server::production("");
    signal(&server.child, "-TERM");
    let line = server.wait_for("draining");
    assert!(line.contains("drain_delay_seconds=5"), "{line}");
    assert_eq!(readyz(addr).unwrap().0, 503);
    // Do not wait the 5 s: a second signal.
    signal(&server.child, "-TERM");
    let status = server.exit_status(Duration::from_secs(20));
    assert!(status.success(), "exit status {status:?}");
}

#[test]
fn dev_exits_without_a_delay() {
    let (mut server, addr) = Server::dev();
    assert_eq!(mint(addr).unwrap().0, 200);
    signal(&server.child, "-TERM");
    let line = server.wait_for("draining");
    assert!(line.contains("drain_delay_seconds=0"), "{line}");
    let status = server.exit_status(Duration::from_secs(10));
    assert!(status.success(), "exit status {status:?}");
    assert!(TcpStream::connect(addr).is_err());
}
