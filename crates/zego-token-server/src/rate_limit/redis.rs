//! The Redis store: every replica charges the same buckets in one Redis.
//!
//! Each request's check is one `EVALSHA` of `gcra.lua` on one key (the script is sent
//! once: [`redis::Script`] answers a `NOSCRIPT`, after a Redis restart or a
//! `SCRIPT FLUSH`, by loading it and calling it again). The script reads the time
//! with `TIME` on Redis itself, so replicas with skewed clocks share one timeline, and
//! sets the key to expire when its bucket is full again: Redis holds only buckets that
//! are in use. One bucket is one key, hence one hash slot.
//!
//! The connection is a [`ConnectionManager`]: one multiplexed connection shared by all
//! requests (pipelined, no pool to size), reconnected by itself after an I/O error.
//! Every call is bounded by `redis_timeout_ms`. A failure (timeout, connection,
//! unexpected answer) is counted in `zego_token_rate_limit_store_errors_total{kind}`,
//! logged at most once per [`WARN_EVERY`], and answered by the `on_store_error` policy.
//! After a failure the store is skipped for [`BACKOFF`] (counted as `skipped`, the
//! policy answers at once), then one request tries it again: a Redis that is down or
//! black-holed costs each request nothing, and one that returns is used again within
//! [`BACKOFF`] of answering.

use std::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use redis::aio::{ConnectionManager, ConnectionManagerConfig};
use redis::{IntoConnectionInfo, RedisError, Script};
use zeroize::Zeroizing;

use super::{LimitKey, MonoClock, Rate, Refusal, interval_and_depth};
use crate::config::OnStoreError;
use crate::metrics::StoreErrors;

/// The GCRA step, run atomically in Redis.
pub(crate) const GCRA_LUA: &str = include_str!("gcra.lua");

/// Least time between two warnings about the store.
pub(crate) const WARN_EVERY: Duration = Duration::from_secs(5);

/// How long the store is skipped after a failure before one request tries it again.
pub(crate) const BACKOFF: Duration = Duration::from_millis(250);

/// What the Redis store is built from.
pub struct RedisSettings {
    /// `redis://` or `rediss://` URL, without a password.
    pub url: String,
    /// The `AUTH` password, if any.
    pub password: Option<Zeroizing<String>>,
    /// Prefix of every key.
    pub key_prefix: String,
    /// Bound on each command and connection attempt.
    pub timeout: Duration,
    /// The answer when the store fails.
    pub on_error: OnStoreError,
}

impl fmt::Debug for RedisSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RedisSettings")
            .field("url", &self.url)
            .field("password", &self.password.as_ref().map(|_| "<redacted>"))
            .field("key_prefix", &self.key_prefix)
            .field("timeout", &self.timeout)
            .field("on_error", &self.on_error)
            .finish()
    }
}

/// The Redis-backed limiter.
pub struct RedisLimiter {
    conn: ConnectionManager,
    script: Script,
    prefix: Box<[u8]>,
    /// `host:port`, for logs (never credentials).
    target: String,
    timeout: Duration,
    on_error: OnStoreError,
    /// Test only: the time passed to the script instead of Redis's `TIME`.
    clock: Option<Arc<dyn MonoClock>>,
    errors: StoreErrors,
    started: Instant,
    /// Milliseconds since `started` before which the store is skipped.
    skip_until_ms: AtomicU64,
    /// Milliseconds since `started` before which no warning is logged.
    quiet_until_ms: AtomicU64,
    /// Failures since the last warning.
    unlogged: AtomicU64,
}

impl fmt::Debug for RedisLimiter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RedisLimiter")
            .field("target", &self.target)
            .field("timeout", &self.timeout)
            .field("on_error", &self.on_error)
            .finish_non_exhaustive()
    }
}

impl RedisLimiter {
    /// A limiter on the Redis at `settings.url`. Does not connect: the first request
    /// (or [`RedisLimiter::ping`]) does, so a Redis that is down at start does not stop
    /// the service (its requests get the `on_store_error` answer until it is up).
    ///
    /// # Errors
    ///
    /// The URL does not parse (the message never contains the URL).
    pub fn new(settings: RedisSettings, errors: StoreErrors) -> Result<Self, String> {
        // rustls is built without a default provider (no aws-lc): install ring, as the
        // JWKS fetcher does, for `rediss://`.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let mut info = settings
            .url
            .as_str()
            .into_connection_info()
            .map_err(|e| format!("is not a usable Redis URL ({})", e.category()))?;
        if let Some(password) = &settings.password {
            let redis = info
                .redis_settings()
                .clone()
                .set_password(password.as_str());
            info = info.set_redis_settings(redis);
        }
        let target = info.addr().to_string();
        let client = redis::Client::open(info)
            .map_err(|e| format!("is not a usable Redis URL ({})", e.category()))?;
        let config = ConnectionManagerConfig::new()
            .set_connection_timeout(Some(settings.timeout))
            .set_response_timeout(Some(settings.timeout))
            // One attempt per reconnect: the next request after a failure starts the
            // next one (after BACKOFF), so no attempt outlives a request.
            .set_number_of_retries(0);
        let conn = ConnectionManager::new_lazy_with_config(client, config)
            .map_err(|e| format!("cannot set up the Redis client ({})", e.category()))?;
        Ok(Self {
            conn,
            script: Script::new(GCRA_LUA),
            prefix: settings.key_prefix.into_bytes().into_boxed_slice(),
            target,
            timeout: settings.timeout,
            on_error: settings.on_error,
            clock: None,
            errors,
            started: Instant::now(),
            skip_until_ms: AtomicU64::new(0),
            quiet_until_ms: AtomicU64::new(0),
            unlogged: AtomicU64::new(0),
        })
    }

    /// Passes `clock`'s time to the script instead of Redis's `TIME`, so a test can
    /// step it (and compare with the memory store on the same clock). Not for
    /// production: replicas would each bring their own clock.
    #[must_use]
    pub fn with_test_clock(mut self, clock: Arc<dyn MonoClock>) -> Self {
        self.clock = Some(clock);
        self
    }

    /// The Redis key of a bucket: prefix, `ip:` or `caller:`, then the address or name.
    #[must_use]
    pub fn key(&self, key: &LimitKey) -> Vec<u8> {
        let mut out = self.prefix.to_vec();
        match key {
            LimitKey::Ip(ip) => {
                out.extend_from_slice(b"ip:");
                out.extend_from_slice(ip.to_string().as_bytes());
            }
            LimitKey::Caller(name) => {
                out.extend_from_slice(b"caller:");
                out.extend_from_slice(name.as_bytes());
            }
        }
        out
    }

    /// Takes one token for `key`: one atomic script call.
    ///
    /// # Errors
    ///
    /// As [`super::Limiter::check`].
    pub async fn check(&self, key: &LimitKey, rate: Rate) -> Result<(), Refusal> {
        let now_ms = self.now_ms();
        if now_ms < self.skip_until_ms.load(Ordering::Relaxed) {
            return self.failed("skipped", None, now_ms);
        }
        let (interval, depth) = interval_and_depth(rate);
        let mut call = self.script.key(self.key(key));
        call.arg(interval).arg(depth);
        if let Some(clock) = &self.clock {
            call.arg(u64::try_from(clock.elapsed().as_micros()).unwrap_or(u64::MAX));
        }
        let mut conn = self.conn.clone();
        match tokio::time::timeout(self.timeout, call.invoke_async::<i64>(&mut conn)).await {
            Ok(Ok(0)) => Ok(()),
            Ok(Ok(wait_us)) if wait_us > 0 => Err(Refusal::Limited(
                Duration::from_micros(wait_us.unsigned_abs()).max(Duration::from_millis(1)),
            )),
            Ok(Ok(_)) => self.failed("response", None, now_ms),
            Ok(Err(e)) => self.failed(kind_of(&e), Some(&e), now_ms),
            Err(_) => self.failed("timeout", None, now_ms),
        }
    }

    /// `PING`, bounded by the command timeout (for `/readyz` and the start-up check).
    ///
    /// # Errors
    ///
    /// The failure's kind (`timeout`, `connection`, `response`).
    pub async fn ping(&self) -> Result<(), &'static str> {
        let mut conn = self.conn.clone();
        let ping = redis::cmd("PING");
        match tokio::time::timeout(self.timeout, ping.query_async::<String>(&mut conn)).await {
            Ok(Ok(_)) => Ok(()),
            Ok(Err(e)) => Err(kind_of(&e)),
            Err(_) => Err("timeout"),
        }
    }

    /// `host:port` of the store.
    #[must_use]
    pub fn target(&self) -> &str {
        &self.target
    }

    fn now_ms(&self) -> u64 {
        u64::try_from(self.started.elapsed().as_millis()).unwrap_or(u64::MAX)
    }

    /// Counts a failure, logs it (rate-limited), backs off, answers the policy.
    fn failed(
        &self,
        kind: &'static str,
        error: Option<&RedisError>,
        now_ms: u64,
    ) -> Result<(), Refusal> {
        self.errors.inc(kind);
        if kind != "skipped" {
            self.skip_until_ms
                .fetch_max(now_ms.saturating_add(ms(BACKOFF)), Ordering::Relaxed);
        }
        let unlogged = self.unlogged.fetch_add(1, Ordering::Relaxed) + 1;
        let quiet_until = self.quiet_until_ms.load(Ordering::Relaxed);
        if now_ms >= quiet_until
            && self
                .quiet_until_ms
                .compare_exchange(
                    quiet_until,
                    now_ms.saturating_add(ms(WARN_EVERY)),
                    Ordering::Relaxed,
                    Ordering::Relaxed,
                )
                .is_ok()
        {
            self.unlogged.fetch_sub(unlogged, Ordering::Relaxed);
            let policy = match self.on_error {
                OnStoreError::Allow => "allowed without a limit (on_store_error = \"allow\")",
                OnStoreError::Deny => "refused with 503 (on_store_error = \"deny\")",
            };
            tracing::warn!(
                store = %self.target,
                kind,
                error = error.map(tracing::field::display),
                failures = unlogged,
                "the Redis rate-limit store failed; requests are {policy} until it answers"
            );
        }
        match self.on_error {
            OnStoreError::Allow => Ok(()),
            OnStoreError::Deny => Err(Refusal::StoreUnavailable),
        }
    }
}

fn ms(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}

/// The metric label of a client error.
fn kind_of(e: &RedisError) -> &'static str {
    if e.is_timeout() {
        "timeout"
    } else if e.is_io_error() || e.is_connection_refusal() || e.is_connection_dropped() {
        "connection"
    } else {
        "response"
    }
}
