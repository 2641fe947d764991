//! The drop-in for ZEGO's official Python module `token04.py`.
//!
//! `generate_token04(app_id, user_id, secret, effective_time_in_seconds, payload)`
//! returns a `TokenInfo` with `token`, `error_code` and `error_message`, exactly as the
//! official function does: bad input gives the official codes (1 app id, 3 user id,
//! 5 secret, 6 effective time) and no exception. The official type checks are kept
//! (`type(x) != int`, `type(x) != str`: a `bool` is not an app id); the value rules
//! are the core's, which are stricter (user ids under 64 bytes, a secret of 32 bytes,
//! no overflow). The token is AES-256-GCM, like the official module's current version,
//! with the IV and claims nonce from the core's CSPRNG.
//!
//! Not in the official module, and raised as exceptions because no official code
//! exists for them: a payload that is not a `str` (`TypeError`) and claims too large
//! for the token's 16-bit length field (`InvalidInput`, where the official module
//! raised `struct.error`).

use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyInt, PyString};
use zego_token::Error;

use crate::args;

/// The result of `generate_token04`, as in the official module: `token` is the token
/// (`""` on error), `error_code` 0 on success, `error_message` `"success"` or what was
/// wrong.
#[pyclass(module = "zego_token.token04", name = "TokenInfo", get_all, set_all)]
pub(crate) struct TokenInfo {
    token: String,
    error_code: i64,
    error_message: String,
}

#[pymethods]
impl TokenInfo {
    #[new]
    fn new(token: String, error_code: i64, error_message: String) -> Self {
        Self {
            token,
            error_code,
            error_message,
        }
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        Ok(format!(
            "TokenInfo(token={}, error_code={}, error_message={})",
            PyString::new(py, &self.token).repr()?,
            self.error_code,
            PyString::new(py, &self.error_message).repr()?
        ))
    }
}

fn refused(code: i64, official: &str, detail: &str) -> TokenInfo {
    TokenInfo {
        token: String::new(),
        error_code: code,
        error_message: format!("{official}: {detail}"),
    }
}

/// The official module's message for each code, kept as the start of ours.
fn official_message(code: u32) -> &'static str {
    match code {
        1 => "appID invalid",
        3 => "userID invalid",
        5 => "secret must be a 32 byte string",
        _ => "effective_time_in_seconds invalid",
    }
}

/// Whether `obj`'s type is exactly `int` (the official `type(x) != int` test).
fn is_exact_int(obj: &Bound<'_, PyAny>) -> bool {
    obj.get_type().is(obj.py().get_type::<PyInt>())
}

fn is_exact_str(obj: &Bound<'_, PyAny>) -> bool {
    obj.get_type().is(obj.py().get_type::<PyString>())
}

/// Generates a token04 (AES-GCM) as ZEGO's `token04.generate_token04` does.
#[pyfunction]
#[pyo3(signature = (app_id, user_id, secret, effective_time_in_seconds, payload))]
pub(crate) fn generate_token04(
    py: Python<'_>,
    app_id: &Bound<'_, PyAny>,
    user_id: &Bound<'_, PyAny>,
    secret: &Bound<'_, PyAny>,
    effective_time_in_seconds: &Bound<'_, PyAny>,
    payload: &Bound<'_, PyAny>,
) -> PyResult<TokenInfo> {
    if !is_exact_int(app_id) {
        return Ok(refused(
            1,
            official_message(1),
            &format!("app_id must be an int, not {}", args::type_name(app_id)),
        ));
    }
    let Ok(app_id) = app_id.extract::<u32>() else {
        return Ok(refused(
            1,
            official_message(1),
            "app_id must be an integer from 1 to 4294967295",
        ));
    };
    if !is_exact_str(user_id) {
        return Ok(refused(
            3,
            official_message(3),
            &format!("user_id must be a str, not {}", args::type_name(user_id)),
        ));
    }
    let user_id = args::string(user_id, "user_id")?;
    if !is_exact_str(secret) {
        return Ok(refused(
            5,
            official_message(5),
            &format!("the secret must be a str, not {}", args::type_name(secret)),
        ));
    }
    let secret = match args::secret_text(secret)? {
        Ok(text) => text,
        Err(why) => return Ok(refused(5, official_message(5), &why)),
    };
    if !is_exact_int(effective_time_in_seconds) {
        return Ok(refused(
            6,
            official_message(6),
            &format!(
                "effective_time_in_seconds must be an int, not {}",
                args::type_name(effective_time_in_seconds)
            ),
        ));
    }
    let Ok(effective) = effective_time_in_seconds.extract::<i64>() else {
        return Ok(refused(
            6,
            official_message(6),
            "effective_time_in_seconds does not fit a signed 64-bit number of seconds",
        ));
    };
    let payload = payload.cast::<PyString>().map_err(|_| {
        PyTypeError::new_err(format!(
            "payload must be a str (\"\" for a basic token, JSON text for a privilege token), not {}",
            args::type_name(payload)
        ))
    })?;
    let payload = payload.to_cow()?;
    let result =
        py.detach(|| zego_token::generate_token04(app_id, &user_id, &secret, effective, &payload));
    match result {
        Ok(token) => Ok(TokenInfo {
            token,
            error_code: 0,
            error_message: "success".to_owned(),
        }),
        Err(e) => match e.official_code() {
            Some(code) => Ok(refused(
                i64::from(code),
                official_message(code),
                &official_detail(&e),
            )),
            None => Err(crate::errors::to_py(py, &e)),
        },
    }
}

/// The core's sentence without its `invalid <field>: ` prefix (the official text
/// already names the field).
fn official_detail(e: &Error) -> String {
    match e {
        Error::InvalidInput(input) => input.message().to_owned(),
        other => other.to_string(),
    }
}
