//! Configuration: defaults → TOML file → environment (`ZEGO_TOKEN_…`) → command-line flags.
//!
//! The file is parsed into a TOML table, environment overrides are written into that
//! table (`ZEGO_TOKEN_TOKEN__MAX_TTL_SECONDS=600` sets `token.max_ttl_seconds`,
//! `ZEGO_TOKEN_APPS__0__SECRET_FILE=…` sets `apps[0].secret_file`: `__` separates
//! levels, a number indexes an array), and the result is deserialized with unknown
//! keys refused, so a typo in the file or in a variable name fails at start with the
//! key's path. Secrets are never inline: `secret_env` names a variable, `secret_file` a
//! file; they are read when the runtime state is built ([`crate::AppState::new`]).
//!
//! Every key, its default and its variable are in `config.example.toml`.

use std::collections::BTreeMap;
use std::fmt;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use zeroize::Zeroizing;

/// The prefix of environment overrides.
pub const ENV_PREFIX: &str = "ZEGO_TOKEN_";

/// Variables with the prefix that are not config keys (flags and the dev API key).
pub const RESERVED_ENV: &[&str] = &["ZEGO_TOKEN_API_KEY", "ZEGO_TOKEN_CONFIG"];

/// `--dev`: the variable holding the ServerSecret (as for the other subcommands).
const DEV_SECRET_ENV: &str = "ZEGO_SERVER_SECRET";
/// `--dev`: the variable naming a file that holds the ServerSecret.
const DEV_SECRET_FILE_ENV: &str = "ZEGO_SERVER_SECRET_FILE";

/// The commented example configuration: every key at its default, with its variable.
pub const EXAMPLE_CONFIG: &str = include_str!("../config.example.toml");

/// A configuration error: which key, what is wrong, how to fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    /// The key path (`apps[0].secret_env`), when the error concerns one key.
    pub key: Option<String>,
    /// What is wrong and how to fix it.
    pub message: String,
}

impl ConfigError {
    /// An error about one key.
    pub fn key(key: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            key: Some(key.into()),
            message: message.into(),
        }
    }

    /// An error about the whole configuration.
    pub fn general(message: impl Into<String>) -> Self {
        Self {
            key: None,
            message: message.into(),
        }
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.key {
            Some(k) => write!(f, "config key `{k}`: {}", self.message),
            None => write!(f, "config: {}", self.message),
        }
    }
}

impl std::error::Error for ConfigError {}

/// A snapshot of the environment, so config loading is testable without touching the
/// process environment.
#[derive(Clone, Default)]
pub struct Env(BTreeMap<String, Zeroizing<String>>);

impl fmt::Debug for Env {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Values may be secrets: show names only.
        f.debug_set().entries(self.0.keys()).finish()
    }
}

impl Env {
    /// The process environment (variables that are not valid UTF-8 are skipped).
    #[must_use]
    pub fn from_process() -> Self {
        Self(
            std::env::vars_os()
                .filter_map(|(k, v)| {
                    Some((k.into_string().ok()?, Zeroizing::new(v.into_string().ok()?)))
                })
                .collect(),
        )
    }

    /// An environment made of the given pairs.
    pub fn from_pairs<I, K, V>(pairs: I) -> Self
    where
        I: IntoIterator<Item = (K, V)>,
        K: Into<String>,
        V: Into<String>,
    {
        Self(
            pairs
                .into_iter()
                .map(|(k, v)| (k.into(), Zeroizing::new(v.into())))
                .collect(),
        )
    }

    /// One variable.
    #[must_use]
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0.get(name).map(|v| v.as_str())
    }

    /// Whether any variable is a config key (`ZEGO_TOKEN_…`, not a flag): the CLI then
    /// builds an environment-only config when no file is given.
    #[must_use]
    pub fn has_config_keys(&self) -> bool {
        self.overrides().next().is_some()
    }

    fn overrides(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().filter_map(|(k, v)| {
            let rest = k.strip_prefix(ENV_PREFIX)?;
            (!RESERVED_ENV.contains(&k.as_str()) && !rest.is_empty())
                .then_some((k.as_str(), v.as_str()))
        })
    }
}

/// The whole configuration, as read (secrets not yet resolved).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
#[non_exhaustive]
pub struct Config {
    /// Address to listen on. Default `127.0.0.1:8080`.
    pub listen: SocketAddr,
    /// The ZEGO apps this service makes tokens for.
    pub apps: Vec<AppConfig>,
    /// API keys of backend callers, with their policies.
    pub api_keys: Vec<ApiKeyConfig>,
    /// Identity providers whose login JWTs app clients may present.
    pub jwt_issuers: Vec<JwtIssuerConfig>,
    /// Token lifetimes.
    pub token: TokenConfig,
    /// Body size, timeouts, shutdown grace.
    pub limits: LimitsConfig,
    /// Token-bucket rate limits.
    pub rate_limit: RateLimitConfig,
    /// CORS allow-list for browser clients.
    pub cors: CorsConfig,
    /// Optional TLS.
    pub tls: TlsConfig,
    /// The debug console page.
    pub console: ConsoleConfig,
    /// Prometheus metrics.
    pub metrics: MetricsConfig,
    /// Logging.
    pub log: LogConfig,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            apps: Vec::new(),
            api_keys: Vec::new(),
            jwt_issuers: Vec::new(),
            token: TokenConfig::default(),
            limits: LimitsConfig::default(),
            rate_limit: RateLimitConfig::default(),
            cors: CorsConfig::default(),
            tls: TlsConfig::default(),
            console: ConsoleConfig::default(),
            metrics: MetricsConfig::default(),
            log: LogConfig::default(),
        }
    }
}

/// One ZEGO app.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct AppConfig {
    /// The AppID from ZEGO's console.
    pub app_id: u32,
    /// Variable holding the 32-character ServerSecret.
    #[serde(default)]
    pub secret_env: Option<String>,
    /// File holding the ServerSecret (one trailing newline is ignored; see
    /// [`read_secret_file`]).
    #[serde(default)]
    pub secret_file: Option<PathBuf>,
    /// Marks the public demo app (set by `--dev` only; tokens ZEGO refuses).
    #[serde(skip)]
    pub demo_secret: bool,
}

/// Policy keys shared by API keys and JWT issuers.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct ApiKeyConfig {
    /// A name for logs and metrics (never the key).
    pub name: String,
    /// SHA-256 of the key, 64 hex digits. The key itself is never stored.
    pub sha256: String,
    /// Apps this key may use. Default: all configured apps.
    #[serde(default)]
    pub apps: Option<Vec<u32>>,
    /// Room patterns (`*` matches any run of characters). Default `["*"]`.
    #[serde(default = "any")]
    pub rooms: Vec<String>,
    /// user_id patterns. Default `["*"]`.
    #[serde(default = "any")]
    pub user_ids: Vec<String>,
    /// Whether this key may grant the publish privilege. Default true.
    #[serde(default = "yes")]
    pub allow_publish: bool,
    /// Whether every token must name a room (no basic tokens). Default false.
    #[serde(default)]
    pub require_room: bool,
    /// Whether this key may get basic tokens (no room restriction inside). Default:
    /// true when `rooms = ["*"]` and `require_room` is false, else false.
    #[serde(default)]
    pub allow_basic: Option<bool>,
    /// Cipher modes this key may ask for: `gcm`, `cbc`. Default both (the example
    /// config sets `["gcm"]`).
    #[serde(default)]
    pub modes: Option<Vec<String>>,
    /// TTL cap for this key; the global `token.max_ttl_seconds` applies too.
    #[serde(default)]
    pub max_ttl_seconds: Option<u64>,
}

/// A trusted identity provider.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct JwtIssuerConfig {
    /// Expected `iss`.
    pub issuer: String,
    /// Accepted `aud` values (at least one).
    pub audiences: Vec<String>,
    /// Variable holding the HS256 shared secret.
    #[serde(default)]
    pub hs256_secret_env: Option<String>,
    /// File holding the HS256 shared secret.
    #[serde(default)]
    pub hs256_secret_file: Option<PathBuf>,
    /// JWKS file with RS256/ES256 keys.
    #[serde(default)]
    pub jwks_file: Option<PathBuf>,
    /// JWKS URL with RS256/ES256 keys (fetched at start, cached, refreshed).
    #[serde(default)]
    pub jwks_url: Option<String>,
    /// Claim holding the ZEGO user_id. Default `sub`.
    #[serde(default = "sub")]
    pub user_id_claim: String,
    /// Claim listing the rooms (exact IDs) the user may join. Default: none.
    #[serde(default)]
    pub rooms_claim: Option<String>,
    /// Boolean claim saying whether the user may publish. Default: none.
    #[serde(default)]
    pub publish_claim: Option<String>,
    /// Clock tolerance for `exp`/`nbf`, seconds. Default 30.
    #[serde(default = "thirty")]
    pub leeway_seconds: u64,
    /// JWKS URL refresh interval, seconds. Default 300.
    #[serde(default = "five_minutes")]
    pub jwks_refresh_seconds: u64,
    /// Apps these users may get tokens for. Default: all.
    #[serde(default)]
    pub apps: Option<Vec<u32>>,
    /// Room patterns. Default `["*"]`.
    #[serde(default = "any")]
    pub rooms: Vec<String>,
    /// user_id patterns. Default `["*"]`.
    #[serde(default = "any")]
    pub user_ids: Vec<String>,
    /// Whether these users may be granted publish. Default false (a claim can allow it
    /// only where this is true).
    #[serde(default)]
    pub allow_publish: bool,
    /// Whether every token must name a room. Default false (true when `rooms_claim` is
    /// set, since a basic token would bypass it).
    #[serde(default)]
    pub require_room: bool,
    /// Whether these users may get basic tokens. Default: true when `rooms = ["*"]`,
    /// no `rooms_claim` and `require_room` false, else false.
    #[serde(default)]
    pub allow_basic: Option<bool>,
    /// Cipher modes these users may ask for. Default both.
    #[serde(default)]
    pub modes: Option<Vec<String>>,
    /// TTL cap for these users. Default: the global cap.
    #[serde(default)]
    pub max_ttl_seconds: Option<u64>,
}

/// Token lifetimes.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
#[non_exhaustive]
pub struct TokenConfig {
    /// TTL when a request gives none. Default 3600.
    pub default_ttl_seconds: u64,
    /// Largest TTL any caller may ask for. Default 86400.
    pub max_ttl_seconds: u64,
    /// `renew_after` = expire − this (more than ZEGO's 30-second warning). Default 60.
    pub renew_before_seconds: u64,
    /// Which user and room IDs (and lifetimes) the service mints tokens for. Default
    /// [`IdRules::Sdk`].
    pub id_rules: IdRules,
}

/// `token.id_rules`: whether to refuse tokens that ZEGO's client SDKs refuse.
#[derive(Debug, Clone, Copy, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum IdRules {
    /// Refuse (422, naming the rule) a request whose token an SDK would refuse: the
    /// blocking rules of [`zego_token::sdk`] (ID characters and lengths, lifetimes of
    /// 30 s or less, expiry past 2038). The default.
    #[default]
    Sdk,
    /// Mint for any input the library accepts (for apps whose clients are all native
    /// SDKs with laxer rules); the broken rules are listed in the answer's `warnings`.
    Any,
}

impl Default for TokenConfig {
    fn default() -> Self {
        Self {
            default_ttl_seconds: 3600,
            max_ttl_seconds: 86_400,
            renew_before_seconds: 60,
            id_rules: IdRules::Sdk,
        }
    }
}

/// The largest `limits.drain_delay_seconds`.
pub const MAX_DRAIN_DELAY_SECONDS: u64 = 300;

/// Body size, timeouts and shutdown.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
#[non_exhaustive]
pub struct LimitsConfig {
    /// Largest request body, bytes. Default 65536.
    pub body_limit_bytes: usize,
    /// Per-request timeout, milliseconds. Default 10000.
    pub request_timeout_ms: u64,
    /// How long shutdown waits for in-flight requests, seconds. Default 10.
    pub shutdown_grace_seconds: u64,
    /// After SIGTERM/SIGINT (or the embedder's shutdown future), how long `/readyz`
    /// answers 503 `draining` while the listener still accepts and serves, so load
    /// balancers and readiness probes see the 503 and stop routing before the port
    /// closes; a second signal ends it early. Then the drain of
    /// `shutdown_grace_seconds` starts. At most 300. Default 5 (`serve --dev`: 0).
    pub drain_delay_seconds: u64,
    /// Time for a request head to arrive (HTTP/1; also the longest wait for the next
    /// request on a keep-alive connection) and for a TLS handshake, milliseconds.
    /// Default 10000.
    pub header_read_timeout_ms: u64,
    /// A connection with no request in flight for this long is closed, milliseconds
    /// (HTTP/1 and HTTP/2). Default 10000.
    pub idle_timeout_ms: u64,
    /// Concurrent client connections; beyond it new connections are closed at once.
    /// Lowered at start to fit the open-files limit. Default 1024.
    pub max_connections: usize,
    /// Largest request head (request line and headers), bytes; above it 431. Default
    /// 16384.
    pub max_header_bytes: usize,
    /// Most headers in a request; above it 431. Default 64.
    pub max_headers: usize,
    /// Bytes of request bodies held in memory at once, over all requests (each body
    /// is read only after its caller is authenticated); above it 503. Default 16 MiB.
    pub max_buffered_bytes: usize,
    /// HTTP/2: streams at once per connection. Default 16.
    pub h2_max_concurrent_streams: u32,
    /// HTTP/2: receive window of a stream, bytes. Default 65535.
    pub h2_stream_window_bytes: u32,
    /// HTTP/2: receive window of a connection, bytes. Default 262144.
    pub h2_connection_window_bytes: u32,
}

impl Default for LimitsConfig {
    fn default() -> Self {
        Self {
            body_limit_bytes: 64 * 1024,
            request_timeout_ms: 10_000,
            shutdown_grace_seconds: 10,
            drain_delay_seconds: 5,
            header_read_timeout_ms: 10_000,
            idle_timeout_ms: 10_000,
            max_connections: 1024,
            max_header_bytes: 16 * 1024,
            max_headers: 64,
            max_buffered_bytes: 16 * 1024 * 1024,
            h2_max_concurrent_streams: 16,
            h2_stream_window_bytes: 65_535,
            h2_connection_window_bytes: 256 * 1024,
        }
    }
}

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
        if self.redis_password_env.is_some() && self.redis_password_file.is_some() {
            return Err(ConfigError::key(
                "rate_limit.redis_password_file",
                "both redis_password_env and redis_password_file are set; keep one",
            ));
        }
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

/// CORS for browser clients.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
#[non_exhaustive]
pub struct CorsConfig {
    /// Allowed origins (`https://app.example.com`). Default: none (no CORS headers).
    pub allowed_origins: Vec<String>,
    /// Preflight cache, seconds. Default 600.
    pub max_age_seconds: u64,
}

impl Default for CorsConfig {
    fn default() -> Self {
        Self {
            allowed_origins: Vec::new(),
            max_age_seconds: 600,
        }
    }
}

/// TLS from PEM files. Both or neither.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields, default)]
#[non_exhaustive]
pub struct TlsConfig {
    /// Certificate chain, PEM.
    pub cert_file: Option<PathBuf>,
    /// Private key, PEM.
    pub key_file: Option<PathBuf>,
}

/// The debug console.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields, default)]
#[non_exhaustive]
pub struct ConsoleConfig {
    /// Serve `/console`. Default false (true with `--dev`).
    pub enabled: bool,
}

/// Prometheus metrics.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
#[non_exhaustive]
pub struct MetricsConfig {
    /// Serve `/metrics`. Default true.
    pub enabled: bool,
    /// Serve metrics on this separate address instead of the main listener.
    pub listen: Option<SocketAddr>,
}

impl Default for MetricsConfig {
    fn default() -> Self {
        Self {
            enabled: true,
            listen: None,
        }
    }
}

/// Log format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    /// Human-readable lines.
    #[default]
    Text,
    /// One JSON object per line.
    Json,
}

/// Logging.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
#[non_exhaustive]
pub struct LogConfig {
    /// `text` or `json`. Default `text`.
    pub format: LogFormat,
    /// A tracing filter (`info`, `warn,zego_token_server=debug`). Default `info`.
    pub level: String,
}

impl Default for LogConfig {
    fn default() -> Self {
        Self {
            format: LogFormat::Text,
            level: "info".into(),
        }
    }
}

fn any() -> Vec<String> {
    vec!["*".into()]
}
const fn yes() -> bool {
    true
}
fn sub() -> String {
    "sub".into()
}
const fn thirty() -> u64 {
    30
}
const fn five_minutes() -> u64 {
    300
}

impl Config {
    /// Reads a TOML file, applies environment overrides, and checks the result.
    ///
    /// # Errors
    ///
    /// [`ConfigError`] naming the file or key and how to fix it.
    pub fn load(path: &Path, env: &Env) -> Result<Self, ConfigError> {
        let text = read_capped(path, MAX_CONFIG_FILE_BYTES)
            .and_then(|b| String::from_utf8(b).map_err(|_| "is not UTF-8 text".to_owned()))
            .map_err(|reason| {
                ConfigError::general(format!(
                    "the config file {} {reason} (pass an existing file to --config; `zego-token serve --print-example-config` prints a template)",
                    path.display()
                ))
            })?;
        Self::from_toml(&text, env).map_err(|mut e| {
            e.message = format!("{} (in {})", e.message, path.display());
            e
        })
    }

    /// Parses TOML text, applies environment overrides, and checks the result.
    ///
    /// # Errors
    ///
    /// [`ConfigError`] naming the key and how to fix it.
    pub fn from_toml(text: &str, env: &Env) -> Result<Self, ConfigError> {
        let base: toml::Table = text.parse().map_err(|e: toml::de::Error| {
            ConfigError::general(format!("not valid TOML at {}", toml_syntax_error(text, &e)))
        })?;
        // Applied in key order with indices compared as numbers, so `APPS__2` comes
        // after `APPS__1` (and `APPS__10` after `APPS__9`): entries are created in turn.
        let mut overrides: Vec<(&str, &str)> = env.overrides().collect();
        overrides.sort_by_cached_key(|(name, _)| override_order(name));
        // A value is written as a TOML literal when it parses as one (`42`, `true`,
        // `["a"]`); a key that wants a string and got a literal (`name = 123`) is
        // written again as the plain string, once per variable.
        let mut as_string = std::collections::BTreeSet::new();
        loop {
            let mut table = base.clone();
            let mut from_env = Vec::new();
            for (name, value) in &overrides {
                apply_override(&mut table, name, value, as_string.contains(name))?;
                from_env.push((key_path(name), *name, *value));
            }
            reject_inline_secrets(&table)?;
            let e = match serde_path_to_error::deserialize::<_, Self>(toml::Value::Table(table)) {
                Ok(config) => {
                    config.check()?;
                    return Ok(config);
                }
                Err(e) => e,
            };
            let path = e.path().to_string();
            let inner = e.into_inner().to_string();
            // toml adds "in `table`" on a second line; the path already says it.
            let first = inner.lines().next().unwrap_or("").trim_end();
            if let Some((_, var, _)) = from_env.iter().find(|(p, var, value)| {
                *p == path && !as_string.contains(var) && wants_a_string(first, value)
            }) {
                as_string.insert(*var);
                continue;
            }
            let mut inner = without_quoted(first);
            let found = from_env.iter().find(|(p, _, _)| {
                path == *p
                    || path.starts_with(&format!("{p}."))
                    || path.starts_with(&format!("{p}["))
            });
            // A variable may hold a secret (set in the wrong variable): never quote it.
            if let Some((_, _, value)) = found {
                inner = inner.replace(&format!("{value:?}"), "(its value, not shown)");
            }
            let origin = found
                .map(|(_, var, _)| format!(" (set by the environment variable {var})"))
                .unwrap_or_default();
            return Err(ConfigError::key(
                if path == "." { String::new() } else { path },
                format!(
                    "{inner}{origin}; see `zego-token serve --print-example-config` for every key"
                ),
            ));
        }
    }

    /// Builds the configuration from the environment alone (no file): defaults, then
    /// every `ZEGO_TOKEN_…` variable. List entries are created by index
    /// (`ZEGO_TOKEN_APPS__0__APP_ID=1`, `ZEGO_TOKEN_APPS__0__SECRET_FILE=/run/secrets/zego`,
    /// `ZEGO_TOKEN_API_KEYS__0__NAME=backend`, `ZEGO_TOKEN_API_KEYS__0__SHA256=…`).
    ///
    /// # Errors
    ///
    /// As [`Config::from_toml`]: an unknown key or an index that skips entries names the
    /// variable; an incomplete config names the missing key.
    pub fn from_env(env: &Env) -> Result<Self, ConfigError> {
        Self::from_toml("", env)
    }

    /// The `--dev` configuration: loopback, one app from `ZEGO_APP_ID` and
    /// `ZEGO_SERVER_SECRET` or `ZEGO_SERVER_SECRET_FILE` (as every other `zego-token`
    /// subcommand reads them; an empty variable counts as unset), or the public demo
    /// app, console on. The API key is added by the caller ([`Config::add_api_key`]).
    ///
    /// # Errors
    ///
    /// [`ConfigError`] when `ZEGO_APP_ID` is set but not a number, both secret variables
    /// are set, or only one of the app id and a secret is given.
    pub fn dev(listen: Option<SocketAddr>, env: &Env) -> Result<Self, ConfigError> {
        let mut config = Self::default();
        if let Some(l) = listen {
            config.listen = l;
        }
        config.console.enabled = true;
        let secret_file = env
            .get(DEV_SECRET_FILE_ENV)
            .filter(|f| !f.is_empty())
            .map(PathBuf::from);
        let secret_env = env.get(DEV_SECRET_ENV).map(|_| DEV_SECRET_ENV.to_owned());
        if secret_file.is_some() && env.get(DEV_SECRET_ENV).is_some_and(|v| !v.is_empty()) {
            return Err(ConfigError::general(format!(
                "both {DEV_SECRET_ENV} and {DEV_SECRET_FILE_ENV} are set: unset one of them so it is clear which secret is meant"
            )));
        }
        let has_secret = secret_env.is_some() || secret_file.is_some();
        match (env.get("ZEGO_APP_ID"), has_secret) {
            (Some(id), true) => {
                let app_id = id.trim().parse::<u32>().map_err(|_| {
                    ConfigError::key(
                        "ZEGO_APP_ID",
                        "is not a number; use the AppID from ZEGO's console",
                    )
                })?;
                // The file wins over an empty ZEGO_SERVER_SECRET.
                let secret_env = if secret_file.is_some() {
                    None
                } else {
                    secret_env
                };
                config.apps.push(AppConfig {
                    app_id,
                    secret_env,
                    secret_file,
                    demo_secret: false,
                });
            }
            (None, false) => config.apps.push(AppConfig {
                app_id: zego_token::demo::APP_ID,
                secret_env: None,
                secret_file: None,
                demo_secret: true,
            }),
            _ => {
                return Err(ConfigError::general(format!(
                    "set both ZEGO_APP_ID and {DEV_SECRET_ENV} (or {DEV_SECRET_FILE_ENV}), or neither (for the demo app)"
                )));
            }
        }
        Ok(config)
    }

    /// Adds an API key with an unrestricted policy (used by `--dev`).
    pub fn add_api_key(&mut self, name: &str, key: &str) {
        self.api_keys.push(ApiKeyConfig {
            name: name.into(),
            sha256: sha256_hex(key),
            apps: None,
            rooms: any(),
            user_ids: any(),
            allow_publish: true,
            require_room: false,
            allow_basic: None,
            modes: None,
            max_ttl_seconds: None,
        });
    }

    /// Checks everything that can be checked without reading secrets or files.
    ///
    /// # Errors
    ///
    /// The first problem found, with its key.
    pub fn check(&self) -> Result<(), ConfigError> {
        if self.apps.is_empty() {
            return Err(ConfigError::key(
                "apps",
                "no app is configured; add an [[apps]] table with app_id and secret_env or secret_file (without a file: ZEGO_TOKEN_APPS__0__APP_ID and ZEGO_TOKEN_APPS__0__SECRET_FILE)",
            ));
        }
        let mut seen = std::collections::BTreeSet::new();
        for (i, app) in self.apps.iter().enumerate() {
            let key = |k: &str| format!("apps[{i}].{k}");
            if app.app_id == 0 {
                return Err(ConfigError::key(
                    key("app_id"),
                    "is 0; use the AppID from ZEGO's console",
                ));
            }
            if !seen.insert(app.app_id) {
                return Err(ConfigError::key(
                    key("app_id"),
                    format!(
                        "app {} is configured twice; remove one [[apps]] table",
                        app.app_id
                    ),
                ));
            }
            match (&app.secret_env, &app.secret_file, app.demo_secret) {
                (Some(_), None, false) | (None, Some(_), false) | (None, None, true) => {}
                (None, None, false) => {
                    return Err(ConfigError::key(
                        key("secret_env"),
                        "no ServerSecret source; set secret_env = \"VARIABLE\" or secret_file = \"/path\" (inline secrets are not allowed)",
                    ));
                }
                _ => {
                    return Err(ConfigError::key(
                        key("secret_file"),
                        "both secret_env and secret_file are set; keep one",
                    ));
                }
            }
        }
        if self.api_keys.is_empty() && self.jwt_issuers.is_empty() {
            return Err(ConfigError::key(
                "api_keys",
                "no caller can authenticate; add an [[api_keys]] table (name, sha256 = output of `printf %s \"$KEY\" | sha256sum`) or a [[jwt_issuers]] table (without a file: ZEGO_TOKEN_API_KEYS__0__NAME and ZEGO_TOKEN_API_KEYS__0__SHA256)",
            ));
        }
        let mut names = std::collections::BTreeSet::new();
        for (i, k) in self.api_keys.iter().enumerate() {
            let key = |f: &str| format!("api_keys[{i}].{f}");
            if k.name.trim().is_empty() {
                return Err(ConfigError::key(
                    key("name"),
                    "is empty; name the caller (used in logs and metrics)",
                ));
            }
            if !names.insert(k.name.as_str()) {
                return Err(ConfigError::key(
                    key("name"),
                    format!("{:?} is used twice; names must be unique", k.name),
                ));
            }
            if parse_sha256(&k.sha256).is_none() {
                let (digest, rest) = split_sha256_line(&k.sha256);
                let file_line = !rest.is_empty()
                    && digest.len() == 64
                    && digest.bytes().all(|b| b.is_ascii_hexdigit());
                return Err(ConfigError::key(
                    key("sha256"),
                    if file_line {
                        "is a `sha256sum FILE` line: a file's hash covers its trailing newline, which no caller sends; hash the key itself with `printf %s \"$KEY\" | sha256sum` (its `  -` suffix may stay)"
                    } else {
                        "is not 64 hex digits; store the SHA-256 of the key, e.g. `printf %s \"$KEY\" | sha256sum` (never the key itself; the `  -` it prints may stay)"
                    },
                ));
            }
            self.check_policy(&key, k.apps.as_deref(), k.max_ttl_seconds)?;
            check_modes(&key, k.modes.as_deref())?;
            check_basic(&key, k.allow_basic, k.require_room)?;
        }
        for (i, j) in self.jwt_issuers.iter().enumerate() {
            let key = |f: &str| format!("jwt_issuers[{i}].{f}");
            if j.issuer.trim().is_empty() {
                return Err(ConfigError::key(
                    key("issuer"),
                    "is empty; give the `iss` value of your identity provider",
                ));
            }
            if j.audiences.is_empty() {
                return Err(ConfigError::key(
                    key("audiences"),
                    "is empty; list the `aud` values your tokens carry",
                ));
            }
            let sources = usize::from(j.hs256_secret_env.is_some())
                + usize::from(j.hs256_secret_file.is_some())
                + usize::from(j.jwks_file.is_some())
                + usize::from(j.jwks_url.is_some());
            if sources != 1 {
                return Err(ConfigError::key(
                    key("jwks_url"),
                    "set exactly one of hs256_secret_env, hs256_secret_file, jwks_file, jwks_url",
                ));
            }
            if let Some(url) = &j.jwks_url
                && let Err(why) = crate::jwt::check_jwks_url(url)
            {
                return Err(ConfigError::key(key("jwks_url"), why));
            }
            self.check_policy(&key, j.apps.as_deref(), j.max_ttl_seconds)?;
            check_modes(&key, j.modes.as_deref())?;
            check_basic(
                &key,
                j.allow_basic,
                j.require_room || j.rooms_claim.is_some(),
            )?;
        }
        let t = &self.token;
        if t.max_ttl_seconds == 0 {
            return Err(ConfigError::key(
                "token.max_ttl_seconds",
                "must be more than 0",
            ));
        }
        if t.default_ttl_seconds == 0 || t.default_ttl_seconds > t.max_ttl_seconds {
            return Err(ConfigError::key(
                "token.default_ttl_seconds",
                format!(
                    "must be between 1 and token.max_ttl_seconds ({})",
                    t.max_ttl_seconds
                ),
            ));
        }
        if i64::try_from(t.max_ttl_seconds).is_err() {
            return Err(ConfigError::key("token.max_ttl_seconds", "is too large"));
        }
        if t.renew_before_seconds <= 30 {
            return Err(ConfigError::key(
                "token.renew_before_seconds",
                "must be more than 30, so clients renew before ZEGO's 30-second expiry warning",
            ));
        }
        if self.limits.body_limit_bytes < 256 {
            return Err(ConfigError::key(
                "limits.body_limit_bytes",
                "must be at least 256",
            ));
        }
        if self.limits.request_timeout_ms == 0 {
            return Err(ConfigError::key(
                "limits.request_timeout_ms",
                "must be more than 0",
            ));
        }
        self.check_limits()?;
        let r = &self.rate_limit;
        for (i, p) in r.trusted_proxies.iter().enumerate() {
            if crate::proxy::Cidr::parse(p).is_none() {
                return Err(ConfigError::key(
                    format!("rate_limit.trusted_proxies[{i}]"),
                    "is not an address or CIDR; write e.g. 10.0.0.0/8, 192.0.2.7 or 2001:db8::/32",
                ));
            }
        }
        if !r.trusted_proxies.is_empty() && r.client_ip_header.is_none() {
            return Err(ConfigError::key(
                "rate_limit.trusted_proxies",
                "is set without rate_limit.client_ip_header; name the header your proxies write (x-forwarded-for or forwarded)",
            ));
        }
        for (k, v) in [
            ("rate_limit.per_caller_per_second", r.per_caller_per_second),
            ("rate_limit.per_ip_per_second", r.per_ip_per_second),
        ] {
            if !v.is_finite() || v < 0.0 {
                return Err(ConfigError::key(
                    k,
                    "must be a number ≥ 0 (0 switches the limit off)",
                ));
            }
        }
        r.check_store(self.limits.request_timeout_ms)?;
        if let Some(h) = &r.client_ip_header
            && axum::http::HeaderName::try_from(h.as_str()).is_err()
        {
            return Err(ConfigError::key(
                "rate_limit.client_ip_header",
                "is not a valid header name",
            ));
        }
        for (i, o) in self.cors.allowed_origins.iter().enumerate() {
            let ok = (o.starts_with("http://") || o.starts_with("https://"))
                && !o.ends_with('/')
                && axum::http::HeaderValue::try_from(o.as_str()).is_ok();
            if !ok {
                return Err(ConfigError::key(
                    format!("cors.allowed_origins[{i}]"),
                    format!(
                        "{o:?} is not an origin; write scheme://host[:port] without a trailing slash"
                    ),
                ));
            }
        }
        if self.tls.cert_file.is_some() != self.tls.key_file.is_some() {
            return Err(ConfigError::key(
                "tls.key_file",
                "set both tls.cert_file and tls.key_file, or neither",
            ));
        }
        check_log_level(&self.log.level)?;
        Ok(())
    }

    fn check_limits(&self) -> Result<(), ConfigError> {
        let l = &self.limits;
        let range = |key: &'static str, v: u64, lo: u64, hi: u64| {
            if (lo..=hi).contains(&v) {
                Ok(())
            } else {
                Err(ConfigError::key(
                    format!("limits.{key}"),
                    format!("must be between {lo} and {hi}"),
                ))
            }
        };
        let n = |v: usize| u64::try_from(v).unwrap_or(u64::MAX);
        range(
            "header_read_timeout_ms",
            l.header_read_timeout_ms,
            100,
            3_600_000,
        )?;
        range("idle_timeout_ms", l.idle_timeout_ms, 100, 86_400_000)?;
        // The drain runs after the delay, so a stop takes up to delay + grace: the
        // supervisor's kill timeout (Kubernetes terminationGracePeriodSeconds, systemd
        // TimeoutStopSec) must be longer than both together.
        range(
            "drain_delay_seconds",
            l.drain_delay_seconds,
            0,
            MAX_DRAIN_DELAY_SECONDS,
        )?;
        range("max_connections", n(l.max_connections), 1, 1_000_000)?;
        range("max_header_bytes", n(l.max_header_bytes), 1024, 1024 * 1024)?;
        range("max_headers", n(l.max_headers), 8, 1000)?;
        range(
            "max_buffered_bytes",
            n(l.max_buffered_bytes),
            n(l.body_limit_bytes),
            1 << 40,
        )?;
        range(
            "h2_max_concurrent_streams",
            u64::from(l.h2_max_concurrent_streams),
            1,
            1000,
        )?;
        range(
            "h2_stream_window_bytes",
            u64::from(l.h2_stream_window_bytes),
            1024,
            (1 << 31) - 1,
        )?;
        range(
            "h2_connection_window_bytes",
            u64::from(l.h2_connection_window_bytes),
            65_535,
            (1 << 31) - 1,
        )?;
        Ok(())
    }

    fn check_policy(
        &self,
        key: &dyn Fn(&str) -> String,
        apps: Option<&[u32]>,
        max_ttl: Option<u64>,
    ) -> Result<(), ConfigError> {
        for id in apps.unwrap_or_default() {
            if !self.apps.iter().any(|a| a.app_id == *id) {
                return Err(ConfigError::key(
                    key("apps"),
                    format!(
                        "app {id} is not configured; add it as an [[apps]] table or remove it here"
                    ),
                ));
            }
        }
        if max_ttl == Some(0) {
            return Err(ConfigError::key(
                key("max_ttl_seconds"),
                "must be more than 0",
            ));
        }
        Ok(())
    }
}

/// The log levels a bare `log.level` word may name.
const LOG_LEVELS: [&str; 6] = ["error", "warn", "info", "debug", "trace", "off"];

/// `log.level`: a level (`info`) or a filter directive list
/// (`info,zego_token_server=debug`). `EnvFilter` reads a bare word that is not a level
/// as a target name (`inf` would enable only the logs of a module `inf`, silencing every
/// line), so every directive without `=` must be a level; `target=level` directives are
/// checked by `EnvFilter` itself.
fn check_log_level(level: &str) -> Result<(), ConfigError> {
    const ACCEPTED: &str = "use one of error, warn, info, debug, trace, off, or directives such as \"info,zego_token_server=debug\"";
    let directives: Vec<&str> = level.split(',').map(str::trim).collect();
    if directives.iter().all(|d| d.is_empty()) {
        return Err(ConfigError::key(
            "log.level",
            format!("is empty; {ACCEPTED}"),
        ));
    }
    for d in directives.iter().filter(|d| !d.is_empty()) {
        if !d.contains('=') && !LOG_LEVELS.iter().any(|l| l.eq_ignore_ascii_case(d)) {
            return Err(ConfigError::key(
                "log.level",
                format!("{d:?} is not a log level; {ACCEPTED}"),
            ));
        }
    }
    if let Err(e) = tracing_subscriber::EnvFilter::builder().parse(level) {
        return Err(ConfigError::key(
            "log.level",
            format!("{level:?} is not a log filter ({e}); {ACCEPTED}"),
        ));
    }
    Ok(())
}

/// Whether a configured key hash is a placeholder no real key has: all zeros (the
/// example config's), or the SHA-256 of the empty string.
pub(crate) fn is_placeholder_sha256(s: &str) -> bool {
    const EMPTY: [u8; 32] = [
        0xe3, 0xb0, 0xc4, 0x42, 0x98, 0xfc, 0x1c, 0x14, 0x9a, 0xfb, 0xf4, 0xc8, 0x99, 0x6f, 0xb9,
        0x24, 0x27, 0xae, 0x41, 0xe4, 0x64, 0x9b, 0x93, 0x4c, 0xa4, 0x95, 0x99, 0x1b, 0x78, 0x52,
        0xb8, 0x55,
    ];
    parse_sha256(s).is_some_and(|h| h == [0u8; 32] || h == EMPTY)
}

/// The cipher modes a policy lists: each `gcm` or `cbc`, at least one.
fn check_modes(key: &dyn Fn(&str) -> String, modes: Option<&[String]>) -> Result<(), ConfigError> {
    let Some(modes) = modes else { return Ok(()) };
    if modes.is_empty() {
        return Err(ConfigError::key(
            key("modes"),
            "is empty; list at least one of \"gcm\", \"cbc\"",
        ));
    }
    for (i, m) in modes.iter().enumerate() {
        if m != "gcm" && m != "cbc" {
            return Err(ConfigError::key(
                format!("{}[{i}]", key("modes")),
                "is not a cipher mode; use \"gcm\" or \"cbc\"",
            ));
        }
    }
    Ok(())
}

fn check_basic(
    key: &dyn Fn(&str) -> String,
    allow_basic: Option<bool>,
    room_required: bool,
) -> Result<(), ConfigError> {
    if allow_basic == Some(true) && room_required {
        return Err(ConfigError::key(
            key("allow_basic"),
            "is true while a room is required (require_room or rooms_claim); keep one",
        ));
    }
    Ok(())
}

/// SHA-256 of a key, lower-case hex (what `sha256sum` prints).
#[must_use]
pub fn sha256_hex(key: &str) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(key.as_bytes()))
}

/// A configured key hash: 64 hex digits, alone or as the line `sha256sum` prints for
/// its standard input (`<digest>  -`, the output of the suggested
/// `printf %s "$KEY" | sha256sum`).
pub(crate) fn parse_sha256(s: &str) -> Option<[u8; 32]> {
    let (digest, rest) = split_sha256_line(s);
    if !matches!(rest, "" | "-" | "*-") {
        return None;
    }
    let mut out = [0u8; 32];
    hex::decode_to_slice(digest, &mut out).ok()?;
    Some(out)
}

/// `<digest>` and what follows it after whitespace (empty when nothing does).
fn split_sha256_line(s: &str) -> (&str, &str) {
    let s = s.trim();
    match s.split_once(char::is_whitespace) {
        Some((digest, rest)) => (digest, rest.trim_start()),
        None => (s, ""),
    }
}

/// Largest secret file read (a ServerSecret is 32 bytes, an HS256 secret rarely 100).
pub(crate) const MAX_SECRET_FILE_BYTES: usize = 64 * 1024;

/// Largest config file read.
pub(crate) const MAX_CONFIG_FILE_BYTES: usize = 1024 * 1024;

/// Reads a regular file of at most `max` bytes. A FIFO, device or directory is refused
/// before it is opened (it could block start-up or never end); a file that grows past
/// `max` while read is refused too. The error text never contains the path or content.
pub(crate) fn read_capped(path: &Path, max: usize) -> Result<Vec<u8>, String> {
    read_capped_io(path, max).map_err(|(reason, _)| reason)
}

/// [`read_capped`], keeping the I/O error (for a cause chain).
fn read_capped_io(path: &Path, max: usize) -> Result<Vec<u8>, (String, Option<std::io::Error>)> {
    use std::io::Read as _;
    let io = |e: std::io::Error| (io_reason(&e), Some(e));
    let meta = std::fs::metadata(path).map_err(io)?;
    if !meta.is_file() {
        return Err((
            "is not a regular file (a FIFO, device or directory is refused)".into(),
            None,
        ));
    }
    if meta.len() > max as u64 {
        return Err((format!("is larger than {max} bytes"), None));
    }
    let file = std::fs::File::open(path).map_err(io)?;
    // Sized up front: growing would leave copies of a secret in freed memory.
    let mut buf = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(max).min(max) + 1);
    file.take(max as u64 + 1)
        .read_to_end(&mut buf)
        .map_err(io)?;
    if buf.len() > max {
        return Err((format!("is larger than {max} bytes"), None));
    }
    Ok(buf)
}

fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "does not exist".into(),
        std::io::ErrorKind::PermissionDenied => "cannot be read (permission denied)".into(),
        _ => format!("cannot be read ({e})"),
    }
}

/// Why a secret file was refused. `Display` is a phrase about "the file" that never
/// contains its path or content (`does not exist`, `ends with whitespace…`); the I/O
/// error, when there is one, is the [`source`](std::error::Error::source).
#[derive(Debug)]
pub struct SecretFileError {
    reason: String,
    io: Option<std::io::Error>,
}

impl fmt::Display for SecretFileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.reason)
    }
}

impl std::error::Error for SecretFileError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.io.as_ref().map(|e| e as _)
    }
}

/// Reads a secret file (a ServerSecret, an HS256 secret) the one way every part of
/// zego-token does, the service and `zego-token --secret-file` alike: a regular file of
/// at most 64 KiB; one trailing line break (`\n` or `\r\n`, what `echo` and editors
/// write) is removed; a file that still ends with whitespace after that (a second line
/// break, a space) is refused, since it would silently become part of the secret (or
/// make it the wrong length). Nothing else is trimmed. The bytes are zeroized when
/// dropped.
///
/// # Errors
///
/// [`SecretFileError`]: missing, unreadable, not a regular file, too large, or trailing
/// whitespace besides one line break.
pub fn read_secret_file(path: &Path) -> Result<Zeroizing<Vec<u8>>, SecretFileError> {
    let mut bytes = Zeroizing::new(
        read_capped_io(path, MAX_SECRET_FILE_BYTES)
            .map_err(|(reason, io)| SecretFileError { reason, io })?,
    );
    strip_secret_line_break(&mut bytes)?;
    Ok(bytes)
}

/// Removes one trailing `\n` or `\r\n`; refuses whitespace left after it (see
/// [`read_secret_file`]).
fn strip_secret_line_break(bytes: &mut Vec<u8>) -> Result<(), SecretFileError> {
    if bytes.ends_with(b"\r\n") {
        bytes.truncate(bytes.len() - 2);
    } else if bytes.ends_with(b"\n") {
        bytes.truncate(bytes.len() - 1);
    }
    if bytes.last().is_some_and(u8::is_ascii_whitespace) {
        return Err(SecretFileError {
            reason: format!(
                "ends with whitespace besides one trailing newline ({} bytes without that newline); remove it: keep the secret and at most one line break",
                bytes.len()
            ),
            io: None,
        });
    }
    Ok(())
}

/// Reads a secret from a variable or a file (see [`read_secret_file`]).
///
/// Errors name the key (`apps[0].secret_env`), never its value: an operator who pastes
/// the secret itself into `secret_env` must not see it printed back, nor logged on a
/// reload.
pub(crate) fn read_secret(
    key: &str,
    env_name: Option<&str>,
    file: Option<&Path>,
    env: &Env,
) -> Result<Zeroizing<String>, ConfigError> {
    if let Some(name) = env_name {
        return env
            .get(name)
            .map(|v| Zeroizing::new(v.to_owned()))
            .filter(|v| !v.is_empty())
            .ok_or_else(|| {
                ConfigError::key(
                    format!("{key}_env"),
                    format!(
                        "{} is not set or is empty; export it, or use {key}_file",
                        shown_variable(name)
                    ),
                )
            });
    }
    if let Some(path) = file {
        let bytes = read_secret_file(path).map_err(|e| {
            ConfigError::key(format!("{key}_file"), format!("{} {e}", shown_path(path)))
        })?;
        let text = std::str::from_utf8(&bytes).map_err(|_| {
            ConfigError::key(format!("{key}_file"), "the file it names is not UTF-8 text")
        })?;
        return Ok(Zeroizing::new(text.to_owned()));
    }
    Err(ConfigError::key(
        format!("{key}_env"),
        "no secret source given",
    ))
}

/// `the variable NAME` when the value looks like a variable name (upper-case letters,
/// digits, `_`, not a run of 32+ hex digits); otherwise the name is withheld: it may be
/// the secret itself, pasted into `*_env`.
fn shown_variable(name: &str) -> String {
    let like_a_name = !name.is_empty()
        && name.len() <= 64
        && name
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
        && !name.as_bytes()[0].is_ascii_digit();
    let hexish = name.len() >= 32 && name.bytes().all(|b| b.is_ascii_hexdigit());
    if like_a_name && !hexish {
        format!("the variable {name}")
    } else {
        "the variable it names (not shown: it does not look like a variable name; a pasted secret?)"
            .to_owned()
    }
}

/// `the file PATH` when the value looks like a path (starts with `/` or `.`, no
/// whitespace or control characters); otherwise withheld, as for [`shown_variable`].
fn shown_path(path: &Path) -> String {
    let text = path.to_string_lossy();
    let like_a_path = (text.starts_with('/') || text.starts_with('.'))
        && text.len() <= 4096
        && !text.chars().any(|c| c.is_whitespace() || c.is_control());
    if like_a_path {
        format!("the file {text}")
    } else {
        "the file it names (not shown: it does not look like a path; a pasted secret?)".to_owned()
    }
}

/// A TOML syntax error as `line L, column C: what`, without the offending line (it may
/// hold a secret pasted in the wrong place).
fn toml_syntax_error(text: &str, e: &toml::de::Error) -> String {
    let what = e
        .message()
        .lines()
        .next()
        .unwrap_or("syntax error")
        .trim_end();
    let what = without_quoted(what);
    match e.span() {
        Some(span) => {
            let before = &text[..span.start.min(text.len())];
            let line = before.matches('\n').count() + 1;
            let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
            format!("line {line}, column {column}: {what}")
        }
        None => what,
    }
}

/// `what` with every `"…"` run replaced: serde quotes the values it refuses
/// (`invalid type: string "…", expected u32`). Key names (in backticks) stay.
fn without_quoted(what: &str) -> String {
    let mut out = String::with_capacity(what.len());
    let mut rest = what;
    while let Some(start) = rest.find('"') {
        out.push_str(&rest[..start]);
        match rest[start + 1..].find('"') {
            Some(end) => {
                out.push_str("(value not shown)");
                rest = &rest[start + 1 + end + 1..];
            }
            None => {
                out.push_str("(value not shown)");
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// The config key path a variable sets: `ZEGO_TOKEN_APPS__0__SECRET_ENV` →
/// `apps[0].secret_env`.
fn key_path(var: &str) -> String {
    let mut out = String::new();
    for seg in var[ENV_PREFIX.len()..].split("__") {
        let seg = seg.to_ascii_lowercase();
        if !out.is_empty() && as_index(&seg).is_some() {
            out.push_str(&format!("[{seg}]"));
        } else {
            if !out.is_empty() {
                out.push('.');
            }
            out.push_str(&seg);
        }
    }
    out
}

/// One segment of a variable name, ordered so that indices compare as numbers.
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Segment {
    Index(usize),
    Name(String),
}

fn override_order(var: &str) -> Vec<Segment> {
    var[ENV_PREFIX.len()..]
        .split("__")
        .map(|seg| match as_index(seg) {
            Some(i) => Segment::Index(i),
            None => Segment::Name(seg.to_owned()),
        })
        .collect()
}

/// A segment made only of digits is an array index.
fn as_index(seg: &str) -> Option<usize> {
    if seg.is_empty() || !seg.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    seg.parse().ok()
}

/// Whether a deserialization error says a string was wanted where the variable's value
/// was read as a TOML literal (a number, a boolean...).
fn wants_a_string(message: &str, raw: &str) -> bool {
    let literal = !parse_env_value(raw).is_str();
    let expected = message
        .strip_prefix("invalid type: ")
        .and_then(|m| m.split_once(", expected "))
        .map(|(_, e)| e);
    literal && expected.is_some_and(|e| e.contains("string"))
}

fn apply_override(
    table: &mut toml::Table,
    var: &str,
    raw: &str,
    as_string: bool,
) -> Result<(), ConfigError> {
    let path: Vec<String> = var[ENV_PREFIX.len()..]
        .split("__")
        .map(str::to_ascii_lowercase)
        .collect();
    let mut root = toml::Value::Table(std::mem::take(table));
    let result = apply_path(&mut root, &path, raw, as_string)
        .map_err(|m| ConfigError::key(var, format!("{m} (the variable sets `{}`)", key_path(var))));
    if let toml::Value::Table(t) = root {
        *table = t;
    }
    result
}

fn apply_path(
    root: &mut toml::Value,
    path: &[String],
    raw: &str,
    as_string: bool,
) -> Result<(), String> {
    if path.iter().any(String::is_empty) {
        return Err("is not a config key (empty segment); nest keys with `__`".into());
    }
    let (last, parents) = path.split_last().ok_or("is empty")?;
    let mut cur = root;
    let mut at = String::new();
    for (i, seg) in parents.iter().enumerate() {
        let next = path.get(i + 1).map_or("", String::as_str);
        cur = step(cur, seg, next, &at)?;
        push_key(&mut at, seg);
    }
    let existing_is_string = match &*cur {
        toml::Value::Table(t) => t.get(last.as_str()).is_some_and(toml::Value::is_str),
        toml::Value::Array(a) => as_index(last)
            .and_then(|i| a.get(i))
            .is_some_and(toml::Value::is_str),
        _ => false,
    };
    let value = if as_string || existing_is_string {
        toml::Value::String(raw.to_owned())
    } else {
        parse_env_value(raw)
    };
    match cur {
        toml::Value::Table(t) => {
            t.insert(last.clone(), value);
        }
        toml::Value::Array(a) => {
            let idx = as_index(last).ok_or_else(|| not_an_index(last, &at))?;
            match idx.cmp(&a.len()) {
                std::cmp::Ordering::Less => a[idx] = value,
                std::cmp::Ordering::Equal => a.push(value),
                std::cmp::Ordering::Greater => return Err(gap(idx, a.len(), &at)),
            }
        }
        _ => return Err("does not lead to a table or array".into()),
    }
    Ok(())
}

/// Walks one segment down, creating what is missing: an array when the next segment is
/// an index, else a table; an array entry only at the next free index.
fn step<'a>(
    cur: &'a mut toml::Value,
    seg: &str,
    next: &str,
    at: &str,
) -> Result<&'a mut toml::Value, String> {
    match cur {
        toml::Value::Table(t) => Ok(t.entry(seg.to_owned()).or_insert_with(|| {
            if as_index(next).is_some() {
                toml::Value::Array(Vec::new())
            } else {
                toml::Value::Table(toml::Table::new())
            }
        })),
        toml::Value::Array(a) => {
            let idx = as_index(seg).ok_or_else(|| not_an_index(seg, at))?;
            if idx == a.len() {
                a.push(if as_index(next).is_some() {
                    toml::Value::Array(Vec::new())
                } else {
                    toml::Value::Table(toml::Table::new())
                });
            }
            let len = a.len();
            a.get_mut(idx).ok_or_else(|| gap(idx, len, at))
        }
        _ => Err(format!("`{seg}` is below a value that is not a table")),
    }
}

fn push_key(at: &mut String, seg: &str) {
    if as_index(seg).is_some() && !at.is_empty() {
        at.push_str(&format!("[{seg}]"));
    } else {
        if !at.is_empty() {
            at.push('.');
        }
        at.push_str(seg);
    }
}

fn not_an_index(seg: &str, at: &str) -> String {
    format!("`{seg}` is not an array index; `{at}` is a list, address its entries as 0, 1, 2, …")
}

fn gap(idx: usize, len: usize, at: &str) -> String {
    format!(
        "index {idx} skips entries: `{at}` has {len} entr{}, so the next one is {len}; indices must be dense (0, 1, 2, …)",
        if len == 1 { "y" } else { "ies" }
    )
}

/// A TOML literal (`42`, `true`, `["a"]`) if it parses as one, else the raw string.
fn parse_env_value(raw: &str) -> toml::Value {
    format!("v = {raw}")
        .parse::<toml::Table>()
        .ok()
        .and_then(|mut t| t.remove("v"))
        .unwrap_or_else(|| toml::Value::String(raw.to_owned()))
}

fn reject_inline_secrets(table: &toml::Table) -> Result<(), ConfigError> {
    let inline = |section: &str, field: &str, hint: &str| -> Result<(), ConfigError> {
        if let Some(toml::Value::Array(items)) = table.get(section) {
            for (i, item) in items.iter().enumerate() {
                if item.as_table().is_some_and(|t| t.contains_key(field)) {
                    return Err(ConfigError::key(
                        format!("{section}[{i}].{field}"),
                        format!("inline secrets are not allowed; {hint}"),
                    ));
                }
            }
        }
        Ok(())
    };
    inline(
        "apps",
        "secret",
        "use secret_env = \"VARIABLE\" or secret_file = \"/path\"",
    )?;
    inline(
        "api_keys",
        "key",
        "store its SHA-256 as sha256 = \"…\" (`printf %s \"$KEY\" | sha256sum`)",
    )?;
    inline(
        "jwt_issuers",
        "hs256_secret",
        "use hs256_secret_env or hs256_secret_file",
    )?;
    if table
        .get("rate_limit")
        .and_then(toml::Value::as_table)
        .is_some_and(|t| t.contains_key("redis_password"))
    {
        return Err(ConfigError::key(
            "rate_limit.redis_password",
            "inline secrets are not allowed; use redis_password_env = \"VARIABLE\" or redis_password_file = \"/path\"",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn env_values_parse_as_toml_or_string() {
        assert_eq!(parse_env_value("42"), toml::Value::Integer(42));
        assert_eq!(parse_env_value("true"), toml::Value::Boolean(true));
        assert_eq!(
            parse_env_value("127.0.0.1:1"),
            toml::Value::String("127.0.0.1:1".into())
        );
    }

    #[test]
    fn variables_map_to_key_paths() {
        assert_eq!(
            key_path("ZEGO_TOKEN_APPS__0__SECRET_ENV"),
            "apps[0].secret_env"
        );
        assert_eq!(
            key_path("ZEGO_TOKEN_TOKEN__MAX_TTL_SECONDS"),
            "token.max_ttl_seconds"
        );
        assert_eq!(key_path("ZEGO_TOKEN_LISTEN"), "listen");
    }
}
