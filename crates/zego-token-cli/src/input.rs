//! Reading the inputs that do not come straight from clap: the ServerSecret (stdin, a
//! file, the environment or the demo app), the token (argument or stdin) and the app id.
//!
//! Secrets never appear in an error message: only where they came from and their length.

use std::ffi::OsString;
use std::io::Read;
use std::path::Path;

use anyhow::{Context, Result, bail};
use zego_token::{SECRET_LEN, ServerSecret};

use crate::cli::SecretArgs;

/// The environment variable holding the ServerSecret itself.
pub(crate) const SECRET_ENV: &str = "ZEGO_SERVER_SECRET";
/// The environment variable naming a file that holds the ServerSecret.
pub(crate) const SECRET_FILE_ENV: &str = "ZEGO_SERVER_SECRET_FILE";

/// The environment, read once so the functions below can be tested without touching the
/// process environment.
#[derive(Default)]
pub(crate) struct Env {
    /// `$ZEGO_SERVER_SECRET`, when set and not empty.
    pub(crate) secret: Option<OsString>,
    /// `$ZEGO_SERVER_SECRET_FILE`, when set and not empty.
    pub(crate) secret_file: Option<OsString>,
}

impl Env {
    /// Reads the variables; an empty variable counts as unset.
    pub(crate) fn from_process() -> Self {
        let get = |name| std::env::var_os(name).filter(|v| !v.is_empty());
        Self {
            secret: get(SECRET_ENV),
            secret_file: get(SECRET_FILE_ENV),
        }
    }
}

impl std::fmt::Debug for Env {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Env")
            .field("secret", &self.secret.as_ref().map(|_| "<redacted>"))
            .field("secret_file", &self.secret_file)
            .finish()
    }
}

/// Where the secret in use came from, for messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum SecretSource {
    /// `--demo`.
    Demo,
    /// Anything else, described ("the secret in /x", "the secret on stdin"...).
    Given(String),
}

/// A loaded secret and where it came from.
#[derive(Debug)]
pub(crate) struct Secret {
    /// The validated secret.
    pub(crate) secret: ServerSecret,
    /// Where it came from.
    pub(crate) source: SecretSource,
    /// Something odd about an accepted secret, for a warning.
    pub(crate) oddity: Option<String>,
}

/// What to say when a command needs a secret and none was given.
pub(crate) const NO_SECRET_HELP: &str = "set ZEGO_SERVER_SECRET or ZEGO_SERVER_SECRET_FILE, or pass --secret-file PATH or --secret-stdin (to try the tool with ZEGO's public demo app, pass --demo)";

/// Loads the secret from the first source that is given: `--secret-stdin`,
/// `--secret-file`, `$ZEGO_SERVER_SECRET_FILE`, `$ZEGO_SERVER_SECRET`, `--demo`.
/// `Ok(None)` when none is.
///
/// # Errors
///
/// Unreadable file or stdin, both environment variables set, or a secret that is not
/// 32 bytes (the message says how long it is and what is odd about it).
pub(crate) fn load_secret(
    args: &SecretArgs,
    env: &Env,
    stdin: &mut dyn Read,
) -> Result<Option<Secret>> {
    if args.demo {
        let secret = ServerSecret::new(zego_token::demo::SECRET)
            .context("the built-in demo secret is invalid")?;
        return Ok(Some(Secret {
            secret,
            source: SecretSource::Demo,
            oddity: None,
        }));
    }
    if args.secret_stdin {
        let mut bytes = Vec::new();
        stdin
            .read_to_end(&mut bytes)
            .context("cannot read the secret from stdin (--secret-stdin)")?;
        return from_bytes(bytes, "the secret on stdin").map(Some);
    }
    if let Some(path) = &args.secret_file {
        return from_file(path, "--secret-file").map(Some);
    }
    match (&env.secret_file, &env.secret) {
        (Some(_), Some(_)) => bail!(
            "both {SECRET_ENV} and {SECRET_FILE_ENV} are set: unset one of them so it is clear which secret is meant"
        ),
        (Some(path), None) => from_file(Path::new(path), SECRET_FILE_ENV).map(Some),
        (None, Some(value)) => {
            let bytes = value.as_encoded_bytes().to_vec();
            from_bytes(bytes, &format!("the secret in {SECRET_ENV}")).map(Some)
        }
        (None, None) => Ok(None),
    }
}

/// Reads a secret file exactly as the service does
/// ([`zego_token_server::config::read_secret_file`]: one trailing `\n` or `\r\n`
/// removed, whitespace left after it refused); `via` names the flag or variable that
/// named it.
fn from_file(path: &Path, via: &str) -> Result<Secret> {
    let bytes = zego_token_server::config::read_secret_file(path).with_context(|| {
        format!(
            "cannot read the secret file {} (from {via})",
            path.display()
        )
    })?;
    validated(&bytes, &format!("the secret in {}", path.display()))
}

/// Trims one trailing newline (`\n` or `\r\n`) and validates the length, describing
/// what is wrong without showing the value.
fn from_bytes(mut bytes: Vec<u8>, what: &str) -> Result<Secret> {
    if bytes.ends_with(b"\r\n") {
        bytes.truncate(bytes.len() - 2);
    } else if bytes.ends_with(b"\n") {
        bytes.truncate(bytes.len() - 1);
    }
    let secret = validated(&bytes, what);
    // The buffer held the secret: overwrite it before it is freed.
    bytes.iter_mut().for_each(|b| *b = 0);
    secret
}

/// Validates a secret whose line break is already removed.
fn validated(bytes: &[u8], what: &str) -> Result<Secret> {
    let secret = check_secret_bytes(bytes, what);
    // Every official generator accepts 32 bytes that begin with a quote (a secret pasted
    // with the quote of its JSON or shell line and cut at 32): accept it, and say so.
    let oddity = bytes
        .first()
        .is_some_and(|b| *b == b'"' || *b == b'\'')
        .then(|| format!("{what} begins with a quote: if the quote is not part of the ServerSecret, tokens made with it are refused (1002033)"));
    Ok(Secret {
        secret: secret?,
        source: SecretSource::Given(what.to_owned()),
        oddity,
    })
}

/// Validates the bytes of a secret; `what` says where they came from.
fn check_secret_bytes(bytes: &[u8], what: &str) -> Result<ServerSecret> {
    let len = bytes.len();
    if len == 0 {
        bail!(
            "{what} is empty; a ZEGO ServerSecret is 32 characters (copy it from the project settings in ZEGO's console)"
        );
    }
    let hint = if bytes.first().is_some_and(u8::is_ascii_whitespace)
        || bytes.last().is_some_and(u8::is_ascii_whitespace)
    {
        " (it starts or ends with whitespace besides one trailing newline: remove it)"
    } else if bytes.contains(&b'\n') {
        " (it spans several lines: keep only the secret)"
    } else if len != SECRET_LEN && bytes.first().is_some_and(|b| *b == b'"' || *b == b'\'') {
        " (it is quoted: remove the quotes)"
    } else if !bytes.iter().all(u8::is_ascii_graphic) {
        " (it holds characters a ServerSecret never has)"
    } else {
        ""
    };
    if len != SECRET_LEN || !hint.is_empty() {
        bail!(
            "{what} is {len} bytes{hint}; a ZEGO ServerSecret is exactly {SECRET_LEN} characters, as shown in the project settings of ZEGO's console"
        );
    }
    ServerSecret::from_bytes(bytes).with_context(|| format!("{what} is not a ServerSecret"))
}

/// Reads the token argument: the text itself, or stdin for `-`. Surrounding whitespace
/// (a trailing newline from `echo` or a file) and one pair of surrounding quotes (a
/// token copied out of JSON or a log line) are removed.
///
/// # Errors
///
/// Stdin unreadable, not UTF-8, or empty.
pub(crate) fn read_token(arg: &str, stdin: &mut dyn Read) -> Result<String> {
    if arg != "-" {
        return Ok(unquote(arg).to_owned());
    }
    let mut text = String::new();
    stdin
        .read_to_string(&mut text)
        .context("cannot read the token from stdin (TOKEN was -)")?;
    let token = unquote(&text);
    if token.is_empty() {
        bail!(
            "no token on stdin (TOKEN was -): pipe a token in, e.g. `zego-token generate ... | zego-token inspect -`, or pass it as the argument"
        );
    }
    Ok(token.to_owned())
}

/// Trims whitespace, then one pair of matching quotes, then whitespace again.
fn unquote(text: &str) -> &str {
    let t = text.trim();
    ['"', '\'']
        .iter()
        .find_map(|q| t.strip_prefix(*q)?.strip_suffix(*q))
        .map_or(t, str::trim)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests fail loudly on purpose")]

    use super::*;

    fn args() -> SecretArgs {
        SecretArgs {
            secret_file: None,
            secret_stdin: false,
            demo: false,
        }
    }

    #[test]
    fn stdin_secret_trims_one_newline() {
        let a = SecretArgs {
            secret_stdin: true,
            ..args()
        };
        let mut input = &b"fa94dd0f974cf2e293728a526b028271\n"[..];
        let s = load_secret(&a, &Env::default(), &mut input)
            .unwrap()
            .unwrap();
        assert_eq!(s.source, SecretSource::Given("the secret on stdin".into()));
        let mut two = &b"fa94dd0f974cf2e293728a526b028271\n\n"[..];
        let err = load_secret(&a, &Env::default(), &mut two).unwrap_err();
        assert!(format!("{err:#}").contains("33 bytes"), "{err:#}");
    }

    #[test]
    fn errors_never_show_the_secret() {
        let env = Env {
            secret: Some("fa94dd0f974cf2e293728a526b0282711".into()),
            secret_file: None,
        };
        let err = load_secret(&args(), &env, &mut &b""[..]).unwrap_err();
        let text = format!("{err:#}");
        assert!(text.contains("33 bytes"), "{text}");
        assert!(!text.contains("fa94dd"), "{text}");
    }

    #[test]
    fn tokens_lose_whitespace_and_quotes() {
        assert_eq!(unquote(" \"04AB\"\n"), "04AB");
        assert_eq!(unquote("'04AB'"), "04AB");
        assert_eq!(unquote("\"04AB"), "\"04AB");
        assert_eq!(unquote("\""), "\"");
        let mut stdin = &b"  04AB \r\n"[..];
        assert_eq!(read_token("-", &mut stdin).unwrap(), "04AB");
        assert!(read_token("-", &mut &b" \n"[..]).is_err());
    }

    #[test]
    fn secret_files_are_read_as_the_service_reads_them() {
        const S: &str = "fa94dd0f974cf2e293728a526b028271";
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("secret");
        let a = SecretArgs {
            secret_file: Some(path.clone()),
            ..args()
        };
        let cases = [
            (S.to_owned(), true),
            (format!("{S}\n"), true),
            (format!("{S}\r\n"), true),
            (format!("{S}\n\n"), false),
            (format!("{S}\r\n\r\n"), false),
            (format!("{S} \n"), false),
            (format!(" {S}\n"), false),
        ];
        for (content, accepted) in cases {
            std::fs::write(&path, &content).unwrap();
            let cli = load_secret(&a, &Env::default(), &mut &b""[..]);
            assert_eq!(cli.is_ok(), accepted, "{content:?}");
            // The same file through the service's reader: same bytes, same verdict.
            let server = zego_token_server::config::read_secret_file(&path)
                .ok()
                .filter(|b| b.len() == SECRET_LEN && b.iter().all(u8::is_ascii_graphic));
            assert_eq!(server.is_some(), accepted, "{content:?}");
            if let Err(e) = cli {
                assert!(!format!("{e:#}").contains(&S[..8]), "{e:#}");
            }
        }
        // A second line break: the length without the first, and why.
        std::fs::write(&path, format!("{S}\n\n")).unwrap();
        let e = load_secret(&a, &Env::default(), &mut &b""[..]).unwrap_err();
        let text = format!("{e:#}");
        assert!(
            text.contains("33 bytes") && text.contains("whitespace"),
            "{text}"
        );
    }

    #[test]
    fn no_source_is_none() {
        assert!(
            load_secret(&args(), &Env::default(), &mut &b""[..])
                .unwrap()
                .is_none()
        );
    }
}
