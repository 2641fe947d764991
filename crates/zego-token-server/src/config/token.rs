//! `[token]`: lifetimes (`default_ttl_seconds`, `max_ttl_seconds`,
//! `renew_before_seconds`) and `id_rules`.

use serde::Deserialize;

use super::ConfigError;

/// Token lifetimes.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
#[non_exhaustive]
pub struct TokenConfig {
    /// TTL when a request gives none. Default 3600.
    pub default_ttl_seconds: u64,
    /// Largest TTL any caller may ask for. Default 86400.
    pub max_ttl_seconds: u64,
    /// `renew_after` = expire − this (more than ZEGO's 30-second warning). Default 60.
    pub renew_before_seconds: u64,
    /// Which user and room IDs (and lifetimes) the service mints tokens for. Default
    /// [`IdRules::Sdk`].
    pub id_rules: IdRules,
}

/// `token.id_rules`: whether to refuse tokens that ZEGO's client SDKs refuse.
#[derive(Debug, Clone, Copy, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum IdRules {
    /// Refuse (422, naming the rule) a request whose token an SDK would refuse: the
    /// blocking rules of [`zego_token::sdk`] (ID characters and lengths, lifetimes of
    /// 30 s or less, expiry past 2038). The default.
    #[default]
    Sdk,
    /// Mint for any input the library accepts (for apps whose clients are all native
    /// SDKs with laxer rules); the broken rules are listed in the answer's `warnings`.
    Any,
}

impl Default for TokenConfig {
    fn default() -> Self {
        Self {
            default_ttl_seconds: 3600,
            max_ttl_seconds: 86_400,
            renew_before_seconds: 60,
            id_rules: IdRules::Sdk,
        }
    }
}

impl TokenConfig {
    /// `token.*`: a cap above 0 that fits an `i64`, a default within it, a renewal
    /// margin above ZEGO's 30-second warning.
    pub(crate) fn check(&self) -> Result<(), ConfigError> {
        if self.max_ttl_seconds == 0 {
            return Err(ConfigError::key(
                "token.max_ttl_seconds",
                "must be more than 0",
            ));
        }
        if self.default_ttl_seconds == 0 || self.default_ttl_seconds > self.max_ttl_seconds {
            return Err(ConfigError::key(
                "token.default_ttl_seconds",
                format!(
                    "must be between 1 and token.max_ttl_seconds ({})",
                    self.max_ttl_seconds
                ),
            ));
        }
        if i64::try_from(self.max_ttl_seconds).is_err() {
            return Err(ConfigError::key("token.max_ttl_seconds", "is too large"));
        }
        if self.renew_before_seconds <= 30 {
            return Err(ConfigError::key(
                "token.renew_before_seconds",
                "must be more than 30, so clients renew before ZEGO's 30-second expiry warning",
            ));
        }
        Ok(())
    }
}
