//! Dates and durations for people, and the seconds-to-expiry of the JSON output.

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
