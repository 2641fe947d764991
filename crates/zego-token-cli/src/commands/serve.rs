//! `zego-token serve`: the token service, run by the server crate.

use anyhow::Result;
use zego_token_server::ServeArgs;

use super::Outcome;

/// `zego-token serve`. It takes no [`super::Ctx`]: the service logs from its worker
/// threads to stdout and stderr, so it must run without this thread holding their
/// locks, or the first log line deadlocks.
pub(crate) fn run(args: ServeArgs) -> Result<Outcome> {
    zego_token_server::run(args)?;
    Ok(Outcome::Success)
}
