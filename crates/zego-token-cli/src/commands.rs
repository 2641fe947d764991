//! The subcommands: each takes its parsed arguments and a [`Ctx`] (streams, environment),
//! writes its result, and says whether the token was accepted.

use std::io::{Read, Write};
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, Result, anyhow, bail};
use serde::Serialize;
use zego_token::{
    CipherMode, Claims, Decoded, Error, Field, FixedClock, GenerateOptions, Generated, KitInfo,
    Payload, RoomPayload, RoomPrivileges, SystemClock, TokenClaims, UntrustedEnvelope, Validation,
    dangerous,
};

use crate::cli::{ClockArgs, GenerateArgs, InspectArgs, KitTokenArgs, TokenArgs, VerifyArgs};
use crate::input::{Env, NO_SECRET_HELP, Secret, SecretSource, load_secret, read_token};
use crate::output::{
    ErrorJson, KitJsonOut, PrivilegesJson, WarningJson, expires_in, hex, print_kit, quoted, reason,
    relative, rfc3339, span, utc, write_json,
};

/// What a command concluded about the token, for the exit status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Outcome {
    /// Done; the token (if any) is fine.
    Success,
    /// The token was checked and rejected.
    Rejected,
}

/// The process's streams and environment, passed in so nothing below reaches for globals.
pub(crate) struct Ctx<'a> {
    /// Standard input.
    pub(crate) stdin: &'a mut dyn Read,
    /// Standard output.
    pub(crate) out: &'a mut dyn Write,
    /// Standard error, for warnings (errors are printed by `main`).
    pub(crate) err: &'a mut dyn Write,
    /// The environment variables the tool reads.
    pub(crate) env: Env,
    /// Whether `--app-id` came from `$ZEGO_APP_ID` rather than the command line.
    pub(crate) app_id_from_env: bool,
}

impl Ctx<'_> {
    /// Says on stderr that demo tokens are refused by ZEGO.
    fn warn_demo(&mut self) -> Result<()> {
        writeln!(
            self.err,
            "zego-token: warning: --demo uses ZEGO's public demo app (app id {}): ZEGO's servers refuse its tokens",
            zego_token::demo::APP_ID
        )?;
        Ok(())
    }

    /// The app id: `--demo`'s, or the one given. With `--demo`, an app id from the
    /// environment is ignored and one from the command line must be the demo's.
    fn app_id(&self, given: Option<u32>, demo: bool) -> Result<Option<u32>> {
        if !demo {
            return Ok(given);
        }
        match given {
            Some(id) if id != zego_token::demo::APP_ID && !self.app_id_from_env => bail!(
                "--demo uses the demo app id {}, not {id}: drop --app-id, or drop --demo and give your app's secret",
                zego_token::demo::APP_ID
            ),
            _ => Ok(Some(zego_token::demo::APP_ID)),
        }
    }

    /// Loads the secret, warning when it is the demo's.
    fn secret(&mut self, args: &crate::cli::SecretArgs) -> Result<Option<Secret>> {
        let secret = load_secret(args, &self.env, self.stdin)?;
        if let Some(oddity) = secret.as_ref().and_then(|s| s.oddity.as_deref()) {
            writeln!(self.err, "zego-token: warning: {oddity}")?;
        }
        if secret
            .as_ref()
            .is_some_and(|s| s.source == SecretSource::Demo)
        {
            self.warn_demo()?;
        }
        Ok(secret)
    }
}

/// `--now`, or the system clock.
fn now(clock: &ClockArgs) -> i64 {
    use zego_token::Clock as _;
    clock.now.unwrap_or_else(|| SystemClock.now())
}

/// The flag a library input error is about.
fn flag_of(field: Field) -> &'static str {
    match field {
        Field::AppId => "--app-id",
        Field::UserId => "--user-id",
        Field::Secret => "the ServerSecret",
        Field::EffectiveTime => "--ttl",
        Field::RoomId => "--room",
        Field::StreamId => "--stream",
        _ => "--payload",
    }
}

/// Turns a generator error into `<flag>: <rule broken> (official error code N)`.
fn input_error(e: Error) -> anyhow::Error {
    match &e {
        Error::InvalidInput(i) => {
            let code = e
                .official_code()
                .map(|c| format!(" (the official generators' error code {c})"))
                .unwrap_or_default();
            anyhow!("{}: {}{code}", flag_of(i.field()), i)
        }
        _ => anyhow!(e),
    }
}

/// Secret and app id for `generate` and `kit-token`, with errors that say how to give them.
fn token_inputs(ctx: &mut Ctx<'_>, t: &TokenArgs) -> Result<(Secret, u32)> {
    let app_id = ctx.app_id(t.app_id, t.secret.demo)?;
    let secret = ctx.secret(&t.secret)?;
    match (secret, app_id) {
        (Some(s), Some(a)) => Ok((s, a)),
        (None, None) => bail!(
            "no ServerSecret and no app id: set ZEGO_APP_ID and ZEGO_SERVER_SECRET (or pass --app-id N and --secret-file PATH), or pass --demo to try ZEGO's public demo app"
        ),
        (None, Some(_)) => bail!("no ServerSecret: {NO_SECRET_HELP}"),
        (Some(_), None) => bail!(
            "no app id: pass --app-id N (the AppID of the project in ZEGO's console) or set ZEGO_APP_ID"
        ),
    }
}

/// ZEGO's client rules that `claims` break at `ctime`: refuses an expiry past 2038
/// without `--allow-long`, and prints each warning on stderr.
fn client_rules(
    ctx: &mut Ctx<'_>,
    t: &TokenArgs,
    claims: &Claims,
    ctime: i64,
) -> Result<Vec<WarningJson>> {
    let warnings = zego_token::sdk::check_claims_at(claims, ctime);
    if !t.allow_long
        && let Some(w) = warnings.iter().find(|w| w.rule() == "expire_past_2038")
    {
        bail!("--ttl: {w}; pass --allow-long to make it anyway");
    }
    let warnings: Vec<WarningJson> = warnings.iter().map(WarningJson::from).collect();
    for w in &warnings {
        writeln!(ctx.err, "zego-token: warning: {w}")?;
    }
    Ok(warnings)
}

/// Generates with the options of `t`: random IV and nonce, or the hidden fixed ones.
fn make_token(t: &TokenArgs, secret: &Secret, claims: &Claims) -> Result<Generated> {
    let mode = CipherMode::from(t.mode);
    let ctime = now(&t.clock);
    let generated = match (&t.iv_hex, t.nonce) {
        (Some(iv_hex), Some(nonce)) => {
            let iv = parse_hex(iv_hex).context("--iv-hex")?;
            dangerous::generate_with_iv(&secret.secret, claims, mode, ctime, nonce, &iv)
        }
        _ => {
            let options = GenerateOptions::default()
                .mode(mode)
                .clock(Arc::new(FixedClock(ctime)));
            zego_token::generate_with(&secret.secret, claims, &options)
        }
    };
    generated.map_err(input_error)
}

/// Decodes `--iv-hex`.
fn parse_hex(text: &str) -> Result<Vec<u8>> {
    let digit = |c: u8| match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    };
    let bytes = text.as_bytes();
    if !bytes.len().is_multiple_of(2) {
        bail!("{} hex digits is not a whole number of bytes", bytes.len());
    }
    bytes
        .chunks(2)
        .map(|p| Some(digit(p[0])? << 4 | digit(p[1])?))
        .collect::<Option<Vec<u8>>>()
        .ok_or_else(|| anyhow!("not hex"))
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
    warnings: Vec<WarningJson>,
}

/// `zego-token generate`.
pub(crate) fn generate(ctx: &mut Ctx<'_>, a: &GenerateArgs) -> Result<Outcome> {
    let (secret, app_id) = token_inputs(ctx, &a.token)?;
    let privileges = match &a.room {
        Some(room) => {
            let mut p = RoomPayload::new(room.as_str())
                .login(!a.no_login)
                .publish(a.publish);
            // No --stream: no list at all (`null`, any stream), as the official samples.
            if !a.streams.is_empty() {
                p = p.streams(a.streams.iter().map(String::as_str));
            }
            Some(p.build().map_err(input_error)?)
        }
        None => None,
    };
    let payload = match (&privileges, &a.payload) {
        (Some(p), _) => Payload::from(p),
        (None, Some(raw)) => Payload::raw(raw.as_str()),
        (None, None) => Payload::empty(),
    };
    let claims =
        Claims::new(app_id, a.token.user_id.as_str(), lifetime(a.token.ttl)?).payload(payload);
    let g = make_token(&a.token, &secret, &claims)?;
    let warnings = client_rules(ctx, &a.token, &claims, g.ctime)?;
    if a.token.json {
        write_json(
            ctx.out,
            &GenerateJson {
                r#type: "generate",
                token: &g.token,
                app_id,
                user_id: claims.user_id(),
                ctime: g.ctime,
                expire: g.expire,
                expire_utc: rfc3339(g.expire),
                nonce: g.nonce,
                mode: g.mode.as_str(),
                payload: claims.payload_str(),
                privileges: privileges.as_ref().map(PrivilegesJson::from),
                warnings,
            },
        )?;
    } else {
        writeln!(ctx.out, "{}", g.token)?;
    }
    Ok(Outcome::Success)
}

/// `--ttl` as a lifetime; 0 is refused here with the flag's name.
fn lifetime(ttl: u64) -> Result<Duration> {
    if ttl == 0 {
        bail!(
            "--ttl: the lifetime is 0 s; it must be more than 0 (the official generators' error code 6): e.g. --ttl 3600 or --ttl 1h"
        );
    }
    Ok(Duration::from_secs(ttl))
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
    warnings: Vec<WarningJson>,
}

/// `zego-token kit-token`.
pub(crate) fn kit_token(ctx: &mut Ctx<'_>, a: &KitTokenArgs) -> Result<Outcome> {
    let (secret, app_id) = token_inputs(ctx, &a.token)?;
    zego_token::validate_room_id(&a.room).map_err(input_error)?;
    let mut claims = Claims::new(app_id, a.token.user_id.as_str(), lifetime(a.token.ttl)?);
    if a.pin_room {
        let p = RoomPayload::new(a.room.as_str())
            .publish(a.publish)
            .build()
            .map_err(input_error)?;
        claims = claims.payload(p);
    }
    let user_name = a.user_name.as_deref().unwrap_or(&a.token.user_id);
    // Refused before minting: the kit cannot carry these IDs.
    zego_token::validate_kit_ids(&a.token.user_id, &a.room).map_err(input_error)?;
    let g = make_token(&a.token, &secret, &claims)?;
    let mut warnings = client_rules(ctx, &a.token, &claims, g.ctime)?;
    let kit = zego_token::kit_token(&g.token, app_id, &a.token.user_id, &a.room, user_name)
        .map_err(input_error)?;
    if !a.pin_room {
        // The room rules apply to the kit's room even when the token does not pin it.
        for w in zego_token::sdk::check_room_id(&a.room) {
            let w = WarningJson::from(&w);
            writeln!(ctx.err, "zego-token: warning: {w}")?;
            warnings.push(w);
        }
    }
    if a.token.json {
        write_json(
            ctx.out,
            &KitJson {
                r#type: "kit-token",
                kit_token: &kit,
                token: &g.token,
                app_id,
                user_id: &a.token.user_id,
                room_id: &a.room,
                user_name,
                ctime: g.ctime,
                expire: g.expire,
                expire_utc: rfc3339(g.expire),
                mode: g.mode.as_str(),
                warnings,
            },
        )?;
    } else {
        writeln!(ctx.out, "{kit}")?;
    }
    Ok(Outcome::Success)
}

/// A token as given: a plain token04, or a kit token split at `#`.
struct Given {
    /// The header of the token04 (of a kit token: of its part before `#`).
    env: UntrustedEnvelope,
    /// The kit info of a kit token.
    kit: Option<KitInfo>,
}

/// Reads a token04 or a kit token: the kit info first, then the token04's header.
fn parse_given(text: &str) -> Result<Given, Error> {
    let (token04, kit) = zego_token::parse_kit_token(text)?;
    Ok(Given {
        env: zego_token::inspect(token04)?,
        kit,
    })
}

/// The warning that the header's expiry has passed: `inspect` only, since `verify`'s
/// verdict covers expiry.
fn expiry_warning(env: &UntrustedEnvelope, now: i64, list: &mut Vec<WarningJson>) {
    if env.untrusted_expire() <= now {
        list.push(WarningJson {
            code: "expired",
            product: "token",
            sdk_code: Some(1_002_078),
            blocking: true,
            message: format!(
                "the token {} ({})",
                relative(env.untrusted_expire(), now),
                utc(env.untrusted_expire())
            ),
        });
    }
}

/// The library's warnings about a token, as JSON, expiry first for `inspect`.
fn warnings_of(
    given: &Given,
    decoded: Option<&Decoded>,
    now: i64,
    with_expiry: bool,
) -> Vec<WarningJson> {
    let mut list = Vec::new();
    if with_expiry {
        expiry_warning(&given.env, now, &mut list);
    }
    list.extend(
        zego_token::sdk::token_warnings(&given.env, decoded, given.kit.as_ref(), now)
            .iter()
            .map(WarningJson::from),
    );
    list
}

/// The room privileges of a decoded token, when its payload is a room document.
fn privileges_of(d: &Decoded) -> Option<RoomPrivileges> {
    d.claims.room_privileges().ok().flatten()
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
    warnings: Vec<WarningJson>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<ErrorJson>,
}

impl InspectJson<'_> {
    /// The object for a token that could not even be parsed.
    fn rejected(e: &Error, now: i64) -> Self {
        Self {
            r#type: "inspect",
            kind: "token04",
            error: Some(ErrorJson::new(e, now)),
            ..Self::default()
        }
    }
}

/// Refuses to read both the token and the secret from stdin.
fn check_stdin_once(token_arg: &str, secret: &crate::cli::SecretArgs) -> Result<()> {
    if token_arg == "-" && secret.secret_stdin {
        bail!(
            "both the token (TOKEN is -) and the secret (--secret-stdin) would come from stdin: pass the token as the argument, or the secret with --secret-file or ZEGO_SERVER_SECRET"
        );
    }
    Ok(())
}

/// Prints a rejection in the human form, on stdout (it is the command's answer).
fn print_rejection(out: &mut dyn Write, e: &Error, now: i64) -> Result<()> {
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
    writeln!(out, "  {:<13}{}", "fix", e.advice())?;
    Ok(())
}

/// `zego-token inspect`.
pub(crate) fn inspect(ctx: &mut Ctx<'_>, a: &InspectArgs) -> Result<Outcome> {
    check_stdin_once(&a.token, &a.secret)?;
    let text = read_token(&a.token, ctx.stdin)?;
    let secret = ctx.secret(&a.secret)?;
    let now = now(&a.clock);
    let given = match parse_given(&text) {
        Ok(g) => g,
        Err(e) => {
            if a.json {
                write_json(ctx.out, &InspectJson::rejected(&e, now))?;
            } else {
                print_rejection(ctx.out, &e, now)?;
            }
            return Ok(Outcome::Rejected);
        }
    };
    let env = &given.env;
    let decoded = secret
        .as_ref()
        .map(|s| zego_token::decode_envelope(env, &s.secret));
    let (claims, privileges, error) = match &decoded {
        Some(Ok(d)) => (Some(d), privileges_of(d), None),
        Some(Err(e)) => (None, None, Some(e)),
        None => (None, None, None),
    };
    let warnings = warnings_of(&given, claims, now, true);
    if a.json {
        let expire = env.untrusted_expire();
        write_json(
            ctx.out,
            &InspectJson {
                r#type: "inspect",
                kind: if given.kit.is_some() {
                    "kit"
                } else {
                    "token04"
                },
                mode: Some(env.mode().as_str()),
                expire: Some(expire),
                expire_utc: Some(rfc3339(expire)),
                expires_in: Some(expires_in(expire, now)),
                expired: Some(expire <= now),
                iv_len: Some(env.iv().len()),
                iv_hex: Some(hex(env.iv())),
                ciphertext_len: Some(env.ciphertext_len()),
                mode_byte: Some(env.has_mode_byte()),
                decrypted: claims.is_some(),
                claims: claims.map(|d| &d.claims),
                privileges: privileges.as_ref().map(PrivilegesJson::from),
                kit: given.kit.as_ref().map(KitJsonOut::from),
                warnings,
                error: error.map(|e| ErrorJson::new(e, now)),
            },
        )?;
    } else {
        let out = &mut *ctx.out;
        print_header(out, env, now)?;
        if let Some(kit) = &given.kit {
            print_kit(out, kit)?;
        }
        match (&secret, claims) {
            (None, _) => writeln!(
                out,
                "{:<12}encrypted: give the ServerSecret (ZEGO_SERVER_SECRET, --secret-file, --secret-stdin) to read them",
                "claims"
            )?,
            (Some(s), Some(d)) => print_claims(out, s, d, privileges.as_ref())?,
            (Some(_), None) => {}
        }
        for w in &warnings {
            writeln!(out, "warning: {w}")?;
        }
        if let Some(e) = error {
            print_rejection(out, e, now)?;
        }
    }
    Ok(if error.is_some() {
        Outcome::Rejected
    } else {
        Outcome::Success
    })
}

/// Prints the unencrypted header, one field a line.
fn print_header(out: &mut dyn Write, env: &UntrustedEnvelope, now: i64) -> Result<()> {
    let mode = match (env.mode(), env.has_mode_byte()) {
        (CipherMode::Gcm, _) => "token04, AES-256-GCM".to_owned(),
        (CipherMode::Cbc, false) => "token04, AES-256-CBC (legacy)".to_owned(),
        (CipherMode::Cbc, true) => "token04, AES-256-CBC (legacy, explicit mode byte 0)".to_owned(),
    };
    let expire = env.untrusted_expire();
    let iv = env.iv();
    let iv_text = if iv.iter().all(u8::is_ascii_alphanumeric) {
        // ASCII IVs are what most generators write; show them as text.
        format!("\"{}\"", String::from_utf8_lossy(iv))
    } else {
        hex(iv)
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
    )?;
    Ok(())
}

/// Prints the decrypted claims and what the payload means.
fn print_claims(
    out: &mut dyn Write,
    secret: &Secret,
    d: &Decoded,
    privileges: Option<&RoomPrivileges>,
) -> Result<()> {
    let c = &d.claims;
    let with = match &secret.source {
        SecretSource::Demo => "the demo secret".to_owned(),
        SecretSource::Given(what) => what.clone(),
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
    writeln!(out, "{:<12}{meaning}", "meaning")?;
    Ok(())
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
    warnings: Vec<WarningJson>,
    error: Option<ErrorJson>,
}

/// `zego-token verify`.
pub(crate) fn verify(ctx: &mut Ctx<'_>, a: &VerifyArgs) -> Result<Outcome> {
    check_stdin_once(&a.token, &a.secret)?;
    for (flag, value) in [
        ("--user-id", &a.user_id),
        ("--room", &a.room),
        ("--stream", &a.stream),
    ] {
        if value.as_deref() == Some("") {
            bail!("{flag} is empty: give the value to expect, or leave {flag} out");
        }
    }
    let text = read_token(&a.token, ctx.stdin)?;
    let app_id = ctx.app_id(a.app_id, a.secret.demo)?;
    let secret = ctx.secret(&a.secret)?;
    let Some(secret) = secret else {
        bail!("verify needs the ServerSecret: {NO_SECRET_HELP}");
    };
    let given = parse_given(&text);
    // A kit token carries the appID its kit initialises the SDK with.
    let kit_app = given
        .as_ref()
        .ok()
        .and_then(|g| g.kit.as_ref())
        .and_then(|k| k.app_id);
    let Some(app_id) = app_id.or(kit_app) else {
        bail!(
            "verify needs the app id: pass --app-id N (the AppID the SDK is initialised with) or set ZEGO_APP_ID"
        );
    };
    let now = now(&a.clock);
    let mut v = Validation::new(app_id)
        .leeway(Duration::from_secs(a.leeway))
        .clock(Arc::new(FixedClock(now)));
    if let Some(room) = &a.room {
        v = v.room_id(room.as_str());
    }
    if a.publish {
        v = v.require_publish();
    }
    if let Some(stream) = &a.stream {
        v = v.stream_id(stream.as_str());
    }
    let mut warnings = Vec::new();
    let decoded = given.and_then(|g| {
        let d = zego_token::decode_envelope(&g.env, &secret.secret)?;
        Ok((g, d))
    });
    let (decoded, privileges, result) = match decoded {
        Ok((given, d)) => {
            let kit = given.kit.as_ref();
            // Without --user-id, a kit token's user is the kit info's userID.
            let user = a
                .user_id
                .as_deref()
                .or_else(|| kit.and_then(|k| k.user_id.as_deref()));
            if let Some(user) = user {
                v = v.user_id(user);
            }
            warnings = warnings_of(&given, Some(&d), now, false);
            let privileges = privileges_of(&d);
            let r = zego_token::check(&d, &v).and_then(|()| match kit.map(|k| k.app_id) {
                // The kit initialises its SDK with the kit info's appID.
                Some(kit_app) if kit_app != Some(d.claims.app_id) => Err(Error::AppIdMismatch {
                    expected: kit_app.unwrap_or(0),
                    found: d.claims.app_id,
                }),
                _ => Ok(()),
            });
            (Some(d), privileges, r)
        }
        Err(e) => (None, None, Err(e)),
    };
    let expire = decoded.as_ref().map(|d| d.claims.expire);
    if a.json {
        write_json(
            ctx.out,
            &VerifyJson {
                r#type: "verify",
                valid: result.is_ok(),
                mode: decoded.as_ref().map(|d| d.mode.as_str()),
                expire,
                expire_utc: expire.map(rfc3339),
                expires_in: expire.map(|e| expires_in(e, now)),
                claims: decoded.as_ref().map(|d| &d.claims),
                privileges: privileges.as_ref().map(PrivilegesJson::from),
                warnings,
                error: result.as_ref().err().map(|e| ErrorJson::new(e, now)),
            },
        )?;
    } else {
        let out = &mut *ctx.out;
        match (&result, &decoded) {
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
                if let Some(p) = &privileges {
                    writeln!(out, "  {:<13}{}", "privileges", p.describe())?;
                }
            }
            (Err(e), _) => print_rejection(out, e, now)?,
            (Ok(()), None) => {}
        }
        for w in &warnings {
            writeln!(out, "warning: {w}")?;
        }
    }
    Ok(if result.is_ok() {
        Outcome::Success
    } else {
        Outcome::Rejected
    })
}
