//! Compiling a third-party component in a child process, so that the
//! compilation itself is bounded in wall time and memory.
//!
//! Cranelift cannot be interrupted and wasmtime 48 has no setting that
//! bounds what a compilation costs; the measures checked before it
//! (`limits::compile`) bound the input, not the work. So pitcrew re-runs
//! itself as `pitcrew __compile` (hidden, see [`child_main`]): the child
//! reads the component on stdin, compiles it with an engine configured
//! exactly as the parent's (`Engine::precompile_component`), and writes the
//! artifact to stdout. The parent kills it (its whole process group, or job
//! object on Windows) at `compile_seconds`, on every platform. Where the
//! system allows it is also confined (see `confine`):
//!
//! - Linux: `RLIMIT_DATA` of `compile_mib` (every writable private mapping,
//!   heap and thread stacks included, the address-space reservations of
//!   malloc arenas and guard pages not), a `RLIMIT_CPU` backstop, no core
//!   dump (`RLIMIT_CORE` 0 and not dumpable), and death with its parent
//!   (`PR_SET_PDEATHSIG`).
//! - Other Unix: the same rlimits, but the kernel may not count mappings in
//!   `RLIMIT_DATA` (macOS does not), and there is no death signal: a child
//!   whose parent died is stopped by its `RLIMIT_CPU` backstop.
//! - Windows: no memory limit (a documented gap); the job object is
//!   kill-on-close, so the child dies with its parent.
//!
//! What the parent keeps is what the child wrote on a pipe only the child
//! holds, read in full, from a child that then exited 0: the output of
//! wasmtime's compiler for these bytes on this configuration, which is
//! exactly what the in-process path (`Component::new`) compiles and runs
//! without further checks (see [`Artifact`]). The child is a resource
//! boundary, not a security one: a plugin able to take over the compiler
//! would own the in-process path just the same. The runtime stores the
//! artifact in the disk cache under the cache's MAC, like one compiled in
//! process, and loads it back through the cache's verified path.
//!
//! Built-in plugins (embedded in the binary, trusted) compile in process,
//! and so does everything when no compiler executable was registered
//! ([`use_child_compiler`]: the CLI does, a library embedder may).

use std::path::PathBuf;
use std::sync::OnceLock;

use wasmtime::Engine;
use wasmtime::component::Component;

use super::builtin;
use super::error::{LoadError, first_line};
use super::limits::CompileLimits;

mod child;
mod confine;
mod entry;

pub use entry::child_main;

/// The hidden subcommand `main` answers with [`child_main`].
pub const SUBCOMMAND: &str = "__compile";

/// The pitcrew executable that answers [`SUBCOMMAND`], once registered.
static COMPILER: OnceLock<PathBuf> = OnceLock::new();

/// Compile third-party components in `exe` (a pitcrew binary) from now on.
/// The first registration wins.
pub fn use_child_compiler(exe: PathBuf) {
    let _ = COMPILER.set(exe);
}

/// The running executable, to register with [`use_child_compiler`]. On
/// Linux `/proc/self/exe`, which names this very image even if the file was
/// replaced or removed since (an upgrade mid-run).
pub fn this_executable() -> Option<PathBuf> {
    let proc_self = PathBuf::from("/proc/self/exe");
    if cfg!(target_os = "linux") && proc_self.exists() {
        return Some(proc_self);
    }
    std::env::current_exe().ok()
}

/// A compiled component: compiled here, or the artifact a child compiled.
pub enum Compiled {
    InProcess(Component),
    InChild(Artifact),
}

/// The whole of what a `pitcrew __compile` child wrote on its stdout
/// before it exited 0 (only [`child::compile`] makes one): the output of
/// `Engine::precompile_component` for the bytes it was given, on an engine
/// configured as ours.
pub struct Artifact(Vec<u8>);

impl Artifact {
    pub fn bytes(&self) -> &[u8] {
        &self.0
    }

    /// The component, deserialized from the artifact as it came from the
    /// child (the runtime prefers to store it in the disk cache and load it
    /// back through the cache's checks; this is for when there is none).
    pub fn deserialize(&self, engine: &Engine, origin: &str) -> Result<Component, LoadError> {
        // SAFETY: an `Artifact` is only made by `child::compile` from the
        // whole of what the child wrote on its stdout, a pipe whose write
        // end only the child held, once the child exited 0, which it does
        // only after `Engine::precompile_component` succeeded and its
        // artifact was written in full. They are the output of wasmtime's
        // compiler for this component on an engine configured as ours
        // (`runtime::engine_config`): what `Component::new` would have
        // compiled and run in this process, unchecked, had it compiled
        // here. Wasmtime still checks the header and refuses an artifact of
        // another version or configuration.
        unsafe { Component::deserialize(engine, &self.0) }.map_err(|e| LoadError::Compile {
            origin: origin.to_string(),
            reason: first_line(&e),
        })
    }
}

/// Compiles `bytes`, already measured within `limits`: in a bounded child
/// for a third-party component when a compiler is registered, in process
/// otherwise.
pub fn compile(
    engine: &Engine,
    origin: &str,
    bytes: &[u8],
    limits: &CompileLimits,
) -> Result<Compiled, LoadError> {
    match COMPILER.get() {
        Some(exe) if !is_builtin(bytes) => {
            child::compile(exe, origin, bytes, limits).map(Compiled::InChild)
        }
        _ => in_process(engine, origin, bytes).map(Compiled::InProcess),
    }
}

fn in_process(engine: &Engine, origin: &str, bytes: &[u8]) -> Result<Component, LoadError> {
    Component::new(engine, bytes).map_err(|e| LoadError::Compile {
        origin: origin.to_string(),
        reason: first_line(&e),
    })
}

/// Whether these are the very bytes of an embedded built-in (its static
/// slice, not a copy: a file's bytes live on the heap, so a third-party
/// component can never pass for one, whatever its name or content).
fn is_builtin(bytes: &[u8]) -> bool {
    builtin::names()
        .filter_map(builtin::get)
        .any(|embedded| std::ptr::eq(embedded, bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_embedded_bytes_of_a_built_in_count_as_one() {
        let name = builtin::names().next().expect("a built-in");
        let embedded = builtin::get(name).expect("its bytes");
        assert!(is_builtin(embedded));
        // The same bytes read from a file (a copy): third-party.
        let copy: Vec<u8> = embedded.to_vec();
        assert!(!is_builtin(&copy));
        // A prefix of the embedded slice is not the built-in either.
        assert!(!is_builtin(&embedded[..embedded.len() - 1]));
    }
}
