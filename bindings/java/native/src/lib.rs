//! JNI entry points of `im.zego.token.Native`, the private class behind the Java package.
//!
//! The glue converts types and errors, nothing else: every token rule lives in the
//! `zego-token` core. Each entry point's body runs through `run`, inside
//! [`EnvUnowned::with_env`], which catches panics; `run` turns every failure into a
//! Java exception: a core error becomes the matching `TokenException`
//! subclass (built by `TokenException.fromNative`), a null argument a
//! `NullPointerException`, a closed secret an `IllegalStateException`, a panic an
//! `IllegalStateException` without details. No panic crosses into the JVM.
//!
//! A `ServerSecret` lives on the Rust heap; Java holds the `Box` pointer as a `long`
//! handle and frees it exactly once through `secretFree` (the Java class serialises
//! `close` against running calls with a lock). Secret bytes arrive as a `byte[]`, are
//! copied into a zeroized buffer and never into a Java string.
//!
//! `#[unsafe(no_mangle)]` is what lets the JVM find each entry point by its mangled name,
//! and the secret handle is a raw pointer: this crate's `Cargo.toml` sets `unsafe_code`
//! to `deny` instead of the workspace's `forbid`, and each such item carries
//! `#[allow(unsafe_code)]` and a `// SAFETY:` line.

mod failure;

use std::time::Duration;

use jni::objects::{JByteArray, JClass, JObject, JObjectArray, JString, JThrowable};
use jni::sys::{jboolean, jint, jlong};
use jni::{Env, EnvUnowned, JValue, jni_sig, jni_str};
use zego_token::sdk::{self, SdkWarning};
use zego_token::{
    CipherMode, Claims, Clock, Error, Field, FixedClock, GenerateOptions, KitInfo, Payload,
    RoomPayload, ServerSecret, SystemClock, UntrustedEnvelope, Validation,
};
use zeroize::Zeroizing;

use crate::failure::{ExceptionParts, Failure};

type Outcome<T> = Result<T, Failure>;

/// Runs the body of a native method and returns its value to the JVM.
///
/// The body runs inside [`EnvUnowned::with_env`], which catches panics. On success the
/// value is returned as it is; on a failure or a panic a Java exception is thrown (unless
/// one is already pending) in a second `with_env`, which catches panics too, and the
/// default value (null / 0) is returned. The success path thus enters the JNI
/// environment once.
fn run<'c, T: Default>(
    env: &mut EnvUnowned<'c>,
    body: impl FnOnce(&mut Env<'c>) -> Outcome<T>,
) -> T {
    let failure = match env.with_env(body).into_outcome() {
        jni::Outcome::Ok(value) => return value,
        jni::Outcome::Err(failure) => Some(failure),
        // The payload is not shown: nothing from inside the core reaches the message.
        jni::Outcome::Panic(_) => None,
    };
    // A failure while throwing leaves nothing better to do than return the default.
    let _ = env
        .with_env(|env| -> Outcome<()> {
            if !env.exception_check() {
                throw_failure(env, failure.as_ref())?;
            }
            Ok(())
        })
        .into_outcome();
    T::default()
}

/// Throws the Java exception for a failure; `None` stands for a panic.
fn throw_failure(env: &mut Env<'_>, failure: Option<&Failure>) -> jni::errors::Result<()> {
    let Some(failure) = failure else {
        return env.throw_new(
            jni_str!("java/lang/IllegalStateException"),
            jni_str!("zego-token: internal error in the native library (a bug; please report it)"),
        );
    };
    if let Some(parts) = ExceptionParts::of(failure) {
        return throw_token_exception(env, &parts);
    }
    let class = match failure {
        Failure::Null(_) => jni_str!("java/lang/NullPointerException"),
        _ => jni_str!("java/lang/IllegalStateException"),
    };
    let message = jni::strings::JNIString::new(format!("zego-token: {failure}"));
    env.throw_new(class, message)
}

fn throw_token_exception(env: &mut Env<'_>, p: &ExceptionParts) -> jni::errors::Result<()> {
    let kind = env.new_string(p.kind)?;
    let message = env.new_string(&p.message)?;
    let advice = env.new_string(p.advice)?;
    let field = env.new_string(p.field)?;
    let exc = env
        .call_static_method(
            jni_str!("im/zego/token/TokenException"),
            jni_str!("fromNative"),
            jni_sig!(
                "(Ljava/lang/String;Ljava/lang/String;Ljava/lang/String;IIILjava/lang/String;)Lim/zego/token/TokenException;"
            ),
            &[
                JValue::Object(&kind),
                JValue::Object(&message),
                JValue::Object(&advice),
                JValue::Int(p.zego_code),
                JValue::Int(p.zim_code),
                JValue::Int(p.official_code),
                JValue::Object(&field),
            ],
        )?
        .l()?;
    let exc = env.cast_local::<JThrowable>(exc)?;
    env.throw(exc)
}

/// Reads a non-null Java string.
fn string(env: &Env<'_>, s: &JString<'_>, name: &'static str) -> Outcome<String> {
    if s.is_null() {
        return Err(Failure::Null(name));
    }
    Ok(s.mutf8_chars(env)?.to_str().into_owned())
}

/// Reads a Java string that may be null.
fn opt_string(env: &Env<'_>, s: &JString<'_>) -> Outcome<Option<String>> {
    if s.is_null() {
        return Ok(None);
    }
    Ok(Some(s.mutf8_chars(env)?.to_str().into_owned()))
}

fn new_string<'local>(env: &mut Env<'local>, s: &str) -> Outcome<JObject<'local>> {
    Ok(env.new_string(s)?.into())
}

/// A token (ASCII) as a `byte[]`, which Java turns into a `String` with ISO-8859-1.
///
/// Cheaper than `NewStringUTF` on the hot paths: no modified-UTF-8 re-encoding here and
/// no per-character length scan in the JVM.
fn token_bytes<'local>(env: &mut Env<'local>, token: &str) -> Outcome<JObject<'local>> {
    debug_assert!(token.is_ascii());
    Ok(env.byte_array_from_slice(token.as_bytes())?.into())
}

/// Copies a Java `byte[]` into a buffer that is zeroized when dropped.
fn secret_bytes(env: &Env<'_>, bytes: &JByteArray<'_>) -> Outcome<Zeroizing<Vec<u8>>> {
    if bytes.is_null() {
        return Err(Failure::Null("secret"));
    }
    let len = bytes.len(env)?;
    let mut buf = Zeroizing::new(vec![0i8; len]);
    bytes.get_region(env, 0, &mut buf)?;
    Ok(Zeroizing::new(
        buf.iter().map(|b| b.cast_unsigned()).collect(),
    ))
}

fn mode(cbc: jboolean) -> CipherMode {
    if cbc {
        CipherMode::Cbc
    } else {
        CipherMode::Gcm
    }
}

/// The secret behind a handle.
///
/// # Safety
///
/// `handle` is 0 or a pointer returned by `secretNew` and not yet passed to `secretFree`.
#[allow(unsafe_code)]
unsafe fn secret<'a>(handle: jlong) -> Outcome<&'a ServerSecret> {
    let ptr = handle as usize as *const ServerSecret;
    // SAFETY: the caller guarantees a live `Box<ServerSecret>` pointer or 0; `as_ref`
    // maps 0 to None.
    unsafe { ptr.as_ref() }.ok_or(Failure::Closed)
}

/// `static native long secretNew(byte[] secret)`: validates a ServerSecret and returns
/// the handle of its prepared keys.
#[allow(unsafe_code)]
// SAFETY: an exported JNI symbol with the signature the JVM expects for this method.
#[unsafe(no_mangle)]
pub extern "system" fn Java_im_zego_token_Native_secretNew<'c>(
    mut env: EnvUnowned<'c>,
    _class: JClass<'c>,
    bytes: JByteArray<'c>,
) -> jlong {
    run(&mut env, |env| -> Outcome<jlong> {
        let key = secret_bytes(env, &bytes)?;
        let secret = Box::new(ServerSecret::from_bytes(&key)?);
        Ok(Box::into_raw(secret) as usize as jlong)
    })
}

/// `static native void secretFree(long handle)`: drops (and so zeroizes) a secret.
#[allow(unsafe_code)]
// SAFETY: an exported JNI symbol with the signature the JVM expects for this method.
#[unsafe(no_mangle)]
pub extern "system" fn Java_im_zego_token_Native_secretFree<'c>(
    mut env: EnvUnowned<'c>,
    _class: JClass<'c>,
    handle: jlong,
) {
    run(&mut env, |_env| -> Outcome<()> {
        if handle != 0 {
            let ptr = handle as usize as *mut ServerSecret;
            // SAFETY: the Java class passes each handle from `secretNew` here exactly
            // once, under its write lock, after which it never uses the handle again.
            drop(unsafe { Box::from_raw(ptr) });
        }
        Ok(())
    });
}

/// Reads the claims arguments shared by `generate` and `generateFull`.
fn claims_from(
    env: &Env<'_>,
    app_id: jlong,
    user_id: &JString<'_>,
    seconds: jlong,
    nanos: jint,
    payload: &JString<'_>,
) -> Outcome<Claims> {
    let app_id = failure::app_id(app_id)?;
    let user_id = string(env, user_id, "userId")?;
    let lifetime = failure::lifetime(seconds, nanos)?;
    let claims = Claims::new(app_id, user_id, lifetime);
    Ok(match opt_string(env, payload)? {
        Some(p) => claims.payload(Payload::raw(p)),
        None => claims,
    })
}

/// `static native byte[] generate(long handle, long appId, String userId, long seconds,
/// int nanos, String payload)`: an AES-GCM token (ASCII bytes), the fast path.
#[allow(unsafe_code, clippy::too_many_arguments)]
// SAFETY: an exported JNI symbol with the signature the JVM expects for this method.
#[unsafe(no_mangle)]
pub extern "system" fn Java_im_zego_token_Native_generate<'c>(
    mut env: EnvUnowned<'c>,
    _class: JClass<'c>,
    handle: jlong,
    app_id: jlong,
    user_id: JString<'c>,
    seconds: jlong,
    nanos: jint,
    payload: JString<'c>,
) -> JObject<'c> {
    run(&mut env, |env| -> Outcome<JObject<'c>> {
        // SAFETY: the Java class holds its read lock on the handle during this call.
        let secret = unsafe { secret(handle) }?;
        let claims = claims_from(env, app_id, &user_id, seconds, nanos, &payload)?;
        let token = zego_token::generate(secret, &claims)?;
        token_bytes(env, &token)
    })
}

/// `static native GeneratedToken generateFull(long handle, long appId, String userId,
/// long seconds, int nanos, String payload, boolean cbc)`: a token with its times,
/// nonce and the SDK rules it breaks.
#[allow(unsafe_code, clippy::too_many_arguments)]
// SAFETY: an exported JNI symbol with the signature the JVM expects for this method.
#[unsafe(no_mangle)]
pub extern "system" fn Java_im_zego_token_Native_generateFull<'c>(
    mut env: EnvUnowned<'c>,
    _class: JClass<'c>,
    handle: jlong,
    app_id: jlong,
    user_id: JString<'c>,
    seconds: jlong,
    nanos: jint,
    payload: JString<'c>,
    cbc: jboolean,
) -> JObject<'c> {
    run(&mut env, |env| -> Outcome<JObject<'c>> {
        // SAFETY: the Java class holds its read lock on the handle during this call.
        let secret = unsafe { secret(handle) }?;
        let claims = claims_from(env, app_id, &user_id, seconds, nanos, &payload)?;
        let g = zego_token::generate_with(
            secret,
            &claims,
            &GenerateOptions::default().mode(mode(cbc)),
        )?;
        let warnings = warnings_array(env, &sdk::check_claims_at(&claims, g.ctime))?;
        let token = env.new_string(&g.token)?;
        Ok(env.new_object(
            jni_str!("im/zego/token/GeneratedToken"),
            jni_sig!("(Ljava/lang/String;ZJJI[Ljava/lang/Object;)V"),
            &[
                JValue::Object(&token),
                JValue::Bool(g.mode == CipherMode::Gcm),
                JValue::Long(g.ctime),
                JValue::Long(g.expire),
                JValue::Int(g.nonce),
                JValue::Object(&warnings),
            ],
        )?)
    })
}

/// The SDK rules as a Java `Object[]` of `im.zego.token.SdkWarning`.
fn warnings_array<'c>(env: &mut Env<'c>, warnings: &[SdkWarning]) -> Outcome<JObject<'c>> {
    let array = JObjectArray::<JObject>::new(env, warnings.len(), JObject::null())?;
    for (i, w) in warnings.iter().enumerate() {
        let rule = env.new_string(w.rule())?;
        let product = env.new_string(w.product())?;
        let message = env.new_string(w.message())?;
        let code = w.code().and_then(|c| jint::try_from(c).ok()).unwrap_or(-1);
        let obj = env.new_object(
            jni_str!("im/zego/token/SdkWarning"),
            jni_sig!("(Ljava/lang/String;Ljava/lang/String;IZLjava/lang/String;)V"),
            &[
                JValue::Object(&rule),
                JValue::Object(&product),
                JValue::Int(code),
                JValue::Bool(w.blocking()),
                JValue::Object(&message),
            ],
        )?;
        array.set_element(env, i, &obj)?;
    }
    Ok(array.into())
}

/// `static native byte[] generateToken04(long appId, String userId, byte[] secret,
/// int effectiveTimeInSeconds, String payload)`: the official entry point (the token's
/// ASCII bytes).
#[allow(unsafe_code)]
// SAFETY: an exported JNI symbol with the signature the JVM expects for this method.
#[unsafe(no_mangle)]
pub extern "system" fn Java_im_zego_token_Native_generateToken04<'c>(
    mut env: EnvUnowned<'c>,
    _class: JClass<'c>,
    app_id: jlong,
    user_id: JString<'c>,
    secret: JByteArray<'c>,
    effective_time: jint,
    payload: JString<'c>,
) -> JObject<'c> {
    run(&mut env, |env| -> Outcome<JObject<'c>> {
        // The official checks run in this order: app_id, user_id, secret, time.
        // The core checks in the official order (app_id, user_id, secret, time); a null
        // user or secret is checked as "" there and named as null here.
        let app_id = failure::app_id(app_id)?;
        let user = opt_string(env, &user_id)?;
        let key = if secret.is_null() {
            None
        } else {
            Some(secret_bytes(env, &secret)?)
        };
        let key_text = match key.as_deref() {
            None => "",
            Some(k) => std::str::from_utf8(k).map_err(|_| Failure::Input {
                field: "secret",
                official: Some(5),
                message: "the ServerSecret is not valid UTF-8 text".into(),
            })?,
        };
        let payload = opt_string(env, &payload)?.unwrap_or_default();
        let token = zego_token::generate_token04(
            app_id,
            user.as_deref().unwrap_or(""),
            key_text,
            i64::from(effective_time),
            &payload,
        )
        .map_err(|e| match (&e, user.is_none(), key.is_none()) {
            (Error::InvalidInput(i), true, _) if i.field() == Field::UserId => Failure::Input {
                field: "user_id",
                official: Some(3),
                message: "user_id is null".into(),
            },
            (Error::InvalidInput(i), _, true) if i.field() == Field::Secret => Failure::Input {
                field: "secret",
                official: Some(5),
                message: "the ServerSecret is null".into(),
            },
            _ => Failure::Core(e),
        })?;
        token_bytes(env, &token)
    })
}

/// Reads a token text as the core's tools do: a token04, or a UIKit kit token
/// (`token04#info`) with its kit info; pasted damage (quotes, line wraps) is undone.
fn read_token(text: &str) -> Outcome<(UntrustedEnvelope, Option<KitInfo>)> {
    let (token04, kit) = zego_token::parse_kit_token(text)?;
    Ok((UntrustedEnvelope::parse(token04)?, kit))
}

fn decoded_object<'c>(
    env: &mut Env<'c>,
    d: &zego_token::Decoded,
    warnings: &[SdkWarning],
) -> Outcome<JObject<'c>> {
    let user_id = env.new_string(&d.claims.user_id)?;
    let payload = env.new_string(&d.claims.payload)?;
    let iv = env.byte_array_from_slice(&d.iv)?;
    let warnings = warnings_array(env, warnings)?;
    Ok(env.new_object(
        jni_str!("im/zego/token/Decoded"),
        jni_sig!("(JLjava/lang/String;JJJLjava/lang/String;ZZ[BJ[Ljava/lang/Object;)V"),
        &[
            JValue::Long(i64::from(d.claims.app_id)),
            JValue::Object(&user_id),
            JValue::Long(d.claims.nonce),
            JValue::Long(d.claims.ctime),
            JValue::Long(d.claims.expire),
            JValue::Object(&payload),
            JValue::Bool(d.claims.payload_present),
            JValue::Bool(d.mode == CipherMode::Gcm),
            JValue::Object(&iv),
            JValue::Long(d.header_expire),
            JValue::Object(&warnings),
        ],
    )?)
}

/// `static native Decoded decode(long handle, String token)`.
#[allow(unsafe_code)]
// SAFETY: an exported JNI symbol with the signature the JVM expects for this method.
#[unsafe(no_mangle)]
pub extern "system" fn Java_im_zego_token_Native_decode<'c>(
    mut env: EnvUnowned<'c>,
    _class: JClass<'c>,
    handle: jlong,
    token: JString<'c>,
) -> JObject<'c> {
    run(&mut env, |env| -> Outcome<JObject<'c>> {
        // SAFETY: the Java class holds its read lock on the handle during this call.
        let secret = unsafe { secret(handle) }?;
        let token = string(env, &token, "token")?;
        let (envelope, kit) = read_token(&token)?;
        let decoded = zego_token::decode_envelope(&envelope, secret)?;
        let warnings =
            sdk::token_warnings(&envelope, Some(&decoded), kit.as_ref(), SystemClock.now());
        decoded_object(env, &decoded, &warnings)
    })
}

/// `static native Decoded verify(long handle, String token, long appId, String userId,
/// String roomId, boolean requirePublish, String streamId, long leewaySeconds,
/// boolean fixedClock, long now)`.
#[allow(unsafe_code, clippy::too_many_arguments)]
// SAFETY: an exported JNI symbol with the signature the JVM expects for this method.
#[unsafe(no_mangle)]
pub extern "system" fn Java_im_zego_token_Native_verify<'c>(
    mut env: EnvUnowned<'c>,
    _class: JClass<'c>,
    handle: jlong,
    token: JString<'c>,
    app_id: jlong,
    user_id: JString<'c>,
    room_id: JString<'c>,
    require_publish: jboolean,
    stream_id: JString<'c>,
    leeway_seconds: jlong,
    fixed_clock: jboolean,
    now: jlong,
) -> JObject<'c> {
    run(&mut env, |env| -> Outcome<JObject<'c>> {
        // SAFETY: the Java class holds its read lock on the handle during this call.
        let secret = unsafe { secret(handle) }?;
        let token = string(env, &token, "token")?;
        let mut v = Validation::new(failure::app_id(app_id)?);
        if let Some(u) = opt_string(env, &user_id)? {
            v = v.user_id(u);
        }
        if let Some(r) = opt_string(env, &room_id)? {
            v = v.room_id(r);
        }
        if require_publish {
            v = v.require_publish();
        }
        if let Some(s) = opt_string(env, &stream_id)? {
            v = v.stream_id(s);
        }
        if let Ok(leeway) = u64::try_from(leeway_seconds) {
            v = v.leeway(Duration::from_secs(leeway));
        }
        if fixed_clock {
            v = v.clock(std::sync::Arc::new(FixedClock(now)));
        }
        let (envelope, kit) = read_token(&token)?;
        let decoded = zego_token::decode_envelope(&envelope, secret)?;
        zego_token::check(&decoded, &v)?;
        let warnings = sdk::token_warnings(&envelope, Some(&decoded), kit.as_ref(), v.clock.now());
        decoded_object(env, &decoded, &warnings)
    })
}

/// `static native Envelope inspect(String token)`: the header, without the secret.
#[allow(unsafe_code)]
// SAFETY: an exported JNI symbol with the signature the JVM expects for this method.
#[unsafe(no_mangle)]
pub extern "system" fn Java_im_zego_token_Native_inspect<'c>(
    mut env: EnvUnowned<'c>,
    _class: JClass<'c>,
    token: JString<'c>,
) -> JObject<'c> {
    run(&mut env, |env| -> Outcome<JObject<'c>> {
        let token = string(env, &token, "token")?;
        let (e, kit) = read_token(&token)?;
        let warnings = sdk::token_warnings(&e, None, kit.as_ref(), SystemClock.now());
        let iv = env.byte_array_from_slice(e.iv())?;
        let ct_len = jint::try_from(e.ciphertext_len()).unwrap_or(jint::MAX);
        let warnings = warnings_array(env, &warnings)?;
        Ok(env.new_object(
            jni_str!("im/zego/token/Envelope"),
            jni_sig!("(JZZ[BI[Ljava/lang/Object;)V"),
            &[
                JValue::Long(e.untrusted_expire()),
                JValue::Bool(e.mode() == CipherMode::Gcm),
                JValue::Bool(e.has_mode_byte()),
                JValue::Object(&iv),
                JValue::Int(ct_len),
                JValue::Object(&warnings),
            ],
        )?)
    })
}

/// `static native String roomPayload(String roomId, boolean login, boolean publish,
/// String[] streams)`: the payload JSON of a privilege token, validated by the core.
#[allow(unsafe_code)]
// SAFETY: an exported JNI symbol with the signature the JVM expects for this method.
#[unsafe(no_mangle)]
pub extern "system" fn Java_im_zego_token_Native_roomPayload<'c>(
    mut env: EnvUnowned<'c>,
    _class: JClass<'c>,
    room_id: JString<'c>,
    login: jboolean,
    publish: jboolean,
    streams: JObjectArray<'c, JString<'c>>,
) -> JObject<'c> {
    run(&mut env, |env| -> Outcome<JObject<'c>> {
        let room_id = string(env, &room_id, "roomId")?;
        let mut room = RoomPayload::new(room_id).login(login).publish(publish);
        if !streams.is_null() {
            let mut list = Vec::new();
            for i in 0..streams.len(env)? {
                let s = streams.get_element(env, i)?;
                list.push(string(env, &s, "streamId")?);
            }
            room = room.streams(list);
        }
        let json = room.build()?.to_json();
        new_string(env, &json)
    })
}

/// `static native RoomPrivileges parseRoom(String payload)`: a privilege payload read
/// back (`null` for an empty payload).
#[allow(unsafe_code)]
// SAFETY: an exported JNI symbol with the signature the JVM expects for this method.
#[unsafe(no_mangle)]
pub extern "system" fn Java_im_zego_token_Native_parseRoom<'c>(
    mut env: EnvUnowned<'c>,
    _class: JClass<'c>,
    payload: JString<'c>,
) -> JObject<'c> {
    run(&mut env, |env| -> Outcome<JObject<'c>> {
        let payload = string(env, &payload, "payload")?;
        if payload.is_empty() {
            return Ok(JObject::null());
        }
        let room = zego_token::RoomPrivileges::parse(&payload)?;
        let room_id = env.new_string(room.room_id())?;
        let streams: JObject<'c> = match room.stream_ids() {
            None => JObject::null(),
            Some(ids) => {
                let array = JObjectArray::<JString>::new(env, ids.len(), JString::null())?;
                for (i, id) in ids.iter().enumerate() {
                    let s = env.new_string(id)?;
                    array.set_element(env, i, &s)?;
                }
                array.into()
            }
        };
        let json = env.new_string(room.to_json())?;
        Ok(env.new_object(
            jni_str!("im/zego/token/RoomPrivileges"),
            jni_sig!("(Ljava/lang/String;ZZ[Ljava/lang/String;Ljava/lang/String;)V"),
            &[
                JValue::Object(&room_id),
                JValue::Bool(room.can_login()),
                JValue::Bool(room.can_publish()),
                JValue::Object(&streams),
                JValue::Object(&json),
            ],
        )?)
    })
}

/// `static native String kitToken(String token04, long appId, String userId,
/// String roomId, String userName)`.
#[allow(unsafe_code)]
// SAFETY: an exported JNI symbol with the signature the JVM expects for this method.
#[unsafe(no_mangle)]
pub extern "system" fn Java_im_zego_token_Native_kitToken<'c>(
    mut env: EnvUnowned<'c>,
    _class: JClass<'c>,
    token04: JString<'c>,
    app_id: jlong,
    user_id: JString<'c>,
    room_id: JString<'c>,
    user_name: JString<'c>,
) -> JObject<'c> {
    run(&mut env, |env| -> Outcome<JObject<'c>> {
        let token = string(env, &token04, "token04")?;
        let app_id = failure::app_id(app_id)?;
        let user_id = string(env, &user_id, "userId")?;
        let room_id = string(env, &room_id, "roomId")?;
        let user_name = string(env, &user_name, "userName")?;
        let kit = zego_token::kit_token(&token, app_id, &user_id, &room_id, &user_name)?;
        new_string(env, &kit)
    })
}

/// `static native String sealPlaintext(long handle, boolean cbc, long expire, byte[] iv,
/// byte[] plaintext)`: encrypts an exact claims text with a given IV. Only for the
/// package's own tests, which re-derive the official vectors' bytes with it.
#[allow(unsafe_code)]
// SAFETY: an exported JNI symbol with the signature the JVM expects for this method.
#[unsafe(no_mangle)]
pub extern "system" fn Java_im_zego_token_Native_sealPlaintext<'c>(
    mut env: EnvUnowned<'c>,
    _class: JClass<'c>,
    handle: jlong,
    cbc: jboolean,
    expire: jlong,
    iv: JByteArray<'c>,
    plaintext: JByteArray<'c>,
) -> JObject<'c> {
    run(&mut env, |env| -> Outcome<JObject<'c>> {
        // SAFETY: the Java class holds its read lock on the handle during this call.
        let secret = unsafe { secret(handle) }?;
        if iv.is_null() {
            return Err(Failure::Null("iv"));
        }
        if plaintext.is_null() {
            return Err(Failure::Null("plaintext"));
        }
        let iv = env.convert_byte_array(&iv)?;
        let plaintext = Zeroizing::new(env.convert_byte_array(&plaintext)?);
        let token =
            zego_token::dangerous::seal_plaintext(secret, mode(cbc), expire, &iv, &plaintext)?;
        new_string(env, &token)
    })
}

/// `static native byte[] callCost(long handle, long appId, String userId, long seconds,
/// int nanos, String payload, int tokenLength)`: everything `generate` does except the
/// token itself (argument conversion, claims, a returned array of a token's length).
/// Only for the benchmark, which reports it as the JNI per-call cost.
#[allow(unsafe_code, clippy::too_many_arguments)]
// SAFETY: an exported JNI symbol with the signature the JVM expects for this method.
#[unsafe(no_mangle)]
pub extern "system" fn Java_im_zego_token_Native_callCost<'c>(
    mut env: EnvUnowned<'c>,
    _class: JClass<'c>,
    handle: jlong,
    app_id: jlong,
    user_id: JString<'c>,
    seconds: jlong,
    nanos: jint,
    payload: JString<'c>,
    token_length: jint,
) -> JObject<'c> {
    run(&mut env, |env| -> Outcome<JObject<'c>> {
        // SAFETY: the Java caller holds the secret's read lock during this call.
        let _secret = unsafe { secret(handle) }?;
        let claims = claims_from(env, app_id, &user_id, seconds, nanos, &payload)?;
        let len = usize::try_from(token_length).unwrap_or(0);
        let text = "A".repeat(len);
        std::hint::black_box(&claims);
        token_bytes(env, &text)
    })
}
