//! Claims: what goes into a token (input) and what comes out of one (decoded).

use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Field, InvalidClaims};

/// The longest user id ZEGO's SDKs accept, in bytes, is one less than this.
pub const USER_ID_LIMIT: usize = 64;

/// The payload of a token: free text, `""` for a basic (identity) token, a JSON document
/// for a privilege token.
///
/// Build a room privilege payload with [`RoomPayload`](crate::RoomPayload) rather than by
/// hand; use [`Payload::raw`] for anything else.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Payload(String);

impl Payload {
    /// The empty payload of a basic token (and of every ZIM token).
    #[must_use]
    pub const fn empty() -> Self {
        Self(String::new())
    }

    /// Any payload text, passed through unchanged.
    #[must_use]
    pub fn raw(payload: impl Into<String>) -> Self {
        Self(payload.into())
    }

    /// The payload text.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl From<String> for Payload {
    fn from(s: String) -> Self {
        Self(s)
    }
}

impl From<&str> for Payload {
    fn from(s: &str) -> Self {
        Self(s.to_owned())
    }
}

/// What to put in a new token: app, user, lifetime and payload.
///
/// `ctime`, `expire` and the claims nonce are filled in when the token is generated.
///
/// ```
/// use std::time::Duration;
/// use zego_token::{Claims, RoomPayload};
///
/// let payload = RoomPayload::new("room-1").allow_publish().build()?;
/// let claims = Claims::new(1234567890, "user-42", Duration::from_secs(3600)).payload(payload);
/// assert_eq!(claims.user_id(), "user-42");
/// # Ok::<(), zego_token::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claims {
    app_id: u32,
    user_id: String,
    lifetime: Duration,
    payload: Payload,
}

impl Claims {
    /// Claims for a basic token (empty payload). Nothing is validated until the token is
    /// generated.
    #[must_use]
    pub fn new(app_id: u32, user_id: impl Into<String>, lifetime: Duration) -> Self {
        Self {
            app_id,
            user_id: user_id.into(),
            lifetime,
            payload: Payload::empty(),
        }
    }

    /// Sets the payload: a [`RoomPrivileges`](crate::RoomPrivileges) from
    /// [`RoomPayload`](crate::RoomPayload), or a [`Payload::raw`].
    #[must_use]
    pub fn payload(mut self, payload: impl Into<Payload>) -> Self {
        self.payload = payload.into();
        self
    }

    /// The app id.
    #[must_use]
    pub const fn app_id(&self) -> u32 {
        self.app_id
    }

    /// The user id.
    #[must_use]
    pub fn user_id(&self) -> &str {
        &self.user_id
    }

    /// The lifetime (`expire - ctime`).
    #[must_use]
    pub const fn lifetime(&self) -> Duration {
        self.lifetime
    }

    /// The payload text.
    #[must_use]
    pub fn payload_str(&self) -> &str {
        self.payload.as_str()
    }

    /// Validates the inputs and returns the lifetime in seconds.
    pub(crate) fn validate(&self) -> Result<i64, Error> {
        validate_app_id(self.app_id)?;
        validate_user_id(&self.user_id)?;
        if self.lifetime.subsec_nanos() != 0 {
            return Err(Error::input(
                Field::EffectiveTime,
                format!(
                    "the lifetime {:?} has a fraction of a second; token04 times are whole seconds",
                    self.lifetime
                ),
            ));
        }
        let secs = i64::try_from(self.lifetime.as_secs()).map_err(|_| {
            Error::input(
                Field::EffectiveTime,
                format!(
                    "the lifetime {} s does not fit a signed 64-bit number of seconds",
                    self.lifetime.as_secs()
                ),
            )
        })?;
        validate_effective_time(secs)?;
        Ok(secs)
    }
}

pub(crate) fn validate_app_id(app_id: u32) -> Result<(), Error> {
    if app_id == 0 {
        return Err(Error::input(
            Field::AppId,
            "app_id is 0; use the AppID of the project in ZEGO's console",
        ));
    }
    Ok(())
}

pub(crate) fn validate_user_id(user_id: &str) -> Result<(), Error> {
    if user_id.is_empty() {
        return Err(Error::input(Field::UserId, "user_id is empty"));
    }
    if user_id.len() >= USER_ID_LIMIT {
        return Err(Error::input(
            Field::UserId,
            format!(
                "user_id is {} bytes long; ZEGO's SDKs accept fewer than {USER_ID_LIMIT} bytes",
                user_id.len()
            ),
        ));
    }
    Ok(())
}

pub(crate) fn validate_effective_time(secs: i64) -> Result<(), Error> {
    if secs <= 0 {
        return Err(Error::input(
            Field::EffectiveTime,
            format!("the lifetime is {secs} s; it must be more than 0 seconds"),
        ));
    }
    Ok(())
}

/// The six claims of a decrypted token, exactly as they are in it.
///
/// Serializes as the claims object: `payload` is left out when the token has no
/// `payload` member (as the UIKits' test helper makes them).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenClaims {
    /// The app the token is for.
    pub app_id: u32,
    /// The user the token is for.
    pub user_id: String,
    /// The random claims nonce (a signed 32-bit value in every official generator).
    pub nonce: i64,
    /// Creation time, Unix seconds.
    pub ctime: i64,
    /// Expiry time, Unix seconds.
    pub expire: i64,
    /// The payload text (`""` for a basic token; absent in the token counts as `""`).
    pub payload: String,
    /// Whether the token has a `payload` member at all.
    pub payload_present: bool,
}

impl Serialize for TokenClaims {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut m = s.serialize_struct("TokenClaims", 5 + usize::from(self.payload_present))?;
        m.serialize_field("app_id", &self.app_id)?;
        m.serialize_field("user_id", &self.user_id)?;
        m.serialize_field("nonce", &self.nonce)?;
        m.serialize_field("ctime", &self.ctime)?;
        m.serialize_field("expire", &self.expire)?;
        if self.payload_present {
            m.serialize_field("payload", &self.payload)?;
        }
        m.end()
    }
}

impl TokenClaims {
    /// The room privileges of a privilege token: `None` for an empty payload.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidPayload`] when the payload is not empty and not a room privilege
    /// document.
    pub fn room_privileges(&self) -> Result<Option<crate::RoomPrivileges>, Error> {
        if self.payload.is_empty() {
            return Ok(None);
        }
        crate::RoomPrivileges::parse(&self.payload).map(Some)
    }
}

#[derive(Deserialize)]
struct RawClaims {
    app_id: u32,
    user_id: String,
    nonce: i64,
    ctime: i64,
    expire: i64,
    payload: Option<String>,
}

/// Parses a decrypted claims document: any JSON object with the six members, in any
/// order and escaping (unknown members are ignored).
pub(crate) fn parse_claims(plaintext: &[u8]) -> Result<TokenClaims, InvalidClaims> {
    match serde_json::from_slice::<RawClaims>(plaintext) {
        Ok(r) => Ok(TokenClaims {
            app_id: r.app_id,
            user_id: r.user_id,
            nonce: r.nonce,
            ctime: r.ctime,
            expire: r.expire,
            payload_present: r.payload.is_some(),
            payload: r.payload.unwrap_or_default(),
        }),
        Err(_) => Err(diagnose(plaintext)),
    }
}

/// Finds which member makes the claims unparsable (the error path only).
fn diagnose(plaintext: &[u8]) -> InvalidClaims {
    use serde_json::Value;
    let not_object = || InvalidClaims {
        member: None,
        message: "the decrypted claims are not a JSON object".into(),
    };
    let Ok(Value::Object(map)) = serde_json::from_slice::<Value>(plaintext) else {
        return not_object();
    };
    type Check = (&'static str, fn(&Value) -> bool, &'static str);
    let checks: [Check; 6] = [
        (
            "app_id",
            |v| v.as_u64().is_some_and(|n| u32::try_from(n).is_ok()),
            "an unsigned 32-bit integer",
        ),
        ("user_id", Value::is_string, "a string"),
        ("nonce", |v| v.as_i64().is_some(), "an integer"),
        ("ctime", |v| v.as_i64().is_some(), "an integer"),
        ("expire", |v| v.as_i64().is_some(), "an integer"),
        ("payload", Value::is_string, "a string"),
    ];
    for (name, ok, want) in checks {
        match map.get(name) {
            None if name == "payload" => {}
            None => {
                return InvalidClaims {
                    member: Some(name),
                    message: format!("the claims lack the member {name:?}"),
                };
            }
            Some(v) if !ok(v) => {
                return InvalidClaims {
                    member: Some(name),
                    message: format!("the claim {name:?} is not {want}"),
                };
            }
            Some(_) => {}
        }
    }
    // Duplicate members are the one case serde rejects that the checks above accept.
    InvalidClaims {
        member: None,
        message: "the decrypted claims repeat a member".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_any_order_and_missing_payload() {
        let c = parse_claims(
            br#"{"nonce":-1,"expire":20,"user_id":"u","ctime":10,"app_id":7,"extra":true}"#,
        )
        .unwrap();
        assert_eq!(c.app_id, 7);
        assert_eq!(c.nonce, -1);
        assert_eq!(c.payload, "");
        assert!(!c.payload_present);
        let json = serde_json::to_string(&c).unwrap();
        assert!(!json.contains("payload"), "{json}");
        let c = parse_claims(
            br#"{"nonce":1,"expire":2,"user_id":"u","ctime":1,"app_id":7,"payload":""}"#,
        )
        .unwrap();
        assert!(c.payload_present);
        assert!(
            serde_json::to_string(&c)
                .unwrap()
                .ends_with(r#""payload":""}"#)
        );
    }

    #[test]
    fn names_the_bad_member() {
        let m = |s: &str| parse_claims(s.as_bytes()).unwrap_err().member();
        assert_eq!(m("[]"), None);
        assert_eq!(m("not json"), None);
        assert_eq!(
            m(r#"{"app_id":"1","user_id":"u","nonce":1,"ctime":1,"expire":2}"#),
            Some("app_id")
        );
        assert_eq!(
            m(r#"{"app_id":4294967296,"user_id":"u","nonce":1,"ctime":1,"expire":2}"#),
            Some("app_id")
        );
        assert_eq!(
            m(r#"{"app_id":1,"user_id":5,"nonce":1,"ctime":1,"expire":2}"#),
            Some("user_id")
        );
        assert_eq!(
            m(r#"{"app_id":1,"user_id":"u","nonce":"1","ctime":1,"expire":2}"#),
            Some("nonce")
        );
        assert_eq!(
            m(r#"{"app_id":1,"user_id":"u","nonce":1,"ctime":1}"#),
            Some("expire")
        );
        assert_eq!(
            m(r#"{"app_id":1,"user_id":"u","nonce":1,"ctime":1,"expire":2,"payload":{}}"#),
            Some("payload")
        );
    }

    #[test]
    fn validates_inputs_with_official_codes() {
        let d = Duration::from_secs(60);
        let code = |c: Claims| c.validate().unwrap_err().official_code();
        assert_eq!(code(Claims::new(0, "u", d)), Some(1));
        assert_eq!(code(Claims::new(1, "", d)), Some(3));
        assert_eq!(code(Claims::new(1, "x".repeat(64), d)), Some(3));
        assert!(Claims::new(1, "x".repeat(63), d).validate().is_ok());
        assert_eq!(code(Claims::new(1, "u", Duration::ZERO)), Some(6));
        assert_eq!(
            code(Claims::new(1, "u", Duration::from_millis(1500))),
            Some(6)
        );
        assert_eq!(
            code(Claims::new(1, "u", Duration::from_secs(u64::MAX))),
            Some(6)
        );
    }
}
