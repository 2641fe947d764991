//! Secrets: [`read_secret_file`] (the one way zego-token reads a
//! secret file), `read_secret` (a `*_env` or `*_file` source), and the refusal of
//! inline secrets (`apps[].secret`, `api_keys[].key`, `jwt_issuers[].hs256_secret`,
//! `rate_limit.redis_password`).

use std::fmt;
use std::path::Path;

use zeroize::Zeroizing;

use super::{ConfigError, Env};
use crate::files::read_capped_io;

/// Largest secret file read (a ServerSecret is 32 bytes, an HS256 secret rarely 100).
pub(crate) const MAX_SECRET_FILE_BYTES: usize = 64 * 1024;

/// Largest config file read.
pub(crate) const MAX_CONFIG_FILE_BYTES: usize = 1024 * 1024;

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

/// Where a secret comes from: the variable named by a `*_env` key, or the file named
/// by a `*_file` key.
#[derive(Debug, Clone, Copy)]
pub(crate) enum SecretSource<'a> {
    /// `*_env`: the name of the variable.
    Env(&'a str),
    /// `*_file`: the path of the file.
    File(&'a Path),
}

impl<'a> SecretSource<'a> {
    /// The one source of a `{prefix}_env` / `{prefix}_file` pair: `None` when neither is
    /// set. This is the only check of the pair, for every secret (apps, HS256, Redis).
    ///
    /// # Errors
    ///
    /// Both are set: the error names `{prefix}_file` (`apps[0].secret_file`).
    pub(crate) fn of(
        prefix: &str,
        env_name: Option<&'a str>,
        file: Option<&'a Path>,
    ) -> Result<Option<Self>, ConfigError> {
        match (env_name, file) {
            (Some(_), Some(_)) => {
                let field = prefix.rsplit('.').next().unwrap_or(prefix);
                Err(ConfigError::key(
                    format!("{prefix}_file"),
                    format!("both {field}_env and {field}_file are set; keep one"),
                ))
            }
            (Some(name), None) => Ok(Some(Self::Env(name))),
            (None, Some(path)) => Ok(Some(Self::File(path))),
            (None, None) => Ok(None),
        }
    }

    /// The key this source was given by: `{prefix}_env` or `{prefix}_file`, for errors
    /// about the secret's content (its length).
    pub(crate) fn key(&self, prefix: &str) -> String {
        match self {
            Self::Env(_) => format!("{prefix}_env"),
            Self::File(_) => format!("{prefix}_file"),
        }
    }
}

/// Reads a secret from its source (a file as [`read_secret_file`] reads it).
///
/// Errors name the key (`apps[0].secret_env`), never its value: an operator who pastes
/// the secret itself into `secret_env` must not see it printed back, nor logged on a
/// reload.
pub(crate) fn read_secret(
    prefix: &str,
    source: SecretSource<'_>,
    env: &Env,
) -> Result<Zeroizing<String>, ConfigError> {
    match source {
        SecretSource::Env(name) => env
            .get(name)
            .map(|v| Zeroizing::new(v.to_owned()))
            .filter(|v| !v.is_empty())
            .ok_or_else(|| {
                ConfigError::key(
                    source.key(prefix),
                    format!(
                        "{} is not set or is empty; export it, or use {prefix}_file",
                        shown_variable(name)
                    ),
                )
            }),
        SecretSource::File(path) => {
            let bytes = read_secret_file(path).map_err(|e| {
                ConfigError::key(source.key(prefix), format!("{} {e}", shown_path(path)))
            })?;
            let text = std::str::from_utf8(&bytes).map_err(|_| {
                ConfigError::key(source.key(prefix), "the file it names is not UTF-8 text")
            })?;
            Ok(Zeroizing::new(text.to_owned()))
        }
    }
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

pub(super) fn reject_inline_secrets(table: &toml::Table) -> Result<(), ConfigError> {
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
