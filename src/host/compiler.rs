//! Compiling a third-party component in a child process, so that the
//! compilation itself is bounded in wall time and memory.
//!
//! Cranelift cannot be interrupted and wasmtime 48 has no setting that
//! bounds what a compilation costs; the measures checked before it
//! (`limits::compile`) bound the input, not the work. So pitcrew re-runs
//! itself as `pitcrew __compile` (hidden, see [`child_main`]): the child
//! reads the component on stdin, compiles it with an engine configured
//! exactly as the parent's (`Engine::precompile_component`), and writes the
//! artifact to stdout. It runs under `RLIMIT_DATA` (`compile_mib`: every
//! writable private mapping, heap and thread stacks included, the
//! address-space reservations of malloc arenas and guard pages not), a
//! `RLIMIT_CPU` backstop and no core dumps, in a process group of its own
//! that the parent kills at `compile_seconds`, and dies with the parent
//! (Linux: `PR_SET_PDEATHSIG`).
//!
//! What the parent deserializes is what the child wrote on a pipe only the
//! child holds, read in full, from a child that then exited 0: the output
//! of wasmtime's compiler for these bytes on this configuration, which is
//! exactly what the in-process path (`Component::new`) compiles and runs
//! without further checks. The child is a resource boundary, not a security
//! one: a plugin able to take over the compiler would own the in-process
//! path just the same. The artifact goes to the disk cache through the
//! cache's own MAC (`Cache::store`), like one compiled in process.
//!
//! Built-in plugins (embedded in the binary, trusted) compile in process,
//! and so does everything when no compiler executable was registered
//! ([`use_child_compiler`]: the CLI does, a library embedder may) and on
//! Windows, which has no rlimits (a documented gap).

use std::path::PathBuf;
use std::sync::OnceLock;

use wasmtime::Engine;
use wasmtime::component::Component;

use super::builtin;
use super::error::{LoadError, first_line};
use super::limits::CompileLimits;

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

/// Compiles `bytes`, already measured within `limits`: in a bounded child
/// for a third-party component when a compiler is registered (Unix), in
/// process otherwise.
pub fn compile(
    engine: &Engine,
    origin: &str,
    bytes: &[u8],
    limits: &CompileLimits,
) -> Result<Component, LoadError> {
    match COMPILER.get() {
        #[cfg(unix)]
        Some(exe) if !is_builtin(bytes) => child::compile(exe, engine, origin, bytes, limits),
        _ => in_process(engine, origin, bytes),
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

#[cfg(unix)]
mod child;

#[cfg(unix)]
pub use child::child_main;

/// Windows has no rlimits: `__compile` is not answered there.
#[cfg(not(unix))]
pub fn child_main() -> std::process::ExitCode {
    std::process::ExitCode::from(2)
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
        assert!(!is_builtin(&embedded.to_vec()));
        // A prefix of the embedded slice is not the built-in either.
        assert!(!is_builtin(&embedded[..embedded.len() - 1]));
    }
}
