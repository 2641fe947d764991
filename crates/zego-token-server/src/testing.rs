//! What this crate's own tests and the fuzz targets need beyond the embedding surface:
//! injected clocks, the parts of the service tested on their own (rate limiters,
//! login-JWT verifier, credential fingerprints, the OpenAPI document), the layer stack
//! around routes the service does not have, and the state's insides.
//!
//! Behind the non-default cargo feature `test-util`, which the crate's tests enable
//! through their dev-dependency on the crate itself. Not part of the stable API: an
//! application embedding the service has no use for it.

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use axum::Router;
use zego_token::Clock;

pub use crate::auth::{Caller, CallerKind, fingerprint};
pub use crate::jwt::{
    JwtConfig, JwtIdentity, JwtKeySource, JwtRejection, JwtSetupError, JwtVerifier,
};
pub use crate::metrics::{Metrics, StoreErrors};
pub use crate::openapi::openapi_text;
#[cfg(feature = "redis")]
pub use crate::rate_limit::redis::{RedisLimiter, RedisSettings};
pub use crate::rate_limit::{LimitKey, MonoClock, Rate, RateLimiter, Refusal};
pub use crate::state::Snapshot;
use crate::{AppState, Config, ConfigError, Env};

/// A monotonic clock that only moves when told to, for the rate limiters.
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

/// `routes` inside the service's layer stack, as [`app`](crate::app) builds it: for
/// a route the service does not have (a handler that panics).
pub fn with_layers(routes: Router<AppState>, state: AppState) -> Router {
    crate::with_layers(routes, state)
}

/// The state's insides, for tests: bring the trait into scope and call
/// `AppState::with_clocks(…)`, `state.snapshot()`, `state.metrics()`, …
pub trait AppStateExt: Sized {
    /// As [`AppState::new`], with injected clocks: `clock` for token times, `mono` for
    /// the in-memory rate limiter (the Redis store keeps Redis's clock).
    ///
    /// # Errors
    ///
    /// As [`AppState::new`].
    fn with_clocks(
        config: &Config,
        env: &Env,
        clock: Arc<dyn Clock>,
        mono: Arc<dyn MonoClock>,
    ) -> impl Future<Output = Result<Self, ConfigError>> + Send;

    /// The config snapshot in force: apps, keys, policies, limiter.
    fn snapshot(&self) -> Arc<Snapshot>;

    /// The service's metrics registry.
    fn metrics(&self) -> &Metrics;

    /// Whether the drain has begun (`/readyz` answers 503).
    fn is_draining(&self) -> bool;

    /// Begins the drain as [`serve`](crate::serve) does when its shutdown future
    /// resolves: `/readyz` answers 503 from now on.
    fn set_draining(&self);
}

impl AppStateExt for AppState {
    fn with_clocks(
        config: &Config,
        env: &Env,
        clock: Arc<dyn Clock>,
        mono: Arc<dyn MonoClock>,
    ) -> impl Future<Output = Result<Self, ConfigError>> + Send {
        AppState::with_clocks(config, env, clock, mono)
    }

    fn snapshot(&self) -> Arc<Snapshot> {
        AppState::snapshot(self)
    }

    fn metrics(&self) -> &Metrics {
        AppState::metrics(self)
    }

    fn is_draining(&self) -> bool {
        AppState::is_draining(self)
    }

    fn set_draining(&self) {
        AppState::set_draining(self);
    }
}
