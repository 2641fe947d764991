//! Reloading a running service's config from where it came from: what `zego-token
//! serve` does on `SIGHUP`, for an embedder that wants the same.

use std::net::SocketAddr;
use std::path::Path;

use crate::config::{Config, ConfigError, Env};
use crate::state::AppState;

/// What `SIGHUP` does with a config file: re-reads `path` (and the environment and
/// secret files), applies `listen` (the `--listen` flag) again, and swaps the new
/// config in with [`AppState::reload`]. Returns the keys whose change needs a restart.
///
/// # Errors
///
/// [`ConfigError`] when the file is invalid (counted as a refused reload); the running
/// config is kept.
pub async fn reload_from_file(
    state: &AppState,
    path: &Path,
    listen: Option<SocketAddr>,
) -> Result<Vec<&'static str>, ConfigError> {
    let env = Env::from_process();
    let loaded = Config::load(path, &env);
    swap_in(state, loaded, &env, listen).await
}

/// What `SIGHUP` does without a config file ([`Config::from_env`]): re-reads the secret
/// files (a rotated Kubernetes or Docker secret), applies `listen` again, and swaps the
/// new config in. The process environment itself cannot change.
///
/// # Errors
///
/// [`ConfigError`] when the config is now invalid (a secret file gone or wrong;
/// counted as a refused reload); the running config is kept.
pub async fn reload_from_env(
    state: &AppState,
    listen: Option<SocketAddr>,
) -> Result<Vec<&'static str>, ConfigError> {
    let env = Env::from_process();
    let loaded = Config::from_env(&env);
    swap_in(state, loaded, &env, listen).await
}

/// Swaps a freshly read config in (with `listen` applied again), or counts the refused
/// reload.
async fn swap_in(
    state: &AppState,
    loaded: Result<Config, ConfigError>,
    env: &Env,
    listen: Option<SocketAddr>,
) -> Result<Vec<&'static str>, ConfigError> {
    match loaded {
        Ok(mut c) => {
            if let Some(l) = listen {
                c.listen = l;
            }
            state.reload(&c, env).await
        }
        Err(e) => {
            state.metrics().reloaded(false);
            Err(e)
        }
    }
}
