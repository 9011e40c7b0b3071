//! The training spec `plan` reads: a TOML file describing the job, the
//! optional sync step, the consistency policy and the workers, each
//! worker's facts given inline or in a JSON report written on that worker
//! by `pitcrew worker-report`.
//!
//! Everything is validated before `plan` computes anything, because a
//! wrong number here becomes a wrong schedule on every machine. Errors are
//! one line naming the file and the field (see [`SpecError`]), and every
//! path the spec names is confined to the spec's own directory: the host
//! hashes, copies and runs these files, so a spec must not be able to point
//! it at `/etc/passwd` or, through a symlink, at anything else outside.
//! The format is documented in `docs/plan-spec.md` and described by
//! `schemas/plan-spec.schema.json`.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::fs;
use std::io::{self, Read};
use std::path::{Component, Path, PathBuf};

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Default for `consistency.threshold`.
pub const DEFAULT_THRESHOLD: f64 = 0.95;
/// Default for `sync.timeout_s`.
pub const DEFAULT_SYNC_TIMEOUT_S: u64 = 300;
/// A spec is a few dozen lines; anything this large is a wrong path, and
/// reading it whole would only waste memory.
const MAX_SPEC_BYTES: u64 = 4 << 20;
/// A worker report is a few hundred bytes.
const MAX_REPORT_BYTES: u64 = 1 << 20;
/// The keys that make a `[[worker]]` an inline one.
const INLINE_KEYS: &str = "throughput, memory_bytes, free_disk_bytes, os, versions, files";

// ---------------------------------------------------------------- errors

/// What kind of problem a [`SpecError`] is. All of them are the user's
/// input (exit code 2); the kind lets callers and tests tell them apart.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    /// The file could not be read.
    Io,
    /// TOML or JSON syntax, a wrong type, an unknown or missing key.
    Syntax,
    /// A value out of range, or values inconsistent with each other.
    Invalid,
    /// A path that is absolute, contains `..`, resolves outside the spec's
    /// directory, is missing, or is the wrong kind of file.
    Path,
}

/// A problem in the spec or in a worker report. Displays as one line,
/// `{file}: {field}: {message}`, with control characters escaped, so it can
/// go straight to a terminal or a log.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub struct SpecError {
    /// The file as the user knows it (the spec, or a report).
    pub file: String,
    /// `job.batch_size`, `worker[1].name`, `line 4 (`epochs`)`; `None`
    /// when the problem is the whole file.
    pub field: Option<String>,
    pub kind: ErrorKind,
    pub message: String,
}

impl fmt::Display for SpecError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: ", one_line(&self.file))?;
        if let Some(field) = &self.field {
            write!(f, "{}: ", one_line(field))?;
        }
        f.write_str(&one_line(&self.message))
    }
}

impl crate::error::HasKind for SpecError {
    /// Every spec or report problem is the user's input.
    fn kind(&self) -> crate::error::ErrorKind {
        crate::error::ErrorKind::Input
    }
}

/// Escapes control characters so untrusted text stays on one line and
/// cannot drive the terminal (Rust's debug escapes, as in spec messages).
fn one_line(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_unsafe_char) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(text.chars().flat_map(char::escape_debug).collect())
}

pub(crate) use crate::escape::is_unsafe as is_unsafe_char;

/// Where errors are reported: a file, and a prefix for field names
/// (`worker[2].` in the spec, nothing in a report).
struct At<'a> {
    file: &'a str,
    prefix: &'a str,
}

impl At<'_> {
    fn error(&self, field: &str, kind: ErrorKind, message: impl Into<String>) -> SpecError {
        SpecError {
            file: self.file.to_string(),
            field: Some(format!("{}{field}", self.prefix)),
            kind,
            message: message.into(),
        }
    }

    fn invalid(&self, field: &str, message: impl Into<String>) -> SpecError {
        self.error(field, ErrorKind::Invalid, message)
    }

    fn path(&self, field: &str, message: impl Into<String>) -> SpecError {
        self.error(field, ErrorKind::Path, message)
    }
}

/// An error about a whole file.
fn file_error(file: &str, kind: ErrorKind, message: impl Into<String>) -> SpecError {
    SpecError {
        file: file.to_string(),
        field: None,
        kind,
        message: message.into(),
    }
}

// ---------------------------------------------------------------- public types

/// A validated spec. Every path in it has been checked to stay inside
/// `dir`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Spec {
    /// The spec's directory, canonical: every relative path is resolved
    /// against it and must stay inside it.
    pub dir: PathBuf,
    pub job: Job,
    pub sync: Option<Sync>,
    pub consistency: Consistency,
    pub workers: Vec<Worker>,
}

/// A path from the spec: as written (for messages and for matching the
/// workers' `files` keys) and resolved (for the host to open).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SpecPath {
    pub as_written: String,
    /// Canonical when it exists; otherwise its nearest existing ancestor,
    /// canonical, joined with the rest.
    pub resolved: PathBuf,
    /// Only `sync.script` and `job.checkpoint_dir` may be missing.
    pub exists: bool,
}

/// The `[job]` table.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Job {
    pub script: SpecPath,
    pub extra_files: Vec<SpecPath>,
    pub dataset_examples: u64,
    /// The global batch, split across workers.
    pub batch_size: u64,
    pub epochs: u64,
    pub checkpoint_dir: SpecPath,
    pub framework: Framework,
    pub memory_per_example_bytes: Option<u64>,
}

/// The training framework, which decides the version keys `plan` compares.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Framework {
    Mlx,
    Torch,
    Jax,
    Other,
}

impl Framework {
    pub const ALL: [Framework; 4] = [
        Framework::Mlx,
        Framework::Torch,
        Framework::Jax,
        Framework::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Framework::Mlx => "mlx",
            Framework::Torch => "torch",
            Framework::Jax => "jax",
            Framework::Other => "other",
        }
    }

    /// The framework named exactly `name` (lowercase, as in the spec).
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.as_str() == name)
    }
}

impl fmt::Display for Framework {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The optional `[sync]` table: a script that brings the workers' code up
/// to date before the run.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Sync {
    /// May not exist yet: `plan` reports a missing sync script as a
    /// warning, not an error.
    pub script: SpecPath,
    pub timeout_s: u64,
}

/// The `[consistency]` table.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Consistency {
    /// The fraction of workers that must agree, in (0, 1].
    pub threshold: f64,
    /// `f`, the number of faulty workers to tolerate.
    pub tolerate_byzantine: usize,
}

impl Default for Consistency {
    fn default() -> Self {
        Self {
            threshold: DEFAULT_THRESHOLD,
            tolerate_byzantine: 0,
        }
    }
}

/// One `[[worker]]`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Worker {
    pub name: String,
    pub facts: WorkerFacts,
    /// The report the facts came from, resolved; `None` for inline facts.
    pub report_path: Option<PathBuf>,
    /// False when the spec names a report that doesn't exist (yet): the
    /// plan fails its `hardware.reports` check instead of refusing the spec,
    /// and `worker-report` can run before every node has reported.
    pub report_present: bool,
}

/// What `plan` knows about a worker, whether from a report or inline.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct WorkerFacts {
    /// Examples per second, as measured on that worker; positive, finite.
    pub throughput: f64,
    pub memory_bytes: u64,
    pub free_disk_bytes: u64,
    pub os: String,
    pub versions: BTreeMap<String, String>,
    /// File name as written in the spec → lowercase hex SHA-256.
    pub files: BTreeMap<String, String>,
    /// The report's RFC 3339 UTC timestamp; `None` for inline facts. The
    /// caller computes the report's age against its own clock.
    pub timestamp: Option<String>,
}

impl WorkerFacts {
    /// The facts of a worker whose report is missing: nothing measured.
    pub fn missing() -> Self {
        Self {
            throughput: 0.0,
            memory_bytes: 0,
            free_disk_bytes: 0,
            os: String::new(),
            versions: BTreeMap::new(),
            files: BTreeMap::new(),
            timestamp: None,
        }
    }

    /// The timestamp as Unix seconds, for computing the report's age.
    pub fn timestamp_unix(&self) -> Option<i64> {
        self.timestamp
            .as_deref()
            .and_then(crate::time::parse_rfc3339_utc)
    }
}

/// The JSON file `pitcrew worker-report` writes on a worker.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WorkerReport {
    pub name: String,
    /// RFC 3339, UTC (`Z` or `+00:00`).
    pub timestamp: String,
    pub throughput: f64,
    pub memory_bytes: u64,
    pub free_disk_bytes: u64,
    pub os: String,
    pub versions: BTreeMap<String, String>,
    pub files: BTreeMap<String, String>,
}

// ---------------------------------------------------------------- raw (as parsed)

/// The spec as TOML gives it. Integers are signed so that `epochs = -1`
/// gets "must be at least 1" rather than a type error; strings stay
/// strings so that messages can say which values are valid.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSpec {
    job: RawJob,
    sync: Option<RawSync>,
    #[serde(default)]
    consistency: RawConsistency,
    #[serde(default)]
    worker: Vec<RawWorker>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawJob {
    script: String,
    #[serde(default)]
    extra_files: Vec<String>,
    dataset_examples: i64,
    batch_size: i64,
    epochs: i64,
    checkpoint_dir: String,
    framework: String,
    memory_per_example_bytes: Option<i64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSync {
    script: String,
    timeout_s: Option<i64>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawConsistency {
    threshold: Option<f64>,
    tolerate_byzantine: Option<i64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawWorker {
    name: String,
    report: Option<String>,
    throughput: Option<f64>,
    memory_bytes: Option<i64>,
    free_disk_bytes: Option<i64>,
    os: Option<String>,
    versions: Option<BTreeMap<String, String>>,
    files: Option<BTreeMap<String, String>>,
}

impl RawWorker {
    fn has_inline_facts(&self) -> bool {
        self.throughput.is_some()
            || self.memory_bytes.is_some()
            || self.free_disk_bytes.is_some()
            || self.os.is_some()
            || self.versions.is_some()
            || self.files.is_some()
    }
}

/// A worker's facts before validation, from TOML or from JSON. Integers are
/// wide enough for both `i64` (TOML) and `u64` (JSON).
struct FactsInput {
    throughput: f64,
    memory_bytes: i128,
    free_disk_bytes: i128,
    os: String,
    versions: BTreeMap<String, String>,
    files: BTreeMap<String, String>,
}

/// A report before validation: every value is checked by hand so that a
/// wrong type names its field (serde_json's own message does not).
#[derive(Deserialize)]
#[serde(deny_unknown_fields, expecting = "a worker report object")]
struct LooseReport {
    name: Value,
    timestamp: Value,
    throughput: Value,
    memory_bytes: Value,
    free_disk_bytes: Value,
    os: Value,
    versions: Value,
    files: Value,
}

// ---------------------------------------------------------------- entry points

/// Reads and validates the spec at `path`, resolving its paths against the
/// file's directory.
pub fn load(path: &Path) -> Result<Spec, SpecError> {
    let origin = path.display().to_string();
    let text = read_capped(path, MAX_SPEC_BYTES, &origin)?;
    let dir = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    parse(&text, dir, &origin)
}

/// Validates spec `text`. Relative paths resolve against `spec_dir`;
/// `origin` names the file in error messages. Reads the worker reports the
/// spec names, and checks the existence of every path.
pub fn parse(text: &str, spec_dir: &Path, origin: &str) -> Result<Spec, SpecError> {
    let raw: RawSpec = toml::from_str(text).map_err(|e| toml_error(origin, text, &e))?;
    let dir = fs::canonicalize(spec_dir).map_err(|e| {
        file_error(
            origin,
            ErrorKind::Io,
            format!("cannot resolve the spec's directory {spec_dir:?}: {e}"),
        )
    })?;
    let ctx = Ctx { origin, dir: &dir };
    let job = ctx.job(raw.job)?;
    ctx.worker_count(&job, raw.worker.len())?;
    let sync = raw.sync.map(|s| ctx.sync(s)).transpose()?;
    let consistency = ctx.consistency(raw.consistency)?;
    let workers = ctx.workers(raw.worker)?;
    Ok(Spec {
        dir,
        job,
        sync,
        consistency,
        workers,
    })
}

/// The files every worker must have identical copies of: the script, then
/// the extra files, as `(name as written, resolved path)`. The host hashes
/// the resolved paths and compares against each worker's `files`.
pub fn job_files(spec: &Spec) -> Vec<(String, PathBuf)> {
    std::iter::once(&spec.job.script)
        .chain(&spec.job.extra_files)
        .map(|p| (p.as_written.clone(), p.resolved.clone()))
        .collect()
}

/// Reads and validates a worker report. `origin` names the file in error
/// messages (the path as the user wrote it, not the resolved one).
pub fn read_report(path: &Path, origin: &str) -> Result<WorkerReport, SpecError> {
    let text = read_capped(path, MAX_REPORT_BYTES, origin)?;
    let loose: LooseReport = serde_json::from_str(&text)
        .map_err(|e| file_error(origin, ErrorKind::Syntax, e.to_string()))?;
    report_from_loose(
        &At {
            file: origin,
            prefix: "",
        },
        loose,
    )
}

// ---------------------------------------------------------------- reading files

/// Reads a whole UTF-8 file of at most `cap` bytes. Checks that it is a
/// regular file first: opening a FIFO would block forever.
fn read_capped(path: &Path, cap: u64, origin: &str) -> Result<String, SpecError> {
    let io_error = |e: io::Error| file_error(origin, ErrorKind::Io, format!("cannot read: {e}"));
    if !fs::metadata(path).map_err(io_error)?.is_file() {
        return Err(file_error(origin, ErrorKind::Io, "is not a regular file"));
    }
    let mut bytes = Vec::new();
    fs::File::open(path)
        .and_then(|file| file.take(cap + 1).read_to_end(&mut bytes))
        .map_err(io_error)?;
    if bytes.len() as u64 > cap {
        return Err(file_error(
            origin,
            ErrorKind::Io,
            format!("is larger than {cap} bytes"),
        ));
    }
    String::from_utf8(bytes).map_err(|_| file_error(origin, ErrorKind::Io, "is not valid UTF-8"))
}

/// A TOML error as `line N (`key`): message`, from toml's span, on one line.
fn toml_error(origin: &str, text: &str, err: &toml::de::Error) -> SpecError {
    let message = err.message().trim().replace('\n', " ");
    let field = err.span().map(|span| line_location(text, span.start));
    SpecError {
        file: origin.to_string(),
        field,
        kind: ErrorKind::Syntax,
        message,
    }
}

/// `line N (`key`)` for the byte offset `at`, or `line N` on a table header.
fn line_location(text: &str, at: usize) -> String {
    let start = text.floor_char_boundary(at.min(text.len()));
    let line_no = text[..start].matches('\n').count() + 1;
    let line = text.lines().nth(line_no - 1).unwrap_or("");
    match line.split_once('=') {
        Some((key, _)) if !line.trim_start().starts_with('[') => {
            format!("line {line_no} (`{}`)", key.trim())
        }
        _ => format!("line {line_no}"),
    }
}

// ---------------------------------------------------------------- validation

/// The spec being validated: its name for messages and its canonical dir.
struct Ctx<'a> {
    origin: &'a str,
    dir: &'a Path,
}

/// Whether a path must exist.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Existence {
    Required,
    /// May be created later (checkpoints) or is only warned about (sync).
    Optional,
}

/// What a path must be when it exists.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    File,
    Dir,
}

impl<'a> Ctx<'a> {
    fn at(&self, prefix: &'a str) -> At<'a> {
        At {
            file: self.origin,
            prefix,
        }
    }

    fn job(&self, raw: RawJob) -> Result<Job, SpecError> {
        let at = self.at("job.");
        let dataset_examples = positive(&at, "dataset_examples", raw.dataset_examples)?;
        let batch_size = positive(&at, "batch_size", raw.batch_size)?;
        let epochs = positive(&at, "epochs", raw.epochs)?;
        let memory_per_example_bytes = raw
            .memory_per_example_bytes
            .map(|v| positive(&at, "memory_per_example_bytes", v))
            .transpose()?;
        let framework = framework(&at, &raw.framework)?;
        let script = self.path(&at, "script", &raw.script, Kind::File, Existence::Required)?;
        let extra_files = self.extra_files(&at, &raw.extra_files)?;
        distinct_files(&at, &script, &extra_files)?;
        let checkpoint_dir = self.path(
            &at,
            "checkpoint_dir",
            &raw.checkpoint_dir,
            Kind::Dir,
            Existence::Optional,
        )?;
        Ok(Job {
            script,
            extra_files,
            dataset_examples,
            batch_size,
            epochs,
            checkpoint_dir,
            framework,
            memory_per_example_bytes,
        })
    }

    fn extra_files(&self, at: &At, raw: &[String]) -> Result<Vec<SpecPath>, SpecError> {
        raw.iter()
            .enumerate()
            .map(|(i, name)| {
                let field = format!("extra_files[{i}]");
                self.path(at, &field, name, Kind::File, Existence::Required)
            })
            .collect()
    }

    /// Every worker needs at least one example of the global batch.
    fn worker_count(&self, job: &Job, workers: usize) -> Result<(), SpecError> {
        if workers == 0 {
            return Err(self.at("").invalid(
                "worker",
                "no [[worker]] entries: a plan needs at least one worker",
            ));
        }
        if job.batch_size < workers as u64 {
            return Err(self.at("job.").invalid(
                "batch_size",
                format!(
                    "{} is smaller than the number of workers ({workers})",
                    job.batch_size
                ),
            ));
        }
        Ok(())
    }

    fn sync(&self, raw: RawSync) -> Result<Sync, SpecError> {
        let at = self.at("sync.");
        let timeout_s = match raw.timeout_s {
            Some(t) => positive(&at, "timeout_s", t)?,
            None => DEFAULT_SYNC_TIMEOUT_S,
        };
        let script = self.path(&at, "script", &raw.script, Kind::File, Existence::Optional)?;
        Ok(Sync { script, timeout_s })
    }

    fn consistency(&self, raw: RawConsistency) -> Result<Consistency, SpecError> {
        let at = self.at("consistency.");
        let threshold = raw.threshold.unwrap_or(DEFAULT_THRESHOLD);
        if !(threshold > 0.0 && threshold <= 1.0) {
            return Err(at.invalid(
                "threshold",
                format!("{threshold} must be in (0, 1]: a fraction of the workers"),
            ));
        }
        let f = raw.tolerate_byzantine.unwrap_or(0);
        let tolerate_byzantine = usize::try_from(f).map_err(|_| {
            at.invalid(
                "tolerate_byzantine",
                format!("{f} must be 0 or more (the number of faulty workers to tolerate)"),
            )
        })?;
        Ok(Consistency {
            threshold,
            tolerate_byzantine,
        })
    }

    fn workers(&self, raw: Vec<RawWorker>) -> Result<Vec<Worker>, SpecError> {
        let mut seen = BTreeSet::new();
        let mut workers = Vec::with_capacity(raw.len());
        for (i, w) in raw.into_iter().enumerate() {
            let prefix = format!("worker[{i}].");
            let at = self.at(&prefix);
            clean_text(&at, "name", &w.name)?;
            if !seen.insert(w.name.clone()) {
                return Err(at.invalid("name", format!("duplicate name {:?}", w.name)));
            }
            workers.push(self.worker(&at, w)?);
        }
        Ok(workers)
    }

    /// A worker's facts: from its report, or inline, never both.
    fn worker(&self, at: &At, w: RawWorker) -> Result<Worker, SpecError> {
        let inline = w.has_inline_facts();
        match (&w.report, inline) {
            (Some(_), true) => Err(at.invalid(
                "report",
                format!("give either `report` or the facts inline ({INLINE_KEYS}), not both"),
            )),
            (None, false) => Err(at.invalid(
                "report",
                format!("missing: give a report file or the facts inline ({INLINE_KEYS})"),
            )),
            (Some(report), false) => self.reported_worker(at, &w.name, report),
            (None, true) => inline_worker(at, w),
        }
    }

    fn reported_worker(&self, at: &At, name: &str, report: &str) -> Result<Worker, SpecError> {
        let path = self.path(at, "report", report, Kind::File, Existence::Optional)?;
        if !path.exists {
            return Ok(Worker {
                name: name.to_string(),
                facts: WorkerFacts::missing(),
                report_path: Some(path.resolved),
                report_present: false,
            });
        }
        let origin = self.sibling_origin(report);
        let report_data = read_report(&path.resolved, &origin)?;
        if report_data.name != name {
            return Err(at.invalid(
                "report",
                format!(
                    "{report:?} is the report of {:?}, not of {name:?}",
                    report_data.name
                ),
            ));
        }
        Ok(Worker {
            name: name.to_string(),
            facts: report_facts(report_data),
            report_path: Some(path.resolved),
            report_present: true,
        })
    }

    /// A path relative to the spec, as the user would type it from where
    /// they named the spec: `runs/spec.toml` + `reports/a.json` →
    /// `runs/reports/a.json`.
    fn sibling_origin(&self, relative: &str) -> String {
        Path::new(self.origin)
            .parent()
            .unwrap_or(Path::new(""))
            .join(relative)
            .display()
            .to_string()
    }

    /// Checks and resolves a path from the spec (see the module docs).
    fn path(
        &self,
        at: &At,
        field: &str,
        written: &str,
        kind: Kind,
        existence: Existence,
    ) -> Result<SpecPath, SpecError> {
        clean_text(at, field, written)?;
        lexically_inside(at, field, written)?;
        let joined = self.dir.join(written);
        match fs::symlink_metadata(&joined) {
            Ok(_) => self.existing(at, field, written, &joined, kind),
            Err(e) if e.kind() == io::ErrorKind::NotFound => match existence {
                Existence::Required => Err(at.path(
                    field,
                    format!("{written:?} does not exist (looked for {joined:?})"),
                )),
                Existence::Optional => self.missing(at, field, written, &joined),
            },
            Err(e) => Err(at.path(field, format!("{written:?} cannot be inspected: {e}"))),
        }
    }

    /// An existing path: resolved through every symlink, it must still be
    /// inside the spec's directory and be the right kind of file.
    fn existing(
        &self,
        at: &At,
        field: &str,
        written: &str,
        joined: &Path,
        kind: Kind,
    ) -> Result<SpecPath, SpecError> {
        let resolved = fs::canonicalize(joined).map_err(|e| {
            at.path(
                field,
                format!("{written:?} cannot be resolved (a broken symlink?): {e}"),
            )
        })?;
        self.inside(at, field, written, &resolved)?;
        check_kind(at, field, written, &resolved, kind)?;
        Ok(SpecPath {
            as_written: written.to_string(),
            resolved,
            exists: true,
        })
    }

    /// A missing path that may be created later: whatever creates it will
    /// do so under its nearest existing ancestor, so that ancestor must be
    /// a directory inside the spec's directory.
    fn missing(
        &self,
        at: &At,
        field: &str,
        written: &str,
        joined: &Path,
    ) -> Result<SpecPath, SpecError> {
        let ancestor = joined
            .ancestors()
            .skip(1)
            .find(|a| fs::symlink_metadata(a).is_ok())
            .unwrap_or(self.dir);
        let existing = self.existing(at, field, written, ancestor, Kind::Dir)?;
        let rest = joined.strip_prefix(ancestor).unwrap_or(Path::new(""));
        Ok(SpecPath {
            as_written: written.to_string(),
            resolved: existing.resolved.join(rest),
            exists: false,
        })
    }

    fn inside(
        &self,
        at: &At,
        field: &str,
        written: &str,
        resolved: &Path,
    ) -> Result<(), SpecError> {
        if resolved.starts_with(self.dir) {
            return Ok(());
        }
        Err(at.path(
            field,
            format!("{written:?} resolves outside the spec's directory (to {resolved:?})"),
        ))
    }
}

/// A relative path with no `..`: the cheap check, before touching the disk.
fn lexically_inside(at: &At, field: &str, written: &str) -> Result<(), SpecError> {
    let path = Path::new(written);
    if path.is_absolute() || path.has_root() {
        return Err(at.path(
            field,
            format!("{written:?} must be relative to the spec's directory"),
        ));
    }
    if path.components().any(|c| c == Component::ParentDir) {
        return Err(at.path(
            field,
            format!("{written:?} must not contain a `..` component"),
        ));
    }
    Ok(())
}

fn check_kind(
    at: &At,
    field: &str,
    written: &str,
    resolved: &Path,
    kind: Kind,
) -> Result<(), SpecError> {
    let meta = fs::metadata(resolved)
        .map_err(|e| at.path(field, format!("{written:?} cannot be inspected: {e}")))?;
    match kind {
        Kind::File if !meta.is_file() => {
            Err(at.path(field, format!("{written:?} is not a regular file")))
        }
        Kind::Dir if !meta.is_dir() => Err(at.path(
            field,
            format!("{written:?} is not a directory (or its parent is not)"),
        )),
        _ => Ok(()),
    }
}

/// The same file listed twice would be hashed and compared twice, and its
/// two names could disagree in the workers' `files`.
fn distinct_files(at: &At, script: &SpecPath, extra: &[SpecPath]) -> Result<(), SpecError> {
    let mut seen = BTreeMap::new();
    seen.insert(&script.resolved, "job.script".to_string());
    for (i, file) in extra.iter().enumerate() {
        if let Some(first) = seen.get(&file.resolved) {
            return Err(at.invalid(
                &format!("extra_files[{i}]"),
                format!("{:?} is the same file as {first}", file.as_written),
            ));
        }
        seen.insert(&file.resolved, format!("job.extra_files[{i}]"));
    }
    Ok(())
}

/// A count that must be at least 1.
fn positive(at: &At, field: &str, value: i64) -> Result<u64, SpecError> {
    u64::try_from(value)
        .ok()
        .filter(|&v| v > 0)
        .ok_or_else(|| at.invalid(field, format!("{value} must be a positive integer")))
}

fn framework(at: &At, name: &str) -> Result<Framework, SpecError> {
    Framework::from_name(name).ok_or_else(|| {
        let valid: Vec<&str> = Framework::ALL.iter().map(|f| f.as_str()).collect();
        at.invalid(
            "framework",
            format!(
                "unknown framework {name:?} (expected one of: {})",
                valid.join(", ")
            ),
        )
    })
}

/// Names end up in terminals, logs and Markdown: no empty ones, and no
/// control characters or direction overrides that could forge or hide
/// output.
fn clean_text(at: &At, field: &str, value: &str) -> Result<(), SpecError> {
    if value.is_empty() {
        return Err(at.invalid(field, "must not be empty"));
    }
    if value.chars().any(is_unsafe_char) {
        return Err(at.invalid(
            field,
            format!(
                "{value:?} contains a control character (newline, tab, escape) or a direction override"
            ),
        ));
    }
    Ok(())
}

// ---------------------------------------------------------------- worker facts

fn inline_worker(at: &At, w: RawWorker) -> Result<Worker, SpecError> {
    let missing = |key: &str| {
        at.invalid(
            key,
            "missing: inline facts need throughput, memory_bytes, free_disk_bytes and os",
        )
    };
    let input = FactsInput {
        throughput: w.throughput.ok_or_else(|| missing("throughput"))?,
        memory_bytes: w
            .memory_bytes
            .ok_or_else(|| missing("memory_bytes"))?
            .into(),
        free_disk_bytes: w
            .free_disk_bytes
            .ok_or_else(|| missing("free_disk_bytes"))?
            .into(),
        os: w.os.ok_or_else(|| missing("os"))?,
        versions: w.versions.unwrap_or_default(),
        files: w.files.unwrap_or_default(),
    };
    Ok(Worker {
        name: w.name,
        facts: validate_facts(at, input, None)?,
        report_path: None,
        report_present: true,
    })
}

/// The checks shared by inline facts and reports.
fn validate_facts(
    at: &At,
    input: FactsInput,
    timestamp: Option<String>,
) -> Result<WorkerFacts, SpecError> {
    let throughput = input.throughput;
    if !(throughput.is_finite() && throughput > 0.0) {
        return Err(at.invalid(
            "throughput",
            format!("{throughput} must be a positive, finite number of examples per second"),
        ));
    }
    let memory_bytes = byte_count(at, "memory_bytes", input.memory_bytes, 1)?;
    let free_disk_bytes = byte_count(at, "free_disk_bytes", input.free_disk_bytes, 0)?;
    clean_text(at, "os", &input.os)?;
    clean_map(at, "versions", &input.versions)?;
    let files = file_hashes(at, input.files)?;
    Ok(WorkerFacts {
        throughput,
        memory_bytes,
        free_disk_bytes,
        os: input.os,
        versions: input.versions,
        files,
        timestamp,
    })
}

fn byte_count(at: &At, field: &str, value: i128, min: u64) -> Result<u64, SpecError> {
    u64::try_from(value)
        .ok()
        .filter(|&v| v >= min)
        .ok_or_else(|| {
            at.invalid(
                field,
                format!("{value} must be a byte count of at least {min}"),
            )
        })
}

fn clean_map(at: &At, field: &str, map: &BTreeMap<String, String>) -> Result<(), SpecError> {
    for (key, value) in map {
        clean_text(at, field, key)?;
        clean_text(at, &format!("{field}.{key}"), value)?;
    }
    Ok(())
}

/// File name → SHA-256. A malformed hash is an error here rather than a
/// confusing "mismatch" in the plan. Hashes are lowercased to compare.
fn file_hashes(
    at: &At,
    files: BTreeMap<String, String>,
) -> Result<BTreeMap<String, String>, SpecError> {
    clean_map(at, "files", &files)?;
    files
        .into_iter()
        .map(|(name, hash)| {
            if hash.len() == 64 && hash.bytes().all(|b| b.is_ascii_hexdigit()) {
                Ok((name, hash.to_ascii_lowercase()))
            } else {
                Err(at.invalid(
                    &format!("files.{name}"),
                    format!("{hash:?} is not a SHA-256 (64 hexadecimal digits)"),
                ))
            }
        })
        .collect()
}

fn report_facts(report: WorkerReport) -> WorkerFacts {
    WorkerFacts {
        throughput: report.throughput,
        memory_bytes: report.memory_bytes,
        free_disk_bytes: report.free_disk_bytes,
        os: report.os,
        versions: report.versions,
        files: report.files,
        timestamp: Some(report.timestamp),
    }
}

// ---------------------------------------------------------------- report values

fn report_from_loose(at: &At, loose: LooseReport) -> Result<WorkerReport, SpecError> {
    let name = json_string(at, "name", loose.name)?;
    clean_text(at, "name", &name)?;
    let timestamp = json_string(at, "timestamp", loose.timestamp)?;
    if crate::time::parse_rfc3339_utc(&timestamp).is_none() {
        return Err(at.invalid(
            "timestamp",
            format!("{timestamp:?} is not an RFC 3339 UTC time (YYYY-MM-DDTHH:MM:SS[.fff]Z)"),
        ));
    }
    let input = FactsInput {
        throughput: json_number(at, "throughput", &loose.throughput)?,
        memory_bytes: json_integer(at, "memory_bytes", &loose.memory_bytes)?,
        free_disk_bytes: json_integer(at, "free_disk_bytes", &loose.free_disk_bytes)?,
        os: json_string(at, "os", loose.os)?,
        versions: json_map(at, "versions", loose.versions)?,
        files: json_map(at, "files", loose.files)?,
    };
    let facts = validate_facts(at, input, Some(timestamp))?;
    Ok(WorkerReport {
        name,
        timestamp: facts.timestamp.unwrap_or_default(),
        throughput: facts.throughput,
        memory_bytes: facts.memory_bytes,
        free_disk_bytes: facts.free_disk_bytes,
        os: facts.os,
        versions: facts.versions,
        files: facts.files,
    })
}

/// A short description of a JSON value's type, for type errors.
fn json_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn type_error(at: &At, field: &str, expected: &str, found: &Value) -> SpecError {
    at.error(
        field,
        ErrorKind::Syntax,
        format!("expected {expected}, found {}", json_type(found)),
    )
}

fn json_string(at: &At, field: &str, value: Value) -> Result<String, SpecError> {
    match value {
        Value::String(s) => Ok(s),
        other => Err(type_error(at, field, "a string", &other)),
    }
}

fn json_number(at: &At, field: &str, value: &Value) -> Result<f64, SpecError> {
    value
        .as_f64()
        .ok_or_else(|| type_error(at, field, "a number", value))
}

fn json_integer(at: &At, field: &str, value: &Value) -> Result<i128, SpecError> {
    value
        .as_i64()
        .map(i128::from)
        .or_else(|| value.as_u64().map(i128::from))
        .ok_or_else(|| type_error(at, field, "an integer", value))
}

fn json_map(at: &At, field: &str, value: Value) -> Result<BTreeMap<String, String>, SpecError> {
    let Value::Object(object) = value else {
        return Err(type_error(at, field, "an object of strings", &value));
    };
    object
        .into_iter()
        .map(|(key, v)| {
            let v = json_string(at, &format!("{field}.{key}"), v)?;
            Ok((key, v))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(unix)]
    use std::os::unix::fs::symlink;

    const HASH: &str = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    /// A spec directory with the files the base spec names.
    struct Fixture {
        dir: tempfile::TempDir,
    }

    impl Fixture {
        fn new() -> Self {
            let fx = Fixture {
                dir: tempfile::tempdir().unwrap(),
            };
            fx.write("train.py", "print('train')\n");
            fx.write("model.py", "MODEL = 1\n");
            fx.write("reports/studio-1.json", &report_json("studio-1"));
            fx
        }

        fn path(&self, rel: &str) -> PathBuf {
            self.dir.path().join(rel)
        }

        fn write(&self, rel: &str, content: &str) {
            let path = self.path(rel);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(path, content).unwrap();
        }

        fn parse(&self, text: &str) -> Result<Spec, SpecError> {
            parse(text, self.dir.path(), "spec.toml")
        }

        /// The error for `text`, checked to be one line.
        fn error(&self, text: &str) -> SpecError {
            let err = self.parse(text).expect_err("the spec should be rejected");
            let line = err.to_string();
            assert!(!line.contains('\n') && !line.contains('\u{1b}'), "{line:?}");
            err
        }
    }

    fn report_value(name: &str) -> Value {
        serde_json::json!({
            "name": name,
            "timestamp": "2025-01-02T03:04:05Z",
            "throughput": 1.25,
            "memory_bytes": 68_719_476_736u64,
            "free_disk_bytes": 1_000_000_000u64,
            "os": "macos",
            "versions": { "python": "3.11.7", "mlx": "0.29.1" },
            "files": { "train.py": HASH, "model.py": HASH }
        })
    }

    fn report_json(name: &str) -> String {
        crate::json::to_string_pretty(&report_value(name)).unwrap()
    }

    const BASE: &str = r#"[job]
script = "train.py"
extra_files = ["model.py"]
dataset_examples = 120000
batch_size = 64
epochs = 3
checkpoint_dir = "checkpoints"
framework = "mlx"

[[worker]]
name = "studio-1"
report = "reports/studio-1.json"

[[worker]]
name = "studio-2"
throughput = 0.85
memory_bytes = 137438953472
free_disk_bytes = 500000000000
os = "macos"
versions = { python = "3.11.7", mlx = "0.29.1" }
files = { "train.py" = "HASH", "model.py" = "HASH" }
"#;

    /// The base spec with each `(from, to)` replaced once.
    fn spec_with(edits: &[(&str, &str)]) -> String {
        let mut text = BASE.replace("\"HASH\"", &format!("\"{HASH}\""));
        for (from, to) in edits {
            assert!(text.contains(from), "{from:?} is not in the base spec");
            text = text.replacen(from, to, 1);
        }
        text
    }

    fn base() -> String {
        spec_with(&[])
    }

    fn assert_error(err: &SpecError, kind: ErrorKind, expected: &str) {
        assert_eq!(err.to_string(), expected);
        assert_eq!(err.kind, kind, "{err}");
    }

    fn assert_field(err: &SpecError, kind: ErrorKind, field: &str, contains: &str) {
        assert_eq!(err.field.as_deref(), Some(field), "{err}");
        assert_eq!(err.kind, kind, "{err}");
        assert!(err.message.contains(contains), "{err}");
    }

    // ------------------------------------------------------------ valid specs

    #[test]
    fn the_base_spec_parses_with_defaults() {
        let fx = Fixture::new();
        let spec = fx.parse(&base()).unwrap();
        let dir = fs::canonicalize(fx.dir.path()).unwrap();
        assert_eq!(spec.dir, dir);
        assert_eq!(spec.job.script.resolved, dir.join("train.py"));
        assert_eq!(spec.job.dataset_examples, 120_000);
        assert_eq!(spec.job.batch_size, 64);
        assert_eq!(spec.job.epochs, 3);
        assert_eq!(spec.job.framework, Framework::Mlx);
        assert_eq!(spec.job.memory_per_example_bytes, None);
        assert!(!spec.job.checkpoint_dir.exists);
        assert_eq!(spec.job.checkpoint_dir.resolved, dir.join("checkpoints"));
        assert_eq!(spec.sync, None);
        assert_eq!(spec.consistency, Consistency::default());
        assert_eq!(spec.consistency.threshold, 0.95);
        assert_eq!(spec.workers.len(), 2);
    }

    #[test]
    fn workers_resolve_from_reports_and_inline() {
        let fx = Fixture::new();
        let spec = fx.parse(&base()).unwrap();
        let reported = &spec.workers[0];
        assert_eq!(reported.name, "studio-1");
        assert_eq!(
            reported.report_path.as_deref(),
            Some(spec.dir.join("reports/studio-1.json").as_path())
        );
        assert_eq!(reported.facts.throughput, 1.25);
        assert_eq!(
            reported.facts.timestamp.as_deref(),
            Some("2025-01-02T03:04:05Z")
        );
        assert_eq!(reported.facts.timestamp_unix(), Some(1_735_787_045));
        let inline = &spec.workers[1];
        assert_eq!(inline.report_path, None);
        assert_eq!(inline.facts.timestamp, None);
        assert_eq!(inline.facts.memory_bytes, 137_438_953_472);
        assert_eq!(inline.facts.versions["mlx"], "0.29.1");
        assert_eq!(inline.facts.files["model.py"], HASH);
    }

    #[test]
    fn job_files_lists_script_then_extra_files() {
        let fx = Fixture::new();
        let spec = fx.parse(&base()).unwrap();
        assert_eq!(
            job_files(&spec),
            vec![
                ("train.py".to_string(), spec.dir.join("train.py")),
                ("model.py".to_string(), spec.dir.join("model.py")),
            ]
        );
    }

    #[test]
    fn sync_and_consistency_sections() {
        let fx = Fixture::new();
        fx.write("scripts/sync-dev.sh", "#!/bin/sh\n");
        let text = format!(
            "{}\n[sync]\nscript = \"scripts/sync-dev.sh\"\ntimeout_s = 60\n\n\
             [consistency]\nthreshold = 1\ntolerate_byzantine = 1\n",
            base()
        );
        let spec = fx.parse(&text).unwrap();
        let sync = spec.sync.unwrap();
        assert!(sync.script.exists);
        assert_eq!(sync.timeout_s, 60);
        assert_eq!(spec.consistency.threshold, 1.0);
        assert_eq!(spec.consistency.tolerate_byzantine, 1);
    }

    #[test]
    fn sync_timeout_defaults_and_must_be_positive() {
        let fx = Fixture::new();
        fx.write("sync.sh", "");
        let spec = fx
            .parse(&format!("{}\n[sync]\nscript = \"sync.sh\"\n", base()))
            .unwrap();
        assert_eq!(spec.sync.unwrap().timeout_s, DEFAULT_SYNC_TIMEOUT_S);
        let err = fx.error(&format!(
            "{}\n[sync]\nscript = \"sync.sh\"\ntimeout_s = 0\n",
            base()
        ));
        assert_error(
            &err,
            ErrorKind::Invalid,
            "spec.toml: sync.timeout_s: 0 must be a positive integer",
        );
    }

    #[test]
    fn every_framework_is_accepted() {
        let fx = Fixture::new();
        for framework in Framework::ALL {
            let text = spec_with(&[("\"mlx\"\n", &format!("\"{framework}\"\n"))]);
            assert_eq!(fx.parse(&text).unwrap().job.framework, framework);
            let json = serde_json::to_string(&framework).unwrap();
            assert_eq!(json, format!("\"{}\"", framework.as_str()));
        }
    }

    #[test]
    fn load_resolves_against_the_files_directory() {
        let fx = Fixture::new();
        fx.write("spec.toml", &base());
        let spec = load(&fx.path("spec.toml")).unwrap();
        assert_eq!(spec.workers.len(), 2);
        let err = load(&fx.path("missing.toml")).unwrap_err();
        assert_eq!(err.kind, ErrorKind::Io);
        assert!(
            err.to_string().contains("missing.toml: cannot read:"),
            "{err}"
        );
    }

    #[test]
    fn load_refuses_what_is_not_a_small_text_file() {
        let fx = Fixture::new();
        let err = load(fx.dir.path()).unwrap_err();
        assert!(err.message.contains("not a regular file"), "{err}");
        fs::write(fx.path("binary.toml"), [0xff, 0xfe, 0x00]).unwrap();
        let err = load(&fx.path("binary.toml")).unwrap_err();
        assert!(err.message.contains("UTF-8"), "{err}");
        let big = "# padding\n".repeat((MAX_SPEC_BYTES / 10 + 1) as usize);
        fx.write("big.toml", &big);
        let err = load(&fx.path("big.toml")).unwrap_err();
        assert!(err.message.contains("larger than"), "{err}");
    }

    // ------------------------------------------------------------ TOML errors

    #[test]
    fn type_errors_name_the_line_and_key() {
        let fx = Fixture::new();
        let err = fx.error(&spec_with(&[("120000", "\"lots\"")]));
        assert_eq!(err.kind, ErrorKind::Syntax);
        assert_eq!(err.field.as_deref(), Some("line 4 (`dataset_examples`)"));
        assert!(
            err.to_string().starts_with(
                "spec.toml: line 4 (`dataset_examples`): invalid type: string \"lots\""
            ),
            "{err}"
        );
    }

    #[test]
    fn unknown_keys_are_errors_naming_the_key() {
        let fx = Fixture::new();
        let cases = [
            (
                spec_with(&[("epochs = 3", "epochs = 3\nepoch = 4")]),
                "epoch",
                7,
            ),
            (format!("colour = 1\n{}", base()), "colour", 1),
            (
                spec_with(&[("name = \"studio-2\"", "name = \"studio-2\"\ngpu = true")]),
                "gpu",
                16,
            ),
            (
                format!("{}\n[consistency]\nthreshhold = 0.9\n", base()),
                "threshhold",
                24,
            ),
            (
                format!("{}\n[sync]\nscript = \"s.sh\"\ntimeout = 3\n", base()),
                "timeout",
                25,
            ),
        ];
        for (text, key, line) in cases {
            let err = fx.error(&text);
            assert_eq!(err.kind, ErrorKind::Syntax, "{err}");
            assert!(
                err.message.contains(&format!("unknown field `{key}`")),
                "{err}"
            );
            assert_eq!(err.field, Some(format!("line {line} (`{key}`)")), "{err}");
        }
    }

    #[test]
    fn missing_keys_and_bad_syntax() {
        let fx = Fixture::new();
        let err = fx.error(&spec_with(&[("epochs = 3\n", "")]));
        assert!(err.message.contains("missing field `epochs`"), "{err}");
        let err = fx.error(&spec_with(&[("batch_size = 64", "batch_size = ")]));
        assert_eq!(err.kind, ErrorKind::Syntax);
        assert!(err.to_string().starts_with("spec.toml: line 5"), "{err}");
        let err = fx.error("");
        assert!(err.message.contains("missing field `job`"), "{err}");
    }

    // ------------------------------------------------------------ numbers

    #[test]
    fn dataset_examples_must_be_positive() {
        let fx = Fixture::new();
        let err = fx.error(&spec_with(&[("120000", "0")]));
        assert_error(
            &err,
            ErrorKind::Invalid,
            "spec.toml: job.dataset_examples: 0 must be a positive integer",
        );
        let err = fx.error(&spec_with(&[("120000", "-5")]));
        assert_field(
            &err,
            ErrorKind::Invalid,
            "job.dataset_examples",
            "-5 must be",
        );
    }

    #[test]
    fn batch_size_must_be_positive() {
        let fx = Fixture::new();
        let err = fx.error(&spec_with(&[("= 64", "= 0")]));
        assert_field(
            &err,
            ErrorKind::Invalid,
            "job.batch_size",
            "0 must be a positive integer",
        );
        let err = fx.error(&spec_with(&[("= 64", "= -64")]));
        assert_field(&err, ErrorKind::Invalid, "job.batch_size", "-64 must be");
    }

    #[test]
    fn epochs_must_be_positive() {
        let fx = Fixture::new();
        let err = fx.error(&spec_with(&[("epochs = 3", "epochs = 0")]));
        assert_field(
            &err,
            ErrorKind::Invalid,
            "job.epochs",
            "0 must be a positive integer",
        );
        let err = fx.error(&spec_with(&[("epochs = 3", "epochs = -1")]));
        assert_field(&err, ErrorKind::Invalid, "job.epochs", "-1 must be");
    }

    #[test]
    fn memory_per_example_must_be_positive() {
        let fx = Fixture::new();
        let ok = spec_with(&[(
            "epochs = 3",
            "epochs = 3\nmemory_per_example_bytes = 2000000",
        )]);
        assert_eq!(
            fx.parse(&ok).unwrap().job.memory_per_example_bytes,
            Some(2_000_000)
        );
        let err = fx.error(&spec_with(&[(
            "epochs = 3",
            "epochs = 3\nmemory_per_example_bytes = 0",
        )]));
        assert_field(
            &err,
            ErrorKind::Invalid,
            "job.memory_per_example_bytes",
            "0 must be",
        );
    }

    #[test]
    fn no_workers() {
        let fx = Fixture::new();
        let text = base();
        let job_only = &text[..text.find("[[worker]]").unwrap()];
        let err = fx.error(job_only);
        assert_error(
            &err,
            ErrorKind::Invalid,
            "spec.toml: worker: no [[worker]] entries: a plan needs at least one worker",
        );
    }

    #[test]
    fn batch_size_smaller_than_the_number_of_workers() {
        let fx = Fixture::new();
        let third = "\n[[worker]]\nname = \"studio-3\"\nreport = \"reports/studio-1.json\"\n";
        let text = format!("{}{third}", spec_with(&[("= 64", "= 2")]));
        let err = fx.error(&text);
        assert_error(
            &err,
            ErrorKind::Invalid,
            "spec.toml: job.batch_size: 2 is smaller than the number of workers (3)",
        );
        // Equal is enough: one example per worker.
        let two = spec_with(&[("= 64", "= 2")]);
        assert_eq!(fx.parse(&two).unwrap().job.batch_size, 2);
    }

    #[test]
    fn unknown_framework_lists_the_valid_ones() {
        let fx = Fixture::new();
        let err = fx.error(&spec_with(&[("\"mlx\"\n", "\"tensorflow\"\n")]));
        assert_error(
            &err,
            ErrorKind::Invalid,
            "spec.toml: job.framework: unknown framework \"tensorflow\" (expected one of: mlx, torch, jax, other)",
        );
        let err = fx.error(&spec_with(&[("\"mlx\"\n", "\"MLX\"\n")]));
        assert_field(&err, ErrorKind::Invalid, "job.framework", "\"MLX\"");
    }

    #[test]
    fn duplicate_worker_names() {
        let fx = Fixture::new();
        let err = fx.error(&spec_with(&[(
            "name = \"studio-2\"",
            "name = \"studio-1\"",
        )]));
        assert_error(
            &err,
            ErrorKind::Invalid,
            "spec.toml: worker[1].name: duplicate name \"studio-1\"",
        );
    }

    #[test]
    fn worker_with_both_report_and_inline_facts() {
        let fx = Fixture::new();
        let text = spec_with(&[(
            "name = \"studio-2\"",
            "name = \"studio-2\"\nreport = \"reports/studio-1.json\"",
        )]);
        let err = fx.error(&text);
        assert_field(&err, ErrorKind::Invalid, "worker[1].report", "not both");
        // One inline key is enough to count as inline facts.
        let text = spec_with(&[(
            "report = \"reports/studio-1.json\"",
            "report = \"reports/studio-1.json\"\nos = \"linux\"",
        )]);
        assert_field(
            &fx.error(&text),
            ErrorKind::Invalid,
            "worker[0].report",
            "not both",
        );
    }

    #[test]
    fn worker_with_neither_report_nor_inline_facts() {
        let fx = Fixture::new();
        let err = fx.error(&spec_with(&[("report = \"reports/studio-1.json\"\n", "")]));
        assert_field(
            &err,
            ErrorKind::Invalid,
            "worker[0].report",
            "missing: give a report file",
        );
    }

    #[test]
    fn inline_facts_must_be_complete() {
        let fx = Fixture::new();
        for key in ["throughput", "memory_bytes", "free_disk_bytes", "os"] {
            let line = BASE
                .lines()
                .skip_while(|l| !l.contains("studio-2"))
                .find(|l| l.starts_with(&format!("{key} =")))
                .unwrap();
            let err = fx.error(&spec_with(&[(&format!("{line}\n"), "")]));
            assert_field(
                &err,
                ErrorKind::Invalid,
                &format!("worker[1].{key}"),
                "missing",
            );
        }
        // versions and files default to empty.
        let text = spec_with(&[("versions = { python = \"3.11.7\", mlx = \"0.29.1\" }\n", "")]);
        assert!(
            fx.parse(&text).unwrap().workers[1]
                .facts
                .versions
                .is_empty()
        );
    }

    #[test]
    fn throughput_must_be_finite_and_positive() {
        let fx = Fixture::new();
        for bad in ["inf", "-inf", "nan", "-1.5", "0"] {
            let err = fx.error(&spec_with(&[("0.85", bad)]));
            assert_field(
                &err,
                ErrorKind::Invalid,
                "worker[1].throughput",
                "must be a positive, finite number",
            );
        }
        let err = fx.error(&spec_with(&[("0.85", "nan")]));
        assert_eq!(
            err.to_string(),
            "spec.toml: worker[1].throughput: NaN must be a positive, finite number of examples per second"
        );
        // An integer is a number.
        assert_eq!(
            fx.parse(&spec_with(&[("0.85", "2")])).unwrap().workers[1]
                .facts
                .throughput,
            2.0
        );
    }

    #[test]
    fn memory_and_disk_must_be_non_negative() {
        let fx = Fixture::new();
        let err = fx.error(&spec_with(&[("137438953472", "0")]));
        assert_field(
            &err,
            ErrorKind::Invalid,
            "worker[1].memory_bytes",
            "at least 1",
        );
        let err = fx.error(&spec_with(&[("500000000000", "-1")]));
        assert_field(
            &err,
            ErrorKind::Invalid,
            "worker[1].free_disk_bytes",
            "-1 must be",
        );
        // A full disk is a fact the plan warns about, not a spec error.
        assert_eq!(
            fx.parse(&spec_with(&[("500000000000", "0")]))
                .unwrap()
                .workers[1]
                .facts
                .free_disk_bytes,
            0
        );
    }

    #[test]
    fn worker_names_with_control_characters_are_rejected() {
        let fx = Fixture::new();
        for bad in [
            "studio\\n2",
            "\\u001b[31mred",
            "tab\\there",
            "bell\\u0007",
            "c1\\u0085",
            "rtl\\u202eexe.py",
            "",
        ] {
            let err = fx.error(&spec_with(&[("\"studio-2\"", &format!("\"{bad}\""))]));
            assert_field(&err, ErrorKind::Invalid, "worker[1].name", "");
            let line = err.to_string();
            assert!(
                !line.contains('\u{1b}') && !line.contains('\u{202e}'),
                "{line:?}"
            );
        }
        let err = fx.error(&spec_with(&[("\"studio-2\"", "\"evil\\u001b[2J\"")]));
        assert_eq!(
            err.to_string(),
            "spec.toml: worker[1].name: \"evil\\u{1b}[2J\" contains a control character (newline, tab, escape) or a direction override"
        );
    }

    #[test]
    fn file_names_with_control_characters_are_rejected() {
        let fx = Fixture::new();
        let err = fx.error(&spec_with(&[("[\"model.py\"]", "[\"model\\n.py\"]")]));
        assert_field(
            &err,
            ErrorKind::Invalid,
            "job.extra_files[0]",
            "control character",
        );
        let err = fx.error(&spec_with(&[(
            "\"train.py\"\n",
            "\"\\u001b]8;;x\\u0007train.py\"\n",
        )]));
        assert_field(&err, ErrorKind::Invalid, "job.script", "control character");
        let err = fx.error(&spec_with(&[("\"model.py\" = ", "\"model\\r.py\" = ")]));
        assert_field(
            &err,
            ErrorKind::Invalid,
            "worker[1].files",
            "control character",
        );
        let err = fx.error(&spec_with(&[("mlx = \"0.29.1\"", "mlx = \"0.29.1\\n\"")]));
        assert_field(
            &err,
            ErrorKind::Invalid,
            "worker[1].versions.mlx",
            "control character",
        );
    }

    #[test]
    fn file_hashes_must_be_sha256() {
        let fx = Fixture::new();
        let upper = HASH.to_ascii_uppercase();
        let spec = fx.parse(&spec_with(&[(HASH, &upper)])).unwrap();
        assert_eq!(spec.workers[1].facts.files["train.py"], HASH, "lowercased");
        let err = fx.error(&spec_with(&[(HASH, "<sha256>")]));
        assert_field(
            &err,
            ErrorKind::Invalid,
            "worker[1].files.train.py",
            "not a SHA-256",
        );
    }

    #[test]
    fn threshold_must_be_in_0_1() {
        let fx = Fixture::new();
        for bad in ["0", "0.0", "-0.5", "1.01", "nan", "inf"] {
            let err = fx.error(&format!("{}\n[consistency]\nthreshold = {bad}\n", base()));
            assert_field(
                &err,
                ErrorKind::Invalid,
                "consistency.threshold",
                "must be in (0, 1]",
            );
        }
        for good in ["1", "1.0", "0.5", "1e-9"] {
            fx.parse(&format!("{}\n[consistency]\nthreshold = {good}\n", base()))
                .unwrap();
        }
    }

    #[test]
    fn tolerate_byzantine_must_not_be_negative() {
        let fx = Fixture::new();
        let err = fx.error(&format!(
            "{}\n[consistency]\ntolerate_byzantine = -1\n",
            base()
        ));
        assert_error(
            &err,
            ErrorKind::Invalid,
            "spec.toml: consistency.tolerate_byzantine: -1 must be 0 or more (the number of faulty workers to tolerate)",
        );
    }

    // ------------------------------------------------------------ paths

    /// Every path field refuses absolute paths and `..`, before touching
    /// the disk.
    #[test]
    fn paths_must_be_relative_without_dotdot() {
        let fx = Fixture::new();
        let sync = |s: &str| format!("{}\n[sync]\nscript = \"{s}\"\n", base());
        let cases: Vec<(String, &str)> = vec![
            (
                spec_with(&[("\"train.py\"\n", "\"/etc/passwd\"\n")]),
                "job.script",
            ),
            (
                spec_with(&[("\"train.py\"\n", "\"../train.py\"\n")]),
                "job.script",
            ),
            (
                spec_with(&[("[\"model.py\"]", "[\"lib/../../x.py\"]")]),
                "job.extra_files[0]",
            ),
            (
                spec_with(&[("\"checkpoints\"", "\"/tmp/ckpt\"")]),
                "job.checkpoint_dir",
            ),
            (
                spec_with(&[("\"checkpoints\"", "\"ckpt/..\"")]),
                "job.checkpoint_dir",
            ),
            (
                spec_with(&[("\"reports/studio-1.json\"", "\"../r.json\"")]),
                "worker[0].report",
            ),
            (sync("/bin/sh"), "sync.script"),
            (sync("scripts/../../sync.sh"), "sync.script"),
        ];
        for (text, field) in cases {
            let err = fx.error(&text);
            assert_eq!(err.kind, ErrorKind::Path, "{err}");
            assert_eq!(err.field.as_deref(), Some(field), "{err}");
        }
        let err = fx.error(&spec_with(&[("\"train.py\"\n", "\"/etc/passwd\"\n")]));
        assert_eq!(
            err.to_string(),
            "spec.toml: job.script: \"/etc/passwd\" must be relative to the spec's directory"
        );
        let err = fx.error(&spec_with(&[("\"train.py\"\n", "\"../train.py\"\n")]));
        assert_eq!(
            err.to_string(),
            "spec.toml: job.script: \"../train.py\" must not contain a `..` component"
        );
    }

    /// A symlink inside the spec's directory pointing outside it is
    /// followed and refused, for every path field.
    #[test]
    #[cfg(unix)]
    fn symlinks_pointing_outside_are_rejected() {
        let outside = tempfile::tempdir().unwrap();
        fs::write(outside.path().join("evil.py"), "").unwrap();
        fs::write(outside.path().join("r.json"), report_json("studio-1")).unwrap();
        let fx = Fixture::new();
        symlink(outside.path().join("evil.py"), fx.path("evil.py")).unwrap();
        symlink(outside.path().join("r.json"), fx.path("r.json")).unwrap();
        symlink(outside.path(), fx.path("out")).unwrap();
        let sync = format!("{}\n[sync]\nscript = \"evil.py\"\n", base());
        let cases: Vec<(String, &str)> = vec![
            (
                spec_with(&[("\"train.py\"\n", "\"evil.py\"\n")]),
                "job.script",
            ),
            (
                spec_with(&[("[\"model.py\"]", "[\"out/evil.py\"]")]),
                "job.extra_files[0]",
            ),
            (
                spec_with(&[("\"checkpoints\"", "\"out\"")]),
                "job.checkpoint_dir",
            ),
            (
                spec_with(&[("\"reports/studio-1.json\"", "\"r.json\"")]),
                "worker[0].report",
            ),
            (sync, "sync.script"),
        ];
        for (text, field) in cases {
            let err = fx.error(&text);
            assert_eq!(err.kind, ErrorKind::Path, "{err}");
            assert_eq!(err.field.as_deref(), Some(field), "{err}");
            assert!(
                err.message
                    .contains("resolves outside the spec's directory"),
                "{err}"
            );
        }
    }

    #[test]
    #[cfg(unix)]
    fn symlinks_inside_the_directory_are_followed() {
        let fx = Fixture::new();
        symlink(fx.path("train.py"), fx.path("link.py")).unwrap();
        let spec = fx
            .parse(&spec_with(&[("\"train.py\"\n", "\"link.py\"\n")]))
            .unwrap();
        assert_eq!(spec.job.script.as_written, "link.py");
        assert_eq!(spec.job.script.resolved, spec.dir.join("train.py"));
    }

    /// A missing checkpoint dir may be created later, but not under a
    /// symlink that leads outside, and not where a broken symlink is.
    #[test]
    #[cfg(unix)]
    fn missing_checkpoint_dir_must_be_created_inside() {
        let outside = tempfile::tempdir().unwrap();
        let fx = Fixture::new();
        symlink(outside.path(), fx.path("out")).unwrap();
        let spec = fx
            .parse(&spec_with(&[("\"checkpoints\"", "\"runs/a/ckpt\"")]))
            .unwrap();
        assert!(!spec.job.checkpoint_dir.exists);
        assert_eq!(
            spec.job.checkpoint_dir.resolved,
            spec.dir.join("runs/a/ckpt")
        );
        let err = fx.error(&spec_with(&[("\"checkpoints\"", "\"out/new/ckpt\"")]));
        assert_field(
            &err,
            ErrorKind::Path,
            "job.checkpoint_dir",
            "resolves outside",
        );
        symlink(outside.path().join("nowhere"), fx.path("dangling")).unwrap();
        let err = fx.error(&spec_with(&[("\"checkpoints\"", "\"dangling\"")]));
        assert_field(
            &err,
            ErrorKind::Path,
            "job.checkpoint_dir",
            "cannot be resolved",
        );
        let err = fx.error(&spec_with(&[("\"checkpoints\"", "\"dangling/ckpt\"")]));
        assert_field(
            &err,
            ErrorKind::Path,
            "job.checkpoint_dir",
            "cannot be resolved",
        );
    }

    #[test]
    fn existing_checkpoint_dir_must_be_a_directory() {
        let fx = Fixture::new();
        fs::create_dir(fx.path("checkpoints")).unwrap();
        assert!(fx.parse(&base()).unwrap().job.checkpoint_dir.exists);
        let err = fx.error(&spec_with(&[("\"checkpoints\"", "\"model.py\"")]));
        assert_field(
            &err,
            ErrorKind::Path,
            "job.checkpoint_dir",
            "is not a directory",
        );
    }

    #[test]
    fn missing_script_is_an_error() {
        let fx = Fixture::new();
        fs::remove_file(fx.path("train.py")).unwrap();
        let err = fx.error(&base());
        assert_field(
            &err,
            ErrorKind::Path,
            "job.script",
            "\"train.py\" does not exist",
        );
    }

    #[test]
    fn missing_extra_file_is_an_error() {
        let fx = Fixture::new();
        fs::remove_file(fx.path("model.py")).unwrap();
        let err = fx.error(&base());
        assert_field(
            &err,
            ErrorKind::Path,
            "job.extra_files[0]",
            "does not exist",
        );
    }

    #[test]
    fn script_must_be_a_regular_file() {
        let fx = Fixture::new();
        let err = fx.error(&spec_with(&[("\"train.py\"\n", "\"reports\"\n")]));
        assert_field(&err, ErrorKind::Path, "job.script", "is not a regular file");
        let err = fx.error(&spec_with(&[("\"train.py\"\n", "\".\"\n")]));
        assert_field(&err, ErrorKind::Path, "job.script", "is not a regular file");
    }

    #[test]
    fn the_same_file_listed_twice_is_an_error() {
        let fx = Fixture::new();
        let err = fx.error(&spec_with(&[(
            "[\"model.py\"]",
            "[\"model.py\", \"./train.py\"]",
        )]));
        assert_error(
            &err,
            ErrorKind::Invalid,
            "spec.toml: job.extra_files[1]: \"./train.py\" is the same file as job.script",
        );
    }

    #[test]
    fn missing_sync_script_is_not_an_error() {
        let fx = Fixture::new();
        let spec = fx
            .parse(&format!(
                "{}\n[sync]\nscript = \"scripts/sync-dev.sh\"\n",
                base()
            ))
            .unwrap();
        let sync = spec.sync.unwrap();
        assert!(!sync.script.exists);
        assert_eq!(sync.script.resolved, spec.dir.join("scripts/sync-dev.sh"));
    }

    #[test]
    fn the_spec_directory_must_exist() {
        let err = parse(
            &base(),
            Path::new("/nonexistent/pitcrew-spec-dir"),
            "spec.toml",
        )
        .unwrap_err();
        assert_eq!(err.kind, ErrorKind::Io);
        assert!(
            err.to_string()
                .starts_with("spec.toml: cannot resolve the spec's directory"),
            "{err}"
        );
    }

    // ------------------------------------------------------------ reports

    /// Writes a report with `edit` applied and returns the spec's error.
    fn report_error(edit: impl FnOnce(&mut Value)) -> SpecError {
        let fx = Fixture::new();
        let mut value = report_value("studio-1");
        edit(&mut value);
        fx.write("reports/studio-1.json", &value.to_string());
        fx.error(&base())
    }

    #[test]
    fn a_report_round_trips() {
        let fx = Fixture::new();
        let report: WorkerReport = serde_json::from_value(report_value("studio-1")).unwrap();
        fx.write("r.json", &serde_json::to_string(&report).unwrap());
        assert_eq!(read_report(&fx.path("r.json"), "r.json").unwrap(), report);
    }

    #[test]
    fn malformed_report_json() {
        let fx = Fixture::new();
        fx.write("reports/studio-1.json", "{\"name\": \"studio-1\",\n");
        let err = fx.error(&base());
        assert_eq!(err.kind, ErrorKind::Syntax);
        assert!(
            err.to_string()
                .starts_with("reports/studio-1.json: EOF while parsing"),
            "{err}"
        );
        fx.write("reports/studio-1.json", "[1, 2]");
        let err = fx.error(&base());
        assert!(
            err.message.contains("expected a worker report object"),
            "{err}"
        );
    }

    #[test]
    fn report_errors_name_the_report_file_relative_to_the_spec() {
        let fx = Fixture::new();
        fs::create_dir(fx.path("runs")).unwrap();
        fx.write("runs/train.py", "");
        fx.write("runs/model.py", "");
        fx.write("runs/reports/studio-1.json", "{}");
        fx.write("runs/spec.toml", &base());
        let origin = fx.path("runs/spec.toml");
        let err = load(&origin).unwrap_err();
        let expected = fx.path("runs/reports/studio-1.json").display().to_string();
        assert_eq!(err.file, expected, "{err}");
    }

    #[test]
    fn report_unknown_and_missing_fields() {
        let err = report_error(|v| v["gpu"] = "M2 Ultra".into());
        assert!(err.message.contains("unknown field `gpu`"), "{err}");
        let err = report_error(|v| {
            v.as_object_mut().unwrap().remove("os");
        });
        assert!(err.message.contains("missing field `os`"), "{err}");
    }

    #[test]
    fn report_type_errors_name_the_field() {
        let err = report_error(|v| v["throughput"] = "fast".into());
        assert_eq!(
            err.to_string(),
            "reports/studio-1.json: throughput: expected a number, found a string"
        );
        let err = report_error(|v| v["memory_bytes"] = 1.5.into());
        assert_field(
            &err,
            ErrorKind::Syntax,
            "memory_bytes",
            "expected an integer",
        );
        let err = report_error(|v| v["versions"]["python"] = 3.into());
        assert_field(
            &err,
            ErrorKind::Syntax,
            "versions.python",
            "expected a string",
        );
        let err = report_error(|v| v["files"] = Value::Null);
        assert_field(&err, ErrorKind::Syntax, "files", "found null");
    }

    #[test]
    fn report_bad_values() {
        let err = report_error(|v| v["throughput"] = (-1.0).into());
        assert_eq!(
            err.to_string(),
            "reports/studio-1.json: throughput: -1 must be a positive, finite number of examples per second"
        );
        let err = report_error(|v| v["free_disk_bytes"] = (-1).into());
        assert_field(&err, ErrorKind::Invalid, "free_disk_bytes", "-1 must be");
        let err = report_error(|v| v["os"] = "mac\nos".into());
        assert_field(&err, ErrorKind::Invalid, "os", "control character");
        let err = report_error(|v| v["files"]["train.py"] = "abc".into());
        assert_field(&err, ErrorKind::Invalid, "files.train.py", "not a SHA-256");
    }

    #[test]
    fn report_timestamps_must_be_rfc3339_utc() {
        for bad in [
            "yesterday",
            "2025-01-02T03:04:05+01:00",
            "2025-01-02 03:04:05Z",
            "2025-13-02T03:04:05Z",
        ] {
            let err = report_error(|v| v["timestamp"] = bad.into());
            assert_field(
                &err,
                ErrorKind::Invalid,
                "timestamp",
                "not an RFC 3339 UTC time",
            );
        }
    }

    #[test]
    fn report_of_another_worker_is_rejected() {
        let err = report_error(|v| v["name"] = "studio-9".into());
        assert_error(
            &err,
            ErrorKind::Invalid,
            "spec.toml: worker[0].report: \"reports/studio-1.json\" is the report of \"studio-9\", not of \"studio-1\"",
        );
    }

    #[test]
    fn missing_or_odd_report_files() {
        let fx = Fixture::new();
        fs::remove_file(fx.path("reports/studio-1.json")).unwrap();
        // A report not written yet is not bad input: the plan's
        // `hardware.reports` check fails for it instead.
        let spec = parse(&base(), fx.dir.path(), "spec.toml").expect("a missing report is allowed");
        assert!(!spec.workers[0].report_present);
        assert_eq!(spec.workers[0].facts, WorkerFacts::missing());
        assert!(spec.workers[1].report_present);
        let err = fx.error(&spec_with(&[("\"reports/studio-1.json\"", "\"reports\"")]));
        assert_field(
            &err,
            ErrorKind::Path,
            "worker[0].report",
            "is not a regular file",
        );
        fx.write(
            "reports/studio-1.json",
            &" ".repeat(MAX_REPORT_BYTES as usize + 1),
        );
        let err = fx.error(&base());
        assert!(err.message.contains("larger than"), "{err}");
    }

    // ------------------------------------------------------------ schema and docs

    fn schema() -> jsonschema::Validator {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas/plan-spec.schema.json");
        let text = fs::read_to_string(path).unwrap();
        jsonschema::validator_for(&serde_json::from_str(&text).unwrap()).unwrap()
    }

    fn as_json(toml_text: &str) -> Value {
        let value: toml::Value = toml::from_str(toml_text).unwrap();
        serde_json::to_value(value).unwrap()
    }

    /// The schema and the parser agree on what they can both judge. (The
    /// schema cannot check the disk, uniqueness or the batch/worker ratio.)
    #[test]
    fn schema_and_parser_agree() {
        let validator = schema();
        let fx = Fixture::new();
        fx.write("scripts/sync-dev.sh", "");
        let b = base();
        let samples: Vec<(String, bool)> = vec![
            (b.clone(), true),
            (
                format!("{b}\n[sync]\nscript = \"scripts/sync-dev.sh\"\ntimeout_s = 30\n"),
                true,
            ),
            (format!("{b}\n[sync]\nscript = \"not-yet.sh\"\n"), true),
            (
                format!("{b}\n[consistency]\nthreshold = 1\ntolerate_byzantine = 2\n"),
                true,
            ),
            (spec_with(&[("[\"model.py\"]", "[]")]), true),
            (
                spec_with(&[
                    ("\"mlx\"\n", "\"jax\"\n"),
                    ("epochs = 3", "epochs = 3\nmemory_per_example_bytes = 1"),
                ]),
                true,
            ),
            (
                spec_with(&[("free_disk_bytes = 500000000000", "free_disk_bytes = 0")]),
                true,
            ),
            (spec_with(&[("120000", "0")]), false),
            (spec_with(&[("= 64", "= -1")]), false),
            (spec_with(&[("epochs = 3", "epochs = \"3\"")]), false),
            (spec_with(&[("\"mlx\"\n", "\"keras\"\n")]), false),
            (spec_with(&[("epochs = 3", "epochs = 3\nseed = 1")]), false),
            (format!("{b}\n[consistency]\nthreshold = 0\n"), false),
            (format!("{b}\n[consistency]\nthreshold = 1.5\n"), false),
            (
                format!("{b}\n[consistency]\ntolerate_byzantine = -1\n"),
                false,
            ),
            (format!("{b}\n[sync]\ntimeout_s = 3\n"), false),
            (b[..b.find("[[worker]]").unwrap()].to_string(), false),
            (
                spec_with(&[("\"train.py\"\n", "\"/abs/train.py\"\n")]),
                false,
            ),
            (spec_with(&[("\"checkpoints\"", "\"a/../../c\"")]), false),
            (spec_with(&[("\"studio-2\"", "\"two\\nlines\"")]), false),
            (spec_with(&[("\"studio-2\"", "\"\"")]), false),
            (spec_with(&[("0.85", "-1.0")]), false),
            (spec_with(&[("0.85", "0")]), false),
            (spec_with(&[("0.85", "inf")]), false),
            (spec_with(&[("137438953472", "0")]), false),
            (
                spec_with(&[("report = \"reports/studio-1.json\"\n", "")]),
                false,
            ),
            (
                spec_with(&[(
                    "name = \"studio-2\"",
                    "name = \"studio-2\"\nreport = \"r.json\"",
                )]),
                false,
            ),
            (spec_with(&[("os = \"macos\"\n", "")]), false),
            (spec_with(&[(HASH, "nothex")]), false),
            (
                spec_with(&[("python = \"3.11.7\"", "python = 3.11")]),
                false,
            ),
            (spec_with(&[("[job]", "[jobs]")]), false),
        ];
        assert!(samples.len() >= 10);
        for (text, valid) in samples {
            let schema_ok = validator.is_valid(&as_json(&text));
            let parser = fx.parse(&text);
            assert_eq!(schema_ok, valid, "schema on:\n{text}");
            assert_eq!(parser.is_ok(), valid, "parser on:\n{text}\n{parser:?}");
        }
    }

    /// The example in docs/plan-spec.md is valid for both the parser and
    /// the schema, so the documentation cannot drift from the code.
    #[test]
    fn the_documented_example_is_valid() {
        let docs =
            fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/plan-spec.md"))
                .unwrap();
        let start = docs.find("```toml\n").unwrap() + "```toml\n".len();
        let example = &docs[start..start + docs[start..].find("```").unwrap()];
        let report_start = docs.find("```json\n").unwrap() + "```json\n".len();
        let report = &docs[report_start..report_start + docs[report_start..].find("```").unwrap()];
        let fx = Fixture::new();
        fx.write("reports/studio-1.json", report);
        let spec = fx.parse(example).unwrap();
        assert_eq!(spec.workers.len(), 2);
        assert!(schema().is_valid(&as_json(example)));
    }
}
