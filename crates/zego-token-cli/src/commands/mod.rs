//! The subcommands, a file each: each takes its parsed arguments and a [`Ctx`] (streams,
//! environment), does the work, hands the result to a printer in [`crate::output`], and
//! says whether the token (or the service) passed.
//!
//! * [`generate`], [`kit_token`]: mint, with the inputs and client rules of [`mint`];
//! * [`inspect`], [`verify`]: read a token, with the parsing and warnings of [`read`];
//! * [`healthcheck`]: probe a running service;
//! * [`serve`], [`completions`], [`man`]: hand over to the service or to clap.

pub(crate) mod completions;
pub(crate) mod generate;
pub(crate) mod healthcheck;
pub(crate) mod inspect;
pub(crate) mod kit_token;
pub(crate) mod man;
mod mint;
mod read;
pub(crate) mod serve;
pub(crate) mod verify;

use std::io::{Read, Write};

use anyhow::{Result, anyhow, bail};
use zego_token::{Error, Field, SystemClock};

use crate::cli::{ClockArgs, SecretArgs};
use crate::input::{Env, Secret, SecretSource, load_secret};
use crate::output::warn;

/// What a command concluded, for the exit status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Outcome {
    /// Done; the token (if any) is fine, the service (if probed) is healthy.
    Success,
    /// The token was checked and rejected, or the probed service is not healthy.
    Rejected,
}

impl Outcome {
    /// `Success` when `ok`, else `Rejected`.
    pub(crate) fn from_ok(ok: bool) -> Self {
        if ok { Self::Success } else { Self::Rejected }
    }
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

    /// Loads the secret, warning when it looks odd or is the demo's.
    fn secret(&mut self, args: &SecretArgs) -> Result<Option<Secret>> {
        let secret = load_secret(args, &self.env, self.stdin)?;
        if let Some(oddity) = secret.as_ref().and_then(|s| s.oddity.as_deref()) {
            warn(self.err, oddity)?;
        }
        if secret
            .as_ref()
            .is_some_and(|s| s.source == SecretSource::Demo)
        {
            warn(
                self.err,
                format_args!(
                    "--demo uses ZEGO's public demo app (app id {}): ZEGO's servers refuse its tokens",
                    zego_token::demo::APP_ID
                ),
            )?;
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

/// Turns a library input error into `<flag>: <rule broken> (official error code N)`.
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
