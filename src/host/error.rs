//! What can go wrong loading or calling a plugin. Every message is one line
//! that names the plugin (and, for calls, the call), with untrusted text
//! escaped.

use std::sync::Arc;

use super::limits::Limit;

/// A call that produced no usable answer. The plugin is still usable: the
/// next call gets a fresh instance.
#[derive(Debug, thiserror::Error)]
pub enum CallError {
    #[error("plugin {plugin}: {call}: exceeded its {limit}")]
    Limit {
        plugin: Arc<str>,
        call: &'static str,
        limit: Limit,
    },
    #[error("plugin {plugin}: {call}: crashed: {reason}")]
    Crashed {
        plugin: Arc<str>,
        call: &'static str,
        reason: String,
    },
    #[error("plugin {plugin}: {call}: returned an error ({kind}): {message}")]
    Returned {
        plugin: Arc<str>,
        call: &'static str,
        kind: &'static str,
        message: String,
    },
    #[error("plugin {plugin}: {call}: broke the contract: {reason}")]
    Contract {
        plugin: Arc<str>,
        call: &'static str,
        reason: String,
    },
    /// A plugin loaded from its recorded description whose component could
    /// not be loaded at its first call (changed or gone since).
    #[error("plugin {plugin}: {call}: cannot be loaded: {reason}")]
    Unloadable {
        plugin: Arc<str>,
        call: &'static str,
        reason: String,
    },
}

/// A plugin that could not be loaded. `origin` is `builtin:NAME` or the
/// `.wasm` path.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("unknown built-in plugin `{name}` (built-ins: {available})")]
    UnknownBuiltin { name: String, available: String },
    #[error("{origin}: cannot read the plugin: {error}")]
    Read {
        origin: String,
        error: std::io::Error,
    },
    #[error(
        "{origin}: sha256 mismatch: pinned {expected}, the file has {actual}; refusing to load it"
    )]
    Sha256Mismatch {
        origin: String,
        expected: String,
        actual: String,
    },
    #[error("{origin}: not a WebAssembly component pitcrew can load: {reason}")]
    Compile { origin: String, reason: String },
    /// Over a compile limit: refused before Cranelift spent anything on it.
    #[error("{origin}: not compiled: {refusal}")]
    TooBig {
        origin: String,
        refusal: super::limits::compile::Refusal,
    },
    #[error(
        "{origin}: built for pitcrew:plugin@{found}, which this pitcrew does not support (it supports {supported})"
    )]
    IncompatibleVersion {
        origin: String,
        found: String,
        supported: String,
    },
    #[error(
        "{origin}: not a pitcrew plugin: it exports [{exports}], none of the worlds phase (describe, run), classifier (describe, classify) or router (describe, route)"
    )]
    NotAPlugin { origin: String, exports: String },
    #[error(
        "{origin}: implements the {found} world, but the `{slot}` slot needs a {expected} plugin"
    )]
    WrongWorld {
        origin: String,
        slot: String,
        found: super::World,
        expected: super::World,
    },
    #[error("{origin}: the host cannot satisfy what it imports or exports: {reason}")]
    Link { origin: String, reason: String },
    #[error(transparent)]
    Describe(#[from] CallError),
    /// The configuration pitcrew.toml gives the plugin is refused.
    #[error(transparent)]
    Config(#[from] super::plugin_config::ConfigRefused),
}

// Every plugin failure that reaches a command is one pitcrew cannot work
// around (an optional plugin's failure never gets that far): exit 3.
impl crate::error::HasKind for CallError {
    fn kind(&self) -> crate::error::ErrorKind {
        crate::error::ErrorKind::Plugin
    }
}

impl crate::error::HasKind for LoadError {
    fn kind(&self) -> crate::error::ErrorKind {
        match self {
            // The user's configuration is wrong, not the plugin: exit 2.
            LoadError::Config(_) => crate::error::ErrorKind::Input,
            _ => crate::error::ErrorKind::Plugin,
        }
    }
}

/// What a plugin's imports can be satisfied with: the one pitcrew import,
/// and WASI 0.2 with every capability withheld (see `sandbox.rs`).
pub const SANDBOX_GRANTS: &str = "pitcrew:plugin/log and WASI 0.2 (clocks, random, \
     stdout/stderr to the log; no files, environment, sockets or HTTP: pitcrew does the I/O \
     and hands the plugin facts)";

/// Why a component could not be linked, in one line: the import wasmtime
/// could not satisfy (its name is in the error's context, which
/// [`first_line`] would drop), the root cause, and what the sandbox grants.
pub(crate) fn link_reason(err: &wasmtime::Error) -> String {
    let root = first_line(err);
    let import = err.chain().find_map(|cause| {
        let text = cause.to_string();
        let rest = text.strip_prefix("component imports ")?;
        let (kind, rest) = rest.split_once(" `")?;
        let (name, _) = rest.split_once('`')?;
        Some(format!("{kind} `{name}`"))
    });
    match import {
        Some(import) => format!(
            "it imports {}, which the sandbox does not grant ({root}); plugins get only {SANDBOX_GRANTS}",
            crate::escape::control_chars(&import)
        ),
        None => root,
    }
}

/// The one line of a wasmtime error that says what happened: its root
/// cause (a trap, a validation error), without the wasm backtrace wasmtime
/// puts in front of it.
pub(crate) fn first_line(err: &wasmtime::Error) -> String {
    let text = err.root_cause().to_string();
    let line = text.lines().next().unwrap_or("unknown error");
    crate::escape::control_chars(line).into_owned()
}
