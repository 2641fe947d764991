//! The signals `serve` answers: `SIGTERM` and `SIGINT` drain and stop the service,
//! `SIGHUP` reloads its config.

use std::future::Future;
use std::net::SocketAddr;
use std::path::PathBuf;

use zego_token_server::{AppState, reload_from_env, reload_from_file};

/// On each `SIGHUP`: [`reload_from_file`] with `path`, or [`reload_from_env`] without
/// one, applying the `--listen` flag again; the outcome is logged. Not on Windows.
pub(super) fn spawn_reloader(state: AppState, path: Option<PathBuf>, listen: Option<SocketAddr>) {
    #[cfg(unix)]
    tokio::spawn(async move {
        use tokio::signal::unix::{SignalKind, signal};
        let Ok(mut hup) = signal(SignalKind::hangup()) else {
            tracing::warn!("cannot install the SIGHUP handler; reload is off");
            return;
        };
        while hup.recv().await.is_some() {
            let result = match &path {
                Some(p) => reload_from_file(&state, p, listen).await,
                None => reload_from_env(&state, listen).await,
            };
            match result {
                Ok(restart) if restart.is_empty() => tracing::info!("config reloaded"),
                Ok(restart) => tracing::warn!(
                    needs_restart = ?restart,
                    "config reloaded; changes to these keys take effect only after a restart"
                ),
                Err(e) => tracing::error!(
                    error = %e,
                    "config reload refused; the previous config keeps serving"
                ),
            }
        }
    });
    #[cfg(not(unix))]
    {
        let _ = (state, path, listen);
    }
}

/// `SIGTERM` and `SIGINT`, counted: the first future resolves at the first signal (the
/// drain begins), the second at the next one (the drain delay ends early). The handlers
/// are installed when this is called (inside the runtime), not when first polled.
pub(super) fn shutdown() -> (
    impl Future<Output = ()> + Send + 'static,
    impl Future<Output = ()> + Send + 'static,
) {
    let (tx, rx) = tokio::sync::watch::channel(0_u32);
    #[cfg(unix)]
    let handlers = {
        use tokio::signal::unix::{SignalKind, signal};
        (
            signal(SignalKind::terminate()),
            signal(SignalKind::interrupt()),
        )
    };
    tokio::spawn(async move {
        #[cfg(unix)]
        {
            let installed = |r: std::io::Result<tokio::signal::unix::Signal>, name: &str| {
                r.map_err(|e| tracing::warn!(error = %e, "cannot install the {name} handler"))
                    .ok()
            };
            let mut term = installed(handlers.0, "SIGTERM");
            let mut int = installed(handlers.1, "SIGINT");
            async fn recv(s: &mut Option<tokio::signal::unix::Signal>) -> Option<()> {
                match s {
                    Some(s) => s.recv().await,
                    None => std::future::pending().await,
                }
            }
            loop {
                let got = tokio::select! {
                    got = recv(&mut term) => got,
                    got = recv(&mut int) => got,
                };
                // `None`: the runtime is shutting down; nothing more will arrive.
                if got.is_none() {
                    return std::future::pending().await;
                }
                tx.send_modify(|n| *n += 1);
            }
        }
        #[cfg(not(unix))]
        loop {
            if tokio::signal::ctrl_c().await.is_err() {
                return std::future::pending().await;
            }
            tx.send_modify(|n| *n += 1);
        }
    });
    let nth = |n: u32| {
        let mut rx = rx.clone();
        async move {
            // The sender lives as long as the signal task, which never ends.
            let _ = rx.wait_for(|&seen| seen >= n).await;
        }
    };
    (nth(1), nth(2))
}
