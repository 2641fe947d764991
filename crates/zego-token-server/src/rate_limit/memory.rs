//! The in-memory store: keyed token buckets in this process.
//!
//! Each bucket is stored as the time at which it will be full again (GCRA's
//! "theoretical arrival time"), computed with **its own** rate when it was last
//! charged, so it refills at that rate whoever looks at it, and a bucket whose time has
//! passed is full and can be forgotten: that judgement needs no rate at all.
//!
//! Memory is bounded: at most [`MAX_KEYS`] buckets in total (16 shards of
//! [`MAX_KEYS`]` / 16`), about 100 bytes each plus the caller name (≤ 200 bytes), so
//! under 16 MiB whatever the keys. Full buckets are dropped by a sweep that runs when a
//! shard has doubled since its last sweep (and half as many new keys as it kept have
//! arrived), so its cost is amortised O(1) per new key: never a scan per request. A
//! shard still at its bound evicts, for each new key, the soonest-full of 8 randomly
//! sampled buckets: that key starts again with a full bucket, the only leniency, and
//! only under a flood of distinct keys.
//! Time comes from a [`MonoClock`], so tests can step it.

use std::collections::HashMap;
use std::hash::{BuildHasher, RandomState};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use super::{LimitKey, MonoClock, Rate, interval_and_depth};

/// Most buckets tracked at once (all shards).
pub(crate) const MAX_KEYS: usize = 65_536;

const SHARDS: usize = 16;
/// A shard is never swept below this size.
const SWEEP_MIN: usize = 256;
/// Buckets sampled for one eviction.
const EVICT_SAMPLE: usize = 8;

#[derive(Debug)]
struct Shard {
    /// Key → its slot in `entries`.
    index: HashMap<LimitKey, usize>,
    /// (key, nanoseconds of clock time at which the bucket is full again).
    entries: Vec<(LimitKey, u64)>,
    /// Sweep when the shard grows past this.
    sweep_at: usize,
    sweep_min: usize,
    cap: usize,
    /// New keys since the last sweep, and how many that sweep kept.
    since_sweep: usize,
    kept: usize,
}

impl Shard {
    fn new(cap: usize, sweep_min: usize) -> Self {
        Self {
            index: HashMap::new(),
            entries: Vec::new(),
            sweep_at: sweep_min.min(cap),
            sweep_min: sweep_min.min(cap),
            cap,
            since_sweep: 0,
            kept: 0,
        }
    }

    fn get(&self, key: &LimitKey) -> Option<u64> {
        self.index.get(key).map(|&i| self.entries[i].1)
    }

    fn set(&mut self, key: &LimitKey, full_at: u64) {
        match self.index.get(key) {
            Some(&i) => self.entries[i].1 = full_at,
            None => {
                self.index.insert(key.clone(), self.entries.len());
                self.entries.push((key.clone(), full_at));
            }
        }
    }

    fn remove_at(&mut self, i: usize) {
        let (key, _) = self.entries.swap_remove(i);
        self.index.remove(&key);
        if let Some((moved, _)) = self.entries.get(i) {
            self.index.insert(moved.clone(), i);
        }
    }

    /// Makes room for one new key. A sweep costs O(size) and runs only after at least
    /// half as many new keys as it kept last time, so its cost is O(1) per new key even
    /// when a full shard frees nothing. At the bound, the soonest-full of a few randomly
    /// sampled buckets is evicted (O(1)).
    fn make_room(&mut self, now: u64) {
        self.since_sweep += 1;
        if self.entries.len() >= self.sweep_at && self.since_sweep > self.kept / 2 {
            self.entries.retain(|(_, full_at)| *full_at > now);
            self.index.clear();
            for (i, (k, _)) in self.entries.iter().enumerate() {
                self.index.insert(k.clone(), i);
            }
            self.kept = self.entries.len();
            self.since_sweep = 0;
            self.sweep_at = (self.kept * 2).clamp(self.sweep_min, self.cap);
        }
        if self.entries.len() >= self.cap && !self.entries.is_empty() {
            let len = self.entries.len();
            let victim = (0..EVICT_SAMPLE)
                .map(|_| usize::try_from(rand::random::<u64>() % len as u64).unwrap_or(0))
                .min_by_key(|&i| self.entries[i].1)
                .unwrap_or(0);
            self.remove_at(victim);
        }
    }

    fn len(&self) -> usize {
        self.entries.len()
    }
}

/// The in-memory keyed limiter.
#[derive(Debug)]
pub struct RateLimiter {
    shards: Box<[Mutex<Shard>]>,
    hasher: RandomState,
    clock: Arc<dyn MonoClock>,
}

impl RateLimiter {
    /// A limiter on the given clock, tracking at most [`MAX_KEYS`] buckets.
    #[must_use]
    pub fn new(clock: Arc<dyn MonoClock>) -> Self {
        Self::with_capacity(clock, MAX_KEYS)
    }

    /// A limiter tracking at most `max_keys` buckets (rounded up to a multiple of 16).
    #[must_use]
    pub fn with_capacity(clock: Arc<dyn MonoClock>, max_keys: usize) -> Self {
        Self::with_shards(clock, max_keys.div_ceil(SHARDS).max(1), SWEEP_MIN)
    }

    fn with_shards(clock: Arc<dyn MonoClock>, per_shard: usize, sweep_min: usize) -> Self {
        Self {
            shards: (0..SHARDS)
                .map(|_| Mutex::new(Shard::new(per_shard, sweep_min)))
                .collect(),
            hasher: RandomState::new(),
            clock,
        }
    }

    /// Buckets tracked right now (full ones not yet swept included).
    #[must_use]
    pub fn tracked(&self) -> usize {
        self.shards
            .iter()
            .map(|s| s.lock().unwrap_or_else(PoisonError::into_inner).len())
            .sum()
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
        let (interval, depth) = interval_and_depth(rate);
        let now = u64::try_from(self.clock.elapsed().as_nanos()).unwrap_or(u64::MAX);
        let shard = usize::try_from(self.hasher.hash_one(key) % SHARDS as u64).unwrap_or(0);
        let mut shard = self.shards[shard]
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        let full_at = match shard.get(key) {
            Some(t) => t.max(now),
            None => {
                shard.make_room(now);
                now
            }
        };
        // The bucket holds (depth - (full_at - now)) / interval tokens.
        let next = full_at.saturating_add(interval);
        if next - now <= depth {
            shard.set(key, next);
            Ok(())
        } else {
            Err(Duration::from_nanos((next - now - depth).max(1_000_000)))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::ManualClock;

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
    fn other_traffic_does_not_refill_a_limited_key() {
        // The case: a key exhausted, then a flood of other keys with a fast
        // rate; the key must stay limited until its own rate refills it.
        let clock = Arc::new(ManualClock::default());
        let lim = RateLimiter::new(clock.clone());
        let slow = Rate {
            per_second: 0.001,
            burst: 5,
        };
        let fast = Rate {
            per_second: 1000.0,
            burst: 200,
        };
        let key = LimitKey::Caller("victim".into());
        for _ in 0..5 {
            assert!(lim.check(&key, slow).is_ok());
        }
        assert!(lim.check(&key, slow).is_err());
        for i in 0u32..200_000 {
            let ip = LimitKey::Ip(std::net::IpAddr::from(i.to_be_bytes()));
            let _ = lim.check(&ip, fast);
            if i % 1000 == 0 {
                clock.advance(Duration::from_millis(10));
            }
        }
        // 2 s passed: far less than the 1000 s a token takes at the key's own rate.
        assert!(lim.check(&key, slow).is_err());
        assert!(lim.tracked() <= MAX_KEYS, "{}", lim.tracked());
    }

    #[test]
    fn memory_is_bounded_under_random_keys() {
        let clock = Arc::new(ManualClock::default());
        // The default bound is MAX_KEYS; a smaller one keeps this test fast.
        let bound = 4096;
        let lim = RateLimiter::with_capacity(clock.clone(), bound);
        // Slow refill: no bucket becomes full again, so sweeps free nothing and only
        // the bound holds the size.
        let rate = Rate {
            per_second: 0.0001,
            burst: 2,
        };
        let started = std::time::Instant::now();
        for i in 0u32..40_000 {
            let _ = lim.check(&LimitKey::Ip(std::net::IpAddr::from(i.to_be_bytes())), rate);
        }
        assert!(lim.tracked() <= bound, "{}", lim.tracked());
        assert!(lim.tracked() > bound / 2, "{}", lim.tracked());
        // No scan per request: ten times the keys beyond the bound stay cheap.
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "{:?}",
            started.elapsed()
        );
    }

    /// The reference: a token bucket per key in exact integer nanoseconds, never
    /// forgotten.
    #[derive(Default)]
    struct Model {
        buckets: HashMap<usize, (u64, u64)>, // key -> (credit ns, last seen ns)
    }

    impl Model {
        fn check(&mut self, key: usize, rate: Rate, now: u64) -> Result<(), Duration> {
            let (interval, depth) = interval_and_depth(rate);
            let (credit, last) = self.buckets.entry(key).or_insert((depth, now));
            *credit = (*credit + (now - *last)).min(depth);
            *last = now;
            if *credit >= interval {
                *credit -= interval;
                Ok(())
            } else {
                Err(Duration::from_nanos((interval - *credit).max(1_000_000)))
            }
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

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(200))]

        /// Same answers (allowed, or refused with the same wait) as the reference, with
        /// sweeps running all the time (tiny sweep threshold), each key on its own rate.
        #[test]
        fn matches_the_reference_model(
            ops in proptest::collection::vec((0usize..24, 0u64..3_000), 1..400)
        ) {
            let clock = Arc::new(ManualClock::default());
            // Room for every key in every shard (no eviction), sweeps from 1 bucket on.
            let lim = RateLimiter::with_shards(clock.clone(), 24, 1);
            let mut model = Model::default();
            for (key, advance_ms) in ops {
                // Most steps are small, some large, so buckets empty and refill.
                let step = if advance_ms > 2_500 { advance_ms * 10 } else { advance_ms / 8 };
                clock.advance(Duration::from_millis(step));
                let now = u64::try_from(clock.elapsed().as_nanos()).unwrap_or(u64::MAX);
                let rate = RATES[key % RATES.len()];
                let got = lim.check(&LimitKey::Caller(Arc::from(key.to_string())), rate);
                let want = model.check(key, rate, now);
                proptest::prop_assert_eq!(got, want);
            }
        }
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
