//! The screens, one folder each: its state, what its keys do, and how it is drawn. `App`
//! (in `app.rs`) holds what they share and hands each key or action to the active one.
pub mod agreement;
pub mod analysis;
pub mod code;
pub mod codebook;
pub mod memos;
pub mod retrieve;
