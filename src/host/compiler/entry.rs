//! The child's end of `pitcrew __compile`.

use std::io::{self, Read as _, Write as _};
use std::process::ExitCode;

use wasmtime::Engine;

use super::child::{EXIT_INVALID, EXIT_NO_MEMORY, EXIT_USAGE};
use super::confine;
use crate::host::error::first_line;

/// `pitcrew __compile`: the component on stdin, the artifact on stdout.
/// Exit 0 after the whole artifact was written; 1 when wasmtime refuses
/// the component (its reason on stderr, one line); 4 when memory ran out
/// in a way wasmtime reported (an allocation that fails in Rust aborts,
/// with std's message on stderr); 2 when stdin or stdout failed.
pub fn child_main() -> ExitCode {
    confine::in_child();
    let mut bytes = Vec::new();
    if let Err(e) = io::stdin().lock().read_to_end(&mut bytes) {
        eprintln!("cannot read the component: {e}");
        return ExitCode::from(EXIT_USAGE);
    }
    let engine = match Engine::new(&crate::host::runtime::engine_config()) {
        Ok(engine) => engine,
        Err(e) => {
            eprintln!("cannot start the engine: {}", first_line(&e));
            return ExitCode::from(if is_out_of_memory(&e) {
                EXIT_NO_MEMORY
            } else {
                EXIT_USAGE
            });
        }
    };
    match engine.precompile_component(&bytes) {
        Ok(artifact) => {
            drop(bytes);
            let mut stdout = io::stdout().lock();
            match stdout.write_all(&artifact).and_then(|()| stdout.flush()) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("cannot write the artifact: {e}");
                    ExitCode::from(EXIT_USAGE)
                }
            }
        }
        Err(e) if is_out_of_memory(&e) => {
            eprintln!("{}", first_line(&e));
            ExitCode::from(EXIT_NO_MEMORY)
        }
        Err(e) => {
            eprintln!("{}", first_line(&e));
            ExitCode::from(EXIT_INVALID)
        }
    }
}

/// An error caused by a failed mapping or allocation (ENOMEM), such as
/// wasmtime's code memory refused under `RLIMIT_DATA`.
fn is_out_of_memory(err: &wasmtime::Error) -> bool {
    err.chain().any(|cause| {
        cause
            .downcast_ref::<io::Error>()
            .is_some_and(|e| e.kind() == io::ErrorKind::OutOfMemory)
    }) || err.root_cause().to_string().contains("os error 12")
}
