//! `[[apps]]`: the ZEGO apps (`app_id`, `secret_env` or `secret_file`).

use std::path::PathBuf;

use serde::Deserialize;

use super::ConfigError;
use super::secrets::SecretSource;

/// One ZEGO app.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct AppConfig {
    /// The AppID from ZEGO's console.
    pub app_id: u32,
    /// Variable holding the 32-character ServerSecret.
    #[serde(default)]
    pub secret_env: Option<String>,
    /// File holding the ServerSecret (one trailing newline is ignored; see
    /// [`read_secret_file`](super::read_secret_file)).
    #[serde(default)]
    pub secret_file: Option<PathBuf>,
    /// Marks the public demo app (set by `--dev` only; tokens ZEGO refuses).
    #[serde(skip)]
    pub demo_secret: bool,
}

/// Where an app's ServerSecret comes from.
#[derive(Debug, Clone, Copy)]
pub(crate) enum AppSecret<'a> {
    /// The public demo app's secret (`--dev` without an app of one's own).
    Demo,
    /// A variable or a file.
    From(SecretSource<'a>),
}

impl AppConfig {
    /// The secret source of `apps[i]`: exactly one of `secret_env`, `secret_file`, or
    /// the demo marker. Called by [`check_apps`] at load and when the secret is read.
    ///
    /// # Errors
    ///
    /// No source, or two.
    pub(crate) fn secret(&self, i: usize) -> Result<AppSecret<'_>, ConfigError> {
        let prefix = format!("apps[{i}].secret");
        let source = SecretSource::of(
            &prefix,
            self.secret_env.as_deref(),
            self.secret_file.as_deref(),
        )?;
        match (source, self.demo_secret) {
            (Some(s), false) => Ok(AppSecret::From(s)),
            (None, true) => Ok(AppSecret::Demo),
            (None, false) => Err(ConfigError::key(
                format!("{prefix}_env"),
                "no ServerSecret source; set secret_env = \"VARIABLE\" or secret_file = \"/path\" (inline secrets are not allowed)",
            )),
            (Some(_), true) => Err(ConfigError::key(
                format!("{prefix}_file"),
                "both a secret source and the demo secret are set; keep one",
            )),
        }
    }
}

/// `apps`: at least one, each `app_id` set (not 0) and configured once, one secret
/// source each.
pub(crate) fn check_apps(apps: &[AppConfig]) -> Result<(), ConfigError> {
    if apps.is_empty() {
        return Err(ConfigError::key(
            "apps",
            "no app is configured; add an [[apps]] table with app_id and secret_env or secret_file (without a file: ZEGO_TOKEN_APPS__0__APP_ID and ZEGO_TOKEN_APPS__0__SECRET_FILE)",
        ));
    }
    let mut seen = std::collections::BTreeSet::new();
    for (i, app) in apps.iter().enumerate() {
        let key = |k: &str| format!("apps[{i}].{k}");
        if app.app_id == 0 {
            return Err(ConfigError::key(
                key("app_id"),
                "is 0; use the AppID from ZEGO's console",
            ));
        }
        if !seen.insert(app.app_id) {
            return Err(ConfigError::key(
                key("app_id"),
                format!(
                    "app {} is configured twice; remove one [[apps]] table",
                    app.app_id
                ),
            ));
        }
        app.secret(i)?;
    }
    Ok(())
}
