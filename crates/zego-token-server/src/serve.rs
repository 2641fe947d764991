//! Serving: plain or TLS listeners, graceful and bounded shutdown.
//!
//! [`serve`] runs the router on a [`ServiceListener`] until `shutdown` resolves. Then
//! `/readyz` turns 503, the listener stops accepting, idle keep-alive connections are
//! closed, and requests in flight finish, for at most `limits.shutdown_grace_seconds`
//! (each request is also bounded by `limits.request_timeout_ms`).
//!
//! TLS: a background task accepts TCP connections and runs each handshake in its own
//! task (bounded by a timeout), so a slow client cannot stall the accept loop; finished
//! handshakes are handed to the server through a channel.

use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::path::Path;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use axum::extract::connect_info::Connected;
use axum::serve::{IncomingStream, Listener};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{mpsc, oneshot};
use tokio::task::JoinHandle;
use tokio_rustls::TlsAcceptor;
use tokio_rustls::rustls;
use tokio_rustls::server::TlsStream;

use crate::config::ConfigError;
use crate::state::AppState;

/// The peer address of a connection (the `ConnectInfo` type of this service).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PeerAddr(pub SocketAddr);

/// A connection: plain TCP or TLS over TCP.
#[derive(Debug)]
pub enum Conn {
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
#[derive(Debug)]
pub struct ServiceListener {
    local: SocketAddr,
    inner: Inner,
}

#[derive(Debug)]
enum Inner {
    Plain(TcpListener),
    Tls {
        rx: mpsc::Receiver<(TlsStream<TcpStream>, SocketAddr)>,
        task: JoinHandle<()>,
    },
}

impl Drop for ServiceListener {
    fn drop(&mut self) {
        if let Inner::Tls { task, .. } = &self.inner {
            task.abort();
        }
    }
}

const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);

impl ServiceListener {
    /// Plain TCP.
    ///
    /// # Errors
    ///
    /// If the listener has no local address.
    pub fn plain(listener: TcpListener) -> io::Result<Self> {
        Ok(Self {
            local: listener.local_addr()?,
            inner: Inner::Plain(listener),
        })
    }

    /// TLS over TCP. Must be called inside a tokio runtime (it spawns the acceptor).
    ///
    /// # Errors
    ///
    /// If the listener has no local address.
    pub fn tls(listener: TcpListener, config: Arc<rustls::ServerConfig>) -> io::Result<Self> {
        let local = listener.local_addr()?;
        let acceptor = TlsAcceptor::from(config);
        let (tx, rx) = mpsc::channel(256);
        let task = tokio::spawn(async move {
            loop {
                let (tcp, addr) = match TcpListener::accept(&listener).await {
                    Ok(c) => c,
                    Err(e) => {
                        tracing::warn!(error = %e, "accept failed");
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        continue;
                    }
                };
                let acceptor = acceptor.clone();
                let sender = tx.clone();
                tokio::spawn(async move {
                    match tokio::time::timeout(HANDSHAKE_TIMEOUT, acceptor.accept(tcp)).await {
                        Ok(Ok(tls)) => {
                            let _ = sender.send((tls, addr)).await;
                        }
                        Ok(Err(e)) => {
                            tracing::debug!(peer = %addr, error = %e, "TLS handshake failed")
                        }
                        Err(_) => tracing::debug!(peer = %addr, "TLS handshake timed out"),
                    }
                });
                if tx.is_closed() {
                    break;
                }
            }
        });
        Ok(Self {
            local,
            inner: Inner::Tls { rx, task },
        })
    }

    /// Whether this listener speaks TLS.
    #[must_use]
    pub fn is_tls(&self) -> bool {
        matches!(self.inner, Inner::Tls { .. })
    }
}

impl From<TcpListener> for ServiceListener {
    fn from(listener: TcpListener) -> Self {
        let local = listener
            .local_addr()
            .unwrap_or_else(|_| SocketAddr::from(([0, 0, 0, 0], 0)));
        Self {
            local,
            inner: Inner::Plain(listener),
        }
    }
}

impl Listener for ServiceListener {
    type Io = Conn;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (Conn, SocketAddr) {
        match &mut self.inner {
            Inner::Plain(l) => loop {
                match TcpListener::accept(l).await {
                    Ok((s, a)) => {
                        let _ = s.set_nodelay(true);
                        return (Conn::Plain(s), a);
                    }
                    Err(e) => {
                        // EMFILE and friends: back off instead of spinning.
                        tracing::warn!(error = %e, "accept failed");
                        tokio::time::sleep(Duration::from_millis(50)).await;
                    }
                }
            },
            Inner::Tls { rx, .. } => match rx.recv().await {
                Some((s, a)) => {
                    let _ = s.get_ref().0.set_nodelay(true);
                    (Conn::Tls(Box::new(s)), a)
                }
                // The acceptor task ended: nothing more will come.
                None => std::future::pending().await,
            },
        }
    }

    fn local_addr(&self) -> io::Result<SocketAddr> {
        Ok(self.local)
    }
}

impl Connected<IncomingStream<'_, ServiceListener>> for PeerAddr {
    fn connect_info(stream: IncomingStream<'_, ServiceListener>) -> Self {
        Self(*stream.remote_addr())
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
    let certs = CertificateDer::pem_file_iter(cert_file)
        .and_then(Iterator::collect::<Result<Vec<_>, _>>)
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
    let key = PrivateKeyDer::from_pem_file(key_file).map_err(|e| {
        ConfigError::key(
            "tls.key_file",
            format!(
                "cannot read a PEM private key from {}: {e}",
                key_file.display()
            ),
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

/// Runs the service on `listener` until `shutdown` resolves, then drains (bounded by
/// `limits.shutdown_grace_seconds`).
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
    let listener = listener.into();
    let grace = state.shutdown_grace();
    let router = crate::app(state.clone());
    let (tx, rx) = oneshot::channel::<()>();
    let st = state.clone();
    let signal = async move {
        shutdown.await;
        st.set_draining();
        tracing::info!("shutting down: no new connections, draining requests in flight");
        let _ = tx.send(());
    };
    let server = axum::serve(
        listener,
        router.into_make_service_with_connect_info::<PeerAddr>(),
    )
    .with_graceful_shutdown(signal);
    let deadline = async move {
        if rx.await.is_ok() {
            tokio::time::sleep(grace).await;
        } else {
            std::future::pending::<()>().await;
        }
    };
    tokio::select! {
        r = server => r,
        () = deadline => {
            tracing::warn!(grace_seconds = grace.as_secs(), "drain time over; closing remaining connections");
            Ok(())
        }
    }
}
