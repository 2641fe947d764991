//! `zego-token serve`'s access log through its non-blocking writer: every request's
//! line is written, in order, and none is lost when SIGTERM ends the process.
#![cfg(unix)]
#![allow(
    clippy::unwrap_used,
    reason = "a panic in a test is a failure with its location"
)]

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::time::Duration;

use common::{exit_after_sigterm, signal};
use zego_token_server::config::sha256_hex;

const SECRET: &str = "fa94dd0f974cf2e293728a526b028271";
const KEY: &str = "access-log-test-key";
/// Requests per connection, and connections (sent at the same time).
const PER_CONN: usize = 150;
const CONNS: usize = 4;

/// Sends `n` token requests on one keep-alive connection, each with its own
/// `x-request-id` (`c<conn>-<i>`), and checks each answer is a 200.
fn send_many(port: u16, conn: usize, n: usize) {
    let s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let mut w = s.try_clone().unwrap();
    let mut r = BufReader::new(s);
    let body = r#"{"user_id":"alice"}"#;
    for i in 0..n {
        write!(
            w,
            "POST /v1/token HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {KEY}\r\nContent-Type: application/json\r\nx-request-id: c{conn}-{i}\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        )
        .unwrap();
        let mut status = String::new();
        r.read_line(&mut status).unwrap();
        assert!(status.starts_with("HTTP/1.1 200"), "{status:?}");
        let mut len = 0usize;
        loop {
            let mut h = String::new();
            r.read_line(&mut h).unwrap();
            if h == "\r\n" {
                break;
            }
            if let Some(v) = h.to_ascii_lowercase().strip_prefix("content-length:") {
                len = v.trim().parse().unwrap();
            }
        }
        let mut buf = vec![0; len];
        r.read_exact(&mut buf).unwrap();
    }
}

#[test]
fn every_access_line_is_written_in_order_before_exit() {
    let dir = tempfile::tempdir().unwrap();
    let secret_file = dir.path().join("secret");
    std::fs::write(&secret_file, format!("{SECRET}\n")).unwrap();
    let port = common::free_port();
    let cfg = dir.path().join("config.toml");
    std::fs::write(
        &cfg,
        format!(
            "listen = \"127.0.0.1:{port}\"\n\n[[apps]]\napp_id = 1234567890\nsecret_file = \"{}\"\n\n\
             [[api_keys]]\nname = \"k\"\nsha256 = \"{}\"\n\n[log]\nlevel = \"info\"\nformat = \"json\"\n",
            secret_file.display(),
            sha256_hex(KEY)
        ),
    )
    .unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_zego-token"))
        .args(["serve", "--config"])
        .arg(&cfg)
        .env_remove("RUST_LOG")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Read stdout on a thread from the start, so the pipe never fills.
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    let reader = std::thread::spawn(move || {
        let mut all = Vec::new();
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if line.contains("\"listening\"") {
                let _ = tx.send(());
            }
            all.push(line);
        }
        all
    });
    rx.recv_timeout(Duration::from_secs(20))
        .expect("the service did not log `listening`");

    std::thread::scope(|s| {
        for c in 0..CONNS {
            s.spawn(move || send_many(port, c, PER_CONN));
        }
    });
    // At once after the last answer: lines may still be queued for the writer thread.
    signal(&child, "-TERM");
    let status = exit_after_sigterm(&mut child, Duration::from_secs(15));
    assert!(status.success(), "exit status {status:?}");
    let lines = reader.join().unwrap();

    // One access line per request, each with its request id; per connection in the
    // order the requests were answered.
    let mut next = [0usize; CONNS];
    let mut access = 0;
    for line in &lines {
        let v: serde_json::Value = serde_json::from_str(line)
            .unwrap_or_else(|e| panic!("not a JSON log line ({e}): {line}"));
        if v["message"] != "request" {
            continue;
        }
        access += 1;
        assert_eq!(v["status"], 200, "{line}");
        let id = v["span"]["id"].as_str().unwrap();
        let (c, i) = id.trim_start_matches('c').split_once('-').unwrap();
        let (c, i): (usize, usize) = (c.parse().unwrap(), i.parse().unwrap());
        assert_eq!(
            i, next[c],
            "connection {c}: line for request {i} out of order"
        );
        next[c] += 1;
    }
    assert_eq!(access, CONNS * PER_CONN, "access lines");
    assert!(
        lines.last().unwrap().contains("stopped"),
        "{:?}",
        lines.last()
    );
}
