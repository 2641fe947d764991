//! `inspect`: the header, the kit info, the claims and what they mean, warnings and the
//! rejection, one field a line; or one JSON object.

use std::io::{self, Write};

use serde::Serialize;
use zego_token::{
    CipherMode, Decoded, Error, KitInfo, RoomPrivileges, TokenClaims, UntrustedEnvelope,
};

use super::time::{expires_in, relative, rfc3339, span, utc};
use super::{
    ErrorJson, KitJsonOut, PrivilegesJson, WarningJson, print_kit, print_rejection, print_warnings,
    quoted, write_json,
};
use crate::input::SecretSource;

/// What `inspect` found in a token it could parse.
pub(crate) struct Inspected<'a> {
    /// The unencrypted header.
    pub(crate) env: &'a UntrustedEnvelope,
    /// The kit info of a kit token.
    pub(crate) kit: Option<&'a KitInfo>,
    /// Where the secret came from, when one was given.
    pub(crate) secret: Option<&'a SecretSource>,
    /// The claims, when the secret decrypted them.
    pub(crate) decoded: Option<&'a Decoded>,
    /// The room privileges, when the payload is a room document.
    pub(crate) privileges: Option<&'a RoomPrivileges>,
    /// What the SDKs would object to, expiry first.
    pub(crate) warnings: Vec<WarningJson>,
    /// Why the secret did not decrypt the token.
    pub(crate) error: Option<&'a Error>,
    /// The time the expiry is measured from.
    pub(crate) now: i64,
}

/// `inspect`'s JSON.
#[derive(Default, Serialize)]
struct InspectJson<'a> {
    r#type: &'static str,
    kind: &'static str,
    mode: Option<&'static str>,
    expire: Option<i64>,
    expire_utc: Option<String>,
    expires_in: Option<i64>,
    expired: Option<bool>,
    iv_len: Option<usize>,
    iv_hex: Option<String>,
    ciphertext_len: Option<usize>,
    mode_byte: Option<bool>,
    decrypted: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    claims: Option<&'a TokenClaims>,
    #[serde(skip_serializing_if = "Option::is_none")]
    privileges: Option<PrivilegesJson>,
    #[serde(skip_serializing_if = "Option::is_none")]
    kit: Option<KitJsonOut>,
    warnings: &'a [WarningJson],
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<ErrorJson>,
}

/// Prints why a token could not even be parsed.
///
/// # Errors
///
/// Writing to `out` failed.
pub(crate) fn print_unparsed(
    out: &mut dyn Write,
    json: bool,
    e: &Error,
    now: i64,
) -> io::Result<()> {
    if !json {
        return print_rejection(out, e, now);
    }
    write_json(
        out,
        &InspectJson {
            r#type: "inspect",
            kind: "token04",
            error: Some(ErrorJson::new(e, now)),
            ..InspectJson::default()
        },
    )
}

/// Prints what `inspect` found.
///
/// # Errors
///
/// Writing to `out` failed.
pub(crate) fn print_inspected(
    out: &mut dyn Write,
    json: bool,
    i: &Inspected<'_>,
) -> io::Result<()> {
    let (env, now) = (i.env, i.now);
    if json {
        let expire = env.untrusted_expire();
        return write_json(
            out,
            &InspectJson {
                r#type: "inspect",
                kind: if i.kit.is_some() { "kit" } else { "token04" },
                mode: Some(env.mode().as_str()),
                expire: Some(expire),
                expire_utc: Some(rfc3339(expire)),
                expires_in: Some(expires_in(expire, now)),
                expired: Some(expire <= now),
                iv_len: Some(env.iv().len()),
                iv_hex: Some(hex::encode(env.iv())),
                ciphertext_len: Some(env.ciphertext_len()),
                mode_byte: Some(env.has_mode_byte()),
                decrypted: i.decoded.is_some(),
                claims: i.decoded.map(|d| &d.claims),
                privileges: i.privileges.map(PrivilegesJson::from),
                kit: i.kit.map(KitJsonOut::from),
                warnings: &i.warnings,
                error: i.error.map(|e| ErrorJson::new(e, now)),
            },
        );
    }
    print_header(out, env, now)?;
    if let Some(kit) = i.kit {
        print_kit(out, kit)?;
    }
    match (i.secret, i.decoded) {
        (None, _) => writeln!(
            out,
            "{:<12}encrypted: give the ServerSecret (ZEGO_SERVER_SECRET, --secret-file, --secret-stdin) to read them",
            "claims"
        )?,
        (Some(source), Some(d)) => print_claims(out, source, d, i.privileges)?,
        (Some(_), None) => {}
    }
    print_warnings(out, &i.warnings)?;
    if let Some(e) = i.error {
        print_rejection(out, e, now)?;
    }
    Ok(())
}

/// Prints the unencrypted header, one field a line.
fn print_header(out: &mut dyn Write, env: &UntrustedEnvelope, now: i64) -> io::Result<()> {
    let mode = match (env.mode(), env.has_mode_byte()) {
        (CipherMode::Gcm, _) => "token04, AES-256-GCM",
        (CipherMode::Cbc, false) => "token04, AES-256-CBC (legacy)",
        (CipherMode::Cbc, true) => "token04, AES-256-CBC (legacy, explicit mode byte 0)",
    };
    let expire = env.untrusted_expire();
    let iv = env.iv();
    let iv_text = if iv.iter().all(u8::is_ascii_alphanumeric) {
        // ASCII IVs are what most generators write; show them as text.
        format!("\"{}\"", String::from_utf8_lossy(iv))
    } else {
        hex::encode(iv)
    };
    writeln!(out, "{:<12}{mode}", "token")?;
    writeln!(
        out,
        "{:<12}{} ({}) [header, unauthenticated]",
        "expire",
        utc(expire),
        relative(expire, now)
    )?;
    writeln!(out, "{:<12}{} bytes: {iv_text}", "iv", iv.len())?;
    let tag = if env.mode() == CipherMode::Gcm {
        ", including the 16-byte tag"
    } else {
        ""
    };
    writeln!(
        out,
        "{:<12}{} bytes{tag}",
        "ciphertext",
        env.ciphertext_len()
    )
}

/// Prints the decrypted claims and what the payload means.
fn print_claims(
    out: &mut dyn Write,
    source: &SecretSource,
    d: &Decoded,
    privileges: Option<&RoomPrivileges>,
) -> io::Result<()> {
    let c = &d.claims;
    let with = match source {
        SecretSource::Demo => "the demo secret",
        SecretSource::Given(what) => what.as_str(),
    };
    let how = match d.mode {
        CipherMode::Gcm => "decrypted and authenticated",
        CipherMode::Cbc => "decrypted (CBC: not authenticated)",
    };
    writeln!(out, "{:<12}{how} with {with}", "claims")?;
    writeln!(out, "  {:<10}{}", "app_id", c.app_id)?;
    writeln!(out, "  {:<10}{}", "user_id", quoted(&c.user_id))?;
    writeln!(out, "  {:<10}{}", "nonce", c.nonce)?;
    writeln!(out, "  {:<10}{} ({})", "ctime", utc(c.ctime), c.ctime)?;
    let lifetime = c.expire.saturating_sub(c.ctime);
    writeln!(
        out,
        "  {:<10}{} ({}), lifetime {}",
        "expire",
        utc(c.expire),
        c.expire,
        span(u64::try_from(lifetime).unwrap_or(0))
    )?;
    if c.payload_present {
        writeln!(out, "  {:<10}{}", "payload", quoted(&c.payload))?;
    } else {
        writeln!(out, "  {:<10}(no payload member)", "payload")?;
    }
    let meaning = match privileges {
        Some(p) => format!("privilege token for {}", p.describe()),
        None if c.payload.is_empty() => {
            "basic token: proves the user's identity; no room or publish restriction".to_owned()
        }
        None => "not a room privilege document (see the warning)".to_owned(),
    };
    writeln!(out, "{:<12}{meaning}", "meaning")
}
