//! `zego-token serve`: the process around the service of `zego_token_server`: where the
//! config comes from, the tokio runtime, the log subscriber, the listeners, the dev
//! banner and the signals. The service itself (router, connection loop, drain, reload)
//! is the server crate's; this module only starts it and stops it.
//!
//! Config: `--config FILE` (then the `ZEGO_TOKEN_…` variables on top), or, without it,
//! the `ZEGO_TOKEN_…` variables alone when at least one is set (a container with no
//! file); with neither, `serve` refuses to start and says how to give a config
//! ([`config`]). `--dev` builds a local one instead ([`dev`]).
//!
//! Signals ([`signals`]): `SIGHUP` re-reads the config file (or, env-only, the secret
//! files) and swaps apps, keys and policies in (an invalid file is refused and logged;
//! the old config keeps serving); `SIGTERM` and `SIGINT` turn `/readyz` to 503 while
//! still serving for `limits.drain_delay_seconds` (a second one ends that delay), then
//! stop accepting, drain (bounded) and return `Ok`, so the process exits 0.
//!
//! * [`config`]: the production config (file, or variables alone);
//! * [`dev`]: `--dev`'s config and API key;
//! * [`banner`]: what `--dev` prints to stderr at start;
//! * [`logging`]: the log subscriber and its writer thread;
//! * [`signals`]: `SIGTERM`/`SIGINT` (drain) and `SIGHUP` (reload).

mod banner;
mod config;
mod dev;
mod logging;
mod signals;

use std::io::Write;

use anyhow::Context;
use zego_token_server::config::EXAMPLE_CONFIG;
use zego_token_server::{AppState, Env, ServiceListener, load_tls, serve_with_drain};

use crate::cli::ServeArgs;

/// Runs `zego-token serve` until SIGTERM/SIGINT. Builds its own tokio runtime.
///
/// # Errors
///
/// Bad flags or config (the message names the key and the fix), a listener that
/// cannot bind, or a server I/O error.
pub(crate) fn run(args: ServeArgs) -> anyhow::Result<()> {
    run_with_env(args, Env::from_process())
}

fn run_with_env(args: ServeArgs, env: Env) -> anyhow::Result<()> {
    if args.print_example_config {
        let mut out = std::io::stdout().lock();
        out.write_all(EXAMPLE_CONFIG.as_bytes())?;
        return Ok(());
    }
    let mut dev_key = None;
    let mut config = if args.dev {
        let (config, key) = dev::config(args.listen, &env)?;
        dev_key = Some(key);
        config
    } else {
        config::production(args.config.as_deref(), &env)?
    };
    if let Some(l) = args.listen {
        config.listen = l;
    }
    let mut rt = tokio::runtime::Builder::new_multi_thread();
    rt.enable_all();
    if let Some(n) = args.workers {
        rt.worker_threads(n.max(1));
    }
    let rt = rt.build().context("starting the async runtime")?;
    rt.block_on(async move {
        let state = AppState::new(&config, &env).await?;
        let tls = match (&config.tls.cert_file, &config.tls.key_file) {
            (Some(c), Some(k)) => Some(load_tls(c, k)?),
            _ => None,
        };
        if args.check_config {
            println!(
                "config OK: {} app(s), {} API key(s), {} JWT issuer(s), listen {}{}",
                config.apps.len(),
                config.api_keys.len(),
                config.jwt_issuers.len(),
                config.listen,
                if tls.is_some() { " (TLS)" } else { "" }
            );
            return Ok(());
        }
        // Held until the server has drained: dropping it writes out every line queued.
        let _log_guard = logging::init(&config.log)?;
        let tcp = tokio::net::TcpListener::bind(config.listen)
            .await
            .with_context(|| {
                format!(
                    "cannot listen on {} (key `listen` or --listen)",
                    config.listen
                )
            })?;
        let local = tcp.local_addr()?;
        let listener = match tls {
            Some(t) => ServiceListener::tls(tcp, t)?,
            None => ServiceListener::plain(tcp)?,
        };
        if let Some(key) = &dev_key {
            banner::print(local, &config, key);
        }
        if config.metrics.enabled
            && let Some(addr) = config.metrics.listen
        {
            let ml = tokio::net::TcpListener::bind(addr)
                .await
                .with_context(|| format!("cannot listen on {addr} (key `metrics.listen`)"))?;
            let router = zego_token_server::metrics_app(state.clone());
            tokio::spawn(async move {
                if let Err(e) = axum::serve(ml, router).await {
                    tracing::error!(error = %e, "metrics listener failed");
                }
            });
            tracing::info!(%addr, "metrics listening");
        }
        if !args.dev {
            signals::spawn_reloader(state.clone(), args.config.clone(), args.listen);
        }
        // Installed before the `listening` line, so a signal sent once it shows is ours.
        let (shutdown, end_delay) = signals::shutdown();
        tracing::info!(
            addr = %local,
            tls = listener.is_tls(),
            apps = config.apps.len(),
            api_keys = config.api_keys.len(),
            jwt_issuers = config.jwt_issuers.len(),
            "listening"
        );
        serve_with_drain(state, listener, shutdown, end_delay).await?;
        tracing::info!("stopped");
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use clap::{CommandFactory, Parser};
    use std::net::SocketAddr;

    use super::*;

    #[derive(Debug, Parser)]
    struct Cli {
        #[command(flatten)]
        serve: ServeArgs,
    }

    #[test]
    fn flags_are_consistent() {
        Cli::command().debug_assert();
        let c = Cli::try_parse_from(["serve", "--dev", "--listen", "127.0.0.1:9"]).unwrap();
        assert!(c.serve.dev);
        assert_eq!(c.serve.listen, Some(SocketAddr::from(([127, 0, 0, 1], 9))));
        assert!(Cli::try_parse_from(["serve", "--dev", "--config", "x.toml"]).is_err());
    }

    fn serve_args(check_config: bool) -> ServeArgs {
        ServeArgs {
            dev: false,
            listen: None,
            config: None,
            check_config,
            print_example_config: false,
            workers: Some(1),
        }
    }

    #[test]
    fn serve_starts_from_the_environment_alone() {
        let dir = tempfile::tempdir().unwrap();
        let secret = dir.path().join("zego");
        std::fs::write(&secret, "fa94dd0f974cf2e293728a526b028271\n").unwrap();
        let secret = secret.display().to_string();
        let hash = zego_token_server::config::sha256_hex("0123456789abcdef-key");
        let env = Env::from_pairs([
            ("ZEGO_TOKEN_LISTEN", "127.0.0.1:0"),
            ("ZEGO_TOKEN_APPS__0__APP_ID", "1234567890"),
            ("ZEGO_TOKEN_APPS__0__SECRET_FILE", secret.as_str()),
            ("ZEGO_TOKEN_API_KEYS__0__NAME", "backend"),
            ("ZEGO_TOKEN_API_KEYS__0__SHA256", hash.as_str()),
        ]);
        let c = config::production(None, &env).unwrap();
        assert_eq!(c.apps[0].app_id, 1_234_567_890);
        // The whole start-up path up to binding, secrets and all.
        run_with_env(serve_args(true), env).unwrap();
        // A missing secret file fails the same path, naming the key.
        let gone = Env::from_pairs([
            ("ZEGO_TOKEN_APPS__0__APP_ID", "1234567890"),
            ("ZEGO_TOKEN_APPS__0__SECRET_FILE", "/nonexistent/zego"),
            ("ZEGO_TOKEN_API_KEYS__0__NAME", "backend"),
            ("ZEGO_TOKEN_API_KEYS__0__SHA256", hash.as_str()),
        ]);
        let text = format!("{:#}", run_with_env(serve_args(true), gone).unwrap_err());
        assert!(text.contains("apps[0].secret_file"), "{text}");
    }
}
