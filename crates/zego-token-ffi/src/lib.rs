#![doc = include_str!("../README.md")]

mod alloc;
mod api;
mod failure;
mod types;

// public interface: the C ABI (include/zego_token.h is generated from these items)
pub use crate::api::*;
pub use crate::types::*;

#[cfg(test)]
mod tests;
