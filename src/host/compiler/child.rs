//! The parent's end of `pitcrew __compile`: spawns the child, confines,
//! feeds, times and reads it, and says why it failed.

use std::io::{self, Read, Write as _};
use std::path::Path;
use std::process::{Command, ExitStatus, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::Instant;

use super::{Artifact, SUBCOMMAND, confine};
use crate::host::error::LoadError;
use crate::host::limits::CompileLimits;
use crate::host::limits::compile::Refusal;
use crate::process::describe_status;
use crate::process::wait::{Waited, wait};

/// The child's exit codes besides 0 (the artifact is on stdout).
pub(super) const EXIT_INVALID: u8 = 1;
pub(super) const EXIT_USAGE: u8 = 2;
pub(super) const EXIT_NO_MEMORY: u8 = 4;

/// What std prints when an allocation fails, just before it aborts.
const ALLOCATION_FAILED: &str = "memory allocation of";

/// The child's stderr kept (the rest is read and dropped, so a child that
/// writes a lot never blocks on a full pipe).
const MAX_STDERR: u64 = 4096;

/// The longest reason shown from the child's stderr, once escaped.
const MAX_REASON: usize = 300;

/// Compiles `bytes` in a child of `exe`, within `limits`' time and memory.
pub fn compile(
    exe: &Path,
    origin: &str,
    bytes: &[u8],
    limits: &CompileLimits,
) -> Result<Artifact, LoadError> {
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
        "{}: compiled in a child process in {:?}",
        crate::escape::control_chars(origin),
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
    let reason = || reason_line(&stderr);
    match status.code().and_then(|code| u8::try_from(code).ok()) {
        Some(0) => {}
        Some(EXIT_INVALID) => return Err(failed(reason())),
        Some(EXIT_NO_MEMORY) => return Err(refused(Refusal::Memory(limits.memory_bytes))),
        _ if confine::out_of_cpu(status) => return Err(refused(Refusal::Time(limits.time))),
        _ if reason().starts_with(ALLOCATION_FAILED) => {
            return Err(refused(Refusal::Memory(limits.memory_bytes)));
        }
        _ => return Err(failed(unexpected(status, &reason()))),
    }
    match artifact {
        Some(artifact) => Ok(Artifact(artifact)),
        // More than the child may hold: it cannot have come from the
        // compiler under its memory limit.
        None => Err(refused(Refusal::Memory(limits.memory_bytes))),
    }
}

/// The first line of the child's stderr, escaped and cut: what the
/// compiler (or std, when an allocation failed) said, shown in the error.
fn reason_line(stderr: &[u8]) -> String {
    let text = String::from_utf8_lossy(stderr);
    let line = text.lines().next().unwrap_or("").trim();
    crate::escape::bounded_line(line, MAX_REASON)
}

fn unexpected(status: ExitStatus, reason: &str) -> String {
    match reason {
        "" => format!("the compiler process {}", describe_status(status)),
        reason => format!(
            "the compiler process {} ({reason})",
            describe_status(status)
        ),
    }
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
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    confine::prepare(&mut command, limits);
    // No deadline at all for a limit too far to represent (`Duration::MAX`).
    let deadline = Instant::now().checked_add(limits.time);
    let mut group = crate::process_group::spawn(&mut command)?;
    // The child is confined before it has anything to compile: it reads
    // its stdin to the end first.
    let stdin = group.child.stdin.take();
    let stdout = group.child.stdout.take();
    let stderr = group.child.stderr.take();
    let memory = limits.memory_bytes;
    Ok(thread::scope(|scope| {
        scope.spawn(move || {
            // A child that died first makes this fail (EPIPE), which its
            // status explains.
            if let Some(mut stdin) = stdin {
                let _ = stdin.write_all(bytes);
            }
        });
        let (done, finished) = mpsc::channel();
        let artifact = scope.spawn(move || {
            let read = stdout
                .and_then(|pipe| read_capped(pipe, memory).ok())
                .and_then(|(bytes, whole)| whole.then_some(bytes));
            let _ = done.send(());
            read
        });
        let stderr = scope.spawn(move || {
            stderr
                .and_then(|pipe| read_capped(pipe, MAX_STDERR).ok())
                .map(|(kept, _)| kept)
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

/// The first `cap` bytes of a pipe, read to its end (the rest is dropped,
/// so the writer never blocks on a full pipe), and whether they were all
/// of it.
fn read_capped(mut pipe: impl Read, cap: u64) -> io::Result<(Vec<u8>, bool)> {
    let mut kept = Vec::new();
    (&mut pipe).take(cap).read_to_end(&mut kept)?;
    let more = io::copy(&mut pipe, &mut io::sink())?;
    Ok((kept, more == 0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pipe_over_its_cap_is_read_to_the_end_and_kept_in_part() {
        let (kept, whole) = read_capped(&b"0123456789"[..], 4).unwrap();
        assert_eq!((kept.as_slice(), whole), (&b"0123"[..], false));
        let (kept, whole) = read_capped(&b"0123"[..], 4).unwrap();
        assert_eq!((kept.as_slice(), whole), (&b"0123"[..], true));
    }

    #[test]
    fn the_reason_shown_is_one_escaped_bounded_line() {
        let mut stderr = "bad \x1b[31mred\x1b[0m\r\u{202e}".as_bytes().to_vec();
        stderr.extend(b" x".repeat(5000));
        stderr.extend(b"\nsecond line");
        let reason = reason_line(&stderr);
        assert!(
            reason.starts_with("bad \\u{1b}[31mred\\u{1b}[0m\\r\\u{202e} x x"),
            "{reason}"
        );
        assert!(reason.ends_with("bytes cut)"), "{reason}");
        assert!(reason.len() < MAX_REASON + 40, "{}", reason.len());
        assert!(!reason.contains("second"));
    }
}
