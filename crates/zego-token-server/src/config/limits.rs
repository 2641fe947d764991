//! `[limits]`: body and header sizes, timeouts, connections, HTTP/2 windows, drain
//! delay and shutdown grace.

use serde::Deserialize;

use super::ConfigError;

/// The largest `limits.drain_delay_seconds`.
pub const MAX_DRAIN_DELAY_SECONDS: u64 = 300;

/// Body size, timeouts and shutdown.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
#[non_exhaustive]
pub struct LimitsConfig {
    /// Largest request body, bytes. Default 65536.
    pub body_limit_bytes: usize,
    /// Per-request timeout, milliseconds. Default 10000.
    pub request_timeout_ms: u64,
    /// How long shutdown waits for in-flight requests, seconds. Default 10.
    pub shutdown_grace_seconds: u64,
    /// After SIGTERM/SIGINT (or the embedder's shutdown future), how long `/readyz`
    /// answers 503 `draining` while the listener still accepts and serves, so load
    /// balancers and readiness probes see the 503 and stop routing before the port
    /// closes; a second signal ends it early. Then the drain of
    /// `shutdown_grace_seconds` starts. At most 300. Default 5 (`serve --dev`: 0).
    pub drain_delay_seconds: u64,
    /// Time for a request head to arrive (HTTP/1; also the longest wait for the next
    /// request on a keep-alive connection) and for a TLS handshake, milliseconds.
    /// Default 10000.
    pub header_read_timeout_ms: u64,
    /// A connection with no request in flight for this long is closed, milliseconds
    /// (HTTP/1 and HTTP/2). Default 10000.
    pub idle_timeout_ms: u64,
    /// Concurrent client connections; beyond it new connections are closed at once.
    /// Lowered at start to fit the open-files limit. Default 1024.
    pub max_connections: usize,
    /// Largest request head (request line and headers), bytes; above it 431. Default
    /// 16384.
    pub max_header_bytes: usize,
    /// Most headers in a request; above it 431. Default 64.
    pub max_headers: usize,
    /// Bytes of request bodies held in memory at once, over all requests (each body
    /// is read only after its caller is authenticated); above it 503. Default 16 MiB.
    pub max_buffered_bytes: usize,
    /// HTTP/2: streams at once per connection. Default 16.
    pub h2_max_concurrent_streams: u32,
    /// HTTP/2: receive window of a stream, bytes. Default 65535.
    pub h2_stream_window_bytes: u32,
    /// HTTP/2: receive window of a connection, bytes. Default 262144.
    pub h2_connection_window_bytes: u32,
}

impl Default for LimitsConfig {
    fn default() -> Self {
        Self {
            body_limit_bytes: 64 * 1024,
            request_timeout_ms: 10_000,
            shutdown_grace_seconds: 10,
            drain_delay_seconds: 5,
            header_read_timeout_ms: 10_000,
            idle_timeout_ms: 10_000,
            max_connections: 1024,
            max_header_bytes: 16 * 1024,
            max_headers: 64,
            max_buffered_bytes: 16 * 1024 * 1024,
            h2_max_concurrent_streams: 16,
            h2_stream_window_bytes: 65_535,
            h2_connection_window_bytes: 256 * 1024,
        }
    }
}

impl LimitsConfig {
    /// `limits.*`: each value in its range; the body limit at least 256 bytes and no
    /// more than the buffer budget.
    pub(crate) fn check(&self) -> Result<(), ConfigError> {
        if self.body_limit_bytes < 256 {
            return Err(ConfigError::key(
                "limits.body_limit_bytes",
                "must be at least 256",
            ));
        }
        if self.request_timeout_ms == 0 {
            return Err(ConfigError::key(
                "limits.request_timeout_ms",
                "must be more than 0",
            ));
        }
        let l = self;
        let range = |key: &'static str, v: u64, lo: u64, hi: u64| {
            if (lo..=hi).contains(&v) {
                Ok(())
            } else {
                Err(ConfigError::key(
                    format!("limits.{key}"),
                    format!("must be between {lo} and {hi}"),
                ))
            }
        };
        let n = |v: usize| u64::try_from(v).unwrap_or(u64::MAX);
        range(
            "header_read_timeout_ms",
            l.header_read_timeout_ms,
            100,
            3_600_000,
        )?;
        range("idle_timeout_ms", l.idle_timeout_ms, 100, 86_400_000)?;
        // The drain runs after the delay, so a stop takes up to delay + grace: the
        // supervisor's kill timeout (Kubernetes terminationGracePeriodSeconds, systemd
        // TimeoutStopSec) must be longer than both together.
        range(
            "drain_delay_seconds",
            l.drain_delay_seconds,
            0,
            MAX_DRAIN_DELAY_SECONDS,
        )?;
        range("max_connections", n(l.max_connections), 1, 1_000_000)?;
        range("max_header_bytes", n(l.max_header_bytes), 1024, 1024 * 1024)?;
        range("max_headers", n(l.max_headers), 8, 1000)?;
        range(
            "max_buffered_bytes",
            n(l.max_buffered_bytes),
            n(l.body_limit_bytes),
            1 << 40,
        )?;
        range(
            "h2_max_concurrent_streams",
            u64::from(l.h2_max_concurrent_streams),
            1,
            1000,
        )?;
        range(
            "h2_stream_window_bytes",
            u64::from(l.h2_stream_window_bytes),
            1024,
            (1 << 31) - 1,
        )?;
        range(
            "h2_connection_window_bytes",
            u64::from(l.h2_connection_window_bytes),
            65_535,
            (1 << 31) - 1,
        )?;
        Ok(())
    }
}
