//! Results from pitcrew's own runner reporters: one JSON object per line,
//! written while the tests run (see `node_reporter.mjs`,
//! `jest_reporter.cjs`, `vitest_reporter.mjs` and `pytest_events.py`).
//!
//! Unlike a JUnit file written at exit, the events survive a timeout: the
//! tests that finished keep their results, the test that was still running
//! is named, and the tests the runner had queued but never reached are
//! named too.
//!
//! A test's identity is the runner's own: its file, its describe path
//! (joined with [`PATH_SEPARATOR`] into the `classname`) and its exact name,
//! tabs and newlines included.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

use serde::Deserialize;

use crate::suite::junit::{self, Outcome, TestCase};

/// Joins a test's describe blocks into its `classname`.
pub const PATH_SEPARATOR: &str = " > ";

/// Each block of a `classname` joined with [`PATH_SEPARATOR`], outermost
/// first, as its own `classname` (the blocks around it) and its name.
pub fn ancestors(classname: &str) -> impl Iterator<Item = (String, &str)> {
    let path: Vec<&str> = classname
        .split(PATH_SEPARATOR)
        .filter(|a| !a.is_empty())
        .collect();
    (0..path.len()).map(move |at| (path[..at].join(PATH_SEPARATOR), path[at]))
}

/// Whether `inner`'s describe path runs through the entry `name` in
/// `classname` of `file`: `b` in `a` holds the tests of `a > b` and of
/// `a > b > c`.
pub fn holds(file: Option<&str>, classname: &str, name: &str, inner: &TestCase) -> bool {
    use crate::paths::normalise;
    let sep = PATH_SEPARATOR;
    let path = match classname.is_empty() {
        true => name.to_owned(),
        false => format!("{classname}{sep}{name}"),
    };
    let same_file = match (file, junit::test_file(inner)) {
        (Some(outer), Some(inner)) => normalise(outer) == normalise(&inner),
        _ => true,
    };
    same_file
        && inner
            .classname
            .strip_prefix(path.as_str())
            .is_some_and(|rest| rest.is_empty() || rest.starts_with(sep))
}

/// Longest line read; longer ones (never written by our reporters, which
/// cap their details) are skipped.
const MAX_LINE_BYTES: u64 = 1024 * 1024;

/// Most `planned` and `start` entries tracked: bounds memory on a hostile
/// or runaway stream.
const MAX_TRACKED: usize = 1_000_000;

/// What an events file says.
#[derive(Debug, Default)]
pub struct Events {
    /// Every finished test, in the order reported.
    pub cases: Vec<TestCase>,
    /// Tests (or suites, when a hook hung) started and not finished: at a
    /// timeout, the ones that were running. Innermost only.
    pub running: Vec<TestCase>,
    /// Tests with subtests around the running ones, started and not
    /// finished, whose `start` said they are tests (node's trace): at a
    /// timeout they fail with the subtest that hung, as node fails a test
    /// whose subtest failed. Suites (`describe`) and entries of unknown kind
    /// are not here: node counts no suite as a test.
    pub running_parents: Vec<TestCase>,
    /// Tests queued and neither started nor finished, and tests the runner
    /// said it cancelled (`unrun`).
    pub never_started: Vec<TestCase>,
    /// Seconds from the first test file's start to the last one's end
    /// (`files`): node, which runs each file in a process of its own, and
    /// pytest, from the start of collection (the test modules' imports) to
    /// the end of the session. The rest of the wall time is the runner
    /// process's own start-up and exit.
    pub files_running: Option<f64>,
    /// How many test files the runner found, said before any ran (`found`:
    /// jest left to find its own files, whose reporter can count them but
    /// not name them). Fewer files reporting means some never ran.
    pub files_found: Option<u64>,
    /// After how many failed tests the runner was told to stop (`stops`:
    /// jest's and vitest's `bail`), 0 for never; None where its reporter
    /// does not say. A runner never told to stop that left tests unrun
    /// after a failed test did not stop for it: it crashed.
    pub stops_after: Option<u64>,
    /// JUnit reports the user asked the runner for (`report`), as absolute
    /// paths: the runner writes one process's tests there, and pitcrew
    /// writes the whole run's over it.
    pub user_junit: Vec<std::path::PathBuf>,
    /// Where Jest keeps each test file's last result (`report`, format
    /// `jest-results`), absolute: each process writes it whole, and pitcrew
    /// writes the whole run's over it ([`crate::suite::jest_results`]).
    pub jest_results: Vec<std::path::PathBuf>,
    /// Complete lines that are no record (over [`MAX_LINE_BYTES`], or not
    /// JSON even with lone surrogates mended): each may have been a test's
    /// result, so the shard's results can't be trusted. A last line cut
    /// off (a killed runner) is not counted.
    pub unreadable: u32,
    /// Records the reporter said it had written (`written`, pytest's last
    /// record) that are not in the file: a test cut or rewrote pitcrew's
    /// results file while the runner ran, and the results it held are
    /// gone, a failure among them perhaps. 0 where none are missing or the
    /// reporter does not say.
    pub lost: u64,
    /// Why the runner failed its run outside any test (`verdict`: pytest's
    /// session failed by a plugin's check or a hook), where it says so.
    pub verdict: Option<String>,
    /// The seed pytest-randomly ordered the run's tests by, as pitcrew's
    /// pytest plugin read it: a replay of the run takes it again.
    pub randomly_seed: Option<u64>,
    /// Errors the runner failed this run for that another run reports as
    /// its own test's failure (`elsewhere`: vitest's type error in a
    /// typecheck test file another shard runs): they explain the runner's
    /// failed exit, and are counted there, not here.
    pub elsewhere: u32,
    /// Entries whose `start` said they are suites (`kind`: node's trace),
    /// by file, path and name.
    pub suites: BTreeSet<Names>,
    /// Every entry that started, finished or not, by file, path and name.
    pub started: BTreeSet<Names>,
    /// The runner said it can leave single tests out by name (`skips`:
    /// node's trace, on Node ≥ 22, whose `--test-skip-pattern` does).
    pub skips_by_name: bool,
    /// The runner reached the end of its run (`finished`: node's summary
    /// of the whole run, Node ≥ 22): every file it was given ran, and one
    /// that reported nothing declared no test or selected none.
    pub finished: bool,
    /// How each test file's process ended, by file, where a trace written
    /// from inside those processes says (`exited`: node's trace): why the
    /// file failed outside its tests, or None where they decided it.
    pub exits: BTreeMap<String, Option<String>>,
}

/// A test file whose process failed outside its tests, as a trace written
/// from inside it says ([`Events::files_failed_outside_tests`]).
#[derive(Debug, PartialEq)]
pub struct FileFailure {
    pub file: String,
    pub why: String,
    /// The file's process said how its code ended it (`process.exit`, an
    /// exit code it set), where `false` is the trace's silence: it was
    /// killed.
    pub said: bool,
}

#[derive(Deserialize)]
struct Record {
    event: String,
    file: Option<String>,
    #[serde(default)]
    path: Vec<String>,
    #[serde(default)]
    name: String,
    outcome: Option<String>,
    #[serde(default)]
    time: f64,
    line: Option<u32>,
    message: Option<String>,
    #[serde(rename = "type")]
    failure_type: Option<String>,
    details: Option<String>,
    count: Option<u64>,
    /// A `report`'s format.
    format: Option<String>,
    /// Which run of the test this is, where the runner retries tests
    /// itself (jest's `invocations` under `jest.retryTimes`): 1, 2, …
    invocation: Option<u32>,
    /// Failed runs of the test before this one in the same process
    /// (pytest-rerunfailures).
    #[serde(default)]
    reruns: Vec<RerunRecord>,
    /// `suite` or `test`, where a `start` record knows which it is.
    kind: Option<String>,
    /// On a file's `start` (node's trace): whether this node leaves single
    /// tests out by name (`--test-skip-pattern`, Node ≥ 22).
    skips: Option<bool>,
}

#[derive(Deserialize)]
struct RerunRecord {
    message: Option<String>,
    #[serde(default)]
    time: f64,
}

/// A test's names (file, describe path, name), as the key of the
/// bookkeeping maps.
pub type Names = (Option<String>, String, String);

/// Failed runs of tests that the runner may run again (`attempt` records),
/// by names, oldest first: two tests of one name (`test.each` rows) each
/// wait for their own next run, which comes in the same order.
#[derive(Default)]
struct Attempts {
    held: BTreeMap<Names, std::collections::VecDeque<(u32, TestCase)>>,
    count: usize,
}

impl Attempts {
    /// `case` (run `invocation` of the test), with the earlier failed run
    /// it follows, if one is held, and that one's reruns, as its reruns.
    fn after(&mut self, names: &Names, invocation: Option<u32>, mut case: TestCase) -> TestCase {
        let Some(previous) = invocation.filter(|&n| n > 1).map(|n| n - 1) else {
            return case;
        };
        let Some(queue) = self.held.get_mut(names) else {
            return case;
        };
        let Some(at) = queue.iter().position(|(n, _)| *n == previous) else {
            return case;
        };
        let Some((_, before)) = queue.remove(at) else {
            return case;
        };
        self.count -= 1;
        if queue.is_empty() {
            self.held.remove(names);
        }
        let flaky = case.outcome == Outcome::Passed;
        let mut reruns = before.reruns;
        reruns.push(junit::Rerun {
            outcome: Outcome::Failed,
            flaky,
            message: before.message,
            time_seconds: before.time_seconds,
        });
        reruns.extend(std::mem::take(&mut case.reruns));
        for rerun in &mut reruns {
            rerun.flaky = flaky;
        }
        reruns.truncate(junit::MAX_RERUNS);
        case.reruns = reruns;
        case
    }

    /// Holds `case` for the test's next run; past the bound, gives it back
    /// as the test's result.
    fn hold(&mut self, names: Names, invocation: u32, case: TestCase) -> Option<TestCase> {
        if self.count >= MAX_TRACKED {
            return Some(case);
        }
        self.count += 1;
        let queue = self.held.entry(names).or_default();
        queue.push_back((invocation, case));
        None
    }

    /// `case`, a run of the test that never finished, with the failed run
    /// held before it as its rerun: one test, not two.
    fn before_unfinished(&mut self, names: &Names, case: TestCase) -> TestCase {
        let last = self
            .held
            .get(names)
            .and_then(|queue| queue.iter().map(|(n, _)| *n).max());
        match last {
            Some(n) => self.after(names, Some(n.saturating_add(1)), case),
            None => case,
        }
    }

    /// The failed runs no later run followed: each is its test's result.
    fn left(self) -> impl Iterator<Item = TestCase> {
        self.held.into_values().flatten().map(|(_, case)| case)
    }
}

impl Record {
    fn names(&self) -> Names {
        (
            self.file.clone(),
            self.path.join(PATH_SEPARATOR),
            self.name.clone(),
        )
    }
}

/// Reads an events file; lines that aren't records are skipped (a killed
/// runner may leave the last one cut off).
pub fn read(path: &Path) -> std::io::Result<Events> {
    let file = std::fs::File::open(path)?;
    Ok(parse(BufReader::new(file)))
}

pub fn parse(mut reader: impl BufRead) -> Events {
    let mut events = Events::default();
    // Counts per names, since one name can be queued and run several times
    // (loops): queued, started (ever), still running, and reported.
    let mut planned: BTreeMap<Names, u32> = BTreeMap::new();
    let mut started: BTreeMap<Names, u32> = BTreeMap::new();
    let mut live: BTreeMap<Names, u32> = BTreeMap::new();
    let mut reported: BTreeMap<Names, u32> = BTreeMap::new();
    // Entries whose `start` said they are tests.
    let mut tests: BTreeSet<Names> = BTreeSet::new();
    // Cancelled before they ran, as the runner said (vitest's `--bail`).
    let mut unrun = Vec::new();
    let mut attempts = Attempts::default();
    // Records read so far, to hold against what the reporter wrote.
    let mut records: u64 = 0;
    let mut buf = Vec::new();
    loop {
        buf.clear();
        match (&mut reader)
            .take(MAX_LINE_BYTES)
            .read_until(b'\n', &mut buf)
        {
            Ok(0) | Err(_) => break,
            Ok(_) => {}
        }
        let complete = buf.last() == Some(&b'\n');
        if !complete && buf.len() as u64 == MAX_LINE_BYTES {
            skip_line(&mut reader);
            events.unreadable = events.unreadable.saturating_add(1);
            continue;
        }
        let Ok(record) = from_json_mending::<Record>(&buf) else {
            if complete && !buf.trim_ascii().is_empty() {
                events.unreadable = events.unreadable.saturating_add(1);
            }
            continue;
        };
        // The reporter's own count of what it wrote before this record: its
        // file is its alone, or shared with writers that only add to it.
        if record.event == "written" {
            let wrote = record.count.unwrap_or(0);
            events.lost = events.lost.max(wrote.saturating_sub(records));
        }
        records = records.saturating_add(1);
        let count = |map: &mut BTreeMap<Names, u32>| {
            if map.len() < MAX_TRACKED {
                let n = map.entry(record.names()).or_default();
                *n = n.saturating_add(1);
            }
        };
        match record.event.as_str() {
            "planned" => count(&mut planned),
            "start" => {
                count(&mut started);
                count(&mut live);
                events.skips_by_name |= record.skips == Some(true);
                let kinds = match record.kind.as_deref() {
                    Some("suite") => Some(&mut events.suites),
                    Some("test") => Some(&mut tests),
                    _ => None,
                };
                if let Some(kinds) = kinds.filter(|k| k.len() < MAX_TRACKED) {
                    kinds.insert(record.names());
                }
            }
            "end" => take_one(&mut live, &record.names()),
            "unrun" => {
                take_one(&mut live, &record.names());
                count(&mut reported);
                if unrun.len() < MAX_TRACKED {
                    unrun.push(bare_case(record.names()));
                }
            }
            "case" => {
                count(&mut reported);
                let (names, invocation) = (record.names(), record.invocation);
                let case = attempts.after(&names, invocation, record.into_case());
                events.cases.push(case);
            }
            // A failed run of a test the runner may run again: the next
            // run's record takes it as a rerun; one no run follows (the
            // last allowed, or the runner was stopped) is the test's result.
            "attempt" => {
                count(&mut reported);
                let (names, invocation) = (record.names(), record.invocation.unwrap_or(1));
                let mut case = record.into_case();
                case.outcome = Outcome::Failed;
                let case = attempts.after(&names, Some(invocation), case);
                events.cases.extend(attempts.hold(names, invocation, case));
            }
            "found" => events.files_found = record.count,
            "stops" => events.stops_after = Some(record.count.unwrap_or(0)),
            "verdict" => {
                events.verdict = Some(record.message.clone().unwrap_or_default());
            }
            "finished" => events.finished = true,
            "seed" => {
                let seed = record.message.as_deref().and_then(|s| s.parse().ok());
                events.randomly_seed = events.randomly_seed.or(seed);
            }
            "exited" if events.exits.len() < MAX_TRACKED => {
                if let Some(file) = record.file {
                    events.exits.insert(file, record.message);
                }
            }
            "elsewhere" => events.elsewhere = events.elsewhere.saturating_add(1),
            "report" => {
                let list = match record.format.as_deref() {
                    Some("junit") => &mut events.user_junit,
                    Some("jest-results") => &mut events.jest_results,
                    _ => continue,
                };
                let path = record.file.map(std::path::PathBuf::from);
                if let Some(path) = path.filter(|p| p.is_absolute())
                    && !list.contains(&path)
                {
                    list.push(path);
                }
            }
            "files" if record.time.is_finite() && record.time >= 0.0 => {
                events.files_running = Some(events.files_running.unwrap_or(0.0) + record.time);
            }
            _ => {}
        }
    }
    let inner: BTreeSet<&Names> = innermost(&live).collect();
    // What is live and not innermost holds a running test.
    events.running_parents = live
        .keys()
        .filter(|n| !inner.contains(n) && tests.contains(*n))
        .map(|n| bare_case(n.clone()))
        .collect();
    events.running = inner
        .into_iter()
        .map(|n| attempts.before_unfinished(n, bare_case(n.clone())))
        .collect();
    events.cases.extend(attempts.left());
    // A test a hook cancelled is reported without having started.
    let get = |map: &BTreeMap<Names, u32>, names: &Names| map.get(names).copied().unwrap_or(0);
    events.never_started = unrun;
    events
        .never_started
        .extend(planned.iter().flat_map(|(names, &count)| {
            let accounted = get(&started, names).max(get(&reported, names));
            (accounted..count).map(move |_| bare_case(names.clone()))
        }));
    events.started = started.into_keys().collect();
    events
}

impl Events {
    /// What a trace written from inside the runner's worker processes
    /// (`node_trace.mjs`) adds to these events, read from the runner's
    /// reporter at a timeout: the results the reporter never got (each
    /// name counted, so a test the reporter reported twice takes two of the
    /// trace's), the tests still running in a worker, and the tests queued
    /// behind them; a test the trace saw finish is no longer running, and
    /// one it saw start or finish no longer queued.
    pub fn fill_in(&mut self, trace: Events) {
        let mut reported: BTreeMap<Names, u32> = BTreeMap::new();
        for case in &self.cases {
            *reported.entry(names_of(case)).or_default() += 1;
        }
        let finished: BTreeSet<Names> = trace.cases.iter().map(names_of).collect();
        // A suite around the test that hung started too: it is no more
        // queued than the test.
        let started = trace.started;
        for case in trace.cases {
            match reported.get_mut(&names_of(&case)) {
                Some(n) if *n > 0 => *n -= 1,
                _ => self.cases.push(case),
            }
        }
        self.running.retain(|c| !finished.contains(&names_of(c)));
        self.running_parents
            .retain(|c| !finished.contains(&names_of(c)));
        for case in trace.running_parents {
            let names = names_of(&case);
            let known = reported.contains_key(&names)
                || self.running_parents.iter().any(|p| names_of(p) == names);
            if !known {
                self.running_parents.push(case);
            }
        }
        for case in trace.running {
            if !self.running.iter().any(|r| names_of(r) == names_of(&case)) {
                self.running.push(case);
            }
        }
        // A suite the reporter saw start is not what hung when the trace
        // saw a test in it start.
        let live: BTreeMap<Names, u32> = self.running.iter().map(|c| (names_of(c), 1)).collect();
        let inner: BTreeSet<Names> = innermost(&live).cloned().collect();
        self.running.retain(|c| inner.contains(&names_of(c)));
        // A file the trace saw a test of run did start, though the trace
        // names no start of the file itself (Vitest 2 names its files as
        // they are found, and says nothing more of them until its run ends).
        let mut ran_in: BTreeSet<String> = finished
            .iter()
            .chain(&started)
            .chain(reported.keys())
            .filter_map(|(file, _, _)| file.clone())
            .collect();
        ran_in.extend(self.running.iter().filter_map(|c| c.file.clone()));
        let accounted = |names: &Names| {
            finished.contains(names)
                || started.contains(names)
                || reported.contains_key(names)
                || is_file_entry(names) && names.0.as_ref().is_some_and(|f| ran_in.contains(f))
        };
        self.never_started.retain(|c| !accounted(&names_of(c)));
        let queued: BTreeSet<Names> = self.never_started.iter().map(names_of).collect();
        self.never_started.extend(
            trace
                .never_started
                .into_iter()
                .filter(|c| !accounted(&names_of(c)) && !queued.contains(&names_of(c))),
        );
    }

    /// The test files whose process failed outside their tests, read from
    /// a trace written inside each (node's): its code ended the process or
    /// failed its exit code, as its `exited` record says, or it started and
    /// never said how it ended (killed: a signal, `process.abort()`), while
    /// the test named ran where one did. Read from a runner that ended by
    /// itself: at a timeout, pitcrew killed them.
    pub fn files_failed_outside_tests(&self) -> Vec<FileFailure> {
        self.started
            .iter()
            .filter(|names| is_file_entry(names))
            .filter_map(|(file, _, _)| {
                let file = file.clone()?;
                let (why, said) = match self.exits.get(&file) {
                    Some(None) => return None,
                    Some(Some(why)) => (why.clone(), true),
                    None => {
                        let running = self
                            .running
                            .iter()
                            .find(|c| c.file.as_ref() == Some(&file) && !is_file_entry(&names_of(c)))
                            .map(|c| match c.classname.as_str() {
                                "" => format!(" while `{}` ran", c.name),
                                path => format!(" while `{path}{PATH_SEPARATOR}{}` ran", c.name),
                            })
                            .unwrap_or_default();
                        let why = format!(
                            "the test file's process ended without exiting{running}: killed by a signal, or aborted"
                        );
                        (why, false)
                    }
                };
                Some(FileFailure { file, why, said })
            })
            .collect()
    }

    /// Whether `trace`, written from inside the runner's workers (see
    /// [`Events::fill_in`]), names a test that started and never ended, of
    /// which these events, read after the runner ended by itself, have no
    /// result: the worker died under it (Vitest's main process hears of a
    /// worker's tests up to 100 ms late, and nothing from a worker killed).
    pub fn worker_died_in(&self, trace: &Events) -> bool {
        let reported: BTreeSet<Names> = self.cases.iter().map(names_of).collect();
        trace
            .running
            .iter()
            .any(|case| !reported.contains(&names_of(case)))
    }

    /// [`Events::fill_in`] from Vitest's trace, which writes a test's end as
    /// it ends and its result only once final (when the next test starts,
    /// or the file ends): a test it saw end with no result is not
    /// accounted for by its start, and waits as one that never started
    /// unless the reporter has its result. (Node's trace writes results as
    /// they come; a suite it saw start and end has none and is accounted.)
    pub fn fill_in_ended_first(&mut self, mut trace: Events) {
        let finished: BTreeSet<Names> = trace.cases.iter().map(names_of).collect();
        let running: BTreeSet<Names> = trace.running.iter().map(names_of).collect();
        trace
            .started
            .retain(|names| finished.contains(names) || running.contains(names));
        self.fill_in(trace);
    }

    /// [`Events::fill_in_ended_first`] after a worker died
    /// ([`Events::worker_died_in`]). A test the runner cancelled (`--bail`:
    /// Vitest turns a test it cancels, one running included, to skipped) is
    /// one that never ran, whatever the trace saw of it.
    pub fn fill_in_after_a_death(&mut self, mut trace: Events) {
        let unrun: BTreeSet<Names> = self.never_started.iter().map(names_of).collect();
        let cancelled: BTreeSet<Names> = trace
            .cases
            .iter()
            .filter(|c| c.outcome == Outcome::Skipped)
            .map(names_of)
            .filter(|names| unrun.contains(names))
            .collect();
        trace.cases.retain(|c| !cancelled.contains(&names_of(c)));
        trace.started.retain(|names| !cancelled.contains(names));
        self.fill_in_ended_first(trace);
    }
}

/// Whether `names` is a test file's own entry (no block, named by the
/// file), as the reporters plan a file before its tests are known.
fn is_file_entry((file, classname, name): &Names) -> bool {
    classname.is_empty() && file.as_deref() == Some(name.as_str())
}

/// A case's identity: its file, describe path and name.
pub fn names_of(case: &TestCase) -> Names {
    (case.file.clone(), case.classname.clone(), case.name.clone())
}

/// `json` read, as written or, where serde refuses it, with its lone
/// surrogate escapes mended ([`mend_lone_surrogates`]): what the runners'
/// JSON writers give for a string cut inside a pair.
pub fn from_json_mending<T: serde::de::DeserializeOwned>(json: &[u8]) -> serde_json::Result<T> {
    serde_json::from_slice(json).or_else(|_| serde_json::from_slice(&mend_lone_surrogates(json)))
}

/// `line` with each `\uXXXX` escape of half a surrogate pair that has no
/// other half replaced by `\ufffd`: JSON writers (JavaScript's
/// `JSON.stringify`, Python's `json.dumps`) write such halves from strings
/// cut in the middle of a pair, and a strict reader refuses the line.
fn mend_lone_surrogates(line: &[u8]) -> Vec<u8> {
    let unit = |at: usize| -> Option<u16> {
        let hex = line.get(at..at + 6)?.strip_prefix(b"\\u")?;
        u16::from_str_radix(std::str::from_utf8(hex).ok()?, 16).ok()
    };
    let high = |u: u16| (0xd800..0xdc00).contains(&u);
    let low = |u: u16| (0xdc00..0xe000).contains(&u);
    let mut out = Vec::with_capacity(line.len());
    let mut at = 0;
    while at < line.len() {
        if line[at] != b'\\' {
            out.push(line[at]);
            at += 1;
            continue;
        }
        match unit(at) {
            Some(u) if high(u) && unit(at + 6).is_some_and(low) => {
                out.extend_from_slice(&line[at..at + 12]);
                at += 12;
            }
            Some(u) if high(u) || low(u) => {
                out.extend_from_slice(b"\\ufffd");
                at += 6;
            }
            // Any other escape, `\\` (a backslash) included: both bytes as they are.
            _ => {
                out.extend_from_slice(&line[at..(at + 2).min(line.len())]);
                at += 2;
            }
        }
    }
    out
}

fn skip_line(reader: &mut impl BufRead) {
    loop {
        let Ok(chunk) = reader.fill_buf() else { return };
        if chunk.is_empty() {
            return;
        }
        match chunk.iter().position(|&b| b == b'\n') {
            Some(at) => {
                reader.consume(at + 1);
                return;
            }
            None => {
                let n = chunk.len();
                reader.consume(n);
            }
        }
    }
}

fn take_one(map: &mut BTreeMap<Names, u32>, names: &Names) {
    if let Some(count) = map.get_mut(names) {
        *count -= 1;
        if *count == 0 {
            map.remove(names);
        }
    }
}

/// The started tests that are not the suite of another started test.
fn innermost(started: &BTreeMap<Names, u32>) -> impl Iterator<Item = &Names> {
    started.keys().filter(move |(file, path, name)| {
        let own = if path.is_empty() {
            name.clone()
        } else {
            format!("{path}{PATH_SEPARATOR}{name}")
        };
        !started.keys().any(|(f, p, _)| {
            f == file && (*p == own || p.starts_with(&format!("{own}{PATH_SEPARATOR}")))
        })
    })
}

/// A runner's text without its colours: `jest --color=true` (and pytest's
/// `--color=yes`) colour the failure messages they report.
fn plain(text: String) -> String {
    match crate::escape::strip_ansi(&text) {
        std::borrow::Cow::Borrowed(_) => text,
        std::borrow::Cow::Owned(stripped) => stripped,
    }
}

/// A case with names only (errored, no message): the caller says why.
pub fn bare_case((file, classname, name): Names) -> TestCase {
    TestCase {
        outcome: Outcome::Errored,
        ..TestCase::named(file, classname, name)
    }
}

impl Record {
    fn into_case(self) -> TestCase {
        let outcome = match self.outcome.as_deref() {
            Some("passed") => Outcome::Passed,
            Some("skipped") => Outcome::Skipped,
            Some("errored") => Outcome::Errored,
            _ => Outcome::Failed,
        };
        let classname = self.path.join(PATH_SEPARATOR);
        TestCase {
            suite: String::new(),
            classname,
            name: self.name,
            file: self.file.filter(|f| !f.is_empty()),
            line: self.line,
            time_seconds: if self.time.is_finite() && self.time >= 0.0 {
                self.time
            } else {
                0.0
            },
            outcome,
            message: self
                .message
                .map(|m| junit::cap_text(plain(m), junit::MAX_MESSAGE_BYTES)),
            failure_type: self
                .failure_type
                .map(|t| junit::cap_text(t, junit::MAX_MESSAGE_BYTES)),
            details: self.details.map(|d| {
                junit::cap_text(
                    plain(d),
                    junit::DETAILS_HEAD_BYTES + junit::DETAILS_TAIL_BYTES,
                )
            }),
            reruns: self
                .reruns
                .into_iter()
                .take(junit::MAX_RERUNS)
                .map(|r| junit::Rerun {
                    outcome: Outcome::Failed,
                    flaky: outcome == Outcome::Passed,
                    message: r
                        .message
                        .map(|m| junit::cap_text(plain(m), junit::MAX_MESSAGE_BYTES)),
                    time_seconds: if r.time.is_finite() && r.time >= 0.0 {
                        r.time
                    } else {
                        0.0
                    },
                })
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const STREAM: &str = concat!(
        r#"{"event":"planned","file":"a.test.mjs","path":[],"name":"users"}"#,
        "\n",
        r#"{"event":"planned","file":"a.test.mjs","path":[],"name":"loop"}"#,
        "\n",
        r#"{"event":"planned","file":"a.test.mjs","path":[],"name":"loop"}"#,
        "\n",
        r#"{"event":"planned","file":"a.test.mjs","path":[],"name":"after"}"#,
        "\n",
        r#"{"event":"start","file":"a.test.mjs","path":[],"name":"users"}"#,
        "\n",
        r#"{"event":"planned","file":"a.test.mjs","path":["users"],"name":"returns\t200"}"#,
        "\n",
        r#"{"event":"start","file":"a.test.mjs","path":["users"],"name":"returns\t200"}"#,
        "\n",
        r#"{"event":"end","file":"a.test.mjs","path":["users"],"name":"returns\t200"}"#,
        "\n",
        r#"{"event":"case","file":"a.test.mjs","path":["users"],"name":"returns\t200","outcome":"failed","time":0.5,"message":"boom","type":"testCodeFailure","details":"at a.test.mjs:3"}"#,
        "\n",
        r#"{"event":"end","file":"a.test.mjs","path":[],"name":"users"}"#,
        "\n",
        r#"{"event":"start","file":"a.test.mjs","path":[],"name":"loop"}"#,
        "\n",
        r#"{"event":"end","file":"a.test.mjs","path":[],"name":"loop"}"#,
        "\n",
        r#"{"event":"case","file":"a.test.mjs","path":[],"name":"loop","outcome":"passed","time":-1}"#,
        "\n",
        r#"{"event":"start","file":"a.test.mjs","path":[],"name":"loop"}"#,
        "\n",
        "not json\n",
        r#"{"event":"case","file":"a.te"#,
    );

    #[test]
    fn finished_running_and_never_started_tests() {
        let events = parse(STREAM.as_bytes());
        let cases: Vec<_> = events
            .cases
            .iter()
            .map(|c| (c.classname.as_str(), c.name.as_str(), c.outcome))
            .collect();
        assert_eq!(
            cases,
            [
                ("users", "returns\t200", Outcome::Failed),
                ("", "loop", Outcome::Passed),
            ]
        );
        let failed = &events.cases[0];
        assert_eq!(failed.file.as_deref(), Some("a.test.mjs"));
        assert_eq!(failed.message.as_deref(), Some("boom"));
        // Colours are the runner's, not the message's (`jest --color=true`).
        let coloured = r#"{"event":"case","file":"a.test.js","name":"x","outcome":"failed","message":"\u001b[2mexpect(\u001b[22mreceived\u001b[2m).toBe(\u001b[22m1)","details":"\u001b[31m- 1\u001b[39m"}
"#;
        let case = parse(coloured.as_bytes()).cases.remove(0);
        assert_eq!(case.message.as_deref(), Some("expect(received).toBe(1)"));
        assert_eq!(case.details.as_deref(), Some("- 1"));
        assert_eq!(failed.time_seconds, 0.5);
        assert_eq!(events.cases[1].time_seconds, 0.0, "a negative time is 0");
        let names =
            |cases: &[TestCase]| -> Vec<String> { cases.iter().map(|c| c.name.clone()).collect() };
        // The second loop iteration was running; `after` never started.
        assert_eq!(names(&events.running), ["loop"]);
        assert_eq!(names(&events.never_started), ["after"]);
    }

    /// The reporter's count of what it wrote, held against what is there:
    /// fewer records read than it wrote were lost (a test cut the file).
    #[test]
    fn records_the_reporter_wrote_and_the_file_lost_are_counted() {
        let case = r#"{"event":"case","file":"t.py","path":["t"],"name":"a","outcome":"passed"}"#;
        let whole = format!("{case}\n{case}\n{{\"event\":\"written\",\"count\":2}}\n");
        assert_eq!(parse(whole.as_bytes()).lost, 0);
        // Cut after the first record: the second and the written count.
        let cut = format!("{case}\n{{\"event\":\"written\",\"count\":3}}\n");
        assert_eq!(parse(cut.as_bytes()).lost, 2);
        // Another writer's records beside them hide nothing that is there.
        let shared = format!("{case}\n{case}\n{case}\n{{\"event\":\"written\",\"count\":2}}\n");
        assert_eq!(parse(shared.as_bytes()).lost, 0);
    }

    #[test]
    fn cancelled_tests_never_ran_even_when_started() {
        let stream = concat!(
            r#"{"event":"planned","file":"f","path":[],"name":"f"}"#,
            "\n",
            r#"{"event":"planned","file":"g","path":[],"name":"g"}"#,
            "\n",
            r#"{"event":"start","file":"f","path":[],"name":"f"}"#,
            "\n",
            r#"{"event":"end","file":"f","path":[],"name":"f"}"#,
            "\n",
            r#"{"event":"planned","file":"f","path":[],"name":"a"}"#,
            "\n",
            r#"{"event":"planned","file":"f","path":[],"name":"b"}"#,
            "\n",
            r#"{"event":"start","file":"f","path":[],"name":"a"}"#,
            "\n",
            r#"{"event":"start","file":"f","path":[],"name":"b"}"#,
            "\n",
            r#"{"event":"end","file":"f","path":[],"name":"a"}"#,
            "\n",
            r#"{"event":"case","file":"f","path":[],"name":"a","outcome":"failed"}"#,
            "\n",
            r#"{"event":"unrun","file":"f","path":[],"name":"b"}"#,
            "\n",
        );
        let events = parse(stream.as_bytes());
        assert_eq!(events.cases.len(), 1);
        assert!(events.running.is_empty(), "{:?}", events.running);
        let never: Vec<_> = events
            .never_started
            .iter()
            .map(|c| (c.file.as_deref(), c.name.as_str()))
            .collect();
        // `b` was cancelled; file `g` was never started (`--bail`).
        assert_eq!(never, [(Some("f"), "b"), (Some("g"), "g")]);
    }

    /// pytest-rerunfailures' failed runs come with the test's last run: a
    /// pass after them is flaky, and neither is a test of its own.
    #[test]
    fn reruns_in_the_same_process_are_runs_of_one_test() {
        let stream = concat!(
            r#"{"event":"case","file":"t.py","path":["t"],"name":"flaky","outcome":"passed","time":0.5,"reruns":[{"message":"first run fails","time":0.25}]}"#,
            "\n",
            r#"{"event":"case","file":"t.py","path":["t"],"name":"bug","outcome":"failed","reruns":[{"message":"x","time":-1}]}"#,
            "\n",
        );
        let cases = parse(stream.as_bytes()).cases;
        assert_eq!(cases.len(), 2);
        assert_eq!(
            cases[0].reruns,
            [junit::Rerun {
                outcome: Outcome::Failed,
                flaky: true,
                message: Some("first run fails".into()),
                time_seconds: 0.25,
            }]
        );
        assert!(!cases[1].reruns[0].flaky);
        assert_eq!(cases[1].reruns[0].time_seconds, 0.0);
    }

    #[test]
    fn a_running_suite_is_named_only_when_nothing_in_it_runs() {
        let stream = concat!(
            r#"{"event":"start","file":"f","path":[],"name":"outer"}"#,
            "\n",
            r#"{"event":"start","file":"f","path":["outer"],"name":"inner"}"#,
            "\n",
            r#"{"event":"start","file":"f","path":["outer","inner"],"name":"hangs"}"#,
            "\n",
            r#"{"event":"start","file":"g","path":[],"name":"hook hangs"}"#,
            "\n",
        );
        let events = parse(stream.as_bytes());
        let running: Vec<_> = events
            .running
            .iter()
            .map(|c| (c.file.as_deref(), c.classname.as_str(), c.name.as_str()))
            .collect();
        assert_eq!(
            running,
            [
                (Some("f"), "outer > inner", "hangs"),
                (Some("g"), "", "hook hangs")
            ]
        );
    }

    #[test]
    fn how_long_files_ran_is_read_where_said() {
        assert_eq!(parse(STREAM.as_bytes()).files_running, None);
        let stream = concat!(
            r#"{"event":"case","file":"f","name":"ok","outcome":"passed","time":0.1}"#,
            "\n",
            r#"{"event":"files","time":2.5}"#,
            "\n",
            r#"{"event":"files","time":-3}"#,
            "\n",
        );
        let events = parse(stream.as_bytes());
        assert_eq!(
            events.files_running,
            Some(2.5),
            "a negative time says nothing"
        );
        assert_eq!(events.cases.len(), 1, "not a test case");
    }

    #[test]
    fn a_users_junit_report_is_read_once_absolute_and_junit_only() {
        let stream = concat!(
            r#"{"event":"report","format":"junit","file":"/w/out/j.xml"}"#,
            "\n",
            r#"{"event":"report","format":"junit","file":"/w/out/j.xml"}"#,
            "\n",
            r#"{"event":"report","format":"junit","file":"relative.xml"}"#,
            "\n",
            r#"{"event":"report","format":"json","file":"/w/r.json"}"#,
            "\n",
        );
        let events = parse(stream.as_bytes());
        assert_eq!(
            events.user_junit,
            vec![std::path::PathBuf::from("/w/out/j.xml")]
        );
        assert!(events.jest_results.is_empty());
        assert!(events.cases.is_empty());
    }

    #[test]
    fn jests_record_of_results_is_read_once_and_absolute_only() {
        let stream = concat!(
            r#"{"event":"report","format":"jest-results","file":"/tmp/jest/perf-cache-x"}"#,
            "\n",
            r#"{"event":"report","format":"jest-results","file":"/tmp/jest/perf-cache-x"}"#,
            "\n",
            r#"{"event":"report","format":"jest-results","file":"perf-cache-y"}"#,
            "\n",
        );
        let events = parse(stream.as_bytes());
        assert_eq!(
            events.jest_results,
            vec![std::path::PathBuf::from("/tmp/jest/perf-cache-x")]
        );
        assert!(events.user_junit.is_empty());
    }

    #[test]
    fn failed_attempts_pair_with_the_next_run_of_their_names_oldest_first() {
        let line = |event: &str, name: &str, outcome: &str, invocation: u32, message: &str| {
            format!(
                r#"{{"event":"{event}","file":"f","name":"{name}","outcome":"{outcome}","invocation":{invocation},"message":"{message}"}}"#
            ) + "\n"
        };
        let stream = [
            line("attempt", "row", "failed", 1, "row 1, run 1"),
            line("case", "row", "passed", 1, ""),
            line("attempt", "row", "failed", 1, "row 3, run 1"),
            line("case", "row", "passed", 2, ""),
            line("attempt", "row", "failed", 2, "row 3, run 2"),
            line("attempt", "stopped", "failed", 1, "before its retry"),
        ]
        .concat();
        let cases = parse(stream.as_bytes()).cases;
        let summary: Vec<_> = cases
            .iter()
            .map(|c| {
                let reruns: Vec<_> = c.reruns.iter().map(|r| r.message.as_deref()).collect();
                (c.name.as_str(), c.outcome, c.message.as_deref(), reruns)
            })
            .collect();
        assert_eq!(
            summary,
            vec![
                ("row", Outcome::Passed, Some(""), vec![]),
                ("row", Outcome::Passed, Some(""), vec![Some("row 1, run 1")]),
                (
                    "row",
                    Outcome::Failed,
                    Some("row 3, run 2"),
                    vec![Some("row 3, run 1")]
                ),
                ("stopped", Outcome::Failed, Some("before its retry"), vec![]),
            ]
        );
        assert!(cases[1].reruns[0].flaky);
        assert!(!cases[2].reruns[0].flaky);
    }

    /// jest's `retryTimes`: a failed run, then a retry that hangs until
    /// the timeout. One test, timed out, with the failed run as its rerun.
    #[test]
    fn a_failed_run_before_a_run_that_never_ended_is_its_rerun() {
        let stream = concat!(
            r#"{"event":"start","file":"f","path":[],"name":"hangs"}"#,
            "\n",
            r#"{"event":"attempt","file":"f","name":"hangs","outcome":"failed","invocation":1,"message":"first run"}"#,
            "\n",
            r#"{"event":"start","file":"f","path":[],"name":"hangs"}"#,
            "\n",
        );
        let events = parse(stream.as_bytes());
        assert!(events.cases.is_empty(), "{:?}", events.cases);
        assert_eq!(events.running.len(), 1);
        let reruns = &events.running[0].reruns;
        assert_eq!(reruns.len(), 1);
        assert_eq!(reruns[0].message.as_deref(), Some("first run"));
        assert!(!reruns[0].flaky);
    }

    #[test]
    fn a_trace_fills_in_what_the_reporter_lost() {
        // The reporter got `a`'s results and saw the suite `g` start; the
        // worker's trace had `a`, `b` (lost by the reporter) and `g > hangs`
        // still running. `c` and `d` (which only the trace saw queued) were
        // queued and never started.
        let reporter = r#"{"event":"planned","file":"t.js","path":[],"name":"a"}
{"event":"planned","file":"t.js","path":[],"name":"b"}
{"event":"planned","file":"t.js","path":[],"name":"c"}
{"event":"start","file":"t.js","path":[],"name":"a"}
{"event":"end","file":"t.js","path":[],"name":"a"}
{"event":"case","file":"t.js","path":[],"name":"a","outcome":"passed"}
{"event":"start","file":"t.js","path":[],"name":"b"}
{"event":"start","file":"t.js","path":[],"name":"g"}
"#;
        let trace = r#"{"event":"planned","file":"t.js","path":[],"name":"c"}
{"event":"planned","file":"t.js","path":[],"name":"d"}
{"event":"start","file":"t.js","path":[],"name":"a"}
{"event":"end","file":"t.js","path":[],"name":"a"}
{"event":"case","file":"t.js","path":[],"name":"a","outcome":"passed"}
{"event":"start","file":"t.js","path":[],"name":"b"}
{"event":"end","file":"t.js","path":[],"name":"b"}
{"event":"case","file":"t.js","path":[],"name":"b","outcome":"failed","message":"no"}
{"event":"start","file":"t.js","path":["g > inner"],"name":"hangs"}
"#;
        let mut events = parse(reporter.as_bytes());
        events.fill_in(parse(trace.as_bytes()));
        let names = |cases: &[TestCase]| -> Vec<(String, String, Outcome)> {
            cases
                .iter()
                .map(|c| (c.classname.clone(), c.name.clone(), c.outcome))
                .collect()
        };
        // `a` once, `b` from the trace.
        assert_eq!(
            names(&events.cases),
            [
                (String::new(), "a".into(), Outcome::Passed),
                (String::new(), "b".into(), Outcome::Failed)
            ]
        );
        // The test in `g` hung, not `g`, nor `b`, which finished.
        assert_eq!(
            names(&events.running),
            [("g > inner".into(), "hangs".into(), Outcome::Errored)]
        );
        assert_eq!(
            names(&events.never_started),
            [
                (String::new(), "c".into(), Outcome::Errored),
                (String::new(), "d".into(), Outcome::Errored)
            ]
        );
    }

    /// The reporter saw the block `g > other` queued and nothing more; the
    /// trace saw it start, as a suite, around the test that hung: it is
    /// not queued, and it is known as a suite.
    #[test]
    fn a_block_the_trace_saw_start_is_not_queued() {
        let reporter = r#"{"event":"planned","file":"t.js","path":[],"name":"g"}
{"event":"start","file":"t.js","path":[],"name":"g"}
{"event":"planned","file":"t.js","path":["g"],"name":"other"}
"#;
        let trace = r#"{"event":"start","file":"t.js","path":[],"name":"g","kind":"suite"}
{"event":"start","file":"t.js","path":["g"],"name":"other","kind":"suite"}
{"event":"start","file":"t.js","path":["g","other"],"name":"hangs","kind":"test"}
"#;
        let trace = parse(trace.as_bytes());
        let suite =
            |path: &str, name: &str| (Some("t.js".to_owned()), path.to_owned(), name.to_owned());
        assert_eq!(
            trace.suites,
            BTreeSet::from([suite("", "g"), suite("g", "other")])
        );
        let mut events = parse(reporter.as_bytes());
        assert_eq!(events.never_started.len(), 1);
        events.fill_in(trace);
        assert!(
            events.never_started.is_empty(),
            "{:?}",
            events.never_started
        );
        assert_eq!(events.running.len(), 1);
        assert_eq!(events.running[0].name, "hangs");
    }

    #[test]
    fn a_file_process_that_failed_outside_its_tests_is_named_with_why() {
        let trace = concat!(
            // Ended by its tests.
            r#"{"event":"start","file":"a.mjs","path":[],"name":"a.mjs"}"#,
            "\n",
            r#"{"event":"exited","file":"a.mjs","path":[],"name":"a.mjs","code":1}"#,
            "\n",
            // Ended by its own code.
            r#"{"event":"start","file":"b.mjs","path":[],"name":"b.mjs"}"#,
            "\n",
            r#"{"event":"exited","file":"b.mjs","path":[],"name":"b.mjs","code":1,"message":"ended by process.exit(1)"}"#,
            "\n",
            // Never said how it ended, with a test running.
            r#"{"event":"start","file":"c.mjs","path":[],"name":"c.mjs"}"#,
            "\n",
            r#"{"event":"end","file":"c.mjs","path":[],"name":"c.mjs"}"#,
            "\n",
            r#"{"event":"start","file":"c.mjs","path":["block"],"name":"victim"}"#,
            "\n",
            // A test's record alone names no file process.
            r#"{"event":"start","file":"d.mjs","path":[],"name":"t"}"#,
            "\n",
        );
        let failed = parse(trace.as_bytes()).files_failed_outside_tests();
        assert_eq!(
            failed,
            [
                FileFailure {
                    file: "b.mjs".into(),
                    why: "ended by process.exit(1)".into(),
                    said: true
                },
                FileFailure {
                    file: "c.mjs".into(),
                    why: "the test file's process ended without exiting while `block > victim` ran: killed by a signal, or aborted".into(),
                    said: false
                },
            ]
        );
    }

    #[test]
    fn overlong_lines_are_skipped() {
        let mut stream = format!(
            r#"{{"event":"case","file":"f","name":"{}","outcome":"passed"}}"#,
            "x".repeat(MAX_LINE_BYTES as usize)
        );
        stream.push('\n');
        stream.push_str(r#"{"event":"case","file":"f","name":"ok","outcome":"passed"}"#);
        stream.push('\n');
        let events = parse(stream.as_bytes());
        assert_eq!(events.cases.len(), 1);
        assert_eq!(events.cases[0].name, "ok");
    }

    /// A message cut between the halves of a surrogate pair (JavaScript's
    /// `slice`) is written as a lone `\ud83d`, which serde refuses: the
    /// record is read with the half replaced, never dropped. A line that
    /// still is no record is counted; a last line cut off is not.
    #[test]
    fn a_lone_surrogate_is_mended_and_an_unreadable_line_counted() {
        let stream = concat!(
            r#"{"event":"case","file":"a.js","name":"cut","outcome":"failed","message":"x\ud83d","details":"\\ud83d \ud83d\ude00 \udc00"}"#,
            "\n",
            "{\"event\":\"case\",\"file\":\"a.js\",\"name\":\"lost\n",
            r#"{"event":"case","file":"a.js","name":"ok","outcome":"passed"}"#,
            "\n",
            r#"{"event":"case","file":"a.js","name":"killed"#,
        );
        let events = parse(stream.as_bytes());
        let names: Vec<&str> = events.cases.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["cut", "ok"]);
        assert_eq!(events.cases[0].message.as_deref(), Some("x\u{fffd}"));
        assert_eq!(
            events.cases[0].details.as_deref(),
            Some("\\ud83d \u{1f600} \u{fffd}")
        );
        assert_eq!(events.unreadable, 1);
    }

    #[test]
    fn tests_around_a_running_one_are_its_running_parents_suites_are_not() {
        // Node's trace: a test with subtests `outer` in a describe `g`,
        // its subtest `hung` running at the kill; `later` unknown in kind.
        let trace = r#"{"event":"start","file":"t.js","path":[],"name":"t.js"}
{"event":"end","file":"t.js","path":[],"name":"t.js"}
{"event":"start","file":"t.js","path":[],"name":"g","kind":"suite"}
{"event":"start","file":"t.js","path":["g"],"name":"outer","kind":"test"}
{"event":"start","file":"t.js","path":["g","outer"],"name":"ok","kind":"test"}
{"event":"end","file":"t.js","path":["g","outer"],"name":"ok"}
{"event":"case","file":"t.js","path":["g","outer"],"name":"ok","outcome":"passed"}
{"event":"start","file":"t.js","path":["g","outer"],"name":"mid"}
{"event":"start","file":"t.js","path":["g","outer","mid"],"name":"hung","kind":"test"}
{"event":"start","file":"t.js","path":[],"name":"done","kind":"test"}
{"event":"end","file":"t.js","path":[],"name":"done"}
"#;
        let names = |cases: &[TestCase]| -> Vec<(String, String)> {
            cases
                .iter()
                .map(|c| (c.classname.clone(), c.name.clone()))
                .collect()
        };
        let alone = parse(trace.as_bytes());
        assert_eq!(
            names(&alone.running),
            [("g > outer > mid".into(), "hung".into())]
        );
        // Not `g` (a suite), nor `mid` (of unknown kind), nor `done` (ended).
        assert_eq!(
            names(&alone.running_parents),
            [("g".into(), "outer".into())]
        );
        // Read from the reporter at a timeout: the trace's parents are
        // added, unless the reporter reported them.
        let mut events = parse(&b""[..]);
        events.fill_in(parse(trace.as_bytes()));
        assert_eq!(
            names(&events.running_parents),
            [("g".into(), "outer".into())]
        );
        let reported = r#"{"event":"case","file":"t.js","path":["g"],"name":"outer","outcome":"passed"}
"#;
        let mut events = parse(reported.as_bytes());
        events.fill_in(parse(trace.as_bytes()));
        assert!(events.running_parents.is_empty());
    }
}
