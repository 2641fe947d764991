//! The idiomatic API: `generate`, `decode`, `inspect`, `verify`, `kit_token`.
//!
//! Each function converts its arguments while holding the GIL, runs the core with the
//! GIL released (so other Python threads run during the crypto), and converts the
//! result back.

use std::sync::Arc;

use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyString};
use zego_token::{Claims, Clock, FixedClock, GenerateOptions, SystemClock, Validation};

use crate::errors;
use crate::room::Room;
use crate::secret::PyServerSecret;
use crate::{args, room};

/// A rule of ZEGO's clients (RTC SDKs, ZIM, the UIKits) that a token or its input
/// breaks, from the core's `zego_token::sdk`: the token is valid, but that client
/// refuses or mishandles it.
#[pyclass(frozen, module = "zego_token", name = "SdkWarning")]
pub(crate) struct SdkWarning {
    /// A stable name for the rule, e.g. `"user_id_charset"`, `"ttl_too_short"`.
    #[pyo3(get)]
    rule: &'static str,
    /// The client: `"rtc"`, `"zim"`, `"kit"` or `"token"`.
    #[pyo3(get)]
    product: &'static str,
    /// The error code that client reports, where one is known.
    #[pyo3(get)]
    code: Option<u32>,
    /// Whether that client cannot use the token at all (as opposed to a caveat).
    #[pyo3(get)]
    blocking: bool,
    /// What is wrong and what the client will do.
    #[pyo3(get)]
    message: String,
    display: String,
}

#[pymethods]
impl SdkWarning {
    fn __str__(&self) -> &str {
        &self.display
    }

    fn __repr__(&self) -> String {
        format!(
            "SdkWarning(rule='{}', product='{}', code={}, blocking={})",
            self.rule,
            self.product,
            self.code
                .map_or_else(|| "None".to_owned(), |c| c.to_string()),
            if self.blocking { "True" } else { "False" }
        )
    }
}

fn warnings(
    py: Python<'_>,
    list: Vec<zego_token::sdk::SdkWarning>,
) -> PyResult<Vec<Py<SdkWarning>>> {
    list.into_iter()
        .map(|w| {
            Py::new(
                py,
                SdkWarning {
                    rule: w.rule(),
                    product: w.product(),
                    code: w.code(),
                    blocking: w.blocking(),
                    message: w.message().to_owned(),
                    display: w.to_string(),
                },
            )
        })
        .collect()
}

fn warning_list(py: Python<'_>, list: &[Py<SdkWarning>]) -> Vec<Py<SdkWarning>> {
    list.iter().map(|w| w.clone_ref(py)).collect()
}

/// A token made by `generate`: the token text and the claims it carries.
///
/// `str(generated)` is the token.
#[pyclass(frozen, module = "zego_token", name = "Generated")]
pub(crate) struct Generated {
    /// The token04 text.
    #[pyo3(get)]
    token: String,
    /// `"gcm"` or `"cbc"`.
    #[pyo3(get)]
    mode: &'static str,
    /// Creation time, Unix seconds.
    #[pyo3(get)]
    ctime: i64,
    /// Expiry time, Unix seconds.
    #[pyo3(get)]
    expire: i64,
    /// The claims nonce (random, signed 32-bit).
    #[pyo3(get)]
    nonce: i32,
    warnings: Vec<Py<SdkWarning>>,
}

#[pymethods]
impl Generated {
    /// The rules of ZEGO's clients this token breaks (a new list on each access; empty
    /// when none).
    #[getter]
    fn warnings(&self, py: Python<'_>) -> Vec<Py<SdkWarning>> {
        warning_list(py, &self.warnings)
    }

    /// When a client should fetch its next token (Unix seconds): `renew_before` seconds
    /// ahead of expiry, and always before the SDKs' 30-second will-expire warning;
    /// `None` when the lifetime is too short for any renewal before that warning.
    #[pyo3(signature = (renew_before = 60))]
    fn renew_after(&self, renew_before: u64) -> Option<i64> {
        zego_token::sdk::renew_after(self.ctime, self.expire, renew_before)
    }

    fn __str__(&self) -> &str {
        &self.token
    }

    fn __repr__(&self) -> String {
        format!(
            "Generated(token='{}…', mode='{}', ctime={}, expire={})",
            self.token.get(..12).unwrap_or(&self.token),
            self.mode,
            self.ctime,
            self.expire
        )
    }
}

/// A token decrypted with its ServerSecret (`decode`, `verify`).
///
/// For GCM tokens the claims are authenticated; for CBC tokens they are only decrypted
/// (CBC has no integrity protection). `decode` judges nothing: `verify` does.
#[pyclass(frozen, module = "zego_token", name = "Decoded")]
pub(crate) struct Decoded {
    /// The app the token is for.
    #[pyo3(get)]
    app_id: u32,
    /// The user the token is for.
    #[pyo3(get)]
    user_id: String,
    /// The claims nonce.
    #[pyo3(get)]
    nonce: i64,
    /// Creation time, Unix seconds.
    #[pyo3(get)]
    ctime: i64,
    /// Expiry time, Unix seconds.
    #[pyo3(get)]
    expire: i64,
    /// The payload string: `""` for a basic token, JSON for a privilege token.
    #[pyo3(get)]
    payload: String,
    /// Whether the token has a `payload` member at all (the UIKits' test helper leaves
    /// it out).
    #[pyo3(get)]
    payload_present: bool,
    /// `"gcm"` or `"cbc"`.
    #[pyo3(get)]
    mode: &'static str,
    /// The IV (CBC) or nonce (GCM) bytes.
    #[pyo3(get)]
    iv: Py<PyBytes>,
    /// The unauthenticated copy of `expire` in the token's header.
    #[pyo3(get)]
    header_expire: i64,
    warnings: Vec<Py<SdkWarning>>,
}

impl Decoded {
    /// `list` is the core's full warning list for the token (`token_warnings`), as every
    /// binding and the CLI report it.
    fn new(
        py: Python<'_>,
        d: zego_token::Decoded,
        list: Vec<zego_token::sdk::SdkWarning>,
    ) -> PyResult<Self> {
        let warned = warnings(py, list)?;
        let c = d.claims;
        Ok(Self {
            app_id: c.app_id,
            user_id: c.user_id,
            nonce: c.nonce,
            ctime: c.ctime,
            expire: c.expire,
            payload: c.payload,
            payload_present: c.payload_present,
            mode: d.mode.as_str(),
            iv: PyBytes::new(py, &d.iv).unbind(),
            header_expire: d.header_expire,
            warnings: warned,
        })
    }
}

#[pymethods]
impl Decoded {
    /// The rules of ZEGO's clients this token breaks (a new list on each access; empty
    /// when none).
    #[getter]
    fn warnings(&self, py: Python<'_>) -> Vec<Py<SdkWarning>> {
        warning_list(py, &self.warnings)
    }

    /// The room privileges of a privilege token, or `None` for a basic token (empty
    /// payload). Raises `InvalidPayload` when the payload is not a room privilege
    /// document.
    fn room(&self, py: Python<'_>) -> PyResult<Option<Room>> {
        if self.payload.is_empty() {
            return Ok(None);
        }
        zego_token::RoomPrivileges::parse(&self.payload)
            .map(|p| Some(room::Room::from_privileges(&p)))
            .map_err(|e| errors::to_py(py, &e))
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        Ok(format!(
            "Decoded(app_id={}, user_id={}, ctime={}, expire={}, mode='{}')",
            self.app_id,
            PyString::new(py, &self.user_id).repr()?,
            self.ctime,
            self.expire,
            self.mode
        ))
    }
}

/// A token's header, read without the secret (`inspect`). Nothing in it is
/// authenticated: anyone can forge it, so never decide on it.
#[pyclass(frozen, module = "zego_token", name = "UntrustedEnvelope")]
pub(crate) struct UntrustedEnvelope {
    /// The header's copy of `expire`, Unix seconds (unauthenticated).
    #[pyo3(get)]
    untrusted_expire: i64,
    /// `"gcm"` or `"cbc"`.
    #[pyo3(get)]
    mode: &'static str,
    /// The IV (CBC) or nonce (GCM) bytes.
    #[pyo3(get)]
    iv: Py<PyBytes>,
    /// Whether the body ends with a mode byte (always for GCM).
    #[pyo3(get)]
    has_mode_byte: bool,
    /// The ciphertext length in bytes (GCM: including the 16-byte tag).
    #[pyo3(get)]
    ciphertext_len: usize,
    inner: zego_token::UntrustedEnvelope,
}

#[pymethods]
impl UntrustedEnvelope {
    /// The envelope written back as token text (equal to the text parsed).
    fn to_token(&self) -> String {
        self.inner.to_token()
    }

    fn __repr__(&self) -> String {
        format!(
            "UntrustedEnvelope(mode='{}', untrusted_expire={}, ciphertext_len={})",
            self.mode, self.untrusted_expire, self.ciphertext_len
        )
    }
}

fn token_text(obj: &Bound<'_, PyAny>) -> PyResult<String> {
    args::string(obj, "the token")
}

/// Generates a basic token, or a privilege token when `room` (or a raw `payload`) is
/// given. `ttl` is the lifetime in seconds (`int`) or a `timedelta`, one hour when
/// omitted; `mode` is `"gcm"` (default) or `"cbc"` (legacy).
#[pyfunction]
#[pyo3(signature = (secret, app_id, user_id, ttl = None, *, room = None, payload = None, mode = "gcm"))]
#[pyo3(
    text_signature = "(secret, app_id, user_id, ttl=3600, *, room=None, payload=None, mode='gcm')"
)]
#[allow(clippy::too_many_arguments, reason = "mirrors the Python signature")]
pub(crate) fn generate(
    py: Python<'_>,
    secret: &Bound<'_, PyServerSecret>,
    app_id: &Bound<'_, PyAny>,
    user_id: &Bound<'_, PyAny>,
    ttl: Option<&Bound<'_, PyAny>>,
    room: Option<&Bound<'_, Room>>,
    payload: Option<&Bound<'_, PyAny>>,
    mode: &str,
) -> PyResult<Generated> {
    let app_id = args::app_id(app_id)?;
    let user_id = args::string(user_id, "user_id")?;
    let lifetime = match ttl {
        Some(t) => args::ttl(t)?,
        None => std::time::Duration::from_secs(DEFAULT_TTL),
    };
    let mode = args::mode(mode)?;
    let mut claims = Claims::new(app_id, user_id, lifetime);
    match (room, payload) {
        (Some(_), Some(_)) => {
            return Err(pyo3::exceptions::PyValueError::new_err(
                "give either room or payload, not both (room builds the payload)",
            ));
        }
        (Some(r), None) => claims = claims.payload(r.get().build(py)?),
        (None, Some(p)) => claims = claims.payload(args::string(p, "payload")?),
        (None, None) => {}
    }
    let secret = secret.get();
    let options = GenerateOptions::default().mode(mode);
    let made = py.detach(|| zego_token::generate_with(&secret.0, &claims, &options));
    let made = made.map_err(|e| errors::to_py(py, &e))?;
    let warned = warnings(py, zego_token::sdk::check_claims_at(&claims, made.ctime))?;
    Ok(Generated {
        token: made.token,
        mode: made.mode.as_str(),
        ctime: made.ctime,
        expire: made.expire,
        nonce: made.nonce,
        warnings: warned,
    })
}

/// The default lifetime of `generate`, one hour (ZEGO's samples use the same).
const DEFAULT_TTL: u64 = 3600;

/// Decrypts a token with its ServerSecret and returns its claims, without judging them.
#[pyfunction]
pub(crate) fn decode(
    py: Python<'_>,
    token: &Bound<'_, PyAny>,
    secret: &Bound<'_, PyServerSecret>,
) -> PyResult<Decoded> {
    let token = token_text(token)?;
    let secret = secret.get();
    let decoded = py.detach(|| decode_and_explain(&token, &secret.0, None, SystemClock.now()));
    decoded
        .map_err(|e| errors::to_py(py, &e))
        .and_then(|(d, list)| Decoded::new(py, d, list))
}

/// Parses the token once, decrypts it, applies `validation` if given, and lists the
/// core's warnings for it (run without the GIL).
fn decode_and_explain(
    token: &str,
    secret: &zego_token::ServerSecret,
    validation: Option<&Validation>,
    now: i64,
) -> Result<(zego_token::Decoded, Vec<zego_token::sdk::SdkWarning>), zego_token::Error> {
    let env = zego_token::inspect(token)?;
    let d = zego_token::decode_envelope(&env, secret)?;
    if let Some(v) = validation {
        zego_token::check(&d, v)?;
    }
    let list = zego_token::sdk::token_warnings(&env, Some(&d), None, now);
    Ok((d, list))
}

/// Reads a token's header without the secret.
#[pyfunction]
pub(crate) fn inspect(py: Python<'_>, token: &Bound<'_, PyAny>) -> PyResult<UntrustedEnvelope> {
    let token = token_text(token)?;
    let env = zego_token::inspect(&token).map_err(|e| errors::to_py(py, &e))?;
    Ok(UntrustedEnvelope {
        untrusted_expire: env.untrusted_expire(),
        mode: env.mode().as_str(),
        iv: PyBytes::new(py, env.iv()).unbind(),
        has_mode_byte: env.has_mode_byte(),
        ciphertext_len: env.ciphertext_len(),
        inner: env,
    })
}

/// Decrypts a token and checks it as ZEGO's server would; returns the decoded token or
/// raises the `TokenError` subclass of the first check that fails. `leeway` (seconds or
/// a `timedelta`, default `DEFAULT_LEEWAY`, 5 s) absorbs clock differences; `now`
/// (Unix seconds or an aware `datetime`) replaces the clock. A pasted token's harmless
/// damage (quotes, surrounding whitespace, line breaks) is undone first.
#[pyfunction]
#[pyo3(signature = (token, secret, *, app_id, user_id = None, room_id = None, publish = false, stream_id = None, leeway = None, now = None))]
#[allow(clippy::too_many_arguments, reason = "mirrors the Python signature")]
pub(crate) fn verify(
    py: Python<'_>,
    token: &Bound<'_, PyAny>,
    secret: &Bound<'_, PyServerSecret>,
    app_id: &Bound<'_, PyAny>,
    user_id: Option<&Bound<'_, PyAny>>,
    room_id: Option<&Bound<'_, PyAny>>,
    publish: bool,
    stream_id: Option<&Bound<'_, PyAny>>,
    leeway: Option<&Bound<'_, PyAny>>,
    now: Option<&Bound<'_, PyAny>>,
) -> PyResult<Decoded> {
    let token = token_text(token)?;
    let mut v = Validation::new(args::app_id(app_id)?);
    if let Some(u) = user_id {
        v = v.user_id(args::string(u, "user_id")?);
    }
    if let Some(r) = room_id {
        v = v.room_id(args::string(r, "room_id")?);
    }
    if publish {
        v = v.require_publish();
    }
    if let Some(s) = stream_id {
        v = v.stream_id(args::string(s, "stream_id")?);
    }
    if let Some(l) = leeway {
        v = v.leeway(args::leeway(l)?);
    }
    if let Some(n) = now {
        v = v.clock(Arc::new(FixedClock(args::unix_time(n)?)));
    }
    let secret = secret.get();
    let now = v.clock.now();
    let verified = py.detach(|| decode_and_explain(&token, &secret.0, Some(&v), now));
    verified
        .map_err(|e| errors::to_py(py, &e))
        .and_then(|(d, list)| Decoded::new(py, d, list))
}

/// Builds the kit token of ZEGO's prebuilt UIKits: `token04 + "#" + base64(JSON)`.
/// Raises `InvalidInput` for a user or room ID the kits cannot carry (empty, too long,
/// or not plain ASCII of ZEGO's ID characters).
#[pyfunction]
pub(crate) fn kit_token(
    py: Python<'_>,
    token04: &Bound<'_, PyAny>,
    app_id: &Bound<'_, PyAny>,
    user_id: &Bound<'_, PyAny>,
    room_id: &Bound<'_, PyAny>,
    user_name: &Bound<'_, PyAny>,
) -> PyResult<String> {
    zego_token::kit_token(
        &args::string(token04, "token04")?,
        args::app_id(app_id)?,
        &args::string(user_id, "user_id")?,
        &args::string(room_id, "room_id")?,
        &args::string(user_name, "user_name")?,
    )
    .map_err(|e| errors::to_py(py, &e))
}

/// Decodes the part of a kit token after `#` back to its JSON text.
#[pyfunction]
pub(crate) fn decode_kit_info(py: Python<'_>, info: &Bound<'_, PyAny>) -> PyResult<String> {
    zego_token::decode_kit_info(&args::string(info, "info")?).map_err(|e| errors::to_py(py, &e))
}

/// `zego_token.dangerous.seal_plaintext`: encrypts an arbitrary plaintext with a given
/// IV into a token04 envelope (the core's `dangerous::seal_plaintext`), for known-answer
/// tests. Reusing an IV under one secret breaks AES-GCM.
#[pyfunction]
pub(crate) fn seal_plaintext(
    py: Python<'_>,
    secret: &Bound<'_, PyServerSecret>,
    mode: &str,
    expire: i64,
    iv: &[u8],
    plaintext: &[u8],
) -> PyResult<String> {
    let mode = args::mode(mode)?;
    let secret = secret.get();
    let sealed =
        py.detach(|| zego_token::dangerous::seal_plaintext(&secret.0, mode, expire, iv, plaintext));
    sealed.map_err(|e| errors::to_py(py, &e))
}
