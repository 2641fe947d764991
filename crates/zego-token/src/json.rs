//! A small JSON writer for the claims, byte-identical to Node.js `JSON.stringify`.
//!
//! It escapes exactly what JSON (RFC 8259, section 7) requires and what
//! `JSON.stringify` escapes: `"`, `\`, the short escapes `\b \f \n \r \t`, and every
//! other control character below U+0020 as `\u00xx` with lower-case hex. Everything else,
//! non-ASCII included, is written as raw UTF-8.

/// Appends `s` as a JSON string literal.
pub(crate) fn write_str(out: &mut Vec<u8>, s: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let bytes = s.as_bytes();
    out.push(b'"');
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let short = match b {
            b'"' => b'"',
            b'\\' => b'\\',
            0x08 => b'b',
            0x0c => b'f',
            b'\n' => b'n',
            b'\r' => b'r',
            b'\t' => b't',
            0x00..=0x1f => 0,
            _ => continue,
        };
        out.extend_from_slice(&bytes[start..i]);
        start = i + 1;
        if short == 0 {
            out.extend_from_slice(b"\\u00");
            out.push(HEX[usize::from(b >> 4)]);
            out.push(HEX[usize::from(b & 0xf)]);
        } else {
            out.push(b'\\');
            out.push(short);
        }
    }
    out.extend_from_slice(&bytes[start..]);
    out.push(b'"');
}

/// Appends an integer.
pub(crate) fn write_int(out: &mut Vec<u8>, n: impl itoa::Integer) {
    out.extend_from_slice(itoa::Buffer::new().format(n).as_bytes());
}

/// The fields written into a claims document.
pub(crate) struct ClaimsOut<'a> {
    pub(crate) app_id: u32,
    pub(crate) user_id: &'a str,
    pub(crate) nonce: i32,
    pub(crate) ctime: i64,
    pub(crate) expire: i64,
    pub(crate) payload: &'a str,
}

/// Appends the claims object in the member order of the Node.js and Python generators:
/// `app_id, user_id, nonce, ctime, expire, payload`.
pub(crate) fn write_claims(out: &mut Vec<u8>, c: &ClaimsOut<'_>) {
    out.extend_from_slice(b"{\"app_id\":");
    write_int(out, c.app_id);
    out.extend_from_slice(b",\"user_id\":");
    write_str(out, c.user_id);
    out.extend_from_slice(b",\"nonce\":");
    write_int(out, c.nonce);
    out.extend_from_slice(b",\"ctime\":");
    write_int(out, c.ctime);
    out.extend_from_slice(b",\"expire\":");
    write_int(out, c.expire);
    out.extend_from_slice(b",\"payload\":");
    write_str(out, c.payload);
    out.push(b'}');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_like_json_stringify() {
        let mut out = Vec::new();
        write_str(
            &mut out,
            "q\"b\\s/ <&> \u{8}\u{c}\n\r\t\u{1}\u{1f}\u{7f} é \u{2028} 😀",
        );
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "\"q\\\"b\\\\s/ <&> \\b\\f\\n\\r\\t\\u0001\\u001f\u{7f} é \u{2028} 😀\""
        );
    }

    #[test]
    fn extreme_claims_are_valid_json() {
        let c = ClaimsOut {
            app_id: u32::MAX,
            user_id: "a\"\u{1}b",
            nonce: i32::MIN,
            ctime: -5,
            expire: i64::MAX,
            payload: "{\"x\":\"\\n\"}\t",
        };
        let mut out = Vec::new();
        write_claims(&mut out, &c);
        let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(v["nonce"], i32::MIN);
        assert_eq!(v["user_id"], "a\"\u{1}b");
    }
}
