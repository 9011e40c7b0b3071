//! Durations per test file, and per test within each file, from earlier
//! JUnit reports, pitcrew shard results, or the timing file pitcrew writes
//! (`.pitcrew/timings.json` locally, `report --timings-out` in CI). The
//! per-test durations are what a slow file is split by
//! ([`super::slow_files`]).
//!
//! What a file costs is its wall time in the shard, not the sum of its
//! tests: imports, collection and fixtures outside the tests often cost
//! more than the tests (a node file of 0.12 s of tests took 3.26 s). From
//! shard results ([`Timings::from_shards`]) the time a shard spent outside
//! tests is spread evenly over its files, after taking out the runner's
//! start-up cost, which is remembered per runner and charged once per
//! runner process when planning.
//!
//! Shards that ran on a busy machine waited for its cores: a CPU-bound
//! shard that had half a core took twice as long as with one. Its wall
//! time would make every file look twice as long, and splitting look
//! worthwhile for ever, so each shard's CPU time and the share of a core
//! its runner had while it was ready to run ([`ShardResult::cpu_share`])
//! turn its times into what they would be with a core to itself
//! ([`Timings::from_run`]). What a local run showed (how busy a shard
//! keeps a core, how much other work wanted the cores) is remembered for
//! choosing the next shard count ([`Timings::machine`],
//! [`super::split::Machine`]).

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::fold::TestResult;
use super::result::ShardResult;
use super::runners;
use super::split::{Item, Machine};
use super::startup::{self, RunCost};

/// Used when nothing is known at all.
const DEFAULT_SECONDS: f64 = 1.0;

/// A run during which the machine had fewer idle cores than this on
/// average kept its shards waiting for a core.
const STARVED_IDLE_CORES: f64 = 0.25;

/// A shard whose runner had at least this share of a core while ready to
/// run did not wait for one to speak of.
const UNHINDERED_SHARE: f64 = 0.95;

/// A shard's busy time (CPU time over share) may exceed its wall time by
/// this factor (the two clocks' rounding) and still be believed.
const CONSISTENT: f64 = 1.1;

/// How busy a shard keeps a core, until measured: CPU-bound tests.
const DEFAULT_BUSY: f64 = 1.0;

#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct Timings {
    /// Seconds per test file (sum of its tests, one attempt each).
    pub files: BTreeMap<String, f64>,
    /// The tests of each file with their seconds (one attempt), in the
    /// order first seen.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub tests: BTreeMap<String, Vec<TestTiming>>,
    /// Seconds one more runner process costs (start-up, plugins, imports
    /// every process repeats), by runner name: measured from runs of the
    /// same files with different process counts ([`super::startup`]), else
    /// at most the time outside tests per process a shard showed.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub startup: BTreeMap<String, f64>,
    /// The last runs' costs by runner, which measure the start-up.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub runs: BTreeMap<String, Vec<RunCost>>,
    /// The fraction of its time a shard of a runner keeps a core busy when
    /// it has one (CPU time over that time), by runner name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub busy: BTreeMap<String, f64>,
    /// At the last local run, the other work that wanted the machine's
    /// cores, in processes that each want one (0: a quiet machine).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub waiting: Option<f64>,
}

/// What a local run of shards showed about the machine.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RunObservation {
    /// How many shards ran at once.
    pub shards_at_once: usize,
    /// The machine's idle cores, on average, meanwhile (`None`: it does not
    /// say).
    pub idle_cores: Option<f64>,
    /// The cores pitcrew may use.
    pub cores_allowed: f64,
}

/// One shard's result, the (file, seconds in tests) of the items that ran,
/// its runner processes, its seconds outside tests, and the factor that
/// turns its seconds into what it would have taken alone.
struct ShardCost<'a> {
    result: &'a ShardResult,
    ran: Vec<(&'a str, f64)>,
    processes: f64,
    outside: f64,
    /// Its seconds with a core to itself, per second it took.
    alone: f64,
    /// Its seconds outside tests with a core to itself.
    outside_alone: f64,
    /// Its tests' seconds with a core to itself, per second they took.
    inside_scale: f64,
    /// The share of a core its runner had while ready to run.
    share: Option<f64>,
    /// Whether its runner runs each file in a process of its own.
    per_file: bool,
    /// Whether it ran a pool of workers ([`ShardResult::workers`]): its
    /// CPU time and wall time are several cores', so they tell neither how
    /// busy a shard keeps a core nor, against shards, a start-up.
    pooled: bool,
}

/// What the timing history knows that no longer exists: a warning, never
/// a failure (the history only balances shards).
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Stale {
    /// The files concerned (deleted, or holding deleted or renamed tests).
    pub files: Vec<String>,
    /// How many of their tests the history knew.
    pub tests: usize,
}

impl Stale {
    /// One line for the user, or None when nothing is stale; names are
    /// escaped (they come from the suite).
    pub fn warning(&self, what: &str) -> Option<String> {
        let (count, files) = self.listed()?;
        let (tests, exist) = match self.tests {
            1 => ("test", "exists"),
            _ => ("tests", "exist"),
        };
        Some(format!(
            "{count} {tests} in the timing history no longer {exist} ({what}: {files})"
        ))
    }

    /// One line for tests the history knows in files where a test hung
    /// that got no result: a hang can hide the tests after it (a subtest
    /// after a hung one in its parent), so they may never have run.
    pub fn behind_hang_warning(&self) -> Option<String> {
        let (count, files) = self.listed()?;
        let (tests, them) = match self.tests {
            1 => ("test", "it"),
            _ => ("tests", "they"),
        };
        Some(format!(
            "{count} {tests} in the timing history got no result in a file where a test hung \
             ({files}): {them} may never have run behind it"
        ))
    }

    /// The count and the files, escaped, five at most; None when empty.
    fn listed(&self) -> Option<(usize, String)> {
        if self.tests == 0 && self.files.is_empty() {
            return None;
        }
        let shown: Vec<String> = self
            .files
            .iter()
            .take(5)
            .map(|f| crate::escape::control_chars(f).into_owned())
            .collect();
        let more = self.files.len().saturating_sub(shown.len());
        let tail = if more > 0 {
            format!(" and {more} more")
        } else {
            String::new()
        };
        Some((self.tests, format!("{}{tail}", shown.join(", "))))
    }
}

/// One test's duration, named as in its JUnit testcase.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct TestTiming {
    pub classname: String,
    pub name: String,
    pub seconds: f64,
}

/// A duration in the history that no measurement gives.
#[derive(Debug, thiserror::Error)]
#[error("{}: {}: {seconds} is not a non-negative number of seconds", crate::escape::control_chars(.file), crate::escape::control_chars(.field))]
pub struct TimingsError {
    pub file: String,
    pub field: String,
    pub seconds: f64,
}

impl crate::error::HasKind for TimingsError {
    fn kind(&self) -> crate::error::ErrorKind {
        crate::error::ErrorKind::Input
    }
}

impl Timings {
    /// Adds folded results: each test's mean attempt counts towards its
    /// file, and is remembered as the test's own duration.
    pub fn add_tests<'a>(&mut self, tests: impl IntoIterator<Item = (&'a str, &'a TestResult)>) {
        self.add_scaled_tests(tests.into_iter().map(|(file, test)| (file, test, 1.0)));
    }

    /// [`Timings::add_tests`] with each test's duration times its scale.
    /// One call per run: each file's tests replace the history's, so a file
    /// split over shards must come in one call (one call a shard kept only
    /// the last shard's tests, and the next run warned that the others were
    /// gone).
    fn add_scaled_tests<'a>(
        &mut self,
        tests: impl IntoIterator<Item = (&'a str, &'a TestResult, f64)>,
    ) {
        let mut fresh = Timings::default();
        for (file, test, scale) in tests {
            let seconds = scale * test.one_attempt_seconds();
            *fresh.files.entry(file.to_string()).or_default() += seconds;
            fresh
                .tests
                .entry(file.to_string())
                .or_default()
                .push(TestTiming {
                    classname: test.key.classname.clone(),
                    name: test.key.name.clone(),
                    seconds,
                });
        }
        self.update(fresh);
    }

    /// The history's files that no longer exist: not among the suite's
    /// `files` and, by `exists`, not on disk either (a narrower run leaves
    /// the others alone), taken out of the history and counted with their
    /// tests, so that a deleted or renamed file is said once, not dropped
    /// silently nor repeated on every run.
    pub fn forget_missing(&mut self, files: &[String], exists: impl Fn(&str) -> bool) -> Stale {
        let current: std::collections::BTreeSet<&str> = files.iter().map(String::as_str).collect();
        let gone: Vec<String> = self
            .files
            .keys()
            .filter(|f| !current.contains(f.as_str()) && !exists(f))
            .cloned()
            .collect();
        let mut stale = Stale::default();
        for file in gone {
            self.files.remove(&file);
            let tests = self.tests.remove(&file).map_or(1, |t| t.len().max(1));
            stale.tests = stale.tests.saturating_add(tests);
            stale.files.push(file);
        }
        stale
    }

    /// The tests the history knows for the files `newer` measured anew
    /// that `newer` no longer has (deleted or renamed since): what
    /// [`Timings::update`] is about to replace. Files measured without
    /// per-test durations say nothing about their tests.
    pub fn gone_tests(&self, newer: &Timings) -> Stale {
        self.gone_tests_where(newer, |_, _| true)
    }

    /// [`Timings::gone_tests`] of the known tests for which `of` (their
    /// file and timing) is true.
    pub fn gone_tests_where(
        &self,
        newer: &Timings,
        of: impl Fn(&str, &TestTiming) -> bool,
    ) -> Stale {
        let mut stale = Stale::default();
        for (file, fresh) in &newer.tests {
            let Some(old) = self.tests.get(file) else {
                continue;
            };
            let now: std::collections::BTreeSet<(&str, &str)> = fresh
                .iter()
                .map(|t| (t.classname.as_str(), t.name.as_str()))
                .collect();
            let gone = old
                .iter()
                .filter(|t| of(file, t))
                .filter(|t| !now.contains(&(t.classname.as_str(), t.name.as_str())))
                .count();
            if gone > 0 {
                stale.tests = stale.tests.saturating_add(gone);
                stale.files.push(file.clone());
            }
        }
        stale
    }

    /// Newer measurements replace older ones file by file; files the newer
    /// run didn't touch keep their history. A file measured anew without
    /// per-test durations loses its old ones, which no longer add up to it.
    pub fn update(&mut self, newer: Timings) {
        for file in newer.files.keys() {
            self.tests.remove(file);
        }
        self.files.extend(newer.files);
        self.tests.extend(newer.tests);
        self.startup.extend(newer.startup);
        self.runs.extend(newer.runs);
        self.busy.extend(newer.busy);
        self.waiting = newer.waiting.or(self.waiting);
    }

    /// [`Timings::update`] after a run of only some tests of its files (a
    /// name pattern, the last failures): what it measured of a file is part
    /// of the file, and its runs say nothing of the runner's start-up for
    /// the whole. A file the history knows keeps its cost and the tests
    /// that did not run; the tests that ran take their new times, and a
    /// file new to the history comes in as measured.
    pub fn update_narrowed(&mut self, newer: Timings) {
        for (file, fresh) in newer.tests {
            let Some(old) = self.tests.get_mut(&file) else {
                self.tests.insert(file, fresh);
                continue;
            };
            let ran: std::collections::HashSet<(&str, &str)> = fresh
                .iter()
                .map(|t| (t.classname.as_str(), t.name.as_str()))
                .collect();
            old.retain(|t| !ran.contains(&(t.classname.as_str(), t.name.as_str())));
            old.extend(fresh);
        }
        for (file, seconds) in newer.files {
            self.files.entry(file).or_insert(seconds);
        }
        self.busy.extend(newer.busy);
        self.waiting = newer.waiting.or(self.waiting);
    }

    /// What shards really cost, from their results: each test's time (for
    /// splitting slow files), each file's wall time in its shard, and each
    /// runner's start-up cost. Per shard, the time outside tests is
    /// `wall − Σ test time`; what is not start-up of it (one per runner
    /// process the shard started) is spread evenly over the shard's files,
    /// and a file run in a process of its own also carries its start-up.
    /// The start-up is measured as [`super::startup`] says, from this run
    /// and the `earlier` ones the history remembers. Shards run on machines
    /// of their own (CI) are taken as they are; see [`Timings::from_run`]
    /// for shards that shared one.
    pub fn from_shards<'a>(results: impl IntoIterator<Item = &'a ShardResult>) -> Timings {
        Self::from_run(results, None)
    }

    /// [`Timings::from_run_after`] with no earlier runs.
    pub fn from_run<'a>(
        results: impl IntoIterator<Item = &'a ShardResult>,
        observed: Option<&RunObservation>,
    ) -> Timings {
        Self::from_run_after(results, observed, &Timings::default())
    }

    /// [`Timings::from_shards`] for shards that ran at once on this machine
    /// (`observed`), after the runs `earlier` remembers. Each shard's times
    /// are scaled to what they would be
    /// with a core to itself: of its wall time `W`, its CPU time `C` ran at
    /// the share of a core `g` its runner had while ready to run, so it
    /// spent `C / g` busy and `W − C / g` waiting for other things, and
    /// with a core to itself it takes `W − C / g + C`. Where the share is
    /// not measured it is 1 when the machine had cores idle, else unknown,
    /// and the shard's times stand. The other work
    /// that wanted the cores is what makes the shares: `cores / g − shards
    /// × busy` processes.
    pub fn from_run_after<'a>(
        results: impl IntoIterator<Item = &'a ShardResult>,
        observed: Option<&RunObservation>,
        earlier: &Timings,
    ) -> Timings {
        let results: Vec<&ShardResult> = results.into_iter().collect();
        let mut fresh = Timings::default();
        let idle = observed.and_then(|o| o.idle_cores);
        let shards: Vec<ShardCost<'_>> = results
            .iter()
            .map(|r| {
                let ran: Vec<(&str, f64)> = r
                    .items
                    .iter()
                    .filter(|i| i.tests > 0)
                    .map(|i| (i.test_of.as_deref().unwrap_or(&i.id), i.duration_seconds))
                    .collect();
                let per_file = runners::by_name(&r.runner).is_some_and(|x| !x.junit_names_files());
                // Counted where the result says (split files add processes);
                // else one a shard, or one a file.
                let guessed = if per_file { ran.len().max(1) } else { 1 } as f64;
                let processes = r.processes.filter(|p| *p > 0).map_or(guessed, f64::from);
                let inside: f64 = ran.iter().map(|(_, s)| s).sum();
                // A pool of workers kept that many cores busy: its files'
                // time is the workers' time, and how a shard shares a core
                // says nothing of it.
                let pool = r.workers.filter(|w| *w > 1).map(f64::from);
                let outside = (pool.unwrap_or(1.0) * r.duration_seconds - inside).max(0.0);
                let share = if pool.is_some() { None } else { share(r, idle) };
                let alone = alone_seconds(r, share).map(|a| a / r.duration_seconds);
                // A share its CPU time contradicts says nothing of the machine.
                let share = share.filter(|_| alone.is_some() || r.cpu_seconds.is_none());
                let alone = alone.filter(|a| a.is_finite()).unwrap_or(1.0);
                let (outside_alone, inside_scale) = match share {
                    Some(g) if alone < 1.0 => {
                        waits_apart(outside, inside, r.duration_seconds * (1.0 - alone), g)
                    }
                    _ => (outside, 1.0),
                };
                ShardCost {
                    result: r,
                    ran,
                    processes,
                    outside,
                    alone,
                    outside_alone,
                    inside_scale,
                    share,
                    per_file,
                    pooled: pool.is_some(),
                }
            })
            .collect();
        fresh.busy = busy(&shards);
        if let Some(observed) = observed {
            fresh.waiting = waiting(&shards, observed, &fresh.busy);
        }
        let runners: std::collections::BTreeSet<&str> =
            shards.iter().map(|s| s.result.runner.as_str()).collect();
        for runner in runners {
            let of_runner: Vec<&ShardCost<'_>> = shards
                .iter()
                .filter(|s| s.result.runner == runner)
                .collect();
            let mut runs = earlier.runs.get(runner).cloned().unwrap_or_default();
            let this = run_cost(&of_runner);
            if let Some(this) = &this {
                startup::remember(&mut runs, this.clone());
            }
            let startup = startup::measured(&runs).or_else(|| ceiling(&of_runner));
            if let Some(startup) = startup {
                fresh.startup.insert(runner.to_owned(), startup);
            }
            if !runs.is_empty() {
                fresh.runs.insert(runner.to_owned(), runs);
            }
        }
        fresh.add_scaled_tests(shards.iter().flat_map(|shard| {
            shard.result.tests.iter().filter_map(|t| {
                let file = t.key.file.as_deref()?;
                Some((
                    file.strip_prefix("./").unwrap_or(file),
                    t,
                    shard.inside_scale,
                ))
            })
        }));
        let mut costs: BTreeMap<String, f64> = BTreeMap::new();
        for shard in &shards {
            let startup = fresh
                .startup
                .get(&shard.result.runner)
                .copied()
                .unwrap_or(0.0);
            let outside = shard.outside_alone;
            let spread =
                (outside - startup * shard.processes).max(0.0) / shard.ran.len().max(1) as f64;
            let own_process = if shard.per_file { startup } else { 0.0 };
            for (file, seconds) in &shard.ran {
                let file = file.strip_prefix("./").unwrap_or(file);
                *costs.entry(file.to_owned()).or_default() +=
                    shard.inside_scale * seconds + spread + own_process;
            }
        }
        // A file that did not import, or a go package that did not build,
        // measured nothing of its tests: its history stands (and none of
        // them reads as deleted; round 68 lost a package's history so).
        let uncollected: std::collections::BTreeSet<&str> = results
            .iter()
            .flat_map(|r| &r.tests)
            .filter(|t| t.never_loaded())
            .filter_map(|t| t.key.file.as_deref())
            .map(|file| file.strip_prefix("./").unwrap_or(file))
            .collect();
        // Only files a shard ran as items: a test attributed to any other
        // file says nothing about what that file costs.
        fresh.files = costs
            .into_iter()
            .filter(|(file, c)| c.is_finite() && !uncollected.contains(file.as_str()))
            .collect();
        let files = &fresh.files;
        fresh.tests.retain(|file, _| files.contains_key(file));
        fresh
    }

    /// How busy a shard of `runner` keeps a core, as measured, else 1.
    pub fn busy_of(&self, runner: &str) -> f64 {
        self.busy
            .get(runner)
            .copied()
            .filter(|b| b.is_finite() && *b > 0.0)
            .unwrap_or(DEFAULT_BUSY)
    }

    /// How shards of `runner` share this machine, `jobs` at once, with
    /// `cores_allowed` cores: as busy as the runner's shards were, among
    /// as much other work as the last local run met.
    pub fn machine(&self, runner: &str, jobs: usize, cores_allowed: f64) -> Machine {
        Machine {
            jobs,
            cores: cores_allowed,
            busy: self.busy_of(runner),
            waiting: self
                .waiting
                .filter(|w| w.is_finite() && *w >= 0.0)
                .unwrap_or(0.0),
            startup: self.startup_of(runner),
        }
    }

    /// The start-up cost of `runner` per process, when measured.
    pub fn startup_of(&self, runner: &str) -> f64 {
        self.startup
            .get(runner)
            .copied()
            .filter(|s| s.is_finite() && *s >= 0.0)
            .unwrap_or(0.0)
    }

    /// Reads the history; a missing file is an empty history, a corrupt one
    /// is logged and ignored (it only makes the next split less balanced).
    /// A duration that is negative is an error naming the file and field:
    /// it would otherwise stop the split with no hint where it came from.
    pub fn load(path: &Path) -> Result<Self, TimingsError> {
        let timings: Self = match std::fs::read(path) {
            Err(_) => return Ok(Self::default()),
            Ok(bytes) => serde_json::from_slice(&bytes).unwrap_or_else(|e| {
                tracing::warn!("{}: ignoring the timing history: {e}", path.display());
                Self::default()
            }),
        };
        let files = timings
            .files
            .iter()
            .map(|(f, s)| (format!("files[{f:?}]"), *s));
        let tests = timings.tests.iter().flat_map(|(f, tests)| {
            let at = move |(i, t): (usize, &TestTiming)| {
                (format!("tests[{f:?}][{i}].seconds"), t.seconds)
            };
            tests.iter().enumerate().map(at)
        });
        match files
            .chain(tests)
            .find(|(_, s)| !(s.is_finite() && *s >= 0.0))
        {
            None => Ok(timings),
            Some((field, seconds)) => Err(TimingsError {
                file: path.display().to_string(),
                field,
                seconds,
            }),
        }
    }

    pub fn save(&self, path: &Path) -> anyhow::Result<()> {
        crate::output::write_atomic(path, crate::json::to_string_pretty(self)?.as_bytes())
    }

    /// Items for `files`: measured seconds where known, else the median of
    /// the known files (tests without history are assumed typical). Files
    /// no longer in the suite are dropped by construction.
    pub fn estimate(&self, files: &[String]) -> Vec<Item> {
        let mut known: Vec<f64> = files
            .iter()
            .filter_map(|f| self.files.get(f).copied())
            .collect();
        known.sort_by(f64::total_cmp);
        let median = match known.len() {
            0 => DEFAULT_SECONDS,
            n if n % 2 == 1 => known[n / 2],
            n => (known[n / 2 - 1] + known[n / 2]) / 2.0,
        };
        files
            .iter()
            .map(|file| Item {
                id: file.clone(),
                seconds: self
                    .files
                    .get(file)
                    .copied()
                    .filter(|s| s.is_finite() && *s >= 0.0)
                    .unwrap_or(median),
            })
            .collect()
    }
}

/// The most a start-up can have been in these shards of one runner: the
/// least time outside tests per process any of them showed with a core to
/// itself, or CPU time per process where that is less (a busy machine
/// stretches wall time, hardly CPU time), or, where the runner said how
/// long its files ran (node: each file in a process of its own; pytest:
/// collection and the tests), the time per process when no file ran: a
/// file's own process, imports and collection are its file's cost whatever
/// the shard, and the runner process around them is all one more shard
/// adds; for a pool of workers, only that last. `None` when no shard
/// ran a test or none says.
fn ceiling(shards: &[&ShardCost<'_>]) -> Option<f64> {
    shards
        .iter()
        .filter(|s| !s.ran.is_empty() && s.outside.is_finite())
        .map(|s| {
            // A pool's workers' time outside tests and its CPU time are
            // several cores' (on zod, vitest's 140 s of CPU was taken for a
            // start-up, and the next run chose one shard of one worker):
            // only the time no file ran says what its start-up was.
            let (outside, cpu) = if s.pooled {
                (f64::INFINITY, f64::INFINITY)
            } else {
                (
                    s.outside_alone / s.processes,
                    s.result
                        .cpu_seconds
                        .map_or(f64::INFINITY, |c| c / s.processes),
                )
            };
            let between_files = s
                .result
                .files_running_seconds
                .filter(|f| f.is_finite() && *f >= 0.0)
                .map_or(f64::INFINITY, |f| {
                    (s.result.duration_seconds - f).max(0.0) / s.processes
                });
            outside.min(cpu).min(between_files).max(0.0)
        })
        .filter(|c| c.is_finite())
        .min_by(f64::total_cmp)
}

/// This run's cost for measuring start-ups: every shard of the runner
/// counted its processes and none failed to run (a shard error's time says
/// nothing of its files).
fn run_cost(shards: &[&ShardCost<'_>]) -> Option<RunCost> {
    let mut processes: u32 = 0;
    let mut seconds = 0.0;
    for shard in shards {
        let r = shard.result;
        if r.error.is_some() || shard.ran.is_empty() || shard.pooled {
            return None;
        }
        processes = processes.checked_add(r.processes.filter(|p| *p > 0)?)?;
        seconds += shard.alone * r.duration_seconds;
    }
    let files = startup::files_key(
        shards
            .iter()
            .flat_map(|s| s.ran.iter().map(|(f, _)| f.strip_prefix("./").unwrap_or(f))),
    );
    let ceiling = ceiling(shards)?;
    (seconds.is_finite() && processes > 0).then_some(RunCost {
        files,
        processes,
        seconds,
        ceiling,
    })
}

/// Where a shard waited for a core (`wait` seconds in all, at a share `g`
/// of a core while ready to run): its time outside tests (start-up,
/// imports, collection) is CPU work, so it waited `(1 − g)` of that time;
/// the rest of the wait, if any, was in its tests. Tests that sleep or wait
/// for I/O are not stretched by a busy machine and are not shrunk here.
/// Returns its seconds outside tests with a core to itself and the factor
/// for its tests' seconds.
fn waits_apart(outside: f64, inside: f64, wait: f64, g: f64) -> (f64, f64) {
    let wait = wait.max(0.0);
    let in_outside = wait.min(outside * (1.0 - g).clamp(0.0, 1.0));
    let in_tests = (wait - in_outside).clamp(0.0, inside);
    let scale = if inside > 0.0 {
        (inside - in_tests) / inside
    } else {
        1.0
    };
    (outside - in_outside, scale)
}

/// The share of a core a shard's runner had while ready to run: measured,
/// else 1 when the machine had cores idle; `None` when nothing says (then
/// its times stand: a busy machine alone does not tell CPU-bound tests
/// held back from tests that sleep).
fn share(result: &ShardResult, idle_cores: Option<f64>) -> Option<f64> {
    let measured = result.cpu_share.filter(|s| *s > 0.0 && *s <= 1.0);
    let idle = idle_cores.filter(|i| *i >= STARVED_IDLE_CORES).map(|_| 1.0);
    measured.or(idle)
}

/// A shard's seconds with a core to itself: the time it was not busy, plus
/// its CPU time (see [`Timings::from_run`]); at most its wall time. `None`
/// when its busy time would exceed its wall time: then its CPU ran in
/// several processes at once, or the runner's own process (whose share is
/// measured) mostly waited for workers, and the share says nothing of them.
fn alone_seconds(result: &ShardResult, share: Option<f64>) -> Option<f64> {
    let (wall, cpu) = (result.duration_seconds, result.cpu_seconds?);
    let busy = cpu / share?;
    if busy > wall * CONSISTENT {
        return None;
    }
    let alone = ((wall - busy).max(0.0) + cpu).min(wall);
    (alone.is_finite() && wall > 0.0).then_some(alone)
}

/// How busy each runner's shards keep a core: their CPU time over their
/// time with a core to themselves, where every one was measured.
fn busy(shards: &[ShardCost<'_>]) -> BTreeMap<String, f64> {
    let mut sums: BTreeMap<&str, Option<(f64, f64)>> = BTreeMap::new();
    for shard in shards.iter().filter(|s| !s.pooled) {
        let r = shard.result;
        let sum = sums.entry(&r.runner).or_insert(Some((0.0, 0.0)));
        *sum = sum
            .zip(r.cpu_seconds)
            .map(|((cpu, alone), more)| (cpu + more, alone + shard.alone * r.duration_seconds));
    }
    sums.into_iter()
        .filter_map(|(runner, sum)| {
            let (cpu, alone) = sum?;
            let busy = (cpu / alone).min(1.0);
            (busy.is_finite() && busy > 0.0).then(|| (runner.to_owned(), busy))
        })
        .collect()
}

/// The other work that wanted the cores during a local run, in processes:
/// with `c` cores, `k` shards at once each busy `b` of the time and a
/// share `g` each, `c / g − k × b` (none when every shard had a core);
/// the mean over the shards whose share is known.
fn waiting(
    shards: &[ShardCost<'_>],
    observed: &RunObservation,
    busy: &BTreeMap<String, f64>,
) -> Option<f64> {
    let estimates: Vec<f64> = shards
        .iter()
        .filter_map(|shard| {
            let share = shard.share?;
            if share >= UNHINDERED_SHARE {
                return Some(0.0);
            }
            let b = busy
                .get(&shard.result.runner)
                .copied()
                .unwrap_or(DEFAULT_BUSY);
            let others = observed.cores_allowed / share - observed.shards_at_once as f64 * b;
            others.is_finite().then(|| others.max(0.0))
        })
        .collect();
    (!estimates.is_empty()).then(|| estimates.iter().sum::<f64>() / estimates.len() as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn timings(pairs: &[(&str, f64)]) -> Timings {
        Timings {
            files: pairs.iter().map(|(f, s)| (f.to_string(), *s)).collect(),
            ..Timings::default()
        }
    }

    fn test(file: &str, name: &str, seconds: f64, attempts: u32) -> TestResult {
        TestResult {
            key: crate::suite::fold::TestKey {
                file: Some(file.into()),
                classname: "c".into(),
                name: name.into(),
                occurrence: 0,
            },
            outcome: crate::suite::fold::FinalOutcome::Passed,
            attempts,
            duration_seconds: seconds,
            failure: None,
        }
    }

    #[test]
    fn tests_are_remembered_per_attempt_and_replaced_with_their_file() {
        let (a1, a2, b) = (
            test("a", "t1", 4.0, 2),
            test("a", "t2", 1.0, 1),
            test("b", "t", 3.0, 1),
        );
        let mut history = Timings::default();
        history.add_tests([("a", &a1), ("a", &a2), ("b", &b)]);
        assert_eq!(history.files, timings(&[("a", 3.0), ("b", 3.0)]).files);
        let names: Vec<(&str, f64)> = history.tests["a"]
            .iter()
            .map(|t| (t.name.as_str(), t.seconds))
            .collect();
        assert_eq!(names, [("t1", 2.0), ("t2", 1.0)]);
        // A newer run of `a` alone replaces `a`'s tests and keeps `b`'s;
        // a file-only measurement drops the per-test ones it contradicts.
        history.add_tests([("a", &a2)]);
        assert_eq!(history.tests["a"].len(), 1);
        assert_eq!(history.files["a"], 1.0);
        history.update(timings(&[("b", 9.0)]));
        assert!(!history.tests.contains_key("b"));
        assert_eq!(history.files["b"], 9.0);
    }

    /// A run of some tests (`-k`, `--lf`) keeps what the history knows of
    /// the whole: the file's cost, the tests that did not run, the
    /// start-up; it adds what it saw first.
    #[test]
    fn a_narrowed_run_keeps_the_whole_and_adds_what_is_new() {
        let (t1, t2) = (test("a", "t1", 2.0, 1), test("a", "t2", 1.0, 1));
        let mut history = Timings::default();
        history.add_tests([("a", &t1), ("a", &t2)]);
        history.startup.insert("pytest".into(), 0.5);
        let mut narrowed = Timings::default();
        let (t2_again, c) = (test("a", "t2", 0.5, 1), test("c", "t", 4.0, 1));
        narrowed.add_tests([("a", &t2_again), ("c", &c)]);
        narrowed.startup.insert("pytest".into(), 9.0);
        narrowed.busy.insert("pytest".into(), 0.25);
        history.update_narrowed(narrowed);
        assert_eq!(history.files["a"], 3.0, "the whole file's cost");
        assert_eq!(history.files["c"], 4.0, "a file seen first");
        let a: Vec<(&str, f64)> = history.tests["a"]
            .iter()
            .map(|t| (t.name.as_str(), t.seconds))
            .collect();
        assert_eq!(a, [("t1", 2.0), ("t2", 0.5)]);
        assert_eq!(history.startup["pytest"], 0.5);
        assert_eq!(history.busy_of("pytest"), 0.25);
    }

    /// A slow file split over two shards: the history keeps both shards'
    /// tests of it (it kept the last shard's, and the next run warned that
    /// the others no longer existed).
    #[test]
    fn a_file_split_over_shards_keeps_every_shards_tests() {
        let mut one = shard("pytest", 2.0, &[("slow.py", 1.0)]);
        let mut two = shard("pytest", 2.0, &[("slow.py::t2", 1.0)]);
        one.tests = vec![test("slow.py", "t1", 1.0, 1)];
        two.shard = 2;
        two.items[0].test_of = Some("slow.py".into());
        two.tests = vec![test("slow.py", "t2", 1.0, 1)];
        let history = Timings::from_shards([&one, &two]);
        let names: Vec<&str> = history.tests["slow.py"]
            .iter()
            .map(|t| t.name.as_str())
            .collect();
        assert_eq!(names, ["t1", "t2"]);
    }

    #[test]
    fn deleted_files_and_renamed_tests_are_counted_once_not_dropped_silently() {
        let (a1, a2, b) = (
            test("a", "t1", 1.0, 1),
            test("a", "t2", 1.0, 1),
            test("b", "t", 1.0, 1),
        );
        let mut history = Timings::default();
        history.add_tests([("a", &a1), ("a", &a2), ("b", &b)]);
        history.files.insert("on-disk-only".into(), 1.0);
        history.files.insert("gone-no-tests".into(), 1.0);

        // `b` was deleted; `on-disk-only` is merely outside this run.
        let files = vec!["a".to_owned()];
        let stale = history.forget_missing(&files, |f| f == "on-disk-only");
        assert_eq!(stale.files, ["b", "gone-no-tests"]);
        assert_eq!(stale.tests, 2);
        assert_eq!(
            stale.warning("deleted or renamed files").as_deref(),
            Some(
                "2 tests in the timing history no longer exist (deleted or renamed files: b, gone-no-tests)"
            )
        );
        assert!(!history.files.contains_key("b") && !history.tests.contains_key("b"));
        assert!(history.files.contains_key("on-disk-only"));
        // Said once: the history no longer has them.
        assert_eq!(history.forget_missing(&files, |_| false).tests, 1);

        // `t2` renamed to `t3`: one test gone from `a`.
        let t3 = test("a", "t3", 1.0, 1);
        let mut newer = Timings::default();
        newer.add_tests([("a", &a1), ("a", &t3)]);
        let gone = history.gone_tests(&newer);
        assert_eq!((gone.files.clone(), gone.tests), (vec!["a".to_owned()], 1));
        assert!(gone.warning("x").unwrap().starts_with("1 test in"));
        // Where a test hung in `a`, its missing test is said to be unrun.
        assert_eq!(history.gone_tests_where(&newer, |f, _| f != "a").tests, 0);
        assert_eq!(
            history
                .gone_tests_where(&newer, |f, _| f == "a")
                .behind_hang_warning()
                .unwrap(),
            "1 test in the timing history got no result in a file where a test hung (a): \
             it may never have run behind it"
        );
        assert_eq!(Stale::default().warning("x"), None);
        // Escaped: names come from the suite.
        let odd = Stale {
            files: vec!["a\x1b[31m".into()],
            tests: 1,
        };
        assert!(!odd.warning("x").unwrap().contains('\x1b'));
    }

    fn shard(runner: &str, wall: f64, items: &[(&str, f64)]) -> ShardResult {
        use crate::suite::result::{FORMAT, ItemResult};
        ShardResult {
            format: FORMAT.into(),
            plan_sha256: String::new(),
            shard: 1,
            total: 1,
            runner: runner.into(),
            items: items
                .iter()
                .map(|(id, s)| ItemResult {
                    id: (*id).into(),
                    test_of: None,
                    tests: 1,
                    duration_seconds: *s,
                    selected_none: false,
                })
                .collect(),
            tests: items.iter().map(|(id, s)| test(id, "t", *s, 1)).collect(),
            counts: Default::default(),
            error: None,
            duration_seconds: wall,
            cpu_seconds: None,
            cpu_share: None,
            processes: None,
            files_running_seconds: None,
            workers: None,
            command: None,
        }
    }

    #[test]
    fn files_cost_their_wall_time_and_start_up_is_per_runner() {
        // pytest, one process a shard, one run: start-up and imports cannot
        // be told apart, so the start-up is taken at its most, the least
        // time outside tests per process (2 s, the lighter shard's); the
        // other shard's excess is its files', spread evenly.
        let a = shard("pytest", 3.0, &[("a.py", 1.0)]);
        let b = shard("pytest", 8.0, &[("b.py", 1.0), ("c.py", 2.0)]);
        let t = Timings::from_shards([&a, &b]);
        assert_eq!(t.startup_of("pytest"), 2.0);
        assert_eq!(t.files["a.py"], 1.0);
        assert_eq!(t.files["b.py"], 2.5);
        assert_eq!(t.files["c.py"], 3.5);
        assert_eq!(t.tests["c.py"][0].seconds, 2.0, "tests keep their own time");
        // node, one process a shard too (our reporter names each test's
        // file): 6 s outside tests.
        let n = shard("node", 7.0, &[("x.mjs", 0.1), ("y.mjs", 0.9)]);
        let t = Timings::from_shards([&n]);
        assert_eq!(t.startup_of("node"), 6.0);
        assert_eq!(t.files["x.mjs"], 0.1);
        assert_eq!(Timings::default().startup_of("node"), 0.0);
        // CPU time bounds it where a busy machine stretched the wall time.
        let slow = with_cpu(shard("pytest", 9.0, &[("a.py", 1.0)]), 0.5, None);
        assert_eq!(Timings::from_shards([&slow]).startup_of("pytest"), 0.5);
    }

    #[test]
    fn a_runner_that_runs_files_in_processes_of_their_own_starts_up_between_them() {
        // node: of 7 s, its two files' processes ran 6.7 s; the 6 s outside
        // tests are the files' own start-ups and imports, not node's.
        let n = ShardResult {
            files_running_seconds: Some(6.7),
            ..shard("node", 7.0, &[("x.mjs", 0.1), ("y.mjs", 0.9)])
        };
        let t = Timings::from_shards([&n]);
        assert!((t.startup_of("node") - 0.3).abs() < 1e-9, "{t:?}");
        // What is not start-up is the files': 5.7 s spread over the two.
        assert!((t.files["x.mjs"] - 2.95).abs() < 1e-9, "{t:?}");
        assert!((t.files["y.mjs"] - 3.75).abs() < 1e-9, "{t:?}");
        // Per process, with two (a retry); nonsense says nothing.
        let retried = processes(n.clone(), 2);
        let t = Timings::from_shards([&retried]);
        assert!((t.startup_of("node") - 0.15).abs() < 1e-9, "{t:?}");
        let odd = ShardResult {
            files_running_seconds: Some(f64::NAN),
            ..n
        };
        assert_eq!(Timings::from_shards([&odd]).startup_of("node"), 6.0);
    }

    #[test]
    fn a_pool_of_workers_costs_its_files_the_workers_time_and_says_nothing_of_shards() {
        // One node process, two files at a time: of 5 s, files ran 4.6 s
        // (0.4 s is node's own start-up), and the two workers spent 10 s,
        // 1 s of it in tests. Its CPU time (9 s) is two cores'.
        let pooled = ShardResult {
            files_running_seconds: Some(4.6),
            workers: Some(2),
            cpu_seconds: Some(9.0),
            cpu_share: Some(0.5),
            ..processes(shard("node", 5.0, &[("x.mjs", 0.5), ("y.mjs", 0.5)]), 1)
        };
        let observed = RunObservation {
            shards_at_once: 1,
            idle_cores: Some(0.0),
            cores_allowed: 2.0,
        };
        let t = Timings::from_run(std::iter::once(&pooled), Some(&observed));
        assert!((t.startup_of("node") - 0.4).abs() < 1e-9, "{t:?}");
        // Its tests, and the workers' 9 s outside tests less the start-up,
        // spread (one process's time would have given them 2.1 s).
        for file in ["x.mjs", "y.mjs"] {
            assert!((t.files[file] - (0.5 + 4.3)).abs() < 1e-9, "{t:?}");
        }
        assert!(
            t.runs.is_empty(),
            "no start-up measured against shards: {t:?}"
        );
        assert!(
            t.busy.is_empty(),
            "two cores' CPU is not one shard's: {t:?}"
        );
        assert_eq!(t.waiting, None, "{t:?}");
    }

    #[test]
    fn a_pool_that_does_not_say_when_its_files_ran_measures_no_start_up() {
        // vitest with two workers: 110 s of wall, 140 s of CPU, 24 s in
        // tests, and no time when no file ran. None of it is a start-up.
        let pooled = ShardResult {
            workers: Some(2),
            cpu_seconds: Some(140.0),
            ..processes(shard("vitest", 110.0, &[("a.ts", 12.0), ("b.ts", 12.0)]), 1)
        };
        let t = Timings::from_shards([&pooled]);
        assert!(!t.startup.contains_key("vitest"), "{t:?}");
        // The workers' 220 s, less 24 s of tests, spread over the files.
        for file in ["a.ts", "b.ts"] {
            assert!((t.files[file] - (12.0 + 98.0)).abs() < 1e-9, "{t:?}");
        }
    }

    fn processes(mut result: ShardResult, processes: u32) -> ShardResult {
        result.processes = Some(processes);
        result
    }

    /// Three files with 1 s of tests each, and 3 s outside tests in one
    /// process: 1.4 s of start-up, and 0.3 s of imports per file in
    /// whichever process runs it.
    fn files_run_in(groups: &[&[&str]]) -> Vec<ShardResult> {
        groups
            .iter()
            .map(|files| {
                let items: Vec<(&str, f64)> = files.iter().map(|f| (*f, 1.0)).collect();
                let wall = 1.4 + 1.3 * files.len() as f64;
                processes(shard("pytest", wall, &items), 1)
            })
            .collect()
    }

    #[test]
    fn a_start_up_is_measured_by_runs_with_different_process_counts() {
        // First run, two shards: the start-up is at most 1.7 s (the
        // lighter shard's time outside tests).
        let two = files_run_in(&[&["a.py"], &["b.py", "c.py"]]);
        let first = Timings::from_run_after(&two, None, &Timings::default());
        assert!((first.startup_of("pytest") - 1.7).abs() < 1e-9, "{first:?}");
        // The same files in one process: 1 process less, 1.4 s less.
        let one = files_run_in(&[&["a.py", "b.py", "c.py"]]);
        let second = Timings::from_run_after(&one, None, &first);
        assert!(
            (second.startup_of("pytest") - 1.4).abs() < 1e-9,
            "{second:?}"
        );
        assert_eq!(second.runs["pytest"].len(), 2);
        // Kept in the history: a third run like the first still says 1.4 s,
        // and its files are costed with it.
        let mut history = first.clone();
        history.update(second);
        let third = Timings::from_run_after(&two, None, &history);
        assert!((third.startup_of("pytest") - 1.4).abs() < 1e-9, "{third:?}");
        assert!((third.files["a.py"] - 1.3).abs() < 1e-9, "{third:?}");
        // Another set of files measures nothing with these runs.
        let other = files_run_in(&[&["a.py", "b.py", "d.py"]]);
        let fourth = Timings::from_run_after(&other, None, &first);
        assert!(
            (fourth.startup_of("pytest") - 2.3).abs() < 1e-9,
            "{fourth:?}"
        );
        // A shard that could not run, or older results without a process
        // count, are no measurement.
        let mut broken = one.clone();
        broken[0].processes = None;
        let t = Timings::from_run_after(&broken, None, &first);
        assert_eq!(t.runs["pytest"].len(), 1);
    }

    fn with_cpu(mut result: ShardResult, cpu: f64, share: Option<f64>) -> ShardResult {
        result.cpu_seconds = Some(cpu);
        result.cpu_share = share;
        result
    }

    fn observed(shards: usize, idle: Option<f64>, allowed: f64) -> RunObservation {
        RunObservation {
            shards_at_once: shards,
            idle_cores: idle,
            cores_allowed: allowed,
        }
    }

    fn sum(t: &Timings, runner: &str, shards: f64) -> f64 {
        t.files.values().sum::<f64>() + shards * t.startup_of(runner)
    }

    #[test]
    fn shards_held_back_by_a_busy_machine_are_costed_as_with_a_core_each() {
        // Two CPU-bound pytest shards on the one core allowed: 10 s each,
        // 5 s of CPU each, half a core whenever they were ready to run.
        let a = with_cpu(shard("pytest", 10.0, &[("a.py", 2.0)]), 5.0, Some(0.5));
        let b = with_cpu(
            shard("pytest", 10.0, &[("b.py", 1.0), ("c.py", 1.0)]),
            5.0,
            Some(0.5),
        );
        let t = Timings::from_run([&a, &b], Some(&observed(2, Some(0.0), 1.0)));
        // With a core each, half the time.
        assert!((sum(&t, "pytest", 2.0) - 10.0).abs() < 1e-9, "{t:?}");
        assert_eq!(t.tests["a.py"][0].seconds, 0.5 * 2.0);
        assert_eq!(t.busy["pytest"], 1.0);
        // The shards alone explain the shares: nothing else wanted the core.
        assert_eq!(t.waiting, Some(0.0));
        // So the next plan keeps one shard: two would only share the core.
        let files = ["a.py".to_owned(), "b.py".into(), "c.py".into()];
        let one_core = t.machine("pytest", 2, 1.0);
        assert_eq!(one_core.slowdown(2), 2.0);
        let items = t.estimate(&files);
        assert_eq!(
            crate::suite::split::worthwhile(&items, &one_core).unwrap(),
            1
        );
        // What the wall times alone said: 20 s, twice the start-ups.
        let walls = Timings::from_shards([
            &shard("pytest", 10.0, &[("a.py", 2.0)]),
            &shard("pytest", 10.0, &[("b.py", 1.0), ("c.py", 1.0)]),
        ]);
        assert!((sum(&walls, "pytest", 2.0) - 20.0).abs() < 1e-9);
        assert_eq!(
            (walls.startup_of("pytest"), t.startup_of("pytest")),
            (8.0, 4.0)
        );
    }

    #[test]
    fn tests_that_sleep_are_not_shrunk_for_a_start_up_that_waited_for_a_core() {
        // 6 s of tests that sleep and 4 s outside them, on a crowded core
        // (0.15 of it while ready to run): 0.6 s of CPU, all of it the
        // start-up's, which waited 3.4 s for the core. The sleeps took what
        // they take on any machine; the start-up costs 0.6 s alone.
        let a = with_cpu(shard("pytest", 10.0, &[("a.py", 6.0)]), 0.6, Some(0.15));
        let t = Timings::from_run([&a], Some(&observed(1, Some(0.0), 1.0)));
        assert!((t.tests["a.py"][0].seconds - 6.0).abs() < 1e-9, "{t:?}");
        assert!((t.startup_of("pytest") - 0.6).abs() < 1e-9, "{t:?}");
        assert!((t.files["a.py"] - 6.0).abs() < 1e-9, "{t:?}");
    }

    #[test]
    fn waiting_for_other_things_is_not_scaled_and_other_work_is_counted() {
        // Tests that sleep: 1 s of CPU in 10 s, at half a core when ready,
        // so 2 s busy, 8 s asleep; alone 9 s.
        let a = with_cpu(shard("pytest", 10.0, &[("a.py", 9.0)]), 1.0, Some(0.5));
        let t = Timings::from_run([&a], Some(&observed(1, Some(0.0), 2.0)));
        assert!((sum(&t, "pytest", 1.0) - 9.0).abs() < 1e-9, "{t:?}");
        assert!((t.busy["pytest"] - 1.0 / 9.0).abs() < 1e-9);
        // Two cores crowded: each shard had an eighth of a core, so 14
        // other processes wanted them.
        let a = with_cpu(shard("pytest", 10.0, &[("a.py", 9.0)]), 1.25, Some(0.125));
        let b = with_cpu(shard("pytest", 10.0, &[("b.py", 9.0)]), 1.25, Some(0.125));
        let t = Timings::from_run([&a, &b], Some(&observed(2, Some(0.0), 2.0)));
        assert_eq!(t.waiting, Some(14.0));
        assert!((sum(&t, "pytest", 2.0) - 2.5).abs() < 1e-9, "{t:?}");
        // Where the share is not measured: cores idle mean none was
        // waited for; none idle, that the shard was busy throughout.
        let a = with_cpu(shard("pytest", 10.0, &[("a.py", 9.0)]), 5.0, None);
        let quiet = Timings::from_run([&a], Some(&observed(1, Some(1.0), 2.0)));
        assert_eq!(quiet.files, Timings::from_shards([&a]).files);
        assert_eq!(quiet.waiting, Some(0.0));
        let busy = Timings::from_run([&a], Some(&observed(1, Some(0.0), 2.0)));
        assert_eq!(busy.files, Timings::from_shards([&a]).files);
        assert_eq!(busy.waiting, None);
        // A runner whose own process had a small share while its workers
        // did the work (node's files run in processes of their own): 3 s
        // of CPU at a tenth of a core would be 30 s busy in 10 s. Not
        // believed: its times stand, and it says nothing of other work.
        let node = with_cpu(shard("node", 10.0, &[("x.mjs", 9.0)]), 3.0, Some(0.1));
        let t = Timings::from_run([&node], Some(&observed(1, Some(0.0), 2.0)));
        assert_eq!(t.files, Timings::from_shards([&node]).files);
        assert_eq!(t.waiting, None);
        // Nothing measured (an older result, another platform): as before.
        let old = shard("pytest", 10.0, &[("a.py", 9.0)]);
        let t = Timings::from_run([&old], Some(&observed(1, Some(0.0), 2.0)));
        assert_eq!(t.files, Timings::from_shards([&old]).files);
        assert_eq!((t.waiting, t.busy.len()), (None, 0));
    }

    #[test]
    fn the_machine_is_remembered_and_old_files_still_load() {
        let mut history = timings(&[("a", 1.0)]);
        let newer = Timings {
            waiting: Some(3.5),
            busy: [("node".to_owned(), 0.4)].into(),
            ..Timings::default()
        };
        history.update(newer);
        history.update(timings(&[("b", 2.0)]));
        assert_eq!((history.waiting, history.busy_of("node")), (Some(3.5), 0.4));
        assert_eq!(history.busy_of("pytest"), 1.0);
        let machine = history.machine("node", 4, 2.0);
        assert_eq!(
            (machine.cores, machine.waiting, machine.busy),
            (2.0, 3.5, 0.4)
        );
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.json");
        history.save(&path).unwrap();
        assert_eq!(Timings::load(&path).unwrap(), history);
        // A file written before these fields existed.
        std::fs::write(&path, r#"{"files":{"a":1.5},"startup":{"pytest":0.5}}"#).unwrap();
        let old = Timings::load(&path).unwrap();
        assert_eq!((old.waiting, old.busy.len()), (None, 0));
        assert_eq!(old.machine("pytest", 2, 2.0).waiting, 0.0);
    }

    #[test]
    fn unknown_files_get_the_median_and_deleted_ones_are_dropped() {
        let history = timings(&[("a", 1.0), ("b", 3.0), ("c", 10.0), ("deleted", 99.0)]);
        let items = history.estimate(&["a".into(), "b".into(), "c".into(), "new".into()]);
        let seconds: Vec<(&str, f64)> = items.iter().map(|i| (i.id.as_str(), i.seconds)).collect();
        assert_eq!(seconds, [("a", 1.0), ("b", 3.0), ("c", 10.0), ("new", 3.0)]);
        let even =
            timings(&[("a", 1.0), ("b", 3.0)]).estimate(&["a".into(), "b".into(), "x".into()]);
        assert_eq!(even[2].seconds, 2.0);
        assert_eq!(
            Timings::default().estimate(&["x".into()])[0].seconds,
            DEFAULT_SECONDS
        );
    }

    #[test]
    fn newer_runs_replace_history_file_by_file() {
        let mut history = timings(&[("a", 1.0), ("b", 2.0)]);
        history.update(timings(&[("b", 5.0), ("c", 1.5)]));
        assert_eq!(history, timings(&[("a", 1.0), ("b", 5.0), ("c", 1.5)]));
    }

    #[test]
    fn history_round_trips_and_corruption_is_ignored() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.json");
        let history = timings(&[("a", 1.25)]);
        history.save(&path).unwrap();
        assert_eq!(Timings::load(&path).unwrap(), history);
        std::fs::write(&path, "{not json").unwrap();
        assert_eq!(Timings::load(&path).unwrap(), Timings::default());
        // A duration no run measures names its file and field.
        std::fs::write(
            &path,
            r#"{"files":{"a":1},"tests":{"a":[{"classname":"c","name":"t","seconds":-1}]}}"#,
        )
        .unwrap();
        let err = Timings::load(&path).unwrap_err().to_string();
        assert_eq!(
            err,
            format!(
                "{}: tests[\"a\"][0].seconds: -1 is not a non-negative number of seconds",
                path.display()
            )
        );
    }
}
