//! `zego-token healthcheck` against a real `zego-token serve --dev` on a free port, and
//! against small canned HTTP servers for the answers `serve` does not give on demand
//! (a 503, a redirect, silence).
#![allow(
    clippy::unwrap_used,
    reason = "a panic in a test is a failure with its location"
)]

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener};
use std::process::{Child, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use common::{cmd, process};

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn healthcheck(args: &[&str]) -> Run {
    let out = cmd().arg("healthcheck").args(args).output().unwrap();
    Run {
        code: out.status.code().unwrap(),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
    }
}

/// Asserts a failed probe: status 1, nothing on stdout, exactly one line on stderr,
/// holding every needle.
fn assert_unhealthy(r: &Run, needles: &[&str]) {
    assert_eq!(r.code, 1, "stdout {:?} stderr {:?}", r.stdout, r.stderr);
    assert!(r.stdout.is_empty(), "{:?}", r.stdout);
    assert_eq!(r.stderr.lines().count(), 1, "{:?}", r.stderr);
    assert!(
        r.stderr.starts_with("zego-token: unhealthy: "),
        "{:?}",
        r.stderr
    );
    for n in needles {
        assert!(r.stderr.contains(n), "{n:?} not in {:?}", r.stderr);
    }
}

/// A running `zego-token serve --dev` on a free loopback port, killed on drop.
struct DevServer {
    child: Child,
    addr: SocketAddr,
}

impl DevServer {
    fn start() -> Self {
        let mut child = process()
            .args(["serve", "--dev", "--listen", "127.0.0.1:0"])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        // The log line `listening addr=127.0.0.1:PORT` gives the port the kernel chose.
        let (tx, rx) = mpsc::channel();
        let stdout = child.stdout.take().unwrap();
        thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Some(at) = line.find("addr=") {
                    let addr: String = line[at + 5..]
                        .chars()
                        .take_while(|c| !c.is_whitespace())
                        .collect();
                    let _ = tx.send(addr);
                }
            }
        });
        let addr = rx
            .recv_timeout(Duration::from_secs(30))
            .expect("serve --dev never logged its address")
            .parse()
            .unwrap();
        Self { child, addr }
    }

    fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }
}

impl Drop for DevServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A loopback server that answers one request with `response` (or, with `None`, reads
/// it and never answers), and hands back the request head it received.
fn canned(response: Option<&'static str>) -> (SocketAddr, mpsc::Receiver<String>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        let (mut stream, _) = listener.accept().unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        let mut head = Vec::new();
        let mut byte = [0u8; 1];
        while !head.ends_with(b"\r\n\r\n") && stream.read(&mut byte).unwrap_or(0) == 1 {
            head.push(byte[0]);
        }
        let _ = tx.send(String::from_utf8_lossy(&head).into_owned());
        match response {
            Some(r) => {
                let _ = stream.write_all(r.as_bytes());
            }
            // Hold the connection open, silent, until the client gives up.
            None => {
                let _ = stream.read(&mut [0u8; 1]);
            }
        }
    });
    (addr, rx)
}

/// A free loopback port with nothing listening on it.
fn closed_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

#[test]
fn ready_service_exits_zero_and_other_answers_one() {
    let server = DevServer::start();
    let r = healthcheck(&[&server.url("/readyz")]);
    assert_eq!(r.code, 0, "stdout {:?} stderr {:?}", r.stdout, r.stderr);
    assert!(r.stderr.is_empty(), "{:?}", r.stderr);
    assert_eq!(
        r.stdout,
        format!(
            "healthy: {} answered HTTP 200 OK, status \"ready\"\n",
            server.url("/readyz")
        )
    );
    let r = healthcheck(&[&server.url("/healthz"), "--timeout", "5s"]);
    assert_eq!(r.code, 0, "{:?}", r.stderr);
    assert!(r.stdout.contains("status \"ok\""), "{:?}", r.stdout);
    // Any other status is a failure, with the service's error code; a query (which may
    // carry a credential) is not shown.
    let r = healthcheck(&[&server.url("/nope?key=s3cr3t")]);
    assert_unhealthy(&r, &["HTTP 404 Not Found", "error \"not_found\""]);
    assert!(!r.stderr.contains("s3cr3t"), "{:?}", r.stderr);
}

#[test]
fn closed_port_exits_one_with_the_connection_error() {
    let url = format!("http://127.0.0.1:{}/readyz", closed_port());
    let r = healthcheck(&[&url]);
    assert_unhealthy(&r, &[&url, "cannot connect", "refused"]);
}

#[test]
fn draining_service_exits_one_with_its_status() {
    let body = r#"{"status":"draining"}"#;
    let response: &'static str = Box::leak(
        format!(
            "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        )
        .into_boxed_str(),
    );
    let (addr, request) = canned(Some(response));
    let r = healthcheck(&[&format!("http://{addr}/readyz")]);
    assert_unhealthy(&r, &["HTTP 503 Service Unavailable", "status \"draining\""]);
    let head = request.recv_timeout(Duration::from_secs(5)).unwrap();
    assert!(head.starts_with("GET /readyz HTTP/1.1\r\n"), "{head:?}");
    assert!(
        !head.to_ascii_lowercase().contains("authorization"),
        "{head:?}"
    );
}

#[test]
fn redirects_are_reported_not_followed() {
    let (addr, _request) = canned(Some(
        "HTTP/1.1 302 Found\r\nLocation: http://127.0.0.1:1/elsewhere\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
    ));
    let r = healthcheck(&[&format!("http://{addr}/readyz")]);
    assert_unhealthy(&r, &["HTTP 302 Found"]);
}

#[test]
fn silent_service_exits_one_after_the_timeout() {
    let (addr, _request) = canned(None);
    let start = Instant::now();
    let r = healthcheck(&[&format!("http://{addr}/readyz"), "--timeout", "1"]);
    assert_unhealthy(&r, &["no answer within 1 s"]);
    assert!(
        start.elapsed() < Duration::from_secs(20),
        "the timeout did not bound the probe"
    );
}

#[test]
fn bad_urls_and_timeouts_are_usage_errors() {
    for (args, needle) in [
        (
            &["http://alice:pw-9f8e@127.0.0.1:8080/readyz"][..],
            "credentials",
        ),
        (&["http://alice@127.0.0.1:8080/readyz"], "credentials"),
        (&["ftp://127.0.0.1/readyz"], "http:// and https:// only"),
        (&["localhost:8080/readyz"], "http:// and https:// only"),
        (&["127.0.0.1:8080/readyz"], "not a valid URL"),
        (&["not a url"], "not a valid URL"),
        (&["--timeout", "0"], "--timeout"),
        (&["--timeout", "soon"], "not a duration"),
    ] {
        let r = healthcheck(args);
        assert_eq!(r.code, 2, "{args:?}: {:?}", r.stderr);
        assert!(r.stdout.is_empty(), "{args:?}");
        assert!(r.stderr.contains(needle), "{args:?}: {:?}", r.stderr);
        assert!(!r.stderr.contains("pw-9f8e"), "{args:?}: {:?}", r.stderr);
    }
}

/// The default URL is the readiness route on the address `serve` listens on by default.
#[test]
fn default_url_is_serves_default_address() {
    let example = cmd()
        .args(["serve", "--print-example-config"])
        .output()
        .unwrap();
    let example = String::from_utf8(example.stdout).unwrap();
    let listen = example
        .lines()
        .find_map(|l| l.trim().strip_prefix("# listen = \""))
        .and_then(|rest| rest.split('"').next())
        .expect("the example config names the default listen address");
    let help = cmd().args(["healthcheck", "--help"]).output().unwrap();
    let help = String::from_utf8(help.stdout).unwrap();
    assert!(
        help.contains(&format!("[default: http://{listen}/readyz]")),
        "{listen}: {help}"
    );
}

#[test]
fn completions_and_man_page_know_healthcheck() {
    for args in [&["completions", "bash"][..], &["man"]] {
        let out = cmd().args(args).output().unwrap();
        assert!(out.status.success(), "{args:?}");
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(text.contains("healthcheck"), "{args:?}");
    }
    let out = cmd().args(["completions", "bash"]).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("zego__token__subcmd__healthcheck"), "{text}");
}

/// https:// goes through rustls (the provider is installed before the client is built):
/// a server that does not speak TLS is a failed handshake, exit 1, not a panic.
#[test]
fn https_to_a_plain_server_is_a_handshake_failure() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    thread::spawn(move || {
        let (mut stream, _) = listener.accept().unwrap();
        let _ = stream.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
    });
    let r = healthcheck(&[&format!("https://{addr}/readyz")]);
    assert_unhealthy(&r, &[&format!("https://{addr}/readyz"), "cannot connect"]);
}
