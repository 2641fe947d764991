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
//!
//! # Layout
//!
//! One module per section, each owning its types and its check; [`Config::check`]
//! calls them in order. A rule that needs a secret's content (its length, a
//! placeholder digest) runs when the state is built; everything else runs here.
//!
//! * `env`: [`Env`] and the `ZEGO_TOKEN_…` overrides; `error`: [`ConfigError`];
//!   `secrets`: [`read_secret_file`], secret sources, capped reads.
//! * `apps` (`[[apps]]`), `callers` (`[[api_keys]]`, `[[jwt_issuers]]` and their shared
//!   [`CallerPolicyConfig`]), `token`, `limits`, `rate_limit`, `http` (`cors`, `tls`,
//!   `console`, `metrics`), `log`.

mod apps;
mod callers;
mod env;
mod error;
mod http;
mod limits;
mod log;
mod rate_limit;
mod secrets;
mod token;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use serde::Deserialize;

pub use self::apps::AppConfig;
pub(crate) use self::apps::AppSecret;
pub use self::callers::{ApiKeyConfig, CallerPolicyConfig, JwtIssuerConfig, sha256_hex};
pub(crate) use self::callers::{CallerKind, IssuerKeys};
pub use self::env::{ENV_PREFIX, Env, RESERVED_ENV};
pub use self::error::ConfigError;
pub use self::http::{ConsoleConfig, CorsConfig, MetricsConfig, TlsConfig};
pub use self::limits::{LimitsConfig, MAX_DRAIN_DELAY_SECONDS};
pub use self::log::{LogConfig, LogFormat};
pub use self::rate_limit::{OnStoreError, RateLimitConfig, RateLimitStore};
pub(crate) use self::secrets::read_secret;
pub use self::secrets::{SecretFileError, read_secret_file};
pub use self::token::{IdRules, TokenConfig};
use crate::files::read_capped;

use self::env::{apply_override, key_path, override_order, wants_a_string};
use self::error::{toml_syntax_error, without_quoted};
use self::secrets::{MAX_CONFIG_FILE_BYTES, reject_inline_secrets};

/// `--dev`: the variable holding the ServerSecret (as for the other subcommands).
const DEV_SECRET_ENV: &str = "ZEGO_SERVER_SECRET";
/// `--dev`: the variable naming a file that holds the ServerSecret.
const DEV_SECRET_FILE_ENV: &str = "ZEGO_SERVER_SECRET_FILE";

/// The commented example configuration: every key at its default, with its variable.
pub const EXAMPLE_CONFIG: &str = include_str!("../../config.example.toml");

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
        self.api_keys.push(ApiKeyConfig::new(name, sha256_hex(key)));
    }

    /// Checks everything that can be checked without reading secrets or files.
    ///
    /// # Errors
    ///
    /// The first problem found, with its key.
    pub fn check(&self) -> Result<(), ConfigError> {
        apps::check_apps(&self.apps)?;
        callers::check_callers(&self.apps, &self.api_keys, &self.jwt_issuers)?;
        self.token.check()?;
        self.limits.check()?;
        self.rate_limit.check(self.limits.request_timeout_ms)?;
        self.cors.check()?;
        self.tls.check()?;
        self.log.check()?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn loaded() -> Config {
        let text = format!(
            "[[apps]]\napp_id = 7\nsecret_env = \"S\"\n[[api_keys]]\nname = \"k\"\nsha256 = \"{}\"\n",
            sha256_hex("key")
        );
        Config::from_toml(&text, &Env::default()).unwrap()
    }

    #[test]
    fn a_config_built_in_code_is_checked() {
        let mut c = Config::dev(None, &Env::default()).unwrap();
        let e = c.check().unwrap_err();
        assert_eq!(e.key.as_deref(), Some("api_keys"), "{e}");
        c.add_api_key("dev", "0123456789abcdef");
        assert!(c.check().is_ok());
        c.apps[0].app_id = 0;
        let e = c.check().unwrap_err();
        assert_eq!(e.key.as_deref(), Some("apps[0].app_id"), "{e}");
    }

    #[tokio::test]
    async fn the_state_refuses_a_loaded_config_changed_to_an_invalid_one() {
        let mut c = loaded();
        c.limits.request_timeout_ms = 0;
        let env = Env::from_pairs([("S", "0123456789abcdef0123456789abcdef")]);
        let e = crate::AppState::new(&c, &env).await.unwrap_err();
        assert_eq!(e.key.as_deref(), Some("limits.request_timeout_ms"), "{e}");
    }
}
