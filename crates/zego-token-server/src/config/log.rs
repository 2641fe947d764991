//! `[log]`: `format` (`text` or `json`) and `level` (a level or filter directives).

use serde::Deserialize;

use super::ConfigError;

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

impl LogConfig {
    /// `log.level` (see [`check_log_level`]); `format` is checked by its type.
    pub(crate) fn check(&self) -> Result<(), ConfigError> {
        check_log_level(&self.level)
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
