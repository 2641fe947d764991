//! `[[api_keys]]` and `[[jwt_issuers]]`: who may call, and the policy keys both share
//! ([`CallerPolicyConfig`]: `apps`, `rooms`, `user_ids`, `allow_publish`,
//! `require_room`, `allow_basic`, `modes`, `max_ttl_seconds`), defined and checked once.
//!
//! The policy keys sit in the caller's own table, beside its own keys. serde's
//! `flatten` cannot refuse unknown keys, and it would lose the path of a bad value
//! (`api_keys[0].rooms`), so each caller reads its table through [`with_policy`]: every
//! key is sorted as it is read, a policy key into the [`CallerPolicyConfig`], an own key
//! to the caller's derived deserializer, and any other key is refused there and then,
//! with serde's wording and its path (`unknown field `room`, expected one of …`).

use std::cell::Cell;
use std::fmt;
use std::ops::{Deref, DerefMut};
use std::path::{Path, PathBuf};

use serde::de::{self, DeserializeSeed, IntoDeserializer, MapAccess, Visitor};
use serde::{Deserialize, Deserializer};

use super::ConfigError;
use super::apps::AppConfig;
use super::secrets::SecretSource;

/// The policy keys of an API key or a JWT issuer (what its callers may ask for).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct CallerPolicyConfig {
    /// `apps`: apps the caller may use. Default: all configured apps.
    pub apps: Option<Vec<u32>>,
    /// `rooms`: room patterns (`*` matches any run of characters). Default `["*"]`.
    pub rooms: Vec<String>,
    /// `user_ids`: user_id patterns. Default `["*"]`.
    pub user_ids: Vec<String>,
    /// `allow_publish`: whether publish may be granted. Default: true for an API key,
    /// false for a JWT issuer (a publish claim can allow it only where this is true).
    pub allow_publish: Option<bool>,
    /// `require_room`: whether every token must name a room (no basic tokens). Default
    /// false; a JWT issuer's `rooms_claim` implies it.
    pub require_room: bool,
    /// `allow_basic`: whether basic tokens (no room inside) may be given. Default: true
    /// when `rooms = ["*"]` and no room is required, else false.
    pub allow_basic: Option<bool>,
    /// `modes`: cipher modes the caller may ask for, `gcm` and `cbc`. Default both.
    pub modes: Option<Vec<String>>,
    /// `max_ttl_seconds`: TTL cap on top of the global `token.max_ttl_seconds`.
    pub max_ttl_seconds: Option<u64>,
}

impl Default for CallerPolicyConfig {
    fn default() -> Self {
        Self {
            apps: None,
            rooms: any(),
            user_ids: any(),
            allow_publish: None,
            require_room: false,
            allow_basic: None,
            modes: None,
            max_ttl_seconds: None,
        }
    }
}

/// Which kind of caller a policy belongs to: the defaults that differ between them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CallerKind {
    /// An API key: publish allowed unless `allow_publish = false`.
    ApiKey,
    /// A JWT issuer: publish only with `allow_publish = true`; a `rooms_claim` requires
    /// a room (a basic token would bypass the claim).
    JwtIssuer {
        /// Whether the issuer has a `rooms_claim`.
        rooms_claim: bool,
    },
}

impl CallerKind {
    /// `allow_publish` when the config does not say.
    pub(crate) fn default_publish(self) -> bool {
        matches!(self, Self::ApiKey)
    }

    /// Whether a room is required: `require_room`, or a rooms claim.
    pub(crate) fn room_required(self, policy: &CallerPolicyConfig) -> bool {
        policy.require_room || matches!(self, Self::JwtIssuer { rooms_claim: true })
    }
}

/// The policy keys, in the order of [`CallerPolicyConfig`].
const POLICY_FIELDS: [&str; 8] = [
    "apps",
    "rooms",
    "user_ids",
    "allow_publish",
    "require_room",
    "allow_basic",
    "modes",
    "max_ttl_seconds",
];

impl CallerPolicyConfig {
    /// Reads the value of the policy key `POLICY_FIELDS[field]` from `map`.
    fn read<'de, A: MapAccess<'de>>(&mut self, field: usize, map: &mut A) -> Result<(), A::Error> {
        match field {
            0 => self.apps = map.next_value()?,
            1 => self.rooms = map.next_value()?,
            2 => self.user_ids = map.next_value()?,
            3 => self.allow_publish = map.next_value()?,
            4 => self.require_room = map.next_value()?,
            5 => self.allow_basic = map.next_value()?,
            6 => self.modes = map.next_value()?,
            _ => self.max_ttl_seconds = map.next_value()?,
        }
        Ok(())
    }

    /// The policy keys of the caller `key("")…`: its apps are configured, its TTL cap is
    /// above 0, its modes are `gcm`/`cbc`, and `allow_basic = true` does not contradict
    /// a required room.
    fn check(
        &self,
        key: &dyn Fn(&str) -> String,
        kind: CallerKind,
        apps: &[AppConfig],
    ) -> Result<(), ConfigError> {
        for id in self.apps.as_deref().unwrap_or_default() {
            if !apps.iter().any(|a| a.app_id == *id) {
                return Err(ConfigError::key(
                    key("apps"),
                    format!(
                        "app {id} is not configured; add it as an [[apps]] table or remove it here"
                    ),
                ));
            }
        }
        if self.max_ttl_seconds == Some(0) {
            return Err(ConfigError::key(
                key("max_ttl_seconds"),
                "must be more than 0",
            ));
        }
        if let Some(modes) = &self.modes {
            if modes.is_empty() {
                return Err(ConfigError::key(
                    key("modes"),
                    "is empty; list at least one of \"gcm\", \"cbc\"",
                ));
            }
            for (i, m) in modes.iter().enumerate() {
                if m != "gcm" && m != "cbc" {
                    return Err(ConfigError::key(
                        format!("{}[{i}]", key("modes")),
                        "is not a cipher mode; use \"gcm\" or \"cbc\"",
                    ));
                }
            }
        }
        if self.allow_basic == Some(true) && kind.room_required(self) {
            return Err(ConfigError::key(
                key("allow_basic"),
                "is true while a room is required (require_room or rooms_claim); keep one",
            ));
        }
        Ok(())
    }
}

/// One API key of a backend caller, with its policy.
#[derive(Debug, Clone, Deserialize)]
#[serde(remote = "Self", deny_unknown_fields)]
#[non_exhaustive]
pub struct ApiKeyConfig {
    /// A name for logs and metrics (never the key).
    pub name: String,
    /// SHA-256 of the key, 64 hex digits (or the line `sha256sum` prints for its
    /// standard input). The key itself is never stored.
    pub sha256: String,
    /// The policy keys, read from the same table (`rooms`, `apps`…; the fields are
    /// reachable directly too: `api_key.rooms`). `allow_publish` defaults to true.
    #[serde(skip)]
    pub policy: CallerPolicyConfig,
}

/// A trusted identity provider, with the policy of its users.
#[derive(Debug, Clone, Deserialize)]
#[serde(remote = "Self", deny_unknown_fields)]
#[non_exhaustive]
pub struct JwtIssuerConfig {
    /// Expected `iss`.
    pub issuer: String,
    /// Accepted `aud` values (at least one).
    pub audiences: Vec<String>,
    /// Variable holding the HS256 shared secret.
    #[serde(default)]
    pub hs256_secret_env: Option<String>,
    /// File holding the HS256 shared secret.
    #[serde(default)]
    pub hs256_secret_file: Option<PathBuf>,
    /// JWKS file with RS256/ES256 keys.
    #[serde(default)]
    pub jwks_file: Option<PathBuf>,
    /// JWKS URL with RS256/ES256 keys (fetched at start, cached, refreshed).
    #[serde(default)]
    pub jwks_url: Option<String>,
    /// Claim holding the ZEGO user_id. Default `sub`.
    #[serde(default = "sub")]
    pub user_id_claim: String,
    /// Claim listing the rooms (exact IDs) the user may join. Default: none. When set,
    /// a room is required (a basic token would bypass it).
    #[serde(default)]
    pub rooms_claim: Option<String>,
    /// Boolean claim saying whether the user may publish. Default: none.
    #[serde(default)]
    pub publish_claim: Option<String>,
    /// Clock tolerance for `exp`/`nbf`, seconds. Default 30.
    #[serde(default = "thirty")]
    pub leeway_seconds: u64,
    /// JWKS URL refresh interval, seconds. Default 300.
    #[serde(default = "five_minutes")]
    pub jwks_refresh_seconds: u64,
    /// The policy keys, read from the same table (the fields are reachable directly
    /// too: `issuer.rooms`). `allow_publish` defaults to false.
    #[serde(skip)]
    pub policy: CallerPolicyConfig,
}

impl ApiKeyConfig {
    /// An API key with the default (unrestricted) policy.
    pub(crate) fn new(name: &str, sha256: String) -> Self {
        Self {
            name: name.into(),
            sha256,
            policy: CallerPolicyConfig::default(),
        }
    }

    /// The configured hash of `api_keys[i]`, parsed (see [`KeyDigest::parse`]).
    ///
    /// # Errors
    ///
    /// Not a digest, keyed `api_keys[i].sha256`.
    pub(crate) fn digest(&self, i: usize) -> Result<KeyDigest, ConfigError> {
        KeyDigest::parse(&self.sha256)
            .map_err(|why| ConfigError::key(format!("api_keys[{i}].sha256"), why))
    }
}

/// Where a JWT issuer's verification keys come from.
#[derive(Debug, Clone, Copy)]
pub(crate) enum IssuerKeys<'a> {
    /// `hs256_secret_env` or `hs256_secret_file`.
    Hs256(SecretSource<'a>),
    /// `jwks_file`.
    JwksFile(&'a Path),
    /// `jwks_url`.
    JwksUrl(&'a str),
}

impl JwtIssuerConfig {
    /// The policy kind of this issuer (its `rooms_claim` requires a room).
    pub(crate) fn kind(&self) -> CallerKind {
        CallerKind::JwtIssuer {
            rooms_claim: self.rooms_claim.is_some(),
        }
    }

    /// The key source of `jwt_issuers[i]`: exactly one of `hs256_secret_env`,
    /// `hs256_secret_file`, `jwks_file`, `jwks_url`.
    ///
    /// # Errors
    ///
    /// None or several, keyed `jwt_issuers[i].jwks_url`.
    pub(crate) fn keys(&self, i: usize) -> Result<IssuerKeys<'_>, ConfigError> {
        let source = match (
            &self.hs256_secret_env,
            &self.hs256_secret_file,
            &self.jwks_file,
            &self.jwks_url,
        ) {
            (Some(name), None, None, None) => IssuerKeys::Hs256(SecretSource::Env(name)),
            (None, Some(path), None, None) => IssuerKeys::Hs256(SecretSource::File(path)),
            (None, None, Some(path), None) => IssuerKeys::JwksFile(path),
            (None, None, None, Some(url)) => IssuerKeys::JwksUrl(url),
            _ => {
                return Err(ConfigError::key(
                    format!("jwt_issuers[{i}].jwks_url"),
                    "set exactly one of hs256_secret_env, hs256_secret_file, jwks_file, jwks_url",
                ));
            }
        };
        Ok(source)
    }
}

/// `api_keys` and `jwt_issuers`: at least one caller; API keys named once each, with a
/// well-formed digest; issuers with an `iss`, audiences, one key source (a JWKS URL
/// that may be fetched); each with a sound policy.
pub(crate) fn check_callers(
    apps: &[AppConfig],
    api_keys: &[ApiKeyConfig],
    jwt_issuers: &[JwtIssuerConfig],
) -> Result<(), ConfigError> {
    if api_keys.is_empty() && jwt_issuers.is_empty() {
        return Err(ConfigError::key(
            "api_keys",
            "no caller can authenticate; add an [[api_keys]] table (name, sha256 = output of `printf %s \"$KEY\" | sha256sum`) or a [[jwt_issuers]] table (without a file: ZEGO_TOKEN_API_KEYS__0__NAME and ZEGO_TOKEN_API_KEYS__0__SHA256)",
        ));
    }
    let mut names = std::collections::BTreeSet::new();
    for (i, k) in api_keys.iter().enumerate() {
        let key = |f: &str| format!("api_keys[{i}].{f}");
        if k.name.trim().is_empty() {
            return Err(ConfigError::key(
                key("name"),
                "is empty; name the caller (used in logs and metrics)",
            ));
        }
        if !names.insert(k.name.as_str()) {
            return Err(ConfigError::key(
                key("name"),
                format!("{:?} is used twice; names must be unique", k.name),
            ));
        }
        k.digest(i)?;
        k.policy.check(&key, CallerKind::ApiKey, apps)?;
    }
    for (i, j) in jwt_issuers.iter().enumerate() {
        let key = |f: &str| format!("jwt_issuers[{i}].{f}");
        if let Some(fault) =
            crate::jwt::IdentityFault::of(&j.issuer, &j.audiences, &j.user_id_claim)
        {
            return Err(ConfigError::key(key(fault.key()), fault.config_hint()));
        }
        if let IssuerKeys::JwksUrl(url) = j.keys(i)?
            && let Err(why) = crate::jwt::check_jwks_url(url)
        {
            return Err(ConfigError::key(key("jwks_url"), why));
        }
        j.policy.check(&key, j.kind(), apps)?;
    }
    Ok(())
}

/// A configured API-key hash, parsed: what the `Authorization` key's SHA-256 is
/// compared with.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) struct KeyDigest(pub(crate) [u8; 32]);

impl fmt::Debug for KeyDigest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "KeyDigest({})", hex::encode(self.0))
    }
}

impl KeyDigest {
    /// 64 hex digits, alone or as the line `sha256sum` prints for its standard input
    /// (`<digest>  -`, the output of the suggested `printf %s "$KEY" | sha256sum`).
    ///
    /// # Errors
    ///
    /// What is wrong and how to fix it (a `sha256sum FILE` line gets its own hint).
    pub(crate) fn parse(s: &str) -> Result<Self, &'static str> {
        let (digest, rest) = split_sha256_line(s);
        let mut out = [0u8; 32];
        if matches!(rest, "" | "-" | "*-") && hex::decode_to_slice(digest, &mut out).is_ok() {
            return Ok(Self(out));
        }
        let file_line =
            !rest.is_empty() && digest.len() == 64 && digest.bytes().all(|b| b.is_ascii_hexdigit());
        Err(if file_line {
            "is a `sha256sum FILE` line: a file's hash covers its trailing newline, which no caller sends; hash the key itself with `printf %s \"$KEY\" | sha256sum` (its `  -` suffix may stay)"
        } else {
            "is not 64 hex digits; store the SHA-256 of the key, e.g. `printf %s \"$KEY\" | sha256sum` (never the key itself; the `  -` it prints may stay)"
        })
    }

    /// Whether this is a placeholder no real key has: all zeros (the example config's),
    /// or the SHA-256 of the empty string. Refused when the state is built, not at load,
    /// so the example still parses as a template but nothing serves with it.
    pub(crate) fn is_placeholder(&self) -> bool {
        const EMPTY: [u8; 32] = [
            0xe3, 0xb0, 0xc4, 0x42, 0x98, 0xfc, 0x1c, 0x14, 0x9a, 0xfb, 0xf4, 0xc8, 0x99, 0x6f,
            0xb9, 0x24, 0x27, 0xae, 0x41, 0xe4, 0x64, 0x9b, 0x93, 0x4c, 0xa4, 0x95, 0x99, 0x1b,
            0x78, 0x52, 0xb8, 0x55,
        ];
        self.0 == [0u8; 32] || self.0 == EMPTY
    }
}

/// `<digest>` and what follows it after whitespace (empty when nothing does).
fn split_sha256_line(s: &str) -> (&str, &str) {
    let s = s.trim();
    match s.split_once(char::is_whitespace) {
        Some((digest, rest)) => (digest, rest.trim_start()),
        None => (s, ""),
    }
}

/// SHA-256 of a key, lower-case hex (what `sha256sum` prints).
#[must_use]
pub fn sha256_hex(key: &str) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(key.as_bytes()))
}

fn any() -> Vec<String> {
    vec!["*".into()]
}
fn sub() -> String {
    "sub".into()
}
const fn thirty() -> u64 {
    30
}
const fn five_minutes() -> u64 {
    300
}

// ---------------------------------------------------------------- deserialization

/// A caller table: its own keys (a `#[serde(remote = "Self")]` derive, so the derived
/// code is an inherent function and the trait impl can route the policy keys).
trait Caller: Sized {
    /// The derived deserializer of the own keys.
    fn own<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error>;
    /// Where the policy keys go.
    fn policy_mut(&mut self) -> &mut CallerPolicyConfig;
}

/// For each caller type: [`Caller`], `Deserialize` through [`with_policy`], and
/// `Deref` to its policy, so the policy keys read as the caller's own fields
/// (`api_key.rooms`), as they are written in its table.
macro_rules! caller {
    ($($t:ty),*) => {$(
        impl Caller for $t {
            fn own<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                Self::deserialize(d)
            }
            fn policy_mut(&mut self) -> &mut CallerPolicyConfig {
                &mut self.policy
            }
        }

        impl<'de> Deserialize<'de> for $t {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                with_policy(d)
            }
        }

        impl Deref for $t {
            type Target = CallerPolicyConfig;
            fn deref(&self) -> &CallerPolicyConfig {
                &self.policy
            }
        }

        impl DerefMut for $t {
            fn deref_mut(&mut self) -> &mut CallerPolicyConfig {
                &mut self.policy
            }
        }
    )*};
}

caller!(ApiKeyConfig, JwtIssuerConfig);

/// Reads a caller's table: own keys through `T::own`, policy keys into its
/// [`CallerPolicyConfig`], other keys refused while they are read (so the error's
/// path ends with the key).
fn with_policy<'de, D: Deserializer<'de>, T: Caller>(d: D) -> Result<T, D::Error> {
    struct CallerVisitor<T>(std::marker::PhantomData<T>);
    impl<'de, T: Caller> Visitor<'de> for CallerVisitor<T> {
        type Value = T;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a table")
        }
        fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
            let mut policy = CallerPolicyConfig::default();
            let split = Split {
                map,
                own: own_fields::<T>(),
                policy: &mut policy,
                seen: [false; POLICY_FIELDS.len()],
            };
            let mut caller = T::own(de::value::MapAccessDeserializer::new(split))?;
            *caller.policy_mut() = policy;
            Ok(caller)
        }
    }
    d.deserialize_map(CallerVisitor(std::marker::PhantomData))
}

/// The own key names of `T`, as its derive lists them.
fn own_fields<T: Caller>() -> &'static [&'static str] {
    /// A deserializer that only records the field list a struct asks for.
    struct Fields<'a>(&'a Cell<&'static [&'static str]>);
    impl<'de> Deserializer<'de> for Fields<'_> {
        type Error = de::value::Error;
        fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Self::Error> {
            Err(de::Error::custom("field names only"))
        }
        fn deserialize_struct<V: Visitor<'de>>(
            self,
            _: &'static str,
            fields: &'static [&'static str],
            _: V,
        ) -> Result<V::Value, Self::Error> {
            self.0.set(fields);
            Err(de::Error::custom("field names only"))
        }
        serde::forward_to_deserialize_any! {
            bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes
            byte_buf option unit unit_struct newtype_struct seq tuple tuple_struct map enum
            identifier ignored_any
        }
    }
    let fields = Cell::new(&[][..]);
    let _ = T::own(Fields(&fields));
    fields.get()
}

/// One key of a caller table.
enum Key {
    /// One of the caller's own keys.
    Own(&'static str),
    /// `POLICY_FIELDS[i]`.
    Policy(usize),
}

/// Sorts a key as it is read; refuses one that is neither own nor policy.
struct KeySeed(&'static [&'static str]);

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = Key;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Key, D::Error> {
        d.deserialize_identifier(self)
    }
}

impl Visitor<'_> for KeySeed {
    type Value = Key;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a key name")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Key, E> {
        if let Some(own) = self.0.iter().find(|f| **f == v) {
            return Ok(Key::Own(own));
        }
        if let Some(i) = POLICY_FIELDS.iter().position(|f| *f == v) {
            return Ok(Key::Policy(i));
        }
        // serde's own wording for `deny_unknown_fields`.
        let expected: Vec<String> = self
            .0
            .iter()
            .chain(POLICY_FIELDS.iter())
            .map(|f| format!("`{f}`"))
            .collect();
        Err(E::custom(format_args!(
            "unknown field `{v}`, expected one of {}",
            expected.join(", ")
        )))
    }
}

/// The caller's map as its derived deserializer sees it: only its own keys; the
/// policy keys are read into `policy` on the way.
struct Split<'p, A> {
    map: A,
    own: &'static [&'static str],
    policy: &'p mut CallerPolicyConfig,
    seen: [bool; POLICY_FIELDS.len()],
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for Split<'_, A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, A::Error> {
        loop {
            match self.map.next_key_seed(KeySeed(self.own))? {
                None => return Ok(None),
                Some(Key::Own(name)) => {
                    return seed.deserialize(name.into_deserializer()).map(Some);
                }
                Some(Key::Policy(i)) => {
                    if std::mem::replace(&mut self.seen[i], true) {
                        return Err(de::Error::duplicate_field(POLICY_FIELDS[i]));
                    }
                    self.policy.read(i, &mut self.map)?;
                }
            }
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, A::Error> {
        self.map.next_value_seed(seed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{Config, Env};
    use crate::policy::Policy;

    const APP: &str = "[[apps]]\napp_id = 7\nsecret_env = \"S\"\n";

    fn api_key(extra: &str) -> String {
        format!(
            "{APP}[[api_keys]]\nname = \"k\"\nsha256 = \"{}\"\n{extra}",
            sha256_hex("key")
        )
    }

    fn issuer(extra: &str) -> String {
        format!(
            "{APP}[[jwt_issuers]]\nissuer = \"https://id.test/\"\naudiences = [\"zego\"]\njwks_url = \"https://id.test/jwks.json\"\n{extra}"
        )
    }

    fn load(text: &str) -> Config {
        Config::from_toml(text, &Env::default()).unwrap_or_else(|e| panic!("{e}\n{text}"))
    }

    fn refused(text: &str, env: &Env) -> ConfigError {
        match Config::from_toml(text, env) {
            Ok(_) => panic!("accepted:\n{text}"),
            Err(e) => e,
        }
    }

    #[test]
    fn publish_defaults_to_true_for_an_api_key_and_false_for_an_issuer() {
        let c = load(&api_key(""));
        assert_eq!(c.api_keys[0].allow_publish, None);
        let key = Policy::from_config(&c.api_keys[0], CallerKind::ApiKey);
        assert!(key.allow_publish);
        assert!(key.allow_basic && !key.require_room);

        let c = load(&issuer(""));
        let jwt = Policy::from_config(&c.jwt_issuers[0], c.jwt_issuers[0].kind());
        assert!(!jwt.allow_publish);
        assert!(jwt.allow_basic && !jwt.require_room);

        // An explicit value wins over either default.
        let c = load(&api_key("allow_publish = false\n"));
        assert!(!Policy::from_config(&c.api_keys[0], CallerKind::ApiKey).allow_publish);
        let c = load(&issuer("allow_publish = true\n"));
        let j = &c.jwt_issuers[0];
        assert!(Policy::from_config(j, j.kind()).allow_publish);
    }

    #[test]
    fn a_rooms_claim_requires_a_room_and_turns_basic_tokens_off() {
        let c = load(&issuer("rooms_claim = \"rooms\"\n"));
        let j = &c.jwt_issuers[0];
        assert_eq!(j.kind(), CallerKind::JwtIssuer { rooms_claim: true });
        let p = Policy::from_config(j, j.kind());
        assert!(p.require_room);
        assert!(!p.allow_basic);
        // The same policy keys without the claim: basic tokens allowed.
        let p = Policy::from_config(j, CallerKind::JwtIssuer { rooms_claim: false });
        assert!(!p.require_room && p.allow_basic);
        // And the claim contradicts allow_basic = true, at load.
        let e = refused(
            &issuer("rooms_claim = \"rooms\"\nallow_basic = true\n"),
            &Env::default(),
        );
        assert_eq!(e.key.as_deref(), Some("jwt_issuers[0].allow_basic"), "{e}");
    }

    #[test]
    fn every_policy_key_is_read_into_its_own_field() {
        let keys = "apps = [7]\nrooms = [\"r-*\"]\nuser_ids = [\"u-*\"]\nallow_publish = false\nrequire_room = true\nallow_basic = false\nmodes = [\"cbc\"]\nmax_ttl_seconds = 60\n";
        let want = CallerPolicyConfig {
            apps: Some(vec![7]),
            rooms: vec!["r-*".into()],
            user_ids: vec!["u-*".into()],
            allow_publish: Some(false),
            require_room: true,
            allow_basic: Some(false),
            modes: Some(vec!["cbc".into()]),
            max_ttl_seconds: Some(60),
        };
        assert_eq!(load(&api_key(keys)).api_keys[0].policy, want);
        assert_eq!(load(&issuer(keys)).jwt_issuers[0].policy, want);
        // Untouched keys keep the defaults.
        assert_eq!(
            load(&api_key("")).api_keys[0].policy,
            CallerPolicyConfig::default()
        );
    }

    #[test]
    fn an_unknown_key_beside_the_policy_keys_is_refused_with_its_path() {
        let e = refused(&api_key("room = [\"a\"]\n"), &Env::default());
        assert_eq!(e.key.as_deref(), Some("api_keys[0].room"), "{e}");
        assert!(
            e.message.starts_with(
                "unknown field `room`, expected one of `name`, `sha256`, `apps`, `rooms`"
            ),
            "{e}"
        );
        assert!(e.message.contains("`max_ttl_seconds`"), "{e}");

        let e = refused(&issuer("allow_publsh = true\n"), &Env::default());
        assert_eq!(e.key.as_deref(), Some("jwt_issuers[0].allow_publsh"), "{e}");
        for part in [
            "unknown field `allow_publsh`",
            "`issuer`",
            "`jwks_refresh_seconds`",
            "`allow_publish`",
        ] {
            assert!(e.message.contains(part), "{part:?} missing: {e}");
        }
        // The `policy` field itself is not a key.
        let e = refused(&api_key("policy = 1\n"), &Env::default());
        assert_eq!(e.key.as_deref(), Some("api_keys[0].policy"), "{e}");
    }

    #[test]
    fn a_bad_value_is_reported_at_its_own_path() {
        for (text, path) in [
            (api_key("rooms = 5\n"), "api_keys[0].rooms"),
            (api_key("name2 = 5\n"), "api_keys[0].name2"),
            (
                issuer("max_ttl_seconds = \"long\"\n"),
                "jwt_issuers[0].max_ttl_seconds",
            ),
            (
                issuer("leeway_seconds = \"long\"\n"),
                "jwt_issuers[0].leeway_seconds",
            ),
        ] {
            let e = refused(&text, &Env::default());
            assert_eq!(e.key.as_deref(), Some(path), "{e}");
        }
        let e = refused(&api_key("").replace("name = \"k\"\n", ""), &Env::default());
        assert_eq!(e.key.as_deref(), Some("api_keys[0]"), "{e}");
        assert!(e.message.contains("missing field `name`"), "{e}");
    }

    #[test]
    fn environment_overrides_reach_policy_and_own_keys() {
        let env = Env::from_pairs([
            ("ZEGO_TOKEN_JWT_ISSUERS__0__ALLOW_PUBLISH", "true"),
            ("ZEGO_TOKEN_JWT_ISSUERS__0__ROOMS", "[\"a-*\"]"),
            ("ZEGO_TOKEN_JWT_ISSUERS__0__ISSUER", "12345"),
        ]);
        let c = Config::from_toml(&issuer(""), &env).unwrap();
        let j = &c.jwt_issuers[0];
        assert_eq!(j.allow_publish, Some(true));
        assert_eq!(j.rooms, ["a-*"]);
        // A number where a string is wanted is taken as the string.
        assert_eq!(j.issuer, "12345");
        let env = Env::from_pairs([("ZEGO_TOKEN_API_KEYS__0__ROOM", "[\"a\"]")]);
        let e = refused(&api_key(""), &env);
        assert_eq!(e.key.as_deref(), Some("api_keys[0].room"), "{e}");
        assert!(e.message.contains("ZEGO_TOKEN_API_KEYS__0__ROOM"), "{e}");
    }

    #[test]
    fn own_fields_are_the_derived_lists() {
        assert_eq!(own_fields::<ApiKeyConfig>(), ["name", "sha256"]);
        let issuer = own_fields::<JwtIssuerConfig>();
        assert_eq!(issuer.len(), 11, "{issuer:?}");
        assert!(issuer.contains(&"jwks_url") && !issuer.contains(&"policy"));
        assert!(issuer.iter().all(|f| !POLICY_FIELDS.contains(f)));
    }

    #[test]
    fn key_digests_parse_once_with_the_fix_in_the_error() {
        let hex = sha256_hex("key");
        let want = KeyDigest::parse(&hex).unwrap();
        assert_eq!(KeyDigest::parse(&format!("{hex}  -")).unwrap(), want);
        assert!(!want.is_placeholder());
        assert!(KeyDigest::parse(&sha256_hex("")).unwrap().is_placeholder());
        assert!(KeyDigest::parse(&"0".repeat(64)).unwrap().is_placeholder());
        let e = KeyDigest::parse(&format!("{hex}  key.txt")).unwrap_err();
        assert!(e.contains("sha256sum FILE"), "{e}");
        let e = KeyDigest::parse("abc").unwrap_err();
        assert!(e.contains("64 hex digits"), "{e}");
    }
}
