//! The RTC room privilege payload: a typed builder and a parser.
//!
//! The payload is a JSON document such as
//! `{"room_id":"room1","privilege":{"1":1,"2":0},"stream_id_list":["s1"]}`: the only room
//! the token may log in to, the login (`"1"`) and publish (`"2"`) privileges (1 allowed,
//! 0 denied), and the only stream IDs the user may publish (`null` or empty: any).

use serde_json::Value;

use crate::claims::Payload;
use crate::error::{Error, Field, Privilege};
use crate::json::write_str;

/// Room IDs must be shorter than this many bytes (ZEGO's SDK limit).
pub const ROOM_ID_LIMIT: usize = 128;
/// Stream IDs must be shorter than this many bytes (ZEGO's SDK limit).
pub const STREAM_ID_LIMIT: usize = 256;

/// Builds the room privilege payload of a privilege token.
///
/// Defaults: login allowed, publish denied, no stream list (any stream). Setters never
/// fail; [`RoomPayload::build`] checks everything at once.
///
/// ```
/// use zego_token::RoomPayload;
///
/// let p = RoomPayload::new("room1").allow_publish().stream("s1").build()?;
/// assert_eq!(
///     p.to_json(),
///     r#"{"room_id":"room1","privilege":{"1":1,"2":1},"stream_id_list":["s1"]}"#
/// );
/// # Ok::<(), zego_token::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use]
pub struct RoomPayload {
    room_id: String,
    login: bool,
    publish: bool,
    stream_ids: Option<Vec<String>>,
}

impl RoomPayload {
    /// A payload for `room_id`, with login allowed and publish denied.
    pub fn new(room_id: impl Into<String>) -> Self {
        Self {
            room_id: room_id.into(),
            login: true,
            publish: false,
            stream_ids: None,
        }
    }

    /// Allows logging in to the room (the default).
    pub fn allow_login(mut self) -> Self {
        self.login = true;
        self
    }

    /// Denies logging in to the room.
    pub fn deny_login(mut self) -> Self {
        self.login = false;
        self
    }

    /// Allows publishing streams.
    pub fn allow_publish(mut self) -> Self {
        self.publish = true;
        self
    }

    /// Denies publishing streams (the default).
    pub fn deny_publish(mut self) -> Self {
        self.publish = false;
        self
    }

    /// Sets login from a flag.
    pub fn login(mut self, allowed: bool) -> Self {
        self.login = allowed;
        self
    }

    /// Sets publish from a flag.
    pub fn publish(mut self, allowed: bool) -> Self {
        self.publish = allowed;
        self
    }

    /// Adds a stream ID to the list of streams the user may publish.
    pub fn stream(mut self, stream_id: impl Into<String>) -> Self {
        self.stream_ids
            .get_or_insert_with(Vec::new)
            .push(stream_id.into());
        self
    }

    /// Adds several stream IDs.
    pub fn streams<I, S>(mut self, stream_ids: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let list = self.stream_ids.get_or_insert_with(Vec::new);
        list.extend(stream_ids.into_iter().map(Into::into));
        self
    }

    /// Checks the payload against ZEGO's limits.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for [`Field::RoomId`] (empty, or 128 bytes or more) or
    /// [`Field::StreamId`] (empty, 256 bytes or more, or a character outside
    /// `A-Z a-z 0-9 - _`), naming the offending value's position and the rule.
    pub fn build(self) -> Result<RoomPrivileges, Error> {
        validate_room_id(&self.room_id)?;
        if let Some(list) = &self.stream_ids {
            for (i, id) in list.iter().enumerate() {
                validate_stream_id(id).map_err(|e| match e {
                    Error::InvalidInput(inner) => Error::input(
                        Field::StreamId,
                        format!("stream ID #{}: {}", i + 1, inner.message()),
                    ),
                    other => other,
                })?;
            }
        }
        Ok(RoomPrivileges {
            room_id: self.room_id,
            login: self.login,
            publish: self.publish,
            stream_ids: self.stream_ids,
        })
    }
}

/// Checks a room ID against ZEGO's limits (non-empty, fewer than 128 bytes).
///
/// # Errors
///
/// [`Error::InvalidInput`] for [`Field::RoomId`].
pub fn validate_room_id(room_id: &str) -> Result<(), Error> {
    if room_id.is_empty() {
        return Err(Error::input(Field::RoomId, "room_id is empty"));
    }
    if room_id.len() >= ROOM_ID_LIMIT {
        return Err(Error::input(
            Field::RoomId,
            format!(
                "room_id is {} bytes long; ZEGO's SDKs accept fewer than {ROOM_ID_LIMIT} bytes",
                room_id.len()
            ),
        ));
    }
    Ok(())
}

/// Checks a stream ID against ZEGO's limits (non-empty, fewer than 256 bytes, only
/// `A-Z a-z 0-9 - _`).
///
/// # Errors
///
/// [`Error::InvalidInput`] for [`Field::StreamId`].
pub fn validate_stream_id(stream_id: &str) -> Result<(), Error> {
    if stream_id.is_empty() {
        return Err(Error::input(Field::StreamId, "the stream ID is empty"));
    }
    if stream_id.len() >= STREAM_ID_LIMIT {
        return Err(Error::input(
            Field::StreamId,
            format!(
                "the stream ID is {} bytes long; ZEGO's SDKs accept fewer than {STREAM_ID_LIMIT} bytes",
                stream_id.len()
            ),
        ));
    }
    if let Some(c) = stream_id
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || *c == '-' || *c == '_'))
    {
        return Err(Error::input(
            Field::StreamId,
            format!("the stream ID contains {c:?}; only A-Z, a-z, 0-9, '-' and '_' are allowed"),
        ));
    }
    Ok(())
}

/// The typed form of a room privilege payload: built by [`RoomPayload`], or parsed from
/// a token's payload by [`RoomPrivileges::parse`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoomPrivileges {
    room_id: String,
    login: bool,
    publish: bool,
    stream_ids: Option<Vec<String>>,
}

impl RoomPrivileges {
    /// Parses a payload written by any official sample: any member order, spaces or not,
    /// `stream_id_list` `null`, `[]` or absent. A privilege key that is absent counts as
    /// denied; other privilege keys are ignored.
    ///
    /// Parsing is lenient about ZEGO's length limits (it reads what others wrote); use
    /// [`RoomPayload`] to build payloads that respect them.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidPayload`] when the text is not a JSON object, lacks a string
    /// `room_id`, has a privilege value other than 0 or 1, or a stream list that is not
    /// an array of strings.
    pub fn parse(payload: &str) -> Result<Self, Error> {
        let bad = |m: &str| Error::InvalidPayload(m.to_owned());
        let value: Value =
            serde_json::from_str(payload).map_err(|e| bad(&format!("it is not JSON ({e})")))?;
        let Value::Object(map) = value else {
            return Err(bad("it is not a JSON object"));
        };
        let room_id = match map.get("room_id") {
            Some(Value::String(s)) => s.clone(),
            Some(_) => return Err(bad("room_id is not a string")),
            None => return Err(bad("it has no room_id")),
        };
        let (mut login, mut publish) = (false, false);
        match map.get("privilege") {
            None | Some(Value::Null) => {}
            Some(Value::Object(p)) => {
                for (priv_, slot) in [
                    (Privilege::Login, &mut login),
                    (Privilege::Publish, &mut publish),
                ] {
                    *slot = match p.get(priv_.key()) {
                        None => false,
                        Some(v) if v.as_i64() == Some(1) => true,
                        Some(v) if v.as_i64() == Some(0) => false,
                        Some(_) => {
                            return Err(bad(&format!(
                                "privilege \"{}\" ({priv_}) is not 0 or 1",
                                priv_.key()
                            )));
                        }
                    };
                }
            }
            Some(_) => return Err(bad("privilege is not an object")),
        }
        let stream_ids = match map.get("stream_id_list") {
            None | Some(Value::Null) => None,
            Some(Value::Array(items)) => Some(
                items
                    .iter()
                    .map(|v| v.as_str().map(str::to_owned))
                    .collect::<Option<Vec<_>>>()
                    .ok_or_else(|| bad("stream_id_list holds something other than strings"))?,
            ),
            Some(_) => return Err(bad("stream_id_list is not an array or null")),
        };
        Ok(Self {
            room_id,
            login,
            publish,
            stream_ids,
        })
    }

    /// The room the token may log in to.
    #[must_use]
    pub fn room_id(&self) -> &str {
        &self.room_id
    }

    /// Whether the login privilege is granted.
    #[must_use]
    pub const fn can_login(&self) -> bool {
        self.login
    }

    /// Whether the publish privilege is granted.
    #[must_use]
    pub const fn can_publish(&self) -> bool {
        self.publish
    }

    /// The stream list as written: `None` for `null` or absent, `Some(&[])` for `[]`.
    #[must_use]
    pub fn stream_ids(&self) -> Option<&[String]> {
        self.stream_ids.as_deref()
    }

    /// Whether the token lets the user publish `stream_id` (publish granted, and the
    /// stream list is empty or names it).
    #[must_use]
    pub fn allows_stream(&self, stream_id: &str) -> bool {
        self.publish && self.stream_restriction_allows(stream_id)
    }

    pub(crate) fn stream_restriction_allows(&self, stream_id: &str) -> bool {
        match &self.stream_ids {
            None => true,
            Some(list) => list.is_empty() || list.iter().any(|s| s == stream_id),
        }
    }

    /// The payload JSON, exactly
    /// `{"room_id":…,"privilege":{"1":…,"2":…},"stream_id_list":…}` with no spaces and
    /// `null` when there is no stream list.
    #[must_use]
    pub fn to_json(&self) -> String {
        let mut out = Vec::with_capacity(64 + self.room_id.len());
        out.extend_from_slice(b"{\"room_id\":");
        write_str(&mut out, &self.room_id);
        out.extend_from_slice(b",\"privilege\":{\"1\":");
        out.push(if self.login { b'1' } else { b'0' });
        out.extend_from_slice(b",\"2\":");
        out.push(if self.publish { b'1' } else { b'0' });
        out.extend_from_slice(b"},\"stream_id_list\":");
        match &self.stream_ids {
            None => out.extend_from_slice(b"null"),
            Some(list) => {
                out.push(b'[');
                for (i, s) in list.iter().enumerate() {
                    if i > 0 {
                        out.push(b',');
                    }
                    write_str(&mut out, s);
                }
                out.push(b']');
            }
        }
        out.push(b'}');
        String::from_utf8(out).expect("the writer only appends UTF-8")
    }

    /// Describes the privileges in words, e.g. `room "room1": login allowed, publish
    /// denied, any stream`.
    #[must_use]
    pub fn describe(&self) -> String {
        let yes_no = |b: bool| if b { "allowed" } else { "denied" };
        let streams = match self.stream_ids.as_deref() {
            None | Some([]) => "any stream ID".to_owned(),
            Some(list) => format!("only stream IDs {}", list.join(", ")),
        };
        format!(
            "room {:?}: login {}, publish {} ({streams})",
            self.room_id,
            yes_no(self.login),
            yes_no(self.publish),
        )
    }
}

impl From<RoomPrivileges> for Payload {
    fn from(p: RoomPrivileges) -> Self {
        Self::raw(p.to_json())
    }
}

impl From<&RoomPrivileges> for Payload {
    fn from(p: &RoomPrivileges) -> Self {
        Self::raw(p.to_json())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_the_official_shape() {
        let p = RoomPayload::new("room1").build().unwrap();
        assert_eq!(
            p.to_json(),
            r#"{"room_id":"room1","privilege":{"1":1,"2":0},"stream_id_list":null}"#
        );
        let p = RoomPayload::new("r")
            .deny_login()
            .allow_publish()
            .streams(["a", "b"])
            .build()
            .unwrap();
        assert_eq!(
            p.to_json(),
            r#"{"room_id":"r","privilege":{"1":0,"2":1},"stream_id_list":["a","b"]}"#
        );
        assert_eq!(RoomPrivileges::parse(&p.to_json()).unwrap(), p);
    }

    #[test]
    fn rejects_out_of_limit_ids() {
        let field = |r: Result<RoomPrivileges, Error>| match r.unwrap_err() {
            Error::InvalidInput(e) => e.field(),
            other => panic!("{other:?}"),
        };
        assert_eq!(field(RoomPayload::new("").build()), Field::RoomId);
        assert_eq!(
            field(RoomPayload::new("r".repeat(128)).build()),
            Field::RoomId
        );
        assert!(RoomPayload::new("r".repeat(127)).build().is_ok());
        assert_eq!(
            field(RoomPayload::new("r").stream("a b").build()),
            Field::StreamId
        );
        assert_eq!(
            field(RoomPayload::new("r").stream("").build()),
            Field::StreamId
        );
        assert_eq!(
            field(RoomPayload::new("r").stream("s".repeat(256)).build()),
            Field::StreamId
        );
        let msg = RoomPayload::new("r")
            .stream("ok")
            .stream("b/d")
            .build()
            .unwrap_err();
        assert!(msg.to_string().contains("stream ID #2"), "{msg}");
    }

    #[test]
    fn parses_sample_variants() {
        let python =
            r#"{"room_id": "room1", "privilege": {"1": 1, "2": 0}, "stream_id_list": null}"#;
        let php = r#"{"room_id":"room1","privilege":{"1":1,"2":0},"stream_id_list":[]}"#;
        let dotnet = r#"{"room_id":"room1","stream_id_list":null,"privilege":{"1":1,"2":0}}"#;
        for s in [python, php, dotnet] {
            let p = RoomPrivileges::parse(s).unwrap();
            assert_eq!(p.room_id(), "room1");
            assert!(p.can_login() && !p.can_publish());
            assert!(p.stream_restriction_allows("anything"));
        }
        assert_eq!(
            RoomPrivileges::parse(php).unwrap().stream_ids(),
            Some(&[][..])
        );
    }

    #[test]
    fn parse_errors_are_specific() {
        for (s, want) in [
            ("nope", "not JSON"),
            ("[]", "not a JSON object"),
            ("{}", "no room_id"),
            (r#"{"room_id":1}"#, "room_id is not a string"),
            (r#"{"room_id":"r","privilege":{"1":2}}"#, "not 0 or 1"),
            (
                r#"{"room_id":"r","privilege":[]}"#,
                "privilege is not an object",
            ),
            (
                r#"{"room_id":"r","stream_id_list":[1]}"#,
                "other than strings",
            ),
            (r#"{"room_id":"r","stream_id_list":"s"}"#, "not an array"),
        ] {
            let e = RoomPrivileges::parse(s).unwrap_err().to_string();
            assert!(e.contains(want), "{s}: {e}");
        }
    }
}
