//! Running a command with a deadline, below every domain module: the one
//! home for child processes (the platform layer, process groups and job
//! objects, is [`crate::process_group`]).
//!
//! [`run`] keeps the tails of a command's output (probes, job scripts);
//! [`logged::run`] sends a test runner's output to a log or our terminal
//! and keeps its last lines of stderr.
//!
//! The command runs with stdin closed, in a process group of its own
//! ([`crate::process_group`]): at the deadline the whole group is killed
//! (not only a wrapping `sh`), and so it is again once the command exited,
//! so nothing it started in the background keeps running or holds its
//! output open. Only the tails of its stdout and stderr are kept, so a
//! chatty command cannot fill memory, and they are read by threads that
//! are given up after a grace period, so a pipe held open by a process that
//! escaped the group cannot block the caller.

pub mod cpu;
pub mod logged;
pub(crate) mod wait;

use std::io::{self, Read};
use std::process::{Command, ExitStatus, Stdio};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use wait::{Waited, drain, lock, wait};

/// How much of each output stream is kept: its last bytes.
#[derive(Clone, Copy, Debug)]
pub struct Tails {
    pub stdout: usize,
    pub stderr: usize,
}

/// The line of a runner's output tail that says what went wrong: the
/// first that reads as an error (`Error: DATABASE_URL is not set`, a
/// `…Exception`, `npm ERR!`, `fatal:`), colour codes removed, else the last
/// line that is not blank. A stack's last frame, which ends most tails,
/// says nothing. Unescaped: escape it to show it.
pub fn headline(tail: &str) -> Option<String> {
    let lines = || {
        tail.lines()
            .map(|l| crate::escape::strip_ansi(l).trim().to_owned())
            .filter(|l| !l.is_empty())
    };
    let reads_as_error = |l: &String| {
        let word = l.split([':', ' ']).next().unwrap_or_default();
        word.ends_with("Error")
            || word.ends_with("Exception")
            || word.eq_ignore_ascii_case("error")
            || word.eq_ignore_ascii_case("fatal")
            || l.contains(" ERR! ")
    };
    lines().find(reads_as_error).or_else(|| lines().next_back())
}

/// A command that ended, by itself or at its deadline.
#[derive(Debug)]
pub struct Finished {
    /// `None` when it was killed at the deadline.
    pub status: Option<ExitStatus>,
    /// The last bytes of stdout and stderr (lossy UTF-8).
    pub stdout: String,
    pub stderr: String,
}

impl Finished {
    pub fn timed_out(&self) -> bool {
        self.status.is_none()
    }
}

/// Why a command could not be run or followed.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error("cannot be started: {0}")]
    Spawn(io::Error),
    #[error("cannot be waited for: {0}")]
    Wait(io::Error),
}

/// Runs `command` until it exits or `timeout` passes (then its group is
/// killed), keeping the tails of its output. Sets its stdin, stdout and
/// stderr.
pub fn run(mut command: Command, timeout: Duration, tails: Tails) -> Result<Finished, RunError> {
    command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut group = crate::process_group::spawn(&mut command).map_err(RunError::Spawn)?;
    let stdout = group
        .child
        .stdout
        .take()
        .map(|pipe| read_tail(pipe, tails.stdout));
    let stderr = group
        .child
        .stderr
        .take()
        .map(|pipe| read_tail(pipe, tails.stderr));
    let status = match wait(&mut group, Some(Instant::now() + timeout)) {
        Waited::Exited(status) => Some(status),
        Waited::TimedOut => None,
        Waited::Failed(e) => return Err(RunError::Wait(e)),
    };
    Ok(Finished {
        status,
        stdout: stdout.map(Tail::finish).unwrap_or_default(),
        stderr: stderr.map(Tail::finish).unwrap_or_default(),
    })
}

/// `exited with code 3`, `was killed by signal 9`.
pub fn describe_status(status: ExitStatus) -> String {
    if let Some(code) = status.code() {
        return format!("exited with code {code}");
    }
    #[cfg(unix)]
    if let Some(signal) = std::os::unix::process::ExitStatusExt::signal(&status) {
        return format!("was killed by signal {signal}");
    }
    format!("ended with {status}")
}

/// The last bytes of a pipe, read by a thread. Shared rather than
/// returned, so that a pipe held open by a process that escaped the kill
/// cannot block us ([`drain`]).
struct Tail {
    bytes: Arc<Mutex<Vec<u8>>>,
    reader: thread::JoinHandle<()>,
}

fn read_tail(mut pipe: impl Read + Send + 'static, cap: usize) -> Tail {
    let bytes = Arc::new(Mutex::new(Vec::new()));
    let shared = Arc::clone(&bytes);
    let reader = thread::spawn(move || {
        let mut chunk = vec![0u8; 8 * 1024];
        loop {
            match pipe.read(&mut chunk) {
                Ok(0) => break,
                Ok(n) => {
                    let mut tail = lock(&shared);
                    tail.extend_from_slice(&chunk[..n]);
                    if tail.len() > cap {
                        let excess = tail.len() - cap;
                        tail.drain(..excess);
                    }
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(_) => break,
            }
        }
    });
    Tail { bytes, reader }
}

impl Tail {
    /// What was read, once the pipe is closed or the grace period is over.
    fn finish(self) -> String {
        drain(&self.reader);
        let bytes = lock(&self.bytes);
        String::from_utf8_lossy(&bytes).into_owned()
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    const TAILS: Tails = Tails {
        stdout: 16,
        stderr: 1024,
    };

    fn sh(script: &str) -> Command {
        let mut command = Command::new("sh");
        command.arg("-c").arg(script);
        command
    }

    #[test]
    fn keeps_the_tails_and_the_exit_code() {
        let finished = run(
            sh("seq 1 1000; echo oops >&2; exit 3"),
            Duration::from_secs(60),
            TAILS,
        )
        .unwrap();
        assert_eq!(finished.status.and_then(|s| s.code()), Some(3));
        // The last 16 bytes of "…997\n998\n999\n1000\n".
        assert_eq!(finished.stdout, "97\n998\n999\n1000\n");
        assert_eq!(finished.stderr, "oops\n");
        assert_eq!(
            describe_status(finished.status.unwrap()),
            "exited with code 3"
        );
    }

    #[test]
    fn the_deadline_kills_the_whole_group() {
        let started = Instant::now();
        // `sh` waits for `sleep`, which holds the pipes: killing `sh` alone
        // would leave us waiting for them to close.
        let finished = run(
            sh("echo started; sleep 30; true"),
            // Time for `sh` to echo first, on a loaded machine.
            Duration::from_secs(2),
            TAILS,
        )
        .unwrap();
        assert!(finished.timed_out());
        assert_eq!(
            finished.stdout, "started\n",
            "the output before the kill is kept"
        );
        // A background process left behind by a command that exited.
        let left_behind = run(sh("sleep 30 & echo done"), Duration::from_secs(60), TAILS).unwrap();
        assert_eq!(left_behind.status.and_then(|s| s.code()), Some(0));
        assert_eq!(left_behind.stdout, "done\n");
        // Generous: the point is 30 s sleeps do not count.
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "{:?}",
            started.elapsed()
        );
    }

    #[test]
    fn a_missing_program_is_a_spawn_error() {
        let err = run(
            Command::new("/nonexistent/program"),
            Duration::from_secs(1),
            TAILS,
        )
        .unwrap_err();
        assert!(err.to_string().starts_with("cannot be started: "), "{err}");
    }

    #[test]
    fn a_tails_headline_is_its_error_not_its_last_frame() {
        let jest = "Error: Jest: Got error running globalSetup - gs.js, reason: DATABASE_URL is not set\n    at module.exports (gs.js:2:9)\n    at async Object.run (jest-cli/build/index.js:665:9)\n";
        assert_eq!(
            headline(jest).as_deref(),
            Some(
                "Error: Jest: Got error running globalSetup - gs.js, reason: DATABASE_URL is not set"
            )
        );
        let vitest = "\n\u{1b}[31m\u{1b}[1mError\u{1b}[22m: DATABASE_URL is not set\u{1b}[39m\n at gs.ts:1\n";
        assert_eq!(
            headline(vitest).as_deref(),
            Some("Error: DATABASE_URL is not set")
        );
        assert_eq!(
            headline("x\nTypeError: y is undefined\n").as_deref(),
            Some("TypeError: y is undefined")
        );
        assert_eq!(
            headline("npm ERR! code 1\n").as_deref(),
            Some("npm ERR! code 1")
        );
        assert_eq!(headline("compiling\ndone\n\n").as_deref(), Some("done"));
        assert_eq!(headline("\n  \n"), None);
    }
}
