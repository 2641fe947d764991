//! The token service.
