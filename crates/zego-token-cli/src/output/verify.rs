//! `verify`: the verdict (`valid: ...` or `rejected: ...` with the SDK codes and the
//! fix) and the warnings; or one JSON object.

use std::io::{self, Write};

use serde::Serialize;
use zego_token::{Decoded, Error, RoomPrivileges, TokenClaims};

use super::time::{expires_in, relative, rfc3339, utc};
use super::{
    ErrorJson, PrivilegesJson, WarningJson, print_rejection, print_warnings, quoted, write_json,
};

/// What `verify` concluded.
pub(crate) struct Verified<'a> {
    /// The claims, when the secret decrypted the token.
    pub(crate) decoded: Option<&'a Decoded>,
    /// The room privileges, when the payload is a room document.
    pub(crate) privileges: Option<&'a RoomPrivileges>,
    /// What the SDKs would object to.
    pub(crate) warnings: Vec<WarningJson>,
    /// The verdict.
    pub(crate) result: &'a Result<(), Error>,
    /// The time the expiry is measured from.
    pub(crate) now: i64,
}

/// `verify`'s JSON.
#[derive(Serialize)]
struct VerifyJson<'a> {
    r#type: &'static str,
    valid: bool,
    mode: Option<&'static str>,
    expire: Option<i64>,
    expire_utc: Option<String>,
    expires_in: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    claims: Option<&'a TokenClaims>,
    #[serde(skip_serializing_if = "Option::is_none")]
    privileges: Option<PrivilegesJson>,
    warnings: &'a [WarningJson],
    error: Option<ErrorJson>,
}

/// Prints `verify`'s verdict.
///
/// # Errors
///
/// Writing to `out` failed.
pub(crate) fn print_verified(out: &mut dyn Write, json: bool, v: &Verified<'_>) -> io::Result<()> {
    let now = v.now;
    if json {
        let expire = v.decoded.map(|d| d.claims.expire);
        return write_json(
            out,
            &VerifyJson {
                r#type: "verify",
                valid: v.result.is_ok(),
                mode: v.decoded.map(|d| d.mode.as_str()),
                expire,
                expire_utc: expire.map(rfc3339),
                expires_in: expire.map(|e| expires_in(e, now)),
                claims: v.decoded.map(|d| &d.claims),
                privileges: v.privileges.map(PrivilegesJson::from),
                warnings: &v.warnings,
                error: v.result.as_ref().err().map(|e| ErrorJson::new(e, now)),
            },
        );
    }
    match (v.result, v.decoded) {
        (Ok(()), Some(d)) => {
            let c = &d.claims;
            writeln!(
                out,
                "valid: app_id {}, user_id {}, {} ({})",
                c.app_id,
                quoted(&c.user_id),
                relative(c.expire, now),
                utc(c.expire)
            )?;
            if let Some(p) = v.privileges {
                writeln!(out, "  {:<13}{}", "privileges", p.describe())?;
            }
        }
        (Err(e), _) => print_rejection(out, e, now)?,
        (Ok(()), None) => {}
    }
    print_warnings(out, &v.warnings)
}
