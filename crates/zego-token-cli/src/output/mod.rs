//! Rendering, a file per command: every printer (the human form and `--json`) and the
//! output types behind them. The commands compute; these files only write.
//!
//! * [`mint`]: `generate` and `kit-token`; [`inspect`]; [`verify`]; [`healthcheck`];
//! * [`time`]: dates and durations for people;
//! * this file: what several commands print (privileges, warnings, kit info,
//!   rejections) and the JSON writer.
//!
//! # JSON output
//!
//! Every `--json` run prints exactly one JSON object on one line, with a `"type"` member
//! naming the command (`"generate"`, `"inspect"`, `"verify"`, `"kit-token"`) next to the
//! result's members. The issue asks for the result's fields at the top level (e.g.
//! `inspect`'s `mode`, `expire`, `claims`), so `type` is a sibling rather than the
//! `{"type", "data"}` envelope STYLE.md sketches. Field names are stable; new fields may
//! be added. Times are Unix seconds, with an `_utc` twin in RFC 3339.

pub(crate) mod healthcheck;
pub(crate) mod inspect;
pub(crate) mod mint;
mod time;
pub(crate) mod verify;

use std::fmt::Display;
use std::io::{self, Write};

use serde::Serialize;
use zego_token::{Error, RoomPrivileges};

use self::time::{relative, span, utc};

/// Prints `zego-token: warning: <what>` on stderr.
///
/// # Errors
///
/// Writing to `err` failed.
pub(crate) fn warn(err: &mut dyn Write, what: impl Display) -> io::Result<()> {
    writeln!(err, "zego-token: warning: {what}")
}

/// Prints the warnings about a token as part of the human answer, one a line.
fn print_warnings(out: &mut dyn Write, warnings: &[WarningJson]) -> io::Result<()> {
    for w in warnings {
        writeln!(out, "warning: {w}")?;
    }
    Ok(())
}

/// Prints a rejection in the human form, on stdout (it is the command's answer).
fn print_rejection(out: &mut dyn Write, e: &Error, now: i64) -> io::Result<()> {
    writeln!(out, "rejected: {}", reason(e, now))?;
    let codes = [
        ("RTC SDK code", e.zego_code()),
        ("ZIM SDK code", e.zim_code()),
    ];
    for (label, code) in codes {
        if let Some(code) = code {
            writeln!(out, "  {label:<13}{code}")?;
        }
    }
    writeln!(out, "  {:<13}{}", "fix", e.advice())
}

/// The room privileges as JSON.
#[derive(Debug, Serialize)]
struct PrivilegesJson {
    /// The only room the token may log in to.
    room_id: String,
    /// Privilege "1".
    login: bool,
    /// Privilege "2".
    publish: bool,
    /// The stream list as written (null: no list).
    stream_ids: Option<Vec<String>>,
    /// The privileges in words.
    description: String,
}

impl From<&RoomPrivileges> for PrivilegesJson {
    fn from(p: &RoomPrivileges) -> Self {
        Self {
            room_id: p.room_id().to_owned(),
            login: p.can_login(),
            publish: p.can_publish(),
            stream_ids: p.stream_ids().map(<[String]>::to_vec),
            description: p.describe(),
        }
    }
}

/// A warning as JSON: one of the library's [`zego_token::sdk::SdkWarning`]s.
#[derive(Debug, Serialize)]
pub(crate) struct WarningJson {
    /// The rule's stable name ([`zego_token::sdk::SdkWarning::rule`]).
    code: &'static str,
    /// `rtc`, `zim`, `kit` or `token`.
    product: &'static str,
    /// The error code that SDK reports, where known.
    sdk_code: Option<u32>,
    /// Whether that SDK refuses the token outright.
    blocking: bool,
    /// What is wrong, as a sentence.
    message: String,
}

impl From<&zego_token::sdk::SdkWarning> for WarningJson {
    fn from(w: &zego_token::sdk::SdkWarning) -> Self {
        Self {
            code: w.rule(),
            product: w.product(),
            sdk_code: w.code(),
            blocking: w.blocking(),
            message: w.message().to_owned(),
        }
    }
}

impl WarningJson {
    /// The warning that the header's expiry has passed (`inspect` only: `verify`'s
    /// verdict covers expiry).
    pub(crate) fn expired(expire: i64, now: i64) -> Self {
        Self {
            code: "expired",
            product: "token",
            sdk_code: Some(1_002_078),
            blocking: true,
            message: format!("the token {} ({})", relative(expire, now), utc(expire)),
        }
    }
}

impl std::fmt::Display for WarningJson {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)?;
        match (self.sdk_code, self.product) {
            (None, _) => {}
            (Some(code), "rtc") => write!(f, " (RTC SDK code {code})")?,
            (Some(code), "zim") => write!(f, " (ZIM SDK code {code})")?,
            (Some(code), _) => write!(f, " (SDK code {code})")?,
        }
        Ok(())
    }
}

/// A kit token's kit info as JSON, with the user name decoded as the kits decode it.
#[derive(Debug, Serialize)]
struct KitJsonOut {
    /// `appID`.
    #[serde(rename = "appID")]
    app_id: Option<u32>,
    /// `userID`.
    #[serde(rename = "userID")]
    user_id: Option<String>,
    /// `roomID`.
    #[serde(rename = "roomID")]
    room_id: Option<String>,
    /// `userName`, URI-decoded.
    #[serde(rename = "userName")]
    user_name: Option<String>,
}

impl From<&zego_token::KitInfo> for KitJsonOut {
    fn from(k: &zego_token::KitInfo) -> Self {
        Self {
            app_id: k.app_id,
            user_id: k.user_id.clone(),
            room_id: k.room_id.clone(),
            user_name: k.user_name.clone(),
        }
    }
}

/// Prints a kit info, one field a line.
///
/// # Errors
///
/// Writing to `out` failed.
fn print_kit(out: &mut dyn Write, k: &zego_token::KitInfo) -> io::Result<()> {
    let text = |v: &Option<String>| v.as_deref().map_or_else(|| "(missing)".to_owned(), quoted);
    writeln!(out, "{:<12}the UIKit reads:", "kit info")?;
    let app = k
        .app_id
        .map_or_else(|| "(missing)".to_owned(), |a| a.to_string());
    writeln!(out, "  {:<10}{app}", "appID")?;
    writeln!(out, "  {:<10}{}", "userID", text(&k.user_id))?;
    writeln!(out, "  {:<10}{}", "roomID", text(&k.room_id))?;
    writeln!(out, "  {:<10}{}", "userName", text(&k.user_name))?;
    Ok(())
}

/// A rejection as JSON.
#[derive(Debug, Serialize)]
struct ErrorJson {
    /// A stable name for the reason ([`Error::kind`]).
    kind: &'static str,
    /// The reason as a sentence.
    message: String,
    /// The code ZEGO's RTC (Express) SDKs show, when there is one.
    zego_code: Option<u32>,
    /// The code ZEGO's ZIM SDKs show, when there is one.
    zim_code: Option<u32>,
    /// How to fix it.
    advice: &'static str,
}

impl ErrorJson {
    /// Describes `e`, with times relative to `now`.
    fn new(e: &Error, now: i64) -> Self {
        Self {
            kind: e.kind(),
            message: reason(e, now),
            zego_code: e.zego_code(),
            zim_code: e.zim_code(),
            advice: e.advice(),
        }
    }
}

/// The reason for a rejection as a sentence, with dates rather than Unix times.
fn reason(e: &Error, now: i64) -> String {
    match e {
        Error::Expired { expired_at, .. } => format!(
            "the token expired at {} ({})",
            utc(*expired_at),
            relative(*expired_at, now)
        ),
        Error::NotYetValid { ctime, .. } => format!(
            "the token was created at {}, {} in the future: the clock of the machine that made it is ahead",
            utc(*ctime),
            span(u64::try_from(ctime.saturating_sub(now)).unwrap_or(0))
        ),
        other => other.to_string(),
    }
}

/// Writes `value` as one line of JSON.
///
/// # Errors
///
/// Writing to `out` failed (e.g. a closed pipe).
fn write_json<T: Serialize>(out: &mut dyn Write, value: &T) -> io::Result<()> {
    serde_json::to_writer(&mut *out, value).map_err(io::Error::from)?;
    out.write_all(b"\n")
}

/// A JSON string literal for `s`: quotes and escapes, so control characters, quotes and
/// odd spaces are visible in human output.
fn quoted(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| format!("{s:?}"))
}
