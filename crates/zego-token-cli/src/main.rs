//! `zego-token`: generate, inspect and verify ZEGO token04 tokens, and tell why a token
//! fails. A thin layer over the `zego_token` library.
//!
//! # Layout
//!
//! * `cli.rs`: the clap definition (the help text lives there);
//! * `input.rs`: the secret (stdin, file, environment, demo) and the token (argument
//!   or stdin);
//! * `commands/`: a file per subcommand, each a `run` function returning an
//!   [`Outcome`] (what the command concluded); shared steps in `mint.rs` and `read.rs`;
//! * `output/`: a file per command with its printers, human and `--json`, and the
//!   output types; dates, durations and error descriptions;
//! * `serve/`: the process around the service of `zego_token_server` (config source,
//!   `--dev`, runtime, log subscriber, banner, signals), a file per concern;
//! * this file: `main`, the only place exit statuses are chosen.

mod cli;
mod commands;
mod input;
mod output;
mod serve;

use std::io::{self, Write};
use std::process::ExitCode;

use clap::parser::ValueSource;
use clap::{CommandFactory, FromArgMatches};

use crate::cli::{Cli, Command};
use crate::commands::{Ctx, Outcome};
use crate::input::Env;

/// Exit status: success, or the token is valid.
const EXIT_OK: u8 = 0;
/// Exit status: the token was checked and rejected, or the probed service is unhealthy.
const EXIT_REJECTED: u8 = 1;
/// Exit status: usage error, I/O error, internal error.
const EXIT_ERROR: u8 = 2;

fn main() -> ExitCode {
    let matches = match Cli::command().try_get_matches() {
        Ok(m) => m,
        Err(e) => return clap_exit(&e),
    };
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(c) => c,
        Err(e) => return clap_exit(&e),
    };
    let app_id_from_env = matches.subcommand().is_some_and(|(_, sub)| {
        sub.try_contains_id("app_id").unwrap_or(false)
            && sub.value_source("app_id") == Some(ValueSource::EnvVariable)
    });
    let result = match cli.command {
        // Without the locked streams: see `commands::serve`.
        Command::Serve(args) => commands::serve::run(args),
        command => {
            let (stdin, stdout, stderr) = (io::stdin(), io::stdout(), io::stderr());
            let mut ctx = Ctx {
                stdin: &mut stdin.lock(),
                out: &mut stdout.lock(),
                err: &mut stderr.lock(),
                env: Env::from_process(),
                app_id_from_env,
            };
            run(&mut ctx, &command).and_then(|o| {
                ctx.out.flush()?;
                Ok(o)
            })
        }
    };
    match result {
        Ok(Outcome::Success) => ExitCode::from(EXIT_OK),
        Ok(Outcome::Rejected) => ExitCode::from(EXIT_REJECTED),
        Err(e) if is_broken_pipe(&e) => ExitCode::from(EXIT_OK),
        Err(e) => {
            // If stderr itself is gone there is nobody left to tell.
            let _ = writeln!(io::stderr(), "zego-token: {e:#}");
            ExitCode::from(EXIT_ERROR)
        }
    }
}

/// Runs one subcommand.
fn run(ctx: &mut Ctx<'_>, command: &Command) -> anyhow::Result<Outcome> {
    match command {
        Command::Generate(a) => commands::generate::run(ctx, a),
        Command::Inspect(a) => commands::inspect::run(ctx, a),
        Command::Verify(a) => commands::verify::run(ctx, a),
        Command::KitToken(a) => commands::kit_token::run(ctx, a),
        Command::Healthcheck(a) => commands::healthcheck::run(ctx, a),
        Command::Completions { shell } => commands::completions::run(ctx, *shell),
        Command::Man => commands::man::run(ctx),
        // Dispatched in `main`, without the locked streams.
        Command::Serve(_) => anyhow::bail!("internal error: serve is not run with locked streams"),
    }
}

/// Prints clap's message (help, version or usage error) and picks the status: 0 for
/// help and version, 2 for usage errors.
fn clap_exit(e: &clap::Error) -> ExitCode {
    let _ = e.print();
    if e.use_stderr() {
        ExitCode::from(EXIT_ERROR)
    } else {
        ExitCode::from(EXIT_OK)
    }
}

/// Whether the error is a write to a closed pipe (`zego-token ... | head`): not a
/// failure of this program.
fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<io::Error>()
            .is_some_and(|io| io.kind() == io::ErrorKind::BrokenPipe)
    })
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    #[test]
    fn clap_definition_is_consistent() {
        super::Cli::command().debug_assert();
    }
}
