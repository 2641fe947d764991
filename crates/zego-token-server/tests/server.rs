//! A real listener on 127.0.0.1:0: graceful shutdown drains, reload swaps keys, rate
//! limits answer 429 over the wire.
#![allow(clippy::unwrap_used, reason = "tests: a panic is a test failure")]

mod common;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use common::*;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use zego_token_server::config::sha256_hex;
use zego_token_server::testing::AppStateExt as _;
use zego_token_server::{AppState, Config};

/// A minimal HTTP/1.1 exchange: returns (status, headers text, body).
async fn exchange(stream: &mut TcpStream) -> (u16, String, String) {
    let mut buf = Vec::new();
    stream.read_to_end(&mut buf).await.unwrap();
    let text = String::from_utf8_lossy(&buf).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    (status, head.to_owned(), body.to_owned())
}

fn request(key: &str, body: &str) -> String {
    format!(
        "POST /v1/token HTTP/1.1\r\nHost: test\r\nAuthorization: Bearer {key}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
}

async fn call(addr: SocketAddr, key: &str, body: &str) -> (u16, String, String) {
    let mut s = TcpStream::connect(addr).await.unwrap();
    s.write_all(request(key, body).as_bytes()).await.unwrap();
    exchange(&mut s).await
}

const BODY: &str = r#"{"user_id":"u","app_id":42}"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shutdown_drains_requests_in_flight() {
    let h = harness("").await;
    let state = h.state.clone();
    let mut server = start(h.state.clone()).await;
    // Send the head and half the body: the request is in flight.
    let full = request(KEY, BODY);
    let (first, rest) = full.split_at(full.len() - 10);
    let mut s = TcpStream::connect(server.addr).await.unwrap();
    s.write_all(first.as_bytes()).await.unwrap();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
    while state.metrics().in_flight() < 1 {
        assert!(
            tokio::time::Instant::now() < deadline,
            "request never arrived"
        );
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    server.shut_down();
    while !state.is_draining() {
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    // The server has stopped accepting, but the request in flight completes.
    s.write_all(rest.as_bytes()).await.unwrap();
    let (status, _, body) = exchange(&mut s).await;
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("\"token\":\"04"), "{body}");
    let result = tokio::time::timeout(Duration::from_secs(5), server.task).await;
    assert!(
        matches!(result, Ok(Ok(Ok(())))),
        "serve returns Ok after draining"
    );
    assert!(
        TcpStream::connect(server.addr).await.is_err(),
        "no longer accepting"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn drain_is_bounded_by_the_grace_period() {
    let h = harness("[limits]\nshutdown_grace_seconds = 1").await;
    let state = h.state.clone();
    let mut server = start(h.state.clone()).await;
    let full = request(KEY, BODY);
    let mut s = TcpStream::connect(server.addr).await.unwrap();
    // A client that never finishes its body.
    s.write_all(&full.as_bytes()[..full.len() - 5])
        .await
        .unwrap();
    while state.metrics().in_flight() < 1 {
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    server.shut_down();
    let started = std::time::Instant::now();
    let result = tokio::time::timeout(Duration::from_secs(5), server.task).await;
    assert!(matches!(result, Ok(Ok(Ok(())))));
    let took = started.elapsed();
    assert!(
        took >= Duration::from_millis(900) && took < Duration::from_secs(3),
        "{took:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reload_swaps_keys_and_refuses_bad_configs() {
    let h = harness("").await;
    let state = h.state.clone();
    let server = start(h.state.clone()).await;
    assert_eq!(call(server.addr, KEY, BODY).await.0, 200);

    // New config: the full key is gone, a new key arrives.
    let new_key = "rotated-key";
    let text = format!(
        "[[apps]]\napp_id = 42\nsecret_env = \"APP2_SECRET\"\n[[api_keys]]\nname = \"rotated\"\nsha256 = \"{}\"\n",
        sha256_hex(new_key)
    );
    let config = Config::from_toml(&text, &env()).unwrap();
    let restart = state.reload(&config, &env()).await.unwrap();
    assert!(restart.is_empty(), "{restart:?}");
    assert_eq!(
        call(server.addr, KEY, BODY).await.0,
        401,
        "removed key refused"
    );
    let (status, _, body) = call(server.addr, new_key, BODY).await;
    assert_eq!(status, 200, "new key honoured: {body}");

    // An invalid config (its secret variable is missing) is refused; the old one serves.
    let bad = text.replace("APP2_SECRET", "MISSING_SECRET");
    let bad = Config::from_toml(&bad, &env()).unwrap();
    let err = state.reload(&bad, &env()).await.unwrap_err();
    assert_eq!(err.key.as_deref(), Some("apps[0].secret_env"), "{err}");
    assert!(err.message.contains("MISSING_SECRET"), "{err}");
    assert_eq!(
        call(server.addr, new_key, BODY).await.0,
        200,
        "old config keeps serving"
    );
    let metrics = state.metrics().encode().unwrap();
    assert!(
        metrics.contains(r#"zego_token_config_reloads_total{result="refused"} 1"#),
        "{metrics}"
    );

    // A change that needs a restart is reported.
    let moved = Config::from_toml(&format!("listen = \"127.0.0.1:1\"\n{text}"), &env()).unwrap();
    assert_eq!(state.reload(&moved, &env()).await.unwrap(), vec!["listen"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rate_limits_over_the_wire() {
    let h = harness("[rate_limit]\nper_caller_per_second = 0.5\nper_caller_burst = 2\nper_ip_per_second = 0.5\nper_ip_burst = 3").await;
    let server = start(h.state.clone()).await;
    assert_eq!(call(server.addr, KEY, BODY).await.0, 200);
    assert_eq!(call(server.addr, KEY, BODY).await.0, 200);
    let (status, head, body) = call(server.addr, KEY, BODY).await;
    assert_eq!(status, 429, "{body}");
    assert!(
        head.to_ascii_lowercase().contains("retry-after: 2"),
        "{head}"
    );
    assert!(body.contains("\"rate_limited\""), "{body}");
    // The per-IP bucket (3) runs out on the next request, whatever the caller.
    let (status, head, body) = call(
        server.addr,
        LIMITED_KEY,
        r#"{"user_id":"user-1","room_id":"room-1"}"#,
    )
    .await;
    assert_eq!(status, 429, "{body}");
    assert!(body.contains("\"rate_limited_ip\""), "{body}");
    assert!(head.to_ascii_lowercase().contains("retry-after:"), "{head}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serves_tls_from_pem_files() {
    use tokio_rustls::rustls;
    let certified = rcgen::generate_simple_self_signed(vec!["localhost".to_owned()]).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let cert_path = dir.path().join("cert.pem");
    let key_path = dir.path().join("key.pem");
    std::fs::write(&cert_path, certified.cert.pem()).unwrap();
    std::fs::write(&key_path, certified.signing_key.serialize_pem()).unwrap();

    let e = zego_token_server::load_tls(&dir.path().join("none.pem"), &key_path).unwrap_err();
    assert_eq!(e.key.as_deref(), Some("tls.cert_file"), "{e}");
    let e = zego_token_server::load_tls(&cert_path, &cert_path).unwrap_err();
    assert_eq!(e.key.as_deref(), Some("tls.key_file"), "{e}");

    let tls = zego_token_server::load_tls(&cert_path, &key_path).unwrap();
    let h = harness("").await;
    let tcp = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = tcp.local_addr().unwrap();
    let listener = zego_token_server::ServiceListener::tls(tcp, tls).unwrap();
    assert!(listener.is_tls());
    let mut server = serve_on(h.state.clone(), listener, addr);

    let mut roots = rustls::RootCertStore::empty();
    roots.add(certified.cert.der().clone()).unwrap();
    let client = rustls::ClientConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .unwrap()
    .with_root_certificates(roots)
    .with_no_client_auth();
    let connector = tokio_rustls::TlsConnector::from(Arc::new(client));
    let tcp = TcpStream::connect(addr).await.unwrap();
    let name = rustls::pki_types::ServerName::try_from("localhost").unwrap();
    let mut stream = connector.connect(name, tcp).await.unwrap();
    stream
        .write_all(request(KEY, BODY).as_bytes())
        .await
        .unwrap();
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    // The server may close without close_notify after `Connection: close`.
    while let Ok(n) = stream.read(&mut chunk).await {
        if n == 0 {
            break;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    let text = String::from_utf8_lossy(&buf);
    assert!(text.starts_with("HTTP/1.1 200"), "{text}");
    assert!(text.contains("\"token\":\"04"), "{text}");

    // A plain-text client gets no HTTP answer from the TLS port.
    let mut plain = TcpStream::connect(addr).await.unwrap();
    plain
        .write_all(request(KEY, BODY).as_bytes())
        .await
        .unwrap();
    let mut junk = Vec::new();
    let _ = plain.read_to_end(&mut junk).await;
    assert!(!String::from_utf8_lossy(&junk).contains("\"token\""));

    server.shut_down();
    assert!(matches!(
        tokio::time::timeout(Duration::from_secs(5), server.task).await,
        Ok(Ok(Ok(())))
    ));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slow_requests_time_out_with_408() {
    let h = harness("[limits]\nrequest_timeout_ms = 200").await;
    let server = start(h.state.clone()).await;
    let full = request(KEY, BODY);
    let mut s = TcpStream::connect(server.addr).await.unwrap();
    // Never send the last bytes of the body.
    s.write_all(&full.as_bytes()[..full.len() - 3])
        .await
        .unwrap();
    let (status, _, body) = tokio::time::timeout(Duration::from_secs(5), exchange(&mut s))
        .await
        .unwrap();
    assert_eq!(status, 408, "{body}");
    assert!(body.contains("\"timeout\""), "{body}");
}

fn keep_alive_request(key: &str, body: &str) -> (String, String) {
    let head = format!(
        "POST /v1/token HTTP/1.1\r\nHost: test\r\nAuthorization: Bearer {key}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    (head, body.to_owned())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_request_with_a_late_body_keeps_the_connection_usable() {
    // The refusal (a wrong key) is decided from the headers alone; the body arrives after
    // the server could already have answered. The next request on the same keep-alive
    // connection must still be answered, not lost to a silently closed socket.
    let h = harness("").await;
    let server = start(h.state.clone()).await;
    let mut s = TcpStream::connect(server.addr).await.unwrap();
    for round in 0..3 {
        let (head, body) = keep_alive_request("not-a-key", BODY);
        s.write_all(head.as_bytes()).await.unwrap();
        tokio::time::sleep(Duration::from_millis(50)).await;
        s.write_all(body.as_bytes()).await.unwrap();
        let (status, headers, _) = read_one(&mut s).await.expect("first response");
        assert_eq!(status, 401, "round {round}");
        assert!(!headers.contains("connection: close"), "{headers}");

        let (head, body) = keep_alive_request(KEY, BODY);
        s.write_all(format!("{head}{body}").as_bytes())
            .await
            .unwrap();
        let (status, _, body) = read_one(&mut s)
            .await
            .expect("the connection was closed without `Connection: close`");
        assert_eq!(status, 200, "round {round}: {body}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn responses_that_leave_the_body_unread_say_connection_close() {
    let h = harness("[limits]\nbody_limit_bytes = 1024\nrequest_timeout_ms = 300").await;
    let server = start(h.state.clone()).await;

    // Declared too large: refused before any of it is read.
    let mut s = TcpStream::connect(server.addr).await.unwrap();
    let (head, _) = keep_alive_request(KEY, &"x".repeat(4096));
    s.write_all(head.as_bytes()).await.unwrap();
    let (status, headers, body) = read_one(&mut s).await.expect("a response");
    assert_eq!(status, 413, "{body}");
    assert!(headers.contains("connection: close"), "{headers}");
    assert!(
        read_one(&mut s).await.is_none(),
        "the server keeps no half-read connection"
    );

    // Chunked, over the limit only once read.
    let mut s = TcpStream::connect(server.addr).await.unwrap();
    let chunk = "y".repeat(800);
    let req = format!(
        "POST /v1/token HTTP/1.1\r\nHost: test\r\nAuthorization: Bearer {KEY}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n320\r\n{chunk}\r\n320\r\n{chunk}\r\n"
    );
    s.write_all(req.as_bytes()).await.unwrap();
    let (status, headers, body) = read_one(&mut s).await.expect("a response");
    assert_eq!(status, 413, "{body}");
    assert!(headers.contains("connection: close"), "{headers}");

    // A body that never completes: 408, and the connection is closed.
    let mut s = TcpStream::connect(server.addr).await.unwrap();
    let (head, body) = keep_alive_request(KEY, BODY);
    s.write_all(format!("{head}{}", &body[..body.len() - 3]).as_bytes())
        .await
        .unwrap();
    let (status, headers, body) = read_one(&mut s).await.expect("a response");
    assert_eq!(status, 408, "{body}");
    assert!(headers.contains("connection: close"), "{headers}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sighup_reload_rereads_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let secret = dir.path().join("secret");
    std::fs::write(&secret, format!("{SECRET2}\n")).unwrap();
    let file = dir.path().join("zego-token.toml");
    let write = |key: &str| {
        let text = format!(
            "[[apps]]\napp_id = 42\nsecret_file = {:?}\n[[api_keys]]\nname = \"k\"\nsha256 = \"{}\"\n",
            secret.display().to_string(),
            sha256_hex(key)
        );
        std::fs::write(&file, text).unwrap();
    };
    write("first-key");
    let config = Config::load(&file, &zego_token_server::Env::default()).unwrap();
    let state = AppState::new(&config, &zego_token_server::Env::default())
        .await
        .unwrap();
    let server = start(state.clone()).await;
    assert_eq!(call(server.addr, "first-key", BODY).await.0, 200);

    write("second-key");
    zego_token_server::reload_from_file(&state, &file, None)
        .await
        .unwrap();
    assert_eq!(call(server.addr, "first-key", BODY).await.0, 401);
    assert_eq!(call(server.addr, "second-key", BODY).await.0, 200);

    std::fs::write(&file, "[[apps]]\napp_id = \"not a number\"\n").unwrap();
    let e = zego_token_server::reload_from_file(&state, &file, None)
        .await
        .unwrap_err();
    assert_eq!(e.key.as_deref(), Some("apps[0].app_id"), "{e}");
    assert_eq!(call(server.addr, "second-key", BODY).await.0, 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn restart_only_changes_are_judged_against_what_is_running() {
    let h = harness("").await;
    let state = h.state.clone();
    let started = config("");
    let moved = Config::from_toml(
        &format!(
            "listen = \"127.0.0.1:1\"\n{}",
            config_text("[log]\nlevel = \"debug\"\n[limits]\nshutdown_grace_seconds = 3\n")
        ),
        &env(),
    )
    .unwrap();
    // Every reload of the changed file says so, not only the first.
    for round in 0..3 {
        assert_eq!(
            state.reload(&moved, &env()).await.unwrap(),
            vec!["listen", "limits.shutdown_grace_seconds", "log"],
            "reload {round}"
        );
    }
    // The same through a file, as SIGHUP does (secrets in files: it reads the process
    // environment).
    let dir = tempfile::tempdir().unwrap();
    let mut text = format!("listen = \"127.0.0.1:1\"\n{}", config_text(""));
    for (var, secret) in [("APP_SECRET", SECRET), ("APP2_SECRET", SECRET2)] {
        let path = dir.path().join(var);
        std::fs::write(&path, secret).unwrap();
        text = text.replace(
            &format!("secret_env = \"{var}\""),
            &format!("secret_file = {:?}", path.display().to_string()),
        );
    }
    let file = dir.path().join("zego-token.toml");
    std::fs::write(&file, text).unwrap();
    for _ in 0..2 {
        let restart = zego_token_server::reload_from_file(&state, &file, None)
            .await
            .unwrap();
        assert_eq!(restart, vec!["listen"]);
    }
    // Back to the running values: nothing to restart for.
    assert!(state.reload(&started, &env()).await.unwrap().is_empty());
    // A --listen flag applied again on reload matches what runs.
    let restart = zego_token_server::reload_from_file(&state, &file, Some(started.listen))
        .await
        .unwrap();
    assert!(restart.is_empty(), "{restart:?}");
}
