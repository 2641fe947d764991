//! The command line, declared with clap's derive API. Doc comments are the help text.
//!
//! Every subcommand is one variant of [`Command`] with its own `Args` struct, so a new
//! subcommand is one variant, one struct, one file in `commands/` and one arm in
//! `main.rs`'s dispatch.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Exit statuses and where the secret comes from, shown at the end of every `--help`.
macro_rules! common_help {
    () => {
        "\
Exit status:
  0  success; for verify: the token is valid
  1  the token was checked and rejected (malformed, wrong secret, expired, app/user/room
     mismatch, missing privilege)
  2  usage error, unreadable input or secret, or an internal error

The ServerSecret is never taken from the command line (every user of the machine can
read it there). It comes from, in this order: --secret-stdin, --secret-file PATH,
$ZEGO_SERVER_SECRET_FILE, $ZEGO_SERVER_SECRET, or --demo. The app id may come from
$ZEGO_APP_ID."
    };
}

/// The end of `generate --help` and `kit-token --help`.
const SHORT_HELP: &str = common_help!();

/// The end of `--help`, `inspect --help` and `verify --help`: also the ZEGO error codes.
const AFTER_HELP: &str = concat!(
    common_help!(),
    "

ZEGO error codes that verify reports (the codes ZEGO's SDKs show when ZEGO's server
refuses a token for the same reason):
  RTC (Express) SDKs:
    1002033  room login failed: token wrong (other secret or app, wrong room, no login
             privilege)
    1002075  token format error (malformed token, payload not a room document)
    1002076  app_id in the token differs from the SDK's appID
    1002077  user_id in the token differs from the login userID
    1002078  token expired
    1002079  wrong token version (not a token04)
    1002080  nonce has the wrong type
    1003072  publishing refused (no publish privilege, or stream not in the list)
  ZIM (in-app chat) SDKs:
    6000103  token invalid
    6000106  token expired (also: an expiry past 2038-01-19, read as a signed 32-bit time)
    6000107  token version error
    6000108  lifetime of 30 s or less
    6000109  lifetime over 24 days

Client rules that generate, kit-token, inspect and verify warn about (ZEGO's SDKs
refuse such tokens at login although the generators mint them):
  user_id_charset   1002006  a userID holds only digits, English letters and
                             ~!@#$%^&*()_+=-`;',.<>/\\ (no spaces, no accents)
  user_id_percent   1002006  '%' in a userID: not for the Web SDK
  user_id_slash     1002006  '/' in a userID (room_id_slash: roomID, 1002012): refused
                             by the Web SDK and the web UIKits
  user_id_length    1002006  a userID is fewer than 64 bytes
  zim_user_id_length         a ZIM userID is at most 32 bytes
  room_id_charset   1002012  a roomID: the userID's characters
  room_id_length    1002012  a roomID is fewer than 128 bytes
  ttl_too_short     6000108  30 s or less: the SDKs' will-expire warning comes 30 s
                             before expiry, so the token cannot be renewed in time
  ttl_over_zim_limit 6000109 more than 24 days
  expire_past_2038  6000106  refused by generate unless --allow-long
  kit_user_id, kit_room_id   kit tokens: IDs the UIKits cannot carry (refused)

Quick start (ZEGO's servers refuse demo tokens; use it to try the tool):
  zego-token generate --demo --user-id alice | zego-token inspect --demo -"
);

/// `--version`: the crate version, the git commit and its date (see `build.rs`).
const VERSION: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    " (",
    env!("BUILD_GIT_COMMIT"),
    " ",
    env!("BUILD_GIT_DATE"),
    ")"
);

/// Generate, inspect and verify ZEGO token04 tokens, and tell why a token fails.
#[derive(Debug, Parser)]
#[command(name = "zego-token", version = VERSION, after_help = AFTER_HELP)]
pub(crate) struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub(crate) command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Make a token04: a basic token, or a privilege token for a room with --room.
    ///
    /// Plain output is the token alone on stdout, so `$(zego-token generate ...)` works.
    ///
    /// --json prints one object: {"type":"generate", "token", "app_id", "user_id",
    /// "ctime", "expire" (Unix seconds), "expire_utc", "nonce", "mode" ("gcm"|"cbc"),
    /// "payload" (the payload text, "" for a basic token), "privileges" (null, or
    /// {"room_id", "login", "publish", "stream_ids", "description"})}.
    #[command(after_help = SHORT_HELP, verbatim_doc_comment)]
    Generate(GenerateArgs),
    /// Show what a token holds: its header without a secret, every claim with one.
    ///
    /// Reads the token from the argument, or from stdin when it is `-`. Without a
    /// secret only the unencrypted header is shown (mode, expiry, IV); with a secret
    /// (environment, --secret-file, --secret-stdin or --demo) the claims, the
    /// privilege payload in words, and warnings too. Kit tokens (`token04#info`) are
    /// accepted: their kit info is shown as well. Exit status 1 when the token is
    /// malformed or does not decrypt with the secret given.
    ///
    /// --json prints one object: {"type":"inspect", "kind" ("token04"|"kit"), "mode"
    /// ("gcm"|"cbc"), "expire" (the header's copy, Unix seconds), "expire_utc",
    /// "expires_in" (seconds, negative once expired), "expired", "iv_len", "iv_hex",
    /// "ciphertext_len", "mode_byte" (whether the body ends with an explicit mode
    /// byte), "decrypted", "claims" (when decrypted: exactly "app_id", "user_id",
    /// "nonce", "ctime", "expire", "payload" as in the token), "privileges" (when
    /// decrypted and the payload is a room document), "kit" (the kit info of a kit
    /// token), "warnings" ([{"code", "message"}]), "error" (when rejected: {"kind",
    /// "message", "zego_code", "zim_code", "advice"})}.
    #[command(after_help = AFTER_HELP, verbatim_doc_comment)]
    Inspect(InspectArgs),
    /// Check a token as ZEGO's server would, and say why it is rejected.
    ///
    /// Checks, in order: format, decryption with the secret, app_id, user_id (with
    /// --user-id), expiry (with --leeway), creation time, room and login privilege
    /// (with --room), publish privilege (with --publish or --stream), stream list (with
    /// --stream). Exit status 0 valid, 1 rejected, 2 usage or I/O error. For a kit
    /// token (`token04#info`) the token04 part is checked, the user defaults to the
    /// kit's userID, and the kit's appID must be the token's.
    ///
    /// --json prints one object: {"type":"verify", "valid", "mode", "expire" (the
    /// claim), "expire_utc", "expires_in", "claims" (when decrypted, as in inspect),
    /// "privileges" (as in inspect), "warnings" (as in inspect), "error" (null when
    /// valid, else {"kind", "message", "zego_code", "zim_code", "advice"})}.
    #[command(after_help = AFTER_HELP, verbatim_doc_comment)]
    Verify(VerifyArgs),
    /// Make a production kit token for ZEGO's prebuilt UIKits (web kits).
    ///
    /// A kit token is `token04 + "#" + base64(JSON {"userID", "roomID", "userName",
    /// "appID"})` with userName URI-encoded; make it on the server and hand it to the
    /// kit, so the ServerSecret never reaches the browser. The token04 part is a basic
    /// token unless --pin-room makes it a privilege token for --room.
    ///
    /// --json prints one object: {"type":"kit-token", "kit_token", "token" (the token04
    /// part), "app_id", "user_id", "room_id", "user_name", "ctime", "expire",
    /// "expire_utc", "mode"}.
    #[command(name = "kit-token", after_help = SHORT_HELP, verbatim_doc_comment)]
    KitToken(KitTokenArgs),
    /// Run the token service: the HTTP backend that hands tokens to an app's clients.
    ///
    /// `serve --dev` starts a development server on 127.0.0.1:8080 with the debug
    /// console at /console; `serve --config FILE` is for production (see
    /// --print-example-config). Stops cleanly on SIGTERM or Ctrl-C; SIGHUP reloads the
    /// config.
    #[command(verbatim_doc_comment)]
    Serve(ServeArgs),
    /// Probe a running token service: exit 0 when its readiness URL answers 2xx.
    ///
    /// For container HEALTHCHECKs and Kubernetes exec probes in images without curl.
    /// Exit status 0 when the service answers 2xx within --timeout (one line on stdout);
    /// 1 when it answers anything else, does not answer in time, or cannot be reached
    /// (one line on stderr: the HTTP status and the answer's `status` field, or the
    /// connection error); 2 for a usage error. http:// and https:// (certificates
    /// checked against the system's roots); no redirects followed, no proxy used, and
    /// a URL with credentials (user:password@) is refused.
    ///
    /// Dockerfile:  HEALTHCHECK CMD ["zego-token", "healthcheck"]
    /// Kubernetes:  exec: {command: ["zego-token", "healthcheck", "http://127.0.0.1:8080/readyz"]}
    #[command(verbatim_doc_comment)]
    Healthcheck(HealthcheckArgs),
    /// Print a shell completion script: bash, zsh, fish, elvish or powershell.
    ///
    /// bash:  zego-token completions bash > /etc/bash_completion.d/zego-token
    /// zsh:   zego-token completions zsh > "${fpath[1]}/_zego-token"
    /// fish:  zego-token completions fish > ~/.config/fish/completions/zego-token.fish
    #[command(verbatim_doc_comment)]
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff), e.g. `zego-token man > zego-token.1`.
    Man,
}

/// Where the ServerSecret comes from (besides the environment).
#[derive(Debug, Args)]
#[command(next_help_heading = "ServerSecret (never on the command line)")]
pub(crate) struct SecretArgs {
    /// Read the ServerSecret from this file (one trailing newline is ignored). Also
    /// $ZEGO_SERVER_SECRET_FILE.
    #[arg(long, value_name = "PATH", conflicts_with = "secret_stdin")]
    pub(crate) secret_file: Option<PathBuf>,
    /// Read the ServerSecret from stdin (one trailing newline is ignored).
    #[arg(long)]
    pub(crate) secret_stdin: bool,
    /// Use ZEGO's public demo app (app id 1234567890 and its published secret).
    /// ZEGO's servers refuse tokens made with it: for trying the tool only.
    #[arg(long, conflicts_with_all = ["secret_file", "secret_stdin"])]
    pub(crate) demo: bool,
}

/// Options that only make output reproducible (tests, documentation).
#[derive(Debug, Args)]
pub(crate) struct ClockArgs {
    /// Pretend the time is this Unix timestamp (seconds).
    #[arg(long, value_name = "UNIX", hide = true, allow_negative_numbers = true)]
    pub(crate) now: Option<i64>,
}

/// The cipher mode of a new token.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Mode {
    /// AES-256-GCM, the current mode ZEGO recommends.
    Gcm,
    /// AES-256-CBC, the legacy mode (deprecated by ZEGO, still accepted).
    Cbc,
}

impl From<Mode> for zego_token::CipherMode {
    fn from(m: Mode) -> Self {
        match m {
            Mode::Gcm => Self::Gcm,
            Mode::Cbc => Self::Cbc,
        }
    }
}

/// The options `generate` and `kit-token` share.
#[derive(Debug, Args)]
pub(crate) struct TokenArgs {
    /// The AppID of the project in ZEGO's console. Also $ZEGO_APP_ID.
    #[arg(long, env = "ZEGO_APP_ID", value_name = "N")]
    pub(crate) app_id: Option<u32>,
    /// The user id the client logs in with (fewer than 64 bytes).
    #[arg(long, value_name = "U")]
    pub(crate) user_id: String,
    /// Lifetime: seconds (3600), or with units: 90s, 30m, 1h, 2d, 1h30m.
    #[arg(long, value_name = "DURATION", default_value = "3600", value_parser = parse_duration)]
    pub(crate) ttl: u64,
    /// Cipher mode.
    #[arg(long, value_enum, default_value_t = Mode::Gcm)]
    pub(crate) mode: Mode,
    /// Print a JSON object instead of the token alone.
    #[arg(long)]
    pub(crate) json: bool,
    /// Allow an expiry past 2038-01-19 (2^31 - 1): ZIM reads such a token as expired.
    #[arg(long)]
    pub(crate) allow_long: bool,
    /// The secret.
    #[command(flatten)]
    pub(crate) secret: SecretArgs,
    /// The clock.
    #[command(flatten)]
    pub(crate) clock: ClockArgs,
    /// Use this claims nonce instead of a random one (with --iv-hex).
    #[arg(long, hide = true, requires = "iv_hex", allow_negative_numbers = true)]
    pub(crate) nonce: Option<i32>,
    /// Use this IV (hex; 12 bytes for GCM, 16 for CBC) instead of a random one.
    /// Reusing an IV under one secret breaks GCM: for reproducible tests only.
    #[arg(long, hide = true, requires = "nonce")]
    pub(crate) iv_hex: Option<String>,
}

/// The help heading of `generate`'s payload options.
const PAYLOAD: &str = "Payload (default: empty, a basic token)";

/// The help heading of `kit-token`'s own options.
const KIT: &str = "Kit";

/// `generate`.
#[derive(Debug, Args)]
pub(crate) struct GenerateArgs {
    /// App, user, lifetime, mode, secret.
    #[command(flatten)]
    pub(crate) token: TokenArgs,
    /// Make a privilege token that only lets the user into room R.
    #[arg(long, value_name = "R", conflicts_with = "payload", help_heading = PAYLOAD)]
    pub(crate) room: Option<String>,
    /// With --room: deny the login privilege (allowed by default).
    #[arg(long, requires = "room", help_heading = PAYLOAD)]
    pub(crate) no_login: bool,
    /// With --room: allow publishing streams (denied by default).
    #[arg(long, requires = "room", help_heading = PAYLOAD)]
    pub(crate) publish: bool,
    /// With --room: a stream ID the user may publish (repeatable; none = any stream).
    #[arg(long = "stream", value_name = "ID", requires = "room", help_heading = PAYLOAD)]
    pub(crate) streams: Vec<String>,
    /// Put this raw text in the payload claim instead of a room document.
    #[arg(long, value_name = "RAW", help_heading = PAYLOAD)]
    pub(crate) payload: Option<String>,
}

/// `kit-token`.
#[derive(Debug, Args)]
pub(crate) struct KitTokenArgs {
    /// App, user, lifetime, mode, secret.
    #[command(flatten)]
    pub(crate) token: TokenArgs,
    /// The room the kit joins (the kit info's roomID).
    #[arg(long, value_name = "R", help_heading = KIT)]
    pub(crate) room: String,
    /// The name the kit shows for the user. Default: the user id.
    #[arg(long, value_name = "NAME", help_heading = KIT)]
    pub(crate) user_name: Option<String>,
    /// Make the token04 part a privilege token for --room (login allowed), for apps
    /// whose room checks ZEGO has enabled.
    #[arg(long, help_heading = KIT)]
    pub(crate) pin_room: bool,
    /// With --pin-room: allow publishing streams.
    #[arg(long, requires = "pin_room", help_heading = KIT)]
    pub(crate) publish: bool,
}

/// `inspect`.
#[derive(Debug, Args)]
pub(crate) struct InspectArgs {
    /// The token, or `-` to read it from stdin.
    #[arg(value_name = "TOKEN")]
    pub(crate) token: String,
    /// Print a JSON object.
    #[arg(long)]
    pub(crate) json: bool,
    /// The secret (optional: without it only the header is shown).
    #[command(flatten)]
    pub(crate) secret: SecretArgs,
    /// The clock.
    #[command(flatten)]
    pub(crate) clock: ClockArgs,
}

/// `verify`.
#[derive(Debug, Args)]
pub(crate) struct VerifyArgs {
    /// The token, or `-` to read it from stdin.
    #[arg(value_name = "TOKEN")]
    pub(crate) token: String,
    /// The app the token must be for. Also $ZEGO_APP_ID.
    #[arg(long, env = "ZEGO_APP_ID", value_name = "N")]
    pub(crate) app_id: Option<u32>,
    /// The user the token must be for.
    #[arg(long, value_name = "U")]
    pub(crate) user_id: Option<String>,
    /// The room the token must be a privilege token for (with login allowed).
    #[arg(long, value_name = "R")]
    pub(crate) room: Option<String>,
    /// Require the publish privilege.
    #[arg(long)]
    pub(crate) publish: bool,
    /// Require that the user may publish this stream (implies --publish).
    #[arg(long, value_name = "ID")]
    pub(crate) stream: Option<String>,
    /// Tolerance for clock differences, applied to the expiry and to a creation time in
    /// the future: seconds, or with units (30s, 2m). The default absorbs ordinary clock
    /// skew and the official .NET generator, which rounds ctime up to a second ahead.
    #[arg(long, value_name = "DURATION", default_value = "5", value_parser = parse_duration)]
    pub(crate) leeway: u64,
    /// Print a JSON object.
    #[arg(long)]
    pub(crate) json: bool,
    /// The secret (required).
    #[command(flatten)]
    pub(crate) secret: SecretArgs,
    /// The clock.
    #[command(flatten)]
    pub(crate) clock: ClockArgs,
}

/// Flags of `zego-token serve`.
#[derive(Debug, Clone, Args)]
pub(crate) struct ServeArgs {
    /// Development mode: no config file, loopback only (a non-loopback --listen is
    /// refused), app from ZEGO_APP_ID and ZEGO_SERVER_SECRET or ZEGO_SERVER_SECRET_FILE
    /// (or the public demo app),
    /// API key from ZEGO_TOKEN_API_KEY (16+ characters) or a random one, printed once,
    /// console on. Not for production.
    #[arg(long, conflicts_with = "config")]
    pub(crate) dev: bool,

    /// Address to listen on (overrides `listen` in the config; default 127.0.0.1:8080).
    #[arg(long, value_name = "ADDR")]
    pub(crate) listen: Option<SocketAddr>,

    /// The TOML config file (production). Every key can be overridden by a
    /// ZEGO_TOKEN_… variable; see --print-example-config. Without it, the config comes
    /// from the ZEGO_TOKEN_… variables alone (list entries by index:
    /// ZEGO_TOKEN_APPS__0__APP_ID, ZEGO_TOKEN_API_KEYS__0__SHA256…).
    #[arg(long, value_name = "FILE", env = "ZEGO_TOKEN_CONFIG")]
    pub(crate) config: Option<PathBuf>,

    /// Validate the config (including secrets, TLS files and JWKS) and exit.
    #[arg(long)]
    pub(crate) check_config: bool,

    /// Print the example config (every key, its default and its variable) and exit.
    #[arg(long)]
    pub(crate) print_example_config: bool,

    /// Worker threads (default: one per CPU).
    #[arg(long, value_name = "N")]
    pub(crate) workers: Option<usize>,
}

/// `healthcheck`'s default URL: the readiness route on `serve`'s default listen address.
pub(crate) const HEALTHCHECK_URL: &str = "http://127.0.0.1:8080/readyz";

/// `healthcheck`.
#[derive(Debug, Args)]
pub(crate) struct HealthcheckArgs {
    /// The URL to GET: http:// or https://, without credentials.
    #[arg(value_name = "URL", default_value = HEALTHCHECK_URL)]
    pub(crate) url: String,
    /// How long the whole probe may take (connecting, the answer and its body):
    /// seconds, or with units (3s, 1m).
    #[arg(long, value_name = "DURATION", default_value = "3", value_parser = parse_duration)]
    pub(crate) timeout: u64,
}

/// Parses `3600`, `90s`, `30m`, `1h`, `2d`, `1h30m` into seconds.
///
/// # Errors
///
/// A message naming the accepted forms, for clap to show.
pub(crate) fn parse_duration(text: &str) -> Result<u64, String> {
    let bad = || {
        format!(
            "{text:?} is not a duration; use seconds (3600) or numbers with units s, m, h, d (90s, 30m, 1h, 1h30m)"
        )
    };
    let text = text.trim();
    if text.is_empty() {
        return Err(bad());
    }
    if let Ok(secs) = text.parse::<u64>() {
        return Ok(secs);
    }
    let mut total: u64 = 0;
    let mut digits = String::new();
    for c in text.chars() {
        if c.is_ascii_digit() {
            digits.push(c);
            continue;
        }
        let unit: u64 = match c {
            's' => 1,
            'm' => 60,
            'h' => 3600,
            'd' => 86_400,
            _ => return Err(bad()),
        };
        let n: u64 = digits.parse().map_err(|_| bad())?;
        digits.clear();
        total = n
            .checked_mul(unit)
            .and_then(|v| total.checked_add(v))
            .ok_or_else(|| format!("{text:?} is too long a duration"))?;
    }
    if !digits.is_empty() {
        // A trailing bare number after units ("1h30") is ambiguous.
        return Err(bad());
    }
    Ok(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(parse_duration("3600"), Ok(3600));
        assert_eq!(parse_duration("1h"), Ok(3600));
        assert_eq!(parse_duration("30m"), Ok(1800));
        assert_eq!(parse_duration("1h30m"), Ok(5400));
        assert_eq!(parse_duration("2d"), Ok(172_800));
        assert_eq!(parse_duration("45s"), Ok(45));
        for bad in ["", "h", "1x", "1h30", "-5", "1.5h", "m30"] {
            assert!(parse_duration(bad).is_err(), "{bad}");
        }
    }
}
