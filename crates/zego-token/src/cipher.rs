//! AES-256-GCM (current) and AES-256-CBC (legacy) sealing and opening of claims.
//!
//! GCM follows NIST SP 800-38D with a 96-bit nonce, no associated data and a 128-bit
//! tag appended to the ciphertext, as every official GCM generator does. CBC uses
//! PKCS#7 padding (RFC 5652, section 6.3) and carries no integrity protection at all.

use std::fmt;
use std::str::FromStr;

use aes::cipher::{BlockModeDecrypt, BlockModeEncrypt, InnerIvInit, block_padding::Pkcs7};
use aes_gcm::AeadInOut;
use zeroize::Zeroizing;

use crate::error::Error;
use crate::secret::ServerSecret;

/// Length of the AES-GCM nonce in a token04.
pub const GCM_NONCE_LEN: usize = 12;
/// Length of the AES-GCM tag appended to the ciphertext.
pub const GCM_TAG_LEN: usize = 16;
/// Length of the AES-CBC IV in a token04.
pub const CBC_IV_LEN: usize = 16;

/// The cipher mode of a token04.
///
/// The default is [`CipherMode::Gcm`], the mode ZEGO's current generators use and
/// recommend.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum CipherMode {
    /// AES-256-GCM: authenticated encryption; tampering is detected. Mode byte 1.
    #[default]
    Gcm,
    /// AES-256-CBC with PKCS#7 padding: the legacy mode. Deprecated by ZEGO, still
    /// accepted by its servers. It has no integrity protection: use it only for peers
    /// that cannot take GCM tokens.
    Cbc,
}

impl CipherMode {
    /// The IV (CBC) or nonce (GCM) length this mode needs.
    #[must_use]
    pub const fn iv_len(self) -> usize {
        match self {
            Self::Gcm => GCM_NONCE_LEN,
            Self::Cbc => CBC_IV_LEN,
        }
    }

    /// `"gcm"` or `"cbc"`: the short lower-case name used on command lines and in JSON.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Gcm => "gcm",
            Self::Cbc => "cbc",
        }
    }
}

impl fmt::Display for CipherMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Gcm => "AES-256-GCM",
            Self::Cbc => "AES-256-CBC",
        })
    }
}

impl FromStr for CipherMode {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "gcm" | "aes-gcm" | "aes-256-gcm" => Ok(Self::Gcm),
            "cbc" | "aes-cbc" | "aes-256-cbc" => Ok(Self::Cbc),
            _ => Err(format!(
                "unknown cipher mode {s:?}; expected \"gcm\" or \"cbc\""
            )),
        }
    }
}

/// A prepared key, which also fixes the cipher mode.
#[derive(Clone, Copy)]
pub(crate) enum Sealer<'a> {
    Gcm(&'a aes_gcm::Aes256Gcm),
    Cbc(&'a aes::Aes256),
}

impl<'a> Sealer<'a> {
    pub(crate) fn new(secret: &'a ServerSecret, mode: CipherMode) -> Self {
        match mode {
            CipherMode::Gcm => Self::Gcm(&secret.gcm),
            CipherMode::Cbc => Self::Cbc(secret.aes()),
        }
    }

    pub(crate) const fn mode(self) -> CipherMode {
        match self {
            Self::Gcm(_) => CipherMode::Gcm,
            Self::Cbc(_) => CipherMode::Cbc,
        }
    }

    /// Encrypts `buf[start..]` in place and appends what the mode needs (GCM: the tag;
    /// CBC: the padding). Returns the ciphertext length. `iv` must be `mode.iv_len()`
    /// bytes and the plaintext short enough for the 16-bit length field; both are checked
    /// by every caller.
    pub(crate) fn seal_in_place(self, iv: &[u8], buf: &mut Vec<u8>, start: usize) -> usize {
        let msg_len = buf.len() - start;
        match self {
            Self::Gcm(gcm) => {
                let nonce = aes_gcm::Nonce::<aes_gcm::aead::consts::U12>::try_from(iv)
                    .expect("the caller passes a 12-byte nonce");
                let tag = gcm
                    .encrypt_inout_detached(&nonce, &[], (&mut buf[start..]).into())
                    .expect("claims are far below the GCM length limit");
                buf.extend_from_slice(&tag);
                msg_len + GCM_TAG_LEN
            }
            Self::Cbc(aes) => {
                let padded = (msg_len / CBC_IV_LEN + 1) * CBC_IV_LEN;
                buf.resize(start + padded, 0);
                let iv = aes::cipher::Iv::<cbc::Encryptor<aes::Aes256>>::try_from(iv)
                    .expect("the caller passes a 16-byte IV");
                let enc = cbc::Encryptor::<aes::Aes256>::inner_iv_init(aes.clone(), &iv);
                enc.encrypt_padded::<Pkcs7>(&mut buf[start..], msg_len)
                    .expect("the buffer has room for a full block of padding")
                    .len()
            }
        }
    }
}

/// Decrypts a ciphertext (GCM: with its tag appended). Every failure is [`Error::Decrypt`].
pub(crate) fn open(
    secret: &ServerSecret,
    mode: CipherMode,
    iv: &[u8],
    ciphertext: &[u8],
) -> Result<Zeroizing<Vec<u8>>, Error> {
    match mode {
        CipherMode::Gcm => {
            let nonce = aes_gcm::Nonce::<aes_gcm::aead::consts::U12>::try_from(iv)
                .map_err(|_| Error::Decrypt)?;
            let split = ciphertext
                .len()
                .checked_sub(GCM_TAG_LEN)
                .ok_or(Error::Decrypt)?;
            let (data, tag) = ciphertext.split_at(split);
            let tag = aes_gcm::Tag::try_from(tag).map_err(|_| Error::Decrypt)?;
            let mut buf = Zeroizing::new(data.to_vec());
            secret
                .gcm
                .decrypt_inout_detached(&nonce, &[], buf.as_mut_slice().into(), &tag)
                .map_err(|_| Error::Decrypt)?;
            Ok(buf)
        }
        CipherMode::Cbc => {
            let iv = aes::cipher::Iv::<cbc::Decryptor<aes::Aes256>>::try_from(iv)
                .map_err(|_| Error::Decrypt)?;
            let dec = cbc::Decryptor::<aes::Aes256>::inner_iv_init(secret.aes().clone(), &iv);
            let mut buf = Zeroizing::new(ciphertext.to_vec());
            let len = dec
                .decrypt_padded::<Pkcs7>(&mut buf)
                .map_err(|_| Error::Decrypt)?
                .len();
            buf.truncate(len);
            Ok(buf)
        }
    }
}
