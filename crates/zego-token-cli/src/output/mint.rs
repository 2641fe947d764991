//! `generate` and `kit-token`: the token alone (so `$(zego-token generate ...)` works),
//! or one JSON object.

use std::io::{self, Write};

use serde::Serialize;
use zego_token::{Claims, Generated, RoomPrivileges};

use super::time::rfc3339;
use super::{PrivilegesJson, WarningJson, write_json};

/// A token `generate` made.
pub(crate) struct Minted<'a> {
    /// The token and its times.
    pub(crate) generated: &'a Generated,
    /// The app it is for.
    pub(crate) app_id: u32,
    /// What it holds.
    pub(crate) claims: &'a Claims,
    /// The room privileges of a privilege token.
    pub(crate) privileges: Option<&'a RoomPrivileges>,
    /// The client rules it breaks.
    pub(crate) warnings: Vec<WarningJson>,
}

/// `generate`'s JSON.
#[derive(Serialize)]
struct GenerateJson<'a> {
    r#type: &'static str,
    token: &'a str,
    app_id: u32,
    user_id: &'a str,
    ctime: i64,
    expire: i64,
    expire_utc: String,
    nonce: i32,
    mode: &'static str,
    payload: &'a str,
    privileges: Option<PrivilegesJson>,
    warnings: &'a [WarningJson],
}

/// Prints what `generate` made.
///
/// # Errors
///
/// Writing to `out` failed.
pub(crate) fn print_generate(out: &mut dyn Write, json: bool, m: &Minted<'_>) -> io::Result<()> {
    let g = m.generated;
    if !json {
        return writeln!(out, "{}", g.token);
    }
    write_json(
        out,
        &GenerateJson {
            r#type: "generate",
            token: &g.token,
            app_id: m.app_id,
            user_id: m.claims.user_id(),
            ctime: g.ctime,
            expire: g.expire,
            expire_utc: rfc3339(g.expire),
            nonce: g.nonce,
            mode: g.mode.as_str(),
            payload: m.claims.payload_str(),
            privileges: m.privileges.map(PrivilegesJson::from),
            warnings: &m.warnings,
        },
    )
}

/// A kit token `kit-token` made.
pub(crate) struct KitMinted<'a> {
    /// The kit token: the token04, `#`, the kit info.
    pub(crate) kit_token: &'a str,
    /// The token04 part and its times.
    pub(crate) generated: &'a Generated,
    /// The kit info's appID.
    pub(crate) app_id: u32,
    /// The kit info's userID.
    pub(crate) user_id: &'a str,
    /// The kit info's roomID.
    pub(crate) room_id: &'a str,
    /// The kit info's userName.
    pub(crate) user_name: &'a str,
    /// The client rules it breaks.
    pub(crate) warnings: Vec<WarningJson>,
}

/// `kit-token`'s JSON.
#[derive(Serialize)]
struct KitJson<'a> {
    r#type: &'static str,
    kit_token: &'a str,
    token: &'a str,
    app_id: u32,
    user_id: &'a str,
    room_id: &'a str,
    user_name: &'a str,
    ctime: i64,
    expire: i64,
    expire_utc: String,
    mode: &'static str,
    warnings: &'a [WarningJson],
}

/// Prints what `kit-token` made.
///
/// # Errors
///
/// Writing to `out` failed.
pub(crate) fn print_kit_token(
    out: &mut dyn Write,
    json: bool,
    k: &KitMinted<'_>,
) -> io::Result<()> {
    let g = k.generated;
    if !json {
        return writeln!(out, "{}", k.kit_token);
    }
    write_json(
        out,
        &KitJson {
            r#type: "kit-token",
            kit_token: k.kit_token,
            token: &g.token,
            app_id: k.app_id,
            user_id: k.user_id,
            room_id: k.room_id,
            user_name: k.user_name,
            ctime: g.ctime,
            expire: g.expire,
            expire_utc: rfc3339(g.expire),
            mode: g.mode.as_str(),
            warnings: &k.warnings,
        },
    )
}
