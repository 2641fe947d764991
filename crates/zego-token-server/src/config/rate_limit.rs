//! `[rate_limit]`: the token buckets (per caller, per IP), the client IP header and
//! trusted proxies, and the bucket store (`memory` or `redis` with its keys).

use std::path::PathBuf;

use axum::http::HeaderName;
use serde::Deserialize;

use super::ConfigError;
use super::secrets::SecretSource;
use crate::proxy::{Cidr, ClientIpRule};

/// Token buckets. A rate of 0 switches that limit off.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
#[non_exhaustive]
pub struct RateLimitConfig {
    /// Sustained requests per second per caller (API key or JWT user). Default 1000.
    pub per_caller_per_second: f64,
    /// Burst per caller. Default 2000.
    pub per_caller_burst: u32,
    /// Sustained requests per second per client IP on `/v1/*`. Default 1000.
    pub per_ip_per_second: f64,
    /// Burst per client IP. Default 2000.
    pub per_ip_burst: u32,
    /// Header carrying the client IP when behind a proxy: `x-forwarded-for`,
    /// `forwarded` (RFC 7239) or a one-address header such as `x-real-ip`. Read from
    /// the right: the first address that is not a trusted proxy is the client. Default:
    /// none (the peer address).
    pub client_ip_header: Option<String>,
    /// Proxies (CIDRs, `10.0.0.0/8`, `2001:db8::/32`, or single addresses) whose
    /// forwarding entries are skipped. The header is believed only from a peer in this
    /// list; when empty, the one proxy in front of the service is trusted (the
    /// rightmost entry is the client). Default: empty.
    pub trusted_proxies: Vec<String>,
    /// Where the buckets live: `memory` (this process; default) or `redis` (shared by
    /// every replica; needs `redis_url` and the `redis` cargo feature).
    pub store: RateLimitStore,
    /// `redis://host:port/db` or `rediss://…` (TLS, the system's roots). A user name may
    /// be in the URL (`redis://user@host`), never a password. Default: none.
    pub redis_url: Option<String>,
    /// Variable holding the Redis password (`AUTH`). Default: none (no password).
    pub redis_password_env: Option<String>,
    /// File holding the Redis password (a trailing newline is ignored).
    pub redis_password_file: Option<PathBuf>,
    /// Prefix of every bucket's key in Redis. Default `zego-token:rl:`.
    pub key_prefix: String,
    /// Time a Redis command (and a connection attempt) may take before the request
    /// gets the `on_store_error` answer. A request runs up to two (per IP, per caller),
    /// so twice this must stay below `limits.request_timeout_ms`. Default 200.
    pub redis_timeout_ms: u64,
    /// What a request gets when the Redis store fails or is slow: `allow` (served and
    /// counted in `zego_token_rate_limit_store_errors_total`; default) or `deny` (503
    /// `rate_limit_unavailable` with `Retry-After: 1`).
    pub on_store_error: OnStoreError,
    /// Whether `/readyz` answers 503 while Redis does not answer. Default false: the
    /// replica stays in rotation under `on_store_error` (readiness still reports it).
    pub redis_required_for_ready: bool,
}

/// Where the rate-limit buckets live.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum RateLimitStore {
    /// In this process (each replica counts on its own).
    #[default]
    Memory,
    /// In a shared Redis (one count for every replica).
    Redis,
}

/// The answer to a request when the shared rate-limit store fails.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum OnStoreError {
    /// Serve the request unlimited (and count the store error).
    #[default]
    Allow,
    /// Refuse it with 503 `rate_limit_unavailable`.
    Deny,
}

impl Default for RateLimitConfig {
    fn default() -> Self {
        Self {
            per_caller_per_second: 1000.0,
            per_caller_burst: 2000,
            per_ip_per_second: 1000.0,
            per_ip_burst: 2000,
            client_ip_header: None,
            trusted_proxies: Vec::new(),
            store: RateLimitStore::Memory,
            redis_url: None,
            redis_password_env: None,
            redis_password_file: None,
            key_prefix: "zego-token:rl:".into(),
            redis_timeout_ms: 200,
            on_store_error: OnStoreError::Allow,
            redis_required_for_ready: false,
        }
    }
}

impl RateLimitConfig {
    /// `rate_limit.*`: rates ≥ 0, proxies as CIDRs (only with a client IP header), a
    /// valid header name, and the store's keys ([`Self::check_store`]).
    pub(crate) fn check(&self, request_timeout_ms: u64) -> Result<(), ConfigError> {
        self.client_ip_rule()?;
        for (k, v) in [
            (
                "rate_limit.per_caller_per_second",
                self.per_caller_per_second,
            ),
            ("rate_limit.per_ip_per_second", self.per_ip_per_second),
        ] {
            if !v.is_finite() || v < 0.0 {
                return Err(ConfigError::key(
                    k,
                    "must be a number ≥ 0 (0 switches the limit off)",
                ));
            }
        }
        self.check_store(request_timeout_ms)
    }

    /// How the client IP is found (`client_ip_header`, `trusted_proxies`), parsed: the
    /// one reading of both keys, for the check and for the state.
    ///
    /// # Errors
    ///
    /// A proxy that is not an address or CIDR, proxies without a header, a header name
    /// that is not one.
    pub(crate) fn client_ip_rule(&self) -> Result<ClientIpRule, ConfigError> {
        let mut trusted = Vec::with_capacity(self.trusted_proxies.len());
        for (i, p) in self.trusted_proxies.iter().enumerate() {
            trusted.push(Cidr::parse(p).ok_or_else(|| {
                ConfigError::key(
                    format!("rate_limit.trusted_proxies[{i}]"),
                    "is not an address or CIDR; write e.g. 10.0.0.0/8, 192.0.2.7 or 2001:db8::/32",
                )
            })?);
        }
        if !trusted.is_empty() && self.client_ip_header.is_none() {
            return Err(ConfigError::key(
                "rate_limit.trusted_proxies",
                "is set without rate_limit.client_ip_header; name the header your proxies write (x-forwarded-for or forwarded)",
            ));
        }
        let header = match &self.client_ip_header {
            Some(h) => Some(HeaderName::try_from(h.to_ascii_lowercase()).map_err(|_| {
                ConfigError::key("rate_limit.client_ip_header", "is not a valid header name")
            })?),
            None => None,
        };
        Ok(ClientIpRule { header, trusted })
    }

    /// The settings of the store that a reload cannot change in place: a change of any
    /// of them builds a new limiter (buckets start again, in a new store).
    pub(crate) fn same_store(&self, other: &Self) -> bool {
        self.store == other.store
            && (self.store == RateLimitStore::Memory
                || (self.redis_url == other.redis_url
                    && self.redis_password_env == other.redis_password_env
                    && self.redis_password_file == other.redis_password_file
                    && self.key_prefix == other.key_prefix
                    && self.redis_timeout_ms == other.redis_timeout_ms
                    && self.on_store_error == other.on_store_error))
    }

    /// Checks the store keys (`rate_limit.store`, `redis_*`, `key_prefix`).
    fn check_store(&self, request_timeout_ms: u64) -> Result<(), ConfigError> {
        if self.store == RateLimitStore::Memory {
            return Ok(());
        }
        if !cfg!(feature = "redis") {
            return Err(ConfigError::key(
                "rate_limit.store",
                "is \"redis\" but this build has no Redis support; build zego-token-server with its `redis` feature (on by default), or use store = \"memory\"",
            ));
        }
        let Some(url) = &self.redis_url else {
            return Err(ConfigError::key(
                "rate_limit.redis_url",
                "is required with store = \"redis\"; e.g. redis://127.0.0.1:6379/0 or rediss://redis.internal:6380",
            ));
        };
        // The URL is never quoted back: it may carry a password by mistake.
        check_redis_url(url)?;
        self.redis_password()?;
        if self.key_prefix.len() > 128 || self.key_prefix.chars().any(char::is_control) {
            return Err(ConfigError::key(
                "rate_limit.key_prefix",
                "must be at most 128 bytes without control characters, e.g. \"zego-token:rl:\"",
            ));
        }
        if self.redis_timeout_ms == 0
            || self.redis_timeout_ms.saturating_mul(2) >= request_timeout_ms
        {
            return Err(ConfigError::key(
                "rate_limit.redis_timeout_ms",
                format!(
                    "must be at least 1 and less than half of limits.request_timeout_ms ({request_timeout_ms}): a request makes up to two Redis calls and must still be answered in time"
                ),
            ));
        }
        Ok(())
    }
}

impl RateLimitConfig {
    /// The Redis password's source, if any (`redis_password_env` or
    /// `redis_password_file`, not both).
    pub(crate) fn redis_password(&self) -> Result<Option<SecretSource<'_>>, ConfigError> {
        SecretSource::of(
            "rate_limit.redis_password",
            self.redis_password_env.as_deref(),
            self.redis_password_file.as_deref(),
        )
    }
}

/// `redis://` or `rediss://`, a host, no password, no fragment (`#insecure` would turn
/// certificate checks off). Errors never contain the URL.
fn check_redis_url(url: &str) -> Result<(), ConfigError> {
    let err = |m: &str| Err(ConfigError::key("rate_limit.redis_url", m));
    let Some((scheme, rest)) = url.split_once("://") else {
        return err("is not a URL; write redis://host:6379/0 or rediss://host:6380 (TLS)");
    };
    if scheme != "redis" && scheme != "rediss" {
        return err("must start with redis:// or rediss:// (TLS)");
    }
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    if let Some((userinfo, _)) = authority.rsplit_once('@')
        && userinfo.contains(':')
    {
        return err(
            "contains a password; inline secrets are not allowed: keep at most the user name in the URL (redis://user@host) and set rate_limit.redis_password_env or rate_limit.redis_password_file",
        );
    }
    let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    if host.is_empty() || host.starts_with(':') {
        return err("has no host; write redis://host:6379/0");
    }
    if url.contains('#') {
        return err("has a fragment; certificate verification cannot be switched off (#insecure)");
    }
    if let Some((_, query)) = rest.split_once('?')
        && query.split('&').any(|p| {
            p.split('=').next().is_some_and(|k| {
                k.eq_ignore_ascii_case("pass") || k.eq_ignore_ascii_case("password")
            })
        })
    {
        return err(
            "carries a password in its query; inline secrets are not allowed: set rate_limit.redis_password_env or rate_limit.redis_password_file",
        );
    }
    Ok(())
}
