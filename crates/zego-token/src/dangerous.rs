//! Operations that bypass the safeguards of the everyday API.
//!
//! Everything here exists for tests, known-answer vectors and reproducible tooling.
//! Reusing an IV or GCM nonce under one ServerSecret breaks AES-GCM completely (whoever
//! holds two such tokens can forge others); production code never needs this module.

use rand::CryptoRng;

use crate::cipher::{CipherMode, Sealer};
use crate::claims::Claims;
use crate::error::{Error, Field};
use crate::generate::{Fields, GenerateOptions, Generated};
use crate::secret::ServerSecret;

/// Generates a token drawing the claims nonce and the IV from `rng` instead of the
/// thread-local, OS-seeded CSPRNG.
///
/// # Errors
///
/// As [`generate`](crate::generate).
///
/// # Security
///
/// A seeded RNG replays its output: two processes seeded alike issue tokens with the
/// same GCM nonce. Use only for deterministic tests.
pub fn generate_with_rng<R: CryptoRng + ?Sized>(
    secret: &ServerSecret,
    claims: &Claims,
    options: &GenerateOptions,
    rng: &mut R,
) -> Result<Generated, Error> {
    crate::generate::generate_with_rng(secret, claims, options, rng)
}

/// Generates a token with a fixed creation time, claims nonce and IV.
///
/// # Errors
///
/// As [`generate`](crate::generate), plus [`Error::InvalidInput`] for [`Field::Payload`]
/// when `iv` is not `mode.iv_len()` bytes.
///
/// # Security
///
/// See the module docs: never reuse an IV under one secret.
pub fn generate_with_iv(
    secret: &ServerSecret,
    claims: &Claims,
    mode: CipherMode,
    ctime: i64,
    nonce: i32,
    iv: &[u8],
) -> Result<Generated, Error> {
    check_iv(mode, iv)?;
    let fields = Fields::validated(claims)?;
    crate::generate::seal_fields(Sealer::new(secret, mode), &fields, ctime, nonce, iv)
}

/// Encrypts an arbitrary plaintext into a token04 envelope with a given IV and header
/// `expire`. Nothing checks that the plaintext is a claims document.
///
/// # Errors
///
/// [`Error::InvalidInput`] for [`Field::Payload`] when `iv` is not `mode.iv_len()` bytes
/// or the ciphertext would not fit the 16-bit length field.
pub fn seal_plaintext(
    secret: &ServerSecret,
    mode: CipherMode,
    expire: i64,
    iv: &[u8],
    plaintext: &[u8],
) -> Result<String, Error> {
    check_iv(mode, iv)?;
    crate::generate::seal_with(Sealer::new(secret, mode), expire, iv, |body| {
        body.extend_from_slice(plaintext);
    })
}

fn check_iv(mode: CipherMode, iv: &[u8]) -> Result<(), Error> {
    if iv.len() != mode.iv_len() {
        return Err(Error::input(
            Field::Payload,
            format!(
                "the IV is {} bytes; {mode} needs {}",
                iv.len(),
                mode.iv_len()
            ),
        ));
    }
    Ok(())
}
