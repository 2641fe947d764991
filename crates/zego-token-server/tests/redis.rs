//! The Redis rate-limit store against a real `redis-server` on loopback (started by
//! each test, see `common/redis_server.rs`): the same answers as the memory store, real
//! expiry and Redis's clock, `NOSCRIPT` recovery, and the service's behaviour when Redis
//! stops or stalls (the failure policy, bounded latency, recovery).
#![cfg(feature = "redis")]
#![allow(
    clippy::unwrap_used,
    reason = "a panic in a test is a failure with its location"
)]

mod common;
#[path = "common/redis_server.rs"]
mod redis_server;

use std::net::IpAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::{KEY, assert_error, get, harness, send, token};
use redis_server::RedisServer;
use zego_token_server::AppState;
use zego_token_server::config::OnStoreError;
use zego_token_server::testing::{
    AppStateExt as _, LimitKey, ManualClock, Rate, RateLimiter, RedisLimiter, RedisSettings,
    Refusal, StoreErrors,
};

fn settings(server: &RedisServer, prefix: &str, on_error: OnStoreError) -> RedisSettings {
    RedisSettings {
        url: server.url(),
        password: None,
        key_prefix: prefix.into(),
        timeout: Duration::from_millis(200),
        on_error,
    }
}

/// A small deterministic generator (xorshift), so a failure replays.
struct Xorshift(u64);

impl Xorshift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

const RATES: [Rate; 3] = [
    Rate {
        per_second: 2.0,
        burst: 3,
    },
    Rate {
        per_second: 0.5,
        burst: 1,
    },
    Rate {
        per_second: 1000.0,
        burst: 50,
    },
];

#[tokio::test]
async fn redis_store_gives_the_memory_stores_answers_on_the_same_sequence() {
    let Some(server) = RedisServer::start() else {
        return;
    };
    // Both stores on one stepped clock: the script gets its time instead of TIME.
    let clock = Arc::new(ManualClock::default());
    let memory = RateLimiter::with_capacity(clock.clone(), 1 << 16);
    let redis = RedisLimiter::new(
        settings(&server, "eq:", OnStoreError::Deny),
        StoreErrors::default(),
    )
    .unwrap()
    .with_test_clock(clock.clone());
    let mut rng = Xorshift(0x9e37_79b9_7f4a_7c15);
    let (mut allowed, mut refused) = (0, 0);
    for step in 0..3000 {
        let r = rng.next();
        let k = usize::try_from(r % 12).unwrap();
        let key = if k % 2 == 0 {
            LimitKey::Caller(Arc::from(format!("caller-{k}")))
        } else {
            LimitKey::Ip(IpAddr::from([10, 0, 0, u8::try_from(k).unwrap()]))
        };
        let rate = RATES[k % RATES.len()];
        // Mostly small steps (buckets empty), sometimes long ones (buckets refill).
        let ms = (r >> 8) % 3000;
        clock.advance(Duration::from_millis(if ms > 2500 {
            ms * 10
        } else {
            ms / 8
        }));
        let want = memory.check(&key, rate).map_err(Refusal::Limited);
        let got = redis.check(&key, rate).await;
        assert_eq!(got, want, "step {step}, key {key:?}, rate {rate:?}");
        if want.is_ok() {
            allowed += 1;
        } else {
            refused += 1;
        }
    }
    // Both answers were exercised, and refusals carried waits (compared above).
    assert!(
        allowed > 300 && refused > 200,
        "{allowed} allowed, {refused} refused"
    );
}

#[tokio::test]
async fn buckets_use_redis_time_and_expire_when_full() {
    let Some(server) = RedisServer::start() else {
        return;
    };
    let redis = RedisLimiter::new(
        settings(&server, "rt:", OnStoreError::Deny),
        StoreErrors::default(),
    )
    .unwrap();
    let rate = Rate {
        per_second: 10.0,
        burst: 3,
    };
    let key = LimitKey::Caller(Arc::from("alice"));
    for _ in 0..3 {
        assert_eq!(redis.check(&key, rate).await, Ok(()));
    }
    let Err(Refusal::Limited(wait)) = redis.check(&key, rate).await else {
        panic!("the fourth request in a burst of 3 was not limited");
    };
    assert!(
        wait > Duration::ZERO && wait <= Duration::from_millis(100),
        "{wait:?}"
    );
    // Another key has its own bucket.
    assert_eq!(
        redis.check(&LimitKey::Caller(Arc::from("bob")), rate).await,
        Ok(())
    );
    // One key per bucket, expiring when the bucket is full again (≤ 3 × 100 ms).
    let name = String::from_utf8(redis.key(&key)).unwrap();
    assert_eq!(name, "rt:caller:alice");
    let pttl: i64 = server.command(&format!("PTTL {name}"))[1..]
        .parse()
        .unwrap();
    assert!(pttl > 0 && pttl <= 300, "PTTL {pttl}");
    // Redis's clock refills it.
    tokio::time::sleep(wait + Duration::from_millis(20)).await;
    assert_eq!(redis.check(&key, rate).await, Ok(()));
    tokio::time::sleep(Duration::from_millis(400)).await;
    assert_eq!(server.command(&format!("EXISTS {name}")), ":0");
}

#[tokio::test]
async fn the_script_is_loaded_again_after_a_script_flush() {
    let Some(server) = RedisServer::start() else {
        return;
    };
    let errors = StoreErrors::default();
    let redis =
        RedisLimiter::new(settings(&server, "ns:", OnStoreError::Deny), errors.clone()).unwrap();
    let rate = Rate {
        per_second: 1.0,
        burst: 2,
    };
    let key = LimitKey::Ip(IpAddr::from([192, 0, 2, 1]));
    assert_eq!(redis.check(&key, rate).await, Ok(()));
    assert_eq!(server.command("SCRIPT FLUSH"), "+OK");
    assert_eq!(redis.check(&key, rate).await, Ok(()));
    assert!(matches!(
        redis.check(&key, rate).await,
        Err(Refusal::Limited(_))
    ));
    for kind in ["timeout", "connection", "response", "skipped"] {
        assert_eq!(errors.get(kind), 0, "{kind}");
    }
}

/// The service with a 1 s request timeout, 5 tokens per caller then 2/s, on `server`.
fn service_config(server_url: &str, policy: &str, extra: &str) -> String {
    format!(
        r#"
[limits]
request_timeout_ms = 1000

[rate_limit]
per_caller_per_second = 2.0
per_caller_burst = 5
store = "redis"
redis_url = "{server_url}"
redis_timeout_ms = 200
on_store_error = "{policy}"
{extra}
"#
    )
}

const BODY: &str = r#"{"user_id":"u","app_id":1234567890}"#;

/// One answer of [`drive`]: when the request started, its status and error code, and
/// how long it took.
type Answer = (Instant, u16, String, Duration);

/// Sends requests from `tasks` tasks for `run`.
async fn drive(state: &AppState, tasks: usize, run: Duration) -> Vec<Answer> {
    let until = Instant::now() + run;
    let mut handles = Vec::new();
    for _ in 0..tasks {
        let state = state.clone();
        handles.push(tokio::spawn(async move {
            let mut out = Vec::new();
            while Instant::now() < until {
                let started = Instant::now();
                let r = token(&state, KEY, BODY).await;
                let code = r.body["error"]["code"].as_str().unwrap_or("").to_owned();
                if r.status == 503 {
                    assert_eq!(r.headers.get("retry-after").unwrap(), "1", "{}", r.text);
                }
                out.push((started, r.status, code, started.elapsed()));
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
            out
        }));
    }
    let mut all = Vec::new();
    for h in handles {
        all.extend(h.await.unwrap());
    }
    all
}

/// Exhausts the caller's burst of 5 and checks the sixth request is limited by Redis.
async fn exhaust(state: &AppState) {
    for _ in 0..5 {
        assert_eq!(token(state, KEY, BODY).await.status, 200);
    }
    let r = token(state, KEY, BODY).await;
    assert_error(&r, 429, "rate_limited");
    assert_eq!(r.headers.get("retry-after").unwrap(), "1");
}

/// Waits until Redis limits the caller again (a 429), at most `within`; returns how
/// long that took.
async fn wait_for_limits(state: &AppState, within: Duration) -> Duration {
    let started = Instant::now();
    while started.elapsed() < within {
        let r = token(state, KEY, BODY).await;
        assert!(
            r.status == 200 || r.status == 429 || r.status == 503,
            "{}",
            r.text
        );
        if r.status == 429 {
            return started.elapsed();
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("the Redis store did not limit again within {within:?} of Redis returning");
}

/// Drives the service for 2 s and stops Redis 0.5 s in. Every request ends within the
/// 1 s request timeout, those before the stop are served or limited by Redis (200,
/// 429), and the answers to those started after it are returned (at least 50).
async fn stop_mid_run(state: &AppState, server: &mut RedisServer) -> Vec<(u16, String)> {
    let driver = {
        let state = state.clone();
        tokio::spawn(async move { drive(&state, 8, Duration::from_millis(2000)).await })
    };
    tokio::time::sleep(Duration::from_millis(500)).await;
    let stopped_at = Instant::now();
    server.stop();
    let answers = driver.await.unwrap();
    let mut after = Vec::new();
    let mut before = 0;
    for (started, status, code, elapsed) in answers {
        assert!(elapsed < Duration::from_millis(1000), "{elapsed:?}");
        if started > stopped_at {
            after.push((status, code));
        } else if started + elapsed < stopped_at {
            before += 1;
            assert!(
                status == 200 || status == 429,
                "{status} {code} before the stop"
            );
        }
    }
    assert!(before > 10, "{before} requests before the stop");
    assert!(after.len() > 50, "{} requests after the stop", after.len());
    after
}

async fn readyz(state: &AppState) -> (u16, serde_json::Value) {
    let r = send(state, get("/readyz", None)).await;
    (r.status, r.body)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redis_stopped_mid_run_allow_serves_everything_then_recovers() {
    let Some(mut server) = RedisServer::start() else {
        return;
    };
    let h = harness(&service_config(&server.url(), "allow", "")).await;
    exhaust(&h.state).await;
    assert_eq!(readyz(&h.state).await.1["rate_limit_store"], "ok");

    let stopped = stop_mid_run(&h.state, &mut server).await;
    for (status, code) in stopped {
        assert_eq!(status, 200, "{code}");
    }
    let errors = h.state.metrics().rate_limit_store_errors();
    assert!(errors.get("connection") >= 1, "no connection error counted");
    assert!(errors.get("skipped") >= 1, "no request skipped the store");
    let metrics = h.state.metrics().encode().unwrap();
    assert!(
        metrics.contains("zego_token_rate_limit_store_errors_total{kind=\"connection\"}"),
        "{metrics}"
    );
    // Ready (the default does not require Redis), and says the store is down.
    let (status, body) = readyz(&h.state).await;
    assert_eq!(
        (status, body["rate_limit_store"].as_str()),
        (200, Some("unavailable"))
    );

    let port = server.port;
    let _back = RedisServer::start_on(port).expect("redis-server did not restart on its port");
    let took = wait_for_limits(&h.state, Duration::from_secs(5)).await;
    eprintln!("limits again {took:?} after Redis returned");
    assert_eq!(readyz(&h.state).await.1["rate_limit_store"], "ok");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redis_stopped_mid_run_deny_answers_503_only_then_recovers() {
    let Some(mut server) = RedisServer::start() else {
        return;
    };
    let h = harness(&service_config(
        &server.url(),
        "deny",
        "redis_required_for_ready = true",
    ))
    .await;
    exhaust(&h.state).await;
    assert_eq!(readyz(&h.state).await.0, 200);

    let stopped = stop_mid_run(&h.state, &mut server).await;
    for (status, code) in stopped {
        assert_eq!((status, code.as_str()), (503, "rate_limit_unavailable"));
    }
    let (status, body) = readyz(&h.state).await;
    assert_eq!(
        (status, body["status"].as_str()),
        (503, Some("store_unavailable"))
    );

    let _back = RedisServer::start_on(server.port).expect("redis-server did not restart");
    let took = wait_for_limits(&h.state, Duration::from_secs(5)).await;
    eprintln!("limits again {took:?} after Redis returned");
    assert_eq!(readyz(&h.state).await.0, 200);
}

/// `DEBUG SLEEP 2` stalls Redis for 2 s while requests run: each still ends within the
/// request timeout, with the policy's answer.
async fn slow_redis(policy: &str, want: (u16, &str)) {
    let Some(server) = RedisServer::start() else {
        return;
    };
    let h = harness(&service_config(&server.url(), policy, "")).await;
    exhaust(&h.state).await;
    let port = server.port;
    let sleeper = std::thread::spawn(move || redis_server::command_on(port, "DEBUG SLEEP 2"));
    // Let the DEBUG SLEEP start; drive within its 2 s.
    tokio::time::sleep(Duration::from_millis(300)).await;
    let answers = drive(&h.state, 8, Duration::from_millis(1300)).await;
    assert!(answers.len() > 30, "{} requests", answers.len());
    for (_, status, code, elapsed) in &answers {
        assert_eq!((*status, code.as_str()), want);
        assert!(*elapsed < Duration::from_millis(1000), "{elapsed:?}");
    }
    assert!(h.state.metrics().rate_limit_store_errors().get("timeout") >= 1);
    assert_eq!(sleeper.join().unwrap(), "+OK");
    wait_for_limits(&h.state, Duration::from_secs(5)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slow_redis_allow_answers_within_the_timeout() {
    slow_redis("allow", (200, "")).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slow_redis_deny_answers_503_within_the_timeout() {
    slow_redis("deny", (503, "rate_limit_unavailable")).await;
}

fn config_error(extra: &str, env: &zego_token_server::Env) -> zego_token_server::ConfigError {
    zego_token_server::Config::from_toml(&common::config_text(extra), env).unwrap_err()
}

#[test]
fn a_password_in_the_url_is_refused_without_quoting_it() {
    for url in [
        "redis://:hunter2-secret@127.0.0.1:6379/0",
        "rediss://user:hunter2-secret@redis.internal:6380",
        "redis://127.0.0.1:6379/0?password=hunter2-secret",
    ] {
        let e = config_error(
            &format!("[rate_limit]\nstore = \"redis\"\nredis_url = \"{url}\"\n"),
            &common::env(),
        );
        assert_eq!(e.key.as_deref(), Some("rate_limit.redis_url"), "{e}");
        assert!(e.message.contains("inline secrets are not allowed"), "{e}");
        assert!(e.message.contains("redis_password_env"), "{e}");
        assert!(!e.to_string().contains("hunter2"), "{e}");
    }
    let e = config_error(
        "[rate_limit]\nstore = \"redis\"\nredis_url = \"redis://h\"\nredis_password = \"hunter2-secret\"\n",
        &common::env(),
    );
    assert_eq!(e.key.as_deref(), Some("rate_limit.redis_password"), "{e}");
    assert!(!e.to_string().contains("hunter2"), "{e}");
}

#[test]
fn redis_store_settings_are_checked() {
    let cases = [
        ("store = \"redis\"", "rate_limit.redis_url", "is required"),
        (
            "store = \"redis\"\nredis_url = \"http://h:6379\"",
            "rate_limit.redis_url",
            "redis://",
        ),
        (
            "store = \"redis\"\nredis_url = \"rediss://h:6380#insecure\"",
            "rate_limit.redis_url",
            "certificate verification",
        ),
        (
            "store = \"redis\"\nredis_url = \"redis://h\"\nredis_timeout_ms = 5000",
            "rate_limit.redis_timeout_ms",
            "less than half",
        ),
        (
            "store = \"redis\"\nredis_url = \"redis://h\"\nredis_timeout_ms = 0",
            "rate_limit.redis_timeout_ms",
            "at least 1",
        ),
        (
            "store = \"redis\"\nredis_url = \"redis://h\"\nredis_password_env = \"A\"\nredis_password_file = \"/b\"",
            "rate_limit.redis_password_file",
            "keep one",
        ),
        ("store = \"etcd\"", "rate_limit.store", "unknown variant"),
        (
            "on_store_error = \"maybe\"",
            "rate_limit.on_store_error",
            "unknown variant",
        ),
    ];
    for (extra, key, words) in cases {
        let e = config_error(&format!("[rate_limit]\n{extra}\n"), &common::env());
        assert_eq!(e.key.as_deref(), Some(key), "{extra}: {e}");
        assert!(e.message.contains(words), "{extra}: {e}");
    }
}

#[tokio::test]
async fn the_password_comes_from_a_file_and_is_never_shown() {
    let password = "s3cret-redis-password-for-the-test";
    let Some(server) = RedisServer::start_with(&["--requirepass", password]) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("redis-password");
    std::fs::write(&file, format!("{password}\n")).unwrap();
    let extra = service_config(
        &server.url(),
        "deny",
        &format!("redis_password_file = \"{}\"", file.display()),
    );
    let h = harness(&extra).await;
    exhaust(&h.state).await;
    let debug = format!("{:?} {:?}", h.state, h.state.snapshot());
    assert!(!debug.contains(password), "the password is in Debug output");
    // Without it, Redis refuses the commands: the deny policy answers 503.
    let h = harness(&service_config(&server.url(), "deny", "")).await;
    let r = token(&h.state, KEY, BODY).await;
    assert_error(&r, 503, "rate_limit_unavailable");
    let errors = h.state.metrics().rate_limit_store_errors();
    assert!(errors.get("response") + errors.get("connection") >= 1);
    let settings = RedisSettings {
        password: Some(zeroize::Zeroizing::new(password.to_owned())),
        ..settings(&server, "x:", OnStoreError::Allow)
    };
    assert!(!format!("{settings:?}").contains(password));
}

#[tokio::test]
async fn a_reload_switches_the_store_and_keeps_buckets_otherwise() {
    let Some(server) = RedisServer::start() else {
        return;
    };
    let memory = "[limits]\nrequest_timeout_ms = 1000\n[rate_limit]\nper_caller_per_second = 2.0\nper_caller_burst = 5\n";
    let h = harness(memory).await;
    exhaust(&h.state).await;
    let bucket = "zego-token:rl:caller:full";

    // memory → redis: a new limiter whose buckets are in Redis.
    let redis = service_config(&server.url(), "deny", "");
    let restart = h
        .state
        .reload(&common::config(&redis), &common::env())
        .await
        .unwrap();
    assert!(restart.is_empty(), "{restart:?}");
    exhaust(&h.state).await;
    assert_eq!(server.command(&format!("EXISTS {bucket}")), ":1");

    // Same store, another rate: the limiter (and its buckets) is kept.
    let faster = service_config(&server.url(), "deny", "")
        .replace("per_caller_per_second = 2.0", "per_caller_per_second = 4.0");
    h.state
        .reload(&common::config(&faster), &common::env())
        .await
        .unwrap();
    assert_error(&token(&h.state, KEY, BODY).await, 429, "rate_limited");

    // Another key prefix is another limiter: fresh buckets under the new prefix.
    let prefixed = format!("{redis}key_prefix = \"other:\"\n");
    h.state
        .reload(&common::config(&prefixed), &common::env())
        .await
        .unwrap();
    exhaust(&h.state).await;
    assert_eq!(server.command("EXISTS other:caller:full"), ":1");

    // redis → memory: buckets in this process again, starting full.
    h.state
        .reload(&common::config(memory), &common::env())
        .await
        .unwrap();
    exhaust(&h.state).await;
}
