//! Kit tokens for ZEGO's prebuilt UIKits.
//!
//! The web UIKits take `token04 + "#" + base64(JSON)` where the JSON is
//! `{"userID":…,"roomID":…,"userName":encodeURIComponent(name),"appID":…}`, the shape
//! the kits' `generateKitTokenForProduction` builds. Making it on the server keeps the
//! ServerSecret off the client, unlike the kits' own test helper.

use base64_simd::STANDARD;

use crate::error::{Error, Field};
use crate::json::{write_int, write_str};

/// Builds a production kit token from a token04 made for `user_id` (a privilege token
/// for `room_id` if the app enforces room checks).
///
/// The user name may be any text (it is URI-encoded, as the kits expect). The user and
/// room IDs must follow ZEGO's ID rules ([`crate::sdk::check_user_id`],
/// [`crate::sdk::check_room_id`]): the kits read the kit info with `atob`, as Latin-1,
/// so anything but those ASCII characters would reach the SDK changed.
///
/// ```
/// let kit = zego_token::kit_token("04AAAA", 1234567890, "u1", "room1", "Zoë D")?;
/// let (token, info) = kit.split_once('#').unwrap();
/// assert_eq!(token, "04AAAA");
/// assert_eq!(
///     zego_token::decode_kit_info(info)?,
///     r#"{"userID":"u1","roomID":"room1","userName":"Zo%C3%AB%20D","appID":1234567890}"#
/// );
/// # Ok::<(), zego_token::Error>(())
/// ```
///
/// # Errors
///
/// [`Error::InvalidInput`] for [`Field::UserId`] or [`Field::RoomId`] when an ID breaks
/// a rule the kit's SDK enforces (empty, too long, or a character outside
/// [`crate::sdk::is_id_char`]).
pub fn kit_token(
    token04: &str,
    app_id: u32,
    user_id: &str,
    room_id: &str,
    user_name: &str,
) -> Result<String, Error> {
    validate_kit_ids(user_id, room_id)?;
    let mut json = Vec::with_capacity(64 + user_id.len() + room_id.len() + 3 * user_name.len());
    json.extend_from_slice(b"{\"userID\":");
    write_str(&mut json, user_id);
    json.extend_from_slice(b",\"roomID\":");
    write_str(&mut json, room_id);
    json.extend_from_slice(b",\"userName\":");
    write_str(&mut json, &encode_uri_component(user_name));
    json.extend_from_slice(b",\"appID\":");
    write_int(&mut json, app_id);
    json.push(b'}');
    let mut out = String::with_capacity(token04.len() + 1 + STANDARD.encoded_length(json.len()));
    out.push_str(token04);
    out.push('#');
    STANDARD.encode_append(&json, &mut out);
    Ok(out)
}

/// Checks a kit token's user and room IDs against what the web UIKits can carry: ZEGO's
/// ID rules, including the Web SDK's own refusals (`%`, `/`), since the kits log in with
/// it. [`kit_token`] applies it; call it first to refuse a request before minting its
/// token04.
///
/// # Errors
///
/// [`Error::InvalidInput`] for [`Field::UserId`] or [`Field::RoomId`], naming the rule.
pub fn validate_kit_ids(user_id: &str, room_id: &str) -> Result<(), Error> {
    for (field, id, warnings) in [
        (Field::UserId, user_id, crate::sdk::check_user_id(user_id)),
        (Field::RoomId, room_id, crate::sdk::check_room_id(room_id)),
    ] {
        if let Some(w) = warnings.iter().find(|w| w.refused_by_web()) {
            return Err(Error::input(
                field,
                format!("{w}; the UIKits cannot carry it in a kit token"),
            ));
        }
        if id.is_empty() {
            return Err(Error::input(field, format!("{} is empty", field.name())));
        }
    }
    Ok(())
}

/// The kit info of a kit token (`token04#info`), as the UIKits read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KitInfo {
    /// `appID`, when it is an unsigned 32-bit number.
    pub app_id: Option<u32>,
    /// `userID`, when it is a string.
    pub user_id: Option<String>,
    /// `roomID`, when it is a string.
    pub room_id: Option<String>,
    /// `userName`, URI-decoded as the kits decode it (the raw text when it is not valid
    /// URI encoding of UTF-8).
    pub user_name: Option<String>,
    /// The JSON text itself.
    pub json: String,
}

/// Splits a kit token into its token04 and its kit info. Text without `#` is a plain
/// token04: `(text, None)`.
///
/// ```
/// let kit = zego_token::kit_token("04AAAA", 1234567890, "u1", "room1", "Zoë D")?;
/// let (token, info) = zego_token::parse_kit_token(&kit)?;
/// assert_eq!(token, "04AAAA");
/// let info = info.unwrap();
/// assert_eq!(info.user_name.as_deref(), Some("Zoë D"));
/// assert_eq!(info.app_id, Some(1234567890));
/// # Ok::<(), zego_token::Error>(())
/// ```
///
/// # Errors
///
/// [`Error::Malformed`] ([`Malformed::KitInfo`](crate::Malformed::KitInfo)) when the part
/// after `#` is not base64 of a JSON object.
pub fn parse_kit_token(text: &str) -> Result<(&str, Option<KitInfo>), Error> {
    let Some((token04, info)) = text.split_once('#') else {
        return Ok((text, None));
    };
    let json = decode_kit_info(info.trim())?;
    let serde_json::Value::Object(map) =
        serde_json::from_str::<serde_json::Value>(&json).map_err(|_| crate::Malformed::KitInfo)?
    else {
        return Err(crate::Malformed::KitInfo.into());
    };
    let text_of = |k: &str| {
        map.get(k)
            .and_then(serde_json::Value::as_str)
            .map(str::to_owned)
    };
    Ok((
        token04,
        Some(KitInfo {
            app_id: map
                .get("appID")
                .and_then(serde_json::Value::as_u64)
                .and_then(|n| u32::try_from(n).ok()),
            user_id: text_of("userID"),
            room_id: text_of("roomID"),
            user_name: text_of("userName").map(|n| decode_uri_component(&n).unwrap_or(n)),
            json,
        }),
    ))
}

/// JavaScript's `decodeURIComponent`; `None` for text it would throw on.
fn decode_uri_component(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// Decodes the part of a kit token after `#` back to its JSON text.
///
/// # Errors
///
/// [`Error::Malformed`] ([`Malformed::KitInfo`](crate::Malformed::KitInfo)) when it is
/// not base64 of UTF-8 text.
pub fn decode_kit_info(info: &str) -> Result<String, Error> {
    let bytes = STANDARD
        .decode_to_vec(info)
        .map_err(|_| crate::Malformed::KitInfo)?;
    String::from_utf8(bytes).map_err(|_| crate::Malformed::KitInfo.into())
}

/// JavaScript's `encodeURIComponent`: every byte of the UTF-8 form except
/// `A-Z a-z 0-9 - _ . ! ~ * ' ( )` becomes `%XX` (upper-case hex).
fn encode_uri_component(s: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(s.len());
    for &b in s.as_bytes() {
        if b.is_ascii_alphanumeric() || b"-_.!~*'()".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 0xf)]));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_like_javascript() {
        assert_eq!(
            encode_uri_component("a b&c/d?é~*'()!"),
            "a%20b%26c%2Fd%3F%C3%A9~*'()!"
        );
        assert_eq!(encode_uri_component("用户"), "%E7%94%A8%E6%88%B7");
        for s in ["a b&c/d?é~*'()!", "用户 🎉", "%41"] {
            assert_eq!(
                decode_uri_component(&encode_uri_component(s)).as_deref(),
                Some(s)
            );
        }
        assert_eq!(decode_uri_component("%E7%94"), None);
        assert_eq!(decode_uri_component("%zz"), None);
    }

    #[test]
    fn refuses_ids_the_kits_mangle() {
        for (user, room) in [
            ("josé", "r"),
            ("u", "room one"),
            ("", "r"),
            ("u", ""),
            ("a/b", "r"),
            ("u", "r/1"),
            ("50%", "r"),
        ] {
            let e = kit_token("04AA", 1, user, room, "n").unwrap_err();
            assert!(matches!(e, Error::InvalidInput(_)), "{user:?} {room:?}");
        }
        assert!(kit_token("04AA", 1, "u_1", "r-1", "José 🎉").is_ok());
    }
}
