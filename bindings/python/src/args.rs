//! Python argument values to the core's types, with errors that name the argument.

use std::time::Duration;

use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBool, PyFloat, PyInt, PyString, PyType};
use zego_token::{CipherMode, Field};
use zeroize::Zeroizing;

use crate::errors;

static TIMEDELTA: PyOnceLock<Py<PyType>> = PyOnceLock::new();
static DATETIME: PyOnceLock<Py<PyType>> = PyOnceLock::new();

/// The name of a value's type, for messages that must not show the value.
pub(crate) fn type_name(obj: &Bound<'_, PyAny>) -> String {
    obj.get_type()
        .name()
        .map_or_else(|_| "object".to_owned(), |n| n.to_string())
}

/// A Python `int` (not `bool`) as an `i128`, or `None` when it is not one or does
/// not fit.
fn exact_int(obj: &Bound<'_, PyAny>) -> Option<Result<i128, ()>> {
    if obj.is_instance_of::<PyBool>() || !obj.is_instance_of::<PyInt>() {
        return None;
    }
    Some(obj.extract::<i128>().map_err(|_| ()))
}

/// An app id: an `int` from 1 to 4294967295 (0 is left to the core, which explains it).
pub(crate) fn app_id(obj: &Bound<'_, PyAny>) -> PyResult<u32> {
    let py = obj.py();
    match exact_int(obj) {
        Some(Ok(v)) => u32::try_from(v).map_err(|_| {
            errors::input(
                py,
                Field::AppId,
                &format!("app_id is {v}; it must be an integer from 1 to 4294967295"),
            )
        }),
        Some(Err(())) => Err(errors::input(
            py,
            Field::AppId,
            "app_id is out of range; it must be an integer from 1 to 4294967295",
        )),
        None => Err(PyTypeError::new_err(format!(
            "app_id must be an int, not {}",
            type_name(obj)
        ))),
    }
}

/// A Python `str` as an owned Rust string; `what` names the argument in the error.
pub(crate) fn string(obj: &Bound<'_, PyAny>, what: &str) -> PyResult<String> {
    let s = obj.cast::<PyString>().map_err(|_| {
        PyTypeError::new_err(format!("{what} must be a str, not {}", type_name(obj)))
    })?;
    Ok(s.to_cow()?.into_owned())
}

/// The ServerSecret text, in a copy that is wiped when dropped.
///
/// PyO3's `str` conversion for the stable ABI of Python 3.8 goes through a temporary
/// Python `bytes` object, which is freed without being wiped. For the secret the text
/// is instead copied straight from the `str` into a buffer of ours
/// (`PyUnicode_AsWideChar`, part of the stable ABI), which is wiped like the result.
/// The inner `Err` says why the text cannot be a ServerSecret (too long, or not valid
/// Unicode); it gives the length, never the value.
pub(crate) fn secret_text(obj: &Bound<'_, PyAny>) -> PyResult<Result<Zeroizing<String>, String>> {
    /// Longer texts cannot be a ServerSecret (32 bytes): they are refused by length,
    /// without a copy.
    const MAX_CHARS: usize = 2 * zego_token::SECRET_LEN;
    let s = obj.cast::<PyString>().map_err(|_| {
        PyTypeError::new_err(format!(
            "the ServerSecret must be a str, not {}",
            type_name(obj)
        ))
    })?;
    let chars = s.len()?;
    if chars > MAX_CHARS {
        return Ok(Err(format!(
            "the ServerSecret is {chars} characters long; it must be exactly {} characters, as shown in ZEGO's console",
            zego_token::SECRET_LEN
        )));
    }
    let mut units: Zeroizing<[libc::wchar_t; 2 * MAX_CHARS]> = Zeroizing::new([0; 2 * MAX_CHARS]);
    let capacity = isize::try_from(units.len()).unwrap_or(0);
    #[allow(unsafe_code, reason = "a stable-ABI call with no safe PyO3 wrapper")]
    // SAFETY: `s` is a live `str` (we hold a reference while attached to the
    // interpreter), `units` is a writable buffer of `capacity` wchar_t, and
    // PyUnicode_AsWideChar writes at most `capacity` units into it (without a
    // terminator when the text fills it). It returns the count written, or -1 with an
    // exception set.
    let written =
        unsafe { pyo3::ffi::PyUnicode_AsWideChar(s.as_ptr(), units.as_mut_ptr(), capacity) };
    let written = usize::try_from(written).map_err(|_| {
        PyErr::take(obj.py())
            .unwrap_or_else(|| PyValueError::new_err("the ServerSecret could not be read"))
    })?;
    let units = units.get(..written).unwrap_or_default();
    let mut text = Zeroizing::new(String::with_capacity(4 * written));
    for c in decode_wide(units) {
        let Some(c) = c else {
            return Ok(Err(
                "the ServerSecret is not valid Unicode text (it holds a lone surrogate)".to_owned(),
            ));
        };
        // Never more than 4 * written bytes: no reallocation leaves an unwiped copy.
        text.push(c);
    }
    Ok(Ok(text))
}

/// The characters of `wchar_t` units: UTF-32 on Unix, UTF-16 on Windows.
#[cfg(not(windows))]
fn decode_wide(units: &[libc::wchar_t]) -> impl Iterator<Item = Option<char>> + '_ {
    units
        .iter()
        .map(|&u| u32::try_from(u).ok().and_then(char::from_u32))
}

/// The characters of `wchar_t` units: UTF-32 on Unix, UTF-16 on Windows.
#[cfg(windows)]
fn decode_wide(units: &[libc::wchar_t]) -> impl Iterator<Item = Option<char>> + '_ {
    char::decode_utf16(units.iter().copied()).map(Result::ok)
}

/// A span of seconds: an `int` or a `datetime.timedelta`. `None` when `obj` is
/// neither; `Err` for a negative span, with the number of seconds.
fn span(obj: &Bound<'_, PyAny>) -> PyResult<Option<Result<Duration, i128>>> {
    let py = obj.py();
    if let Some(v) = exact_int(obj) {
        return Ok(Some(match v {
            Ok(v) => u64::try_from(v).map(Duration::from_secs).map_err(|_| v),
            Err(()) => Err(i128::MIN),
        }));
    }
    let timedelta = TIMEDELTA.import(py, "datetime", "timedelta")?;
    if !obj.is_instance(timedelta)? {
        return Ok(None);
    }
    let days: i64 = obj.getattr("days")?.extract()?;
    let seconds: i64 = obj.getattr("seconds")?.extract()?;
    let micros: u32 = obj.getattr("microseconds")?.extract()?;
    // timedelta normalises to days (signed), 0 <= seconds < 86400, 0 <= microseconds <
    // 10^6, so the span is negative exactly when days is.
    let total = i128::from(days) * 86_400 + i128::from(seconds);
    Ok(Some(if days < 0 {
        Err(total)
    } else {
        u64::try_from(total)
            .map(|s| Duration::new(s, micros * 1_000))
            .map_err(|_| total)
    }))
}

/// A token lifetime: `int` seconds or a `timedelta`. Zero and fractions are left to the
/// core, which explains them.
pub(crate) fn ttl(obj: &Bound<'_, PyAny>) -> PyResult<Duration> {
    match span(obj)? {
        Some(Ok(d)) => Ok(d),
        Some(Err(secs)) => Err(errors::input(
            obj.py(),
            Field::EffectiveTime,
            &if secs == i128::MIN {
                "the lifetime does not fit a signed 64-bit number of seconds".to_owned()
            } else {
                format!("the lifetime is {secs} s; it must be more than 0 seconds")
            },
        )),
        None => Err(PyTypeError::new_err(format!(
            "ttl must be an int (seconds) or a datetime.timedelta, not {}",
            type_name(obj)
        ))),
    }
}

/// A verification leeway: `int` seconds or a `timedelta`, at least 0.
pub(crate) fn leeway(obj: &Bound<'_, PyAny>) -> PyResult<Duration> {
    match span(obj)? {
        Some(Ok(d)) => Ok(d),
        Some(Err(_)) => Err(PyValueError::new_err(
            "leeway must not be negative; give 0 or more seconds",
        )),
        None => Err(PyTypeError::new_err(format!(
            "leeway must be an int (seconds) or a datetime.timedelta, not {}",
            type_name(obj)
        ))),
    }
}

/// A point in time as Unix seconds: an `int`, a `float` (rounded down) or a timezone-
/// aware `datetime`.
pub(crate) fn unix_time(obj: &Bound<'_, PyAny>) -> PyResult<i64> {
    let py = obj.py();
    let out_of_range = || PyValueError::new_err("now is out of the range of Unix seconds (i64)");
    if let Some(v) = exact_int(obj) {
        return v
            .ok()
            .and_then(|v| i64::try_from(v).ok())
            .ok_or_else(out_of_range);
    }
    let seconds = if obj.is_instance_of::<PyFloat>() {
        obj.extract::<f64>()?
    } else if obj.is_instance(DATETIME.import(py, "datetime", "datetime")?)? {
        if obj.getattr("tzinfo")?.is_none() {
            return Err(PyValueError::new_err(
                "now is a naive datetime; give a timezone-aware one (e.g. datetime.now(timezone.utc)) or Unix seconds",
            ));
        }
        obj.call_method0("timestamp")?.extract::<f64>()?
    } else {
        return Err(PyTypeError::new_err(format!(
            "now must be an int or float (Unix seconds) or a datetime, not {}",
            type_name(obj)
        )));
    };
    let floor = seconds.floor();
    // i64::MAX is not representable as f64; 2^63 is the first value past the range.
    const LIMIT: f64 = 9_223_372_036_854_775_808.0;
    if !(-LIMIT..LIMIT).contains(&floor) {
        return Err(out_of_range());
    }
    #[allow(clippy::cast_possible_truncation, reason = "range checked just above")]
    Ok(floor as i64)
}

/// A cipher mode name: `"gcm"` or `"cbc"` (the core's spellings).
pub(crate) fn mode(name: &str) -> PyResult<CipherMode> {
    name.parse::<CipherMode>().map_err(PyValueError::new_err)
}
