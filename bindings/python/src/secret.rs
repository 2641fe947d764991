//! `ServerSecret`: the core's validated secret with its AES keys prepared.

use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;

use crate::{args, errors};

/// A ZEGO ServerSecret (the 32-character string from ZEGO's console), validated once,
/// with its AES-GCM key schedule prepared for every token made with it.
///
/// Immutable and safe to share between threads. `repr()` and `str()` print
/// `ServerSecret(<redacted>)`; there is no way to read the secret back, and it cannot
/// be pickled or copied into another process. The key bytes are wiped when the object
/// is freed.
#[pyclass(frozen, module = "zego_token", name = "ServerSecret")]
pub(crate) struct PyServerSecret(pub(crate) zego_token::ServerSecret);

#[pymethods]
impl PyServerSecret {
    /// Validates `secret` (exactly 32 bytes) and prepares its keys.
    ///
    /// Raises `InvalidInput` (field `secret`, official code 5) naming the length found,
    /// never the value.
    #[new]
    fn new(py: Python<'_>, secret: &Bound<'_, PyAny>) -> PyResult<Self> {
        let text = args::secret_text(secret)?
            .map_err(|why| errors::input(py, zego_token::Field::Secret, &why))?;
        let prepared = py.detach(|| zego_token::ServerSecret::new(&text));
        prepared.map(Self).map_err(|e| errors::to_py(py, &e))
    }

    fn __repr__(&self) -> &'static str {
        "ServerSecret(<redacted>)"
    }

    fn __str__(&self) -> &'static str {
        "ServerSecret(<redacted>)"
    }

    /// Refuses pickling (and with it `copy.copy`): the secret stays in this process.
    fn __reduce__(&self) -> PyResult<()> {
        Err(PyTypeError::new_err(
            "a ServerSecret cannot be pickled or copied; share the object or build another",
        ))
    }
}
