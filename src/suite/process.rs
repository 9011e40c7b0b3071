//! Starting a runner process with a deadline, sending its output where it
//! belongs, and keeping the tail of its stderr for error messages.

use std::collections::VecDeque;
use std::fs::File;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

/// Lines of stderr kept for the error message of a failed shard.
const TAIL_LINES: usize = 20;

/// Where a runner's output goes.
#[derive(Clone, Debug)]
pub enum Sink {
    /// Our own stdout/stderr (CI logs).
    Inherit,
    /// A log file per shard (local parallel mode, where terminals are shared).
    File(PathBuf),
}

pub struct Finished {
    /// `None` when killed by a signal.
    pub status: Option<ExitStatus>,
    pub timed_out: bool,
    pub stderr_tail: String,
}

#[derive(Debug, thiserror::Error)]
#[error("cannot start `{program}`: {error}")]
pub struct SpawnError {
    pub program: String,
    pub error: std::io::Error,
}

/// Runs `program args` in `dir` with `env`, until it exits or `timeout`
/// passes (then it is killed). When `capture_stdout` is given, stdout goes
/// there instead of the sink (for runners whose stdout is data).
pub fn run(
    program: &str,
    args: &[String],
    env: &[(String, String)],
    dir: &Path,
    sink: &Sink,
    capture_stdout: Option<&Path>,
    timeout: Option<Duration>,
) -> Result<Finished, SpawnError> {
    let spawn_error = |error| SpawnError {
        program: program.to_string(),
        error,
    };
    let mut command = Command::new(program);
    command
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .stderr(Stdio::piped());
    for (key, value) in env {
        command.env(key, value);
    }
    let log = match sink {
        Sink::Inherit => None,
        Sink::File(path) => Some(Arc::new(Mutex::new(
            File::options()
                .create(true)
                .append(true)
                .open(path)
                .map_err(spawn_error)?,
        ))),
    };
    match (capture_stdout, &log) {
        (Some(path), _) => command.stdout(File::create(path).map_err(spawn_error)?),
        (None, Some(file)) => command.stdout(lock(file).try_clone().map_err(spawn_error)?),
        (None, None) => command.stdout(Stdio::inherit()),
    };
    let mut child = command.spawn().map_err(spawn_error)?;
    let tail = forward_stderr(&mut child, log);
    let (status, timed_out) = wait(&mut child, timeout);
    let stderr_tail = tail
        .join()
        .unwrap_or_default()
        .into_iter()
        .collect::<Vec<_>>()
        .join("\n");
    Ok(Finished {
        status,
        timed_out,
        stderr_tail,
    })
}

fn lock(file: &Arc<Mutex<File>>) -> std::sync::MutexGuard<'_, File> {
    file.lock().unwrap_or_else(|poison| poison.into_inner())
}

/// Copies stderr to the sink line by line and returns its last lines.
fn forward_stderr(
    child: &mut Child,
    log: Option<Arc<Mutex<File>>>,
) -> thread::JoinHandle<VecDeque<String>> {
    let stderr = child.stderr.take();
    thread::spawn(move || {
        let mut tail = VecDeque::with_capacity(TAIL_LINES);
        let Some(stderr) = stderr else {
            return tail;
        };
        let mut reader = BufReader::new(stderr);
        let mut line = Vec::new();
        loop {
            line.clear();
            // Bounded read: a runner printing one endless line can't exhaust memory.
            match (&mut reader).take(64 * 1024).read_until(b'\n', &mut line) {
                Ok(0) | Err(_) => break,
                Ok(_) => {}
            }
            match &log {
                Some(file) => {
                    let _ = lock(file).write_all(&line);
                }
                None => {
                    let _ = std::io::stderr().write_all(&line);
                }
            }
            if tail.len() == TAIL_LINES {
                tail.pop_front();
            }
            tail.push_back(String::from_utf8_lossy(&line).trim_end().to_string());
        }
        tail
    })
}

fn wait(child: &mut Child, timeout: Option<Duration>) -> (Option<ExitStatus>, bool) {
    let deadline = timeout.map(|t| Instant::now() + t);
    loop {
        match child.try_wait() {
            Ok(Some(status)) => return (Some(status), false),
            Ok(None) => {}
            Err(_) => return (None, false),
        }
        if deadline.is_some_and(|d| Instant::now() >= d) {
            let _ = child.kill();
            let _ = child.wait();
            return (None, true);
        }
        thread::sleep(Duration::from_millis(20));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_stderr_tail_and_the_exit_code() {
        let dir = tempfile::tempdir().unwrap();
        let log = dir.path().join("log");
        let script = "for i in $(seq 1 30); do echo line$i >&2; done; echo out; exit 3";
        let finished = run(
            "sh",
            &["-c".into(), script.into()],
            &[],
            dir.path(),
            &Sink::File(log.clone()),
            None,
            None,
        )
        .unwrap();
        assert_eq!(finished.status.and_then(|s| s.code()), Some(3));
        assert!(!finished.timed_out);
        assert!(
            finished.stderr_tail.starts_with("line11\n"),
            "{}",
            finished.stderr_tail
        );
        assert!(finished.stderr_tail.ends_with("line30"));
        let text = std::fs::read_to_string(log).unwrap();
        assert!(text.contains("out\n") && text.contains("line1\n"), "{text}");
    }

    #[test]
    fn a_timeout_kills_the_process() {
        let dir = tempfile::tempdir().unwrap();
        let started = Instant::now();
        let finished = run(
            "sleep",
            &["30".into()],
            &[],
            dir.path(),
            &Sink::File(dir.path().join("log")),
            None,
            Some(Duration::from_millis(200)),
        )
        .unwrap();
        assert!(finished.timed_out);
        assert!(finished.status.is_none());
        assert!(started.elapsed() < Duration::from_secs(10));
    }

    #[test]
    fn a_missing_program_is_a_spawn_error() {
        let dir = tempfile::tempdir().unwrap();
        let err = run(
            "/nonexistent/runner",
            &[],
            &[],
            dir.path(),
            &Sink::Inherit,
            None,
            None,
        )
        .err()
        .unwrap();
        assert!(
            err.to_string()
                .starts_with("cannot start `/nonexistent/runner`"),
            "{err}"
        );
    }
}
