//! Serving: plain or TLS listeners, graceful and bounded shutdown.
//!
//! [`serve`] runs the router on a [`ServiceListener`] until `shutdown` resolves. Then
//! `/readyz` turns 503 at once while the listener keeps accepting and serving for
//! `limits.drain_delay_seconds` (so probes and load balancers see the 503 before the
//! port closes; [`serve_with_drain`] takes a second future that ends the delay early).
//! Then the listener stops accepting, idle keep-alive connections are closed, and
//! requests in flight finish, for at most `limits.shutdown_grace_seconds` (each request
//! is also bounded by `limits.request_timeout_ms`).
//!
//! Connections: the accept loop only accepts; each connection runs in its own task
//! (TLS handshake included, bounded by the header-read timeout), holds one of
//! `limits.max_connections` places, and is closed when idle for `limits.idle_timeout_ms`.
//! HTTP/1 heads must arrive within `limits.header_read_timeout_ms`; HTTP/2 has a small
//! stream count and bounded windows and header lists ([`ConnLimits`]).

use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::path::Path;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

use axum::extract::connect_info::Connected;
use axum::http::Request;
use axum::serve::IncomingStream;
use hyper::body::Incoming;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Semaphore, watch};
use tokio::task::JoinSet;
use tokio_rustls::TlsAcceptor;
use tokio_rustls::rustls;
use tokio_rustls::server::TlsStream;

use crate::config::ConfigError;
use crate::proxy::PeerAddr;
use crate::state::AppState;

/// A connection: plain TCP or TLS over TCP.
#[derive(Debug)]
pub(crate) enum Conn {
    /// Plain TCP.
    Plain(TcpStream),
    /// TLS.
    Tls(Box<TlsStream<TcpStream>>),
}

impl AsyncRead for Conn {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        match self.get_mut() {
            Self::Plain(s) => Pin::new(s).poll_read(cx, buf),
            Self::Tls(s) => Pin::new(s.as_mut()).poll_read(cx, buf),
        }
    }
}

impl AsyncWrite for Conn {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        match self.get_mut() {
            Self::Plain(s) => Pin::new(s).poll_write(cx, buf),
            Self::Tls(s) => Pin::new(s.as_mut()).poll_write(cx, buf),
        }
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match self.get_mut() {
            Self::Plain(s) => Pin::new(s).poll_flush(cx),
            Self::Tls(s) => Pin::new(s.as_mut()).poll_flush(cx),
        }
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match self.get_mut() {
            Self::Plain(s) => Pin::new(s).poll_shutdown(cx),
            Self::Tls(s) => Pin::new(s.as_mut()).poll_shutdown(cx),
        }
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        match self.get_mut() {
            Self::Plain(s) => Pin::new(s).poll_write_vectored(cx, bufs),
            Self::Tls(s) => Pin::new(s.as_mut()).poll_write_vectored(cx, bufs),
        }
    }

    fn is_write_vectored(&self) -> bool {
        match self {
            Self::Plain(s) => s.is_write_vectored(),
            Self::Tls(s) => s.is_write_vectored(),
        }
    }
}

/// A listener the service runs on: plain TCP, or TLS with a rustls config.
///
/// The TLS handshake runs in each connection's own task, after the connection has taken
/// its place under `limits.max_connections`, and is bounded by
/// `limits.header_read_timeout_ms`.
pub struct ServiceListener {
    local: SocketAddr,
    tcp: TcpListener,
    tls: Option<TlsAcceptor>,
}

impl std::fmt::Debug for ServiceListener {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ServiceListener")
            .field("local", &self.local)
            .field("tls", &self.tls.is_some())
            .finish()
    }
}

impl ServiceListener {
    /// Plain TCP.
    ///
    /// # Errors
    ///
    /// If the listener has no local address.
    pub fn plain(listener: TcpListener) -> io::Result<Self> {
        Ok(Self {
            local: listener.local_addr()?,
            tcp: listener,
            tls: None,
        })
    }

    /// TLS over TCP.
    ///
    /// # Errors
    ///
    /// If the listener has no local address.
    pub fn tls(listener: TcpListener, config: Arc<rustls::ServerConfig>) -> io::Result<Self> {
        Ok(Self {
            local: listener.local_addr()?,
            tcp: listener,
            tls: Some(TlsAcceptor::from(config)),
        })
    }

    /// Whether this listener speaks TLS.
    #[must_use]
    pub fn is_tls(&self) -> bool {
        self.tls.is_some()
    }

    /// The bound address.
    #[must_use]
    pub fn local_addr(&self) -> SocketAddr {
        self.local
    }
}

impl From<TcpListener> for ServiceListener {
    fn from(listener: TcpListener) -> Self {
        let local = listener
            .local_addr()
            .unwrap_or_else(|_| SocketAddr::from(([0, 0, 0, 0], 0)));
        Self {
            local,
            tcp: listener,
            tls: None,
        }
    }
}

impl Connected<IncomingStream<'_, TcpListener>> for PeerAddr {
    fn connect_info(stream: IncomingStream<'_, TcpListener>) -> Self {
        Self(*stream.remote_addr())
    }
}

/// Loads a rustls server config (ring provider, TLS 1.2 and 1.3, ALPN h2 and
/// http/1.1) from PEM files.
///
/// # Errors
///
/// [`ConfigError`] naming `tls.cert_file` or `tls.key_file`.
pub fn load_tls(
    cert_file: &Path,
    key_file: &Path,
) -> Result<Arc<rustls::ServerConfig>, ConfigError> {
    use rustls::pki_types::pem::PemObject;
    use rustls::pki_types::{CertificateDer, PrivateKeyDer};
    const MAX_PEM_BYTES: usize = 1024 * 1024;
    let cert_pem = crate::files::read_capped(cert_file, MAX_PEM_BYTES).map_err(|reason| {
        ConfigError::key("tls.cert_file", format!("{} {reason}", cert_file.display()))
    })?;
    let certs = CertificateDer::pem_slice_iter(&cert_pem)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| {
            ConfigError::key(
                "tls.cert_file",
                format!(
                    "cannot read PEM certificates from {}: {e}",
                    cert_file.display()
                ),
            )
        })?;
    if certs.is_empty() {
        return Err(ConfigError::key(
            "tls.cert_file",
            format!("{} holds no CERTIFICATE block", cert_file.display()),
        ));
    }
    // The key file's path is not shown: a key pasted into `key_file` must not be echoed.
    let key_pem =
        zeroize::Zeroizing::new(crate::files::read_capped(key_file, MAX_PEM_BYTES).map_err(
            |reason| ConfigError::key("tls.key_file", format!("the file it names {reason}")),
        )?);
    let key = PrivateKeyDer::from_pem_slice(&key_pem).map_err(|e| {
        ConfigError::key(
            "tls.key_file",
            format!("the file it names holds no usable PEM private key: {e}"),
        )
    })?;
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| ConfigError::key("tls", e.to_string()))?
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .map_err(|e| {
            ConfigError::key(
                "tls.key_file",
                format!("the key does not fit the certificate: {e}"),
            )
        })?;
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Ok(Arc::new(config))
}

/// The connection limits, fixed at start (from `[limits]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ConnLimits {
    /// Concurrent connections; beyond it a new connection is closed at once.
    pub max_connections: usize,
    /// Time for a request's head (HTTP/1, also the wait for the next request on a
    /// keep-alive connection) and for a TLS handshake.
    pub header_read_timeout: Duration,
    /// A connection with no request in flight for this long is closed (HTTP/1 and 2).
    pub idle_timeout: Duration,
    /// Request head size the service answers with its own JSON 431 above.
    pub max_header_bytes: usize,
    /// Header count the service answers with its own JSON 431 above.
    pub max_headers: usize,
    /// HTTP/2: streams at once per connection.
    pub h2_max_concurrent_streams: u32,
    /// HTTP/2: the receive window of one stream, bytes.
    pub h2_stream_window: u32,
    /// HTTP/2: the receive window of one connection, bytes.
    pub h2_connection_window: u32,
}

/// How often `accept failed` / `connection limit reached` warnings may be logged.
const WARN_EVERY: Duration = Duration::from_secs(5);

/// At most one warning per [`WARN_EVERY`], with the count of those suppressed.
#[derive(Debug, Default)]
struct Throttle {
    last: std::sync::Mutex<Option<std::time::Instant>>,
    suppressed: AtomicU64,
}

impl Throttle {
    /// `Some(suppressed since the last one)` when a warning may be logged now.
    fn allow(&self) -> Option<u64> {
        let mut last = self
            .last
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let now = std::time::Instant::now();
        if last.is_some_and(|t| now.duration_since(t) < WARN_EVERY) {
            self.suppressed.fetch_add(1, Ordering::Relaxed);
            return None;
        }
        *last = Some(now);
        Some(self.suppressed.swap(0, Ordering::Relaxed))
    }
}

/// Requests in flight on one connection, and when the last one ended.
#[derive(Debug)]
struct Activity {
    base: tokio::time::Instant,
    active: AtomicUsize,
    /// Milliseconds after `base` when the connection last went idle.
    idle_since: AtomicU64,
}

impl Activity {
    fn new() -> Self {
        Self {
            base: tokio::time::Instant::now(),
            active: AtomicUsize::new(0),
            idle_since: AtomicU64::new(0),
        }
    }

    fn begin(self: &Arc<Self>) -> ActiveGuard {
        self.active.fetch_add(1, Ordering::SeqCst);
        ActiveGuard(self.clone())
    }

    /// When the connection will have been idle for `idle`, if nothing starts meanwhile.
    fn idle_deadline(&self, idle: Duration) -> tokio::time::Instant {
        if self.active.load(Ordering::SeqCst) > 0 {
            return tokio::time::Instant::now() + idle;
        }
        self.base + Duration::from_millis(self.idle_since.load(Ordering::SeqCst)) + idle
    }

    fn idle_for(&self, idle: Duration) -> bool {
        self.active.load(Ordering::SeqCst) == 0
            && tokio::time::Instant::now() >= self.idle_deadline(idle)
    }
}

struct ActiveGuard(Arc<Activity>);

impl Drop for ActiveGuard {
    fn drop(&mut self) {
        let ms = u64::try_from(self.0.base.elapsed().as_millis()).unwrap_or(u64::MAX);
        self.0.idle_since.store(ms, Ordering::SeqCst);
        self.0.active.fetch_sub(1, Ordering::SeqCst);
    }
}

fn http_builder(limits: &ConnLimits) -> auto::Builder<TokioExecutor> {
    let mut b = auto::Builder::new(TokioExecutor::new());
    // hyper's own limits sit above the service's (which answer with the JSON error
    // shape), so hyper's empty-bodied 431 is only for heads far beyond them.
    b.http1()
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_read_timeout)
        .max_headers(limits.max_headers.saturating_mul(2).max(16))
        .max_buf_size(limits.max_header_bytes.saturating_mul(2).max(8192))
        .keep_alive(true);
    b.http2()
        .timer(TokioTimer::new())
        .max_concurrent_streams(limits.h2_max_concurrent_streams)
        .initial_stream_window_size(limits.h2_stream_window)
        .initial_connection_window_size(limits.h2_connection_window)
        .adaptive_window(false)
        .max_frame_size(16_384)
        .max_header_list_size(
            u32::try_from(limits.max_header_bytes.saturating_mul(2)).unwrap_or(u32::MAX),
        )
        .max_send_buf_size(64 * 1024)
        .max_pending_accept_reset_streams(Some(20))
        .max_local_error_reset_streams(Some(256))
        .keep_alive_interval(None);
    b
}

/// The soft limit on open files of this process (Linux `/proc/self/limits`).
fn open_files_limit() -> Option<usize> {
    let text = std::fs::read_to_string("/proc/self/limits").ok()?;
    let line = text.lines().find(|l| l.starts_with("Max open files"))?;
    line.split_whitespace().nth(3)?.parse().ok()
}

/// File descriptors kept free for everything but client connections (listeners, JWKS
/// fetches, files, the metrics listener).
const FD_HEADROOM: usize = 64;

/// `max_connections`, lowered to fit the open-files limit (with a warning), so the
/// cap is reached before `accept` starts failing with EMFILE.
fn effective_max_connections(configured: usize) -> usize {
    match open_files_limit() {
        Some(limit) if limit.saturating_sub(FD_HEADROOM) < configured => {
            let n = limit.saturating_sub(FD_HEADROOM).max(1);
            tracing::warn!(
                configured,
                open_files_limit = limit,
                using = n,
                "limits.max_connections is above what the open-files limit allows; raise `ulimit -n` (LimitNOFILE=) to use it"
            );
            n
        }
        _ => configured.max(1),
    }
}

/// Runs the service on `listener` until `shutdown` resolves, then drains: the drain
/// delay (`limits.drain_delay_seconds`), then the bounded drain of requests in flight
/// (`limits.shutdown_grace_seconds`).
///
/// Each connection holds one of `limits.max_connections` places; a connection beyond
/// them is closed at once (the ones already served are not touched). HTTP/1 and HTTP/2
/// (h2c, or h2 by ALPN over TLS) are served with the limits of `[limits]`.
///
/// The delay always runs in full here; [`serve_with_drain`] can end it early.
///
/// # Errors
///
/// I/O errors of the server.
pub async fn serve<F>(
    state: AppState,
    listener: impl Into<ServiceListener>,
    shutdown: F,
) -> io::Result<()>
where
    F: Future<Output = ()> + Send + 'static,
{
    serve_with_drain(state, listener, shutdown, std::future::pending()).await
}

/// As [`serve`], with a second future that ends the drain delay early (what a second
/// `SIGTERM` or `SIGINT` does in `zego-token serve`).
///
/// When `shutdown` resolves, `/readyz` answers 503 `draining` (and the
/// `zego_token_draining` gauge turns 1) while the listener keeps accepting and serving
/// as before, for `limits.drain_delay_seconds` (read from the config in force at that
/// moment) or until `end_delay` resolves, whichever comes first: load balancers and
/// readiness probes see the 503 and stop routing here before the port closes. Then
/// the listener closes, idle keep-alive connections are closed, a request in flight
/// gets `Connection: close` on its response (HTTP/2: `GOAWAY`), and requests in flight
/// finish within `limits.shutdown_grace_seconds`. `end_delay` is only polled once the
/// delay has begun; if it resolved before, the delay is skipped.
///
/// # Errors
///
/// I/O errors of the server.
pub async fn serve_with_drain<F, E>(
    state: AppState,
    listener: impl Into<ServiceListener>,
    shutdown: F,
    end_delay: E,
) -> io::Result<()>
where
    F: Future<Output = ()> + Send + 'static,
    E: Future<Output = ()> + Send + 'static,
{
    let listener = listener.into();
    let grace = state.shutdown_grace();
    let limits = state.conn_limits();
    let max = effective_max_connections(limits.max_connections);
    let places = Arc::new(Semaphore::new(max));
    let builder = Arc::new(http_builder(&limits));
    let router = crate::app(state.clone());
    let (stop_tx, stop_rx) = watch::channel(false);
    let refused = Arc::new(Throttle::default());
    let accept_failed = Throttle::default();
    let mut tasks = JoinSet::new();
    let mut shutdown = std::pin::pin!(shutdown);
    let mut end_delay = std::pin::pin!(end_delay);
    // Set when `shutdown` resolves: the end of the drain delay, while still accepting.
    let mut delay_until: Option<tokio::time::Instant> = None;
    let mut cut_short = false;
    loop {
        while tasks.try_join_next().is_some() {}
        let draining = delay_until.is_some();
        let (tcp, peer) = tokio::select! {
            () = &mut shutdown, if !draining => {
                state.set_draining();
                let delay = Duration::from_secs(state.snapshot().config.limits.drain_delay_seconds);
                delay_until = Some(tokio::time::Instant::now() + delay);
                if delay.is_zero() {
                    tracing::info!(drain_delay_seconds = 0, "draining: /readyz answers 503; no drain delay");
                    break;
                }
                tracing::info!(
                    drain_delay_seconds = delay.as_secs(),
                    "draining: /readyz answers 503; still accepting and serving until the drain delay ends"
                );
                continue;
            }
            () = sleep_until_opt(delay_until), if draining => break,
            () = &mut end_delay, if draining => {
                cut_short = true;
                break;
            }
            r = listener.tcp.accept() => match r {
                Ok(c) => c,
                Err(e) => {
                    // EMFILE and friends: back off instead of spinning, and log once in
                    // a while, not once per attempt.
                    if let Some(n) = accept_failed.allow() {
                        tracing::warn!(error = %e, suppressed = n, "accept failed");
                    }
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
        };
        let Ok(place) = places.clone().try_acquire_owned() else {
            // Full: close at once (the client sees a reset or EOF, not a hang).
            drop(tcp);
            state.metrics().connection_refused();
            if let Some(n) = refused.allow() {
                tracing::warn!(
                    max_connections = max,
                    suppressed = n,
                    "connection limit reached; new connections are closed"
                );
            }
            continue;
        };
        let _ = tcp.set_nodelay(true);
        let conn = Connection {
            state: state.clone(),
            router: router.clone(),
            builder: builder.clone(),
            tls: listener.tls.clone(),
            limits,
            stop: stop_rx.clone(),
        };
        tasks.spawn(async move {
            let _place = place;
            let st = conn.state.clone();
            let _open = OpenConnection::new(&st);
            conn.run(tcp, peer).await;
        });
    }
    drop(listener);
    tracing::info!(
        grace_seconds = grace.as_secs(),
        drain_delay_cut_short = cut_short,
        "shutting down: no new connections, draining requests in flight"
    );
    let _ = stop_tx.send(true);
    let drained = async { while tasks.join_next().await.is_some() {} };
    if tokio::time::timeout(grace, drained).await.is_err() {
        tracing::warn!(
            grace_seconds = grace.as_secs(),
            "drain time over; closing remaining connections"
        );
        tasks.abort_all();
    }
    Ok(())
}

/// Counts a connection in the `connections_open` gauge while alive.
struct OpenConnection<'a>(&'a AppState);

impl<'a> OpenConnection<'a> {
    fn new(state: &'a AppState) -> Self {
        state.metrics().connection_opened();
        Self(state)
    }
}

impl Drop for OpenConnection<'_> {
    fn drop(&mut self) {
        self.0.metrics().connection_closed();
    }
}

/// What one connection's task needs.
struct Connection {
    state: AppState,
    router: axum::Router,
    builder: Arc<auto::Builder<TokioExecutor>>,
    tls: Option<TlsAcceptor>,
    limits: ConnLimits,
    stop: watch::Receiver<bool>,
}

impl Connection {
    async fn run(self, tcp: TcpStream, peer: SocketAddr) {
        let io = match &self.tls {
            None => Conn::Plain(tcp),
            Some(acceptor) => {
                match tokio::time::timeout(self.limits.header_read_timeout, acceptor.accept(tcp))
                    .await
                {
                    Ok(Ok(tls)) => Conn::Tls(Box::new(tls)),
                    Ok(Err(e)) => {
                        tracing::debug!(peer = %peer, error = %e, "TLS handshake failed");
                        return;
                    }
                    Err(_) => {
                        tracing::debug!(peer = %peer, "TLS handshake timed out");
                        return;
                    }
                }
            }
        };
        let activity = Arc::new(Activity::new());
        let router = self.router.clone();
        let act = activity.clone();
        let service = hyper::service::service_fn(move |req: Request<Incoming>| {
            let guard = act.begin();
            let mut req = req.map(axum::body::Body::new);
            req.extensions_mut()
                .insert(axum::extract::ConnectInfo(PeerAddr(peer)));
            let router = router.clone();
            async move {
                let resp = tower::ServiceExt::oneshot(router, req).await;
                drop(guard);
                resp
            }
        });
        let conn = self.builder.serve_connection(TokioIo::new(io), service);
        let mut conn = std::pin::pin!(conn);
        let mut stop = self.stop;
        let mut stopped = *stop.borrow();
        let idle = self.limits.idle_timeout;
        // After a graceful close begins on an idle connection, the client gets this long
        // to take it (HTTP/2 GOAWAY) before the socket is dropped.
        let mut closing_since: Option<tokio::time::Instant> = None;
        if stopped {
            conn.as_mut().graceful_shutdown();
        }
        loop {
            let idle_at = activity.idle_deadline(idle);
            let hard_close = closing_since.map(|t| t + Duration::from_secs(1));
            tokio::select! {
                r = conn.as_mut() => {
                    if let Err(e) = r {
                        tracing::debug!(peer = %peer, error = %e, "connection ended with an error");
                    }
                    return;
                }
                changed = stop.changed(), if !stopped => {
                    // The drain is bounded by `serve`; keep polling the connection.
                    stopped = true;
                    if changed.is_ok() {
                        conn.as_mut().graceful_shutdown();
                    }
                }
                () = tokio::time::sleep_until(idle_at), if closing_since.is_none() => {
                    if activity.idle_for(idle) {
                        tracing::debug!(peer = %peer, "idle connection closed");
                        conn.as_mut().graceful_shutdown();
                        closing_since = Some(tokio::time::Instant::now());
                    }
                }
                () = sleep_until_opt(hard_close) => return,
            }
        }
    }
}

async fn sleep_until_opt(at: Option<tokio::time::Instant>) {
    match at {
        Some(t) => tokio::time::sleep_until(t).await,
        None => std::future::pending().await,
    }
}

// The service's own settings for an `AppState`, read at start.
impl AppState {
    /// The connection limits of this state's config (fixed at start).
    #[must_use]
    pub(crate) fn conn_limits(&self) -> ConnLimits {
        let l = &self.snapshot().config.limits;
        ConnLimits {
            max_connections: l.max_connections,
            header_read_timeout: Duration::from_millis(l.header_read_timeout_ms),
            idle_timeout: Duration::from_millis(l.idle_timeout_ms),
            max_header_bytes: l.max_header_bytes,
            max_headers: l.max_headers,
            h2_max_concurrent_streams: l.h2_max_concurrent_streams,
            h2_stream_window: l.h2_stream_window_bytes,
            h2_connection_window: l.h2_connection_window_bytes,
        }
    }
}
