//! `Room`: the room privilege payload of a privilege token.
//!
//! One immutable class serves both directions: built by the caller (every method
//! returns a new `Room`) and returned by `Decoded.room()` for a decoded token. The
//! core's `RoomPayload::build` checks the limits when a token is generated or
//! `to_json()` is called.

use pyo3::prelude::*;
use pyo3::types::PyString;
use zego_token::{RoomPayload, RoomPrivileges};

use crate::errors;

/// The room privilege payload of a privilege token.
#[pyclass(frozen, eq, skip_from_py_object, module = "zego_token", name = "Room")]
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct Room {
    /// The only room the token may log in to.
    #[pyo3(get)]
    room_id: String,
    /// Whether logging in to the room is allowed (privilege key `"1"`).
    #[pyo3(get)]
    login: bool,
    /// Whether publishing streams is allowed (privilege key `"2"`).
    #[pyo3(get)]
    publish: bool,
    stream_ids: Option<Vec<String>>,
}

impl Room {
    pub(crate) fn payload(&self) -> RoomPayload {
        let p = RoomPayload::new(self.room_id.clone())
            .login(self.login)
            .publish(self.publish);
        match &self.stream_ids {
            None => p,
            Some(list) => p.streams(list.iter().cloned()),
        }
    }

    /// The checked payload, or the core's input error.
    pub(crate) fn build(&self, py: Python<'_>) -> PyResult<RoomPrivileges> {
        self.payload().build().map_err(|e| errors::to_py(py, &e))
    }

    pub(crate) fn from_privileges(p: &RoomPrivileges) -> Self {
        Self {
            room_id: p.room_id().to_owned(),
            login: p.can_login(),
            publish: p.can_publish(),
            stream_ids: p.stream_ids().map(<[String]>::to_vec),
        }
    }

    fn with(&self, f: impl FnOnce(&mut Self)) -> Self {
        let mut next = self.clone();
        f(&mut next);
        next
    }
}

fn stream_list(ids: &Bound<'_, PyAny>) -> PyResult<Vec<String>> {
    if ids.is_instance_of::<PyString>() {
        return Err(pyo3::exceptions::PyTypeError::new_err(
            "streams takes a list of stream IDs, not a single str (use stream(id) for one)",
        ));
    }
    ids.try_iter()?
        .map(|item| crate::args::string(&item?, "each stream ID"))
        .collect()
}

#[pymethods]
impl Room {
    /// `Room("room1")`: login allowed, publish denied, any stream. The keyword form
    /// `Room("room1", publish=True, streams=["s1"])` sets the same fields.
    #[new]
    #[pyo3(signature = (room_id, *, login = true, publish = false, streams = None))]
    fn new(
        room_id: &Bound<'_, PyAny>,
        login: bool,
        publish: bool,
        streams: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        Ok(Self {
            room_id: crate::args::string(room_id, "room_id")?,
            login,
            publish,
            stream_ids: streams.map(stream_list).transpose()?,
        })
    }

    /// The stream IDs the user may publish, or `None` when any stream is allowed by
    /// omission. An empty tuple also allows any stream.
    #[getter]
    fn stream_ids(&self) -> Option<Vec<String>> {
        self.stream_ids.clone()
    }

    /// Allows logging in to the room (the default).
    fn allow_login(&self) -> Self {
        self.with(|r| r.login = true)
    }

    /// Denies logging in to the room.
    fn deny_login(&self) -> Self {
        self.with(|r| r.login = false)
    }

    /// Allows publishing streams.
    fn allow_publish(&self) -> Self {
        self.with(|r| r.publish = true)
    }

    /// Denies publishing streams (the default).
    fn deny_publish(&self) -> Self {
        self.with(|r| r.publish = false)
    }

    /// Adds one stream ID to the list of streams the user may publish.
    fn stream(&self, stream_id: &Bound<'_, PyAny>) -> PyResult<Self> {
        let id = crate::args::string(stream_id, "stream_id")?;
        Ok(self.with(|r| r.stream_ids.get_or_insert_with(Vec::new).push(id)))
    }

    /// Adds several stream IDs (an empty list sets an empty list: any stream).
    fn streams(&self, stream_ids: &Bound<'_, PyAny>) -> PyResult<Self> {
        let ids = stream_list(stream_ids)?;
        Ok(self.with(|r| r.stream_ids.get_or_insert_with(Vec::new).extend(ids)))
    }

    /// The payload JSON, checked against ZEGO's limits, e.g.
    /// `{"room_id":"room1","privilege":{"1":1,"2":0},"stream_id_list":null}`; pass it
    /// as the `payload` of `token04.generate_token04`.
    fn to_json(&self, py: Python<'_>) -> PyResult<String> {
        Ok(self.build(py)?.to_json())
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let repr = |s: &str| -> PyResult<String> { Ok(PyString::new(py, s).repr()?.to_string()) };
        let py_bool = |b: bool| if b { "True" } else { "False" };
        let streams = match &self.stream_ids {
            None => "None".to_owned(),
            Some(l) => format!(
                "[{}]",
                l.iter()
                    .map(|s| repr(s))
                    .collect::<PyResult<Vec<_>>>()?
                    .join(", ")
            ),
        };
        Ok(format!(
            "Room({}, login={}, publish={}, streams={streams})",
            repr(&self.room_id)?,
            py_bool(self.login),
            py_bool(self.publish)
        ))
    }
}
