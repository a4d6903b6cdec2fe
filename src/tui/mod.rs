//! The terminal user interface.
pub mod wrap;
