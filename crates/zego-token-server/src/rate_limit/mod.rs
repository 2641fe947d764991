//! Keyed token buckets: one per caller and one per client IP (IPv6 by /64), in one of
//! two stores behind one [`Limiter`].
//!
//! A bucket holds up to `burst` tokens and refills at `per_second`; a request takes
//! one. Both stores run the same GCRA step: a bucket is the time at which it will be
//! full again, `next = max(full_at, now) + interval` is allowed when
//! `next - now <= burst × interval`, and otherwise the caller waits
//! `next - now - burst × interval` (at least 1 ms; the `Retry-After` header rounds it up
//! to whole seconds).
//!
//! * [`memory`] (`store = "memory"`, the default): buckets in this process, bounded in
//!   number; each replica counts on its own.
//! * [`redis`] (`store = "redis"`, feature `redis`): one key per bucket in a
//!   shared Redis, charged by one Lua script (`gcra.lua`, called by its SHA) on Redis's
//!   own clock, so all replicas share each bucket. When Redis fails or is slow,
//!   `on_store_error` decides: allow (and count) or refuse with 503
//!   `rate_limit_unavailable`.
//!
//! [`Limiter::check`] is the one call of `auth.rs`. It is `async` for Redis; the memory
//! arm never awaits, boxes or allocates.

use std::fmt::Debug;
use std::net::IpAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

pub(crate) mod memory;
#[cfg(feature = "redis")]
pub(crate) mod redis;

pub use memory::RateLimiter;

/// A monotonic clock: time since an arbitrary start.
pub trait MonoClock: Send + Sync + Debug {
    /// Time elapsed since the clock's start.
    fn elapsed(&self) -> Duration;
}

/// The real monotonic clock.
#[derive(Debug, Clone, Copy)]
pub(crate) struct SystemMonoClock(Instant);

impl Default for SystemMonoClock {
    fn default() -> Self {
        Self(Instant::now())
    }
}

impl MonoClock for SystemMonoClock {
    fn elapsed(&self) -> Duration {
        self.0.elapsed()
    }
}

/// What a bucket is keyed by.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum LimitKey {
    /// A caller (API key name or JWT issuer + user).
    Caller(Arc<str>),
    /// A client IP.
    Ip(IpAddr),
}

/// A rate and burst. A rate of 0 means unlimited.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rate {
    /// Tokens per second.
    pub per_second: f64,
    /// Bucket size.
    pub burst: u32,
}

impl Rate {
    /// Whether this limit is on.
    #[must_use]
    pub fn enabled(self) -> bool {
        self.per_second > 0.0
    }
}

/// The time between two tokens and the bucket's depth, in nanoseconds. Both stores
/// derive their arithmetic from these two numbers.
pub(crate) fn interval_and_depth(rate: Rate) -> (u64, u64) {
    // Rates are finite and > 0 here (checked in the config); at least 1 ns.
    #[allow(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        reason = "clamped to 1..=u64::MAX first"
    )]
    let interval = (1e9 / rate.per_second).round().clamp(1.0, 1.8e19) as u64;
    let depth = interval.saturating_mul(u64::from(rate.burst.max(1)));
    (interval, depth)
}

/// Why [`Limiter::check`] refused a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// The bucket is empty: a token is available after this long (429).
    Limited(Duration),
    /// The shared store failed or did not answer in time, and `on_store_error = "deny"`
    /// (503 `rate_limit_unavailable`).
    StoreUnavailable,
}

/// The limiter of one configuration: the in-memory store or the Redis store.
#[derive(Debug)]
#[non_exhaustive]
pub enum Limiter {
    /// Buckets in this process.
    Memory(RateLimiter),
    /// Buckets in a shared Redis.
    #[cfg(feature = "redis")]
    Redis(redis::RedisLimiter),
}

impl Limiter {
    /// Takes one token for `key` at `rate` (a disabled rate always allows).
    ///
    /// # Errors
    ///
    /// [`Refusal::Limited`] with the wait when the bucket is empty;
    /// [`Refusal::StoreUnavailable`] when the Redis store failed under
    /// `on_store_error = "deny"`. Under `"allow"` a store failure is `Ok`.
    pub async fn check(&self, key: &LimitKey, rate: Rate) -> Result<(), Refusal> {
        if !rate.enabled() {
            return Ok(());
        }
        match self {
            Self::Memory(m) => m.check(key, rate).map_err(Refusal::Limited),
            #[cfg(feature = "redis")]
            Self::Redis(r) => r.check(key, rate).await,
        }
    }

    /// The store's name: `memory` or `redis`.
    #[must_use]
    pub fn store(&self) -> &'static str {
        match self {
            Self::Memory(_) => "memory",
            #[cfg(feature = "redis")]
            Self::Redis(_) => "redis",
        }
    }

    /// Whether the store answers now (a Redis `PING` within the command timeout; the
    /// memory store always does).
    pub async fn store_reachable(&self) -> bool {
        match self {
            Self::Memory(_) => true,
            #[cfg(feature = "redis")]
            Self::Redis(r) => r.ping().await.is_ok(),
        }
    }
}
