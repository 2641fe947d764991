//! The native half of the Node.js package `zego-token`: napi-rs functions over the
//! `zego-token` core.
//!
//! This crate only converts types and errors. JavaScript (`index.js`) checks the types
//! of the caller's arguments before calling in (so no napi conversion error, which may
//! print the offending value, ever reaches a user), and turns a returned [`Failure`]
//! into the exception its API promises: `{ errorCode, errorMessage }` for the drop-in
//! `generateToken04`, a `TokenError` for everything else.
//!
//! Every function returns `Either<value, Failure>` instead of throwing: a failure is an
//! ordinary return value, and the JavaScript side decides how to throw. Every function
//! is also `catch_unwind`: should the core ever panic, napi-rs turns the panic into a
//! JavaScript exception instead of letting it abort the process at the FFI boundary.
//!
//! # Secrets
//!
//! The ServerSecret arrives as a JavaScript string (napi copies it into a Rust
//! `String`, which is zeroized as soon as the core's [`zego_token::ServerSecret`] has
//! been built; the core's value zeroizes itself on drop) or as a buffer (borrowed, not
//! copied: the caller may wipe it). No [`Failure`] carries key bytes or plaintext: the core's
//! errors never do, and the binding's own messages name types and lengths only.

use std::sync::{Arc, LazyLock};
use std::time::Duration;

use napi::Either;
use napi::bindgen_prelude::Either3;
use napi::bindgen_prelude::{Buffer, Float64ArraySlice};
use napi_derive::napi;
use zego_token::{
    CipherMode, Claims, Clock, Decoded, Error, FixedClock, GenerateOptions, Payload, RoomPayload,
    RoomPrivileges, SystemClock, TokenClaims, UntrustedEnvelope, Validation, sdk::SdkWarning,
};
use zeroize::Zeroize;

/// GCM at the system clock: the options of nearly every `generate` call.
static SYSTEM_GCM: LazyLock<GenerateOptions> = LazyLock::new(GenerateOptions::default);

/// The largest integer a JavaScript number holds exactly (`Number.MAX_SAFE_INTEGER`).
const MAX_SAFE_INTEGER: i64 = (1 << 53) - 1;

/// Why a call failed: everything the JavaScript side needs to build its exception.
///
/// Returned (not thrown) by every function of this module; see the crate docs.
#[napi]
pub struct Failure {
    /// The core's stable reason name ([`Error::kind`]), or `out_of_range` for a value
    /// JavaScript numbers cannot hold exactly.
    pub kind: String,
    /// A sentence saying what was wrong and what was expected.
    pub message: String,
    /// For an input error: what is wrong with the field, without the field's name.
    pub detail: Option<String>,
    /// For an input error: the field's name as the official generators spell it.
    pub field: Option<String>,
    /// The official generators' code (1, 3, 5, 6), where one exists.
    pub official_code: Option<u32>,
    /// The code ZEGO's RTC SDKs report for this reason, where one exists.
    pub zego_code: Option<u32>,
    /// The code ZEGO's ZIM SDKs report for this reason, where one exists.
    pub zim_code: Option<u32>,
    /// What to do about it.
    pub advice: String,
}

impl From<Error> for Failure {
    fn from(e: Error) -> Self {
        let (field, detail) = match &e {
            Error::InvalidInput(i) => (
                Some(i.field().name().to_owned()),
                Some(i.message().to_owned()),
            ),
            _ => (None, None),
        };
        Self {
            kind: e.kind().to_owned(),
            message: e.to_string(),
            detail,
            field,
            official_code: e.official_code(),
            zego_code: e.zego_code(),
            zim_code: e.zim_code(),
            advice: e.advice().to_owned(),
        }
    }
}

impl Failure {
    /// An input error found by the binding (a conversion the core cannot see).
    fn input(field: &str, official_code: Option<u32>, detail: String) -> Box<Self> {
        Box::new(Self {
            kind: "invalid_input".to_owned(),
            message: format!("invalid {field}: {detail}"),
            detail: Some(detail),
            field: Some(field.to_owned()),
            official_code,
            zego_code: None,
            zim_code: None,
            advice: "Correct the named input and generate again.".to_owned(),
        })
    }

    /// A token value that a JavaScript number cannot hold exactly.
    fn out_of_range(what: &str, value: i64) -> Box<Self> {
        Box::new(Self {
            kind: "out_of_range".to_owned(),
            message: format!(
                "the token's {what} is {value}, beyond what a JavaScript number holds exactly (±{MAX_SAFE_INTEGER})"
            ),
            detail: None,
            field: None,
            official_code: None,
            zego_code: None,
            zim_code: None,
            advice: "No conforming generator writes such a value: generate a new token.".to_owned(),
        })
    }
}

/// Returns `value` when a JavaScript number holds it exactly.
fn js_int(what: &str, value: i64) -> Res<i64> {
    if (-MAX_SAFE_INTEGER..=MAX_SAFE_INTEGER).contains(&value) {
        Ok(value)
    } else {
        Err(Failure::out_of_range(what, value))
    }
}

fn mode_name(mode: CipherMode) -> String {
    mode.as_str().to_owned()
}

fn mode_of(cbc: bool) -> CipherMode {
    if cbc {
        CipherMode::Cbc
    } else {
        CipherMode::Gcm
    }
}

fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for &b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 0xf)]));
    }
    out
}

/// The result of the binding's internal steps: the failure is boxed, as it is large and
/// rare.
type Res<T> = Result<T, Box<Failure>>;

impl From<Error> for Box<Failure> {
    fn from(e: Error) -> Self {
        Box::new(Failure::from(e))
    }
}

/// Folds a result into the `Either` every exported function returns.
fn either<T>(r: Res<T>) -> Either<T, Failure> {
    match r {
        Ok(v) => Either::A(v),
        Err(f) => Either::B(*f),
    }
}

/// A validated ServerSecret with its AES key schedules prepared (the core's
/// [`zego_token::ServerSecret`]). JavaScript wraps it in its `ServerSecret` class and
/// never shows it.
#[napi]
pub struct NativeSecret {
    inner: zego_token::ServerSecret,
}

/// Builds a secret from the 32-character string of ZEGO's console.
#[napi(catch_unwind)]
pub fn new_secret(mut secret: String) -> Either<NativeSecret, Failure> {
    let r = zego_token::ServerSecret::new(&secret);
    secret.zeroize();
    either(
        r.map(|inner| NativeSecret { inner })
            .map_err(Box::<Failure>::from),
    )
}

/// Builds a secret from its 32 bytes (e.g. read from a file). The caller's buffer is
/// left as it is: JavaScript may wipe it with `buffer.fill(0)`.
#[napi(catch_unwind)]
pub fn new_secret_from_bytes(secret: Buffer) -> Either<NativeSecret, Failure> {
    either(
        zego_token::ServerSecret::from_bytes(&secret)
            .map(|inner| NativeSecret { inner })
            .map_err(Box::<Failure>::from),
    )
}

/// Whether two secrets are the same, compared in constant time.
#[napi(catch_unwind)]
pub fn secrets_equal(a: &NativeSecret, b: &NativeSecret) -> bool {
    a.inner.ct_eq(&b.inner)
}

/// The official `generateToken04(appId, userId, secret, effectiveTimeInSeconds,
/// payload)`: an AES-GCM token04, or the failure with its official code.
#[napi(js_name = "generateToken04", catch_unwind)]
pub fn generate_token04(
    app_id: u32,
    user_id: String,
    mut secret: String,
    effective_time_in_seconds: i64,
    payload: String,
) -> Either<String, Failure> {
    let r = zego_token::generate_token04(
        app_id,
        &user_id,
        &secret,
        effective_time_in_seconds,
        &payload,
    );
    secret.zeroize();
    either(r.map_err(Box::<Failure>::from))
}

/// A token made by [`generate`]: the text and the values chosen for it.
#[napi(object)]
pub struct GeneratedJs {
    /// The token text.
    pub token: String,
    /// `"gcm"` or `"cbc"`.
    pub mode: String,
    /// Creation time, Unix seconds.
    pub ctime: i64,
    /// Expiry time, Unix seconds.
    pub expire: i64,
    /// The random claims nonce.
    pub nonce: i32,
}

fn generated(g: zego_token::Generated) -> Res<GeneratedJs> {
    // Only a lifetime near 2^53 s can push expire out of a JavaScript number's range.
    let expire = js_int("expire", g.expire).map_err(|_| {
        Failure::input(
            "effective_time_in_seconds",
            Some(6),
            format!(
                "the lifetime {} s puts expire at {}, beyond what a JavaScript number holds exactly",
                g.expire - g.ctime,
                g.expire
            ),
        )
    })?;
    Ok(GeneratedJs {
        ctime: js_int("ctime", g.ctime)?,
        expire,
        token: g.token,
        mode: mode_name(g.mode),
        nonce: g.nonce,
    })
}

/// The payload of a token to generate: a room built by the core's [`RoomPayload`], a
/// raw payload text, or none.
fn payload_of(
    payload: Option<String>,
    room_id: Option<String>,
    login: bool,
    publish: bool,
    stream_ids: Option<Vec<String>>,
) -> Res<Payload> {
    match room_id {
        Some(id) => {
            let mut room = RoomPayload::new(id).login(login).publish(publish);
            if let Some(list) = stream_ids {
                room = room.streams(list);
            }
            Ok(room.build()?.into())
        }
        None => Ok(payload.map(Payload::raw).unwrap_or_default()),
    }
}

/// The lifetime as a `Duration`; the core refuses zero, the binding a negative value
/// (which a `Duration` cannot hold).
fn lifetime(ttl: i64) -> Res<Duration> {
    u64::try_from(ttl).map(Duration::from_secs).map_err(|_| {
        Failure::input(
            "effective_time_in_seconds",
            Some(6),
            format!("the lifetime is {ttl} s; it must be more than 0 seconds"),
        )
    })
}

/// Generates a token with a reusable secret. `room_id` set: a privilege token built from
/// the room arguments; otherwise `payload` (default empty). `now` pins the creation time.
///
/// Returns the token text and writes `ctime`, `expire` and the nonce into `out[0..3]`
/// (a `Float64Array` that `index.js` keeps for this, borrowed for the call without a
/// napi reference): three numbers in a typed array cost far less than a result object
/// built through napi, which would dominate the call. A token that breaks an SDK rule
/// comes back with its warnings.
#[napi(catch_unwind)]
#[allow(
    clippy::too_many_arguments,
    reason = "positional arguments are the fastest napi path; index.js builds them from one options object"
)]
pub fn generate(
    secret: &NativeSecret,
    app_id: u32,
    user_id: String,
    ttl: i64,
    payload: Option<String>,
    room_id: Option<String>,
    login: bool,
    publish: bool,
    stream_ids: Option<Vec<String>>,
    cbc: bool,
    now: Option<i64>,
    out: Float64ArraySlice<'_>,
) -> Either3<String, WithWarnings, Failure> {
    let claims = lifetime(ttl).and_then(|lifetime| {
        let payload = payload_of(payload, room_id, login, publish, stream_ids)?;
        Ok(Claims::new(app_id, user_id, lifetime).payload(payload))
    });
    match claims {
        Ok(claims) => mint(secret, &claims, cbc, now, out),
        Err(f) => Either3::C(*f),
    }
}

/// [`generate`] for the most common call: a basic GCM token at the system clock's time.
/// Five arguments instead of twelve: each napi argument conversion costs.
#[napi(catch_unwind)]
pub fn generate_basic(
    secret: &NativeSecret,
    app_id: u32,
    user_id: String,
    ttl: i64,
    out: Float64ArraySlice<'_>,
) -> Either3<String, WithWarnings, Failure> {
    match lifetime(ttl) {
        Ok(lifetime) => mint(
            secret,
            &Claims::new(app_id, user_id, lifetime),
            false,
            None,
            out,
        ),
        Err(f) => Either3::C(*f),
    }
}

/// Generates the token of `claims`, writes its numbers into `out` and checks the SDK
/// rules.
fn mint(
    secret: &NativeSecret,
    claims: &Claims,
    cbc: bool,
    now: Option<i64>,
    mut out: Float64ArraySlice<'_>,
) -> Either3<String, WithWarnings, Failure> {
    let r = (|| {
        let g = match now {
            // The common case reuses one set of options (no clock allocation per token).
            None if !cbc => zego_token::generate_with(&secret.inner, claims, &SYSTEM_GCM)?,
            _ => {
                let mut options = GenerateOptions::default().mode(mode_of(cbc));
                if let Some(now) = now {
                    options = options.clock(Arc::new(FixedClock(now)));
                }
                zego_token::generate_with(&secret.inner, claims, &options)?
            }
        };
        let g = generated(g)?;
        #[allow(
            unsafe_code,
            reason = "napi-rs gives mutable typed-array access only as unsafe"
        )]
        // SAFETY: `out` is the Float64Array that index.js allocates for this call site
        // and never hands out; JavaScript is blocked for the whole synchronous call and
        // the array is not shared with another thread, so nothing else reads or writes
        // its memory while this slice lives.
        let out = unsafe { out.as_mut() };
        let [ctime, expire, nonce, ..] = out else {
            return Err(Failure::input(
                "out",
                None,
                "expected a Float64Array of 3".to_owned(),
            ));
        };
        // Exact: both times are within ±2^53 (checked by `generated`), the nonce is 32-bit.
        #[allow(
            clippy::cast_precision_loss,
            reason = "checked to be within ±2^53 above"
        )]
        {
            *ctime = g.ctime as f64;
            *expire = g.expire as f64;
        }
        *nonce = f64::from(g.nonce);
        let warnings = zego_token::sdk::check_claims_at(claims, g.ctime);
        Ok((g.token, warnings))
    })();
    match r {
        Ok((token, warnings)) if warnings.is_empty() => Either3::A(token),
        Ok((token, warnings)) => Either3::B(WithWarnings {
            token,
            warnings: warnings_js(warnings),
        }),
        Err(f) => Either3::C(*f),
    }
}

/// A rule of ZEGO's clients that a token breaks ([`zego_token::sdk::SdkWarning`]).
#[napi(object, use_nullable = true)]
pub struct WarningJs {
    /// The stable rule name, e.g. `user_id_charset`.
    pub rule: String,
    /// `"rtc"`, `"zim"`, `"kit"` or `"token"`.
    pub product: String,
    /// The error code that client reports, where one is known.
    pub code: Option<u32>,
    /// Whether that client refuses the token (as opposed to a caveat).
    pub blocking: bool,
    /// What is wrong and what the client will do.
    pub message: String,
}

fn warnings_js(ws: Vec<SdkWarning>) -> Vec<WarningJs> {
    ws.into_iter()
        .map(|w| WarningJs {
            rule: w.rule().to_owned(),
            product: w.product().to_owned(),
            code: w.code(),
            blocking: w.blocking(),
            message: w.message().to_owned(),
        })
        .collect()
}

/// A generated token that breaks an SDK rule, with the rules it breaks. (A token that
/// breaks none comes back as a bare string: the common case pays for no array.)
#[napi(object)]
pub struct WithWarnings {
    /// The token text.
    pub token: String,
    /// The SDK rules the token breaks.
    pub warnings: Vec<WarningJs>,
}

/// The room privileges of a privilege token.
#[napi(object, use_nullable = true)]
pub struct RoomJs {
    /// The only room the token may log in to.
    pub id: String,
    /// Whether logging in is granted.
    pub login: bool,
    /// Whether publishing is granted.
    pub publish: bool,
    /// The only stream IDs the user may publish; `null` when the list is `null` or absent.
    pub stream_ids: Option<Vec<String>>,
}

impl From<&RoomPrivileges> for RoomJs {
    fn from(r: &RoomPrivileges) -> Self {
        Self {
            id: r.room_id().to_owned(),
            login: r.can_login(),
            publish: r.can_publish(),
            stream_ids: r.stream_ids().map(<[String]>::to_vec),
        }
    }
}

/// The six claims of a decrypted token.
#[napi(object)]
pub struct ClaimsJs {
    /// The app the token is for.
    pub app_id: u32,
    /// The user the token is for.
    pub user_id: String,
    /// The claims nonce.
    pub nonce: i64,
    /// Creation time, Unix seconds.
    pub ctime: i64,
    /// Expiry time, Unix seconds.
    pub expire: i64,
    /// The payload text (`""` for a basic token).
    pub payload: String,
}

/// A token decrypted with its secret.
#[napi(object, use_nullable = true)]
pub struct DecodedJs {
    /// The claims.
    pub claims: ClaimsJs,
    /// The room privileges, when the payload is a room privilege document; `null` for a
    /// basic token or another payload.
    pub room: Option<RoomJs>,
    /// `"gcm"` or `"cbc"`.
    pub mode: String,
    /// The IV (CBC) or nonce (GCM), hex.
    pub iv_hex: String,
    /// The header's unauthenticated copy of `expire`.
    pub header_expire: i64,
    /// What [`zego_token::sdk::token_warnings`] says about the token: the SDK rules its
    /// claims break, and notes on its cipher, nonce and claims.
    pub warnings: Vec<WarningJs>,
}

fn claims_js(c: TokenClaims) -> Res<ClaimsJs> {
    Ok(ClaimsJs {
        nonce: js_int("nonce", c.nonce)?,
        ctime: js_int("ctime", c.ctime)?,
        expire: js_int("expire", c.expire)?,
        app_id: c.app_id,
        user_id: c.user_id,
        payload: c.payload,
    })
}

/// The decoded token for JavaScript, with what [`zego_token::sdk::token_warnings`] has
/// to say about it at `now`.
fn decoded_js(env: &UntrustedEnvelope, d: Decoded, now: i64) -> Res<DecodedJs> {
    let warnings = warnings_js(zego_token::sdk::token_warnings(env, Some(&d), None, now));
    // A payload that is not a room document is not an error here: `verify` judges rooms.
    let room = d.claims.room_privileges().ok().flatten();
    Ok(DecodedJs {
        warnings,
        room: room.as_ref().map(RoomJs::from),
        header_expire: js_int("header expire", d.header_expire)?,
        claims: claims_js(d.claims)?,
        mode: mode_name(d.mode),
        iv_hex: hex(&d.iv),
    })
}

/// Decrypts a token with its secret, without judging its claims.
#[napi(catch_unwind)]
pub fn decode(token: String, secret: &NativeSecret) -> Either<DecodedJs, Failure> {
    either((|| {
        let env = UntrustedEnvelope::parse(&token)?;
        let decoded = zego_token::decode_envelope(&env, &secret.inner)?;
        decoded_js(&env, decoded, SystemClock.now())
    })())
}

/// Decrypts a token and checks it against the expectations, as ZEGO's server would.
#[napi(catch_unwind)]
#[allow(
    clippy::too_many_arguments,
    reason = "positional arguments are the fastest napi path; index.js builds them from one options object"
)]
pub fn verify(
    token: String,
    secret: &NativeSecret,
    app_id: u32,
    user_id: Option<String>,
    room_id: Option<String>,
    stream_id: Option<String>,
    require_publish: bool,
    leeway: Option<u32>,
    now: Option<i64>,
) -> Either<DecodedJs, Failure> {
    let mut v = Validation::new(app_id);
    v.user_id = user_id;
    v.room_id = room_id;
    v.stream_id = stream_id;
    v.require_publish = require_publish;
    if let Some(leeway) = leeway {
        v.leeway = Duration::from_secs(u64::from(leeway));
    }
    if let Some(now) = now {
        v.clock = Arc::new(FixedClock(now));
    }
    // `zego_token::verify`, in its two steps, so the parsed envelope serves the warnings.
    either((|| {
        let env = UntrustedEnvelope::parse(&token)?;
        let decoded = zego_token::decode_envelope(&env, &secret.inner)?;
        zego_token::check(&decoded, &v)?;
        decoded_js(&env, decoded, v.clock.now())
    })())
}

/// A token's header, read without the secret: nothing in it is authenticated.
#[napi(object, use_nullable = true)]
pub struct EnvelopeJs {
    /// Always `"04"`.
    pub version: String,
    /// `"gcm"` or `"cbc"`.
    pub mode: String,
    /// The header's copy of `expire` (unauthenticated: anyone can write any value).
    pub untrusted_expire: i64,
    /// The IV (CBC) or nonce (GCM), hex.
    pub iv_hex: String,
    /// The ciphertext length in bytes (with the GCM tag).
    pub ciphertext_length: u32,
    /// Whether the token ends with a mode byte (every GCM token does; CBC tokens of the
    /// official generators do not).
    pub has_mode_byte: bool,
    /// The kit info, when the text is a UIKit kit token (`token04#info`); `null` else.
    pub kit: Option<KitInfoJs>,
    /// What the header (and the kit info) say about the token
    /// ([`zego_token::sdk::token_warnings`] without the secret).
    pub warnings: Vec<WarningJs>,
}

fn envelope_js(env: &UntrustedEnvelope, kit: Option<zego_token::KitInfo>) -> Res<EnvelopeJs> {
    let warnings = zego_token::sdk::token_warnings(env, None, kit.as_ref(), SystemClock.now());
    Ok(EnvelopeJs {
        kit: kit.map(kit_info_js),
        warnings: warnings_js(warnings),
        version: zego_token::VERSION.to_owned(),
        mode: mode_name(env.mode()),
        untrusted_expire: js_int("header expire", env.untrusted_expire())?,
        iv_hex: hex(env.iv()),
        // At most 65,535: the length field is 16 bits.
        ciphertext_length: u32::try_from(env.ciphertext_len()).unwrap_or(u32::MAX),
        has_mode_byte: env.has_mode_byte(),
    })
}

/// Reads a token's header (and a kit token's info) without the secret.
#[napi(catch_unwind)]
pub fn inspect(token: String) -> Either<EnvelopeJs, Failure> {
    either((|| {
        let (token04, kit) = zego_token::parse_kit_token(&token)?;
        let env = zego_token::inspect(token04)?;
        envelope_js(&env, kit)
    })())
}

/// A production kit token for ZEGO's prebuilt UIKits: `token04 + "#" + base64(JSON)`.
#[napi(catch_unwind)]
pub fn kit_token(
    token04: String,
    app_id: u32,
    user_id: String,
    room_id: String,
    user_name: String,
) -> Either<String, Failure> {
    either(
        zego_token::kit_token(&token04, app_id, &user_id, &room_id, &user_name)
            .map_err(Box::<Failure>::from),
    )
}

/// The kit info of a kit token ([`zego_token::KitInfo`]): each member `null` when it
/// is absent or of the wrong type.
#[napi(object, use_nullable = true)]
pub struct KitInfoJs {
    /// `appID`.
    pub app_id: Option<u32>,
    /// `userID`.
    pub user_id: Option<String>,
    /// `roomID`.
    pub room_id: Option<String>,
    /// `userName`, URI-decoded as the kits decode it.
    pub user_name: Option<String>,
    /// The JSON text of the kit info.
    pub json: String,
}

fn kit_info_js(i: zego_token::KitInfo) -> KitInfoJs {
    KitInfoJs {
        app_id: i.app_id,
        user_id: i.user_id,
        room_id: i.room_id,
        user_name: i.user_name,
        json: i.json,
    }
}

/// A kit token split into its token04 and kit info (`null` for a plain token04).
#[napi(object, use_nullable = true)]
pub struct KitPartsJs {
    /// The token04 part.
    pub token: String,
    /// The kit info; `null` when the text has no `#`.
    pub info: Option<KitInfoJs>,
}

/// Splits a kit token into its token04 and its kit info.
#[napi(catch_unwind)]
pub fn parse_kit_token(kit: String) -> Either<KitPartsJs, Failure> {
    either(
        zego_token::parse_kit_token(&kit)
            .map(|(token, info)| KitPartsJs {
                token: token.to_owned(),
                info: info.map(kit_info_js),
            })
            .map_err(Box::<Failure>::from),
    )
}

/// `zego_token::dangerous::generate_with_iv`: a token with a fixed creation time,
/// claims nonce and IV. For known-answer tests only.
#[napi(catch_unwind)]
#[allow(
    clippy::too_many_arguments,
    reason = "mirrors the core function's inputs one to one"
)]
pub fn dangerous_generate_with_iv(
    secret: &NativeSecret,
    app_id: u32,
    user_id: String,
    ttl: i64,
    payload: String,
    cbc: bool,
    ctime: i64,
    nonce: i32,
    iv: Buffer,
) -> Either<GeneratedJs, Failure> {
    either((|| {
        let claims = Claims::new(app_id, user_id, lifetime(ttl)?).payload(payload);
        generated(zego_token::dangerous::generate_with_iv(
            &secret.inner,
            &claims,
            mode_of(cbc),
            ctime,
            nonce,
            &iv,
        )?)
    })())
}

/// `zego_token::dangerous::seal_plaintext`: encrypts any plaintext into a token04
/// envelope with a given IV and header expire. For known-answer tests only.
#[napi(catch_unwind)]
pub fn dangerous_seal_plaintext(
    secret: &NativeSecret,
    cbc: bool,
    expire: i64,
    iv: Buffer,
    plaintext: Buffer,
) -> Either<String, Failure> {
    either(
        zego_token::dangerous::seal_plaintext(&secret.inner, mode_of(cbc), expire, &iv, &plaintext)
            .map_err(Box::<Failure>::from),
    )
}
