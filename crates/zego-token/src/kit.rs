//! Kit tokens for ZEGO's prebuilt UIKits.
//!
//! The web UIKits take `token04 + "#" + base64(JSON)` where the JSON is
//! `{"userID":…,"roomID":…,"userName":encodeURIComponent(name),"appID":…}`, the shape
//! the kits' `generateKitTokenForProduction` builds. Making it on the server keeps the
//! ServerSecret off the client, unlike the kits' own test helper.

use base64_simd::STANDARD;

use crate::error::Error;
use crate::json::{write_int, write_str};

/// Builds a production kit token from a token04 made for `user_id` (a privilege token
/// for `room_id` if the app enforces room checks).
///
/// ```
/// let kit = zego_token::kit_token("04AAAA", 1234567890, "u1", "room1", "Zoë D");
/// let (token, info) = kit.split_once('#').unwrap();
/// assert_eq!(token, "04AAAA");
/// assert_eq!(
///     zego_token::decode_kit_info(info)?,
///     r#"{"userID":"u1","roomID":"room1","userName":"Zo%C3%AB%20D","appID":1234567890}"#
/// );
/// # Ok::<(), zego_token::Error>(())
/// ```
#[must_use]
pub fn kit_token(
    token04: &str,
    app_id: u32,
    user_id: &str,
    room_id: &str,
    user_name: &str,
) -> String {
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
    out
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
    }
}
