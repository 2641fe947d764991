//! The process's log subscriber: `log.level` and `log.format`, to stdout, through a
//! writer thread, so a request only formats its line and queues it.

use anyhow::Context;
use tracing_appender::non_blocking::{NonBlockingBuilder, WorkerGuard};
use zego_token_server::config::{LogConfig, LogFormat};

/// Most log lines queued for the writer thread; when it falls this far behind, a
/// request waits for room (lines are never dropped).
const LOG_QUEUE_LINES: usize = 16 * 1024;

/// Installs the log subscriber through `tracing-appender`'s non-blocking writer, in its
/// lossless mode. Lines are written in the order they were queued, in batches (one
/// `write` for whatever is queued); the returned guard writes out the queue when
/// dropped. `None` when a subscriber is set already (it is kept).
///
/// # Errors
///
/// A `log.level` that is not a filter (`config key `log.level``).
pub(super) fn init(log: &LogConfig) -> anyhow::Result<Option<WorkerGuard>> {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_new(&log.level).context("config key `log.level`")?;
    // Colour only for a person at a terminal: never in files, pipes or log collectors.
    let ansi = std::io::IsTerminal::is_terminal(&std::io::stdout())
        && std::env::var_os("NO_COLOR").is_none();
    let (writer, guard) = NonBlockingBuilder::default()
        .lossy(false)
        .buffered_lines_limit(LOG_QUEUE_LINES)
        .thread_name("zego-token-log")
        .finish(std::io::BufWriter::with_capacity(
            64 * 1024,
            std::io::stdout(),
        ));
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
