//! [`Env`], a snapshot of the environment, and the `ZEGO_TOKEN_…` overrides: each
//! variable names a key path (`__` between levels, a number indexes a list) and is
//! written into the TOML table before it is deserialized.

use std::collections::BTreeMap;
use std::fmt;

use zeroize::Zeroizing;

use super::ConfigError;

/// The prefix of environment overrides.
pub const ENV_PREFIX: &str = "ZEGO_TOKEN_";

/// Variables with the prefix that are not config keys (flags and the dev API key).
pub const RESERVED_ENV: &[&str] = &["ZEGO_TOKEN_API_KEY", "ZEGO_TOKEN_CONFIG"];

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

    pub(super) fn overrides(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().filter_map(|(k, v)| {
            let rest = k.strip_prefix(ENV_PREFIX)?;
            (!RESERVED_ENV.contains(&k.as_str()) && !rest.is_empty())
                .then_some((k.as_str(), v.as_str()))
        })
    }
}

/// The config key path a variable sets: `ZEGO_TOKEN_APPS__0__SECRET_ENV` →
/// `apps[0].secret_env`.
pub(super) fn key_path(var: &str) -> String {
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
pub(super) enum Segment {
    Index(usize),
    Name(String),
}

pub(super) fn override_order(var: &str) -> Vec<Segment> {
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
pub(super) fn wants_a_string(message: &str, raw: &str) -> bool {
    let literal = !parse_env_value(raw).is_str();
    let expected = message
        .strip_prefix("invalid type: ")
        .and_then(|m| m.split_once(", expected "))
        .map(|(_, e)| e);
    literal && expected.is_some_and(|e| e.contains("string"))
}

pub(super) fn apply_override(
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
