//! ZEGO's client-side rules: what the SDKs (Express RTC, ZIM, the UIKits) refuse or
//! mishandle although a token can carry it.
//!
//! The generators (ours and the official ones) mint tokens for any input that fits the
//! format, for compatibility. The clients are stricter, and a token they refuse fails
//! only when a user logs in. This module names each such rule once, with the SDK error
//! code the client reports, so the CLI, the service, the console and every binding
//! warn (or refuse) alike.
//!
//! | rule | product | code | what |
//! |---|---|---|---|
//! | `user_id_empty` | rtc | 1002006 | the userID is empty |
//! | `user_id_length` | rtc | 1002006 | the userID is 64 bytes or longer |
//! | `user_id_charset` | rtc | 1002006 | the userID holds a character outside [`is_id_char`] |
//! | `user_id_percent` | rtc | 1002006 | the userID holds `%`, which ZEGO's docs say not to use with the Web SDK |
//! | `user_id_slash`, `room_id_slash` | rtc | 1002006, 1002012 | an ID holds `/`, which the Web SDK (3.12) refuses at login although the docs allow it |
//! | `zim_user_id_length` | zim | — | the userID is longer than ZIM's 32 bytes |
//! | `room_id_length` | rtc | 1002012 | the roomID is 128 bytes or longer |
//! | `room_id_charset` | rtc | 1002012 | the roomID holds a character outside [`is_id_char`] |
//! | `ttl_too_short` | zim | 6000108 | a lifetime of 30 s or less: ZIM refuses it, and the SDKs' 30-second will-expire warning fires at once |
//! | `ttl_over_zim_limit` | zim | 6000109 | a lifetime over 24 days |
//! | `expire_past_2038` | zim | 6000106 | an expiry past 2^31 − 1, which ZIM reads as a negative (expired) time |
//! | `kit_user_id`, `kit_room_id` | kit | — | a kit token's IDs must be plain ASCII (the UIKits read the kit info as Latin-1) |
//!
//! [`token_warnings`] adds what else is worth saying about an existing token (legacy
//! CBC, weak nonces, the demo app, disagreeing claims, kit info that does not match).
//!
//! The limits are those of ZEGO's SDK documentation, read as this library has always
//! enforced them at generation: a userID of fewer than 64 bytes (ZIM: at most 32) and a
//! roomID of fewer than 128 bytes, made of digits, English letters and
//! `` ~ ! @ # $ % ^ & * ( ) _ + = - ` ; ' , . < > / \ `` ("do not use `%` if you need to
//! talk to the Web SDK").

use std::fmt;

use crate::cipher::CipherMode;
use crate::claims::{Claims, TokenClaims};
use crate::clock::{Clock, SystemClock};
use crate::envelope::UntrustedEnvelope;
use crate::kit::KitInfo;
use crate::verify::Decoded;

/// The longest userID ZEGO's RTC SDKs accept, in bytes (one less than
/// [`USER_ID_LIMIT`](crate::USER_ID_LIMIT), the limit the generators enforce).
pub const RTC_USER_ID_MAX: usize = crate::USER_ID_LIMIT - 1;
/// The longest userID ZIM accepts, in bytes.
pub const ZIM_USER_ID_MAX: usize = 32;
/// The longest roomID ZEGO's RTC SDKs accept, in bytes (one less than
/// [`ROOM_ID_LIMIT`](crate::ROOM_ID_LIMIT)).
pub const RTC_ROOM_ID_MAX: usize = crate::ROOM_ID_LIMIT - 1;
/// The SDKs warn this many seconds before a token expires (`roomTokenWillExpire`,
/// `tokenWillExpire`): a token must be renewed before then.
pub const WILL_EXPIRE_WARNING_SECS: i64 = 30;
/// The longest lifetime ZIM accepts: 24 days.
pub const ZIM_MAX_LIFETIME_SECS: i64 = 24 * 86_400;
/// The latest expiry ZIM reads correctly: it takes the low 32 bits as a signed number.
pub const MAX_EXPIRE_32: i64 = i32::MAX as i64;

/// A rule of ZEGO's clients that a token (or the input for one) breaks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SdkWarning {
    rule: &'static str,
    product: &'static str,
    code: Option<u32>,
    blocking: bool,
    message: String,
}

impl SdkWarning {
    pub(crate) fn new(
        rule: &'static str,
        product: &'static str,
        code: Option<u32>,
        blocking: bool,
        message: impl Into<String>,
    ) -> Self {
        Self {
            rule,
            product,
            code,
            blocking,
            message: message.into(),
        }
    }

    /// A stable name for the rule, e.g. `user_id_charset` (the table in [`crate::sdk`]).
    #[must_use]
    pub const fn rule(&self) -> &'static str {
        self.rule
    }

    /// Which client the rule is of: `"rtc"` (Express SDKs), `"zim"` (in-app chat),
    /// `"kit"` (the prebuilt UIKits), or `"token"` for advice about the token itself.
    #[must_use]
    pub const fn product(&self) -> &'static str {
        self.product
    }

    /// The error code that client reports, where one is known.
    #[must_use]
    pub const fn code(&self) -> Option<u32> {
        self.code
    }

    /// Whether the token is unusable for that client (it refuses it, or it cannot be
    /// renewed in time), as opposed to a caveat. The service refuses to mint tokens that
    /// break a blocking rule unless `token.id_rules = "any"`.
    #[must_use]
    pub const fn blocking(&self) -> bool {
        self.blocking
    }

    /// Whether ZEGO's Web SDK refuses the token: a blocking rule, or one of the rules
    /// only the Web SDK enforces (`%` and `/` in IDs). The web UIKits log in with it.
    pub(crate) fn refused_by_web(&self) -> bool {
        self.blocking
            || matches!(
                self.rule,
                "user_id_percent" | "user_id_slash" | "room_id_slash"
            )
    }

    /// A sentence saying what is wrong and what the client will do.
    #[must_use]
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for SdkWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)?;
        if let Some(code) = self.code {
            write!(f, " ({code})")?;
        }
        Ok(())
    }
}

/// Whether ZEGO's SDKs accept `c` in a userID or roomID: ASCII digits and letters and
/// `` ~ ! @ # $ % ^ & * ( ) _ + = - ` ; ' , . < > / \ ``.
#[must_use]
pub const fn is_id_char(c: char) -> bool {
    c.is_ascii_alphanumeric()
        || matches!(
            c,
            '~' | '!'
                | '@'
                | '#'
                | '$'
                | '%'
                | '^'
                | '&'
                | '*'
                | '('
                | ')'
                | '_'
                | '+'
                | '='
                | '-'
                | '`'
                | ';'
                | '\''
                | ','
                | '.'
                | '<'
                | '>'
                | '/'
                | '\\'
        )
}

/// The first character of `id` the SDKs refuse, if any.
fn first_bad_char(id: &str) -> Option<char> {
    id.chars().find(|c| !is_id_char(*c))
}

/// Describes a character for a message: printable ones quoted, others by code point.
fn describe(c: char) -> String {
    if c.is_control() || c.is_whitespace() {
        format!("U+{:04X}", u32::from(c))
    } else {
        format!("{c:?} (U+{:04X})", u32::from(c))
    }
}

/// The rules for a userID.
#[must_use]
pub fn check_user_id(user_id: &str) -> Vec<SdkWarning> {
    let mut out = Vec::new();
    let len = user_id.len();
    if user_id.is_empty() {
        out.push(SdkWarning::new(
            "user_id_empty",
            "rtc",
            Some(1_002_006),
            true,
            "the user_id is empty: ZEGO's SDKs refuse to log in without a userID",
        ));
        return out;
    }
    if len > RTC_USER_ID_MAX {
        out.push(SdkWarning::new(
            "user_id_length",
            "rtc",
            Some(1_002_006),
            true,
            format!("the user_id is {len} bytes: ZEGO's SDKs accept at most {RTC_USER_ID_MAX}"),
        ));
    }
    if let Some(c) = first_bad_char(user_id) {
        out.push(SdkWarning::new(
            "user_id_charset",
            "rtc",
            Some(1_002_006),
            true,
            format!(
                "the user_id contains {}: ZEGO's SDKs accept only digits, English letters and ~!@#$%^&*()_+=-`;',.<>/\\ in a userID",
                describe(c)
            ),
        ));
    } else {
        if user_id.contains('%') {
            out.push(SdkWarning::new(
                "user_id_percent",
                "rtc",
                Some(1_002_006),
                false,
                "the user_id contains '%': ZEGO's docs say not to use it with the Web SDK (native SDKs accept it)",
            ));
        }
        if user_id.contains('/') {
            out.push(SdkWarning::new(
                "user_id_slash",
                "rtc",
                Some(1_002_006),
                false,
                "the user_id contains '/': ZEGO's Web SDK (and the web UIKits) refuse it at login, although the docs allow it (native SDKs accept it)",
            ));
        }
    }
    if len > ZIM_USER_ID_MAX && len <= RTC_USER_ID_MAX {
        out.push(SdkWarning::new(
            "zim_user_id_length",
            "zim",
            None,
            false,
            format!(
                "the user_id is {len} bytes: fine for RTC, but ZIM (in-app chat) accepts at most {ZIM_USER_ID_MAX}"
            ),
        ));
    }
    out
}

/// The rules for a roomID.
#[must_use]
pub fn check_room_id(room_id: &str) -> Vec<SdkWarning> {
    let mut out = Vec::new();
    let len = room_id.len();
    if len > RTC_ROOM_ID_MAX {
        out.push(SdkWarning::new(
            "room_id_length",
            "rtc",
            Some(1_002_012),
            true,
            format!("the room_id is {len} bytes: ZEGO's SDKs accept at most {RTC_ROOM_ID_MAX}"),
        ));
    }
    if let Some(c) = first_bad_char(room_id) {
        out.push(SdkWarning::new(
            "room_id_charset",
            "rtc",
            Some(1_002_012),
            true,
            format!(
                "the room_id contains {}: ZEGO's SDKs accept only digits, English letters and ~!@#$%^&*()_+=-`;',.<>/\\ in a roomID",
                describe(c)
            ),
        ));
    } else if room_id.contains('/') {
        out.push(SdkWarning::new(
            "room_id_slash",
            "rtc",
            Some(1_002_012),
            false,
            "the room_id contains '/': ZEGO's Web SDK (and the web UIKits) refuse it at login, although the docs allow it (native SDKs accept it)",
        ));
    }
    out
}

/// The rules for a lifetime: `expire - ctime` seconds, expiring at `expire`.
#[must_use]
pub fn check_lifetime(ctime: i64, expire: i64) -> Vec<SdkWarning> {
    let mut out = Vec::new();
    let lifetime = expire.saturating_sub(ctime);
    if lifetime <= WILL_EXPIRE_WARNING_SECS {
        out.push(SdkWarning::new(
            "ttl_too_short",
            "zim",
            Some(6_000_108),
            true,
            format!(
                "the lifetime is {lifetime} s: ZIM refuses tokens of {WILL_EXPIRE_WARNING_SECS} s or less, and the SDKs' will-expire warning ({WILL_EXPIRE_WARNING_SECS} s before expiry) fires at once, leaving no time to renew"
            ),
        ));
    } else if lifetime > ZIM_MAX_LIFETIME_SECS {
        out.push(SdkWarning::new(
            "ttl_over_zim_limit",
            "zim",
            Some(6_000_109),
            false,
            format!(
                "the lifetime is {lifetime} s: ZIM refuses lifetimes over 24 days ({ZIM_MAX_LIFETIME_SECS} s)"
            ),
        ));
    }
    if expire > MAX_EXPIRE_32 {
        out.push(SdkWarning::new(
            "expire_past_2038",
            "zim",
            Some(6_000_106),
            true,
            format!(
                "the token expires at {expire} (Unix time), past 2^31 - 1 (2038-01-19): ZIM reads the expiry as a signed 32-bit number, so it sees an expired token"
            ),
        ));
    }
    out
}

/// The rules a token made from `claims` now would break. See [`check_claims_at`].
#[must_use]
pub fn check_claims(claims: &Claims) -> Vec<SdkWarning> {
    check_claims_at(claims, SystemClock.now())
}

/// The rules a token made from `claims` at `now` (Unix seconds) would break: the userID,
/// the roomID of a room privilege payload, and the lifetime.
#[must_use]
pub fn check_claims_at(claims: &Claims, now: i64) -> Vec<SdkWarning> {
    let lifetime = i64::try_from(claims.lifetime().as_secs()).unwrap_or(i64::MAX);
    check_parts(
        claims.user_id(),
        claims.payload_str(),
        now,
        now.saturating_add(lifetime),
    )
}

/// The rules a decoded token breaks: its userID, the roomID of its room privilege
/// payload, and its lifetime.
#[must_use]
pub fn check_token_claims(claims: &TokenClaims) -> Vec<SdkWarning> {
    check_parts(
        &claims.user_id,
        &claims.payload,
        claims.ctime,
        claims.expire,
    )
}

fn check_parts(user_id: &str, payload: &str, ctime: i64, expire: i64) -> Vec<SdkWarning> {
    /// Only the room of a privilege payload: borrowed, nothing else kept. This runs on
    /// every token a binding or the service mints, so it skips building the document.
    #[derive(serde::Deserialize)]
    struct RoomOnly<'a> {
        #[serde(borrow, default)]
        room_id: Option<std::borrow::Cow<'a, str>>,
    }
    let mut out = check_user_id(user_id);
    if payload.starts_with('{')
        && let Ok(RoomOnly {
            room_id: Some(room),
        }) = serde_json::from_str(payload)
    {
        out.extend(check_room_id(&room));
    }
    out.extend(check_lifetime(ctime, expire));
    out
}

/// When a client should fetch its next token: `renew_before` seconds ahead of expiry;
/// for lifetimes up to twice that, halfway through the lifetime; and for lifetimes of
/// a minute or less, halfway to the SDKs' will-expire warning (which comes
/// [`WILL_EXPIRE_WARNING_SECS`] before expiry). Always before that warning.
///
/// `None` when the lifetime is [`WILL_EXPIRE_WARNING_SECS`] or less: the warning fires
/// as soon as the token is used, and no renewal can come before it.
///
/// ```
/// use zego_token::sdk::renew_after;
/// assert_eq!(renew_after(0, 3600, 60), Some(3540));
/// assert_eq!(renew_after(0, 40, 60), Some(5)); // the warning comes at 10
/// assert_eq!(renew_after(0, 30, 60), None);
/// ```
#[must_use]
pub fn renew_after(ctime: i64, expire: i64, renew_before: u64) -> Option<i64> {
    let lifetime = expire.saturating_sub(ctime);
    let before = i64::try_from(renew_before)
        .unwrap_or(i64::MAX)
        .max(WILL_EXPIRE_WARNING_SECS + 1);
    if lifetime <= WILL_EXPIRE_WARNING_SECS {
        return None;
    }
    if lifetime > before.saturating_mul(2) {
        Some(expire - before)
    } else if lifetime > 2 * WILL_EXPIRE_WARNING_SECS {
        // Halfway: ctime + lifetime / 2 < expire - 30 exactly when lifetime > 60.
        Some(ctime + lifetime / 2)
    } else {
        Some(ctime + (lifetime - WILL_EXPIRE_WARNING_SECS) / 2)
    }
}

/// Everything worth saying about a token beyond its verdict, for `inspect` and `verify`
/// in the CLI, the service's `/v1/inspect`, the console and the bindings alike: its
/// cipher and nonce (from the header), ZEGO's client rules its claims break, claims
/// that disagree with each other or with the kit info of a kit token.
///
/// `decoded` is the token decrypted with its secret, when the caller has it; `now` is
/// the verification time (Unix seconds). Expiry itself is the verdict's business
/// ([`crate::verify`]) and is not repeated here.
#[must_use]
pub fn token_warnings(
    env: &UntrustedEnvelope,
    decoded: Option<&Decoded>,
    kit: Option<&KitInfo>,
    now: i64,
) -> Vec<SdkWarning> {
    let mut out = Vec::new();
    let note = |rule, code, message: &str| SdkWarning::new(rule, "token", code, false, message);
    if env.mode() == CipherMode::Cbc {
        out.push(note(
            "legacy_cbc",
            None,
            "legacy AES-CBC token: ZEGO still accepts it but recommends AES-GCM, and CBC does not detect tampering; generate with AES-GCM",
        ));
        if env.has_mode_byte() {
            out.push(note(
                "cbc_mode_byte",
                None,
                "the body ends with an explicit CBC mode byte 0, which no official generator writes",
            ));
        }
    }
    if env.mode() == CipherMode::Gcm && env.iv().iter().all(u8::is_ascii_alphanumeric) {
        out.push(note(
            "weak_nonce",
            None,
            "the GCM nonce is 12 letters and digits, as the Python, PHP and C++ generators write it from a non-cryptographic random generator (C++ repeats it within a second, which lets token holders forge tokens): prefer a generator with OS-random nonces",
        ));
    }
    if let Some(kit) = kit {
        out.extend(kit_warnings(kit, decoded.map(|d| &d.claims)));
    }
    let Some(d) = decoded else {
        return out;
    };
    let c = &d.claims;
    if c.app_id == crate::demo::APP_ID {
        out.push(note(
            "demo_app",
            None,
            "the token is for ZEGO's public demo app id: ZEGO's servers refuse it",
        ));
    }
    if c.app_id == 0 {
        out.push(note(
            "app_id_zero",
            Some(1_002_076),
            "app_id is 0: no ZEGO project has it",
        ));
    }
    if d.header_expire != c.expire {
        out.push(note(
            "expire_mismatch",
            Some(1_002_075),
            &format!(
                "the header says the token expires at {} (Unix time), the claims at {}: the token was changed or its generator is broken, and verify refuses it",
                d.header_expire, c.expire
            ),
        ));
    }
    let leeway = i64::try_from(crate::DEFAULT_LEEWAY.as_secs()).unwrap_or(0);
    if c.ctime > now.saturating_add(leeway) {
        out.push(note(
            "created_in_future",
            None,
            &format!(
                "ctime is {} s in the future: the clock of the machine that made the token is ahead",
                c.ctime.saturating_sub(now)
            ),
        ));
    }
    out.extend(check_user_id(&c.user_id));
    match c.room_privileges() {
        Ok(None) => {}
        Ok(Some(p)) => {
            out.extend(check_room_id(p.room_id()));
            for s in p.stream_ids().unwrap_or_default() {
                if let Err(e) = crate::validate_stream_id(s) {
                    out.push(SdkWarning::new(
                        "stream_id_refused",
                        "rtc",
                        Some(1_003_072),
                        false,
                        format!("stream ID {s:?}: {e}"),
                    ));
                }
            }
            if !p.can_login() {
                out.push(SdkWarning::new(
                    "no_login",
                    "rtc",
                    Some(1_002_033),
                    true,
                    "the payload denies the login privilege: ZEGO refuses the room login where room privilege checks are on",
                ));
            }
        }
        Err(e) => out.push(SdkWarning::new(
            "payload_not_room",
            "rtc",
            Some(1_002_075),
            false,
            format!(
                "{e}; ZEGO's RTC servers refuse it as a token format error where they read the payload; ZIM tokens need an empty payload"
            ),
        )),
    }
    out.extend(check_lifetime(c.ctime, c.expire));
    out
}

/// A kit info that the kit cannot use, or that disagrees with its token04.
fn kit_warnings(kit: &KitInfo, claims: Option<&TokenClaims>) -> Vec<SdkWarning> {
    let mut out = Vec::new();
    for (rule, what, id) in [
        ("kit_user_id", "userID", &kit.user_id),
        ("kit_room_id", "roomID", &kit.room_id),
    ] {
        match id {
            None => out.push(SdkWarning::new(
                rule,
                "kit",
                None,
                true,
                format!("the kit info has no {what} string: the kit cannot log in"),
            )),
            Some(id) if !id.is_ascii() => out.push(SdkWarning::new(
                rule,
                "kit",
                None,
                true,
                format!(
                    "the kit info's {what} {id:?} is not ASCII: the kits read the kit info as Latin-1 and log in with a changed ID"
                ),
            )),
            Some(_) => {}
        }
    }
    if let Some(room) = &kit.room_id {
        out.extend(check_room_id(room));
    }
    let Some(c) = claims else {
        return out;
    };
    if kit.app_id != Some(c.app_id) {
        out.push(SdkWarning::new(
            "kit_app_id_mismatch",
            "kit",
            Some(1_002_076),
            true,
            format!(
                "the kit info's appID is {}, the token's app_id {}: the kit's SDK refuses the token",
                kit.app_id.map_or_else(|| "missing".to_owned(), |a| a.to_string()),
                c.app_id
            ),
        ));
    }
    if kit.user_id.as_deref() != Some(c.user_id.as_str()) {
        out.push(SdkWarning::new(
            "kit_user_id_mismatch",
            "kit",
            Some(1_002_077),
            true,
            format!(
                "the kit info's userID is {:?}, the token's user_id {:?}: the kit's SDK refuses the token",
                kit.user_id.as_deref().unwrap_or("missing"),
                c.user_id
            ),
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules(w: &[SdkWarning]) -> Vec<&'static str> {
        w.iter().map(SdkWarning::rule).collect()
    }

    #[test]
    fn user_id_lengths_at_the_edges() {
        assert!(check_user_id(&"a".repeat(32)).is_empty());
        assert_eq!(
            rules(&check_user_id(&"a".repeat(33))),
            ["zim_user_id_length"]
        );
        assert_eq!(
            rules(&check_user_id(&"a".repeat(63))),
            ["zim_user_id_length"]
        );
        assert_eq!(rules(&check_user_id(&"a".repeat(64))), ["user_id_length"]);
        assert_eq!(rules(&check_user_id(&"a".repeat(65))), ["user_id_length"]);
        assert_eq!(rules(&check_user_id("")), ["user_id_empty"]);
    }

    #[test]
    fn user_id_characters() {
        for ok in ["alice", "A9", "~!@#$^&*()_+=-`;',.<>\\"] {
            assert!(check_user_id(ok).is_empty(), "{ok}");
        }
        assert_eq!(rules(&check_user_id("a/b")), ["user_id_slash"]);
        assert_eq!(
            rules(&check_user_id("50%/x")),
            ["user_id_percent", "user_id_slash"]
        );
        assert_eq!(rules(&check_room_id("r/1")), ["room_id_slash"]);
        for bad in [
            "alice smith",
            "josé",
            "a\0b",
            "a\nb",
            "a:b",
            "a\"b",
            "a?b",
            "a|b",
            "用户",
        ] {
            let w = check_user_id(bad);
            assert_eq!(rules(&w), ["user_id_charset"], "{bad:?}");
            assert_eq!(w[0].code(), Some(1_002_006));
            assert!(w[0].blocking());
        }
        let w = check_user_id("50%off");
        assert_eq!(rules(&w), ["user_id_percent"]);
        assert!(!w[0].blocking());
    }

    #[test]
    fn room_ids() {
        assert!(check_room_id(&"r".repeat(127)).is_empty());
        assert_eq!(rules(&check_room_id(&"r".repeat(128))), ["room_id_length"]);
        let w = check_room_id("room one");
        assert_eq!(rules(&w), ["room_id_charset"]);
        assert_eq!(w[0].code(), Some(1_002_012));
        assert!(w[0].message().contains("U+0020"));
    }

    #[test]
    fn lifetimes_at_the_edges() {
        assert_eq!(rules(&check_lifetime(100, 130)), ["ttl_too_short"]);
        assert!(check_lifetime(100, 131).is_empty());
        assert!(check_lifetime(0, ZIM_MAX_LIFETIME_SECS).is_empty());
        let w = check_lifetime(0, ZIM_MAX_LIFETIME_SECS + 1);
        assert_eq!(rules(&w), ["ttl_over_zim_limit"]);
        assert_eq!(w[0].code(), Some(6_000_109));
        assert!(check_lifetime(MAX_EXPIRE_32 - 3600, MAX_EXPIRE_32).is_empty());
        assert_eq!(
            rules(&check_lifetime(MAX_EXPIRE_32 - 3600, MAX_EXPIRE_32 + 1)),
            ["expire_past_2038"]
        );
    }

    #[test]
    fn claims_combine_the_rules() {
        use std::time::Duration;
        let room = crate::RoomPayload::new("vip room").build().unwrap();
        let claims = Claims::new(1, "josé", Duration::from_secs(20)).payload(room);
        assert_eq!(
            rules(&check_claims_at(&claims, 1_000)),
            ["user_id_charset", "room_id_charset", "ttl_too_short"]
        );
        let tc = TokenClaims {
            app_id: 1,
            user_id: "u".into(),
            nonce: 0,
            ctime: 10,
            expire: 5_000_000,
            payload: String::new(),
            payload_present: true,
        };
        assert_eq!(rules(&check_token_claims(&tc)), ["ttl_over_zim_limit"]);
    }

    #[test]
    fn renewal_comes_before_the_warning() {
        assert_eq!(renew_after(0, 3600, 60), Some(3540));
        assert_eq!(renew_after(0, 121, 60), Some(61));
        assert_eq!(renew_after(0, 120, 60), Some(60));
        assert_eq!(renew_after(0, 61, 60), Some(30));
        assert_eq!(renew_after(0, 60, 60), Some(15));
        assert_eq!(renew_after(0, 45, 60), Some(7));
        assert_eq!(renew_after(0, 31, 60), Some(0));
        assert_eq!(renew_after(0, 30, 60), None);
        for ttl in 31..2_000 {
            let r = renew_after(1_000, 1_000 + ttl, 60).unwrap();
            assert!(
                r >= 1_000 && r < 1_000 + ttl - WILL_EXPIRE_WARNING_SECS,
                "{ttl}"
            );
        }
    }
}
