//! What `generate` and `kit-token` share: the secret and app id, the lifetime, minting
//! (random or fixed IV and nonce), and ZEGO's client rules.

use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, Result, anyhow, bail};
use zego_token::{Claims, FixedClock, GenerateOptions, Generated, dangerous};

use super::{Ctx, input_error, now};
use crate::cli::TokenArgs;
use crate::input::{NO_SECRET_HELP, Secret};
use crate::output::{WarningJson, warn};

/// Secret and app id, with errors that say how to give them.
pub(super) fn token_inputs(ctx: &mut Ctx<'_>, t: &TokenArgs) -> Result<(Secret, u32)> {
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

/// `--ttl` as a lifetime; 0 is refused here with the flag's name.
pub(super) fn lifetime(ttl: u64) -> Result<Duration> {
    if ttl == 0 {
        bail!(
            "--ttl: the lifetime is 0 s; it must be more than 0 (the official generators' error code 6): e.g. --ttl 3600 or --ttl 1h"
        );
    }
    Ok(Duration::from_secs(ttl))
}

/// ZEGO's client rules that `claims` break at `ctime`: refuses an expiry past 2038
/// without `--allow-long`, and prints each warning on stderr.
pub(super) fn client_rules(
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
    warned(ctx, &warnings)
}

/// The library's warnings as JSON, each also printed on stderr.
pub(super) fn warned(
    ctx: &mut Ctx<'_>,
    warnings: &[zego_token::sdk::SdkWarning],
) -> Result<Vec<WarningJson>> {
    let warnings: Vec<WarningJson> = warnings.iter().map(WarningJson::from).collect();
    for w in &warnings {
        warn(ctx.err, w)?;
    }
    Ok(warnings)
}

/// Generates with the options of `t`: random IV and nonce, or the hidden fixed ones.
pub(super) fn make_token(t: &TokenArgs, secret: &Secret, claims: &Claims) -> Result<Generated> {
    let mode = t.mode.into();
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
    hex::decode(text).map_err(|e| anyhow!("not hex: {e}"))
}
