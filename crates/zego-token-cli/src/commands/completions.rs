//! `zego-token completions SHELL`: a shell completion script, from the clap definition.

use anyhow::Result;
use clap::CommandFactory;
use clap_complete::Shell;

use super::{Ctx, Outcome};
use crate::cli::Cli;

/// `zego-token completions`.
pub(crate) fn run(ctx: &mut Ctx<'_>, shell: Shell) -> Result<Outcome> {
    // clap_complete panics on a failed write: build the script, then write it, so a
    // closed pipe is the usual quiet exit.
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "zego-token", &mut script);
    ctx.out.write_all(&script)?;
    Ok(Outcome::Success)
}
