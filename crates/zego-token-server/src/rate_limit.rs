//! Keyed token buckets: one per caller and one per client IP.
//!
//! A bucket holds up to `burst` tokens and refills at `rate` per second; a request
//! takes one. Buckets live in a sharded map (16 mutexes, held for a few nanoseconds)
//! and are dropped again once full, so idle keys cost nothing. Time comes from a
//! [`MonoClock`], so tests can step it.

use std::collections::HashMap;
use std::fmt::Debug;
use std::hash::{BuildHasher, Hash, RandomState};
use std::net::IpAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// A monotonic clock: time since an arbitrary start.
pub trait MonoClock: Send + Sync + Debug {
    /// Time elapsed since the clock's start.
    fn elapsed(&self) -> Duration;
}

/// The real monotonic clock.
#[derive(Debug, Clone, Copy)]
pub struct SystemMonoClock(Instant);

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

/// A clock that only moves when told to, for tests.
#[derive(Debug, Default)]
pub struct ManualClock(AtomicU64);

impl ManualClock {
    /// Moves the clock forward.
    pub fn advance(&self, by: Duration) {
        let nanos = u64::try_from(by.as_nanos()).unwrap_or(u64::MAX);
        self.0.fetch_add(nanos, Ordering::SeqCst);
    }
}

impl MonoClock for ManualClock {
    fn elapsed(&self) -> Duration {
        Duration::from_nanos(self.0.load(Ordering::SeqCst))
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

#[derive(Debug, Clone, Copy)]
struct Bucket {
    tokens: f64,
    at: Duration,
}

const SHARDS: usize = 16;
/// A shard with more buckets than this drops the full ones.
const PRUNE_AT: usize = 4096;

/// The keyed limiter.
#[derive(Debug)]
pub struct RateLimiter {
    shards: Box<[Mutex<HashMap<LimitKey, Bucket>>]>,
    hasher: RandomState,
    clock: Arc<dyn MonoClock>,
}

impl RateLimiter {
    /// A limiter on the given clock.
    #[must_use]
    pub fn new(clock: Arc<dyn MonoClock>) -> Self {
        Self {
            shards: (0..SHARDS).map(|_| Mutex::new(HashMap::new())).collect(),
            hasher: RandomState::new(),
            clock,
        }
    }

    /// Takes one token for `key`.
    ///
    /// # Errors
    ///
    /// The time until a token is available, when the bucket is empty.
    pub fn check(&self, key: &LimitKey, rate: Rate) -> Result<(), Duration> {
        if !rate.enabled() {
            return Ok(());
        }
        let burst = f64::from(rate.burst.max(1));
        let now = self.clock.elapsed();
        let shard = usize::try_from(self.hasher.hash_one(key) % SHARDS as u64).unwrap_or(0);
        let mut map = match self.shards[shard].lock() {
            Ok(m) => m,
            Err(poisoned) => poisoned.into_inner(),
        };
        if map.len() > PRUNE_AT {
            map.retain(|_, b| {
                let refill = (now.saturating_sub(b.at)).as_secs_f64() * rate.per_second;
                b.tokens + refill < burst
            });
        }
        let bucket = map.entry(key.clone()).or_insert(Bucket {
            tokens: burst,
            at: now,
        });
        let refill = now.saturating_sub(bucket.at).as_secs_f64() * rate.per_second;
        bucket.tokens = (bucket.tokens + refill).min(burst);
        bucket.at = now;
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            Ok(())
        } else {
            let wait = (1.0 - bucket.tokens) / rate.per_second;
            Err(Duration::from_secs_f64(wait.max(0.001)))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refills_at_the_rate() {
        let clock = Arc::new(ManualClock::default());
        let lim = RateLimiter::new(clock.clone());
        let key = LimitKey::Caller("k".into());
        let rate = Rate {
            per_second: 2.0,
            burst: 3,
        };
        for _ in 0..3 {
            assert!(lim.check(&key, rate).is_ok());
        }
        let wait = lim.check(&key, rate).unwrap_err();
        assert_eq!(wait, Duration::from_millis(500));
        clock.advance(Duration::from_millis(500));
        assert!(lim.check(&key, rate).is_ok());
        assert!(lim.check(&key, rate).is_err());
        // Another key has its own bucket.
        assert!(lim.check(&LimitKey::Caller("other".into()), rate).is_ok());
    }

    #[test]
    fn zero_rate_is_unlimited() {
        let lim = RateLimiter::new(Arc::new(ManualClock::default()));
        let key = LimitKey::Ip([127, 0, 0, 1].into());
        let rate = Rate {
            per_second: 0.0,
            burst: 0,
        };
        for _ in 0..10_000 {
            assert!(lim.check(&key, rate).is_ok());
        }
    }
}
