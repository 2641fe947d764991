//! The listener-bound sections: `[cors]`, `[tls]`, `[console]`, `[metrics]`.

use std::net::SocketAddr;
use std::path::PathBuf;

use serde::Deserialize;

use super::ConfigError;

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

impl CorsConfig {
    /// `cors.allowed_origins`: each `scheme://host[:port]`, no trailing slash.
    pub(crate) fn check(&self) -> Result<(), ConfigError> {
        for (i, o) in self.allowed_origins.iter().enumerate() {
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
        Ok(())
    }
}

impl TlsConfig {
    /// `tls`: both files or neither.
    pub(crate) fn check(&self) -> Result<(), ConfigError> {
        if self.cert_file.is_some() != self.key_file.is_some() {
            return Err(ConfigError::key(
                "tls.key_file",
                "set both tls.cert_file and tls.key_file, or neither",
            ));
        }
        Ok(())
    }
}
