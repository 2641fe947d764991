//! A throwaway `redis-server` on loopback for the Redis store's tests.
//!
//! Each test starts its own server from `PATH` on a free port (Redis cannot bind port 0
//! and report it), with no persistence (`--save '' --appendonly no`) and the `DEBUG`
//! command allowed, and stops it when dropped. Without the binary the tests fail, so CI
//! cannot pass without running them; `REDIS_TESTS_OPTIONAL=1` turns that into a skip
//! with a message (for machines that cannot install Redis).
//!
//! Shared by the server's `tests/redis.rs` and the CLI's `tests/redis.rs` (by path).
#![allow(dead_code, reason = "each test binary uses a different subset")]
#![allow(
    unreachable_pub,
    reason = "a test helper module, public to its test binaries"
)]
#![allow(
    clippy::unwrap_used,
    reason = "test helpers: a failure is a test failure"
)]

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A running `redis-server`.
pub struct RedisServer {
    child: Option<Child>,
    /// Its port on 127.0.0.1.
    pub port: u16,
    dir: PathBuf,
}

fn binary_present() -> bool {
    Command::new("redis-server")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// A free loopback port (bound and released; the server binds it right after).
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

impl RedisServer {
    /// Starts a server, or returns `None` (after saying why) when `redis-server` is not
    /// installed and `REDIS_TESTS_OPTIONAL=1` is set.
    ///
    /// # Panics
    ///
    /// When `redis-server` is missing without `REDIS_TESTS_OPTIONAL=1`, or does not
    /// start.
    pub fn start() -> Option<Self> {
        Self::start_with(&[])
    }

    /// As [`RedisServer::start`], with extra `redis-server` arguments
    /// (`["--requirepass", "…"]`).
    ///
    /// # Panics
    ///
    /// As [`RedisServer::start`].
    pub fn start_with(extra: &[&str]) -> Option<Self> {
        if !binary_present() {
            if std::env::var("REDIS_TESTS_OPTIONAL").as_deref() == Ok("1") {
                eprintln!("SKIPPED: redis-server is not on PATH and REDIS_TESTS_OPTIONAL=1 is set");
                return None;
            }
            panic!(
                "redis-server is not on PATH: install it (apt-get install redis-server) to run the Redis store's tests, or set REDIS_TESTS_OPTIONAL=1 to skip them"
            );
        }
        for _ in 0..5 {
            if let Some(s) = Self::spawn(free_port(), extra) {
                return Some(s);
            }
        }
        panic!("redis-server did not start on any of 5 free ports");
    }

    /// Starts a server on `port` (to bring one back on the port it had); `None` when it
    /// did not answer `PING` within 5 s.
    pub fn start_on(port: u16) -> Option<Self> {
        Self::spawn(port, &[])
    }

    fn spawn(port: u16, extra: &[&str]) -> Option<Self> {
        let dir = std::env::temp_dir().join(format!("zego-redis-{}-{port}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let child = Command::new("redis-server")
            .args(["--port", &port.to_string()])
            .args(["--bind", "127.0.0.1"])
            .args(["--save", ""])
            .args(["--appendonly", "no"])
            .args(["--enable-debug-command", "yes"])
            .arg("--dir")
            .arg(&dir)
            .args(extra)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut server = Self {
            child: Some(child),
            port,
            dir,
        };
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            // A server with a password answers -NOAUTH: up all the same.
            if server
                .try_command("PING")
                .is_some_and(|r| r == "+PONG" || r.starts_with("-NOAUTH"))
            {
                return Some(server);
            }
            if let Some(child) = server.child.as_mut()
                && child.try_wait().ok().flatten().is_some()
            {
                return None; // exited: the port was taken meanwhile
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        None
    }

    /// `redis://127.0.0.1:PORT/0`.
    #[must_use]
    pub fn url(&self) -> String {
        format!("redis://127.0.0.1:{}/0", self.port)
    }

    /// Sends one inline command on a new connection; returns the first reply line.
    ///
    /// # Panics
    ///
    /// When the server does not answer.
    pub fn command(&self, line: &str) -> String {
        command_on(self.port, line)
    }

    fn try_command(&self, line: &str) -> Option<String> {
        try_command_on(self.port, line)
    }

    /// Kills the server and waits for it to exit.
    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// [`RedisServer::command`] on the server at `port` (usable from another thread).
///
/// # Panics
///
/// When the server does not answer.
pub fn command_on(port: u16, line: &str) -> String {
    try_command_on(port, line)
        .unwrap_or_else(|| panic!("redis-server on {port} did not answer {line:?}"))
}

fn try_command_on(port: u16, line: &str) -> Option<String> {
    {
        let mut s = TcpStream::connect(("127.0.0.1", port)).ok()?;
        s.set_read_timeout(Some(Duration::from_secs(10))).ok()?;
        s.write_all(format!("{line}\r\n").as_bytes()).ok()?;
        let mut reader = BufReader::new(s);
        let mut first = String::new();
        reader.read_line(&mut first).ok()?;
        let first = first.trim_end().to_owned();
        // A bulk string: return its content line instead of the length.
        if first.starts_with('$') && first != "$-1" {
            let mut value = String::new();
            reader.read_line(&mut value).ok()?;
            return Some(value.trim_end().to_owned());
        }
        (!first.is_empty()).then_some(first)
    }
}

impl Drop for RedisServer {
    fn drop(&mut self) {
        self.stop();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
