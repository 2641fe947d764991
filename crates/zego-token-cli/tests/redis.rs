//! Three `zego-token serve` processes (the real binary) sharing one real `redis-server`
//! as their rate-limit store: driven together at three times one caller's limit, they
//! hand out the limit (plus the burst) globally, within 5 %, not three times it. And
//! one process through a Redis outage: its warning is rate-limited and never carries
//! the Redis password.
//!
//! `REDIS_REPLICA_TEST_SECONDS` sets the drive time (default 10; CI may shorten it).
#![cfg(all(unix, feature = "redis"))]
#![allow(
    clippy::unwrap_used,
    reason = "a panic in a test is a failure with its location"
)]

mod common;
#[path = "../../zego-token-server/tests/common/redis_server.rs"]
mod redis_server;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::Child;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use redis_server::{RedisServer, free_port};
use zego_token_server::config::sha256_hex;

const SECRET: &str = "fa94dd0f974cf2e293728a526b028271";
const KEY: &str = "replica-test-key";
/// The caller's limit: tokens per second, and the burst.
const RATE: f64 = 100.0;
const BURST: f64 = 50.0;

struct Replica {
    child: Child,
    port: u16,
    output: mpsc::Receiver<String>,
}

impl Replica {
    /// Stops the process (SIGKILL) and returns every line it wrote.
    fn output(mut self) -> Vec<String> {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let mut lines = Vec::new();
        while let Ok(line) = self.output.recv_timeout(Duration::from_millis(500)) {
            lines.push(line);
        }
        lines
    }
}

impl Drop for Replica {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start_replica(dir: &std::path::Path, redis_url: &str, i: usize, extra: &str) -> Replica {
    let port = free_port();
    let secret_file = dir.join("secret");
    std::fs::write(&secret_file, format!("{SECRET}\n")).unwrap();
    let cfg = dir.join(format!("replica-{i}.toml"));
    std::fs::write(
        &cfg,
        format!(
            r#"listen = "127.0.0.1:{port}"

[[apps]]
app_id = 1234567890
secret_file = "{secret}"

[[api_keys]]
name = "backend"
sha256 = "{hash}"

[rate_limit]
per_caller_per_second = {RATE:.1}
per_caller_burst = {BURST}
per_ip_per_second = 0.0
store = "redis"
redis_url = "{redis_url}"
key_prefix = "replicas:"
{extra}

[log]
level = "warn"
"#,
            secret = secret_file.display(),
            hash = sha256_hex(KEY),
        ),
    )
    .unwrap();
    let mut child = common::serve_config(&cfg);
    // Drain its output so it never blocks on a full pipe; keep it for a failure report.
    let rx = common::output_lines(&mut child);
    let deadline = Instant::now() + Duration::from_secs(20);
    while Instant::now() < deadline {
        if TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return Replica {
                child,
                port,
                output: rx,
            };
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let _ = child.kill();
    let _ = child.wait();
    let seen: Vec<String> = rx.try_iter().collect();
    panic!("replica {i} did not listen on {port}:\n{}", seen.join("\n"));
}

/// A keep-alive HTTP/1.1 client for `POST /v1/token`.
struct Client {
    port: u16,
    conn: Option<BufReader<TcpStream>>,
}

impl Client {
    fn post_token(&mut self) -> u16 {
        let body = r#"{"user_id":"alice"}"#;
        let request = format!(
            "POST /v1/token HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {KEY}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        );
        for _ in 0..3 {
            if self.conn.is_none() {
                let s = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
                s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
                s.set_nodelay(true).unwrap();
                self.conn = Some(BufReader::new(s));
            }
            let conn = self.conn.as_mut().unwrap();
            if conn.get_mut().write_all(request.as_bytes()).is_err() {
                self.conn = None;
                continue;
            }
            match read_response(conn) {
                Some((status, close)) => {
                    if close {
                        self.conn = None;
                    }
                    return status;
                }
                None => self.conn = None,
            }
        }
        panic!("no answer from the replica on {}", self.port);
    }
}

/// Reads one response; returns its status and whether the server closes the connection.
fn read_response(conn: &mut BufReader<TcpStream>) -> Option<(u16, bool)> {
    let mut line = String::new();
    if conn.read_line(&mut line).ok()? == 0 {
        return None;
    }
    let status: u16 = line.split_whitespace().nth(1)?.parse().ok()?;
    let (mut length, mut close) = (0usize, false);
    loop {
        line.clear();
        conn.read_line(&mut line).ok()?;
        let header = line.trim_end();
        if header.is_empty() {
            break;
        }
        let (name, value) = header.split_once(':')?;
        if name.eq_ignore_ascii_case("content-length") {
            length = value.trim().parse().ok()?;
        } else if name.eq_ignore_ascii_case("connection") {
            close = value.trim().eq_ignore_ascii_case("close");
        }
    }
    let mut body = vec![0; length];
    conn.read_exact(&mut body).ok()?;
    Some((status, close))
}

#[test]
fn three_replicas_share_one_limit() {
    let Some(redis) = RedisServer::start() else {
        return;
    };
    let seconds: f64 = std::env::var("REDIS_REPLICA_TEST_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(10.0);
    let dir = tempfile::tempdir().unwrap();
    let replicas: Vec<Replica> = (0..3)
        .map(|i| start_replica(dir.path(), &redis.url(), i, ""))
        .collect();
    // Every replica answers through Redis before the clock starts.
    for r in &replicas {
        let status = Client {
            port: r.port,
            conn: None,
        }
        .post_token();
        assert_eq!(status, 200);
    }
    assert_eq!(redis.command("DEL replicas:caller:backend"), ":1");

    // Two senders per replica, each at RATE / 2 per second: 3 × RATE together.
    let per_sender = RATE / 2.0;
    let started = Instant::now();
    let until = started + Duration::from_secs_f64(seconds);
    let senders: Vec<_> = replicas
        .iter()
        .flat_map(|r| [r.port, r.port])
        .map(|port| {
            std::thread::spawn(move || {
                let mut client = Client { port, conn: None };
                let (mut ok, mut limited, mut other) = (0u64, 0u64, Vec::new());
                let mut n = 0u32;
                loop {
                    let at = started + Duration::from_secs_f64(f64::from(n) / per_sender);
                    if at >= until {
                        break;
                    }
                    if let Some(wait) = at.checked_duration_since(Instant::now()) {
                        std::thread::sleep(wait);
                    }
                    match client.post_token() {
                        200 => ok += 1,
                        429 => limited += 1,
                        s => other.push(s),
                    }
                    n += 1;
                }
                (ok, limited, other)
            })
        })
        .collect();
    let (mut ok, mut limited) = (0u64, 0u64);
    for s in senders {
        let (o, l, other) = s.join().unwrap();
        assert!(
            other.is_empty(),
            "statuses other than 200 and 429: {other:?}"
        );
        ok += o;
        limited += l;
    }
    let elapsed = started.elapsed().as_secs_f64();
    #[allow(clippy::cast_precision_loss, reason = "counts far below 2^52")]
    let (ok_f, sent) = (ok as f64, (ok + limited) as f64);
    let allowed = RATE * elapsed + BURST;
    eprintln!(
        "{sent} requests in {elapsed:.2} s over 3 replicas: {ok} served, {limited} limited; the limit allows {allowed:.0}"
    );
    assert!(
        sent > 2.5 * allowed,
        "the drive fell short of 3x the limit: {sent} requests"
    );
    assert!(
        ok_f <= allowed * 1.05 && ok_f >= allowed * 0.95,
        "served {ok}, the shared limit allows {allowed:.0} (±5 %)"
    );
}

#[test]
fn an_outage_is_logged_rarely_and_never_with_the_password() {
    let password = "pw-of-the-shared-redis-0123456789";
    let Some(mut redis) = RedisServer::start_with(&["--requirepass", password]) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("redis-password");
    std::fs::write(&file, format!("{password}\n")).unwrap();
    let extra = format!(
        "redis_password_file = \"{}\"\non_store_error = \"deny\"",
        file.display()
    );
    let replica = start_replica(dir.path(), &redis.url(), 0, &extra);
    let mut client = Client {
        port: replica.port,
        conn: None,
    };
    // Served under "deny": Redis answered, so the password from the file was used.
    assert_eq!(client.post_token(), 200);

    redis.stop();
    // 2 s of requests with Redis gone: all 503 (deny), one warning (every 5 s at most).
    let until = Instant::now() + Duration::from_secs(2);
    let mut refused = 0;
    while Instant::now() < until {
        assert_eq!(client.post_token(), 503);
        refused += 1;
        std::thread::sleep(Duration::from_millis(10));
    }
    assert!(refused > 20, "{refused}");
    let lines = replica.output();
    let warnings: Vec<&String> = lines
        .iter()
        .filter(|l| l.contains("the Redis rate-limit store failed"))
        .collect();
    assert_eq!(warnings.len(), 1, "{}", lines.join("\n"));
    assert!(
        warnings[0].contains(&format!("127.0.0.1:{}", redis.port)),
        "{}",
        warnings[0]
    );
    assert!(warnings[0].contains("refused with 503"), "{}", warnings[0]);
    for line in &lines {
        assert!(
            !line.contains(password),
            "the password is in the log: {line}"
        );
    }
}
