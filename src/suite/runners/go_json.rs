//! Converting a `go test -json` event stream into JUnit XML.
//!
//! The stream is newline-separated `test2json` events (`Action`, `Package`,
//! `Test`, `Elapsed`, `Output`; Go 1.24 adds `build-output`/`build-fail`
//! events keyed by `ImportPath`, and `FailedBuild` on a package's `fail`).
//! The report has one `<testsuite>` per package and one `<testcase>` per
//! test or subtest (`classname` = package import path, `name` = `TestA` or
//! `TestA/sub`, `time` = `Elapsed`). A failed test's collected output is
//! its failure text (capped at 64 KiB, keeping the start and the end).
//!
//! Two tests of one name in one package (`TestX` in `package d` and in the
//! external `package d_test`, both of which go runs, one after the other)
//! are two testcases of that name: the stream names them alike, and each
//! of go's passes over the tests (`-count`, `-cpu`) runs both in one order,
//! so a name run twice as often as every test runs is two tests, its runs
//! taken in turn. Where both run in parallel (`t.Parallel`) their events
//! cannot be told apart, and they stay one testcase, failed if either is.
//!
//! Nothing that failed is dropped: a test that started but never reported a
//! result counts as failed, and a package that failed (or never reported a
//! result) without any failed test — a compile error, a panic in `init` or
//! `TestMain`, a timeout — gets an errored testcase named after the package,
//! with the package's output and build output as its text. Build failures of
//! packages that no tested package claims get a suite of their own.

use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;
use std::io::{BufRead, Seek, Write};

use serde::Deserialize;

use super::RunnerError;
use crate::xml::{escape_attr, escape_text};

/// At most this much of one test's output goes into the report.
const OUTPUT_CAP: usize = 64 * 1024;

/// Longest `message` attribute taken from a test's output.
const MESSAGE_CAP: usize = 200;

/// One `test2json` event; unknown fields are ignored, missing ones empty.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
struct Event {
    action: String,
    package: String,
    test: String,
    elapsed: Option<f64>,
    output: String,
    import_path: String,
    failed_build: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    Pass,
    Fail,
    Skip,
}

/// Text kept up to [`OUTPUT_CAP`]: the first half and the last half, with a
/// count of what was left out in between.
#[derive(Debug, Default)]
struct Capped {
    head: String,
    tail: String,
    omitted: usize,
}

impl Capped {
    const HALF: usize = OUTPUT_CAP / 2;

    fn push(&mut self, text: &str) {
        if self.omitted == 0 && self.tail.is_empty() && self.head.len() + text.len() <= OUTPUT_CAP {
            self.head.push_str(text);
            return;
        }
        if self.tail.is_empty() && self.omitted == 0 && self.head.len() > Self::HALF {
            // First overflow: move everything past the first half to the tail.
            let cut = self.head.floor_char_boundary(Self::HALF);
            self.tail = self.head.split_off(cut);
        }
        self.tail.push_str(text);
        if self.tail.len() > Self::HALF {
            let cut = self.tail.ceil_char_boundary(self.tail.len() - Self::HALF);
            self.omitted += cut;
            self.tail.drain(..cut);
        }
    }

    fn is_empty(&self) -> bool {
        self.head.is_empty() && self.tail.is_empty()
    }

    fn render(&self) -> String {
        if self.omitted == 0 {
            return format!("{}{}", self.head, self.tail);
        }
        format!(
            "{}\n[... {} bytes of output omitted ...]\n{}",
            self.head, self.omitted, self.tail
        )
    }

    /// The first line that says something (not go's own framing lines,
    /// nor the race detector's ruler of `=` above `WARNING: DATA RACE`).
    fn first_message_line(&self) -> Option<String> {
        let text = if self.head.is_empty() {
            &self.tail
        } else {
            &self.head
        };
        text.lines()
            .map(str::trim)
            .find(|line| {
                !line.is_empty()
                    && !line.bytes().all(|b| b == b'=')
                    && ![
                        "=== RUN",
                        "=== PAUSE",
                        "=== CONT",
                        "=== NAME",
                        "--- FAIL",
                        "--- PASS",
                        "--- SKIP",
                        "--- BENCH",
                    ]
                    .iter()
                    .any(|frame| line.starts_with(frame))
            })
            .map(|line| {
                let cut = line.floor_char_boundary(MESSAGE_CAP);
                line[..cut].to_owned()
            })
    }
}

#[derive(Debug)]
struct Case {
    name: String,
    output: Capped,
    outcome: Option<Outcome>,
    elapsed: Option<f64>,
    /// Run again (`-count=N`) after a verdict, with no verdict since: the
    /// run died (a crash, `os.Exit`, the timeout), and an earlier pass is
    /// not the test's.
    rerun_pending: bool,
    /// The current run's output (its end, where verdicts are), read for a
    /// verdict test2json missed when the run ends.
    run_text: String,
    /// An earlier run (`-count=N`) ended in a glued `--- FAIL`.
    glued_fail: bool,
    /// Paused by `t.Parallel` and not yet continued: go holds a top-level
    /// parallel test until the sequential ones end, so one that hangs
    /// leaves it waiting, its body never run.
    paused: bool,
}

/// How much of a run's output is kept for its glued verdict.
const RUN_TEXT_CAP: usize = 16 * 1024;

impl Case {
    fn push_output(&mut self, text: &str) {
        self.output.push(text);
        self.run_text.push_str(text);
        if self.run_text.len() > 2 * RUN_TEXT_CAP {
            let cut = self
                .run_text
                .ceil_char_boundary(self.run_text.len() - RUN_TEXT_CAP);
            self.run_text.drain(..cut);
        }
    }

    /// Another run starts: the one before ended with its output.
    fn next_run(&mut self) {
        if verdict_in_output(&self.run_text, &self.name) == Some(Outcome::Fail) {
            self.glued_fail = true;
        }
        self.run_text.clear();
    }
}

#[derive(Debug, Default)]
struct Package {
    name: String,
    cases: Vec<Case>,
    /// By name, the case of each test of that name (two where two tests
    /// share it).
    index: HashMap<String, [Option<usize>; 2]>,
    /// The top-level names two tests share, and the runs of each so far.
    twin_runs: HashMap<String, usize>,
    /// By top-level name, where its runs stand (to set apart a run nested
    /// inside another of its name).
    runs: HashMap<String, Runs>,
    output: Capped,
    outcome: Option<Outcome>,
    elapsed: Option<f64>,
    failed_build: String,
}

impl Package {
    fn case(&mut self, name: &str, twin: usize) -> &mut Case {
        // Looked up by `&str`: every output line of a test comes here.
        let at = match self.index.get(name).and_then(|slots| slots[twin]) {
            Some(at) => at,
            None => {
                self.cases.push(Case {
                    name: name.to_owned(),
                    output: Capped::default(),
                    outcome: None,
                    elapsed: None,
                    rerun_pending: false,
                    run_text: String::new(),
                    glued_fail: false,
                    paused: false,
                });
                let at = self.cases.len() - 1;
                self.index.entry(name.to_owned()).or_default()[twin] = Some(at);
                at
            }
        };
        &mut self.cases[at]
    }

    /// Whether an event of `action` about `test` (under the top-level
    /// name `top`) belongs to a run nested in another of `top`'s (see
    /// [`Runs`]). Output events are looked up without a new entry.
    fn nested(&mut self, top: &str, test: &str, action: &str) -> bool {
        if test != top || action == "output" {
            return self.runs.get(top).is_some_and(Runs::in_nested);
        }
        // A run under way whose output already holds its verdict ended
        // with a verdict test2json missed (glued to a `fmt.Print`): the
        // next run is the test's next, not one nested in it.
        let ended = action == "run" && self.ended_unseen(top);
        let runs = self.runs.entry(top.to_owned()).or_default();
        if ended {
            *runs = Runs::default();
        }
        runs.nested(action)
    }

    /// Whether the run under way of `top` printed its verdict unseen.
    fn ended_unseen(&self, top: &str) -> bool {
        let twin = self
            .twin_runs
            .get(top)
            .map_or(0, |runs| runs.saturating_sub(1) % 2);
        self.index
            .get(top)
            .and_then(|slots| slots[twin])
            .is_some_and(|at| verdict_in_output(&self.cases[at].run_text, top).is_some())
    }

    /// Which of the tests named `test` (a top-level name or a subtest of
    /// one) an event of `action` is about: the run under way of its
    /// top-level name, taken in turn where two tests share it.
    fn twin_of(&mut self, test: &str, action: &str) -> usize {
        let top = test.split('/').next().unwrap_or(test);
        let Some(runs) = self.twin_runs.get_mut(top) else {
            return 0;
        };
        if action == "run" && test == top {
            *runs += 1;
        }
        runs.saturating_sub(1) % 2
    }
}

/// Where a top-level test's runs stand, to tell a run nested inside
/// another of its name from a test's next run or its twin. A meta-test
/// (testify's suite tests) runs a test of its own name through
/// `testing.RunTests` and expects it to fail: go prints the inner run's
/// events under the same name (run, run, fail, pass) and passes the
/// package on the outer verdict, so the inner run is the outer's output,
/// not a result (round 67 read two failed tests there, one "crashed").
#[derive(Debug, Default)]
struct Runs {
    open: bool,
    paused: bool,
    nested: usize,
}

impl Runs {
    /// Whether an event of `action` about the top-level test is about a
    /// run nested inside the one under way. A run starting while another
    /// of the name is paused (`t.Parallel`) is a twin's, not nested.
    fn nested(&mut self, action: &str) -> bool {
        match action {
            "run" if self.open && !self.paused => {
                self.nested += 1;
                true
            }
            "run" => {
                (self.open, self.paused) = (true, false);
                false
            }
            "pause" => {
                self.paused = true;
                false
            }
            "cont" => {
                self.paused = false;
                false
            }
            "pass" | "fail" | "skip" | "bench" if self.nested > 0 => {
                self.nested -= 1;
                true
            }
            "pass" | "fail" | "skip" | "bench" => {
                self.open = false;
                false
            }
            _ => false,
        }
    }

    /// Whether a nested run is under way (its subtests' events are its).
    fn in_nested(&self) -> bool {
        self.nested > 0
    }
}

#[derive(Debug, Default)]
struct Stream {
    /// By package, the top-level names two tests share.
    twins: HashMap<String, HashSet<String>>,
    packages: Vec<Package>,
    index: HashMap<String, usize>,
    build_output: HashMap<String, Capped>,
    build_order: Vec<String>,
    build_failed: Vec<String>,
    stray: Capped,
}

impl Stream {
    fn package(&mut self, name: &str) -> &mut Package {
        let at = match self.index.get(name) {
            Some(&at) => at,
            None => {
                let twins = self.twins.remove(name).unwrap_or_default();
                self.packages.push(Package {
                    name: name.to_owned(),
                    twin_runs: twins.into_iter().map(|test| (test, 0)).collect(),
                    ..Package::default()
                });
                self.index.insert(name.to_owned(), self.packages.len() - 1);
                self.packages.len() - 1
            }
        };
        &mut self.packages[at]
    }

    fn apply(&mut self, event: Event) {
        let outcome = match event.action.as_str() {
            "pass" | "bench" => Some(Outcome::Pass),
            "fail" => Some(Outcome::Fail),
            "skip" => Some(Outcome::Skip),
            _ => None,
        };
        match event.action.as_str() {
            "build-output" => {
                let key = event.import_path;
                if !self.build_output.contains_key(&key) {
                    self.build_order.push(key.clone());
                }
                self.build_output
                    .entry(key)
                    .or_default()
                    .push(&event.output);
                return;
            }
            "build-fail" => {
                if !self.build_failed.contains(&event.import_path) {
                    self.build_failed.push(event.import_path);
                }
                return;
            }
            _ => {}
        }
        if event.package.is_empty() {
            if event.action == "output" {
                self.stray.push(&event.output);
            }
            return;
        }
        let package = self.package(&event.package);
        if event.test.is_empty() {
            match event.action.as_str() {
                "output" => package.output.push(&event.output),
                _ if outcome.is_some() => {
                    package.outcome = outcome;
                    package.elapsed = event.elapsed;
                    if !event.failed_build.is_empty() {
                        package.failed_build = event.failed_build;
                    }
                }
                _ => {}
            }
            return;
        }
        let top = event.test.split('/').next().unwrap_or(&event.test);
        if package.nested(top, &event.test, &event.action) {
            // Its output is the outer run's: printed inside it, as go does.
            if event.action == "output" {
                let twin = package.twin_of(top, "output");
                package.case(top, twin).push_output(&event.output);
            }
            return;
        }
        let twin = package.twin_of(&event.test, &event.action);
        let case = package.case(&event.test, twin);
        match event.action.as_str() {
            "output" => case.push_output(&event.output),
            "run" => {
                case.next_run();
                case.rerun_pending = case.outcome.is_some();
                case.paused = false;
            }
            "pause" => case.paused = true,
            "cont" => case.paused = false,
            // `-count=N` runs a test N times in one process: a failure in
            // any run is the test's (the last run's pass hid it, and the
            // package's failure was pinned on no test), and its time is
            // all of them.
            _ if outcome.is_some() => {
                case.rerun_pending = false;
                if case.outcome != Some(Outcome::Fail) {
                    case.outcome = outcome;
                }
                case.elapsed = match (case.elapsed, event.elapsed) {
                    (Some(before), Some(now)) => Some(before + now),
                    (before, now) => now.or(before),
                };
            }
            _ => {}
        }
    }
}

/// The failure type of a test that started and never finished (the test
/// binary crashed, was killed, or exited early).
pub const INCOMPLETE: &str = "incomplete";

/// The failure type of a top-level test that never finished because it
/// was still paused (`t.Parallel`) when the binary ended: another test held
/// it back (round 69: a hang blamed the parallel tests waiting behind it).
pub const PAUSED: &str = "paused";

/// The message and failure type of a package that did not compile (or
/// failed `go vet`).
pub const BUILD_FAILED: &str = "build failed";

/// The message and type of a package that failed though none of its tests
/// did (a `TestMain` check after the tests, an `init` panic).
pub const PACKAGE_FAILED: &str = "package failed outside of any test";

/// Converts a `go test -json` event stream (one JSON object per line) into a
/// JUnit XML document written to `out`, and returns the packages that
/// passed without running a test: `-run` or `-skip` selected none of
/// theirs, or they hold only benchmarks, fuzz targets or helpers. They ran,
/// go says so, and JUnit has no way to (a suite of no case looks like one
/// that never ran).
///
/// Lines that are not JSON events are tolerated: when the stream has no
/// package events at all, they become an errored testcase so a `go` failure
/// printed there is not lost. Only reading or writing can fail.
pub fn go_json_to_junit(
    mut json_lines: impl BufRead + Seek,
    mut out: impl Write,
    passes: usize,
) -> Result<Vec<String>, RunnerError> {
    let twins = twins(&mut json_lines, passes)?;
    json_lines
        .rewind()
        .map_err(|e| RunnerError::io("cannot read the go test -json output", e))?;
    let stream = read_stream(json_lines, twins)?;
    let xml = render(&stream);
    out.write_all(xml.as_bytes())
        .and_then(|()| out.flush())
        .map_err(|e| RunnerError::io("cannot write the JUnit report", e))?;
    Ok(stream
        .packages
        .into_iter()
        .filter(|p| matches!(p.outcome, Some(Outcome::Pass)) && p.cases.is_empty())
        .map(|p| p.name)
        .collect())
}

/// What a first look at an event needs.
#[derive(Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
struct Glance {
    action: String,
    package: String,
    test: String,
}

/// The top-level test names two tests share in a package: run twice as
/// often as each of go's `passes` runs a test, and never paused
/// (`t.Parallel`), where the two tests' events interleave under one name.
/// Only `Test…` functions: examples and fuzz targets run otherwise.
fn twins(
    input: &mut impl BufRead,
    passes: usize,
) -> Result<HashMap<String, HashSet<String>>, RunnerError> {
    let mut runs: HashMap<(String, String), usize> = HashMap::new();
    let mut parallel: HashSet<(String, String)> = HashSet::new();
    // Most events are `output`: only a line holding one of the actions
    // looked for is parsed (a quote inside a JSON string is escaped, so
    // `"run"` is that token, never output text). The pass cost 30% of the
    // conversion when every line was parsed (`cargo bench --bench suite go`).
    // Terminal actions too, to set apart a run nested in another (see
    // [`Runs`]), which is neither a second run nor a twin.
    let actions = [
        r#""run""#,
        r#""pause""#,
        r#""cont""#,
        r#""pass""#,
        r#""fail""#,
        r#""skip""#,
    ]
    .map(memchr::memmem::Finder::new);
    let mut states: HashMap<(String, String), Runs> = HashMap::new();
    each_line(input, |line| {
        if !actions.iter().any(|a| a.find(line).is_some()) {
            return;
        }
        let Ok(event) = serde_json::from_slice::<Glance>(line.trim_ascii()) else {
            return;
        };
        if event.test.contains('/') || !event.test.starts_with("Test") {
            return;
        }
        let key = (event.package, event.test);
        let nested = states.entry(key.clone()).or_default().nested(&event.action);
        match event.action.as_str() {
            "run" if !nested => *runs.entry(key).or_default() += 1,
            "pause" | "cont" => {
                parallel.insert(key);
            }
            _ => {}
        }
    })?;
    let mut twins: HashMap<String, HashSet<String>> = HashMap::new();
    for (key, runs) in runs {
        if runs == 2 * passes.max(1) && !parallel.contains(&key) {
            twins.entry(key.0).or_default().insert(key.1);
        }
    }
    Ok(twins)
}

/// Calls `f` with each line of `input`, its newline included.
fn each_line(input: &mut impl BufRead, mut f: impl FnMut(&[u8])) -> Result<(), RunnerError> {
    let mut line = Vec::new();
    loop {
        line.clear();
        let read = input
            .read_until(b'\n', &mut line)
            .map_err(|e| RunnerError::io("cannot read the go test -json output", e))?;
        if read == 0 {
            return Ok(());
        }
        f(&line);
    }
}

fn read_stream(
    mut input: impl BufRead,
    twins: HashMap<String, HashSet<String>>,
) -> Result<Stream, RunnerError> {
    let mut stream = Stream {
        twins,
        ..Stream::default()
    };
    each_line(&mut input, |line| {
        let text = String::from_utf8_lossy(line);
        let trimmed = text.trim();
        if trimmed.is_empty() {
            return;
        }
        match serde_json::from_str::<Event>(trimmed) {
            Ok(event) if !event.action.is_empty() => stream.apply(event),
            _ => {
                // go before 1.24 names a package that did not compile only
                // in such a line (`FAIL\tpkg [build failed]`), beside the
                // other packages' JSON.
                if let Some(package) = failed_build_line(trimmed)
                    && !stream.build_failed.iter().any(|p| p == package)
                {
                    stream.build_failed.push(package.to_owned());
                }
                stream.stray.push(trimmed);
                stream.stray.push("\n");
            }
        }
    })?;
    Ok(stream)
}

/// The package of go's plain `FAIL\t<package> [build failed]` (or `[setup
/// failed]`) line.
fn failed_build_line(line: &str) -> Option<&str> {
    let rest = line.strip_prefix("FAIL")?;
    let rest = rest.strip_prefix(['\t', ' '])?.trim_start();
    let (package, verdict) = rest.split_once(' ')?;
    matches!(verdict.trim(), "[build failed]" | "[setup failed]").then_some(package)
}

/// Counts for a `<testsuite>` or `<testsuites>`.
#[derive(Debug, Default, Clone, Copy)]
struct Counts {
    tests: usize,
    failures: usize,
    errors: usize,
    skipped: usize,
    time: f64,
}

impl Counts {
    fn add(&mut self, other: Counts) {
        self.tests += other.tests;
        self.failures += other.failures;
        self.errors += other.errors;
        self.skipped += other.skipped;
        self.time += other.time;
    }

    fn attributes(&self) -> String {
        format!(
            r#"tests="{}" failures="{}" errors="{}" skipped="{}" time="{}""#,
            self.tests,
            self.failures,
            self.errors,
            self.skipped,
            seconds(self.time)
        )
    }
}

fn seconds(value: f64) -> String {
    if value.is_finite() && value > 0.0 {
        format!("{value:.3}")
    } else {
        "0.000".to_owned()
    }
}

fn render(stream: &Stream) -> String {
    let mut suites = String::new();
    let mut total = Counts::default();
    let mut claimed: HashSet<&str> = HashSet::new();

    for package in &stream.packages {
        let (body, counts) = render_package(stream, package, &mut claimed);
        total.add(counts);
        let _ = writeln!(
            suites,
            r#"  <testsuite name="{}" {}>"#,
            escape_attr(&package.name),
            counts.attributes()
        );
        suites.push_str(&body);
        suites.push_str("  </testsuite>\n");
    }

    // Build failures no tested package accounted for.
    for path in &stream.build_failed {
        if claimed.contains(path.as_str()) {
            continue;
        }
        let text = stream
            .build_output
            .get(path)
            .map(Capped::render)
            .unwrap_or_default();
        let name = path.split(" [").next().unwrap_or(path);
        let counts = Counts {
            tests: 1,
            errors: 1,
            ..Counts::default()
        };
        total.add(counts);
        let _ = writeln!(
            suites,
            r#"  <testsuite name="{}" {}>"#,
            escape_attr(name),
            counts.attributes()
        );
        suites.push_str(&error_case(name, name, BUILD_FAILED, &text));
        suites.push_str("  </testsuite>\n");
    }

    // A stream with no package at all: keep whatever it said.
    if stream.packages.is_empty() && stream.build_failed.is_empty() && !stream.stray.is_empty() {
        let counts = Counts {
            tests: 1,
            errors: 1,
            ..Counts::default()
        };
        total.add(counts);
        let _ = writeln!(
            suites,
            r#"  <testsuite name="go test" {}>"#,
            counts.attributes()
        );
        let stray = stream.stray.render();
        // go before 1.24 names a package that did not compile only here.
        let message = if stray.contains("[build failed]") {
            BUILD_FAILED
        } else {
            "go test reported no package results"
        };
        suites.push_str(&error_case("go test", "go test", message, &stray));
        suites.push_str("  </testsuite>\n");
    }

    let mut xml = String::with_capacity(suites.len() + 128);
    xml.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(xml, r#"<testsuites name="go test" {}>"#, total.attributes());
    xml.push_str(&suites);
    xml.push_str("</testsuites>\n");
    xml
}

/// The verdict go printed for a test that test2json did not read as one:
/// go before 1.20 misses `--- PASS: TestX (0.00s)` when the test's own
/// output ended without a newline (`fmt.Print("100%")`) and the verdict
/// followed on that line. Only go's own words. A failure found there wins
/// over any other run's verdict (`-count=N`: a failure in any run is the
/// test's); a pass or skip stands only for a test with no result otherwise
/// (it would be failed as crashed).
fn outcome_of(case: &Case) -> Option<Outcome> {
    let recorded = match case.outcome {
        Some(Outcome::Fail) => Some(Outcome::Fail),
        // A later run never finished: no earlier pass stands for it.
        _ if case.rerun_pending => None,
        recorded => recorded,
    };
    let glued = match case.glued_fail {
        true => Some(Outcome::Fail),
        false => verdict_in_output(&case.run_text, &case.name),
    };
    match (recorded, glued) {
        (_, Some(Outcome::Fail)) => Some(Outcome::Fail),
        (Some(recorded), _) => Some(recorded),
        (None, glued) if !case.rerun_pending => glued,
        (None, _) => None,
    }
}

/// A verdict is glued where test2json missed it: after the test's own
/// text on one line (`progress--- FAIL: TestX (0.00s)`, `\t50%--- PASS: …`;
/// after nothing but blanks, test2json reads it itself), which the verdict
/// ends, on a line that is not `t.Log` output (`    x_test.go:12: …`, and
/// its continuation lines, indented further): a test logging a child
/// process's output holds verdict lines that are not its own.
fn verdict_in_output(output: &str, name: &str) -> Option<Outcome> {
    let mut in_log = false;
    let mut glued_lines = Vec::new();
    for line in output.lines() {
        let indent = line.len() - line.trim_start().len();
        if t_log_line(line) {
            in_log = true;
            continue;
        }
        // A t.Log message's later lines are indented past its first.
        if in_log && indent >= 8 {
            continue;
        }
        in_log = false;
        glued_lines.push(line);
    }
    // Where a verdict of this test stands on a line: glued after text,
    // or alone (test2json read that one).
    let verdict_at = |line: &str, marker: &str| {
        line.match_indices(marker).find_map(|(at, _)| {
            let duration = line[at + marker.len()..].trim_end();
            let ends = duration.strip_suffix("s)").is_some_and(|seconds| {
                !seconds.is_empty() && seconds.chars().all(|c| c.is_ascii_digit() || c == '.')
            });
            ends.then(|| !line[..at].trim().is_empty())
        })
    };
    let markers = [
        ("--- FAIL: ", Outcome::Fail),
        ("--- PASS: ", Outcome::Pass),
        ("--- SKIP: ", Outcome::Skip),
    ]
    .map(|(verdict, outcome)| (format!("{verdict}{name} ("), outcome));
    // The last verdict line is the test's: a child process's `--- FAIL`
    // printed before the test's own `--- PASS` line is not (go passed it).
    let last = glued_lines.iter().rev().find_map(|line| {
        markers
            .iter()
            .find_map(|(marker, outcome)| Some((verdict_at(line, marker)?, *outcome)))
    });
    match last {
        Some((true, outcome)) => Some(outcome),
        _ => None,
    }
}

/// `    name_test.go:12: message`: the first line of a `t.Log`.
fn t_log_line(line: &str) -> bool {
    let Some(text) = line.strip_prefix("    ") else {
        return false;
    };
    let Some((file, rest)) = text.trim_start().split_once(".go:") else {
        return false;
    };
    let digits = rest.find(|c: char| !c.is_ascii_digit()).unwrap_or(0);
    !file.is_empty() && !file.contains(' ') && digits > 0 && rest[digits..].starts_with(':')
}

fn render_package<'a>(
    stream: &'a Stream,
    package: &'a Package,
    claimed: &mut HashSet<&'a str>,
) -> (String, Counts) {
    let mut body = String::new();
    let mut counts = Counts::default();
    let classname = escape_attr(&package.name);
    let mut any_failed = false;

    for case in &package.cases {
        counts.tests += 1;
        let time = case.elapsed.unwrap_or(0.0);
        if time.is_finite() && time > 0.0 {
            counts.time += time;
        }
        let _ = write!(
            body,
            r#"    <testcase classname="{}" name="{}" time="{}""#,
            classname,
            escape_attr(&case.name),
            seconds(time)
        );
        let outcome = outcome_of(case);
        match outcome {
            Some(Outcome::Pass) => body.push_str("/>\n"),
            Some(Outcome::Skip) => {
                counts.skipped += 1;
                let message = case
                    .output
                    .first_message_line()
                    .unwrap_or_else(|| "skipped".to_owned());
                let _ = writeln!(
                    body,
                    ">\n      <skipped message=\"{}\"/>\n    </testcase>",
                    escape_attr(&message)
                );
            }
            Some(Outcome::Fail) | None => {
                counts.failures += 1;
                any_failed = true;
                // A top-level test still paused (`t.Parallel`) never ran.
                let (message, kind) = match outcome {
                    None if case.paused && !case.name.contains('/') => (
                        "no result reported: waiting to run in parallel (t.Parallel) when the test binary ended".to_owned(),
                        PAUSED,
                    ),
                    None => (
                        "no result reported: the test binary crashed, timed out or exited early"
                            .to_owned(),
                        INCOMPLETE,
                    ),
                    Some(_) => (
                        case.output
                            .first_message_line()
                            .unwrap_or_else(|| "failed".to_owned()),
                        "failure",
                    ),
                };
                let _ = writeln!(
                    body,
                    ">\n      <failure message=\"{}\" type=\"{}\">{}</failure>\n    </testcase>",
                    escape_attr(&message),
                    kind,
                    escape_text(&case.output.render())
                );
            }
        }
    }

    // The package failed (or never finished) with no failed test to show it.
    let package_failed = matches!(package.outcome, Some(Outcome::Fail) | None);
    if package_failed && !any_failed {
        let mut text = String::new();
        let mut build_failed = !package.failed_build.is_empty();
        for path in &stream.build_order {
            let related = *path == package.failed_build
                || *path == package.name
                || path.starts_with(&format!("{} [", package.name));
            if related {
                if stream.build_failed.contains(path) {
                    build_failed = true;
                }
                claimed.insert(path.as_str());
                if let Some(output) = stream.build_output.get(path) {
                    text.push_str(&output.render());
                }
            }
        }
        claimed.insert(package.failed_build.as_str());
        let package_output = package.output.render();
        if package_output.contains("[build failed]") {
            build_failed = true;
        }
        text.push_str(&package_output);
        let message = if build_failed {
            BUILD_FAILED
        } else if package_output.contains("[setup failed]") {
            "setup failed"
        } else if package.outcome.is_none() {
            "package reported no result"
        } else {
            PACKAGE_FAILED
        };
        counts.tests += 1;
        counts.errors += 1;
        body.push_str(&error_case(&package.name, &package.name, message, &text));
    } else if package_failed {
        // Its build failure (if any) is explained by the failed tests.
        claimed.insert(package.failed_build.as_str());
    }
    if let Some(elapsed) = package.elapsed.filter(|e| e.is_finite() && *e > 0.0) {
        counts.time = elapsed;
    }
    (body, counts)
}

fn error_case(classname: &str, name: &str, message: &str, text: &str) -> String {
    format!(
        "    <testcase classname=\"{}\" name=\"{}\" time=\"0.000\">\n      <error message=\"{}\" type=\"{}\">{}</error>\n    </testcase>\n",
        escape_attr(classname),
        escape_attr(name),
        escape_attr(message),
        escape_attr(message),
        escape_text(text)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn convert(stream: &str) -> String {
        convert_passes(stream, 1)
    }

    /// As a process that runs each test `passes` times (`-count`, `-cpu`).
    fn convert_passes(stream: &str, passes: usize) -> String {
        let mut out = Vec::new();
        go_json_to_junit(std::io::Cursor::new(stream.as_bytes()), &mut out, passes).unwrap();
        String::from_utf8(out).unwrap()
    }

    /// Recorded-style output of `go test -json ./...` for a module with a
    /// passing package, a package with a failing test (with output), a
    /// skipped test, subtests, a package without tests and a package that
    /// does not compile (pre-1.24 style: the compiler's message only in the
    /// package's own output) plus a Go 1.24-style build failure.
    const STREAM: &str = r##"{"Time":"2024-05-01T10:00:00.000Z","Action":"start","Package":"example.com/m/good"}
{"Time":"2024-05-01T10:00:00.001Z","Action":"run","Package":"example.com/m/good","Test":"TestOK"}
{"Time":"2024-05-01T10:00:00.001Z","Action":"output","Package":"example.com/m/good","Test":"TestOK","Output":"=== RUN   TestOK\n"}
{"Time":"2024-05-01T10:00:00.002Z","Action":"output","Package":"example.com/m/good","Test":"TestOK","Output":"--- PASS: TestOK (0.01s)\n"}
{"Time":"2024-05-01T10:00:00.002Z","Action":"pass","Package":"example.com/m/good","Test":"TestOK","Elapsed":0.01}
{"Time":"2024-05-01T10:00:00.003Z","Action":"output","Package":"example.com/m/good","Output":"PASS\n"}
{"Time":"2024-05-01T10:00:00.003Z","Action":"output","Package":"example.com/m/good","Output":"ok  \texample.com/m/good\t0.012s\n"}
{"Time":"2024-05-01T10:00:00.003Z","Action":"pass","Package":"example.com/m/good","Elapsed":0.012}
{"Time":"2024-05-01T10:00:00.000Z","Action":"start","Package":"example.com/m/bad"}
{"Time":"2024-05-01T10:00:00.010Z","Action":"run","Package":"example.com/m/bad","Test":"TestFails"}
{"Time":"2024-05-01T10:00:00.010Z","Action":"output","Package":"example.com/m/bad","Test":"TestFails","Output":"=== RUN   TestFails\n"}
{"Time":"2024-05-01T10:00:00.011Z","Action":"output","Package":"example.com/m/bad","Test":"TestFails","Output":"    bad_test.go:12: got 1 <want> 2 & \"more\"\n"}
{"Time":"2024-05-01T10:00:00.011Z","Action":"output","Package":"example.com/m/bad","Test":"TestFails","Output":"--- FAIL: TestFails (0.00s)\n"}
{"Time":"2024-05-01T10:00:00.011Z","Action":"fail","Package":"example.com/m/bad","Test":"TestFails","Elapsed":0}
{"Time":"2024-05-01T10:00:00.012Z","Action":"run","Package":"example.com/m/bad","Test":"TestSkipped"}
{"Time":"2024-05-01T10:00:00.012Z","Action":"output","Package":"example.com/m/bad","Test":"TestSkipped","Output":"=== RUN   TestSkipped\n"}
{"Time":"2024-05-01T10:00:00.012Z","Action":"output","Package":"example.com/m/bad","Test":"TestSkipped","Output":"    bad_test.go:20: needs a database\n"}
{"Time":"2024-05-01T10:00:00.012Z","Action":"output","Package":"example.com/m/bad","Test":"TestSkipped","Output":"--- SKIP: TestSkipped (0.00s)\n"}
{"Time":"2024-05-01T10:00:00.012Z","Action":"skip","Package":"example.com/m/bad","Test":"TestSkipped","Elapsed":0}
{"Time":"2024-05-01T10:00:00.013Z","Action":"run","Package":"example.com/m/bad","Test":"TestTable"}
{"Time":"2024-05-01T10:00:00.013Z","Action":"output","Package":"example.com/m/bad","Test":"TestTable","Output":"=== RUN   TestTable\n"}
{"Time":"2024-05-01T10:00:00.013Z","Action":"run","Package":"example.com/m/bad","Test":"TestTable/case_1"}
{"Time":"2024-05-01T10:00:00.013Z","Action":"output","Package":"example.com/m/bad","Test":"TestTable/case_1","Output":"=== RUN   TestTable/case_1\n"}
{"Time":"2024-05-01T10:00:00.014Z","Action":"run","Package":"example.com/m/bad","Test":"TestTable/case_2"}
{"Time":"2024-05-01T10:00:00.014Z","Action":"output","Package":"example.com/m/bad","Test":"TestTable/case_2","Output":"=== RUN   TestTable/case_2\n"}
{"Time":"2024-05-01T10:00:00.014Z","Action":"output","Package":"example.com/m/bad","Test":"TestTable/case_2","Output":"    bad_test.go:31: case 2: \u001b[31mboom\u001b[0m\n"}
{"Time":"2024-05-01T10:00:00.015Z","Action":"output","Package":"example.com/m/bad","Test":"TestTable","Output":"--- FAIL: TestTable (0.02s)\n"}
{"Time":"2024-05-01T10:00:00.015Z","Action":"output","Package":"example.com/m/bad","Test":"TestTable/case_1","Output":"    --- PASS: TestTable/case_1 (0.00s)\n"}
{"Time":"2024-05-01T10:00:00.015Z","Action":"pass","Package":"example.com/m/bad","Test":"TestTable/case_1","Elapsed":0}
{"Time":"2024-05-01T10:00:00.015Z","Action":"output","Package":"example.com/m/bad","Test":"TestTable/case_2","Output":"    --- FAIL: TestTable/case_2 (0.02s)\n"}
{"Time":"2024-05-01T10:00:00.015Z","Action":"fail","Package":"example.com/m/bad","Test":"TestTable/case_2","Elapsed":0.02}
{"Time":"2024-05-01T10:00:00.015Z","Action":"fail","Package":"example.com/m/bad","Test":"TestTable","Elapsed":0.02}
{"Time":"2024-05-01T10:00:00.016Z","Action":"output","Package":"example.com/m/bad","Output":"FAIL\n"}
{"Time":"2024-05-01T10:00:00.016Z","Action":"output","Package":"example.com/m/bad","Output":"FAIL\texample.com/m/bad\t0.030s\n"}
{"Time":"2024-05-01T10:00:00.016Z","Action":"fail","Package":"example.com/m/bad","Elapsed":0.03}
{"Time":"2024-05-01T10:00:00.000Z","Action":"start","Package":"example.com/m/notests"}
{"Time":"2024-05-01T10:00:00.017Z","Action":"output","Package":"example.com/m/notests","Output":"?   \texample.com/m/notests\t[no test files]\n"}
{"Time":"2024-05-01T10:00:00.017Z","Action":"skip","Package":"example.com/m/notests","Elapsed":0}
{"Time":"2024-05-01T10:00:00.000Z","Action":"start","Package":"example.com/m/broken"}
{"Time":"2024-05-01T10:00:00.018Z","Action":"output","Package":"example.com/m/broken","Output":"FAIL\texample.com/m/broken [build failed]\n"}
{"Time":"2024-05-01T10:00:00.018Z","Action":"fail","Package":"example.com/m/broken","Elapsed":0}
{"ImportPath":"example.com/m/new [example.com/m/new.test]","Action":"build-output","Output":"# example.com/m/new [example.com/m/new.test]\n"}
{"ImportPath":"example.com/m/new [example.com/m/new.test]","Action":"build-output","Output":"new/new_test.go:5:2: undefined: Missing\n"}
{"ImportPath":"example.com/m/new [example.com/m/new.test]","Action":"build-fail"}
{"Time":"2024-05-01T10:00:00.019Z","Action":"start","Package":"example.com/m/new"}
{"Time":"2024-05-01T10:00:00.019Z","Action":"output","Package":"example.com/m/new","Output":"FAIL\texample.com/m/new [build failed]\n"}
{"Time":"2024-05-01T10:00:00.019Z","Action":"fail","Package":"example.com/m/new","Elapsed":0,"FailedBuild":"example.com/m/new [example.com/m/new.test]"}
"##;

    #[test]
    fn realistic_stream() {
        let xml = convert(STREAM);
        let expected = r##"<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="go test" tests="8" failures="3" errors="2" skipped="1" time="0.042">
  <testsuite name="example.com/m/good" tests="1" failures="0" errors="0" skipped="0" time="0.012">
    <testcase classname="example.com/m/good" name="TestOK" time="0.010"/>
  </testsuite>
  <testsuite name="example.com/m/bad" tests="5" failures="3" errors="0" skipped="1" time="0.030">
    <testcase classname="example.com/m/bad" name="TestFails" time="0.000">
      <failure message="bad_test.go:12: got 1 &lt;want&gt; 2 &amp; &quot;more&quot;" type="failure">=== RUN   TestFails
    bad_test.go:12: got 1 &lt;want&gt; 2 &amp; &quot;more&quot;
--- FAIL: TestFails (0.00s)
</failure>
    </testcase>
    <testcase classname="example.com/m/bad" name="TestSkipped" time="0.000">
      <skipped message="bad_test.go:20: needs a database"/>
    </testcase>
    <testcase classname="example.com/m/bad" name="TestTable" time="0.020">
      <failure message="failed" type="failure">=== RUN   TestTable
--- FAIL: TestTable (0.02s)
</failure>
    </testcase>
    <testcase classname="example.com/m/bad" name="TestTable/case_1" time="0.000"/>
    <testcase classname="example.com/m/bad" name="TestTable/case_2" time="0.020">
      <failure message="bad_test.go:31: case 2: [31mboom[0m" type="failure">=== RUN   TestTable/case_2
    bad_test.go:31: case 2: [31mboom[0m
    --- FAIL: TestTable/case_2 (0.02s)
</failure>
    </testcase>
  </testsuite>
  <testsuite name="example.com/m/notests" tests="0" failures="0" errors="0" skipped="0" time="0.000">
  </testsuite>
  <testsuite name="example.com/m/broken" tests="1" failures="0" errors="1" skipped="0" time="0.000">
    <testcase classname="example.com/m/broken" name="example.com/m/broken" time="0.000">
      <error message="build failed" type="build failed">FAIL	example.com/m/broken [build failed]
</error>
    </testcase>
  </testsuite>
  <testsuite name="example.com/m/new" tests="1" failures="0" errors="1" skipped="0" time="0.000">
    <testcase classname="example.com/m/new" name="example.com/m/new" time="0.000">
      <error message="build failed" type="build failed"># example.com/m/new [example.com/m/new.test]
new/new_test.go:5:2: undefined: Missing
FAIL	example.com/m/new [build failed]
</error>
    </testcase>
  </testsuite>
</testsuites>
"##;
        assert_eq!(xml, expected);
    }

    #[test]
    fn a_data_race_is_named_not_its_ruler() {
        let stream = r#"{"Action":"run","Package":"p","Test":"TestRace"}
{"Action":"output","Package":"p","Test":"TestRace","Output":"==================\n"}
{"Action":"output","Package":"p","Test":"TestRace","Output":"WARNING: DATA RACE\n"}
{"Action":"output","Package":"p","Test":"TestRace","Output":"    testing.go:1465: race detected during execution of test\n"}
{"Action":"fail","Package":"p","Test":"TestRace","Elapsed":0.001}
{"Action":"fail","Package":"p","Elapsed":0.005}
"#;
        let xml = convert(stream);
        assert!(xml.contains(r#"message="WARNING: DATA RACE""#), "{xml}");
    }

    #[test]
    fn packages_that_passed_with_no_test_ran_and_selected_none() {
        let stream = concat!(
            r#"{"Action":"output","Package":"p","Output":"testing: warning: no tests to run\n"}"#,
            "\n",
            r#"{"Action":"pass","Package":"p","Elapsed":0.01}"#,
            "\n",
            r#"{"Action":"run","Package":"q","Test":"TestQ"}"#,
            "\n",
            r#"{"Action":"pass","Package":"q","Test":"TestQ"}"#,
            "\n",
            r#"{"Action":"pass","Package":"q"}"#,
            "\n",
            r#"{"Action":"fail","Package":"r"}"#,
            "\n",
            r#"{"Action":"output","Package":"s","Output":"still building\n"}"#,
            "\n",
        );
        // q ran a test; r failed; s never finished: only p selected none.
        let ran_no_test =
            go_json_to_junit(std::io::Cursor::new(stream.as_bytes()), std::io::sink(), 1).unwrap();
        assert_eq!(ran_no_test, ["p"]);
    }

    #[test]
    fn unfinished_tests_and_packages_are_failures() {
        // The binary panicked in TestB while TestA was paused (parallel).
        let stream = r#"{"Action":"run","Package":"p","Test":"TestA"}
{"Action":"pause","Package":"p","Test":"TestA"}
{"Action":"run","Package":"p","Test":"TestB"}
{"Action":"output","Package":"p","Test":"TestB","Output":"panic: runtime error: index out of range [3] with length 3\n"}
{"Action":"output","Package":"p","Test":"TestB","Output":"goroutine 7 [running]:\n"}
{"Action":"fail","Package":"p","Test":"TestB","Elapsed":0.001}
{"Action":"output","Package":"p","Output":"FAIL\tp\t0.005s\n"}
{"Action":"fail","Package":"p","Elapsed":0.005}
{"Action":"run","Package":"q","Test":"TestC"}
"#;
        let xml = convert(stream);
        assert!(
            xml.contains(r#"<testsuite name="p" tests="2" failures="2" errors="0""#),
            "{xml}"
        );
        assert!(xml.contains(r#"name="TestA" time="0.000">"#), "{xml}");
        assert!(xml.contains("no result reported"), "{xml}");
        // TestA never ran past t.Parallel: paused, not incomplete (a hang
        // or a crash held it back); q's TestC started and never ended.
        assert!(
            xml.contains(r#"waiting to run in parallel (t.Parallel) when the test binary ended" type="paused""#),
            "{xml}"
        );
        assert!(xml.contains(r#"type="incomplete""#), "{xml}");
        assert!(
            xml.contains(r#"message="panic: runtime error: index out of range [3] with length 3""#)
        );
        // q never finished: its unfinished test is the failure that shows it.
        assert!(
            xml.contains(r#"<testsuite name="q" tests="1" failures="1" errors="0""#),
            "{xml}"
        );
    }

    #[test]
    fn package_failure_without_failed_tests_is_an_error_case() {
        let stream = r#"{"Action":"start","Package":"p"}
{"Action":"output","Package":"p","Output":"panic: init failed\n"}
{"Action":"output","Package":"p","Output":"FAIL\tp\t0.002s\n"}
{"Action":"fail","Package":"p","Elapsed":0.002}
{"Action":"start","Package":"s"}
{"Action":"output","Package":"s","Output":"FAIL\ts [setup failed]\n"}
{"Action":"fail","Package":"s","Elapsed":0}
{"Action":"start","Package":"k"}
"#;
        let xml = convert(stream);
        assert!(xml.contains(r#"<error message="package failed outside of any test" type="package failed outside of any test">panic: init failed"#), "{xml}");
        assert!(xml.contains(r#"<error message="setup failed""#), "{xml}");
        assert!(
            xml.contains(r#"<error message="package reported no result""#),
            "{xml}"
        );
        assert!(
            xml.contains(r#"<testsuites name="go test" tests="3" failures="0" errors="3""#),
            "{xml}"
        );
    }

    #[test]
    fn a_verdict_glued_to_a_tests_output_is_read() {
        // go 1.19's test2json after `fmt.Print("progress: 100%")`.
        let stream = r#"{"Action":"run","Package":"p","Test":"TestNoNewline"}
{"Action":"output","Package":"p","Test":"TestNoNewline","Output":"=== RUN   TestNoNewline\n"}
{"Action":"output","Package":"p","Test":"TestNoNewline","Output":"progress: 100%--- PASS: TestNoNewline (0.00s)\n"}
{"Action":"output","Package":"p","Output":"PASS\n"}
{"Action":"pass","Package":"p","Elapsed":0.01}
"#;
        let xml = convert(stream);
        assert!(
            xml.contains(r#"<testsuites name="go test" tests="1" failures="0" errors="0""#),
            "{xml}"
        );
    }

    #[test]
    fn a_glued_failure_in_one_run_wins_over_another_runs_pass() {
        // go 1.19 under `-count=2`: the first run fails after a
        // `fmt.Print` without a newline (test2json misses its verdict), the
        // second passes.
        let stream = r#"{"Action":"run","Package":"p","Test":"TestGlued"}
{"Action":"output","Package":"p","Test":"TestGlued","Output":"    x_test.go:9: boom\n"}
{"Action":"output","Package":"p","Test":"TestGlued","Output":"progress--- FAIL: TestGlued (0.00s)\n"}
{"Action":"run","Package":"p","Test":"TestGlued"}
{"Action":"output","Package":"p","Test":"TestGlued","Output":"--- PASS: TestGlued (0.00s)\n"}
{"Action":"pass","Package":"p","Test":"TestGlued","Elapsed":0}
{"Action":"fail","Package":"p","Elapsed":0.1}
"#;
        let xml = convert_passes(stream, 2);
        assert!(
            xml.contains(r#"tests="1" failures="1" errors="0""#),
            "{xml}"
        );
        assert!(xml.contains(r#"type="failure""#), "{xml}");
        assert!(!xml.contains("outside of any test"), "{xml}");
    }

    #[test]
    fn a_verdict_glued_after_output_that_starts_with_a_tab_is_read() {
        // go 1.19 after `fmt.Print("\t50%")`.
        let stream = r#"{"Action":"run","Package":"p","Test":"TestProgress"}
{"Action":"output","Package":"p","Test":"TestProgress","Output":"=== RUN   TestProgress\n"}
{"Action":"output","Package":"p","Test":"TestProgress","Output":"\t50%--- PASS: TestProgress (0.00s)\n"}
{"Action":"output","Package":"p","Output":"PASS\n"}
{"Action":"pass","Package":"p","Elapsed":0.01}
"#;
        let xml = convert(stream);
        assert!(
            xml.contains(r#"tests="1" failures="0" errors="0""#),
            "{xml}"
        );
    }

    #[test]
    fn a_verdict_a_test_logs_is_not_its_own() {
        // A test that runs itself as a child process and logs what the
        // child printed: go says PASS.
        let stream = r#"{"Action":"run","Package":"p","Test":"TestCrasher"}
{"Action":"output","Package":"p","Test":"TestCrasher","Output":"    crash_test.go:20: child said: \"--- FAIL: TestCrasher (0.00s)\\n\"\n"}
{"Action":"output","Package":"p","Test":"TestCrasher","Output":"    crash_test.go:21: raw:\n"}
{"Action":"output","Package":"p","Test":"TestCrasher","Output":"        --- FAIL: TestCrasher (0.00s)\n"}
{"Action":"output","Package":"p","Test":"TestCrasher","Output":"child: --- FAIL: TestCrasher (0.00s) and more\n"}
{"Action":"output","Package":"p","Test":"TestCrasher","Output":"child: --- FAIL: TestCrasher (0.00s)\n"}
{"Action":"output","Package":"p","Test":"TestCrasher","Output":"--- PASS: TestCrasher (0.01s)\n"}
{"Action":"pass","Package":"p","Test":"TestCrasher","Elapsed":0.01}
{"Action":"pass","Package":"p","Elapsed":0.02}
"#;
        let xml = convert(stream);
        assert!(
            xml.contains(r#"tests="1" failures="0" errors="0""#),
            "{xml}"
        );
    }

    #[test]
    fn a_later_run_that_never_finished_is_not_an_earlier_runs_pass() {
        // `-count=2`: the second run calls os.Exit(1).
        let stream = r#"{"Action":"run","Package":"p","Test":"TestExits"}
{"Action":"output","Package":"p","Test":"TestExits","Output":"--- PASS: TestExits (0.00s)\n"}
{"Action":"pass","Package":"p","Test":"TestExits","Elapsed":0}
{"Action":"run","Package":"p","Test":"TestExits"}
{"Action":"output","Package":"p","Output":"FAIL\tp\t0.01s\n"}
{"Action":"fail","Package":"p","Elapsed":0.01}
"#;
        let xml = convert_passes(stream, 2);
        assert!(xml.contains(r#"type="incomplete""#), "{xml}");
        assert!(!xml.contains("outside of any test"), "{xml}");
    }

    /// `TestSame` in `package d` (fails) and in `package d_test` (passes),
    /// with a subtest each: go runs both, the internal one first, in each
    /// pass.
    fn twins_stream(passes: usize) -> String {
        let mut stream = String::new();
        for _ in 0..passes {
            stream.push_str(
                r#"{"Action":"run","Package":"d","Test":"TestOther"}
{"Action":"pass","Package":"d","Test":"TestOther","Elapsed":0}
{"Action":"run","Package":"d","Test":"TestSame"}
{"Action":"run","Package":"d","Test":"TestSame/x"}
{"Action":"output","Package":"d","Test":"TestSame/x","Output":"    in_test.go:5: internal copy fails\n"}
{"Action":"fail","Package":"d","Test":"TestSame/x","Elapsed":0}
{"Action":"fail","Package":"d","Test":"TestSame","Elapsed":0}
{"Action":"run","Package":"d","Test":"TestSame"}
{"Action":"run","Package":"d","Test":"TestSame/x"}
{"Action":"pass","Package":"d","Test":"TestSame/x","Elapsed":0}
{"Action":"pass","Package":"d","Test":"TestSame","Elapsed":0}
"#,
            );
        }
        stream.push_str(r#"{"Action":"fail","Package":"d","Elapsed":0.1}"#);
        stream.push('\n');
        stream
    }

    #[test]
    fn same_named_tests_of_one_package_are_two_testcases() {
        for passes in [1, 2, 3] {
            let xml = convert_passes(&twins_stream(passes), passes);
            // TestOther, and TestSame and TestSame/x twice: one of each
            // failed, one passed, whatever the passes.
            assert!(xml.contains(r#"tests="5" failures="2""#), "{passes}: {xml}");
            let failed: Vec<&str> = xml
                .split("<testcase ")
                .filter(|case| case.contains("<failure"))
                .filter_map(|case| case.split('"').nth(3))
                .collect();
            assert_eq!(failed, ["TestSame", "TestSame/x"], "{passes}: {xml}");
        }
        // Run twice as often as each test runs under `-count=2` is a
        // test that ran twice, not two tests: read as one pass, the same
        // stream is one test of each name, failed.
        let xml = convert_passes(&twins_stream(1), 2);
        assert!(xml.contains(r#"tests="3" failures="2""#), "{xml}");
        // Under `-failfast` go may stop inside a pass: no twins are told
        // apart then, and no failure is lost.
        let cut: String = twins_stream(2)
            .lines()
            .take(14)
            .collect::<Vec<_>>()
            .join("\n");
        let xml = convert_passes(&cut, 2);
        assert!(xml.contains(r#"name="TestSame""#), "{xml}");
        assert_eq!(xml.matches(r#"name="TestSame""#).count(), 1, "{xml}");
        assert!(xml.contains("internal copy fails"), "{xml}");
    }

    #[test]
    fn same_named_parallel_tests_stay_one_testcase() {
        // Both copies call t.Parallel: their events interleave under one
        // name, so they are one testcase, failed as either is.
        let stream = r#"{"Action":"run","Package":"d","Test":"TestSame"}
{"Action":"pause","Package":"d","Test":"TestSame"}
{"Action":"run","Package":"d","Test":"TestSame"}
{"Action":"pause","Package":"d","Test":"TestSame"}
{"Action":"cont","Package":"d","Test":"TestSame"}
{"Action":"cont","Package":"d","Test":"TestSame"}
{"Action":"output","Package":"d","Test":"TestSame","Output":"    in_test.go:5: boom\n"}
{"Action":"fail","Package":"d","Test":"TestSame","Elapsed":0}
{"Action":"pass","Package":"d","Test":"TestSame","Elapsed":0}
{"Action":"fail","Package":"d","Elapsed":0.1}
"#;
        let xml = convert(stream);
        assert!(xml.contains(r#"tests="1" failures="1""#), "{xml}");
    }

    /// Round 67 (testify's suite tests): a meta-test runs a test of its own
    /// name through `testing.RunTests`, expects it to fail, and passes. The
    /// inner run is the outer's output: one test, passed, as go says.
    fn nested_stream(outer: &str, passes: usize) -> String {
        let mut stream = String::new();
        for _ in 0..passes {
            stream.push_str(&format!(
                r#"{{"Action":"run","Package":"p","Test":"TestMeta"}}
{{"Action":"output","Package":"p","Test":"TestMeta","Output":"=== RUN   TestMeta\n"}}
{{"Action":"run","Package":"p","Test":"TestMeta"}}
{{"Action":"run","Package":"p","Test":"TestMeta/inner"}}
{{"Action":"output","Package":"p","Test":"TestMeta/inner","Output":"    m_test.go:9: inner failure, expected\n"}}
{{"Action":"fail","Package":"p","Test":"TestMeta/inner","Elapsed":0}}
{{"Action":"output","Package":"p","Test":"TestMeta","Output":"--- FAIL: TestMeta (0.00s)\n"}}
{{"Action":"fail","Package":"p","Test":"TestMeta","Elapsed":0}}
{{"Action":"{outer}","Package":"p","Test":"TestMeta","Elapsed":0}}
{{"Action":"run","Package":"p","Test":"TestPlain"}}
{{"Action":"pass","Package":"p","Test":"TestPlain","Elapsed":0}}
"#
            ));
        }
        let package = if outer == "pass" { "pass" } else { "fail" };
        stream.push_str(&format!(
            r#"{{"Action":"{package}","Package":"p","Elapsed":0.1}}
"#
        ));
        stream
    }

    #[test]
    fn a_run_nested_in_another_of_its_name_is_its_output() {
        for passes in [1, 2] {
            let xml = convert_passes(&nested_stream("pass", passes), passes);
            assert!(xml.contains(r#"tests="2" failures="0""#), "{passes}: {xml}");
            assert!(!xml.contains("TestMeta/inner"), "{xml}");
            assert!(!xml.contains("no result reported"), "{xml}");
            // The outer failing is the test's failure, with the inner
            // run's words in its output.
            let xml = convert_passes(&nested_stream("fail", passes), passes);
            assert!(xml.contains(r#"tests="2" failures="1""#), "{passes}: {xml}");
            assert!(xml.contains("inner failure, expected"), "{xml}");
        }
    }

    #[test]
    fn a_test_run_n_times_fails_when_any_run_failed() {
        // `go test -count=3`: the middle run fails, the last one passes.
        let stream = r#"{"Action":"run","Package":"p","Test":"TestFlaky"}
{"Action":"pass","Package":"p","Test":"TestFlaky","Elapsed":0.5}
{"Action":"run","Package":"p","Test":"TestFlaky"}
{"Action":"output","Package":"p","Test":"TestFlaky","Output":"    x_test.go:9: boom\n"}
{"Action":"fail","Package":"p","Test":"TestFlaky","Elapsed":0.25}
{"Action":"run","Package":"p","Test":"TestFlaky"}
{"Action":"pass","Package":"p","Test":"TestFlaky","Elapsed":0.25}
{"Action":"fail","Package":"p","Elapsed":1.1}
"#;
        let xml = convert_passes(stream, 3);
        assert!(
            xml.contains(r#"<testcase classname="p" name="TestFlaky" time="1.000""#),
            "{xml}"
        );
        assert!(xml.contains("x_test.go:9: boom"), "{xml}");
        assert!(xml.contains(r#"failures="1""#), "{xml}");
        assert!(!xml.contains("outside of any test"), "{xml}");
    }

    #[test]
    fn unclaimed_build_failures_get_their_own_suite() {
        let stream = r##"{"ImportPath":"example.com/m/dep","Action":"build-output","Output":"# example.com/m/dep\ndep/dep.go:3:1: syntax error\n"}
{"ImportPath":"example.com/m/dep","Action":"build-fail"}
"##;
        let xml = convert(stream);
        assert!(
            xml.contains(
                r#"<testsuite name="example.com/m/dep" tests="1" failures="0" errors="1""#
            ),
            "{xml}"
        );
        assert!(xml.contains("dep/dep.go:3:1: syntax error"), "{xml}");
    }

    #[test]
    fn stray_lines_are_kept_only_when_nothing_else_is() {
        let xml = convert("go: cannot find main module\n\n");
        assert!(xml.contains(r#"name="go test" time="0.000">"#), "{xml}");
        assert!(xml.contains("go: cannot find main module"), "{xml}");

        let stream = "not json\n{\"Action\":\"pass\",\"Package\":\"p\",\"Elapsed\":0.1}\n";
        let xml = convert(stream);
        assert!(!xml.contains("not json"), "{xml}");
        assert!(
            xml.contains(r#"tests="0" failures="0" errors="0""#),
            "{xml}"
        );
    }

    /// go before 1.24: a package that did not compile is only a plain
    /// line beside the other packages' JSON, and still a failed case.
    #[test]
    fn a_plain_build_failure_line_beside_json_is_the_packages_failure() {
        let stream = "FAIL\texample.com/bf/broken [build failed]\n\
            {\"Action\":\"run\",\"Package\":\"example.com/bf/ok\",\"Test\":\"TestOK\"}\n\
            {\"Action\":\"pass\",\"Package\":\"example.com/bf/ok\",\"Test\":\"TestOK\",\"Elapsed\":0}\n\
            {\"Action\":\"pass\",\"Package\":\"example.com/bf/ok\",\"Elapsed\":0}\n";
        let xml = convert(stream);
        assert!(
            xml.contains(
                r#"<testsuite name="example.com/bf/broken" tests="1" failures="0" errors="1""#
            ),
            "{xml}"
        );
        assert!(xml.contains(r#"type="build failed""#), "{xml}");
        assert!(xml.contains(r#"name="TestOK""#), "{xml}");
        assert_eq!(
            failed_build_line("FAIL example.com/x [setup failed]"),
            Some("example.com/x")
        );
        assert_eq!(failed_build_line("FAIL\texample.com/x\t0.01s"), None);
        assert_eq!(failed_build_line("FAILED x [build failed]"), None);
    }

    #[test]
    fn empty_stream_is_an_empty_report() {
        assert_eq!(
            convert(""),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"go test\" tests=\"0\" failures=\"0\" errors=\"0\" skipped=\"0\" time=\"0.000\">\n</testsuites>\n"
        );
    }

    #[test]
    fn invalid_utf8_and_crlf_are_tolerated() {
        let mut stream =
            b"{\"Action\":\"output\",\"Package\":\"p\",\"Test\":\"T\",\"Output\":\"x\"}\r\n"
                .to_vec();
        stream.extend_from_slice(b"\xff\xfe garbage\n");
        stream.extend_from_slice(b"{\"Action\":\"fail\",\"Package\":\"p\",\"Test\":\"T\"}\n");
        let mut out = Vec::new();
        go_json_to_junit(std::io::Cursor::new(&stream[..]), &mut out, 1).unwrap();
        let xml = String::from_utf8(out).unwrap();
        assert!(xml.contains(r#"name="T""#), "{xml}");
        assert!(
            xml.contains(r#"<testsuite name="p" tests="1" failures="1""#),
            "{xml}"
        );
    }

    #[test]
    fn long_output_is_capped_keeping_both_ends() {
        let mut stream = String::new();
        stream
            .push_str(r#"{"Action":"output","Package":"p","Test":"T","Output":"FIRST LINE é\n"}"#);
        stream.push('\n');
        let chunk = "ü".repeat(1000);
        for _ in 0..100 {
            let _ = writeln!(
                stream,
                r#"{{"Action":"output","Package":"p","Test":"T","Output":"{chunk}\n"}}"#
            );
        }
        stream.push_str(r#"{"Action":"output","Package":"p","Test":"T","Output":"LAST LINE\n"}"#);
        stream.push('\n');
        stream.push_str(r#"{"Action":"fail","Package":"p","Test":"T"}"#);
        let xml = convert(&stream);
        let start = xml.find("FIRST LINE").unwrap();
        let end = xml.find("LAST LINE").unwrap();
        assert!(end - start <= OUTPUT_CAP + 100, "{}", end - start);
        assert!(xml.contains("bytes of output omitted"));
        assert!(xml.contains("message=\"FIRST LINE é\""));
    }

    #[test]
    fn capped_text_keeps_char_boundaries() {
        let mut capped = Capped::default();
        for _ in 0..50_000 {
            capped.push("é€😀");
        }
        let rendered = capped.render();
        assert!(rendered.len() <= OUTPUT_CAP + 64);
        assert!(rendered.starts_with("é€😀"));
        assert!(rendered.ends_with("é€😀"));
    }

    #[test]
    fn write_errors_surface() {
        struct Broken;
        impl Write for Broken {
            fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
                Err(std::io::Error::other("disk full"))
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }
        let err = go_json_to_junit(std::io::Cursor::new(STREAM.as_bytes()), Broken, 1).unwrap_err();
        assert!(matches!(err, RunnerError::Io { .. }), "{err}");
    }
}
