//! The process's log subscriber: `log.level` and `log.format`, to stdout, through a
//! writer thread, so a request only formats its line and queues it.

use anyhow::Context;
use zego_token_server::config::{LogConfig, LogFormat};

use super::log_writer::{Batching, FlushGuard, batch_writer};

/// Installs the log subscriber through the batching writer of
/// [`log_writer`](super::log_writer): lines are written in the order they were queued,
/// none is dropped, and the returned guard writes out the queue when dropped. `None`
/// when a subscriber is set already (it is kept).
///
/// # Errors
///
/// A `log.level` that is not a filter (`config key `log.level``).
pub(super) fn init(log: &LogConfig) -> anyhow::Result<Option<FlushGuard>> {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_new(&log.level).context("config key `log.level`")?;
    // Colour only for a person at a terminal: never in files, pipes or log collectors.
    let ansi = std::io::IsTerminal::is_terminal(&std::io::stdout())
        && std::env::var_os("NO_COLOR").is_none();
    let (writer, guard) = batch_writer(std::io::stdout(), "zego-token-log", Batching::default())
        .context("starting the log writer thread")?;
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(ansi)
        .with_target(false)
        .with_writer(writer);
    let result = match log.format {
        LogFormat::Json => builder
            .json()
            .flatten_event(true)
            .with_current_span(true)
            .with_span_list(false)
            .try_init(),
        LogFormat::Text => builder.try_init(),
    };
    // Already initialised: keep that subscriber.
    Ok(result.ok().map(|()| guard))
}
