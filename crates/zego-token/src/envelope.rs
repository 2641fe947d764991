//! The token04 envelope: `"04"` + base64 of the binary body. Parsing and writing, no
//! cryptography.

use std::borrow::Cow;

use base64_simd::STANDARD;

use crate::cipher::{CBC_IV_LEN, CipherMode, GCM_TAG_LEN};
use crate::error::{Error, Malformed};

/// The version prefix of every token04.
pub const VERSION: &str = "04";

/// The largest ciphertext the u16 length field can describe.
pub(crate) const MAX_CIPHERTEXT_LEN: usize = u16::MAX as usize;

/// The longest body a token04 can have: expire, IV length, a 16-byte IV, ciphertext
/// length, the largest ciphertext and a mode byte.
const MAX_BODY_LEN: usize = 8 + 2 + CBC_IV_LEN + 2 + MAX_CIPHERTEXT_LEN + 1;

/// The longest text a token04 can be.
pub const MAX_TOKEN_LEN: usize = VERSION.len() + MAX_BODY_LEN.div_ceil(3) * 4;

/// A token04 read without the secret: nothing in it is authenticated.
///
/// The header fields (expire, IV, mode) are readable by anyone, which is why this type
/// exists; but anyone can also forge them, so never make a decision on them. The
/// `expire` here is the header copy; only the `expire` inside the decrypted claims
/// ([`decode`](crate::decode), [`verify`](crate::verify)) is protected (GCM) or at least
/// encrypted (CBC).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UntrustedEnvelope {
    expire: i64,
    iv: Vec<u8>,
    ciphertext: Vec<u8>,
    mode: CipherMode,
    mode_byte: Option<u8>,
}

/// Reads a token's header without the secret. See [`UntrustedEnvelope`].
///
/// # Errors
///
/// [`Error::Malformed`] when the text is not a well-formed token04.
pub fn inspect(token: &str) -> Result<UntrustedEnvelope, Error> {
    UntrustedEnvelope::parse(token)
}

/// Undoes the harmless damage a token takes when it is copied, pasted or sent:
///
/// * surrounding whitespace, and one pair of surrounding quotes (`"…"`, `'…'`, `` `…` ``)
///   from a JSON document, a log line or a shell;
/// * line breaks inside (a token wrapped in an e-mail or a terminal);
/// * percent encoding of `+`, `/` and `=` (`%2B`, `%2F`, `%3D`, from a URL).
///
/// Damage that loses information is refused with its cause named rather than guessed
/// at: spaces inside ([`Malformed::UrlDecoded`]: URL decoding turned every `+` into a
/// space) and a kit token where a token04 is expected ([`Malformed::KitToken`]).
///
/// ```
/// assert_eq!(zego_token::normalize_token(" \"04AB%2Bc\r\nd=\"\n")?, "04AB+cd=");
/// assert!(zego_token::normalize_token("04AB cd").is_err());
/// # Ok::<(), zego_token::Malformed>(())
/// ```
///
/// # Errors
///
/// [`Malformed::Empty`], [`Malformed::UrlDecoded`], [`Malformed::KitToken`].
pub fn normalize_token(text: &str) -> Result<Cow<'_, str>, Malformed> {
    let mut t = text.trim();
    for q in ['"', '\'', '`'] {
        if t.len() >= 2 && t.starts_with(q) && t.ends_with(q) {
            t = t[1..t.len() - 1].trim();
            break;
        }
    }
    if t.is_empty() {
        return Err(Malformed::Empty);
    }
    if !t.starts_with(VERSION) {
        // Not a token04 at all: the parser names the version it found.
        return Ok(Cow::Borrowed(t));
    }
    if t.contains('#') {
        return Err(Malformed::KitToken);
    }
    if t.contains(' ') {
        return Err(Malformed::UrlDecoded);
    }
    let wrapped = t.contains(['\r', '\n', '\t']);
    let encoded = t.contains('%');
    if !wrapped && !encoded {
        return Ok(Cow::Borrowed(t));
    }
    let mut out = String::with_capacity(t.len());
    let mut rest = t;
    while let Some(c) = rest.chars().next() {
        let escaped = match rest.get(..3).map(str::to_ascii_uppercase).as_deref() {
            Some("%2B") => Some('+'),
            Some("%2F") => Some('/'),
            Some("%3D") => Some('='),
            _ => None,
        };
        if let Some(e) = escaped {
            out.push(e);
            rest = &rest[3..];
            continue;
        }
        if !matches!(c, '\r' | '\n' | '\t') {
            out.push(c);
        }
        rest = &rest[c.len_utf8()..];
    }
    Ok(Cow::Owned(out))
}

impl UntrustedEnvelope {
    /// Parses a token04, after [`normalize_token`] has removed the harmless damage of
    /// copying and pasting (surrounding whitespace and quotes, line wraps, percent
    /// encoding).
    ///
    /// Decoding rule (FORMAT): after the ciphertext, no byte means CBC; exactly one byte
    /// is the mode (0 = CBC, 1 = GCM); anything else is malformed. The IV must be 16
    /// bytes for CBC and 12 for GCM; a CBC ciphertext must be a non-zero multiple of 16
    /// bytes and a GCM one at least the 16-byte tag.
    ///
    /// # Errors
    ///
    /// [`Error::Malformed`] naming the first rule the text breaks.
    pub fn parse(token: &str) -> Result<Self, Error> {
        let token = normalize_token(token)?;
        let token = token.as_ref();
        let Some(b64) = token.strip_prefix(VERSION) else {
            let found = token
                .get(..2)
                .filter(|p| p.bytes().all(|b| b.is_ascii_alphanumeric()))
                .map(str::to_owned);
            return Err(Malformed::Version { found }.into());
        };
        if token.len() > MAX_TOKEN_LEN {
            return Err(Malformed::TooLong {
                len: token.len(),
                max: MAX_TOKEN_LEN,
            }
            .into());
        }
        let body = STANDARD.decode_to_vec(b64).map_err(|_| Malformed::Base64)?;
        Self::from_body(&body)
    }

    fn from_body(body: &[u8]) -> Result<Self, Error> {
        let mut r = Reader(body);
        let expire = i64::from_be_bytes(r.array::<8>("expire")?);
        let iv_len = usize::from(u16::from_be_bytes(r.array::<2>("IV length")?));
        let iv = r.take(iv_len, "IV")?.to_vec();
        let ct_len = usize::from(u16::from_be_bytes(r.array::<2>("ciphertext length")?));
        let ciphertext = r.take(ct_len, "ciphertext")?.to_vec();
        let (mode, mode_byte) = match *r.0 {
            [] => (CipherMode::Cbc, None),
            [0] => (CipherMode::Cbc, Some(0)),
            [1] => (CipherMode::Gcm, Some(1)),
            [b] => return Err(Malformed::UnknownMode(b).into()),
            ref rest => return Err(Malformed::TrailingBytes(rest.len()).into()),
        };
        if iv.len() != mode.iv_len() {
            return Err(Malformed::IvLength {
                mode,
                found: iv.len(),
            }
            .into());
        }
        let ct_ok = match mode {
            CipherMode::Cbc => !ciphertext.is_empty() && ciphertext.len() % CBC_IV_LEN == 0,
            CipherMode::Gcm => ciphertext.len() >= GCM_TAG_LEN,
        };
        if !ct_ok {
            return Err(Malformed::CiphertextLength {
                mode,
                found: ciphertext.len(),
            }
            .into());
        }
        Ok(Self {
            expire,
            iv,
            ciphertext,
            mode,
            mode_byte,
        })
    }

    /// The header's copy of `expire` (Unix seconds). Unauthenticated.
    #[must_use]
    pub const fn untrusted_expire(&self) -> i64 {
        self.expire
    }

    /// The cipher mode the body announces.
    #[must_use]
    pub const fn mode(&self) -> CipherMode {
        self.mode
    }

    /// Whether the body ends with an explicit mode byte (always for GCM; never for the
    /// official CBC generators).
    #[must_use]
    pub const fn has_mode_byte(&self) -> bool {
        self.mode_byte.is_some()
    }

    /// The IV (CBC) or nonce (GCM) bytes.
    #[must_use]
    pub fn iv(&self) -> &[u8] {
        &self.iv
    }

    /// The ciphertext length in bytes (GCM: including the 16-byte tag).
    #[must_use]
    pub fn ciphertext_len(&self) -> usize {
        self.ciphertext.len()
    }

    pub(crate) fn ciphertext(&self) -> &[u8] {
        &self.ciphertext
    }

    /// Writes the envelope back as token text. Parsing a token and writing it back gives
    /// the same text.
    #[must_use]
    pub fn to_token(&self) -> String {
        let mut body = Vec::with_capacity(8 + 2 + self.iv.len() + 2 + self.ciphertext.len() + 1);
        write_header(&mut body, self.expire, &self.iv);
        body.extend_from_slice(&len16(self.ciphertext.len()).to_be_bytes());
        body.extend_from_slice(&self.ciphertext);
        body.extend(self.mode_byte);
        encode_body(&body)
    }
}

/// Writes `expire`, the IV length and the IV.
pub(crate) fn write_header(body: &mut Vec<u8>, expire: i64, iv: &[u8]) {
    body.extend_from_slice(&expire.to_be_bytes());
    body.extend_from_slice(&len16(iv.len()).to_be_bytes());
    body.extend_from_slice(iv);
}

/// A length known to fit the u16 field (IVs are 12 or 16 bytes, ciphertexts are checked).
fn len16(len: usize) -> u16 {
    u16::try_from(len).expect("lengths are checked against the u16 field before writing")
}

/// Writes the ciphertext length into its placeholder at `at` and, for GCM, appends the
/// mode byte.
pub(crate) fn finish_body(body: &mut Vec<u8>, at: usize, ct_len: usize, mode: CipherMode) {
    body[at..at + 2].copy_from_slice(&len16(ct_len).to_be_bytes());
    if mode == CipherMode::Gcm {
        body.push(1);
    }
}

/// `"04"` + standard padded base64 of the body.
pub(crate) fn encode_body(body: &[u8]) -> String {
    let mut out = String::with_capacity(VERSION.len() + STANDARD.encoded_length(body.len()));
    out.push_str(VERSION);
    STANDARD.encode_append(body, &mut out);
    out
}

struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize, field: &'static str) -> Result<&'a [u8], Malformed> {
        if self.0.len() < n {
            return Err(Malformed::Truncated { field });
        }
        let (head, rest) = self.0.split_at(n);
        self.0 = rest;
        Ok(head)
    }

    fn array<const N: usize>(&mut self, field: &'static str) -> Result<[u8; N], Malformed> {
        let bytes = self.take(N, field)?;
        let mut out = [0u8; N];
        out.copy_from_slice(bytes);
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(iv: &[u8], ct: &[u8], tail: &[u8]) -> String {
        let mut b = Vec::new();
        write_header(&mut b, 1_700_000_000, iv);
        b.extend_from_slice(&u16::try_from(ct.len()).unwrap().to_be_bytes());
        b.extend_from_slice(ct);
        b.extend_from_slice(tail);
        encode_body(&b)
    }

    #[test]
    fn reads_modes_from_the_tail() {
        let cbc = inspect(&body(&[7; 16], &[0; 32], &[])).unwrap();
        assert_eq!(cbc.mode(), CipherMode::Cbc);
        assert!(!cbc.has_mode_byte());
        let cbc0 = inspect(&body(&[7; 16], &[0; 32], &[0])).unwrap();
        assert_eq!(cbc0.mode(), CipherMode::Cbc);
        assert!(cbc0.has_mode_byte());
        let gcm = inspect(&body(&[7; 12], &[0; 40], &[1])).unwrap();
        assert_eq!(gcm.mode(), CipherMode::Gcm);
        assert_eq!(gcm.untrusted_expire(), 1_700_000_000);
        assert_eq!(gcm.iv(), &[7; 12]);
        assert_eq!(gcm.ciphertext_len(), 40);
    }

    #[test]
    fn names_what_is_wrong() {
        let e = |t: &str| match inspect(t).unwrap_err() {
            Error::Malformed(m) => m,
            other => panic!("{other:?}"),
        };
        assert_eq!(e(""), Malformed::Empty);
        assert_eq!(
            e("03abcd"),
            Malformed::Version {
                found: Some("03".into())
            }
        );
        assert_eq!(e("\u{1F600}"), Malformed::Version { found: None });
        assert_eq!(e("04!!!!"), Malformed::Base64);
        assert_eq!(e("04AAAA"), Malformed::Truncated { field: "expire" });
        assert_eq!(
            e(&body(&[7; 16], &[0; 32], &[2])),
            Malformed::UnknownMode(2)
        );
        assert_eq!(
            e(&body(&[7; 16], &[0; 32], &[1, 1])),
            Malformed::TrailingBytes(2)
        );
        assert_eq!(
            e(&body(&[7; 12], &[0; 32], &[])),
            Malformed::IvLength {
                mode: CipherMode::Cbc,
                found: 12
            }
        );
        assert_eq!(
            e(&body(&[7; 16], &[0; 33], &[])),
            Malformed::CiphertextLength {
                mode: CipherMode::Cbc,
                found: 33
            }
        );
        assert_eq!(
            e(&body(&[7; 12], &[0; 15], &[1])),
            Malformed::CiphertextLength {
                mode: CipherMode::Gcm,
                found: 15
            }
        );
        let long = format!("04{}", "A".repeat(MAX_TOKEN_LEN));
        assert!(matches!(e(&long), Malformed::TooLong { .. }));
    }

    #[test]
    fn round_trips_text() {
        for t in [
            body(&[7; 16], &[9; 32], &[]),
            body(&[7; 16], &[9; 32], &[0]),
            body(&[7; 12], &[9; 40], &[1]),
        ] {
            assert_eq!(inspect(&t).unwrap().to_token(), t);
        }
    }
}
