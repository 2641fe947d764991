//! [`AppState`]: everything a request needs, shared by all requests.
//!
//! # Lifecycle
//!
//! * The **snapshot** ([`Snapshot`]: apps with their prepared [`ServerSecret`]s, API
//!   keys, JWT verifiers, policies, token and rate settings, console switch) is built
//!   from a [`Config`] at start and again on every reload. It sits behind an
//!   [`ArcSwap`]: a request takes the current one once (an atomic reference-count
//!   increment) and keeps it to the end, so a reload never changes a request midway and
//!   never blocks one. A config that fails to build is refused and the old snapshot
//!   keeps serving.
//! * **Metrics**, the clocks and the instance id live for the process: reloads keep
//!   counters. The **rate limiter** is part of the snapshot but carried over by every
//!   reload that keeps `rate_limit.store` and its Redis settings, so buckets survive
//!   reloads; a reload that switches the store or its URL builds the new limiter and
//!   swaps it with the rest (in-memory buckets start full; Redis buckets are wherever
//!   that Redis has them).
//! * Settings bound to sockets or layers (listen address, TLS, CORS, body limit, the
//!   metrics listener) are read at start; a reload that changes them logs that a restart
//!   is needed.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use arc_swap::ArcSwap;
use zego_token::{CipherMode, Clock, GenerateOptions, ServerSecret, SystemClock};

use crate::config::{AppSecret, CallerKind, Config, ConfigError, Env, IssuerKeys, read_secret};
use crate::jwt::{HS256_MIN_SECRET, JwtConfig, JwtKeySource, JwtVerifier};
use crate::metrics::Metrics;
use crate::policy::Policy;
use crate::proxy::ClientIpRule;
use crate::rate_limit::{Limiter, MonoClock, Rate, RateLimiter, SystemMonoClock};

/// One configured app.
#[derive(Debug)]
pub struct AppEntry {
    /// The prepared ServerSecret (AES key schedules expanded once).
    pub secret: ServerSecret,
    /// Whether this is the public demo app (tokens ZEGO refuses).
    pub demo: bool,
}

/// One API key.
#[derive(Debug)]
pub(crate) struct ApiKeyEntry {
    pub(crate) name: Arc<str>,
    pub(crate) hash: [u8; 32],
    pub(crate) policy: Arc<Policy>,
}

/// One trusted JWT issuer.
#[derive(Debug)]
pub(crate) struct JwtEntry {
    /// `jwt:<issuer>`, the name its callers get.
    pub(crate) name: Arc<str>,
    pub(crate) verifier: JwtVerifier,
    pub(crate) policy: Arc<Policy>,
}

/// The reloadable part of the state.
#[derive(Debug)]
pub struct Snapshot {
    pub(crate) apps: BTreeMap<u32, AppEntry>,
    pub(crate) api_keys: Vec<ApiKeyEntry>,
    pub(crate) jwt: Vec<JwtEntry>,
    pub(crate) caller_rate: Rate,
    pub(crate) ip_rate: Rate,
    /// The buckets: kept from the previous snapshot while `rate_limit.store` and its
    /// Redis settings are unchanged, built anew when they change.
    pub(crate) limiter: Arc<Limiter>,
    pub(crate) client_ip: ClientIpRule,
    pub(crate) request_timeout: Duration,
    pub(crate) gcm: GenerateOptions,
    pub(crate) cbc: GenerateOptions,
    pub(crate) config: Config,
}

impl Snapshot {
    /// The app a request without `app_id` gets: the only one configured.
    #[must_use]
    pub fn default_app(&self) -> Option<u32> {
        crate::policy::only_app(&self.apps)
    }

    /// A configured app.
    #[must_use]
    pub fn app(&self, app_id: u32) -> Option<&AppEntry> {
        self.apps.get(&app_id)
    }

    /// The JWT issuers (`jwt:<issuer>`) with no keys yet, and those whose last JWKS
    /// fetch failed (serving with their previous keys).
    #[must_use]
    pub fn issuers_without_fresh_keys(&self) -> (Vec<String>, Vec<String>) {
        let mut none = Vec::new();
        let mut stale = Vec::new();
        for e in &self.jwt {
            if e.verifier.has_no_keys() {
                none.push(e.name.to_string());
            } else if e.verifier.keys_stale() {
                stale.push(e.name.to_string());
            }
        }
        (none, stale)
    }

    /// Configured app ids.
    pub fn app_ids(&self) -> impl Iterator<Item = u32> + '_ {
        self.apps.keys().copied()
    }

    pub(crate) fn options(&self, mode: CipherMode) -> &GenerateOptions {
        match mode {
            CipherMode::Cbc => &self.cbc,
            _ => &self.gcm,
        }
    }

    /// The rate limiter.
    #[must_use]
    pub fn limiter(&self) -> &Arc<Limiter> {
        &self.limiter
    }

    async fn build(
        config: &Config,
        env: &Env,
        clocks: &Clocks<'_>,
        previous: Option<&Self>,
    ) -> Result<Self, ConfigError> {
        let clock = clocks.token;
        // `Config`'s fields are public: a config built or changed in code meets the
        // same rules as a loaded one.
        config.check()?;
        let mut apps = BTreeMap::new();
        for (i, app) in config.apps.iter().enumerate() {
            let prefix = format!("apps[{i}].secret");
            let (secret, key) = match app.secret(i)? {
                AppSecret::Demo => (
                    ServerSecret::new(zego_token::demo::SECRET),
                    format!("{prefix}_env"),
                ),
                AppSecret::From(source) => (
                    ServerSecret::new(&read_secret(&prefix, source, env)?),
                    source.key(&prefix),
                ),
            };
            let secret = secret.map_err(|e| {
                ConfigError::key(
                    key,
                    format!(
                        "{e} (copy the ServerSecret of app {} from ZEGO's console, project settings)",
                        app.app_id
                    ),
                )
            })?;
            apps.insert(
                app.app_id,
                AppEntry {
                    secret,
                    demo: app.demo_secret,
                },
            );
        }
        let api_keys = config
            .api_keys
            .iter()
            .enumerate()
            .map(|(i, k)| {
                let digest = k.digest(i)?;
                // A build-time rule, not a load-time one, so the example (with its
                // placeholder) still parses as a template, but nothing serves with it.
                if digest.is_placeholder() {
                    return Err(ConfigError::key(
                        format!("api_keys[{i}].sha256"),
                        "is a placeholder (all zeros, or the SHA-256 of the empty key); store the SHA-256 of a real key: `KEY=$(openssl rand -hex 24); printf %s \"$KEY\" | sha256sum`",
                    ));
                }
                Ok(ApiKeyEntry {
                    name: Arc::from(k.name.as_str()),
                    hash: digest.0,
                    policy: Arc::new(Policy::from_config(k, CallerKind::ApiKey)),
                })
            })
            .collect::<Result<Vec<_>, ConfigError>>()?;
        let mut jwt = Vec::new();
        for (i, j) in config.jwt_issuers.iter().enumerate() {
            let prefix = format!("jwt_issuers[{i}]");
            let secret_key = format!("{prefix}.hs256_secret");
            let (keys, hs256_source) = match j.keys(i)? {
                IssuerKeys::Hs256(source) => {
                    let s = read_secret(&secret_key, source, env)?;
                    (
                        JwtKeySource::Hs256(zeroize::Zeroizing::new(s.as_bytes().to_vec())),
                        Some(source),
                    )
                }
                IssuerKeys::JwksFile(f) => (JwtKeySource::JwksFile(f.to_owned()), None),
                IssuerKeys::JwksUrl(u) => (JwtKeySource::JwksUrl(u.to_owned()), None),
            };
            // The same clock as the tokens: JWT expiry is judged on the injected time.
            // A JWKS URL that cannot be fetched does not fail the build: the issuer
            // keeps its previous keys (on a reload) or starts with none.
            let previous_verifier = previous
                .and_then(|p| p.jwt.iter().find(|e| e.verifier.issuer() == j.issuer))
                .map(|e| &e.verifier);
            let (verifier, note) = JwtVerifier::for_config(
                JwtConfig {
                    issuer: j.issuer.clone(),
                    audiences: j.audiences.clone(),
                    keys,
                    user_id_claim: j.user_id_claim.clone(),
                    rooms_claim: j.rooms_claim.clone(),
                    publish_claim: j.publish_claim.clone(),
                    leeway: Duration::from_secs(j.leeway_seconds),
                    jwks_refresh: Duration::from_secs(j.jwks_refresh_seconds.max(1)),
                },
                clock.clone(),
                previous_verifier,
            )
            .await
            .map_err(|fault| match hs256_source {
                // The verifier's length rule, named by the key the secret came from.
                Some(source) if fault.short_hs256 => ConfigError::key(
                    source.key(&secret_key),
                    format!(
                        "the HS256 secret is shorter than {HS256_MIN_SECRET} bytes; use the full shared secret of your identity provider"
                    ),
                ),
                _ => ConfigError::key(prefix.clone(), fault.error.to_string()),
            })?;
            if let Some(note) = note {
                tracing::warn!(issuer = %j.issuer, key = %prefix, "{note}");
            }
            jwt.push(JwtEntry {
                name: Arc::from(format!("jwt:{}", j.issuer)),
                verifier,
                policy: Arc::new(Policy::from_config(j, j.kind())),
            });
        }
        let r = &config.rate_limit;
        let limiter = match previous {
            Some(p) if p.config.rate_limit.same_store(r) => p.limiter.clone(),
            _ => Arc::new(build_limiter(config, env, clocks).await?),
        };
        Ok(Self {
            apps,
            api_keys,
            jwt,
            caller_rate: Rate {
                per_second: r.per_caller_per_second,
                burst: r.per_caller_burst,
            },
            ip_rate: Rate {
                per_second: r.per_ip_per_second,
                burst: r.per_ip_burst,
            },
            limiter,
            client_ip: r.client_ip_rule()?,
            request_timeout: Duration::from_millis(config.limits.request_timeout_ms),
            gcm: GenerateOptions::default()
                .mode(CipherMode::Gcm)
                .clock(clock.clone()),
            cbc: GenerateOptions::default()
                .mode(CipherMode::Cbc)
                .clock(clock.clone()),
            config: config.clone(),
        })
    }
}

/// The clocks and counters a snapshot's parts are built with.
struct Clocks<'a> {
    token: &'a Arc<dyn Clock>,
    mono: &'a Arc<dyn MonoClock>,
    metrics: &'a Metrics,
}

/// The limiter of `config.rate_limit.store`. A Redis store does not connect here (a
/// Redis that is down must not stop a start or a reload under `on_store_error`); its
/// first `PING` only warns.
async fn build_limiter(
    config: &Config,
    env: &Env,
    clocks: &Clocks<'_>,
) -> Result<Limiter, ConfigError> {
    let r = &config.rate_limit;
    match r.store {
        crate::config::RateLimitStore::Memory => {
            let _ = (env, clocks.metrics);
            Ok(Limiter::Memory(RateLimiter::new(clocks.mono.clone())))
        }
        #[cfg(feature = "redis")]
        crate::config::RateLimitStore::Redis => {
            use crate::rate_limit::redis::{RedisLimiter, RedisSettings};
            let password = match r.redis_password()? {
                Some(source) => Some(read_secret("rate_limit.redis_password", source, env)?),
                None => None,
            };
            let settings = RedisSettings {
                url: r.redis_url.clone().unwrap_or_default(),
                password,
                key_prefix: r.key_prefix.clone(),
                timeout: Duration::from_millis(r.redis_timeout_ms),
                on_error: r.on_store_error,
            };
            let limiter =
                RedisLimiter::new(settings, clocks.metrics.rate_limit_store_errors().clone())
                    .map_err(|m| ConfigError::key("rate_limit.redis_url", m))?;
            if let Err(kind) = limiter.ping().await {
                tracing::warn!(
                    store = limiter.target(),
                    kind,
                    "the Redis rate-limit store does not answer yet; on_store_error applies until it does"
                );
            }
            Ok(Limiter::Redis(limiter))
        }
        #[cfg(not(feature = "redis"))]
        crate::config::RateLimitStore::Redis => Err(ConfigError::key(
            "rate_limit.store",
            "is \"redis\" but this build has no Redis support",
        )),
    }
}

#[derive(Debug)]
struct Shared {
    current: ArcSwap<Snapshot>,
    metrics: Metrics,
    mono: Arc<dyn MonoClock>,
    clock: Arc<dyn Clock>,
    /// The config the process started with: a reload's restart-only changes are judged
    /// against what is running, not against the last file loaded.
    started: Config,
    instance_id: u32,
    draining: AtomicBool,
    // Fixed at start (bound to layers and sockets).
    body_limit: usize,
    body_budget: Arc<tokio::sync::Semaphore>,
    head_limits: HeadLimits,
    metrics_on_main: bool,
    shutdown_grace: Duration,
}

/// The shared state of the service. Cheap to clone.
#[derive(Debug, Clone)]
pub struct AppState {
    inner: Arc<Shared>,
}

impl AsRef<Metrics> for AppState {
    fn as_ref(&self) -> &Metrics {
        &self.inner.metrics
    }
}

impl AppState {
    /// Builds the state from a config, reading secrets from `env` and files.
    ///
    /// # Errors
    ///
    /// [`ConfigError`] naming the key (secret missing or not 32 bytes, JWKS unreadable…).
    pub async fn new(config: &Config, env: &Env) -> Result<Self, ConfigError> {
        Self::with_clocks(
            config,
            env,
            Arc::new(SystemClock),
            Arc::new(SystemMonoClock::default()),
        )
        .await
    }

    /// As [`AppState::new`], with injected clocks: `clock` for token times, `mono` for
    /// rate limits.
    ///
    /// # Errors
    ///
    /// As [`AppState::new`].
    pub(crate) async fn with_clocks(
        config: &Config,
        env: &Env,
        clock: Arc<dyn Clock>,
        mono: Arc<dyn MonoClock>,
    ) -> Result<Self, ConfigError> {
        let metrics = Metrics::new();
        let clocks = Clocks {
            token: &clock,
            mono: &mono,
            metrics: &metrics,
        };
        let snapshot = Snapshot::build(config, env, &clocks, None).await?;
        Ok(Self {
            inner: Arc::new(Shared {
                current: ArcSwap::from_pointee(snapshot),
                metrics,
                mono,
                clock,
                started: config.clone(),
                instance_id: rand::random(),
                draining: AtomicBool::new(false),
                body_limit: config.limits.body_limit_bytes,
                body_budget: Arc::new(tokio::sync::Semaphore::new(
                    config
                        .limits
                        .max_buffered_bytes
                        .min(tokio::sync::Semaphore::MAX_PERMITS),
                )),
                head_limits: HeadLimits {
                    max_bytes: config.limits.max_header_bytes,
                    max_headers: config.limits.max_headers,
                },
                metrics_on_main: config.metrics.enabled && config.metrics.listen.is_none(),
                shutdown_grace: Duration::from_secs(config.limits.shutdown_grace_seconds),
            }),
        })
    }

    /// Replaces apps, keys and policies with those of `config`, atomically. Requests in
    /// flight finish with the snapshot they started with.
    ///
    /// Returns the keys whose change needs a restart (listen, tls, cors…), which this
    /// reload did not apply: every key whose new value differs from the one the process
    /// started with (so a second reload of a changed `listen` still reports it, and
    /// changing it back reports nothing).
    ///
    /// # Errors
    ///
    /// [`ConfigError`] when the new config is invalid; the current one stays in force.
    pub async fn reload(
        &self,
        config: &Config,
        env: &Env,
    ) -> Result<Vec<&'static str>, ConfigError> {
        let old = self.inner.current.load_full();
        let clocks = Clocks {
            token: &self.inner.clock,
            mono: &self.inner.mono,
            metrics: &self.inner.metrics,
        };
        let built = Snapshot::build(config, env, &clocks, Some(&old)).await;
        drop(old);
        self.inner.metrics.reloaded(built.is_ok());
        let snapshot = built?;
        // Listeners and layers keep their start-up settings until a restart.
        let o = &self.inner.started;
        let mut restart = Vec::new();
        if o.listen != config.listen {
            restart.push("listen");
        }
        if o.tls.cert_file != config.tls.cert_file || o.tls.key_file != config.tls.key_file {
            restart.push("tls");
        }
        if o.cors.allowed_origins != config.cors.allowed_origins
            || o.cors.max_age_seconds != config.cors.max_age_seconds
        {
            restart.push("cors");
        }
        if o.limits.body_limit_bytes != config.limits.body_limit_bytes {
            restart.push("limits.body_limit_bytes");
        }
        if o.limits.shutdown_grace_seconds != config.limits.shutdown_grace_seconds {
            restart.push("limits.shutdown_grace_seconds");
        }
        {
            let (a, b) = (&o.limits, &config.limits);
            if a.header_read_timeout_ms != b.header_read_timeout_ms
                || a.idle_timeout_ms != b.idle_timeout_ms
                || a.max_connections != b.max_connections
                || a.max_header_bytes != b.max_header_bytes
                || a.max_headers != b.max_headers
                || a.max_buffered_bytes != b.max_buffered_bytes
                || a.h2_max_concurrent_streams != b.h2_max_concurrent_streams
                || a.h2_stream_window_bytes != b.h2_stream_window_bytes
                || a.h2_connection_window_bytes != b.h2_connection_window_bytes
            {
                restart.push("limits (connections, headers, buffers)");
            }
        }
        if o.metrics.enabled != config.metrics.enabled || o.metrics.listen != config.metrics.listen
        {
            restart.push("metrics");
        }
        if o.log.level != config.log.level || o.log.format != config.log.format {
            restart.push("log");
        }
        self.inner.current.store(Arc::new(snapshot));
        Ok(restart)
    }

    /// The current snapshot.
    #[must_use]
    pub(crate) fn snapshot(&self) -> Arc<Snapshot> {
        self.inner.current.load_full()
    }

    /// The snapshot a request runs under: the one its outermost layer took
    /// (`crate::layers::timeout` puts it in the request extensions), or the current
    /// one for a request that did not pass the layers.
    pub(crate) fn request_snapshot(&self, extensions: &axum::http::Extensions) -> Arc<Snapshot> {
        extensions
            .get::<Arc<Snapshot>>()
            .cloned()
            .unwrap_or_else(|| self.snapshot())
    }

    /// The metrics.
    #[must_use]
    pub(crate) fn metrics(&self) -> &Metrics {
        &self.inner.metrics
    }

    /// The clock tokens are made and judged with.
    #[must_use]
    pub(crate) fn clock(&self) -> &Arc<dyn Clock> {
        &self.inner.clock
    }

    pub(crate) fn instance_id(&self) -> u32 {
        self.inner.instance_id
    }

    pub(crate) fn body_limit(&self) -> usize {
        self.inner.body_limit
    }

    pub(crate) fn body_budget(&self) -> &Arc<tokio::sync::Semaphore> {
        &self.inner.body_budget
    }

    pub(crate) fn head_limits(&self) -> HeadLimits {
        self.inner.head_limits
    }

    pub(crate) fn shutdown_grace(&self) -> Duration {
        self.inner.shutdown_grace
    }

    pub(crate) fn metrics_on_main(&self) -> bool {
        self.inner.metrics_on_main
    }

    /// Marks the service as shutting down: `/readyz` turns 503 so load balancers stop
    /// sending new requests, and the `zego_token_draining` gauge turns 1.
    pub(crate) fn set_draining(&self) {
        self.inner.draining.store(true, Ordering::SeqCst);
        self.inner.metrics.set_draining();
    }

    /// Whether shutdown has begun.
    #[must_use]
    pub(crate) fn is_draining(&self) -> bool {
        self.inner.draining.load(Ordering::SeqCst)
    }
}

/// The head limits of the service (above hyper's parser, which has twice these).
#[derive(Debug, Clone, Copy)]
pub(crate) struct HeadLimits {
    pub(crate) max_bytes: usize,
    pub(crate) max_headers: usize,
}
