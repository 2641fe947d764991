//! Verification keys: the HS256 secret, or the usable keys of a JWKS document
//! (RFC 7517), each pre-built as a `jsonwebtoken::DecodingKey` with the one algorithm
//! it may verify.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::{Algorithm, DecodingKey};
use serde::Deserialize;

/// RSA moduli accepted from a JWKS, in bits: below 2048 is too weak (NIST SP 800-57),
/// above 4096 the `rsa` crate refuses to verify.
const RSA_MIN_BITS: usize = 2048;
const RSA_MAX_BITS: usize = 4096;

/// Fewest bytes of an HS256 secret: RFC 7518 §3.2 requires a key at least as long as
/// the hash output (256 bits).
pub(super) const HS256_MIN_SECRET: usize = 32;

/// One key, usable with exactly one algorithm.
pub(super) struct VerifyKey {
    pub(super) kid: Option<String>,
    pub(super) alg: Algorithm,
    pub(super) key: DecodingKey,
}

/// The keys an issuer currently signs with.
pub(super) struct KeySet {
    keys: Vec<VerifyKey>,
    /// An HS256 secret: the token's `kid` is not consulted.
    symmetric: bool,
}

/// Why no key was picked for a token.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Selection {
    /// No key with that `kid`, or no `kid` and not exactly one key.
    Unknown,
    /// The key exists but is for another algorithm.
    WrongAlgorithm,
}

impl KeySet {
    /// A set holding the shared HS256 secret.
    pub(super) fn hs256(secret: &[u8]) -> Self {
        Self {
            keys: vec![VerifyKey {
                kid: None,
                alg: Algorithm::HS256,
                key: DecodingKey::from_secret(secret),
            }],
            symmetric: true,
        }
    }

    /// A JWKS set with no key yet (its URL not fetched).
    pub(super) fn empty() -> Self {
        Self {
            keys: Vec::new(),
            symmetric: false,
        }
    }

    /// A copy of `other` (keys are cheap to clone: they hold parsed public keys).
    pub(super) fn clone_of(other: &Self) -> Self {
        Self {
            keys: other
                .keys
                .iter()
                .map(|k| VerifyKey {
                    kid: k.kid.clone(),
                    alg: k.alg,
                    key: k.key.clone(),
                })
                .collect(),
            symmetric: other.symmetric,
        }
    }

    /// How many keys the set holds.
    pub(super) fn len(&self) -> usize {
        self.keys.len()
    }

    /// The algorithms this kind of key source may ever accept: HS256 for a secret,
    /// RS256/ES256 for a JWKS (never HS256, whatever the JWKS holds).
    pub(super) fn accepts(&self, alg: Algorithm) -> bool {
        if self.symmetric {
            alg == Algorithm::HS256
        } else {
            matches!(alg, Algorithm::RS256 | Algorithm::ES256)
        }
    }

    /// Picks the key for a token's `kid` and `alg`.
    pub(super) fn select(
        &self,
        kid: Option<&str>,
        alg: Algorithm,
    ) -> Result<&VerifyKey, Selection> {
        let found = if self.symmetric {
            self.keys.first()
        } else {
            match kid {
                Some(kid) => {
                    let mut same_kid = self
                        .keys
                        .iter()
                        .filter(|k| k.kid.as_deref() == Some(kid))
                        .peekable();
                    if same_kid.peek().is_none() {
                        return Err(Selection::Unknown);
                    }
                    // A set may reuse one kid for keys of different types: prefer the
                    // one for the token's algorithm.
                    let mut first = None;
                    for k in same_kid {
                        if k.alg == alg {
                            return Ok(k);
                        }
                        first.get_or_insert(k);
                    }
                    first
                }
                None if self.keys.len() == 1 => self.keys.first(),
                None => None,
            }
        };
        match found {
            None => Err(Selection::Unknown),
            Some(k) if k.alg != alg => Err(Selection::WrongAlgorithm),
            Some(k) => Ok(k),
        }
    }
}

/// One member of `keys`, parsed leniently: keys we cannot use are skipped, not fatal.
#[derive(Deserialize)]
struct RawJwk {
    kty: Option<String>,
    kid: Option<String>,
    alg: Option<String>,
    #[serde(rename = "use")]
    use_: Option<String>,
    key_ops: Option<Vec<String>>,
    crv: Option<String>,
    n: Option<String>,
    e: Option<String>,
    x: Option<String>,
    y: Option<String>,
}

#[derive(Deserialize)]
struct RawJwks {
    keys: Vec<serde_json::Value>,
}

/// Parses a JWKS document and pre-builds its usable keys: RSA (RS256, 2048-4096 bits)
/// and EC P-256 (ES256) signature keys. Other keys (`oct`, `OKP`, other curves or
/// algorithms, `use` other than `sig`) are skipped.
///
/// # Errors
///
/// A short cause when the document is not a JWKS or holds no usable key.
pub(super) fn parse_jwks(bytes: &[u8]) -> Result<KeySet, String> {
    let raw: RawJwks = serde_json::from_slice(bytes)
        .map_err(|e| format!("not a JWKS document (a JSON object with a `keys` array): {e}"))?;
    let total = raw.keys.len();
    let keys: Vec<VerifyKey> = raw
        .keys
        .into_iter()
        .filter_map(|v| RawJwk::deserialize(v).ok())
        .filter_map(usable_key)
        .collect();
    if keys.is_empty() {
        return Err(format!(
            "the JWKS holds no usable RS256 or ES256 (P-256) signature key ({total} keys skipped)"
        ));
    }
    Ok(KeySet {
        keys,
        symmetric: false,
    })
}

fn b64url(s: &str) -> Option<Vec<u8>> {
    // RFC 7517 uses unpadded base64url; tolerate a stray padding.
    URL_SAFE_NO_PAD.decode(s.trim_end_matches('=')).ok()
}

fn usable_key(jwk: RawJwk) -> Option<VerifyKey> {
    if jwk.use_.as_deref().is_some_and(|u| u != "sig") {
        return None;
    }
    if jwk
        .key_ops
        .as_ref()
        .is_some_and(|ops| !ops.iter().any(|op| op == "verify"))
    {
        return None;
    }
    match jwk.kty.as_deref()? {
        "RSA" => {
            if jwk.alg.as_deref().is_some_and(|a| a != "RS256") {
                return None;
            }
            let n = b64url(jwk.n.as_deref()?)?;
            let e = b64url(jwk.e.as_deref()?)?;
            let n = strip_leading_zeros(&n);
            let e = strip_leading_zeros(&e);
            let bits = n.len() * 8 - n.first().map_or(8, |b| b.leading_zeros() as usize);
            if !(RSA_MIN_BITS..=RSA_MAX_BITS).contains(&bits) || e.is_empty() || e.len() > 8 {
                return None;
            }
            Some(VerifyKey {
                kid: jwk.kid,
                alg: Algorithm::RS256,
                key: DecodingKey::from_rsa_raw_components(n, e),
            })
        }
        "EC" => {
            if jwk.crv.as_deref() != Some("P-256")
                || jwk.alg.as_deref().is_some_and(|a| a != "ES256")
            {
                return None;
            }
            let x = b64url(jwk.x.as_deref()?)?;
            let y = b64url(jwk.y.as_deref()?)?;
            if x.len() != 32 || y.len() != 32 {
                return None;
            }
            // SEC 1 §2.3.3 uncompressed point: 0x04 || X || Y.
            let mut point = Vec::with_capacity(65);
            point.push(0x04);
            point.extend_from_slice(&x);
            point.extend_from_slice(&y);
            let key = DecodingKey::from_ec_der(&point);
            // The ES256 verifier parses the point when it is built: a point off the
            // curve fails here, once, instead of at every request.
            jsonwebtoken::crypto::verify("", b"", &key, Algorithm::ES256).ok()?;
            Some(VerifyKey {
                kid: jwk.kid,
                alg: Algorithm::ES256,
                key,
            })
        }
        _ => None,
    }
}

fn strip_leading_zeros(b: &[u8]) -> &[u8] {
    let start = b.iter().position(|&x| x != 0).unwrap_or(b.len());
    &b[start..]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skips_unusable_keys_and_keeps_good_ones() {
        let doc = br#"{"keys": [
            {"kty": "oct", "k": "c2VjcmV0", "kid": "hmac"},
            {"kty": "RSA", "kid": "short", "n": "AQAB", "e": "AQAB"},
            {"kty": "EC", "crv": "P-384", "kid": "p384", "x": "AA", "y": "AA"},
            {"kty": "EC", "crv": "P-256", "kid": "off-curve",
             "x": "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
             "y": "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"},
            "not an object"
        ]}"#;
        let err = parse_jwks(doc).err();
        assert_eq!(
            err.as_deref(),
            Some("the JWKS holds no usable RS256 or ES256 (P-256) signature key (5 keys skipped)")
        );
    }

    #[test]
    fn rejects_non_jwks() {
        assert!(parse_jwks(b"[]").is_err());
        assert!(parse_jwks(b"{}").is_err());
        assert!(parse_jwks(b"").is_err());
    }
}
