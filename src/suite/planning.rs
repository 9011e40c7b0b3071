//! Planning a suite, as `split`, `run` and `test` share it: finding the
//! runner and the test files, reading the timing history, choosing the
//! shard count and splitting slow files.
//!
//! Errors say what is wrong with which setting ([`Setting`]), not which
//! flag or field it came from: the command layer names that.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use crate::InputError;
use crate::suite::collect;
use crate::suite::discover::{discover, matching_paths};
use crate::suite::exec;
use crate::suite::fold::Folder;
use crate::suite::junit;
use crate::suite::plan::PlanFile;
use crate::suite::result::ShardResult;
use crate::suite::runners::{self, Runner};
pub use crate::suite::slow_files::only_listed;
use crate::suite::slow_files::split_slow_files;
use crate::suite::split::{self, Item, Plan};
use crate::suite::timings::Timings;
use crate::suite::together::Together;

/// What the user set that planning could not use.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Setting {
    /// The runner's name.
    Runner,
    /// A file listing the test files.
    TestList,
    /// Test file globs.
    Tests,
    /// Where the timing history is.
    Timings,
    /// The shard count.
    Shards,
    /// For an automatic shard count: the wall time to stay within,
    TargetMinutes,
    /// each job's fixed cost,
    ShardOverhead,
    /// and the most shards.
    MaxShards,
    /// One shard of several (`K/N`).
    Shard,
}

/// Why a suite could not be planned.
#[derive(Debug, thiserror::Error)]
pub enum PlanningError {
    /// A setting's value is wrong; the message says how (the caller names
    /// the setting).
    #[error("{message}")]
    Bad { setting: Setting, message: String },
    /// No runner named, and the command does not show one.
    #[error("cannot tell the test runner from `{command}`")]
    NoRunner { command: String },
    /// Neither a test list, nor globs, nor a runner to ask.
    #[error("cannot list the tests: no test list, globs, test command or runner")]
    NoListing,
    /// The runner could not build the tests to list them (a compile
    /// error): [`build_failed`] plans the run that reports it.
    #[error("{0}")]
    BuildFailed(String),
    /// The runner ran and failed to list its tests (vitest 1 has no
    /// `list --json`): [`unlisted`] lets one that finds its own files run
    /// them, where pitcrew chooses the shards.
    #[error("{0}")]
    ListingFailed(String),
    /// A file, or the runner's listing, that could not be used (the
    /// message is complete: it names the file).
    #[error(transparent)]
    Input(#[from] InputError),
}

impl PlanningError {
    fn bad(setting: Setting, message: impl Into<String>) -> Self {
        Self::Bad {
            setting,
            message: message.into(),
        }
    }

    /// The setting at fault, when one is.
    pub fn setting(&self) -> Option<Setting> {
        match self {
            Self::Bad { setting, .. } => Some(*setting),
            Self::NoRunner { .. } => Some(Setting::Runner),
            Self::NoListing | Self::Input(_) | Self::BuildFailed(_) | Self::ListingFailed(_) => {
                None
            }
        }
    }
}

impl crate::error::HasKind for PlanningError {
    fn kind(&self) -> crate::error::ErrorKind {
        crate::error::ErrorKind::Input
    }
}

/// Where the suite's test files come from: a test list, else globs
/// (empty: the runner's usual names), else the runner's own listing;
/// `root` is the project.
#[derive(Clone, Debug)]
pub struct Sources {
    pub tests: Option<Vec<String>>,
    pub test_list: Option<PathBuf>,
    pub root: PathBuf,
}

/// How many shards: `shards` (a number, or `auto`: the cheapest count that
/// meets `target_minutes`, each shard costing `shard_overhead_s`, at most
/// `max_shards`); `whole_files` keeps slow files whole.
#[derive(Clone, Debug)]
pub struct ShardCount {
    pub whole_files: bool,
    pub shards: Option<String>,
    pub target_minutes: f64,
    pub shard_overhead_s: f64,
    pub max_shards: usize,
}

/// `count`, with slow files kept whole when `command` writes files that a
/// file's tests share (see [`Runner::writes_shared_files`]).
pub fn whole_files_for(
    runner: &dyn Runner,
    command: &[String],
    mut count: ShardCount,
) -> ShardCount {
    if let Some(why) = runner
        .writes_shared_files(command)
        .filter(|_| !count.whole_files)
    {
        tracing::info!("slow files are not split into tests: {why}");
        count.whole_files = true;
    }
    count
}

/// The runner named (by the user or the plan), else the one the command
/// shows.
pub fn runner(
    name: Option<&str>,
    command: &[String],
) -> Result<&'static dyn Runner, PlanningError> {
    let runner = match name {
        Some(name) => runners::by_name(name).ok_or_else(|| {
            PlanningError::bad(
                Setting::Runner,
                format!(
                    "unknown runner `{}` (runners: pytest, jest, vitest, playwright, go, nextest, node, generic)",
                    crate::escape::control_chars(name)
                ),
            )
        })?,
        None => runners::detect(command).ok_or_else(|| PlanningError::NoRunner {
            command: crate::escape::control_chars(&command.join(" ")).into_owned(),
        })?,
    };
    refuse_own_sharding(runner, command)?;
    Ok(runner)
}

/// The runner's own sharding in the command (`--shard K/N` of jest,
/// vitest and playwright, nextest's `--partition`, node's `--test-shard`,
/// the options of pytest-split, pytest-shard and pytest-test-groups): each of pitcrew's shards would run only its K-th part of
/// pitcrew's share, and the rest would never run (a green suite failed,
/// tests went uncounted). pitcrew does the sharding.
fn refuse_own_sharding(runner: &dyn Runner, command: &[String]) -> Result<(), PlanningError> {
    let options: &[&str] = match runner.name() {
        "jest" | "vitest" | "playwright" => &["--shard"],
        "nextest" => &["--partition"],
        "node" => &["--test-shard"],
        // pytest-split, pytest-shard and pytest-test-groups, by the count
        // each needs to shard (their `--group`, `--shard-id` and
        // `--test-group` alone may be a project's own option).
        "pytest" => &["--splits", "--num-shards", "--test-group-count"],
        _ => &[],
    };
    for option in options {
        if let Some(value) = runners::argv::option_values(command, &[option]).first() {
            return Err(InputError::new(format!(
                "the command's `{option} {}`: pitcrew shards the suite itself; leave it out and use `pitcrew test --shards N`, or `pitcrew split` and `pitcrew run --shard K/N` in CI jobs",
                crate::escape::control_chars(value)
            ))
            .into());
        }
    }
    Ok(())
}

/// Test file globs for `--tests` given alone: the runner's usual names.
/// Used only when asked; by default the runner lists its own tests.
/// Node's names depend on the command's node (with TypeScript from 22.18),
/// which is asked as listing asks it.
pub fn default_globs(runner: &str, command: &[String], root: &Path) -> &'static [&'static str] {
    match runner {
        "pytest" => &["**/test_*.py", "**/*_test.py"],
        "jest" | "vitest" => &[
            "**/*.test.{js,jsx,ts,tsx,mjs,cjs}",
            "**/*.spec.{js,jsx,ts,tsx,mjs,cjs}",
        ],
        "playwright" => &["**/*.spec.{js,ts,mjs}"],
        "node" => collect::node_default_patterns(command, root),
        _ => &[],
    }
}

/// Files no runner runs as tests although globs like `tests/**/*.py`
/// match them: pytest's `conftest.py` and package `__init__.py`.
fn never_a_test(runner: &str, file: &str) -> bool {
    let name = file.rsplit('/').next().unwrap_or(file);
    runner == "pytest" && matches!(name, "conftest.py" | "__init__.py")
}

/// The suite's test files: the test list, else globs, else what the runner
/// lists when asked with `command` (go's items are packages, nextest's
/// binary ids), with its tests where it names them.
pub fn files(
    args: impl Into<Sources>,
    runner: Option<&dyn Runner>,
    command: &[String],
) -> Result<collect::Listing, PlanningError> {
    let args = &args.into();
    if let Some(list) = &args.test_list {
        let text = std::fs::read_to_string(list)
            .map_err(|e| InputError::new(format!("{}: cannot read it: {e}", list.display())))?;
        let files: Vec<String> = text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(String::from)
            .collect();
        // Two spellings of one file (`./tests/a.py`, `tests/a.py`) would
        // run it twice: refused as an exact duplicate is. Items keep the
        // list's spelling, which the runner reads (`./p` is a go package
        // in the folder, `p` one of the standard library).
        let mut seen = std::collections::BTreeMap::new();
        for file in &files {
            if let Some(first) = seen.insert(crate::paths::normalise(file), file)
                && first != file
            {
                return Err(PlanningError::bad(
                    Setting::TestList,
                    format!(
                        "{}: `{}` and `{}` are one file",
                        list.display(),
                        crate::escape::control_chars(first),
                        crate::escape::control_chars(file)
                    ),
                ));
            }
        }
        if files.is_empty() {
            return Err(PlanningError::bad(
                Setting::TestList,
                format!("{} names no test", list.display()),
            ));
        }
        return Ok(collect::Listing::of_files(files));
    }
    let name = runner.map_or("generic", |r| r.name());
    // No command given (`split`): the runner's usual one, which is what
    // is listed and what says node's usual names.
    let default;
    let command = if command.is_empty() {
        default = collect::default_command(name).unwrap_or_default();
        default.as_slice()
    } else {
        command
    };
    let Some(tests) = &args.tests else {
        let Some(runner) = runner else {
            return Err(PlanningError::NoListing);
        };
        let listing = collect::listing(runner, command, &args.root).map_err(|e| match e {
            collect::CollectError::BuildFailed { .. } => PlanningError::BuildFailed(e.to_string()),
            collect::CollectError::Failed { .. } => PlanningError::ListingFailed(e.to_string()),
            e => InputError::new(e.to_string()).into(),
        })?;
        tracing::info!(
            "{} test files, as listed by the {name} runner",
            listing.files.len()
        );
        return Ok(listing);
    };
    let patterns: Vec<String> = if tests.is_empty() {
        let defaults = default_globs(name, command, &args.root);
        if defaults.is_empty() {
            return Err(PlanningError::bad(
                Setting::Tests,
                format!("give the globs; the {name} runner has no usual test file names"),
            ));
        }
        defaults.iter().map(|g| g.to_string()).collect()
    } else {
        tests.clone()
    };
    let mut files = discover(&args.root, &patterns)?;
    files.retain(|f| {
        let keep = !never_a_test(name, f);
        if !keep {
            tracing::info!(
                "{}: not a test file for {name}, left out",
                crate::escape::control_chars(f)
            );
        }
        keep
    });
    if files.is_empty() {
        return Err(PlanningError::bad(
            Setting::Tests,
            format!(
                "no test file matches {}",
                crate::escape::control_chars(&patterns.join(" "))
            ),
        ));
    }
    Ok(collect::Listing::of_files(files))
}

/// The timing history in the files matching `globs`: JUnit reports,
/// pitcrew shard results and pitcrew timing files, read in name order,
/// later ones replacing earlier ones file by file. No match is "no history
/// yet" (the first CI run), said in a notice: files are then assumed equal.
pub fn timings(globs: &[String]) -> Result<Timings, PlanningError> {
    let mut timings = Timings::default();
    if globs.is_empty() {
        return Ok(timings);
    }
    // The glob matcher names the globs it is usually given, test files.
    let paths = matching_paths(globs).map_err(|e| {
        let message = e.to_string();
        let message = message.strip_prefix("--tests: ").unwrap_or(&message);
        PlanningError::bad(Setting::Timings, message)
    })?;
    if paths.is_empty() {
        tracing::warn!(
            "timing history: nothing matches {} yet (a first run?): files are planned as equally long",
            crate::escape::control_chars(&globs.join(" "))
        );
        return Ok(timings);
    }
    let mut shards = Vec::new();
    for path in paths {
        let path = Path::new(&path);
        let bytes = std::fs::read(path)
            .map_err(|e| InputError::new(format!("{}: cannot read it: {e}", path.display())))?;
        if !ShardResult::sniff(&bytes) {
            timings.update(junit_timings(path)?);
            continue;
        }
        let value: serde_json::Value = serde_json::from_slice(&bytes).map_err(|e| {
            PlanningError::bad(
                Setting::Timings,
                format!("{}: not valid JSON: {e}", path.display()),
            )
        })?;
        if value.get("format").is_some() {
            let text = String::from_utf8_lossy(&bytes);
            shards.push(ShardResult::parse(&text, &path.display().to_string())?);
        } else if value.get("files").is_some() {
            let file: Timings = serde_json::from_value(value).map_err(|e| {
                InputError::new(format!(
                    "{}: not a pitcrew timing file: {e}",
                    path.display()
                ))
            })?;
            timings.update(file);
        } else {
            return Err(PlanningError::bad(
                Setting::Timings,
                format!(
                    "{}: not JUnit XML, a pitcrew shard result or a pitcrew timing file",
                    path.display()
                ),
            ));
        }
    }
    if !shards.is_empty() {
        // Earlier runs in timing files measure the start-up with these.
        let fresh = Timings::from_run_after(&shards, None, &timings);
        timings.update(fresh);
    }
    Ok(timings)
}

/// Durations per file from one JUnit report (test time only: JUnit says
/// nothing of the time between tests).
fn junit_timings(path: &Path) -> Result<Timings, InputError> {
    let mut timings = Timings::default();
    let mut folder = Folder::default();
    junit::parse_file(path, |case| folder.add(case)).map_err(|e| InputError::new(e.to_string()))?;
    let (_, _, tests) = folder.finish();
    timings.add_tests(tests.iter().filter_map(|t| {
        let file = t.key.file.as_deref()?;
        Some((file.strip_prefix("./").unwrap_or(file), t))
    }));
    Ok(timings)
}

/// The plan file for `files`: planned as they are, then again with every
/// file longer than the ideal shard time split into its tests, where the
/// runner can select and leave out single tests and `timings` knows them.
/// With `--shards auto` the count can change with the items, so this is
/// repeated (at most three times) until the split files settle. Each split
/// file's rest and tests run in processes of their own, so the split is
/// kept only when it shortens the predicted wall time, with a start-up for
/// every process, by more than one more start-up ([`wall`]).
pub fn plan_file(
    files: &[Item],
    timings: &Timings,
    runner: Option<&dyn Runner>,
    count: impl Into<ShardCount>,
    fallback: Option<usize>,
) -> Result<PlanFile, PlanningError> {
    let count = &count.into();
    let given = files;
    let startup = runner.map_or(0.0, |r| timings.startup_of(r.name()));
    // Files one filter would also run, or that one process cannot import
    // both of, share a shard (see `together`); their group is one item,
    // never split into tests.
    let (grouped, groups);
    let together = runner.and_then(|r| {
        if r.file_filters_match_substrings() {
            Some(Together::Substrings)
        } else if r.imports_files_by_module_name() {
            Some(Together::ModuleNames)
        } else {
            None
        }
    });
    let files = match together {
        Some(rule) => {
            (grouped, groups) = super::together::group(files, rule);
            &grouped[..]
        }
        None => {
            groups = BTreeMap::new();
            files
        }
    };
    let whole = plan(files, count, fallback, startup)?;
    let mut planned = whole.clone();
    let mut split_files = BTreeMap::new();
    if let Some(runner) = runner.filter(|_| !count.whole_files) {
        for _ in 0..3 {
            let expansion = split_slow_files(files, timings, runner, planned.shards.len());
            if expansion.split_files == split_files {
                break;
            }
            planned = plan(&expansion.items, count, fallback, startup)?;
            split_files = expansion.split_files;
        }
    }
    let no_split = BTreeMap::new();
    let gain =
        wall(&whole, &no_split, runner, startup) - wall(&planned, &split_files, runner, startup);
    if !split_files.is_empty() && gain <= startup {
        tracing::info!(
            "splitting slow files would save {gain:.2} s, no more than a runner start-up ({startup:.2} s): whole files"
        );
        planned = whole;
        split_files.clear();
    }
    for (file, tests) in &split_files {
        tracing::info!(
            "{}: longer than a shard should take; {} of its tests run as items of their own",
            crate::escape::control_chars(file),
            tests.len()
        );
    }
    super::together::expand(&mut planned, &groups);
    in_given_order(&mut planned, given, &split_files);
    Ok(PlanFile {
        plan: planned,
        runner: runner.map(|r| r.name().to_string()),
        split_files,
        discovered: false,
        checkout: None,
    })
}

/// Lists each shard's items in the order `files` gives them (the runner's
/// own order, from its listing), a test split out of a file where its file
/// is. The split balances by id order; the run should not: a runner's
/// order can carry state from file to file (semver's doctests in `docs/`
/// read names a fixture of `tests/` sets, and pytest's `testpaths` runs
/// `tests` first), and the runner run directly passes.
fn in_given_order(
    plan: &mut Plan,
    files: &[Item],
    split_files: &BTreeMap<String, Vec<crate::suite::slow_files::PlannedTest>>,
) {
    let mut position: HashMap<&str, usize> = HashMap::with_capacity(files.len());
    for (i, file) in files.iter().enumerate() {
        position.entry(file.id.as_str()).or_insert(i);
    }
    for (file, tests) in split_files {
        if let Some(&at) = position.get(file.as_str()) {
            for test in tests {
                position.entry(test.id.as_str()).or_insert(at);
            }
        }
    }
    for shard in &mut plan.shards {
        // Stable: what shares a position (a file and its split tests)
        // keeps the split's id order; what has none goes last.
        shard
            .items
            .sort_by_key(|item| position.get(item.as_str()).copied().unwrap_or(usize::MAX));
    }
}

/// The predicted wall time of `plan`: its longest shard, counting a runner
/// start-up for every process the shard starts (a split file's rest and its
/// split-out tests each run in one of their own).
fn wall(
    plan: &Plan,
    split_files: &BTreeMap<String, Vec<crate::suite::slow_files::PlannedTest>>,
    runner: Option<&dyn Runner>,
    startup: f64,
) -> f64 {
    plan.shards
        .iter()
        .map(|shard| {
            let processes = match runner {
                Some(runner) => exec::processes(runner, &shard.items, split_files),
                None => usize::from(!shard.items.is_empty()),
            };
            shard.estimated_seconds + startup * processes as f64
        })
        .fold(0.0, f64::max)
}

/// The plan for `items`: a fixed shard count, or the cheapest within the
/// target. `fallback` is the count that pays off on this machine
/// ([`local_shards`], for `test`): used when `--shards` is not given, and
/// for `auto`, since billed minutes mean nothing here. `startup` (a runner
/// process's start-up, in seconds) is part of each job's overhead.
pub fn plan(
    items: &[Item],
    count: &ShardCount,
    fallback: Option<usize>,
    startup: f64,
) -> Result<Plan, PlanningError> {
    let requested = match (&count.shards, fallback) {
        (Some(text), Some(n)) if text == "auto" => n.to_string(),
        (Some(text), _) => text.clone(),
        (None, Some(n)) => n.to_string(),
        (None, None) => "auto".into(),
    };
    if requested == "auto" {
        if !(count.target_minutes.is_finite() && count.target_minutes > 0.0) {
            return Err(PlanningError::bad(
                Setting::TargetMinutes,
                format!("{} is not a positive number", count.target_minutes),
            ));
        }
        if !(count.shard_overhead_s.is_finite() && count.shard_overhead_s >= 0.0) {
            return Err(PlanningError::bad(
                Setting::ShardOverhead,
                format!("{} is not zero or more", count.shard_overhead_s),
            ));
        }
        if count.max_shards == 0 || count.max_shards > 256 {
            return Err(PlanningError::bad(
                Setting::MaxShards,
                format!(
                    "{} is not within 1..=256 (the matrix limit)",
                    count.max_shards
                ),
            ));
        }
        let choice = split::auto(
            items,
            count.target_minutes,
            count.shard_overhead_s + startup,
            count.max_shards,
        )
        .map_err(|e| InputError::new(e.to_string()))?;
        if !choice.target_met {
            tracing::warn!(
                "no shard count meets the {} min target; {} shards predict {:.1} min",
                count.target_minutes,
                choice.shards,
                choice.predicted_wall_seconds / 60.0
            );
        }
        return Ok(choice.plan);
    }
    let shards: usize = requested
        .parse()
        .ok()
        .filter(|n| (1..=256).contains(n))
        .ok_or_else(|| {
            PlanningError::bad(
                Setting::Shards,
                format!(
                    "`{}` is not `auto` or a number within 1..=256",
                    crate::escape::control_chars(&requested)
                ),
            )
        })?;
    split::split(items, shards).map_err(|e| InputError::new(e.to_string()).into())
}

/// How many of `items`' shards to run on this machine, `jobs` at once:
/// as many as pay for their runner's start-up and for sharing the cores
/// the last run found free ([`split::worthwhile`]).
pub fn local_shards(
    items: &[Item],
    history: &Timings,
    runner: &dyn Runner,
    jobs: usize,
) -> Result<usize, PlanningError> {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get()) as f64;
    let machine = history.machine(runner.name(), jobs, cores);
    let shards = split::worthwhile(items, &machine).map_err(|e| InputError::new(e.to_string()))?;
    tracing::info!(
        "{shards} shard(s): {:.1} of {cores} cores per shard with {:.1} other processes wanting them, {} shards busy {:.0}% of the time, {:.2} s start-up",
        machine.share(shards),
        machine.waiting,
        runner.name(),
        100.0 * machine.busy,
        machine.startup,
    );
    Ok(shards)
}

/// On one machine, shards of whole files for a runner with a pool of its
/// own ([`Runner::with_workers`]) run better as one shard with that pool
/// as large as the shard count: the command that sets it and the pool's
/// size, when the count was left to pitcrew (`--shards` absent or `auto`),
/// more than one shard pays, and no slow file is split (a pool runs whole
/// files; only shards can share one file's tests out).
pub fn local_pool(
    runner: &dyn Runner,
    command: &[String],
    count: &ShardCount,
    plan: &PlanFile,
) -> Option<(Vec<String>, usize)> {
    let automatic = count.shards.as_deref().is_none_or(|s| s == "auto");
    let shards = plan.plan.shards.len();
    if !automatic || shards < 2 || !plan.split_files.is_empty() {
        return None;
    }
    runner.with_workers(command, shards).map(|c| (c, shards))
}

/// `pitcrew test`'s first run of a runner whose reporter says what it
/// found ([`Runner::reports_discovery`]: jest, vitest), when pitcrew
/// chooses the shards and finds no file of its own (no `--tests`, no
/// `--test-list`) and the history knows no test file yet: one shard that
/// the runner fills itself, with its pool as large as `jobs`, and the
/// command that sets it. With no history, a pool is what pitcrew would
/// choose anyway, and the listing it would pay for first (`jest
/// --listTests`: a whole Jest start-up, 1 s of a 1.6 s suite) plans
/// nothing a pool needs. The next run plans from what each file cost.
pub fn discovered(
    runner: &dyn Runner,
    command: &[String],
    sources: &Sources,
    count: &ShardCount,
    timings: &Timings,
    jobs: usize,
) -> Option<(PlanFile, Vec<String>, Option<usize>)> {
    if !finds_its_own_files(runner, sources, count) || !timings.files.is_empty() {
        return None;
    }
    let (command, workers) = pooled(runner, command, jobs);
    tracing::info!(
        "no timing history: {} finds its own test files and runs {} at a time; the next run plans from what they cost",
        runner.name(),
        workers.unwrap_or(1)
    );
    Some((runner_fills_one_shard(runner), command, workers))
}

/// `pitcrew test`'s run when the runner failed to list its tests (`why`:
/// vitest 1 has no `list --json`): one that finds its own files runs them
/// as on a first run, where pitcrew chooses the shards (else None: the
/// listing's error stands). Every run is then a first run: a history
/// cannot plan what cannot be listed.
pub fn unlisted(
    runner: &dyn Runner,
    command: &[String],
    sources: &Sources,
    count: &ShardCount,
    jobs: usize,
    why: &str,
) -> Option<(PlanFile, Vec<String>, Option<usize>)> {
    if !finds_its_own_files(runner, sources, count) {
        return None;
    }
    let (command, workers) = pooled(runner, command, jobs);
    tracing::warn!(
        "{}: {} finds its own test files and runs {} at a time",
        crate::escape::control_chars(why),
        runner.name(),
        workers.unwrap_or(1)
    );
    Some((runner_fills_one_shard(runner), command, workers))
}

/// Whether pitcrew may leave the runner to find its own files: it reports
/// what it found ([`Runner::reports_discovery`]), pitcrew chooses the
/// shards, and no file was named (no `--tests`, no `--test-list`).
fn finds_its_own_files(runner: &dyn Runner, sources: &Sources, count: &ShardCount) -> bool {
    let automatic = count.shards.as_deref().is_none_or(|s| s == "auto");
    let chosen = sources.tests.is_some() || sources.test_list.is_some();
    runner.reports_discovery() && automatic && !chosen
}

/// `command` with the runner's pool set to `jobs`, where it has one.
fn pooled(runner: &dyn Runner, command: &[String], jobs: usize) -> (Vec<String>, Option<usize>) {
    match runner.with_workers(command, jobs).filter(|_| jobs > 1) {
        Some(pooled) => (pooled, Some(jobs)),
        None => (command.to_vec(), None),
    }
}

/// The plan when the runner could not build its tests to list them (a
/// compile error): one shard running the user's command as it is, so that
/// the build fails there and its errors become the run's failed results,
/// which the report and triage read. `why` is the listing's one line.
pub fn build_failed(runner: &dyn Runner, why: &str) -> PlanFile {
    tracing::warn!(
        "{}; running the whole suite in one shard to report it",
        crate::escape::control_chars(why)
    );
    runner_fills_one_shard(runner)
}

/// One shard of no item that the runner fills with what its command runs.
fn runner_fills_one_shard(runner: &dyn Runner) -> PlanFile {
    PlanFile {
        plan: Plan {
            shards: vec![split::Shard {
                index: 1,
                items: Vec::new(),
                estimated_seconds: 0.0,
            }],
            lower_bound_seconds: 0.0,
        },
        runner: Some(runner.name().to_owned()),
        split_files: BTreeMap::new(),
        discovered: true,
        checkout: None,
    }
}

/// What `pitcrew test` runs, from its `plan` for `items`: that plan and
/// the user's `command`, or where [`local_pool`] says so, one shard of
/// whole files and the command setting the runner's pool, with its size.
pub fn with_local_pool(
    plan: PlanFile,
    items: &[Item],
    timings: &Timings,
    runner: &dyn Runner,
    command: &[String],
    count: &ShardCount,
) -> Result<(PlanFile, Vec<String>, Option<usize>), PlanningError> {
    let Some((pooled, workers)) = local_pool(runner, command, count, &plan) else {
        return Ok((plan, command.to_vec(), None));
    };
    tracing::info!(
        "{workers} shards of whole files: one {} process running {workers} files at a time instead",
        runner.name()
    );
    let one = ShardCount {
        shards: Some("1".into()),
        whole_files: true,
        ..count.clone()
    };
    let plan = plan_file(items, timings, Some(runner), one, None)?;
    Ok((plan, pooled, Some(workers)))
}

/// `K/N` with 1 ≤ K ≤ N.
pub fn parse_shard(text: &str) -> Result<(usize, usize), PlanningError> {
    let bad = || {
        PlanningError::bad(
            Setting::Shard,
            format!(
                "`{}` is not K/N with 1 <= K <= N (e.g. 2/4)",
                crate::escape::control_chars(text)
            ),
        )
    };
    let (k, n) = text.split_once('/').ok_or_else(bad)?;
    let (k, n): (usize, usize) = (
        k.trim().parse().map_err(|_| bad())?,
        n.trim().parse().map_err(|_| bad())?,
    );
    if k == 0 || k > n {
        return Err(bad());
    }
    Ok((k, n))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_shards_items_run_in_the_order_given() {
        let files: Vec<Item> = ["zeta/t.py", "alpha/b.py", "alpha/a.py"]
            .iter()
            .map(|f| Item::new(*f, 1.0))
            .collect();
        let mut plan = plan_file(&files, &Timings::default(), None, count(Some("1")), None)
            .unwrap()
            .plan;
        assert_eq!(
            plan.shards[0].items,
            ["zeta/t.py", "alpha/b.py", "alpha/a.py"]
        );

        // A split-out test runs where its file does; an unknown item last.
        plan.shards[0].items = [
            "alpha/a.py",
            "alpha/b.py",
            "alpha/b.py::t",
            "other",
            "zeta/t.py",
        ]
        .map(String::from)
        .to_vec();
        let planned = |id: &str| crate::suite::slow_files::PlannedTest {
            id: id.into(),
            classname: String::new(),
            name: String::new(),
        };
        let split = BTreeMap::from([("alpha/b.py".to_owned(), vec![planned("alpha/b.py::t")])]);
        in_given_order(&mut plan, &files, &split);
        assert_eq!(
            plan.shards[0].items,
            [
                "zeta/t.py",
                "alpha/b.py",
                "alpha/b.py::t",
                "alpha/a.py",
                "other"
            ]
        );
    }

    /// `--shards` as given (None: absent), up to 4.
    fn count(shards: Option<&str>) -> ShardCount {
        ShardCount {
            whole_files: false,
            shards: shards.map(Into::into),
            target_minutes: 1.0,
            shard_overhead_s: 0.0,
            max_shards: 4,
        }
    }

    #[test]
    fn a_first_run_leaves_the_files_to_a_runner_that_reports_them() {
        let jest = runners::by_name("jest").unwrap();
        let command: Vec<String> = ["npx", "jest"].map(String::from).to_vec();
        let sources = |tests: Option<Vec<String>>| Sources {
            tests,
            test_list: None,
            root: PathBuf::from("."),
        };
        let none = Timings::default();
        let (plan, pooled, workers) =
            discovered(jest, &command, &sources(None), &count(None), &none, 2).unwrap();
        assert!(plan.discovered);
        assert_eq!(plan.plan.shards.len(), 1);
        assert!(plan.plan.shards[0].items.is_empty());
        assert_eq!(workers, Some(2));
        assert!(pooled.contains(&"--maxWorkers=2".to_owned()), "{pooled:?}");
        // One job: no pool, the command as it is.
        let (_, one, workers) = discovered(
            jest,
            &command,
            &sources(None),
            &count(Some("auto")),
            &none,
            1,
        )
        .unwrap();
        assert_eq!((one, workers), (command.clone(), None));
        // The user chose the shards or the files, the history knows files,
        // or the runner cannot say what it found: listed and planned.
        let known = Timings {
            files: [("a.test.js".to_owned(), 1.0)].into(),
            ..Timings::default()
        };
        let globs = Some(vec!["**/*.test.js".to_owned()]);
        for (runner, sources, count, timings) in [
            (jest, sources(None), count(Some("2")), &none),
            (jest, sources(globs), count(None), &none),
            (jest, sources(None), count(None), &known),
            (
                runners::by_name("node").unwrap(),
                sources(None),
                count(None),
                &none,
            ),
            (
                runners::by_name("pytest").unwrap(),
                sources(None),
                count(None),
                &none,
            ),
        ] {
            assert!(
                discovered(runner, &command, &sources, &count, timings, 2).is_none(),
                "{}",
                runner.name()
            );
        }
    }

    #[test]
    fn a_pool_replaces_shards_of_whole_files_only_when_the_count_was_left_to_pitcrew() {
        let node = runners::by_name("node").unwrap();
        let items = [Item::new("a.test.js", 1.0), Item::new("b.test.js", 1.0)];
        let command: Vec<String> = ["node", "--test"].map(String::from).to_vec();
        let plan = |c: &ShardCount, fallback| {
            plan_file(&items, &Timings::default(), Some(node), c.clone(), fallback).unwrap()
        };
        for asked in [None, Some("auto")] {
            let c = count(asked);
            let (pooled, workers) = local_pool(node, &command, &c, &plan(&c, Some(2))).unwrap();
            assert_eq!(workers, 2);
            assert!(
                pooled.contains(&"--test-concurrency=2".to_owned()),
                "{pooled:?}"
            );
        }
        let two = count(Some("2"));
        assert_eq!(local_pool(node, &command, &two, &plan(&two, Some(2))), None);
        let c = count(None);
        assert_eq!(local_pool(node, &command, &c, &plan(&c, Some(1))), None);
        let pytest = runners::by_name("pytest").unwrap();
        let pytest_command = ["pytest".to_owned()];
        assert_eq!(
            local_pool(pytest, &pytest_command, &c, &plan(&c, Some(2))),
            None
        );
        // A split file needs shards: a pool runs whole files.
        let mut split = plan(&c, Some(2));
        split.split_files.insert("a.test.js".into(), Vec::new());
        assert_eq!(local_pool(node, &command, &c, &split), None);
    }

    #[test]
    fn shard_spec_is_validated() {
        assert_eq!(parse_shard("2/4").unwrap(), (2, 4));
        for bad in ["0/4", "5/4", "x", "2/", "/4", "-1/4"] {
            let err = parse_shard(bad).unwrap_err();
            assert_eq!(err.setting(), Some(Setting::Shard), "{bad}");
            assert_eq!(
                err.to_string(),
                format!("`{bad}` is not K/N with 1 <= K <= N (e.g. 2/4)")
            );
        }
    }

    /// A slow file of three tests (2.4 s, 2 s, 0.05 s) and two quick
    /// files, over two shards, with a pytest start-up of `startup` s.
    fn slow_file_plan(startup: f64) -> PlanFile {
        let test = |name: &str, seconds: f64| crate::suite::timings::TestTiming {
            classname: "tests.test_slow".into(),
            name: name.into(),
            seconds,
        };
        let mut timings = Timings::default();
        timings.tests.insert(
            "tests/test_slow.py".into(),
            vec![
                test("test_a", 2.4),
                test("test_b", 2.0),
                test("test_c", 0.05),
            ],
        );
        timings.startup.insert("pytest".into(), startup);
        let items = [
            Item::new("tests/test_slow.py", 4.45),
            Item::new("tests/test_one.py", 0.05),
            Item::new("tests/test_two.py", 0.05),
        ];
        let count = ShardCount {
            whole_files: false,
            shards: Some("2".into()),
            target_minutes: 1.0,
            shard_overhead_s: 0.0,
            max_shards: 4,
        };
        let runner = runners::by_name("pytest").unwrap();
        plan_file(&items, &timings, Some(runner), count, None).unwrap()
    }

    #[test]
    fn a_file_is_split_only_when_it_pays_for_every_process_it_adds() {
        // Split, one shard runs test_a, the other test_b, the file's rest
        // and the quick files: three processes. With 0.3 s start-ups that
        // is 3.05 s against 4.75 s whole.
        let cheap = slow_file_plan(0.3);
        let split: Vec<&str> = cheap.split_files["tests/test_slow.py"]
            .iter()
            .map(|t| t.name.as_str())
            .collect();
        assert_eq!(split, ["test_a", "test_b"]);
        // With 1 s start-ups: 5.15 s against 5.45 s, less than the one
        // start-up a split must win back (counting one start-up a shard,
        // as before, it saved 2.05 s and split).
        let dear = slow_file_plan(1.0);
        assert!(dear.split_files.is_empty(), "{:?}", dear.split_files);
        assert_eq!(dear.plan.shards[0].items, ["tests/test_slow.py"]);
    }

    #[test]
    fn the_runners_own_shard_option_is_refused() {
        let words = |w: &[&str]| w.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        for command in [
            &["npx", "vitest", "run", "--shard", "1/2"][..],
            &["npx", "jest", "--shard=2/3"],
            &["npx", "playwright", "test", "--shard", "1/4"],
            &["cargo", "nextest", "run", "--partition", "count:1/2"],
            &["node", "--test", "--test-shard=1/3"],
            &["pytest", "--splits", "4", "--group", "1"],
            &["python", "-m", "pytest", "--shard-id=0", "--num-shards=2"],
            &["pytest", "--test-group-count", "2", "--test-group=1"],
        ] {
            let err = runner(None, &words(command)).err().expect("refused");
            assert!(
                err.to_string().contains("pitcrew shards the suite itself"),
                "{err}"
            );
        }
        // A named runner too, and only the runners that have the option.
        assert!(runner(Some("jest"), &words(&["yarn", "test", "--shard", "1/2"])).is_err());
        assert!(runner(None, &words(&["npx", "vitest", "run"])).is_ok());
        assert!(runner(None, &words(&["pytest", "--shard", "x"])).is_ok());
        // A project's own `--group` (a conftest option) is no sharding.
        assert!(runner(None, &words(&["pytest", "--group", "smoke"])).is_ok());
        assert!(runner(None, &words(&["pytest", "--test-group=db"])).is_ok());
        assert!(runner(None, &words(&["go", "test", "--partition", "x"])).is_ok());
    }

    #[test]
    fn errors_name_the_setting_not_a_flag() {
        let count = |shards: &str, target: f64| ShardCount {
            whole_files: false,
            shards: Some(shards.into()),
            target_minutes: target,
            shard_overhead_s: 0.0,
            max_shards: 4,
        };
        let items = [Item::new("a", 1.0)];
        let errors = [
            plan(&items, &count("x", 1.0), None, 0.0).unwrap_err(),
            plan(&items, &count("auto", -1.0), None, 0.0).unwrap_err(),
            runner(Some("nope"), &[]).err().unwrap(),
            runner(None, &["make".into(), "check".into()])
                .err()
                .unwrap(),
        ];
        let settings: Vec<Option<Setting>> = errors.iter().map(|e| e.setting()).collect();
        assert_eq!(
            settings,
            [
                Some(Setting::Shards),
                Some(Setting::TargetMinutes),
                Some(Setting::Runner),
                Some(Setting::Runner)
            ]
        );
        for err in &errors {
            assert!(!err.to_string().contains("--"), "{err}");
        }
        // `auto` means the local choice where there is one.
        let local = plan(&items, &count("auto", 1.0), Some(1), 0.0).unwrap();
        assert_eq!(local.shards.len(), 1);
    }
}
