//! The exported functions. Each one checks its pointers, converts its inputs, calls the
//! core inside `catch_unwind`, and converts the result; nothing else happens here.

use std::ffi::c_char;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::ptr;
use std::sync::Arc;
use std::time::Duration;

use zego_token::{
    CipherMode, Claims, Clock, FixedClock, GenerateOptions, RoomPayload, ServerSecret, Validation,
};

use crate::alloc;
use crate::failure::Failure;
use crate::types::*;

/// A prepared ServerSecret (AES key schedules done once). Opaque: create it with
/// `zego_token_secret_new`, free it with `zego_token_secret_free`. Safe to share
/// between threads.
pub struct ZegoTokenSecret(ServerSecret);

// --- helpers ------------------------------------------------------------------------

/// Runs `f` with panics caught, clears `*error` first and stores a failure in it.
///
/// # Safety
///
/// `error` is NULL or valid for a write.
#[allow(unsafe_code)]
pub(crate) unsafe fn run(
    error: *mut *mut ZegoTokenError,
    f: impl FnOnce() -> Result<(), Failure>,
) -> i32 {
    if !error.is_null() {
        // SAFETY: `error` is valid for a write (the caller's contract).
        unsafe { *error = ptr::null_mut() };
    }
    let failure = match catch_unwind(AssertUnwindSafe(f)) {
        Ok(Ok(())) => return ZEGO_TOKEN_OK,
        Ok(Err(failure)) => failure,
        Err(_) => Failure::Panic,
    };
    let status = failure.status();
    if !error.is_null() {
        // The conversion only formats and allocates; guard it too so that nothing can
        // unwind out of this function.
        let raw = catch_unwind(AssertUnwindSafe(|| failure.into_raw())).unwrap_or(ptr::null_mut());
        // SAFETY: as above.
        unsafe { *error = raw };
    }
    status
}

/// Clears an out-pointer (when not NULL), so that it reads NULL on failure.
///
/// # Safety
///
/// `out` is NULL or valid for a write.
#[allow(unsafe_code)]
unsafe fn clear<T>(out: *mut *mut T) {
    if !out.is_null() {
        // SAFETY: the caller's contract.
        unsafe { *out = ptr::null_mut() };
    }
}

/// Checks that a required out-pointer is not NULL.
fn required<T>(out: *mut T, name: &'static str) -> Result<(), Failure> {
    if out.is_null() {
        Err(Failure::null(name))
    } else {
        Ok(())
    }
}

/// Borrows a (pointer, length) input as bytes.
///
/// # Safety
///
/// `p` is NULL or points to `len` readable bytes that stay valid and unchanged for the
/// call.
#[allow(unsafe_code)]
unsafe fn bytes<'a>(p: *const c_char, len: usize, arg: &'static str) -> Result<&'a [u8], Failure> {
    if p.is_null() {
        return if len == 0 {
            Ok(&[])
        } else {
            Err(Failure::null_text(arg, len))
        };
    }
    if isize::try_from(len).is_err() {
        return Err(Failure::argument(
            arg,
            format!("the length of {arg} ({len}) exceeds the address space"),
        ));
    }
    // SAFETY: the caller's contract: `len` readable bytes at `p`, for the call.
    Ok(unsafe { std::slice::from_raw_parts(p.cast::<u8>(), len) })
}

/// Borrows a (pointer, length) input as UTF-8 text of the generator input `field`.
///
/// # Safety
///
/// As [`bytes`].
#[allow(unsafe_code)]
unsafe fn text<'a>(
    p: *const c_char,
    len: usize,
    field: &'static str,
    official_code: u32,
) -> Result<&'a str, Failure> {
    // SAFETY: the caller's contract.
    let b = unsafe { bytes(p, len, field) }?;
    std::str::from_utf8(b).map_err(|e| Failure::not_utf8(field, official_code, e))
}

/// Borrows a token text (not UTF-8 is a malformed token).
///
/// # Safety
///
/// As [`bytes`].
#[allow(unsafe_code)]
unsafe fn token_text<'a>(p: *const c_char, len: usize) -> Result<&'a str, Failure> {
    // SAFETY: the caller's contract.
    let b = unsafe { bytes(p, len, "token") }?;
    std::str::from_utf8(b).map_err(Failure::token_not_utf8)
}

/// Borrows the secret behind a handle.
///
/// # Safety
///
/// `s` is NULL or a live handle from `zego_token_secret_new`.
#[allow(unsafe_code)]
unsafe fn secret<'a>(s: *const ZegoTokenSecret) -> Result<&'a ServerSecret, Failure> {
    // SAFETY: the caller's contract: NULL or a live handle.
    unsafe { s.as_ref() }
        .map(|s| &s.0)
        .ok_or_else(|| Failure::null("secret"))
}

/// Writes a string result: `*out` and, when `len_out` is not NULL, its length.
///
/// # Safety
///
/// `out` is valid for a write; `len_out` is NULL or valid for a write.
#[allow(unsafe_code)]
unsafe fn put_string(out: *mut *mut c_char, len_out: *mut usize, s: &str) {
    // SAFETY: the caller's contract.
    unsafe {
        *out = alloc::string(s.as_bytes());
        if !len_out.is_null() {
            *len_out = s.len();
        }
    }
}

fn mode_of(mode: u32) -> Result<CipherMode, Failure> {
    match mode {
        ZEGO_TOKEN_MODE_GCM => Ok(CipherMode::Gcm),
        ZEGO_TOKEN_MODE_CBC => Ok(CipherMode::Cbc),
        other => Err(Failure::argument(
            "mode",
            format!(
                "the mode {other} is unknown; pass ZEGO_TOKEN_MODE_GCM (1) or ZEGO_TOKEN_MODE_CBC (0)"
            ),
        )),
    }
}

const fn mode_value(mode: CipherMode) -> u32 {
    match mode {
        CipherMode::Cbc => ZEGO_TOKEN_MODE_CBC,
        _ => ZEGO_TOKEN_MODE_GCM,
    }
}

fn lifetime(secs: i64) -> Duration {
    // A negative lifetime becomes 0 here so that the core still checks app_id and
    // user_id first; `generate_inner` then reports the real value.
    Duration::from_secs(u64::try_from(secs).unwrap_or(0))
}

/// Converts warnings to C structs whose strings the result struct then owns.
fn warnings(list: Vec<zego_token::sdk::SdkWarning>) -> Vec<ZegoTokenWarning> {
    list.iter()
        .map(|w| ZegoTokenWarning {
            rule: alloc::string(w.rule().as_bytes()),
            product: alloc::string(w.product().as_bytes()),
            code: w.code().unwrap_or(0),
            message: alloc::string(w.message().as_bytes()),
            blocking: u8::from(w.blocking()),
        })
        .collect()
}

fn generated(
    g: zego_token::Generated,
    list: Vec<zego_token::sdk::SdkWarning>,
) -> *mut ZegoTokenGenerated {
    let (warnings, warning_count) = alloc::array(warnings(list));
    Box::into_raw(Box::new(ZegoTokenGenerated {
        token: alloc::str(&g.token),
        ctime: g.ctime,
        expire: g.expire,
        nonce: g.nonce,
        mode: mode_value(g.mode),
        warnings,
        warning_count,
    }))
}

/// Parses, decrypts and describes a token: the decoded claims and everything worth saying
/// about them at `now` (the library's list: client rules, legacy CBC, weak nonces, ...).
/// The warnings stay Rust values until [`decoded`] hands them over, so that a failed
/// check after decoding leaks nothing.
fn decode_at(
    token: &str,
    s: &ServerSecret,
    now: i64,
) -> Result<(zego_token::Decoded, Vec<zego_token::sdk::SdkWarning>), Failure> {
    let env = zego_token::UntrustedEnvelope::parse(token)?;
    let d = zego_token::decode_envelope(&env, s)?;
    let w = zego_token::sdk::token_warnings(&env, Some(&d), None, now);
    Ok((d, w))
}

fn decoded(
    d: &zego_token::Decoded,
    list: Vec<zego_token::sdk::SdkWarning>,
) -> *mut ZegoTokenDecoded {
    let c = &d.claims;
    let (payload_kind, room) = match c.room_privileges() {
        Ok(None) => (ZEGO_TOKEN_PAYLOAD_EMPTY, ptr::null()),
        Ok(Some(r)) => (ZEGO_TOKEN_PAYLOAD_ROOM, alloc::room(&r)),
        Err(_) => (ZEGO_TOKEN_PAYLOAD_OTHER, ptr::null()),
    };
    let (iv, iv_len) = alloc::array(d.iv.clone());
    let (warnings, warning_count) = alloc::array(warnings(list));
    Box::into_raw(Box::new(ZegoTokenDecoded {
        app_id: c.app_id,
        mode: mode_value(d.mode),
        nonce: c.nonce,
        ctime: c.ctime,
        expire: c.expire,
        header_expire: d.header_expire,
        user_id: alloc::str(&c.user_id),
        payload: alloc::str(&c.payload),
        iv,
        iv_len,
        payload_kind,
        room,
        warnings,
        warning_count,
    }))
}

/// Common body of `zego_token_generate` and `zego_token_generate_at`.
///
/// # Safety
///
/// As `zego_token_generate`.
#[allow(unsafe_code, clippy::too_many_arguments)]
unsafe fn generate_inner(
    secret_handle: *const ZegoTokenSecret,
    app_id: u32,
    user_id: *const c_char,
    user_id_len: usize,
    effective_time_in_seconds: i64,
    payload: *const c_char,
    payload_len: usize,
    mode: u32,
    ctime: Option<i64>,
    out: *mut *mut ZegoTokenGenerated,
) -> Result<(), Failure> {
    required(out, "out")?;
    // SAFETY: the caller's contract for each argument.
    let (s, user, payload) = unsafe {
        (
            secret(secret_handle)?,
            text(user_id, user_id_len, "user_id", 3)?,
            text(payload, payload_len, "payload", 0)?,
        )
    };
    let mut options = GenerateOptions::default().mode(mode_of(mode)?);
    if let Some(ctime) = ctime {
        options = options.clock(Arc::new(FixedClock(ctime)));
    }
    let claims = Claims::new(app_id, user, lifetime(effective_time_in_seconds)).payload(payload);
    let g = zego_token::generate_with(s, &claims, &options).map_err(|e| {
        if e.official_code() == Some(6) && effective_time_in_seconds < 0 {
            Failure::negative_lifetime(effective_time_in_seconds)
        } else {
            Failure::Core(e)
        }
    })?;
    let w = zego_token::sdk::check_claims_at(&claims, g.ctime);
    // SAFETY: `out` is not NULL (checked) and valid for a write (the caller's contract).
    unsafe { *out = generated(g, w) };
    Ok(())
}

// --- version ------------------------------------------------------------------------

/// The version of this C ABI (`ZEGO_TOKEN_ABI_VERSION` of the library actually loaded).
/// Check it at load time: a host built for version N works with any library whose ABI
/// version is N.
#[allow(unsafe_code)]
#[unsafe(no_mangle)]
pub extern "C" fn zego_token_abi_version() -> u32 {
    ZEGO_TOKEN_ABI_VERSION
}

/// The version of the zego-token library, e.g. `"0.1.0"`: a static NUL-terminated
/// string. Never free it.
#[allow(unsafe_code)]
#[unsafe(no_mangle)]
pub extern "C" fn zego_token_version() -> *const c_char {
    concat!(env!("CARGO_PKG_VERSION"), "\0").as_ptr().cast()
}

// --- freeing ------------------------------------------------------------------------

/// Frees a string returned through a `char **` out-parameter (tokens, payloads, kit
/// tokens). NULL is ignored. Never pass a pointer from inside a struct.
///
/// # Safety
///
/// `s` is NULL or a string returned through a `char **` by this library, not freed
/// before.
#[allow(unsafe_code)]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn zego_token_string_free(s: *mut c_char) {
    // Nothing in here can panic.
    // SAFETY: the caller's contract.
    unsafe { alloc::free_string(s) }
}

/// Frees an error and its strings. NULL is ignored.
///
/// # Safety
///
/// `error` is NULL or an error returned by this library, not freed before.
#[allow(unsafe_code)]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn zego_token_error_free(error: *mut ZegoTokenError) {
    // SAFETY: the caller's contract.
    unsafe { alloc::free_error(error) }
}

// --- the official call --------------------------------------------------------------

/// The official generators' call: an AES-GCM token04 for `user_id` of `app_id`, valid
/// for `effective_time_in_seconds` from now, with `payload` (`""` for a basic token).
///
/// Inputs are checked in the official order (app_id, user_id, secret, effective time);
/// the error's `official_code` is the official code (1, 3, 5, 6). The checks are
/// stricter than the official ones where ZEGO's SDKs would refuse the token (user_id of
/// 64 bytes or more, claims too large for the 16-bit length field).
///
/// On success `*token_out` is the token, NUL-terminated, freed with
/// `zego_token_string_free`; `*token_len_out` (when not NULL) its length.
///
/// # Safety
///
/// Each (pointer, length) pair is NULL with length 0, or points to that many readable
/// bytes; `token_out` is valid for a write; `token_len_out` and `error` are NULL or
/// valid for a write.
#[allow(unsafe_code, clippy::too_many_arguments)]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn zego_token_generate_token04(
    app_id: u32,
    user_id: *const c_char,
    user_id_len: usize,
    secret: *const c_char,
    secret_len: usize,
    effective_time_in_seconds: i64,
    payload: *const c_char,
    payload_len: usize,
    token_out: *mut *mut c_char,
    token_len_out: *mut usize,
    error: *mut *mut ZegoTokenError,
) -> i32 {
    // SAFETY: the caller's contract for `token_out` and `error`.
    unsafe { clear(token_out) };
    // SAFETY: the caller's contract for `error`.
    unsafe {
        run(error, || {
            required(token_out, "token_out")?;
            // The core checks app_id first, user_id second: for invalid UTF-8 in a later
            // input, ask the core about the earlier ones before blaming the later one.
            let earlier = |user: &str, secret: &str| {
                zego_token::generate_token04(app_id, user, secret, effective_time_in_seconds, "")
                    .err()
            };
            // SAFETY: the caller's contract for each pair.
            let user = match text(user_id, user_id_len, "user_id", 3) {
                Ok(u) => u,
                Err(f) if app_id == 0 => return Err(earlier("", "").map_or(f, Failure::Core)),
                Err(f) => return Err(f),
            };
            // SAFETY: as above.
            let secret_bytes = bytes(secret, secret_len, "secret")?;
            let Ok(secret) = std::str::from_utf8(secret_bytes) else {
                return Err(match earlier(user, "") {
                    Some(e) if e.official_code() != Some(5) => Failure::Core(e),
                    _ => Failure::Local(crate::failure::secret_not_text()),
                });
            };
            // SAFETY: as above.
            let payload = match text(payload, payload_len, "payload", 0) {
                Ok(p) => p,
                Err(f) => return Err(earlier(user, secret).map_or(f, Failure::Core)),
            };
            let token = zego_token::generate_token04(
                app_id,
                user,
                secret,
                effective_time_in_seconds,
                payload,
            )?;
            // SAFETY: `token_out` is not NULL (checked); both are valid for writes.
            put_string(token_out, token_len_out, &token);
            Ok(())
        })
    }
}

// --- secrets ------------------------------------------------------------------------

/// Validates a ServerSecret (exactly 32 bytes: the 32 characters from ZEGO's console)
/// and prepares its AES keys once. On success `*secret_out` is a handle, freed with
/// `zego_token_secret_free`; the library keeps no other copy of the bytes.
///
/// # Safety
///
/// `secret` is NULL with length 0 or points to `secret_len` readable bytes;
/// `secret_out` is valid for a write; `error` is NULL or valid for a write.
#[allow(unsafe_code)]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn zego_token_secret_new(
    secret: *const c_char,
    secret_len: usize,
    secret_out: *mut *mut ZegoTokenSecret,
    error: *mut *mut ZegoTokenError,
) -> i32 {
    // SAFETY: the caller's contract for `secret_out` and `error`.
    unsafe {
        clear(secret_out);
        run(error, || {
            required(secret_out, "secret_out")?;
            // SAFETY: the caller's contract for the pair.
            let s = ServerSecret::from_bytes(bytes(secret, secret_len, "secret")?)?;
            // SAFETY: checked not NULL; valid for a write.
            *secret_out = Box::into_raw(Box::new(ZegoTokenSecret(s)));
            Ok(())
        })
    }
}

/// Frees a secret handle, zeroizing its key material. NULL is ignored.
///
/// # Safety
///
/// `secret` is NULL or a handle from `zego_token_secret_new`, not freed before and no
/// longer used by any thread.
#[allow(unsafe_code)]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn zego_token_secret_free(secret: *mut ZegoTokenSecret) {
    if !secret.is_null() {
        // SAFETY: the caller's contract: a live handle we own now. Dropping
        // ServerSecret zeroizes; it cannot panic.
        drop(unsafe { Box::from_raw(secret) });
    }
}

// --- payloads and generation --------------------------------------------------------

/// Builds a room privilege payload, the payload of a privilege token:
/// `{"room_id":…,"privilege":{"1":login,"2":publish},"stream_id_list":…}`.
///
/// `stream_ids` is an array of `stream_count` texts; NULL with count 0 means no stream
/// list (any stream). Each ID is checked against ZEGO's limits (under 256 bytes of
/// `A-Z a-z 0-9 - _`), the room ID too (non-empty, under 128 bytes).
///
/// On success `*payload_out` is the JSON text, freed with `zego_token_string_free`;
/// `*payload_len_out` (when not NULL) its length.
///
/// # Safety
///
/// `room_id` is NULL with length 0 or points to `room_id_len` readable bytes;
/// `stream_ids` is NULL with count 0 or points to `stream_count` readable
/// `ZegoTokenStr`, each a valid (pointer, length) pair; `payload_out` is valid for a
/// write; `payload_len_out` and `error` are NULL or valid for a write.
#[allow(unsafe_code, clippy::too_many_arguments)]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn zego_token_room_payload(
    room_id: *const c_char,
    room_id_len: usize,
    allow_login: u8,
    allow_publish: u8,
    stream_ids: *const ZegoTokenStr,
    stream_count: usize,
    payload_out: *mut *mut c_char,
    payload_len_out: *mut usize,
    error: *mut *mut ZegoTokenError,
) -> i32 {
    // SAFETY: the caller's contract for `payload_out` and `error`.
    unsafe {
        clear(payload_out);
        run(error, || {
            required(payload_out, "payload_out")?;
            // SAFETY: the caller's contract for the pair.
            let room = text(room_id, room_id_len, "room_id", 0)?;
            let mut builder = RoomPayload::new(room)
                .login(allow_login != 0)
                .publish(allow_publish != 0);
            if stream_ids.is_null() && stream_count > 0 {
                return Err(Failure::null_text("stream_ids", stream_count));
            }
            if !stream_ids.is_null() {
                // SAFETY: the caller's contract: `stream_count` readable entries.
                let list = std::slice::from_raw_parts(stream_ids, stream_count);
                for s in list {
                    // SAFETY: each entry is a valid pair (the caller's contract).
                    builder = builder.stream(text(s.ptr, s.len, "stream_id", 0)?);
                }
            }
            let json = builder.build()?.to_json();
            // SAFETY: checked not NULL; both valid for writes.
            put_string(payload_out, payload_len_out, &json);
            Ok(())
        })
    }
}

/// Generates a token with a prepared secret: `mode` is `ZEGO_TOKEN_MODE_GCM`
/// (recommended) or `ZEGO_TOKEN_MODE_CBC` (legacy); `payload` is `""` for a basic
/// token or the text of `zego_token_room_payload` for a privilege token. IVs and nonces
/// come from an OS-seeded CSPRNG.
///
/// On success `*out` holds the token, its ctime, expire, nonce, mode and SDK-rule
/// warnings; free it with `zego_token_generated_free`.
///
/// # Safety
///
/// `secret` is NULL or a live handle; each (pointer, length) pair is NULL with length 0
/// or points to that many readable bytes; `out` is valid for a write; `error` is NULL
/// or valid for a write.
#[allow(unsafe_code, clippy::too_many_arguments)]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn zego_token_generate(
    secret: *const ZegoTokenSecret,
    app_id: u32,
    user_id: *const c_char,
    user_id_len: usize,
    effective_time_in_seconds: i64,
    payload: *const c_char,
    payload_len: usize,
    mode: u32,
    out: *mut *mut ZegoTokenGenerated,
    error: *mut *mut ZegoTokenError,
) -> i32 {
    // SAFETY: the caller's contract for every argument.
    unsafe {
        clear(out);
        run(error, || {
            generate_inner(
                secret,
                app_id,
                user_id,
                user_id_len,
                effective_time_in_seconds,
                payload,
                payload_len,
                mode,
                None,
                out,
            )
        })
    }
}

/// `zego_token_generate` with a fixed creation time `ctime` (Unix seconds) instead of
/// the system clock, for tests and reproducible tools. The IV and nonce are still
/// random.
///
/// # Safety
///
/// As `zego_token_generate`.
#[allow(unsafe_code, clippy::too_many_arguments)]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn zego_token_generate_at(
    secret: *const ZegoTokenSecret,
    app_id: u32,
    user_id: *const c_char,
    user_id_len: usize,
    effective_time_in_seconds: i64,
    payload: *const c_char,
    payload_len: usize,
    mode: u32,
    ctime: i64,
    out: *mut *mut ZegoTokenGenerated,
    error: *mut *mut ZegoTokenError,
) -> i32 {
    // SAFETY: the caller's contract for every argument.
    unsafe {
        clear(out);
        run(error, || {
            generate_inner(
                secret,
                app_id,
                user_id,
                user_id_len,
                effective_time_in_seconds,
                payload,
                payload_len,
                mode,
                Some(ctime),
                out,
            )
        })
    }
}

/// Frees a generated token and everything it holds. NULL is ignored.
///
/// # Safety
///
/// `generated` is NULL or returned by this library, not freed before.
#[allow(unsafe_code)]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn zego_token_generated_free(generated: *mut ZegoTokenGenerated) {
    // SAFETY: the caller's contract.
    unsafe { alloc::free_generated(generated) }
}

// --- reading tokens -----------------------------------------------------------------

/// Reads a token's header without the secret into `*out` (caller-owned storage; nothing
/// to free; left unchanged on failure). Nothing in the header is authenticated: never
/// decide on it.
///
/// # Safety
///
/// `token` is NULL with length 0 or points to `token_len` readable bytes; `out` is valid
/// for a write; `error` is NULL or valid for a write.
#[allow(unsafe_code)]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn zego_token_inspect(
    token: *const c_char,
    token_len: usize,
    out: *mut ZegoTokenHeader,
    error: *mut *mut ZegoTokenError,
) -> i32 {
    // SAFETY: the caller's contract for every argument.
    unsafe {
        run(error, || {
            required(out, "out")?;
            let env = zego_token::inspect(token_text(token, token_len)?)?;
            let mut iv = [0u8; 16];
            let n = env.iv().len().min(iv.len());
            iv[..n].copy_from_slice(&env.iv()[..n]);
            *out = ZegoTokenHeader {
                expire: env.untrusted_expire(),
                ciphertext_len: env.ciphertext_len(),
                mode: mode_value(env.mode()),
                has_mode_byte: u8::from(env.has_mode_byte()),
                iv_len: u8::try_from(n).unwrap_or(16),
                iv,
            };
            Ok(())
        })
    }
}

/// Decrypts a token with `secret` and returns its claims without judging them (no
/// expiry, app or user check: that is `zego_token_verify`). On success `*out` is freed
/// with `zego_token_decoded_free`.
///
/// # Safety
///
/// `secret` is NULL or a live handle; `token` is NULL with length 0 or points to
/// `token_len` readable bytes; `out` is valid for a write; `error` is NULL or valid
/// for a write.
#[allow(unsafe_code)]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn zego_token_decode(
    secret: *const ZegoTokenSecret,
    token: *const c_char,
    token_len: usize,
    out: *mut *mut ZegoTokenDecoded,
    error: *mut *mut ZegoTokenError,
) -> i32 {
    // SAFETY: the caller's contract for every argument.
    unsafe {
        clear(out);
        run(error, || {
            required(out, "out")?;
            let s = self::secret(secret)?;
            let now = zego_token::SystemClock.now();
            let (d, w) = decode_at(token_text(token, token_len)?, s, now)?;
            *out = decoded(&d, w);
            Ok(())
        })
    }
}

/// Frees a decoded token and everything it holds. NULL is ignored.
///
/// # Safety
///
/// `decoded` is NULL or returned by this library, not freed before.
#[allow(unsafe_code)]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn zego_token_decoded_free(decoded: *mut ZegoTokenDecoded) {
    // SAFETY: the caller's contract.
    unsafe { alloc::free_decoded(decoded) }
}

/// Fills `*validation` with the defaults for `app_id`: no user, room or stream
/// expected, publish not required, the library's default leeway, the system clock.
/// Returns `ZEGO_TOKEN_STATUS_INVALID_ARGUMENT` when `validation` is NULL.
///
/// # Safety
///
/// `validation` is NULL or valid for a write.
#[allow(unsafe_code)]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn zego_token_validation_init(
    validation: *mut ZegoTokenValidation,
    app_id: u32,
) -> i32 {
    // SAFETY: the caller's contract.
    unsafe {
        run(ptr::null_mut(), || {
            required(validation, "validation")?;
            let leeway = Validation::new(app_id).leeway.as_secs();
            *validation = ZegoTokenValidation {
                app_id,
                leeway_seconds: u32::try_from(leeway).unwrap_or(u32::MAX),
                user_id: ZegoTokenStr::NONE,
                room_id: ZegoTokenStr::NONE,
                stream_id: ZegoTokenStr::NONE,
                require_publish: 0,
                use_fixed_now: 0,
                now: 0,
            };
            Ok(())
        })
    }
}

/// Decrypts a token and checks it as ZEGO's server would: app, user, expiry, creation
/// time, room, privileges, stream. Returns `ZEGO_TOKEN_OK` when every expectation holds;
/// otherwise the status of the first failed check, with the ZEGO / ZIM codes, message
/// and advice in `*error`.
///
/// When `out` is not NULL and the token verifies, `*out` is the decoded token (free it
/// with `zego_token_decoded_free`); on failure it is NULL.
///
/// # Safety
///
/// `secret` is NULL or a live handle; `token` is NULL with length 0 or points to
/// `token_len` readable bytes; `validation` is NULL or points to a readable
/// `ZegoTokenValidation` whose texts are valid pairs (or `ptr` NULL); `out` and `error`
/// are NULL or valid for a write.
#[allow(unsafe_code)]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn zego_token_verify(
    secret: *const ZegoTokenSecret,
    token: *const c_char,
    token_len: usize,
    validation: *const ZegoTokenValidation,
    out: *mut *mut ZegoTokenDecoded,
    error: *mut *mut ZegoTokenError,
) -> i32 {
    // SAFETY: the caller's contract for every argument.
    unsafe {
        clear(out);
        run(error, || {
            let s = self::secret(secret)?;
            let v = validation
                .as_ref()
                .ok_or_else(|| Failure::null("validation"))?;
            let mut rules =
                Validation::new(v.app_id).leeway(Duration::from_secs(u64::from(v.leeway_seconds)));
            if !v.user_id.ptr.is_null() {
                rules = rules.user_id(text(v.user_id.ptr, v.user_id.len, "user_id", 0)?);
            }
            if !v.room_id.ptr.is_null() {
                rules = rules.room_id(text(v.room_id.ptr, v.room_id.len, "room_id", 0)?);
            }
            if !v.stream_id.ptr.is_null() {
                rules = rules.stream_id(text(v.stream_id.ptr, v.stream_id.len, "stream_id", 0)?);
            }
            if v.require_publish != 0 {
                rules = rules.require_publish();
            }
            if v.use_fixed_now != 0 {
                rules = rules.clock(Arc::new(FixedClock(v.now)));
            }
            let (d, w) = decode_at(token_text(token, token_len)?, s, rules.clock.now())?;
            zego_token::check(&d, &rules)?;
            if !out.is_null() {
                *out = decoded(&d, w);
            }
            Ok(())
        })
    }
}

// --- kit tokens ---------------------------------------------------------------------

/// Builds a kit token for ZEGO's prebuilt UIKits: `token04 + "#" + base64(JSON)` with
/// the user ID, room ID, user name (URI-encoded) and app ID. IDs and names the kits
/// cannot carry are refused (`"invalid_input"`, naming the field). On success `*kit_out` is
/// freed with `zego_token_string_free`; `*kit_len_out` (when not NULL) is its length.
///
/// # Safety
///
/// Each (pointer, length) pair is NULL with length 0 or points to that many readable
/// bytes; `kit_out` is valid for a write; `kit_len_out` and `error` are NULL or valid
/// for a write.
#[allow(unsafe_code, clippy::too_many_arguments)]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn zego_token_kit_token(
    token04: *const c_char,
    token04_len: usize,
    app_id: u32,
    user_id: *const c_char,
    user_id_len: usize,
    room_id: *const c_char,
    room_id_len: usize,
    user_name: *const c_char,
    user_name_len: usize,
    kit_out: *mut *mut c_char,
    kit_len_out: *mut usize,
    error: *mut *mut ZegoTokenError,
) -> i32 {
    // SAFETY: the caller's contract for every argument.
    unsafe {
        clear(kit_out);
        run(error, || {
            required(kit_out, "kit_out")?;
            let kit = zego_token::kit_token(
                token_text(token04, token04_len)?,
                app_id,
                text(user_id, user_id_len, "user_id", 3)?,
                text(room_id, room_id_len, "room_id", 0)?,
                text(user_name, user_name_len, "user_name", 0)?,
            )?;
            put_string(kit_out, kit_len_out, &kit);
            Ok(())
        })
    }
}

/// Decodes the part of a kit token after `#` to its JSON text. On success `*json_out`
/// is freed with `zego_token_string_free`; `*json_len_out` (when not NULL) is its
/// length.
///
/// # Safety
///
/// `info` is NULL with length 0 or points to `info_len` readable bytes; `json_out` is
/// valid for a write; `json_len_out` and `error` are NULL or valid for a write.
#[allow(unsafe_code)]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn zego_token_decode_kit_info(
    info: *const c_char,
    info_len: usize,
    json_out: *mut *mut c_char,
    json_len_out: *mut usize,
    error: *mut *mut ZegoTokenError,
) -> i32 {
    // SAFETY: the caller's contract for every argument.
    unsafe {
        clear(json_out);
        run(error, || {
            required(json_out, "json_out")?;
            let json = zego_token::decode_kit_info(token_text(info, info_len)?)?;
            put_string(json_out, json_len_out, &json);
            Ok(())
        })
    }
}
