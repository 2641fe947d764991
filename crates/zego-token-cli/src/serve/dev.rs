//! `serve --dev`: a config for one machine (loopback, the app from `ZEGO_APP_ID` and
//! `ZEGO_SERVER_SECRET` or the demo app, the console on) and its API key.

use std::net::SocketAddr;

use anyhow::bail;
use zego_token_server::{Config, Env};
use zeroize::Zeroizing;

/// Shortest `ZEGO_TOKEN_API_KEY` accepted by `--dev`.
pub(super) const DEV_MIN_KEY_LEN: usize = 16;

/// The API key of a `--dev` run.
pub(super) struct DevKey {
    /// The key itself.
    pub(super) key: Zeroizing<String>,
    /// Whether it came from `ZEGO_TOKEN_API_KEY` (so it is not printed), rather than
    /// being made up at start (printed once).
    pub(super) chosen: bool,
}

/// `--dev`'s config, with its API key added (`ZEGO_TOKEN_API_KEY`, or a random one)
/// and no drain delay.
///
/// # Errors
///
/// What [`check_dev`] refuses, and a `ZEGO_APP_ID`/`ZEGO_SERVER_SECRET` pair that is
/// half given or invalid.
pub(super) fn config(listen: Option<SocketAddr>, env: &Env) -> anyhow::Result<(Config, DevKey)> {
    check_dev(listen, env.get("ZEGO_TOKEN_API_KEY"))?;
    let mut c = Config::dev(listen, env)?;
    let key = match env.get("ZEGO_TOKEN_API_KEY").filter(|k| !k.is_empty()) {
        Some(k) => DevKey {
            key: Zeroizing::new(k.to_owned()),
            chosen: true,
        },
        None => DevKey {
            key: Zeroizing::new(random_key()),
            chosen: false,
        },
    };
    c.add_api_key("dev", &key.key);
    // One machine, no load balancer to tell: stop at once.
    c.limits.drain_delay_seconds = 0;
    Ok((c, key))
}

/// `--dev` is for one machine: loopback only, and a chosen API key must not be
/// guessable.
///
/// # Errors
///
/// A non-loopback `--listen`, or a `ZEGO_TOKEN_API_KEY` shorter than
/// [`DEV_MIN_KEY_LEN`].
pub(super) fn check_dev(listen: Option<SocketAddr>, key: Option<&str>) -> anyhow::Result<()> {
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

/// A new API key: `ztk_` and 48 hex digits from the OS random source.
fn random_key() -> String {
    let bytes: [u8; 24] = rand::random();
    format!("ztk_{}", hex::encode(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

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

    #[test]
    fn dev_keys_are_random_and_prefixed() {
        let (a, b) = (random_key(), random_key());
        assert!(a.starts_with("ztk_") && a.len() == 52, "{a}");
        assert_ne!(a, b);
    }
}
