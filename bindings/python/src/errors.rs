//! Core errors as Python exceptions.
//!
//! The exception classes live in `zego_token/_errors.py` (plain Python: subclassing,
//! pickling and `help()` work as for any exception). This module only gathers what the
//! core says about an error (its kind, sentence, ZEGO codes, advice and the variant's
//! fields) and hands it to `_errors._from_native`, which picks the class by kind.

use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::PyDict;
use zego_token::Error;

/// The advice the core gives for every input error.
const INPUT_ADVICE: &str = "Correct the named input and generate again.";

static FACTORY: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

fn factory(py: Python<'_>) -> PyResult<&Bound<'_, PyAny>> {
    FACTORY.import(py, "zego_token._errors", "_from_native")
}

/// Builds the exception for an error of the core.
pub(crate) fn to_py(py: Python<'_>, e: &Error) -> PyErr {
    build(py, e).unwrap_or_else(|err| err)
}

fn build(py: Python<'_>, e: &Error) -> PyResult<PyErr> {
    let details = PyDict::new(py);
    match e {
        Error::InvalidInput(input) => {
            details.set_item("field", input.field().name())?;
            details.set_item("official_code", e.official_code())?;
        }
        Error::InvalidClaims(claims) => details.set_item("member", claims.member())?,
        Error::Expired { expired_at, now } => {
            details.set_item("expired_at", expired_at)?;
            details.set_item("now", now)?;
        }
        Error::NotYetValid { ctime, now } => {
            details.set_item("ctime", ctime)?;
            details.set_item("now", now)?;
        }
        Error::AppIdMismatch { expected, found } => {
            details.set_item("expected", expected)?;
            details.set_item("found", found)?;
        }
        Error::UserIdMismatch { expected, found } => {
            details.set_item("expected", expected)?;
            details.set_item("found", found)?;
        }
        Error::RoomMismatch { expected, found } => {
            details.set_item("expected", expected)?;
            details.set_item("found", found)?;
        }
        Error::PrivilegeMissing(p) => details.set_item("privilege", p.to_string())?,
        Error::StreamNotAllowed { stream_id } => details.set_item("stream_id", stream_id)?,
        // Malformed, Decrypt, InvalidPayload carry no fields beyond their message; a
        // variant added to the core later still maps by its kind.
        _ => {}
    }
    let exc = factory(py)?.call1((
        e.kind(),
        e.to_string(),
        e.zego_code(),
        e.zim_code(),
        e.advice(),
        details,
    ))?;
    Ok(PyErr::from_value(exc))
}

/// An input error found by the binding itself (a Python value of the wrong type or out
/// of range), shaped like the core's input errors: `InvalidInput` with the field name
/// and the official generators' code for that field.
pub(crate) fn input(py: Python<'_>, field: zego_token::Field, message: &str) -> PyErr {
    build_input(py, field, message).unwrap_or_else(|err| err)
}

fn build_input(py: Python<'_>, field: zego_token::Field, message: &str) -> PyResult<PyErr> {
    use zego_token::Field;
    let details = PyDict::new(py);
    details.set_item("field", field.name())?;
    let official = match field {
        Field::AppId => Some(1),
        Field::UserId => Some(3),
        Field::Secret => Some(5),
        Field::EffectiveTime => Some(6),
        _ => None,
    };
    details.set_item("official_code", official)?;
    let exc = factory(py)?.call1((
        "invalid_input",
        format!("invalid {}: {message}", field.name()),
        None::<u32>,
        None::<u32>,
        INPUT_ADVICE,
        details,
    ))?;
    Ok(PyErr::from_value(exc))
}
