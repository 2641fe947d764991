//! The ServerSecret, validated once and kept as prepared AES keys.

use std::fmt;
use std::str::FromStr;
use std::sync::OnceLock;

use aes::Aes256;
use aes_gcm::{Aes256Gcm, KeyInit};
use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

use crate::error::{Error, Field};

/// Length of a ZEGO ServerSecret, in characters (and bytes).
pub const SECRET_LEN: usize = 32;

/// A validated ZEGO ServerSecret with its AES-256 key schedules prepared.
///
/// The ServerSecret is the 32-character string from ZEGO's console. Its ASCII bytes are
/// used directly as the AES-256 key (it is *not* hex-decoded), exactly as the official
/// generators do.
///
/// Building a `ServerSecret` expands the AES-GCM key (AES round keys and GHASH key) once,
/// and the CBC key schedule on first CBC use, so a server that keeps one per app pays no
/// key schedule per token.
///
/// # Security
///
/// * `Debug` prints `ServerSecret(<redacted>)`; there is no `Display` and no accessor for
///   the key bytes.
/// * The key bytes and the expanded key schedules are zeroized when dropped.
/// * Equality ([`ServerSecret::ct_eq`]) runs in constant time.
#[derive(Clone)]
pub struct ServerSecret {
    key: Zeroizing<[u8; SECRET_LEN]>,
    pub(crate) gcm: Aes256Gcm,
    /// The plain AES key schedule for the legacy CBC mode, built on first use so that
    /// GCM-only callers pay for one key schedule, not two.
    cbc: OnceLock<Aes256>,
}

impl ServerSecret {
    /// Validates a ServerSecret and prepares its keys.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for [`Field::Secret`] (official code 5) when the secret is
    /// not exactly 32 bytes. The message gives the length found, never the value.
    pub fn new(secret: &str) -> Result<Self, Error> {
        Self::from_bytes(secret.as_bytes())
    }

    /// Like [`ServerSecret::new`], from raw bytes (e.g. read from a file).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for [`Field::Secret`] when there are not exactly 32 bytes.
    pub fn from_bytes(secret: &[u8]) -> Result<Self, Error> {
        let mut key = Zeroizing::new([0u8; SECRET_LEN]);
        key.copy_from_slice(check_len(secret)?);
        let gcm = Aes256Gcm::new((&*key).into());
        Ok(Self {
            key,
            gcm,
            cbc: OnceLock::new(),
        })
    }

    /// The AES-256 key schedule for CBC.
    pub(crate) fn aes(&self) -> &Aes256 {
        self.cbc
            .get_or_init(|| <Aes256 as KeyInit>::new((&*self.key).into()))
    }

    /// Compares two secrets in constant time.
    #[must_use]
    pub fn ct_eq(&self, other: &Self) -> bool {
        self.key.as_slice().ct_eq(other.key.as_slice()).into()
    }
}

/// Checks that a secret has exactly [`SECRET_LEN`] bytes and returns them as an array.
pub(crate) fn check_len(secret: &[u8]) -> Result<&[u8; SECRET_LEN], Error> {
    secret.try_into().map_err(|_| {
        Error::input(
            Field::Secret,
            format!(
                "the ServerSecret is {} bytes long; it must be exactly {SECRET_LEN} characters, as shown in ZEGO's console",
                secret.len()
            ),
        )
    })
}

impl fmt::Debug for ServerSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ServerSecret(<redacted>)")
    }
}

impl FromStr for ServerSecret {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::new(s)
    }
}

impl TryFrom<&str> for ServerSecret {
    type Error = Error;

    fn try_from(s: &str) -> Result<Self, Self::Error> {
        Self::new(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_wrong_length_without_echoing_it() {
        let err = ServerSecret::new("tooshort-secret-value").unwrap_err();
        assert_eq!(err.official_code(), Some(5));
        let text = err.to_string();
        assert!(text.contains("21 bytes"), "{text}");
        assert!(!text.contains("tooshort"), "{text}");
    }

    #[test]
    fn debug_is_redacted() {
        let s = ServerSecret::new("fa94dd0f974cf2e293728a526b028271").unwrap();
        let dbg = format!("{s:?}");
        assert_eq!(dbg, "ServerSecret(<redacted>)");
    }

    #[test]
    fn ct_eq_compares_keys() {
        let a = ServerSecret::new("fa94dd0f974cf2e293728a526b028271").unwrap();
        let b = ServerSecret::new("fa94dd0f974cf2e293728a526b028271").unwrap();
        let c = ServerSecret::new("fa94dd0f974cf2e293728a526b028272").unwrap();
        assert!(a.ct_eq(&b));
        assert!(!a.ct_eq(&c));
    }
}
