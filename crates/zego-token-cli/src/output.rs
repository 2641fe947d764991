//! Rendering: dates and durations for people, the JSON objects for programs, and the
//! description of library errors (kind, ZEGO codes, advice).
//!
//! # JSON output
//!
//! Every `--json` run prints exactly one JSON object on one line, with a `"type"` member
//! naming the command (`"generate"`, `"inspect"`, `"verify"`, `"kit-token"`) next to the
//! result's members. The issue asks for the result's fields at the top level (e.g.
//! `inspect`'s `mode`, `expire`, `claims`), so `type` is a sibling rather than the
//! `{"type", "data"}` envelope STYLE.md sketches. Field names are stable; new fields may
//! be added. Times are Unix seconds, with an `_utc` twin in RFC 3339.

use std::io::{self, Write};

use serde::Serialize;
use zego_token::{Error, RoomPrivileges};

/// A Unix time as `2024-04-05 20:34:38 UTC`.
pub(crate) fn utc(secs: i64) -> String {
    let (date, time) = civil(secs);
    format!("{date} {time} UTC")
}

/// A Unix time as RFC 3339, `2024-04-05T20:34:38Z`.
pub(crate) fn rfc3339(secs: i64) -> String {
    let (date, time) = civil(secs);
    format!("{date}T{time}Z")
}

/// Splits a Unix time into `YYYY-MM-DD` and `hh:mm:ss` (proleptic Gregorian, UTC).
fn civil(secs: i64) -> (String, String) {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let (y, m, d) = date_from_days(days);
    (
        format!("{y:04}-{m:02}-{d:02}"),
        format!("{:02}:{:02}:{:02}", rem / 3600, rem / 60 % 60, rem % 60),
    )
}

/// The calendar date `days` days after 1970-01-01.
///
/// Counts in 400-year cycles of 146,097 days starting on 0000-03-01, so that the leap
/// day is the last day of each cycle year; months are then counted from March with the
/// 153-days-per-5-months rule. Computed in i128 so any i64 input is fine.
fn date_from_days(days: i64) -> (i128, u32, u32) {
    let z = i128::from(days) + 719_468; // days from 0000-03-01 to 1970-01-01
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097); // day of the 400-year cycle, 0..=146096
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365; // 0..=399
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100); // day of the March-based year
    let mp = (5 * doy + 2) / 153; // month from March, 0..=11
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i128::from(month <= 2);
    // Both fit: day is 1..=31, month 1..=12.
    (
        year,
        u32::try_from(month).unwrap_or(1),
        u32::try_from(day).unwrap_or(1),
    )
}

/// A length of time in one rounded-down unit: `45 s`, `59 min`, `3 h`, `12 days`,
/// `126 years`.
pub(crate) fn span(secs: u64) -> String {
    match secs {
        0..60 => format!("{secs} s"),
        60..3600 => format!("{} min", secs / 60),
        3600..172_800 => format!("{} h", secs / 3600),
        172_800..63_072_000 => format!("{} days", secs / 86_400),
        _ => format!("{} years", secs / 31_557_600),
    }
}

/// `expires in 59 min` or `expired 3 h ago` (a token is expired once `now >= expire`,
/// as ZEGO's servers and the library judge it).
pub(crate) fn relative(expire: i64, now: i64) -> String {
    let diff = i128::from(expire) - i128::from(now);
    let secs = u64::try_from(diff.unsigned_abs()).unwrap_or(u64::MAX);
    if diff > 0 {
        format!("expires in {}", span(secs))
    } else if diff == 0 {
        "expired just now".to_owned()
    } else {
        format!("expired {} ago", span(secs))
    }
}

/// Seconds from `now` to `expire`, saturated to the i64 range.
pub(crate) fn expires_in(expire: i64, now: i64) -> i64 {
    expire.saturating_sub(now)
}

/// The room privileges as JSON.
#[derive(Debug, Serialize)]
pub(crate) struct PrivilegesJson {
    /// The only room the token may log in to.
    pub(crate) room_id: String,
    /// Privilege "1".
    pub(crate) login: bool,
    /// Privilege "2".
    pub(crate) publish: bool,
    /// The stream list as written (null: no list).
    pub(crate) stream_ids: Option<Vec<String>>,
    /// The privileges in words.
    pub(crate) description: String,
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
    pub(crate) code: &'static str,
    /// `rtc`, `zim`, `kit` or `token`.
    pub(crate) product: &'static str,
    /// The error code that SDK reports, where known.
    pub(crate) sdk_code: Option<u32>,
    /// Whether that SDK refuses the token outright.
    pub(crate) blocking: bool,
    /// What is wrong, as a sentence.
    pub(crate) message: String,
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
pub(crate) struct KitJsonOut {
    /// `appID`.
    #[serde(rename = "appID")]
    pub(crate) app_id: Option<u32>,
    /// `userID`.
    #[serde(rename = "userID")]
    pub(crate) user_id: Option<String>,
    /// `roomID`.
    #[serde(rename = "roomID")]
    pub(crate) room_id: Option<String>,
    /// `userName`, URI-decoded.
    #[serde(rename = "userName")]
    pub(crate) user_name: Option<String>,
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
pub(crate) fn print_kit(out: &mut dyn Write, k: &zego_token::KitInfo) -> io::Result<()> {
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
pub(crate) struct ErrorJson {
    /// A stable name for the reason ([`Error::kind`]).
    pub(crate) kind: &'static str,
    /// The reason as a sentence.
    pub(crate) message: String,
    /// The code ZEGO's RTC (Express) SDKs show, when there is one.
    pub(crate) zego_code: Option<u32>,
    /// The code ZEGO's ZIM SDKs show, when there is one.
    pub(crate) zim_code: Option<u32>,
    /// How to fix it.
    pub(crate) advice: &'static str,
}

impl ErrorJson {
    /// Describes `e`, with times relative to `now`.
    pub(crate) fn new(e: &Error, now: i64) -> Self {
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
pub(crate) fn reason(e: &Error, now: i64) -> String {
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
pub(crate) fn write_json<T: Serialize>(out: &mut dyn Write, value: &T) -> io::Result<()> {
    serde_json::to_writer(&mut *out, value).map_err(io::Error::from)?;
    out.write_all(b"\n")
}

/// A JSON string literal for `s`: quotes and escapes, so control characters, quotes and
/// odd spaces are visible in human output.
pub(crate) fn quoted(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| format!("{s:?}"))
}

/// Lower-case hex of `bytes`.
pub(crate) fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    bytes.iter().fold(String::new(), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(utc(0), "1970-01-01 00:00:00 UTC");
        assert_eq!(rfc3339(1_712_349_278), "2024-04-05T20:34:38Z");
        assert_eq!(utc(951_782_400), "2000-02-29 00:00:00 UTC");
        assert_eq!(utc(-1), "1969-12-31 23:59:59 UTC");
        assert_eq!(utc(4_102_444_800), "2100-01-01 00:00:00 UTC");
        assert_eq!(utc(253_402_300_799), "9999-12-31 23:59:59 UTC");
        // Extremes must not panic.
        let _ = utc(i64::MAX);
        let _ = utc(i64::MIN);
    }

    #[test]
    fn durations() {
        assert_eq!(relative(100 + 3599, 100), "expires in 59 min");
        assert_eq!(relative(100, 100 + 3 * 3600 + 5), "expired 3 h ago");
        assert_eq!(relative(100, 100), "expired just now");
        assert_eq!(relative(130, 100), "expires in 30 s");
        assert_eq!(
            relative(i64::MAX, i64::MIN),
            "expires in 584542046090 years"
        );
        assert_eq!(span(3 * 86_400), "3 days");
    }
}
