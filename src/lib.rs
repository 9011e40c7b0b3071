//! pitcrew: distributed testing and training pre-flight, composed from
//! sandboxed WebAssembly plugins.
//!
//! Dependencies point one way: [`cli`] and [`commands`] → domain modules
//! ([`pipeline`], [`suite`], [`training`], [`triage`], [`config`]) →
//! [`host`], the WebAssembly runtime, with the infrastructure ([`error`],
//! [`escape`], [`xml`], [`hash`], [`paths`], [`time`], [`process`], [`process_group`],
//! [`output`]) below all of them. Plugins know only the WIT contract in
//! `wit/`.

pub mod cli;
pub mod commands;
pub mod config;
pub mod error;
pub mod escape;
pub mod fix;
pub mod github;
pub mod hash;
pub mod host;
pub mod json;
pub mod output;
pub mod paths;
pub mod pipeline;
pub mod process;
pub mod process_group;
pub mod scaffold;
pub mod scratch;
pub mod suite;
pub mod time;
pub mod training;
pub mod triage;
pub mod xml;

pub use error::InputError;
