//! `zego-token serve`: flags ([`ServeArgs`]) and the blocking entry point ([`run`]):
//! runtime, logging, banner, signals.
//!
//! Config: `--config FILE` (then the `ZEGO_TOKEN_…` variables on top), or, without it,
//! the `ZEGO_TOKEN_…` variables alone when at least one is set (a container with no
//! file); with neither, `serve` refuses to start and says how to give a config.
//!
//! Signals: `SIGHUP` re-reads the config file (or, env-only, the secret files) and
//! swaps apps, keys and policies in
//! (an invalid file is refused and logged; the old config keeps serving); `SIGTERM` and
//! `SIGINT` turn `/readyz` to 503 while still serving for `limits.drain_delay_seconds`
//! (a second one ends that delay), then stop accepting, drain (bounded) and return
//! `Ok`, so the process exits 0.

use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;

use anyhow::{Context, bail};

use crate::config::{Config, EXAMPLE_CONFIG, Env, LogConfig, LogFormat};
use crate::serve::{ServiceListener, load_tls, serve_with_drain};
use crate::state::AppState;

/// Flags of `zego-token serve`.
#[derive(Debug, Clone, clap::Args)]
#[non_exhaustive]
pub struct ServeArgs {
    /// Development mode: no config file, loopback only (a non-loopback --listen is
    /// refused), app from ZEGO_APP_ID and ZEGO_SERVER_SECRET or ZEGO_SERVER_SECRET_FILE
    /// (or the public demo app),
    /// API key from ZEGO_TOKEN_API_KEY (16+ characters) or a random one, printed once,
    /// console on. Not for production.
    #[arg(long, conflicts_with = "config")]
    pub dev: bool,

    /// Address to listen on (overrides `listen` in the config; default 127.0.0.1:8080).
    #[arg(long, value_name = "ADDR")]
    pub listen: Option<SocketAddr>,

    /// The TOML config file (production). Every key can be overridden by a
    /// ZEGO_TOKEN_… variable; see --print-example-config. Without it, the config comes
    /// from the ZEGO_TOKEN_… variables alone (list entries by index:
    /// ZEGO_TOKEN_APPS__0__APP_ID, ZEGO_TOKEN_API_KEYS__0__SHA256…).
    #[arg(long, value_name = "FILE", env = "ZEGO_TOKEN_CONFIG")]
    pub config: Option<PathBuf>,

    /// Validate the config (including secrets, TLS files and JWKS) and exit.
    #[arg(long)]
    pub check_config: bool,

    /// Print the example config (every key, its default and its variable) and exit.
    #[arg(long)]
    pub print_example_config: bool,

    /// Worker threads (default: one per CPU).
    #[arg(long, value_name = "N")]
    pub workers: Option<usize>,
}

/// Runs `zego-token serve` until SIGTERM/SIGINT. Builds its own tokio runtime.
///
/// # Errors
///
/// Bad flags or config (the message names the key and the fix), a listener that
/// cannot bind, or a server I/O error.
pub fn run(args: ServeArgs) -> anyhow::Result<()> {
    run_with_env(args, Env::from_process())
}

/// The config of a production run: the file (with the variables on top), or the
/// variables alone when no file is given and at least one `ZEGO_TOKEN_…` config key is
/// set; with neither, an error saying how to give one.
fn production_config(path: Option<&std::path::Path>, env: &Env) -> anyhow::Result<Config> {
    if let Some(path) = path {
        return Ok(Config::load(path, env)?);
    }
    if env.has_config_keys() {
        return Config::from_env(env).context(ENV_ONLY);
    }
    bail!(
        "give --config FILE to run in production, set the config in ZEGO_TOKEN_… variables (ZEGO_TOKEN_APPS__0__APP_ID, …), or pass --dev for a local demo (`zego-token serve --print-example-config` prints a config template)"
    );
}

fn run_with_env(args: ServeArgs, env: Env) -> anyhow::Result<()> {
    if args.print_example_config {
        let mut out = std::io::stdout().lock();
        out.write_all(EXAMPLE_CONFIG.as_bytes())?;
        return Ok(());
    }
    let mut dev_key = None;
    let mut config = if args.dev {
        check_dev(args.listen, env.get("ZEGO_TOKEN_API_KEY"))?;
        let mut c = Config::dev(args.listen, &env)?;
        let (key, chosen) = match env.get("ZEGO_TOKEN_API_KEY").filter(|k| !k.is_empty()) {
            Some(k) => (zeroize::Zeroizing::new(k.to_owned()), true),
            None => (zeroize::Zeroizing::new(random_key()), false),
        };
        c.add_api_key("dev", &key);
        // One machine, no load balancer to tell: stop at once.
        c.limits.drain_delay_seconds = 0;
        dev_key = Some((key, chosen));
        c
    } else {
        production_config(args.config.as_deref(), &env)?
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
        let _log_guard = init_logging(&config.log)?;
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
        if let Some((key, chosen)) = &dev_key {
            print_banner(local, &config, key, *chosen, &state);
        }
        if config.metrics.enabled
            && let Some(addr) = config.metrics.listen
        {
            let ml = tokio::net::TcpListener::bind(addr)
                .await
                .with_context(|| format!("cannot listen on {addr} (key `metrics.listen`)"))?;
            let router = crate::metrics::metrics_router(state.clone());
            tokio::spawn(async move {
                if let Err(e) = axum::serve(ml, router).await {
                    tracing::error!(error = %e, "metrics listener failed");
                }
            });
            tracing::info!(%addr, "metrics listening");
        }
        if !args.dev {
            spawn_reloader(state.clone(), args.config.clone(), args.listen);
        }
        // Installed before the `listening` line, so a signal sent once it shows is ours.
        let (shutdown, end_delay) = shutdown_signals();
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

/// Shortest `ZEGO_TOKEN_API_KEY` accepted by `--dev`.
pub const DEV_MIN_KEY_LEN: usize = 16;

/// `--dev` is for one machine: loopback only, and a chosen API key must not be
/// guessable.
///
/// # Errors
///
/// A non-loopback `--listen`, or a `ZEGO_TOKEN_API_KEY` shorter than
/// [`DEV_MIN_KEY_LEN`].
pub fn check_dev(listen: Option<SocketAddr>, key: Option<&str>) -> anyhow::Result<()> {
    if let Some(l) = listen
        && !l.ip().is_loopback()
    {
        bail!(
            "--dev listens on loopback only (127.0.0.1 or [::1]), not {}: it serves the console and tokens to anyone who can reach it; use --config for anything else",
            l.ip()
        );
    }
    if let Some(k) = key.filter(|k| !k.is_empty())
        && k.chars().count() < DEV_MIN_KEY_LEN
    {
        bail!(
            "ZEGO_TOKEN_API_KEY is shorter than {DEV_MIN_KEY_LEN} characters; choose a longer key (`openssl rand -hex 24`), or unset it for a random one"
        );
    }
    Ok(())
}

fn random_key() -> String {
    let bytes: [u8; 24] = rand::random();
    format!("ztk_{}", hex::encode(bytes))
}

/// Installs the process's log subscriber: `log.level` and `log.format`, to stdout,
/// through the batching writer thread of `crate::log_writer`, so a request only
/// formats its line and queues it. Lines are written in the order they were queued,
/// none is dropped, and the returned guard writes out the queue when dropped. `None` when an embedding app has
/// set its own subscriber already (it is kept).
fn init_logging(
    log: &LogConfig,
) -> anyhow::Result<Option<crate::log_writer::FlushGuard>> {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_new(&log.level).context("config key `log.level`")?;
    // Colour only for a person at a terminal: never in files, pipes or log collectors.
    let ansi = std::io::IsTerminal::is_terminal(&std::io::stdout())
        && std::env::var_os("NO_COLOR").is_none();
    let (writer, guard) = crate::log_writer::batch_writer(
        std::io::stdout(),
        "zego-token-log",
        crate::log_writer::Batching::default(),
    )
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
    // Already initialised (an embedding app set its own subscriber): keep it.
    Ok(result.ok().map(|()| guard))
}

fn print_banner(local: SocketAddr, config: &Config, key: &str, chosen: bool, state: &AppState) {
    let snap = state.snapshot();
    let app = config.apps.first().map_or(0, |a| a.app_id);
    let demo = snap.app(app).is_some_and(|a| a.demo);
    let base = format!("http://{local}");
    let mut b = String::new();
    b.push_str("================================================================\n");
    b.push_str(" zego-token serve --dev: DEVELOPMENT MODE, NOT FOR PRODUCTION\n");
    b.push_str("================================================================\n");
    b.push_str(&format!(" listening  {base}\n"));
    if demo {
        b.push_str(&format!(
            " app        {app}  PUBLIC DEMO APP: ZEGO refuses its tokens.\n            Set ZEGO_APP_ID and ZEGO_SERVER_SECRET (or ZEGO_SERVER_SECRET_FILE)\n            to use your own app.\n"
        ));
    } else {
        b.push_str(&format!(
            " app        {app} (from ZEGO_APP_ID / {})\n",
            if config.apps.first().is_some_and(|a| a.secret_file.is_some()) {
                "ZEGO_SERVER_SECRET_FILE"
            } else {
                "ZEGO_SERVER_SECRET"
            }
        ));
    }
    if chosen {
        b.push_str(" API key    from ZEGO_TOKEN_API_KEY\n");
    } else {
        b.push_str(&format!(
            " API key    {key}\n            (shown once; set ZEGO_TOKEN_API_KEY to choose your own)\n"
        ));
    }
    let shown = if chosen { "$ZEGO_TOKEN_API_KEY" } else { key };
    b.push_str(&format!(" console    {base}/console\n"));
    b.push_str(&format!(
        " try        curl -s {base}/v1/token -H \"Authorization: Bearer {shown}\" \\\n              -H 'Content-Type: application/json' -d '{{\"user_id\":\"user1\"}}'\n"
    ));
    if !local.ip().is_loopback() {
        b.push_str(" WARNING    not a loopback address: anyone who can reach it can get tokens.\n");
    }
    b.push_str(" production zego-token serve --config FILE   (template: --print-example-config)\n");
    let _ = std::io::stderr().lock().write_all(b.as_bytes());
}

/// What `SIGHUP` does with a config file: re-reads `path` (and the environment and
/// secret files), applies the `--listen` flag again, and swaps the new config in.
///
/// # Errors
///
/// [`ConfigError`](crate::ConfigError) when the file is invalid; the running config is
/// kept.
pub async fn reload_from_file(
    state: &AppState,
    path: &std::path::Path,
    listen: Option<SocketAddr>,
) -> Result<Vec<&'static str>, crate::ConfigError> {
    let env = Env::from_process();
    match Config::load(path, &env) {
        Ok(mut c) => {
            if let Some(l) = listen {
                c.listen = l;
            }
            state.reload(&c, &env).await
        }
        Err(e) => {
            state.metrics().reloaded(false);
            Err(e)
        }
    }
}

/// What `SIGHUP` does without a config file ([`Config::from_env`]): re-reads the secret
/// files (a rotated Kubernetes or Docker secret), applies the `--listen` flag again, and
/// swaps the new config in. The process environment itself cannot change.
///
/// # Errors
///
/// [`ConfigError`](crate::ConfigError) when the config is now invalid (a secret file
/// gone or wrong); the running config is kept.
pub async fn reload_from_env(
    state: &AppState,
    listen: Option<SocketAddr>,
) -> Result<Vec<&'static str>, crate::ConfigError> {
    let env = Env::from_process();
    match Config::from_env(&env) {
        Ok(mut c) => {
            if let Some(l) = listen {
                c.listen = l;
            }
            state.reload(&c, &env).await
        }
        Err(e) => {
            state.metrics().reloaded(false);
            Err(e)
        }
    }
}

/// Context of an error in an environment-only config.
const ENV_ONLY: &str =
    "no --config file: the configuration comes from the ZEGO_TOKEN_… variables alone";

fn spawn_reloader(state: AppState, path: Option<PathBuf>, listen: Option<SocketAddr>) {
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
fn shutdown_signals() -> (
    impl std::future::Future<Output = ()> + Send + 'static,
    impl std::future::Future<Output = ()> + Send + 'static,
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

#[cfg(test)]
mod tests {
    use clap::{CommandFactory, Parser};

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

    #[test]
    fn dev_is_loopback_only_with_a_real_key() {
        let at = |s: &str| Some(s.parse::<SocketAddr>().unwrap());
        assert!(check_dev(at("0.0.0.0:8080"), None).is_err());
        assert!(check_dev(at("[::]:8080"), None).is_err());
        assert!(check_dev(at("192.0.2.1:8080"), None).is_err());
        assert!(check_dev(at("127.0.0.1:8080"), None).is_ok());
        assert!(check_dev(at("[::1]:8080"), None).is_ok());
        assert!(check_dev(None, Some("1")).is_err());
        assert!(check_dev(None, Some("0123456789abcdef")).is_ok());
        assert!(check_dev(None, Some("")).is_ok());
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
    fn no_config_at_all_says_how_to_give_one() {
        let flags_only = Env::from_pairs([("ZEGO_TOKEN_API_KEY", "0123456789abcdef")]);
        let e = production_config(None, &flags_only).unwrap_err();
        let text = format!("{e:#}");
        for hint in ["--config FILE", "ZEGO_TOKEN_APPS__0__APP_ID", "--dev"] {
            assert!(text.contains(hint), "{hint}: {text}");
        }
        // Some config variables but not enough: the missing key, and where it was looked for.
        let partial = Env::from_pairs([("ZEGO_TOKEN_LISTEN", "127.0.0.1:0")]);
        let text = format!("{:#}", production_config(None, &partial).unwrap_err());
        assert!(text.contains("variables alone"), "{text}");
        assert!(text.contains("config key `apps`"), "{text}");
    }

    #[test]
    fn serve_starts_from_the_environment_alone() {
        let dir = tempfile::tempdir().unwrap();
        let secret = dir.path().join("zego");
        std::fs::write(&secret, "fa94dd0f974cf2e293728a526b028271\n").unwrap();
        let secret = secret.display().to_string();
        let hash = crate::config::sha256_hex("0123456789abcdef-key");
        let env = Env::from_pairs([
            ("ZEGO_TOKEN_LISTEN", "127.0.0.1:0"),
            ("ZEGO_TOKEN_APPS__0__APP_ID", "1234567890"),
            ("ZEGO_TOKEN_APPS__0__SECRET_FILE", secret.as_str()),
            ("ZEGO_TOKEN_API_KEYS__0__NAME", "backend"),
            ("ZEGO_TOKEN_API_KEYS__0__SHA256", hash.as_str()),
        ]);
        let c = production_config(None, &env).unwrap();
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

    #[test]
    fn dev_keys_are_random_and_prefixed() {
        let (a, b) = (random_key(), random_key());
        assert!(a.starts_with("ztk_") && a.len() == 52, "{a}");
        assert_ne!(a, b);
    }
}
