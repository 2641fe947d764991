//! `zego-token serve` as a process: real signals, real logs.
//!
//! The service logs from worker threads; these tests catch the binary holding a stream
//! lock (which once deadlocked the first log line after start, and with it SIGHUP and
//! SIGTERM handling).
#![cfg(unix)]
#![allow(
    clippy::unwrap_used,
    reason = "a panic in a test is a failure with its location"
)]

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use common::{exit_after_sigterm, signal};
use zego_token_server::config::sha256_hex;

const SECRET: &str = "fa94dd0f974cf2e293728a526b028271";

fn config(port: u16, secret_file: &std::path::Path, keys: &[&str], extra: &str) -> String {
    let mut c = format!(
        "listen = \"127.0.0.1:{port}\"\n\n[[apps]]\napp_id = 1234567890\nsecret_file = \"{}\"\n",
        secret_file.display()
    );
    for (i, k) in keys.iter().enumerate() {
        c.push_str(&format!(
            "\n[[api_keys]]\nname = \"k{i}\"\nsha256 = \"{}\"\n",
            sha256_hex(k)
        ));
    }
    c.push_str("\n[log]\nlevel = \"info\"\n");
    c.push_str(extra);
    c
}

/// POSTs a token request; returns the status code.
fn token_status(port: u16, key: &str) -> u16 {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    let body = r#"{"user_id":"alice"}"#;
    write!(
        s,
        "POST /v1/token HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {key}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).unwrap();
    out.split_whitespace().nth(1).unwrap().parse().unwrap()
}

fn wait_for_line(rx: &mpsc::Receiver<String>, needle: &str, seen: &mut Vec<String>) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while Instant::now() < deadline {
        if let Ok(line) = rx.recv_timeout(Duration::from_millis(100)) {
            let hit = line.contains(needle);
            seen.push(line);
            if hit {
                return;
            }
        }
    }
    panic!(
        "no line containing {needle:?}; output so far:\n{}",
        seen.join("\n")
    );
}

#[test]
fn sighup_reloads_and_sigterm_exits_zero() {
    let dir = tempfile::tempdir().unwrap();
    let secret_file = dir.path().join("secret");
    std::fs::write(&secret_file, format!("{SECRET}\n")).unwrap();
    let cfg = dir.path().join("config.toml");
    let port = common::free_port();
    std::fs::write(&cfg, config(port, &secret_file, &["key-one"], "")).unwrap();

    let mut child = common::serve_config(&cfg);
    let rx = common::output_lines(&mut child);
    let mut seen = Vec::new();
    wait_for_line(&rx, "listening", &mut seen);
    assert_eq!(token_status(port, "key-one"), 200);
    assert_eq!(token_status(port, "key-two"), 401);

    // An invalid file is refused and the running config keeps serving.
    std::fs::write(
        &cfg,
        config(
            port,
            &secret_file,
            &["key-two"],
            "\n[token]\ndefault_ttl_seconds = -5\n",
        ),
    )
    .unwrap();
    signal(&child, "-HUP");
    wait_for_line(&rx, "reload refused", &mut seen);
    assert_eq!(token_status(port, "key-one"), 200);

    // A valid one swaps the keys.
    std::fs::write(&cfg, config(port, &secret_file, &["key-two"], "")).unwrap();
    signal(&child, "-HUP");
    wait_for_line(&rx, "config reloaded", &mut seen);
    assert_eq!(token_status(port, "key-two"), 200);
    assert_eq!(token_status(port, "key-one"), 401);

    signal(&child, "-TERM");
    let status = exit_after_sigterm(&mut child, Duration::from_secs(15));
    assert!(status.success(), "exit status {status:?}");
    // Logs going to a pipe carry no terminal colour codes.
    while let Ok(line) = rx.recv_timeout(Duration::from_millis(200)) {
        seen.push(line);
    }
    assert!(seen.iter().all(|l| !l.contains('\u{1b}')), "{seen:?}");
    assert!(seen.iter().any(|l| l.contains("stopped")), "{seen:?}");
}

/// A GET on a new connection; the status and the body.
fn get(port: u16, path: &str) -> (u16, String) {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).unwrap();
    let status = out.split_whitespace().nth(1).unwrap().parse().unwrap();
    let body = out.split_once("\r\n\r\n").map(|(_, b)| b.to_owned());
    (status, body.unwrap_or_default())
}

#[test]
fn metrics_listen_serves_metrics_on_their_own_port() {
    let dir = tempfile::tempdir().unwrap();
    let secret_file = dir.path().join("secret");
    std::fs::write(&secret_file, format!("{SECRET}\n")).unwrap();
    let cfg = dir.path().join("config.toml");
    let (port, metrics_port) = (common::free_port(), common::free_port());
    let extra = format!("\n[metrics]\nlisten = \"127.0.0.1:{metrics_port}\"\n");
    std::fs::write(&cfg, config(port, &secret_file, &["key-one"], &extra)).unwrap();

    let mut child = common::serve_config(&cfg);
    let rx = common::output_lines(&mut child);
    let mut seen = Vec::new();
    wait_for_line(&rx, "metrics listening", &mut seen);
    wait_for_line(&rx, "listening", &mut seen);
    assert_eq!(token_status(port, "key-one"), 200);

    let (status, body) = get(metrics_port, "/metrics");
    assert_eq!(status, 200, "{body}");
    assert!(
        body.contains("zego_token_tokens_issued_total{"),
        "the token just issued is counted: {body}"
    );
    // Only /metrics there; and the main listener no longer serves it.
    assert_eq!(get(metrics_port, "/healthz").0, 404);
    assert_eq!(get(port, "/metrics").0, 404);
    assert_eq!(get(port, "/healthz").0, 200);

    signal(&child, "-TERM");
    let status = exit_after_sigterm(&mut child, Duration::from_secs(15));
    assert!(status.success(), "exit status {status:?}");
}
