//! `zego_token._native`: the PyO3 extension module behind the `zego_token` Python
//! package.
//!
//! A shell around `crates/zego-token`: it converts Python arguments to the core's
//! types, runs the core with the GIL released, and converts results and errors back.
//! Nothing here generates randomness or handles key bytes beyond passing them on.
//!
//! # Layout
//!
//! * `args`: Python values to core values (app ids, lifetimes, times, modes);
//! * `errors`: core errors to the exception classes of `zego_token._errors`;
//! * `secret`: `ServerSecret`, the core's prepared key, shared safely between threads;
//! * `room`: `Room`, the room privilege builder (also the decoded privileges);
//! * `api`: `generate`, `decode`, `inspect`, `verify`, `kit_token` and their results,
//!   and `seal_plaintext` (re-exported by `zego_token.dangerous`);
//! * `token04`: the drop-in `generate_token04` / `TokenInfo` of ZEGO's `token04.py`.

use pyo3::prelude::*;

mod api;
mod args;
mod errors;
mod room;
mod secret;
mod token04;

/// The extension module. The Python package re-exports everything from here.
#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<secret::PyServerSecret>()?;
    m.add_class::<room::Room>()?;
    m.add_class::<api::SdkWarning>()?;
    m.add_class::<api::Generated>()?;
    m.add_class::<api::Decoded>()?;
    m.add_class::<api::UntrustedEnvelope>()?;
    m.add_class::<token04::TokenInfo>()?;
    m.add_function(wrap_pyfunction!(api::generate, m)?)?;
    m.add_function(wrap_pyfunction!(api::decode, m)?)?;
    m.add_function(wrap_pyfunction!(api::inspect, m)?)?;
    m.add_function(wrap_pyfunction!(api::verify, m)?)?;
    m.add_function(wrap_pyfunction!(api::kit_token, m)?)?;
    m.add_function(wrap_pyfunction!(api::decode_kit_info, m)?)?;
    m.add_function(wrap_pyfunction!(token04::generate_token04, m)?)?;
    m.add_function(wrap_pyfunction!(api::seal_plaintext, m)?)?;
    m.add("SECRET_LEN", zego_token::SECRET_LEN)?;
    m.add("USER_ID_LIMIT", zego_token::USER_ID_LIMIT)?;
    m.add("ROOM_ID_LIMIT", zego_token::ROOM_ID_LIMIT)?;
    m.add("STREAM_ID_LIMIT", zego_token::STREAM_ID_LIMIT)?;
    m.add("MAX_CLAIMS_LEN", zego_token::MAX_CLAIMS_LEN)?;
    m.add("MAX_TOKEN_LEN", zego_token::MAX_TOKEN_LEN)?;
    m.add("DEFAULT_LEEWAY", zego_token::DEFAULT_LEEWAY.as_secs())?;
    Ok(())
}
