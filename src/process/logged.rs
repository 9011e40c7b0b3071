//! Starting a runner process with a deadline, sending its output where it
//! belongs, and keeping the tail of its stderr for error messages. The
//! runner gets a process group of its own ([`crate::process_group`]): a
//! timeout kills its workers too, and so does its exit, so nothing it left
//! behind can keep its output open and stall the shard.
//!
//! Both streams pass through pitcrew, line by line, made safe for a
//! terminal: a test's output is untrusted, and neither the terminal nor a
//! log someone reads in one may obey it (colours pass; cursor moves,
//! titles, links and the like are shown as escapes). A runner whose stdout
//! is piped prints no live progress and picks its colours as it does in CI.

use std::collections::VecDeque;
use std::fs::File;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use super::wait::{Waited, drain, lock, wait_then_stop};
use crate::process_group::{self, Group};

/// Lines of stderr kept for the error message of a failed shard, and for
/// what a failed build said (a compiler's errors run to dozens of lines),
/// and the most bytes they may hold.
const TAIL_LINES: usize = 100;
const TAIL_BYTES: usize = 32 * 1024;

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
    /// The CPU time the runner and the processes it waited for used
    /// (`None` where the platform does not say).
    pub cpu: Option<Duration>,
    /// How the runner's own process shared the cores.
    pub schedule: Option<crate::process_group::Schedule>,
}

#[derive(Debug, thiserror::Error)]
#[error("cannot start `{program}`: {error}")]
pub struct SpawnError {
    pub program: String,
    pub error: std::io::Error,
}

/// A runner's time limit, and how it is ended there.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Timeout {
    pub after: Duration,
    /// Asked to stop at the limit and given this long to write its report
    /// before it is killed; `None`: killed at once.
    pub grace: Option<Duration>,
}

/// Runs `program args` in `dir` with `env`, until it exits or `timeout`
/// passes (then it is ended as the timeout says). When `capture_stdout` is
/// given, stdout goes there instead of the sink (for runners whose stdout
/// is data).
pub fn run(
    program: &str,
    args: &[String],
    env: &[(String, String)],
    dir: &Path,
    sink: &Sink,
    capture_stdout: Option<&Path>,
    timeout: Option<Timeout>,
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
        .stdout(Stdio::piped())
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
    if let Some(path) = capture_stdout {
        command.stdout(File::create(path).map_err(spawn_error)?);
    }
    let mut group = process_group::spawn(&mut command).map_err(spawn_error)?;
    let stdout = group.child.stdout.take().map(|out| {
        let to = log.clone().map_or(To::Stdout, To::Log);
        thread::spawn(move || forward(out, &to, |_| {}))
    });
    let tail = forward_stderr(&mut group, log);
    let deadline = timeout.map(|t| Instant::now() + t.after);
    let grace = timeout.and_then(|t| t.grace);
    let (status, timed_out) = match wait_then_stop(&mut group, deadline, grace) {
        Waited::Exited(status) => (Some(status), false),
        Waited::TimedOut => (None, true),
        Waited::Failed(_) => (None, false),
    };
    if let Some(reader) = &stdout {
        drain(reader);
    }
    Ok(Finished {
        status,
        timed_out,
        stderr_tail: tail.finish(),
        cpu: group.cpu(),
        schedule: group.schedule(),
    })
}

/// The last lines of stderr, shared with the thread that reads them, so a
/// pipe held open by an escaped process cannot block us.
struct Tail {
    /// The lines, and how many bytes they hold.
    lines: Arc<Mutex<(VecDeque<String>, usize)>>,
    reader: thread::JoinHandle<()>,
}

impl Tail {
    fn finish(self) -> String {
        drain(&self.reader);
        let lines = lock(&self.lines);
        lines.0.iter().cloned().collect::<Vec<_>>().join("\n")
    }
}

/// Copies stderr to the sink line by line, keeping its last lines.
fn forward_stderr(group: &mut Group, log: Option<Arc<Mutex<File>>>) -> Tail {
    let stderr = group.child.stderr.take();
    let lines = Arc::new(Mutex::new((VecDeque::with_capacity(TAIL_LINES), 0)));
    let tail = Arc::clone(&lines);
    let reader = thread::spawn(move || {
        let Some(stderr) = stderr else {
            return;
        };
        let to = log.map_or(To::Stderr, To::Log);
        forward(stderr, &to, |text| {
            let mut tail = lock(&tail);
            let (lines, bytes) = &mut *tail;
            let text = text.trim_end().to_string();
            *bytes += text.len();
            lines.push_back(text);
            while lines.len() > TAIL_LINES || (*bytes > TAIL_BYTES && lines.len() > 1) {
                *bytes -= lines.pop_front().map_or(0, |l| l.len());
            }
        });
    });
    Tail { lines, reader }
}

/// Where a runner's stream is copied.
enum To {
    Stdout,
    Stderr,
    Log(Arc<Mutex<File>>),
}

/// Copies `stream` to `to` line by line until it ends, each line made safe
/// for a terminal ([`crate::escape::runner_output`]: a test's output is
/// untrusted, and a log is read in one too) and shown to `each` as read.
fn forward(stream: impl Read, to: &To, mut each: impl FnMut(&str)) {
    let write = |text: &str| {
        let _ = match to {
            To::Stdout => std::io::stdout().write_all(text.as_bytes()),
            To::Stderr => std::io::stderr().write_all(text.as_bytes()),
            To::Log(file) => lock(file).write_all(text.as_bytes()),
        };
    };
    let mut reader = BufReader::new(stream);
    let mut line = Vec::new();
    // The start of a character that a bounded read cut off.
    let mut cut = Vec::new();
    // Whether the last text written left its line open.
    let mut open = false;
    loop {
        line.clear();
        line.append(&mut cut);
        // Bounded read: a runner printing one endless line can't exhaust memory.
        let read = (&mut reader).take(64 * 1024).read_until(b'\n', &mut line);
        let ended = matches!(read, Ok(0) | Err(_));
        if !ended && !line.ends_with(b"\n") {
            let whole = line.len() - cut_character(&line);
            cut = line.split_off(whole);
        }
        if !line.is_empty() {
            let text = String::from_utf8_lossy(&line);
            let safe = crate::escape::runner_output(&text);
            write(&safe);
            open = !safe.ends_with('\n');
            each(&text);
        }
        if ended {
            // A last line the runner left open is closed, so the next line
            // pitcrew writes (`shard 1/2: …`) starts on a line of its own.
            if open {
                write("\n");
            }
            return;
        }
    }
}

/// How many bytes at the end of `bytes` are the start of a UTF-8
/// character whose other bytes have not been read yet.
fn cut_character(bytes: &[u8]) -> usize {
    for back in 1..=bytes.len().min(3) {
        let byte = bytes[bytes.len() - back];
        // A continuation byte: look further back for the lead.
        if byte & 0xc0 == 0x80 {
            continue;
        }
        let width = match byte {
            0xc0..=0xdf => 2,
            0xe0..=0xef => 3,
            0xf0..=0xf7 => 4,
            _ => 1,
        };
        return if width > back { back } else { 0 };
    }
    0
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `sh -c script` in `dir`, its output logged to `log`.
    fn sh_logged(dir: &Path, script: &str, log: &Path) -> Finished {
        let args = ["-c".to_owned(), script.to_owned()];
        let sink = Sink::File(log.to_path_buf());
        run("sh", &args, &[], dir, &sink, None, None).unwrap()
    }

    fn kill_after(millis: u64) -> Option<Timeout> {
        Some(Timeout {
            after: Duration::from_millis(millis),
            grace: None,
        })
    }

    #[test]
    fn keeps_the_stderr_tail_and_the_exit_code() {
        let dir = tempfile::tempdir().unwrap();
        let log = dir.path().join("log");
        let script = "for i in $(seq 1 130); do echo line$i >&2; done; echo out; exit 3";
        let finished = sh_logged(dir.path(), script, &log);
        assert_eq!(finished.status.and_then(|s| s.code()), Some(3));
        assert!(!finished.timed_out);
        assert!(
            finished.stderr_tail.starts_with("line31\n"),
            "{}",
            finished.stderr_tail
        );
        assert!(finished.stderr_tail.ends_with("line130"));
        let text = std::fs::read_to_string(log).unwrap();
        assert!(text.contains("out\n") && text.contains("line1\n"), "{text}");
    }

    /// A test's output reaches the log (and the terminal) with its colours,
    /// and with every other escape shown rather than obeyed.
    #[test]
    fn the_runners_output_is_made_safe_for_a_terminal_on_both_streams() {
        let dir = tempfile::tempdir().unwrap();
        let log = dir.path().join("log");
        let script = r"printf 'FAIL\n\033[1A\033[2KPASS\n\033[32mok\033[0m\n'; printf '\033]0;owned\007err\n' >&2";
        let finished = sh_logged(dir.path(), script, &log);
        let text = std::fs::read_to_string(log).unwrap();
        // The streams are copied side by side: lines, in any order.
        let mut lines: Vec<&str> = text.lines().collect();
        lines.sort_unstable();
        assert_eq!(
            lines,
            [
                "\u{1b}[32mok\u{1b}[0m",
                "FAIL",
                "\\u{1b}[1A\\u{1b}[2KPASS",
                "\\u{1b}]0;owned\\u{7}err",
            ]
        );
        // The tail keeps what the runner wrote; its readers escape it.
        assert_eq!(finished.stderr_tail, "\u{1b}]0;owned\u{7}err");
    }

    /// A line longer than one read, cut inside a character, is not mangled.
    #[test]
    fn a_character_cut_by_a_bounded_read_stays_whole() {
        let dir = tempfile::tempdir().unwrap();
        let log = dir.path().join("log");
        // 40,000 two-byte and three-byte characters on one line.
        let line = "é€".repeat(20_000);
        std::fs::write(dir.path().join("line"), format!("{line}\n")).unwrap();
        // One stream at a time: the two are copied side by side.
        for script in ["cat line", "cat line >&2"] {
            sh_logged(dir.path(), script, &log);
        }
        let text = std::fs::read_to_string(log).unwrap();
        assert_eq!(text, format!("{line}\n{line}\n"));
    }

    /// A runner that ends without a newline leaves none of its text on
    /// the line pitcrew writes next.
    #[test]
    fn a_last_line_left_open_is_closed() {
        let dir = tempfile::tempdir().unwrap();
        let log = dir.path().join("log");
        for script in ["printf 'no newline'", "printf 'no newline' >&2"] {
            sh_logged(dir.path(), script, &log);
        }
        let text = std::fs::read_to_string(log).unwrap();
        assert_eq!(text, "no newline\nno newline\n");
    }

    #[test]
    fn the_stderr_tail_is_bounded_in_bytes_too() {
        let dir = tempfile::tempdir().unwrap();
        // 50 lines of 2 KiB: 100 KiB, of which the last 32 KiB are kept.
        let script = "for i in $(seq 1 50); do printf \"%02048d\\n\" $i >&2; done";
        let finished = sh_logged(dir.path(), script, &dir.path().join("log"));
        let tail = &finished.stderr_tail;
        assert!(tail.len() <= TAIL_BYTES + TAIL_LINES, "{}", tail.len());
        assert!(tail.len() >= TAIL_BYTES - 2 * 2048, "{}", tail.len());
        assert!(tail.ends_with("50"), "the last line is kept");
    }

    #[cfg(unix)]
    #[test]
    fn says_what_the_runner_and_its_children_cost_in_cpu() {
        let dir = tempfile::tempdir().unwrap();
        // A child of the shell burns CPU; an idle sleep costs none.
        let busy = "sh -c 'i=0; while [ $i -lt 200000 ]; do i=$((i+1)); done'";
        let cost = |script: &str| sh_logged(dir.path(), script, &dir.path().join("log"));
        let started = Instant::now();
        let busy = cost(busy).cpu.expect("Unix says");
        let wall = started.elapsed();
        assert!(busy > Duration::from_millis(20), "{busy:?}");
        // CPU time is no more than the wall time: one process at a time.
        assert!(
            busy <= wall + Duration::from_millis(50),
            "{busy:?} in {wall:?}"
        );
        let sleeping = cost("sleep 0.5");
        let idle = sleeping.cpu.expect("Unix says");
        assert!(idle < Duration::from_millis(250), "{idle:?}");
        #[cfg(target_os = "linux")]
        {
            let schedule = sleeping.schedule.expect("Linux says");
            let share = schedule.share().expect("it ran");
            assert!(share > 0.0 && share <= 1.0, "{schedule:?}");
        }
        // Killed at the deadline: still reaped, still measured.
        let killed = run(
            "sh",
            &["-c".into(), "while :; do :; done".into()],
            &[],
            dir.path(),
            &Sink::File(dir.path().join("log")),
            None,
            kill_after(300),
        )
        .unwrap();
        assert!(killed.timed_out);
        assert!(killed.cpu.is_some());
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
            kill_after(200),
        )
        .unwrap();
        assert!(finished.timed_out);
        assert!(finished.status.is_none());
        assert!(started.elapsed() < Duration::from_secs(10));
    }

    #[test]
    fn a_timeout_kills_what_the_runner_started_and_its_exit_too() {
        let dir = tempfile::tempdir().unwrap();
        let started = Instant::now();
        // `sh` waits for `sleep`, which holds stderr: killing `sh` alone
        // would leave the shard waiting 30 s for the pipe to close.
        let finished = run(
            "sh",
            &["-c".into(), "sleep 30; true".into()],
            &[],
            dir.path(),
            &Sink::File(dir.path().join("log")),
            None,
            kill_after(200),
        )
        .unwrap();
        assert!(finished.timed_out);
        // A background process left behind by a runner that exited.
        let left_behind = sh_logged(
            dir.path(),
            "sleep 30 & echo done >&2",
            &dir.path().join("log"),
        );
        assert_eq!(left_behind.status.and_then(|s| s.code()), Some(0));
        assert_eq!(left_behind.stderr_tail, "done");
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "{:?}",
            started.elapsed()
        );
    }

    /// Asked to stop at the timeout, a runner that writes its report on
    /// SIGTERM does so and is still reported as timed out; one that
    /// ignores the request is killed when its grace runs out.
    #[cfg(unix)]
    #[test]
    fn a_runner_asked_to_stop_writes_its_report_and_one_that_ignores_it_is_killed() {
        let dir = tempfile::tempdir().unwrap();
        let stop = |script: &str| {
            run(
                "sh",
                &["-c".into(), script.into()],
                &[],
                dir.path(),
                &Sink::File(dir.path().join("log")),
                None,
                // Time for `sh` to set its trap first, on a loaded machine.
                Some(Timeout {
                    after: Duration::from_secs(2),
                    grace: Some(Duration::from_secs(1)),
                }),
            )
            .unwrap()
        };
        let polite = "trap 'echo written > report; exit 1' TERM; while :; do sleep 0.05; done";
        let finished = stop(polite);
        assert!(finished.timed_out);
        assert_eq!(
            std::fs::read_to_string(dir.path().join("report")).unwrap(),
            "written\n"
        );
        let started = Instant::now();
        let deaf = "trap '' TERM; while :; do sleep 0.05; done";
        let finished = stop(deaf);
        assert!(finished.timed_out);
        assert!(finished.status.is_none());
        let took = started.elapsed();
        assert!(
            took >= Duration::from_millis(3000) && took < Duration::from_secs(15),
            "{took:?}"
        );
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
