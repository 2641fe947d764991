//! `zego-token serve` without the CLI crate: the same flags, for the load benchmark
//! and for trying the service from this crate alone.
//!
//! ```text
//! cargo run -p zego-token-server --example serve -- --dev
//! ```

use std::process::ExitCode;

use clap::Parser;
use zego_token_server::{ServeArgs, run};

/// Runs the token service.
#[derive(Debug, Parser)]
#[command(name = "zego-token-serve")]
struct Cli {
    #[command(flatten)]
    serve: ServeArgs,
}

fn main() -> ExitCode {
    match run(Cli::parse().serve) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("zego-token: {e:#}");
            ExitCode::from(2)
        }
    }
}
