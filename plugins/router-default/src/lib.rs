//! `router-default`: pitcrew's built-in router.
//!
//! The decision logic lives in [`logic`], in plain Rust with its own types, and
//! is compiled on every target so the host can test and benchmark it natively.
//! On `wasm32` the `component` module wraps it as a WebAssembly component that
//! implements the `router` world of `pitcrew:plugin@0.2.0`; its settings
//! (`[plugins.router.config]`) are read by [`settings`].

pub mod logic;
pub mod settings;

pub use logic::{
    Category, Classification, DIVIDER, EDIT_FORMAT, ErrorKind, Failure, Language, PerSpecialty,
    REPLACE_MARKER, Route, RouteError, RouteRequest, RouterConfig, SEARCH_MARKER, Specialty, route,
};

#[cfg(target_arch = "wasm32")]
mod component;
