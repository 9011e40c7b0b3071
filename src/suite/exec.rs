//! Running one shard: the runner for the shard's items, JUnit collected,
//! failed tests re-run up to `retries` times, every case attributed to its
//! item. A runner that can't be started, crashes, times out or writes no
//! JUnit is a shard error carrying its stderr tail, never a silent pass.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use super::fold::{Counts, FinalOutcome, Folder, TestResult};
use super::junit::{self, TestCase};
use super::process::{self, Sink};
use super::result::{ItemResult, ShardError};
use super::runners::{Invocation, JunitSource, Runner, RunnerError, Selection, TestRef};

pub struct ShardRun<'a> {
    pub runner: &'static dyn Runner,
    /// The user's command, e.g. `["npx", "jest"]`.
    pub base: &'a [String],
    /// Test files (or packages) to run.
    pub items: &'a [String],
    pub retries: u32,
    pub timeout: Option<Duration>,
    /// Where the runner runs (the project).
    pub dir: &'a Path,
    /// A scratch directory for JUnit files.
    pub scratch: &'a Path,
    pub sink: Sink,
}

pub struct ShardOutcome {
    pub tests: Vec<TestResult>,
    pub counts: Counts,
    pub items: Vec<ItemResult>,
    pub error: Option<ShardError>,
    pub duration: Duration,
    pub attempts: u32,
}

pub fn run(shard: &ShardRun<'_>) -> ShardOutcome {
    let started = Instant::now();
    let mut cases: Vec<(String, TestCase)> = Vec::new();
    let mut error = None;
    let mut sequence = 0;

    // Runners whose JUnit doesn't say which file a test came from run one
    // file per process, so every case can be attributed to its item.
    let groups: Vec<&[String]> = if shard.runner.junit_names_files() || shard.items.len() <= 1 {
        vec![shard.items]
    } else {
        shard.items.chunks(1).collect()
    };
    for group in groups {
        if group.is_empty() {
            continue;
        }
        sequence += 1;
        let junit_path = shard.scratch.join(format!("junit-{sequence}.xml"));
        match first_run(shard, group, &junit_path) {
            Ok(found) => cases.extend(found),
            Err(e) => error = error.or(Some(e)),
        }
    }

    let mut attempts = 1;
    while attempts <= shard.retries && error.is_none() {
        let failed = failed_tests(&cases);
        if failed.is_empty() {
            break;
        }
        attempts += 1;
        for group in retry_groups(&failed, shard.runner.junit_names_files()) {
            sequence += 1;
            let junit_path = shard.scratch.join(format!("junit-{sequence}.xml"));
            match retry(shard, &group, &junit_path, attempts) {
                Ok(found) => cases.extend(found),
                Err(e) => error = error.or(Some(e)),
            }
        }
    }

    let items = item_results(shard.items, &cases);
    let mut folder = Folder::default();
    for (_, case) in cases {
        folder.add(case);
    }
    let (counts, _, tests) = folder.finish();
    ShardOutcome {
        tests,
        counts,
        items,
        error,
        duration: started.elapsed(),
        attempts,
    }
}

fn shard_error(kind: &str, message: String, stderr_tail: String) -> ShardError {
    ShardError {
        kind: kind.to_string(),
        message,
        stderr_tail,
    }
}

/// The failed tests to re-run together: all at once, or one item at a time
/// when the runner's JUnit can't tell the items apart.
fn retry_groups(
    failed: &[(String, TestRef)],
    junit_names_files: bool,
) -> Vec<Vec<(String, TestRef)>> {
    if junit_names_files {
        return vec![failed.to_vec()];
    }
    let mut groups: BTreeMap<&str, Vec<(String, TestRef)>> = BTreeMap::new();
    for (item, test) in failed {
        groups
            .entry(item.as_str())
            .or_default()
            .push((item.clone(), test.clone()));
    }
    groups.into_values().collect()
}

/// Runs `group`'s files once and returns their cases, each with its item.
fn first_run(
    shard: &ShardRun<'_>,
    group: &[String],
    junit_path: &Path,
) -> Result<Vec<(String, TestCase)>, ShardError> {
    let invocation = shard
        .runner
        .invocation(shard.base, &Selection::Files(group), junit_path)
        .map_err(cannot_start)?;
    Ok(attribute(attempt(shard, &invocation, 1)?, group))
}

/// A runner adapter that can't build its command line: the shard can't start.
fn cannot_start(error: RunnerError) -> ShardError {
    shard_error("spawn", error.to_string(), String::new())
}

/// Re-runs `failed` (only those tests where the runner can select them,
/// else their files) and returns the re-run tests' own results.
fn retry(
    shard: &ShardRun<'_>,
    failed: &[(String, TestRef)],
    junit_path: &Path,
    attempt_number: u32,
) -> Result<Vec<(String, TestCase)>, ShardError> {
    let refs: Vec<TestRef> = failed.iter().map(|(_, t)| t.clone()).collect();
    let items: Vec<String> = failed
        .iter()
        .map(|(item, _)| item.clone())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let invocation = match shard.runner.rerun(shard.base, &refs, junit_path) {
        Some(invocation) => invocation,
        None => shard
            .runner
            .invocation(shard.base, &Selection::Files(&items), junit_path),
    }
    .map_err(cannot_start)?;
    let found = attempt(shard, &invocation, attempt_number)?;
    // Runners list the tests a name pattern excluded as skipped: only the
    // re-run tests' own results count.
    Ok(attribute(found, &items)
        .into_iter()
        .filter(|(item, case)| failed.iter().any(|(i, t)| is_same(i, t, item, case)))
        .collect())
}

/// Runs one invocation and returns the cases of its JUnit.
fn attempt(
    shard: &ShardRun<'_>,
    invocation: &Invocation,
    attempt: u32,
) -> Result<Vec<TestCase>, ShardError> {
    let mut env = invocation.env.clone();
    // Lets a suite know it is being retried (the bundled example's flaky test uses it).
    env.push(("PITCREW_ATTEMPT".into(), attempt.to_string()));
    let stdout_capture = match &invocation.junit {
        JunitSource::ConvertGoJson => Some(
            shard
                .scratch
                .join(format!("go-{attempt}-{}.json", std::process::id())),
        ),
        JunitSource::File(_) => None,
    };
    if let JunitSource::File(path) = &invocation.junit {
        let _ = std::fs::remove_file(path);
    }
    let finished = process::run(
        &invocation.program,
        &invocation.args,
        &env,
        shard.dir,
        &shard.sink,
        stdout_capture.as_deref(),
        shard.timeout,
    )
    .map_err(|e| shard_error("spawn", e.to_string(), String::new()))?;
    let tail = finished.stderr_tail;
    if finished.timed_out {
        let limit = shard
            .timeout
            .map(|t| format!("{} s", t.as_secs_f64()))
            .unwrap_or_default();
        return Err(shard_error(
            "timeout",
            format!("`{}` was killed after {limit}", invocation.program),
            tail,
        ));
    }
    let Some(status) = finished.status else {
        return Err(shard_error(
            "crashed",
            format!("`{}` was killed by a signal", invocation.program),
            tail,
        ));
    };
    let junit_path = match (&invocation.junit, stdout_capture) {
        (JunitSource::ConvertGoJson, Some(json)) => {
            convert_go(&json).map_err(|e| shard_error("bad-junit", e, tail.clone()))?
        }
        (JunitSource::File(path), _) => path.clone(),
        // The capture path is always set for go's JSON source above.
        (JunitSource::ConvertGoJson, None) => PathBuf::new(),
    };
    if !junit_path.is_file() {
        return Err(shard_error(
            "no-junit",
            format!(
                "`{}` exited with {} and wrote no JUnit at {}",
                invocation.program,
                status
                    .code()
                    .map_or("a signal".to_string(), |c| format!("code {c}")),
                junit_path.display()
            ),
            tail,
        ));
    }
    let mut cases = Vec::new();
    junit::parse_file(&junit_path, |case| cases.push(case))
        .map_err(|e| shard_error("bad-junit", e.to_string(), tail.clone()))?;
    if cases.is_empty() && !status.success() {
        return Err(shard_error(
            "crashed",
            format!(
                "`{}` exited with {status} and reported no test",
                invocation.program
            ),
            tail,
        ));
    }
    Ok(cases)
}

fn convert_go(json: &Path) -> Result<PathBuf, String> {
    let xml = json.with_extension("xml");
    let input = std::fs::File::open(json).map_err(|e| format!("{}: {e}", json.display()))?;
    let output = std::fs::File::create(&xml).map_err(|e| format!("{}: {e}", xml.display()))?;
    super::runners::go_json_to_junit(
        std::io::BufReader::new(input),
        std::io::BufWriter::new(output),
    )
    .map_err(|e| e.to_string())?;
    Ok(xml)
}

/// Pairs each case with the item it belongs to: its file when the JUnit
/// names one of the group's items, else the group's only item, else its
/// classname when that is an item (go packages).
fn attribute(cases: Vec<TestCase>, group: &[String]) -> Vec<(String, TestCase)> {
    let set: BTreeSet<&str> = group.iter().map(String::as_str).collect();
    cases
        .into_iter()
        .map(|mut case| {
            let file = junit::test_file(&case).map(|f| normalise(&f));
            let item = match file {
                Some(f) if set.contains(f.as_str()) => f,
                _ if group.len() == 1 => group[0].clone(),
                _ if set.contains(case.classname.as_str()) => case.classname.clone(),
                Some(f) => f,
                None => String::new(),
            };
            // A report that names no file (node) gets the item it ran from.
            if case.file.is_none() && !item.is_empty() && item != case.classname {
                case.file = Some(item.clone());
            }
            (item, case)
        })
        .collect()
}

/// Whether `case` (attributed to `item`) is the failed test `test`.
fn is_same(failed_item: &str, test: &TestRef, item: &str, case: &TestCase) -> bool {
    failed_item == item && test.classname == case.classname && test.name == case.name
}

fn normalise(path: &str) -> String {
    path.trim_start_matches("./").replace('\\', "/")
}

/// Tests whose attempts so far all failed, with their item.
fn failed_tests(cases: &[(String, TestCase)]) -> Vec<(String, TestRef)> {
    let mut folder = Folder::default();
    let mut items: BTreeMap<(Option<String>, String, String), String> = BTreeMap::new();
    for (item, case) in cases {
        items.insert(
            (case.file.clone(), case.classname.clone(), case.name.clone()),
            item.clone(),
        );
        folder.add(case.clone());
    }
    let (_, _, tests) = folder.finish();
    tests
        .into_iter()
        .filter(|t| t.outcome == FinalOutcome::Failed)
        .map(|t| {
            let item = items
                .get(&(
                    t.key.file.clone(),
                    t.key.classname.clone(),
                    t.key.name.clone(),
                ))
                .cloned()
                .unwrap_or_default();
            // Runners whose JUnit names no file (node) ran one file per
            // process: the item is the file to re-run it from.
            let file = t
                .key
                .file
                .or_else(|| (!item.is_empty()).then(|| item.clone()));
            let test = TestRef {
                file,
                classname: t.key.classname,
                name: t.key.name,
            };
            (item, test)
        })
        .collect()
}

fn item_results(items: &[String], cases: &[(String, TestCase)]) -> Vec<ItemResult> {
    let mut results: BTreeMap<&str, ItemResult> = items
        .iter()
        .map(|id| {
            let result = ItemResult {
                id: id.clone(),
                tests: 0,
                duration_seconds: 0.0,
            };
            (id.as_str(), result)
        })
        .collect();
    let mut seen: BTreeSet<(&str, &str, &str)> = BTreeSet::new();
    for (item, case) in cases {
        if let Some(result) = results.get_mut(item.as_str()) {
            if seen.insert((item.as_str(), case.classname.as_str(), case.name.as_str())) {
                result.tests += 1;
            }
            result.duration_seconds += case.time_seconds;
        }
    }
    items
        .iter()
        .filter_map(|id| results.remove(id.as_str()))
        .collect()
}
