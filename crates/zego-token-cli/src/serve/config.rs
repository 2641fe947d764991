//! The config of a production run (`serve` without `--dev`).

use std::path::Path;

use anyhow::{Context, bail};
use zego_token_server::{Config, Env};

/// Context of an error in an environment-only config.
const ENV_ONLY: &str =
    "no --config file: the configuration comes from the ZEGO_TOKEN_… variables alone";

/// The config of a production run: the file (with the variables on top), or the
/// variables alone when no file is given and at least one `ZEGO_TOKEN_…` config key is
/// set; with neither, an error saying how to give one.
pub(super) fn production(path: Option<&Path>, env: &Env) -> anyhow::Result<Config> {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_config_at_all_says_how_to_give_one() {
        let flags_only = Env::from_pairs([("ZEGO_TOKEN_API_KEY", "0123456789abcdef")]);
        let e = production(None, &flags_only).unwrap_err();
        let text = format!("{e:#}");
        for hint in ["--config FILE", "ZEGO_TOKEN_APPS__0__APP_ID", "--dev"] {
            assert!(text.contains(hint), "{hint}: {text}");
        }
        // Some config variables but not enough: the missing key, and where it was looked for.
        let partial = Env::from_pairs([("ZEGO_TOKEN_LISTEN", "127.0.0.1:0")]);
        let text = format!("{:#}", production(None, &partial).unwrap_err());
        assert!(text.contains("variables alone"), "{text}");
        assert!(text.contains("config key `apps`"), "{text}");
    }
}
