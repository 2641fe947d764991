//! Token generation: claims + clock + CSPRNG -> token text.

use std::cell::RefCell;
use std::sync::Arc;

use aes_gcm::KeyInit;
use rand::CryptoRng;
use zeroize::Zeroize;

use crate::cipher::{CipherMode, Sealer};
use crate::claims::{self, Claims};
use crate::clock::{Clock, SystemClock};
use crate::envelope::{self, MAX_CIPHERTEXT_LEN};
use crate::error::{Error, Field};
use crate::json::{ClaimsOut, write_claims};
use crate::secret::ServerSecret;

/// The largest claims document (in bytes) whose ciphertext still fits the u16 length
/// field, for both modes (GCM adds a 16-byte tag; CBC pads 65,519 bytes to 65,520).
pub const MAX_CLAIMS_LEN: usize = MAX_CIPHERTEXT_LEN - 16;

/// Options for [`generate_with`].
#[derive(Debug, Clone)]
pub struct GenerateOptions {
    /// The cipher mode. Default: [`CipherMode::Gcm`].
    pub mode: CipherMode,
    /// Where `ctime` comes from. Default: [`SystemClock`].
    pub clock: Arc<dyn Clock>,
}

impl Default for GenerateOptions {
    fn default() -> Self {
        Self {
            mode: CipherMode::Gcm,
            clock: Arc::new(SystemClock),
        }
    }
}

impl GenerateOptions {
    /// Sets the cipher mode.
    #[must_use]
    pub fn mode(mut self, mode: CipherMode) -> Self {
        self.mode = mode;
        self
    }

    /// Sets the clock.
    #[must_use]
    pub fn clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }
}

/// A freshly generated token and the values chosen for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Generated {
    /// The token text (`"04"` + base64).
    pub token: String,
    /// The cipher mode used.
    pub mode: CipherMode,
    /// Creation time, Unix seconds.
    pub ctime: i64,
    /// Expiry time, Unix seconds.
    pub expire: i64,
    /// The random claims nonce.
    pub nonce: i32,
}

/// Generates an AES-GCM token04 for `claims`, at the system clock's time.
///
/// # Errors
///
/// [`Error::InvalidInput`] when an input breaks a rule: app_id 0, user_id empty or 64
/// bytes or longer, lifetime not a positive whole number of seconds, expire overflowing,
/// or claims too large for the token's 16-bit length field.
///
/// # Security
///
/// The GCM nonce and the claims nonce come from `rand::rng()`, a ChaCha12 CSPRNG seeded
/// from the operating system. A random 96-bit nonce keeps the chance of a repeat under
/// one ServerSecret negligible up to about 2^32 tokens.
pub fn generate(secret: &ServerSecret, claims: &Claims) -> Result<String, Error> {
    let fields = Fields::validated(claims)?;
    let now = SystemClock.now();
    generate_fields(
        Sealer::new(secret, CipherMode::Gcm),
        &fields,
        now,
        &mut rand::rng(),
    )
    .map(|g| g.token)
}

/// Generates a token with explicit options (cipher mode, clock), and returns the chosen
/// `ctime`, `expire` and nonce with it.
///
/// # Errors
///
/// As [`generate`].
pub fn generate_with(
    secret: &ServerSecret,
    claims: &Claims,
    options: &GenerateOptions,
) -> Result<Generated, Error> {
    generate_with_rng(secret, claims, options, &mut rand::rng())
}

pub(crate) fn generate_with_rng<R: CryptoRng + ?Sized>(
    secret: &ServerSecret,
    claims: &Claims,
    options: &GenerateOptions,
    rng: &mut R,
) -> Result<Generated, Error> {
    let fields = Fields::validated(claims)?;
    generate_fields(
        Sealer::new(secret, options.mode),
        &fields,
        options.clock.now(),
        rng,
    )
}

/// The official generators' entry point, for code ported from Go, Java or Node.js:
/// validates the inputs as they do (and more strictly where ZEGO's SDKs would refuse the
/// token), and returns an AES-GCM token04 made at the system clock's time.
///
/// `secret` is the 32-character ServerSecret; its ASCII bytes are the AES-256 key.
/// A server that makes many tokens should build a [`ServerSecret`] once and call
/// [`generate`], which skips the key schedule.
///
/// ```
/// let token = zego_token::generate_token04(
///     1234567890, "user1", "fa94dd0f974cf2e293728a526b028271", 3600, "",
/// )?;
/// assert!(token.starts_with("04"));
/// # Ok::<(), zego_token::Error>(())
/// ```
///
/// # Errors
///
/// [`Error::InvalidInput`]; [`Error::official_code`] gives the official generators'
/// code: 1 app_id, 3 user_id, 5 secret, 6 effective time.
pub fn generate_token04(
    app_id: u32,
    user_id: &str,
    secret: &str,
    effective_time_in_seconds: i64,
    payload: &str,
) -> Result<String, Error> {
    // The official generators check in this order: app_id, user_id, secret, time.
    claims::validate_app_id(app_id)?;
    claims::validate_user_id(user_id)?;
    // Only the GCM key schedule: a whole ServerSecret would also reserve room for the
    // CBC one, and moving it around costs more than this function's budget allows.
    let key = crate::secret::check_len(secret.as_bytes())?;
    let gcm = aes_gcm::Aes256Gcm::new(key.into());
    claims::validate_effective_time(effective_time_in_seconds)?;
    let fields = Fields {
        app_id,
        user_id,
        lifetime: effective_time_in_seconds,
        payload,
    };
    generate_fields(
        Sealer::Gcm(&gcm),
        &fields,
        SystemClock.now(),
        &mut rand::rng(),
    )
    .map(|g| g.token)
}

/// Validated generator inputs.
pub(crate) struct Fields<'a> {
    pub(crate) app_id: u32,
    pub(crate) user_id: &'a str,
    pub(crate) lifetime: i64,
    pub(crate) payload: &'a str,
}

impl<'a> Fields<'a> {
    /// Validates `claims` and borrows their fields.
    pub(crate) fn validated(claims: &'a Claims) -> Result<Self, Error> {
        Ok(Self {
            lifetime: claims.validate()?,
            app_id: claims.app_id(),
            user_id: claims.user_id(),
            payload: claims.payload_str(),
        })
    }
}

fn generate_fields<R: CryptoRng + ?Sized>(
    sealer: Sealer<'_>,
    f: &Fields<'_>,
    now: i64,
    rng: &mut R,
) -> Result<Generated, Error> {
    let mode = sealer.mode();
    // The claims nonce spans the full signed 32-bit range, as Java's and Node's do.
    let nonce = rng.next_u32().cast_signed();
    let mut iv = [0u8; 16];
    let iv = &mut iv[..mode.iv_len()];
    rng.fill_bytes(iv);
    seal_fields(sealer, f, now, nonce, iv)
}

thread_local! {
    /// The binary body under construction, reused across tokens on one thread to save an
    /// allocation per token. Between calls it holds only the last header and ciphertext.
    static BODY: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

/// Builds a token body: header, the plaintext that `write` appends, encryption in place,
/// mode byte; returns the token text.
///
/// The plaintext is measured after it is written (no second pass over it): when it is
/// too large for the 16-bit length field, the buffer is zeroized and an input error
/// returned, so no plaintext stays behind.
pub(crate) fn seal_with(
    sealer: Sealer<'_>,
    expire: i64,
    iv: &[u8],
    write: impl FnOnce(&mut Vec<u8>),
) -> Result<String, Error> {
    BODY.with_borrow_mut(|body| {
        body.clear();
        envelope::write_header(body, expire, iv);
        let ct_len_at = body.len();
        body.extend_from_slice(&[0, 0]);
        let start = body.len();
        write(body);
        let len = body.len() - start;
        if len > MAX_CLAIMS_LEN {
            body.zeroize();
            return Err(Error::input(
                Field::Payload,
                format!(
                    "the claims are {len} bytes; a token04's 16-bit length field allows at most {MAX_CLAIMS_LEN} (shorten the payload)"
                ),
            ));
        }
        // From here on the buffer holds only ciphertext: encryption is in place.
        let ct_len = sealer.seal_in_place(iv, body, start);
        envelope::finish_body(body, ct_len_at, ct_len, sealer.mode());
        Ok(envelope::encode_body(body))
    })
}

/// Writes and encrypts the claims with a given nonce and IV.
pub(crate) fn seal_fields(
    sealer: Sealer<'_>,
    f: &Fields<'_>,
    now: i64,
    nonce: i32,
    iv: &[u8],
) -> Result<Generated, Error> {
    let expire = now.checked_add(f.lifetime).ok_or_else(|| {
        Error::input(
            Field::EffectiveTime,
            format!(
                "the lifetime {} s added to the creation time {now} overflows a signed 64-bit expire",
                f.lifetime
            ),
        )
    })?;
    let out = ClaimsOut {
        app_id: f.app_id,
        user_id: f.user_id,
        nonce,
        ctime: now,
        expire,
        payload: f.payload,
    };
    let token = seal_with(sealer, expire, iv, |body| write_claims(body, &out))?;
    Ok(Generated {
        token,
        mode: sealer.mode(),
        ctime: now,
        expire,
        nonce,
    })
}
