//! The WebAssembly runtime: one engine, a deny-by-default sandbox with
//! per-plugin limits, generated bindings per contract version, the
//! compilation cache, and the embedded built-in plugins.

pub mod bindings;
pub mod builtin;
pub mod cache;
mod clock;
pub mod compiler;
pub mod error;
pub mod inspect;
pub mod limits;
mod log;
mod output_budget;
pub mod plugin;
pub mod plugin_config;
pub mod read;
pub mod runtime;
mod sandbox;
mod stdio;
pub mod types;

pub use cache::CacheSetting;
pub use error::{CallError, LoadError};
pub use inspect::World;
pub use limits::{Limit, Limits};
pub use plugin::{Plugin, PluginSpec, Source};
pub use plugin_config::PluginConfig;
pub use runtime::Runtime;
