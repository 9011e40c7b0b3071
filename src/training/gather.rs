//! The facts `pitcrew worker-report` measures on a training node: the
//! hashes of the job files as found here, the OS, the Python and framework
//! versions, the memory, the free disk at the checkpoint directory and the
//! throughput measured by the calibration command (see "Worker reports" and
//! "The calibration command" in `docs/plan-spec.md`).
//!
//! Choices the format leaves open, made here:
//!
//! - **A missing job file is left out of `files`.** A report's `files`
//!   values must be SHA-256 digests, so there is no value meaning "absent";
//!   the consistency check then counts the missing hash against agreement.
//!   Any other failure to read a job file (permissions, a directory in its
//!   place) is an error: that node cannot train either.
//! - **The calibration command runs through `sh -c CMD`** (`cmd /C CMD`
//!   off Unix), so users can pass pipelines, `cd dir && …` or environment
//!   assignments. The exact string is logged before each run. It runs in
//!   the spec's directory, with stdin closed, in a process group of its
//!   own: a timeout kills the whole group (not only `sh`), and so does the
//!   end of each run, so nothing it started in the background keeps using
//!   the machine. The price: a Ctrl-C at the terminal reaches pitcrew but
//!   not the command, which keeps running (with its output closed) unless
//!   the caller forwards the signal.
//! - **Versions are best effort.** A missing Python or framework, a probe
//!   that fails, times out or prints something unusable is logged with
//!   `tracing::warn!` and the key is left out; `plan` then reports the
//!   difference between workers.
//! - **The timestamp is taken last**, when every fact has been measured,
//!   with whole-second precision (`YYYY-MM-DDTHH:MM:SSZ`).

use std::collections::BTreeMap;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus};
use std::time::{Duration, Instant};

use super::spec::{self, Framework, Spec, WorkerReport};
use crate::error::{ErrorKind, HasKind};
use crate::process::{self, describe_status};

/// How many times the calibration command runs (`docs/plan-spec.md`).
pub const DEFAULT_RUNS: u32 = 3;
/// The interpreter probed for `versions` unless told otherwise.
pub const DEFAULT_PYTHON: &str = "python3";
/// The limit for each version probe and for `sysctl`.
pub const PROBE_TIMEOUT: Duration = Duration::from_secs(10);
/// The key of the calibration output, `examples_per_second=<float>`.
const THROUGHPUT_KEY: &str = "examples_per_second";
/// What the calibration command must print, for error messages.
const EXPECTED: &str = "expected examples_per_second=<float>";
/// Bytes of a command's stdout kept: only its last line matters, and a
/// chatty training loop must not fill memory.
const STDOUT_TAIL_BYTES: usize = 64 * 1024;
/// Bytes of a command's stderr kept, for error messages.
const STDERR_TAIL_BYTES: usize = 8 * 1024;
/// Untrusted text quoted in a message is cut to this many characters.
const QUOTE_CHARS: usize = 200;

// ---------------------------------------------------------------- API

/// How to gather a report; the CLI's arguments.
#[derive(Clone, Debug)]
pub struct GatherOptions<'a> {
    /// This worker's name, as in the spec's `[[worker]]`.
    pub name: &'a str,
    /// The calibration command line, run with `sh -c` (see the module
    /// docs). Required: without it there is no throughput to report.
    pub calibrate: &'a str,
    /// How many times to run `calibrate` ([`DEFAULT_RUNS`]); the median is
    /// reported. At least 1.
    pub runs: u32,
    /// The limit for each calibration run; the command is killed after it.
    pub timeout: Duration,
    /// The Python interpreter whose versions are reported, a program name
    /// looked up in `PATH` or a path ([`DEFAULT_PYTHON`]). Run directly,
    /// not through a shell.
    pub python: &'a str,
}

/// What stopped [`gather`]. Displays as one line naming what failed, with
/// anything the node printed quoted and escaped.
#[derive(Debug, thiserror::Error)]
pub enum GatherError {
    /// The name would make a report that `plan` refuses.
    #[error(
        "name: {} must not be empty or contain control characters or direction overrides",
        quote(.0)
    )]
    InvalidName(String),
    /// `runs` was 0.
    #[error("calibration: the number of runs must be at least 1")]
    NoRuns,
    /// A job file exists but could not be hashed.
    #[error("files: cannot hash {} ({}): {error}", quote(.name), quote_path(.path))]
    Hash {
        /// The file's name as written in the spec.
        name: String,
        path: PathBuf,
        error: io::Error,
    },
    /// The total memory could not be determined.
    #[error("memory_bytes: {0}")]
    Memory(String),
    /// The free space at the checkpoint directory could not be determined.
    #[error("free_disk_bytes: cannot query the free space at {}: {error}", quote_path(.path))]
    Disk { path: PathBuf, error: io::Error },
    /// One run of the calibration command failed; `run` counts from 1.
    #[error("calibration run {run}/{runs}: {failure}")]
    Calibration {
        run: u32,
        runs: u32,
        failure: CalibrationFailure,
    },
}

impl HasKind for GatherError {
    fn kind(&self) -> ErrorKind {
        match self {
            // What the user gave: a name, a count, the spec's files, and
            // the calibration command (it failed or printed no number).
            GatherError::InvalidName(_)
            | GatherError::NoRuns
            | GatherError::Hash { .. }
            | GatherError::Calibration { .. } => ErrorKind::Input,
            // The system would not tell us.
            GatherError::Memory(_) | GatherError::Disk { .. } => ErrorKind::Internal,
        }
    }
}

/// Why one calibration run failed.
#[derive(Debug, thiserror::Error)]
pub enum CalibrationFailure {
    /// The shell could not be started.
    #[error("cannot start `{shell}`: {error}")]
    Spawn {
        shell: &'static str,
        error: io::Error,
    },
    /// The run outlived the timeout and was killed.
    #[error("timed out after {} s", .0.as_secs_f64())]
    TimedOut(Duration),
    /// The run exited unsuccessfully.
    #[error("{status}{}", stderr_suffix(.stderr_last_line))]
    Failed {
        /// `exited with code 3`, `was killed by signal 9`.
        status: String,
        /// The last non-empty line of its stderr, if any.
        stderr_last_line: Option<String>,
    },
    /// Waiting for the run failed.
    #[error("cannot wait for the command: {0}")]
    Wait(io::Error),
    /// The run succeeded but its output is not a throughput.
    #[error("{0}")]
    Output(#[from] OutputError),
}

/// What is wrong with a calibration run's standard output.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum OutputError {
    /// No non-empty line at all.
    #[error("printed nothing on stdout ({EXPECTED})")]
    Empty,
    /// The last line is neither `examples_per_second=<float>` nor a float.
    #[error("last line {} is not a number ({EXPECTED})", quote(.0))]
    NotANumber(String),
    /// A number, but zero, negative, infinite or NaN.
    #[error(
        "last line {}: {value} is not a positive, finite number of examples per second",
        quote(.line)
    )]
    NotPositive { line: String, value: f64 },
}

/// Measures this node's facts for `spec` and returns its report, ready to
/// be written as JSON. Takes as long as the calibration runs; everything
/// else is quick (version probes are limited to [`PROBE_TIMEOUT`] each).
pub fn gather(spec: &Spec, options: &GatherOptions) -> Result<WorkerReport, GatherError> {
    if !is_clean(options.name) {
        return Err(GatherError::InvalidName(options.name.to_string()));
    }
    let command = options.calibrate;
    if options.runs == 0 {
        return Err(GatherError::NoRuns);
    }
    let files = hash_job_files(spec)?;
    let memory_bytes = memory_bytes()?;
    let free_disk_bytes = free_disk_bytes(&spec.job.checkpoint_dir.resolved)?;
    let versions = versions(options.python, spec.job.framework, &spec.dir);
    let throughput = calibrate(command, options.runs, options.timeout, &spec.dir)?;
    Ok(WorkerReport {
        name: options.name.to_string(),
        timestamp: crate::time::now_rfc3339_utc(),
        throughput,
        memory_bytes,
        free_disk_bytes,
        os: std::env::consts::OS.to_string(),
        versions,
        files,
    })
}

// ---------------------------------------------------------------- files

/// SHA-256 of every job file present on this node, by its name in the
/// spec; missing ones are left out (see the module docs).
fn hash_job_files(spec: &Spec) -> Result<BTreeMap<String, String>, GatherError> {
    let mut files = BTreeMap::new();
    for (name, path) in spec::job_files(spec) {
        match hash_file(&path) {
            Ok(Some(hash)) => {
                files.insert(name, hash);
            }
            Ok(None) => {
                tracing::warn!(
                    "job file {} is missing on this node ({}): left out of the report's files",
                    quote(&name),
                    quote_path(&path)
                );
            }
            Err(error) => return Err(GatherError::Hash { name, path, error }),
        }
    }
    Ok(files)
}

/// The lowercase hex SHA-256 of the file at `path`; `None` if it does not
/// exist. Anything but a regular file is an error (opening a FIFO would
/// block).
fn hash_file(path: &Path) -> io::Result<Option<String>> {
    match crate::hash::sha256_file(path) {
        Ok(hash) => Ok(Some(hash)),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e),
    }
}

// ---------------------------------------------------------------- versions

/// `python` and the spec's framework (`mlx`, `torch`, `jax`; nothing for
/// `other`), as this node's interpreter reports them. Best effort: see the
/// module docs.
fn versions(python: &str, framework: Framework, dir: &Path) -> BTreeMap<String, String> {
    const PYTHON_VERSION: &str = r#"import sys; print("%d.%d.%d" % sys.version_info[:3])"#;
    let mut versions = BTreeMap::new();
    match probe(python, PYTHON_VERSION, dir) {
        Ok(version) => {
            versions.insert("python".to_string(), version);
        }
        Err(problem) => {
            tracing::warn!("versions.python left out: {} {problem}", quote(python));
            // Without Python there is no framework version to ask for.
            return versions;
        }
    }
    let code = match framework {
        Framework::Mlx => "import mlx.core as mx; print(mx.__version__)",
        Framework::Torch => "import torch; print(torch.__version__)",
        Framework::Jax => "import jax; print(jax.__version__)",
        Framework::Other => return versions,
    };
    match probe(python, code, dir) {
        Ok(version) => {
            versions.insert(framework.as_str().to_string(), version);
        }
        Err(problem) => tracing::warn!("versions.{framework} left out: {problem}"),
    }
    versions
}

/// Why a version probe gave no version; a phrase for a warning.
#[derive(Debug, thiserror::Error)]
enum ProbeError {
    #[error("cannot be started: {0}")]
    Spawn(io::Error),
    #[error("cannot be waited for: {0}")]
    Wait(io::Error),
    #[error("did not answer within {} s", PROBE_TIMEOUT.as_secs_f64())]
    TimedOut,
    #[error("{status}{}", stderr_suffix(.stderr_last_line))]
    Failed {
        status: String,
        stderr_last_line: Option<String>,
    },
    #[error("printed an unusable version {}", quote(.0))]
    Unusable(String),
    #[error("printed no version")]
    Nothing,
}

/// Runs `python -c code` in `dir` and returns the last line it printed.
fn probe(python: &str, code: &str, dir: &Path) -> Result<String, ProbeError> {
    let mut command = Command::new(python);
    command.arg("-c").arg(code).current_dir(dir);
    let finished = run(command, PROBE_TIMEOUT).map_err(|e| match e {
        RunError::Spawn(e) => ProbeError::Spawn(e),
        RunError::Wait(e) => ProbeError::Wait(e),
        RunError::TimedOut => ProbeError::TimedOut,
    })?;
    if !finished.status.success() {
        return Err(ProbeError::Failed {
            status: describe_status(finished.status),
            stderr_last_line: last_line(&finished.stderr).map(str::to_string),
        });
    }
    match last_line(&finished.stdout) {
        Some(line) if is_clean(line) && line.chars().count() <= QUOTE_CHARS => Ok(line.to_string()),
        Some(line) => Err(ProbeError::Unusable(line.to_string())),
        None => Err(ProbeError::Nothing),
    }
}

// ---------------------------------------------------------------- memory and disk

/// The node's total memory: `MemTotal` of `/proc/meminfo` on Linux,
/// `sysctl -n hw.memsize` on macOS.
fn memory_bytes() -> Result<u64, GatherError> {
    match std::env::consts::OS {
        "linux" => {
            let text = fs::read_to_string("/proc/meminfo")
                .map_err(|e| GatherError::Memory(format!("cannot read /proc/meminfo: {e}")))?;
            parse_meminfo(&text).ok_or_else(|| {
                GatherError::Memory("/proc/meminfo has no usable MemTotal line".to_string())
            })
        }
        "macos" => {
            let mut command = Command::new("sysctl");
            command.args(["-n", "hw.memsize"]);
            let finished = run(command, PROBE_TIMEOUT).map_err(|e| {
                GatherError::Memory(format!("`sysctl -n hw.memsize` {}", e.describe()))
            })?;
            let text = finished.stdout.trim();
            match text.parse::<u64>() {
                Ok(bytes) if finished.status.success() && bytes > 0 => Ok(bytes),
                _ => Err(GatherError::Memory(format!(
                    "`sysctl -n hw.memsize` {}, printing {}",
                    describe_status(finished.status),
                    quote(text)
                ))),
            }
        }
        os => Err(GatherError::Memory(format!(
            "cannot measure the memory on {os} (Linux and macOS only)"
        ))),
    }
}

/// Bytes of the `MemTotal:   16318412 kB` line of `/proc/meminfo`.
fn parse_meminfo(text: &str) -> Option<u64> {
    let value = text
        .lines()
        .find_map(|line| line.strip_prefix("MemTotal:"))?;
    let mut words = value.split_whitespace();
    let kib: u64 = words.next()?.parse().ok()?;
    let unit_ok = words.next() == Some("kB") && words.next().is_none();
    (unit_ok && kib > 0)
        .then(|| kib.checked_mul(1024))
        .flatten()
}

/// Bytes available to this user where the checkpoints go: at `dir` or,
/// when it does not exist yet, its nearest existing ancestor.
pub fn free_disk_bytes(dir: &Path) -> Result<u64, GatherError> {
    let existing = dir
        .ancestors()
        .find(|a| fs::metadata(a).is_ok())
        .unwrap_or(dir);
    available_space(existing).map_err(|error| GatherError::Disk {
        path: existing.to_path_buf(),
        error,
    })
}

/// `f_bavail × f_frsize` from `statvfs`: the space an unprivileged user
/// can fill (not `f_bfree`, which includes the root reserve). rustix's
/// safe `statvfs`, which is what `fs4::available_space` calls on Unix.
#[cfg(unix)]
fn available_space(path: &Path) -> io::Result<u64> {
    let stat = rustix::fs::statvfs(path)?;
    Ok(stat.f_bavail.saturating_mul(stat.f_frsize))
}

#[cfg(not(unix))]
fn available_space(_path: &Path) -> io::Result<u64> {
    Err(io::Error::new(
        io::ErrorKind::Unsupported,
        format!(
            "not supported on {} (Linux and macOS only)",
            std::env::consts::OS
        ),
    ))
}

// ---------------------------------------------------------------- calibration

/// The shell that runs the calibration command, and its flag.
#[cfg(unix)]
const SHELL: (&str, &str) = ("sh", "-c");
#[cfg(not(unix))]
const SHELL: (&str, &str) = ("cmd", "/C");

/// Runs `command` `runs` times in `dir` and returns the median throughput.
fn calibrate(command: &str, runs: u32, timeout: Duration, dir: &Path) -> Result<f64, GatherError> {
    let mut values = Vec::with_capacity(runs as usize);
    for run in 1..=runs {
        tracing::info!(
            "calibration run {run}/{runs}: {} {} {}",
            SHELL.0,
            SHELL.1,
            quote_full(command)
        );
        let started = Instant::now();
        let value = calibration_run(command, timeout, dir)
            .map_err(|failure| GatherError::Calibration { run, runs, failure })?;
        tracing::info!(
            "calibration run {run}/{runs}: {value} examples/s ({:.1} s)",
            started.elapsed().as_secs_f64()
        );
        values.push(value);
    }
    median(&mut values).ok_or(GatherError::NoRuns)
}

/// One run of the calibration command: its throughput.
fn calibration_run(
    command: &str,
    timeout: Duration,
    dir: &Path,
) -> Result<f64, CalibrationFailure> {
    let mut shell = Command::new(SHELL.0);
    shell.arg(SHELL.1).arg(command).current_dir(dir);
    let finished = run(shell, timeout).map_err(|e| match e {
        RunError::Spawn(error) => CalibrationFailure::Spawn {
            shell: SHELL.0,
            error,
        },
        RunError::TimedOut => CalibrationFailure::TimedOut(timeout),
        RunError::Wait(error) => CalibrationFailure::Wait(error),
    })?;
    if !finished.status.success() {
        return Err(CalibrationFailure::Failed {
            status: describe_status(finished.status),
            stderr_last_line: last_line(&finished.stderr).map(str::to_string),
        });
    }
    Ok(parse_calibration(&finished.stdout)?)
}

/// The throughput in a calibration run's stdout: its last non-empty line,
/// `examples_per_second=<float>` or a bare float, positive and finite.
fn parse_calibration(stdout: &str) -> Result<f64, OutputError> {
    let line = last_line(stdout).ok_or(OutputError::Empty)?;
    let number = match line.split_once('=') {
        Some((key, value)) if key.trim() == THROUGHPUT_KEY => value.trim(),
        _ => line,
    };
    let value: f64 = number
        .parse()
        .map_err(|_| OutputError::NotANumber(line.to_string()))?;
    if value.is_finite() && value > 0.0 {
        Ok(value)
    } else {
        Err(OutputError::NotPositive {
            line: line.to_string(),
            value,
        })
    }
}

/// The median: the middle value, or the mean of the two middle ones.
/// Sorts `values`; `None` when empty.
fn median(values: &mut [f64]) -> Option<f64> {
    values.sort_by(f64::total_cmp);
    let mid = values.len() / 2;
    match values.len() {
        0 => None,
        n if n % 2 == 1 => Some(values[mid]),
        _ => Some(values[mid - 1] / 2.0 + values[mid] / 2.0),
    }
}

// ---------------------------------------------------------------- processes

/// A command that ran to completion, with the tails of its output.
struct Finished {
    status: ExitStatus,
    stdout: String,
    stderr: String,
}

/// Why a command did not run to completion.
#[derive(Debug)]
enum RunError {
    Spawn(io::Error),
    TimedOut,
    Wait(io::Error),
}

impl RunError {
    /// As a phrase after the command's name.
    fn describe(&self) -> String {
        match self {
            RunError::Spawn(e) => format!("cannot be started: {e}"),
            RunError::TimedOut => format!("timed out after {} s", PROBE_TIMEOUT.as_secs_f64()),
            RunError::Wait(e) => format!("cannot be waited for: {e}"),
        }
    }
}

/// Runs `command` ([`process::run`]: stdin closed, its own process group,
/// killed at the deadline and once it exited) with this module's output
/// tails; here a command that outlives `timeout` did not answer.
fn run(command: Command, timeout: Duration) -> Result<Finished, RunError> {
    let tails = process::Tails {
        stdout: STDOUT_TAIL_BYTES,
        stderr: STDERR_TAIL_BYTES,
    };
    let finished = process::run(command, timeout, tails).map_err(|e| match e {
        process::RunError::Spawn(e) => RunError::Spawn(e),
        process::RunError::Wait(e) => RunError::Wait(e),
    })?;
    Ok(Finished {
        status: finished.status.ok_or(RunError::TimedOut)?,
        stdout: finished.stdout,
        stderr: finished.stderr,
    })
}

// ---------------------------------------------------------------- text

/// The last line of `text` that is not blank, trimmed.
fn last_line(text: &str) -> Option<&str> {
    text.lines().map(str::trim).rfind(|line| !line.is_empty())
}

/// ` (stderr: "…")` for a message, or nothing.
fn stderr_suffix(line: &Option<String>) -> String {
    line.as_deref()
        .map(|line| format!(" (stderr: {})", quote(line)))
        .unwrap_or_default()
}

/// Untrusted text in a message: quoted, escaped (control characters and
/// direction overrides included, so it stays on one line and cannot drive
/// the terminal) and cut to [`QUOTE_CHARS`] characters.
fn quote(text: &str) -> String {
    match text.char_indices().nth(QUOTE_CHARS) {
        Some((end, _)) => format!("{:?}…", &text[..end]),
        None => format!("{text:?}"),
    }
}

/// Like [`quote`], never cut: the command line is logged exactly.
fn quote_full(text: &str) -> String {
    format!("{text:?}")
}

fn quote_path(path: &Path) -> String {
    quote(&path.to_string_lossy())
}

/// What a report's `name`, `os` and `versions` must be for `plan` to read
/// it: not empty, and nothing `spec.rs` refuses in a name.
fn is_clean(text: &str) -> bool {
    !text.is_empty() && !text.chars().any(super::spec::is_unsafe_char)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// SHA-256 of `abc` and of nothing (FIPS 180-2 test vectors).
    const ABC_SHA: &str = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
    const EMPTY_SHA: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    fn options(calibrate: &str) -> GatherOptions<'_> {
        GatherOptions {
            name: "studio-1",
            calibrate,
            runs: DEFAULT_RUNS,
            timeout: Duration::from_secs(30),
            python: DEFAULT_PYTHON,
        }
    }

    /// A spec directory with `train.py` (`abc`) and an empty `model.py`;
    /// `checkpoints/` does not exist yet.
    fn spec_dir(framework: &str) -> (tempfile::TempDir, Spec) {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("train.py"), "abc").unwrap();
        fs::write(dir.path().join("model.py"), "").unwrap();
        let text = format!(
            r#"
[job]
script = "train.py"
extra_files = ["model.py"]
dataset_examples = 1000
batch_size = 8
epochs = 1
checkpoint_dir = "checkpoints/run-1"
framework = "{framework}"

[[worker]]
name = "studio-1"
throughput = 1.0
memory_bytes = 1
free_disk_bytes = 0
os = "linux"
"#
        );
        let spec = spec::parse(&text, dir.path(), "spec.toml").unwrap();
        (dir, spec)
    }

    /// One line, no escape sequences: safe for a terminal or a log.
    fn assert_one_line(message: &str) {
        assert!(
            !message.chars().any(|c| c.is_control()),
            "not one clean line: {message:?}"
        );
    }

    // ------------------------------------------------------------ files

    #[test]
    fn hashes_real_files_and_skips_missing_ones() {
        let dir = tempfile::tempdir().unwrap();
        let abc = dir.path().join("abc");
        let empty = dir.path().join("empty");
        fs::write(&abc, "abc").unwrap();
        fs::write(&empty, "").unwrap();
        assert_eq!(hash_file(&abc).unwrap().as_deref(), Some(ABC_SHA));
        assert_eq!(hash_file(&empty).unwrap().as_deref(), Some(EMPTY_SHA));
        assert_eq!(hash_file(&dir.path().join("missing")).unwrap(), None);
        // Bigger than the read buffer: the hash covers every chunk.
        let big = dir.path().join("big");
        let content = vec![b'x'; 200_000];
        fs::write(&big, &content).unwrap();
        assert_eq!(
            hash_file(&big).unwrap().unwrap(),
            crate::hash::sha256_hex(&content)
        );
        let err = hash_file(dir.path()).unwrap_err();
        assert!(err.to_string().contains("not a regular file"), "{err}");
    }

    #[cfg(unix)]
    #[test]
    fn a_fifo_is_refused_without_blocking() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("fifo");
        let made = Command::new("mkfifo").arg(&fifo).status().unwrap();
        assert!(made.success());
        assert!(hash_file(&fifo).is_err());
    }

    #[test]
    fn an_unreadable_job_file_names_the_file() {
        let (dir, spec) = spec_dir("other");
        fs::remove_file(dir.path().join("model.py")).unwrap();
        fs::create_dir(dir.path().join("model.py")).unwrap();
        let err = hash_job_files(&spec).unwrap_err().to_string();
        assert!(
            err.starts_with(r#"files: cannot hash "model.py" ("#)
                && err.ends_with("): not a regular file"),
            "{err}"
        );
    }

    // ------------------------------------------------------------ calibration output

    #[test]
    fn parses_both_output_forms() {
        assert_eq!(parse_calibration("examples_per_second=12.5"), Ok(12.5));
        assert_eq!(
            parse_calibration("loading data...\nexamples_per_second=0.87\n\n  \n"),
            Ok(0.87)
        );
        assert_eq!(parse_calibration("examples_per_second = 3 "), Ok(3.0));
        assert_eq!(parse_calibration("3"), Ok(3.0));
        assert_eq!(parse_calibration("warming up\r\n  4.5  \r\n"), Ok(4.5));
        assert_eq!(parse_calibration("1e3\n"), Ok(1000.0));
        // Only the last line counts.
        assert_eq!(
            parse_calibration("examples_per_second=1\nexamples_per_second=2"),
            Ok(2.0)
        );
    }

    #[test]
    fn refuses_garbage_empty_and_non_positive_output() {
        let not_a_number = |line: &str| Err(OutputError::NotANumber(line.to_string()));
        assert_eq!(parse_calibration("abc"), not_a_number("abc"));
        assert_eq!(
            parse_calibration("examples_per_second=1\ndone"),
            not_a_number("done")
        );
        assert_eq!(
            parse_calibration("examples_per_second=fast"),
            not_a_number("examples_per_second=fast")
        );
        assert_eq!(
            parse_calibration("throughput=3"),
            not_a_number("throughput=3")
        );
        assert_eq!(
            parse_calibration("examples_per_second="),
            not_a_number("examples_per_second=")
        );
        assert_eq!(parse_calibration("1,5"), not_a_number("1,5"));
        assert_eq!(parse_calibration(""), Err(OutputError::Empty));
        assert_eq!(parse_calibration(" \n\t\n"), Err(OutputError::Empty));
        for line in [
            "examples_per_second=-1",
            "-0.5",
            "0",
            "examples_per_second=0.0",
            "NaN",
            "examples_per_second=nan",
            "inf",
            "-inf",
            "1e400",
        ] {
            assert!(
                matches!(parse_calibration(line), Err(OutputError::NotPositive { line: l, .. }) if l == line),
                "{line}: {:?}",
                parse_calibration(line)
            );
        }
    }

    #[test]
    fn output_errors_read_as_documented() {
        assert_eq!(
            OutputError::NotANumber("abc".into()).to_string(),
            r#"last line "abc" is not a number (expected examples_per_second=<float>)"#
        );
        assert_eq!(
            parse_calibration("examples_per_second=-1")
                .unwrap_err()
                .to_string(),
            r#"last line "examples_per_second=-1": -1 is not a positive, finite number of examples per second"#
        );
        assert_eq!(
            OutputError::Empty.to_string(),
            "printed nothing on stdout (expected examples_per_second=<float>)"
        );
        // Whatever the command printed stays on one line, escaped and cut.
        let hostile = format!("\u{1b}[2J\u{202e}{}", "x".repeat(1000));
        let message = OutputError::NotANumber(hostile).to_string();
        assert_one_line(&message);
        assert!(message.contains(r"\u{1b}[2J\u{202e}xxx"), "{message}");
        assert!(message.len() < 400, "{message}");
    }

    #[test]
    fn median_of_odd_and_even_runs() {
        assert_eq!(median(&mut [3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median(&mut [1.0, 100.0, 1.2]), Some(1.2));
        assert_eq!(median(&mut [4.0, 1.0, 3.0, 2.0]), Some(2.5));
        assert_eq!(median(&mut [5.0]), Some(5.0));
        assert_eq!(median(&mut [f64::MAX, f64::MAX]), Some(f64::MAX));
        assert_eq!(median(&mut []), None);
    }

    // ------------------------------------------------------------ calibration runs

    #[test]
    fn a_real_calibration_run() {
        let dir = tempfile::tempdir().unwrap();
        let value = calibrate(
            "echo loading; echo examples_per_second=12.5",
            3,
            Duration::from_secs(30),
            dir.path(),
        )
        .unwrap();
        assert_eq!(value, 12.5);
    }

    /// Each run prints its own number (1, 2, 3, …), counted in a file in
    /// the spec's directory, which is also where the command runs.
    #[test]
    fn reports_the_median_of_the_runs_run_in_the_spec_directory() {
        let counter = "n=$(cat count 2>/dev/null || echo 0); n=$((n + 1)); \
                       echo $n > count; echo examples_per_second=$n";
        let dir = tempfile::tempdir().unwrap();
        let odd = calibrate(counter, 3, Duration::from_secs(30), dir.path()).unwrap();
        assert_eq!(odd, 2.0);
        let dir = tempfile::tempdir().unwrap();
        let even = calibrate(counter, 4, Duration::from_secs(30), dir.path()).unwrap();
        assert_eq!(even, 2.5);
        assert_eq!(fs::read_to_string(dir.path().join("count")).unwrap(), "4\n");
    }

    #[test]
    fn a_run_that_outlives_the_timeout_is_killed_and_named() {
        let dir = tempfile::tempdir().unwrap();
        let started = Instant::now();
        let err = calibrate("sleep 5", 3, Duration::from_millis(200), dir.path()).unwrap_err();
        assert_eq!(
            err.to_string(),
            "calibration run 1/3: timed out after 0.2 s"
        );
        assert!(
            started.elapsed() < Duration::from_secs(3),
            "{:?}",
            started.elapsed()
        );
    }

    /// The whole process group is killed, not only `sh`: what the
    /// pipeline started does not go on running (and writing) afterwards.
    #[cfg(unix)]
    #[test]
    fn a_timeout_kills_the_whole_pipeline() {
        let dir = tempfile::tempdir().unwrap();
        let err = calibrate(
            // Late enough that a kill delayed by a loaded machine is still
            // before it.
            "(sleep 3 && touch late) | cat; echo examples_per_second=1",
            1,
            Duration::from_millis(200),
            dir.path(),
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "calibration run 1/1: timed out after 0.2 s"
        );
        std::thread::sleep(Duration::from_millis(3_500));
        assert!(
            !dir.path().join("late").exists(),
            "the pipeline outlived the kill"
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_background_process_does_not_hold_the_run_open() {
        let dir = tempfile::tempdir().unwrap();
        let started = Instant::now();
        let value = calibrate(
            "sleep 5 & echo examples_per_second=7",
            1,
            Duration::from_secs(30),
            dir.path(),
        )
        .unwrap();
        assert_eq!(value, 7.0);
        assert!(
            started.elapsed() < Duration::from_secs(2),
            "{:?}",
            started.elapsed()
        );
    }

    #[test]
    fn a_failing_run_is_named_with_its_status_and_stderr() {
        let dir = tempfile::tempdir().unwrap();
        let err = calibrate(
            "echo examples_per_second=1; echo first >&2; echo 'out of memory' >&2; exit 3",
            3,
            Duration::from_secs(30),
            dir.path(),
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            r#"calibration run 1/3: exited with code 3 (stderr: "out of memory")"#
        );
    }

    #[test]
    fn the_second_run_failing_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let script = "if [ -e ran ]; then echo abc; else touch ran; echo 5; fi";
        let err = calibrate(script, 3, Duration::from_secs(30), dir.path()).unwrap_err();
        assert_eq!(
            err.to_string(),
            r#"calibration run 2/3: last line "abc" is not a number (expected examples_per_second=<float>)"#
        );
        assert!(matches!(
            err,
            GatherError::Calibration {
                run: 2,
                runs: 3,
                failure: CalibrationFailure::Output(OutputError::NotANumber(_))
            }
        ));
    }

    #[test]
    fn a_silent_run_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let err = calibrate("true", 3, Duration::from_secs(30), dir.path()).unwrap_err();
        assert_eq!(
            err.to_string(),
            "calibration run 1/3: printed nothing on stdout (expected examples_per_second=<float>)"
        );
    }

    #[test]
    fn only_the_tail_of_a_chatty_run_is_kept() {
        let dir = tempfile::tempdir().unwrap();
        // ~1 MB of log lines, then the result.
        let value = calibrate(
            "i=0; while [ $i -lt 20000 ]; do echo 'step ................................. ok'; \
             i=$((i + 1)); done; echo examples_per_second=3.25",
            1,
            Duration::from_secs(60),
            dir.path(),
        )
        .unwrap();
        assert_eq!(value, 3.25);
    }

    // ------------------------------------------------------------ versions

    #[test]
    fn python_version_and_a_missing_framework() {
        let dir = tempfile::tempdir().unwrap();
        let versions = versions(DEFAULT_PYTHON, Framework::Mlx, dir.path());
        let python = versions.get("python").expect("python3 is installed here");
        let parts: Vec<&str> = python.split('.').collect();
        assert_eq!(parts.len(), 3, "{python}");
        assert!(parts.iter().all(|p| p.parse::<u32>().is_ok()), "{python}");
        // mlx is not installed on this machine: omitted, not an error.
        assert!(!versions.contains_key("mlx"), "{versions:?}");
        assert_eq!(versions.len(), 1);
    }

    #[test]
    fn a_failing_probe_says_why() {
        let dir = tempfile::tempdir().unwrap();
        let why = probe(
            DEFAULT_PYTHON,
            "import no_such_module_for_pitcrew",
            dir.path(),
        )
        .unwrap_err()
        .to_string();
        assert!(
            why.starts_with("exited with code 1 (stderr: \"ModuleNotFoundError"),
            "{why}"
        );
        let why = probe(DEFAULT_PYTHON, "print('a\\x1bb')", dir.path())
            .unwrap_err()
            .to_string();
        assert_eq!(why, r#"printed an unusable version "a\u{1b}b""#);
        let why = probe(DEFAULT_PYTHON, "pass", dir.path())
            .unwrap_err()
            .to_string();
        assert_eq!(why, "printed no version");
    }

    #[test]
    fn no_python_means_no_versions() {
        let dir = tempfile::tempdir().unwrap();
        let versions = versions("/nonexistent/python3", Framework::Torch, dir.path());
        assert!(versions.is_empty(), "{versions:?}");
    }

    // ------------------------------------------------------------ memory and disk

    #[test]
    fn parses_meminfo() {
        let sample = "MemTotal:       16318412 kB\n\
                      MemFree:         1203448 kB\n\
                      MemAvailable:    9871234 kB\n";
        assert_eq!(parse_meminfo(sample), Some(16_318_412 * 1024));
        let later = "MemFree:  1 kB\nMemTotal:\t2048 kB\n";
        assert_eq!(parse_meminfo(later), Some(2048 * 1024));
        assert_eq!(parse_meminfo("MemFree: 1 kB\n"), None);
        assert_eq!(parse_meminfo("MemTotal: 0 kB\n"), None);
        assert_eq!(parse_meminfo("MemTotal: 12 MB\n"), None);
        assert_eq!(parse_meminfo("MemTotal: 12\n"), None);
        assert_eq!(parse_meminfo("MemTotal: -12 kB\n"), None);
        assert_eq!(parse_meminfo("MemTotal: lots kB\n"), None);
        assert_eq!(parse_meminfo(&format!("MemTotal: {} kB\n", u64::MAX)), None);
        assert_eq!(parse_meminfo(""), None);
    }

    #[cfg(any(target_os = "linux", target_os = "macos"))]
    #[test]
    fn measures_this_machine() {
        assert!(memory_bytes().unwrap() > 1 << 20);
        let dir = tempfile::tempdir().unwrap();
        let not_yet = dir.path().join("checkpoints/run-1");
        // The nearest existing ancestor is measured: no error, and the
        // same file system as the temp dir itself (give or take writes).
        let at_ancestor = free_disk_bytes(&not_yet).unwrap();
        let at_dir = free_disk_bytes(dir.path()).unwrap();
        assert!(
            at_ancestor.abs_diff(at_dir) < 1 << 30,
            "{at_ancestor} {at_dir}"
        );
        let err = free_disk_bytes(Path::new("relative/nowhere")).unwrap_err();
        assert!(
            err.to_string().starts_with("free_disk_bytes: cannot query"),
            "{err}"
        );
    }

    // ------------------------------------------------------------ gather

    #[test]
    fn gathers_a_whole_report_that_plan_accepts() {
        let (dir, spec) = spec_dir("mlx");
        let report = gather(
            &spec,
            &options("echo warming up; echo examples_per_second=12.5"),
        )
        .unwrap();
        assert_eq!(report.name, "studio-1");
        assert_eq!(report.throughput, 12.5);
        assert_eq!(report.os, std::env::consts::OS);
        assert!(report.memory_bytes > 0);
        let files: Vec<(&str, &str)> = report
            .files
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        assert_eq!(files, [("model.py", EMPTY_SHA), ("train.py", ABC_SHA)]);
        assert!(report.versions.contains_key("python"), "{report:?}");
        assert!(!report.versions.contains_key("mlx"), "{report:?}");
        assert!(crate::time::parse_rfc3339_utc(&report.timestamp).is_some());
        // Written and read back the way `plan` reads it: valid, unchanged.
        let path = dir.path().join("studio-1.json");
        fs::write(&path, crate::json::to_string_pretty(&report).unwrap()).unwrap();
        assert_eq!(spec::read_report(&path, "studio-1.json").unwrap(), report);
    }

    #[test]
    fn a_job_file_missing_on_this_node_is_left_out() {
        let (dir, spec) = spec_dir("other");
        fs::remove_file(dir.path().join("model.py")).unwrap();
        let report = gather(&spec, &options("echo 2")).unwrap();
        assert_eq!(report.files.keys().collect::<Vec<_>>(), ["train.py"]);
        assert_eq!(report.throughput, 2.0);
        // `other` has no framework version to ask for.
        assert_eq!(report.versions.keys().collect::<Vec<_>>(), ["python"]);
    }

    #[test]
    fn gather_refuses_what_it_cannot_report() {
        let (_dir, spec) = spec_dir("torch");
        let mut bad_name = options("echo 1");
        bad_name.name = "studio\n1";
        let err = gather(&spec, &bad_name).unwrap_err().to_string();
        assert_one_line(&err);
        assert!(
            err.starts_with(r#"name: "studio\n1" must not be empty"#),
            "{err}"
        );
        bad_name.name = "";
        assert!(matches!(
            gather(&spec, &bad_name),
            Err(GatherError::InvalidName(_))
        ));
        let mut no_runs = options("echo 1");
        no_runs.runs = 0;
        assert_eq!(
            gather(&spec, &no_runs).unwrap_err().to_string(),
            "calibration: the number of runs must be at least 1"
        );
    }

    #[test]
    fn a_missing_python_is_not_an_error() {
        let (_dir, spec) = spec_dir("jax");
        let mut opts = options("echo 1.5");
        opts.python = "/nonexistent/python3";
        let report = gather(&spec, &opts).unwrap();
        assert!(report.versions.is_empty(), "{report:?}");
        assert_eq!(report.throughput, 1.5);
    }

    #[test]
    fn clean_text_follows_the_report_rules() {
        assert!(is_clean("studio-1"));
        assert!(is_clean("3.11.7"));
        assert!(!is_clean(""));
        assert!(!is_clean("a\tb"));
        assert!(!is_clean("a\u{1b}[31m"));
        assert!(!is_clean("a\u{85}"));
        assert!(!is_clean("abc\u{202e}cba"));
        assert!(!is_clean("\u{2066}x"));
    }
}
