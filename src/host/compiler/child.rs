//! Both ends of `pitcrew __compile`: the parent that spawns, confines,
//! feeds, times and reads the child, and the child's `main`.

use std::io::{self, Read, Write as _};
use std::os::unix::process::CommandExt as _;
use std::path::Path;
use std::process::{Command, ExitCode, ExitStatus, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use wasmtime::Engine;
use wasmtime::component::Component;

use super::SUBCOMMAND;
use crate::host::error::{LoadError, first_line};
use crate::host::limits::CompileLimits;
use crate::host::limits::compile::Refusal;
use crate::process::describe_status;
use crate::process::wait::{Waited, wait};

/// The child's exit codes besides 0 (the artifact is on stdout).
const EXIT_INVALID: u8 = 1;
const EXIT_USAGE: u8 = 2;
const EXIT_NO_MEMORY: u8 = 4;

/// What std prints when an allocation fails, just before it aborts.
const ALLOCATION_FAILED: &str = "memory allocation of";

/// The child's stderr kept: one reason line.
const MAX_STDERR: u64 = 4096;

/// Compiles `bytes` in a child of `exe`, within `limits`' time and memory.
pub fn compile(
    exe: &Path,
    engine: &Engine,
    origin: &str,
    bytes: &[u8],
    limits: &CompileLimits,
) -> Result<Component, LoadError> {
    let refused = |refusal| LoadError::TooBig {
        origin: origin.to_string(),
        refusal,
    };
    let failed = |reason: String| LoadError::Compile {
        origin: origin.to_string(),
        reason,
    };
    let started = Instant::now();
    let (waited, artifact, stderr) = run(exe, bytes, limits).map_err(|e| {
        failed(format!(
            "cannot run the compiler process {}: {e}",
            crate::escape::control_chars(&exe.display().to_string())
        ))
    })?;
    tracing::debug!(
        "{origin}: compiled in a child process in {:?}",
        started.elapsed()
    );
    let status = match waited {
        Waited::Exited(status) => status,
        Waited::TimedOut => return Err(refused(Refusal::Time(limits.time))),
        Waited::Failed(e) => {
            return Err(failed(format!(
                "the compiler process cannot be waited for: {e}"
            )));
        }
    };
    let reason = || {
        let text = String::from_utf8_lossy(&stderr);
        let line = text.lines().next().unwrap_or("").trim();
        crate::escape::control_chars(line).into_owned()
    };
    match status.code().and_then(|code| u8::try_from(code).ok()) {
        Some(0) => {}
        Some(EXIT_INVALID) => return Err(failed(reason())),
        Some(EXIT_NO_MEMORY) => return Err(refused(Refusal::Memory(limits.memory_bytes))),
        _ if out_of_cpu(status) => return Err(refused(Refusal::Time(limits.time))),
        _ if reason().starts_with(ALLOCATION_FAILED) => {
            return Err(refused(Refusal::Memory(limits.memory_bytes)));
        }
        _ => {
            return Err(failed(format!(
                "the compiler process {} ({})",
                describe_status(status),
                reason()
            )));
        }
    }
    let Some(artifact) = artifact else {
        // More than the child may hold: it cannot have come from the
        // compiler under its memory limit.
        return Err(refused(Refusal::Memory(limits.memory_bytes)));
    };
    // SAFETY: these bytes are the whole of what the child wrote on its
    // stdout, a pipe whose write end only the child held, and the child
    // exited 0, which it does only after `Engine::precompile_component`
    // succeeded and its artifact was written in full. They are the output
    // of wasmtime's compiler for this component on an engine configured as
    // ours (`runtime::engine_config`): what `Component::new` would have
    // compiled and run in this process, unchecked, had it compiled here.
    // Wasmtime still checks the header and refuses an artifact of another
    // version or configuration.
    unsafe { Component::deserialize(engine, &artifact) }.map_err(|e| failed(first_line(&e)))
}

/// Spawns the child, writes `bytes` to it, reads its stdout (at most the
/// memory limit: `None` past it) and stderr, and waits for it until the
/// time limit, then kills its group.
fn run(
    exe: &Path,
    bytes: &[u8],
    limits: &CompileLimits,
) -> io::Result<(Waited, Option<Vec<u8>>, Vec<u8>)> {
    let mut command = Command::new(exe);
    command
        .arg(SUBCOMMAND)
        .env_clear()
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let memory = limits.memory_bytes;
    let cpu = cpu_backstop(limits.time);
    // SAFETY: `confine` only makes system calls (getrlimit, setrlimit,
    // prctl), which are async-signal-safe, and allocates nothing.
    unsafe {
        command.pre_exec(move || confine(memory, cpu));
    }
    // No deadline at all for a limit too far to represent (`Duration::MAX`).
    let deadline = Instant::now().checked_add(limits.time);
    let mut group = crate::process_group::spawn(&mut command)?;
    let stdin = group.child.stdin.take();
    let stdout = group.child.stdout.take();
    let stderr = group.child.stderr.take();
    Ok(thread::scope(|scope| {
        scope.spawn(move || {
            // The child reads all of it before compiling; a child that died
            // first makes this fail (EPIPE), which its status explains.
            if let Some(mut stdin) = stdin {
                let _ = stdin.write_all(bytes);
            }
        });
        let (done, finished) = mpsc::channel();
        let artifact = scope.spawn(move || {
            let read = stdout.and_then(|pipe| read_capped(pipe, memory));
            let _ = done.send(());
            read
        });
        let stderr = scope.spawn(move || {
            stderr
                .and_then(|pipe| read_capped(pipe, MAX_STDERR))
                .unwrap_or_default()
        });
        // The child's stdout closes as it exits: wake then, not a poll later.
        let _ = match deadline {
            Some(deadline) => {
                finished.recv_timeout(deadline.saturating_duration_since(Instant::now()))
            }
            None => finished
                .recv()
                .map_err(|_| mpsc::RecvTimeoutError::Disconnected),
        };
        // Kills the group at the deadline, and in any case once it exited;
        // the pipes are then closed and the readers end.
        let waited = wait(&mut group, deadline);
        let artifact = artifact.join().unwrap_or(None);
        let stderr = stderr.join().unwrap_or_default();
        (waited, artifact, stderr)
    }))
}

/// All of a pipe, or `None` once it held more than `cap` bytes (or failed).
fn read_capped(pipe: impl Read, cap: u64) -> Option<Vec<u8>> {
    let mut bytes = Vec::new();
    pipe.take(cap.saturating_add(1))
        .read_to_end(&mut bytes)
        .ok()?;
    (bytes.len() as u64 <= cap).then_some(bytes)
}

/// CPU seconds for `RLIMIT_CPU`: a backstop for a child whose parent could
/// not kill it. The compiler runs on every core, so a wall-clock limit of
/// `time` allows up to `time` of CPU per core.
fn cpu_backstop(time: Duration) -> u64 {
    let cores = thread::available_parallelism().map_or(1, usize::from) as u64;
    time.as_secs().saturating_add(1).saturating_mul(cores)
}

/// Whether the kernel stopped the child for its CPU time (`SIGXCPU` at the
/// soft limit; the hard one, a second later, is a `SIGKILL` that could as
/// well be the OOM killer's, so it is not taken for a time limit).
fn out_of_cpu(status: ExitStatus) -> bool {
    use std::os::unix::process::ExitStatusExt as _;
    status.signal() == Some(libc::SIGXCPU)
}

/// In the child, between fork and exec: its memory (`RLIMIT_DATA`) and CPU
/// (`RLIMIT_CPU`) limits, no core file, and death with its parent.
fn confine(memory: u64, cpu_seconds: u64) -> io::Result<()> {
    limit(libc::RLIMIT_DATA, memory, memory)?;
    limit(libc::RLIMIT_CPU, cpu_seconds, cpu_seconds.saturating_add(1))?;
    limit(libc::RLIMIT_CORE, 0, 0)?;
    #[cfg(target_os = "linux")]
    // SAFETY: prctl with an integer argument; no memory is passed.
    if unsafe { libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL) } != 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(())
}

/// The type of `RLIMIT_*`: glibc's own, an int elsewhere.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
type Resource = libc::__rlimit_resource_t;
#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
type Resource = libc::c_int;

/// Lowers a resource limit (never above the hard limit already set: the
/// user's own limits stand).
fn limit(resource: Resource, soft: u64, hard: u64) -> io::Result<()> {
    let mut current = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: `current` is a valid rlimit for getrlimit to fill in.
    if unsafe { libc::getrlimit(resource, &mut current) } != 0 {
        return Err(io::Error::last_os_error());
    }
    let max = current.rlim_max;
    let clamp = |value: u64| {
        let value = value as libc::rlim_t;
        if max == libc::RLIM_INFINITY {
            value
        } else {
            value.min(max)
        }
    };
    let new = libc::rlimit {
        rlim_cur: clamp(soft),
        rlim_max: clamp(hard),
    };
    // SAFETY: `new` is a valid rlimit, read by setrlimit.
    if unsafe { libc::setrlimit(resource, &new) } != 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(())
}

/// `pitcrew __compile`: the component on stdin, the artifact on stdout.
/// Exit 0 after the whole artifact was written; 1 when wasmtime refuses
/// the component (its reason on stderr, one line); 4 when memory ran out
/// in a way wasmtime reported (an allocation that fails in Rust aborts,
/// with std's message on stderr); 2 when stdin or stdout failed.
pub fn child_main() -> ExitCode {
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
            .is_some_and(|e| e.raw_os_error() == Some(libc::ENOMEM))
    }) || err.root_cause().to_string().contains("os error 12")
}
