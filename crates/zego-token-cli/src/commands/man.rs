//! `zego-token man`: the manual page (roff), from the clap definition.

use anyhow::Result;
use clap::CommandFactory;

use super::{Ctx, Outcome};
use crate::cli::Cli;

/// `zego-token man`.
pub(crate) fn run(ctx: &mut Ctx<'_>) -> Result<Outcome> {
    clap_mangen::Man::new(Cli::command()).render(ctx.out)?;
    Ok(Outcome::Success)
}
