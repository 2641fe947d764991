//! `zego-token serve`: the token service, run by [`crate::serve`].

use anyhow::Result;

use super::Outcome;
use crate::cli::ServeArgs;

/// `zego-token serve`. It takes no [`super::Ctx`]: the service logs from its worker
/// threads to stdout and stderr, so it must run without this thread holding their
/// locks, or the first log line deadlocks.
pub(crate) fn run(args: ServeArgs) -> Result<Outcome> {
    crate::serve::run(args)?;
    Ok(Outcome::Success)
}
