//! `classifier-default`: pitcrew's built-in failure classifier.
//!
//! The decision logic lives in [`logic`], in plain Rust with its own types, and
//! is compiled on every target so the host can test and benchmark it natively.
//! On `wasm32` the `component` module wraps it as a WebAssembly component that
//! implements the `classifier` world of `pitcrew:plugin@0.1.0`.

pub mod guess;
mod lines;
pub mod logic;
mod matcher;

pub use logic::{Category, Classification, Failure, Language, Specialty, classify, classify_batch};

#[cfg(target_arch = "wasm32")]
mod component;
