//! [`ConfigError`], the one error type of config loading and checking, and the
//! wording of TOML and serde errors (never quoting a value: it may be a pasted secret).

use std::fmt;

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

/// A TOML syntax error as `line L, column C: what`, without the offending line (it may
/// hold a secret pasted in the wrong place).
pub(super) fn toml_syntax_error(text: &str, e: &toml::de::Error) -> String {
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
pub(super) fn without_quoted(what: &str) -> String {
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
