//! What `report` and `triage` read: shard results, JUnit files and a
//! merged `pitcrew-results.json` (what `pitcrew test` writes).

use std::io::Read as _;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde::de::IgnoredAny;

use crate::InputError;
use crate::escape::control_chars;
use crate::suite::fold::{Folder, TestResult};
use crate::suite::junit;
use crate::suite::merge::Inputs;
use crate::suite::result::ShardResult;

/// What the inputs held, and what was wrong with them.
pub struct Read {
    pub inputs: Inputs,
    /// Files that could not be read as results: each a problem.
    pub problems: Vec<String>,
    /// JUnit reports of no test case: a job that ran none, or whose runner
    /// stopped before it wrote any. A problem for `report`, which must lose
    /// nothing; nothing to triage for `triage`.
    pub empty_reports: Vec<String>,
    /// Inputs skipped as copies of others: a warning in the report.
    pub skipped: Vec<String>,
}

/// Reads every input. A missing file is bad input (exit 2); an invalid one
/// is a problem named in the report, and the other files are still processed.
pub fn read_inputs(paths: &[PathBuf]) -> Result<Read, InputError> {
    let mut inputs = Inputs::default();
    let mut problems = Vec::new();
    let mut empty_reports = Vec::new();
    let mut skipped = Vec::new();
    let mut folder = Folder::default();
    // Its first bytes, read once: what it is, and for a JUnit report of
    // `run --junit`, which shard it holds. Shard results first, so that a
    // JUnit copy of a shard they hold is known as one.
    let mut reports = Vec::new();
    for path in paths {
        let mut head = Vec::with_capacity(HEAD_BYTES);
        std::fs::File::open(path)
            .and_then(|f| f.take(HEAD_BYTES as u64).read_to_end(&mut head))
            .map_err(|e| InputError::new(format!("{}: cannot read it: {e}", path.display())))?;
        if !ShardResult::sniff(&head[..head.len().min(SNIFF_BYTES)]) {
            reports.push((path, head));
            continue;
        }
        match read_json(path) {
            Ok(Json::Shard(result)) => inputs.shards.push((path.display().to_string(), *result)),
            Ok(Json::Results(tests)) => inputs.junit_tests.extend(tests),
            Err(e) => problems.push(e.to_string()),
        }
    }
    // A JUnit report's shard mark: the first file that held it.
    let mut marked: std::collections::HashMap<(String, usize, usize), (String, &PathBuf)> =
        std::collections::HashMap::new();
    for (path, head) in reports {
        let head = String::from_utf8_lossy(&head);
        if let Some((sha, index, total)) = crate::suite::junit_write::shard_mark(&head) {
            let origin = path.display().to_string();
            // The same shard's results in two formats (an artifact folder
            // holding both, read by one glob) are one run, not two: its
            // tests would count twice the attempts and the time.
            if let Some((held, _)) = inputs.shards.iter().find(|(_, r)| {
                (r.plan_sha256.as_str(), r.shard, r.total) == (sha.as_str(), index, total)
            }) {
                skipped.push(format!(
                    "{}: skipped, a JUnit copy of shard {index}/{total}, which {} holds",
                    control_chars(&origin),
                    control_chars(held)
                ));
                continue;
            }
            // Two reports of one shard (`run --junit X` beside the
            // runner's own `--junitxml=Y`, both rewritten by pitcrew): one
            // run when they are the same bytes; different ones are a
            // problem, and both are read, so no failure is lost. Hashed
            // only when a mark repeats.
            let mark = (sha.clone(), index, total);
            if let Some((first, first_path)) = marked.get(&mark) {
                if same_bytes(first_path, path) {
                    skipped.push(format!(
                        "{}: skipped, the same report of shard {index}/{total} as {}",
                        control_chars(&origin),
                        control_chars(first)
                    ));
                    continue;
                }
                problems.push(format!(
                    "shard {index}/{total}: {} and {} both claim it with different results; pass only one",
                    control_chars(first),
                    control_chars(&origin)
                ));
            } else {
                marked.insert(mark, (origin.clone(), path));
            }
            inputs.junit_shards.push((origin, sha, index, total));
        }
        // Folded as parsed: memory follows the unique tests, not the file.
        // A file that turns out invalid keeps what was read before the
        // error, and the error fails the run.
        let planned_nothing = head.contains(crate::suite::junit_write::NO_TEST_PLANNED);
        match junit::parse_file(path, |case| folder.add(case)) {
            Err(e) => problems.push(e.to_string()),
            Ok(stats) if stats.cases == 0 && !planned_nothing => empty_reports.push(format!(
                "{}: a JUnit report with no test case (the runner ran none, or stopped before it wrote any)",
                control_chars(&path.display().to_string())
            )),
            Ok(_) => {}
        }
    }
    let (counts, _, tests) = folder.finish();
    inputs.junit_counts = counts;
    inputs.junit_tests.extend(tests);
    Ok(Read {
        inputs,
        problems,
        empty_reports,
        skipped,
    })
}

/// Whether two files hold the same bytes (a file that cannot be read is
/// not the same as any).
fn same_bytes(a: &Path, b: &Path) -> bool {
    match (crate::hash::sha256_file(a), crate::hash::sha256_file(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

/// How much of an input is read first: enough for the comments `run
/// --junit` writes after the XML declaration (which shard, of which plan,
/// planned empty).
const HEAD_BYTES: usize = 512;
/// How much of that head tells a JSON input from XML.
const SNIFF_BYTES: usize = 64;

/// A JSON input: a shard result, or merged results.
enum Json {
    Shard(Box<ShardResult>),
    Results(Vec<TestResult>),
}

/// Only the keys that tell the two apart.
#[derive(Deserialize)]
struct Probe {
    format: Option<IgnoredAny>,
    summary: Option<IgnoredAny>,
}

/// `pitcrew-results.json`: only its tests are read (the summary is
/// recomputed from them).
#[derive(Deserialize)]
struct ResultsFile {
    tests: Vec<TestResult>,
}

fn read_json(path: &Path) -> Result<Json, InputError> {
    let origin = path.display().to_string();
    let text = std::fs::read_to_string(path)
        .map_err(|e| InputError::new(format!("{origin}: cannot read it: {e}")))?;
    let probe: Result<Probe, _> = serde_json::from_str(&text);
    match probe {
        Ok(Probe {
            format: None,
            summary: Some(_),
        }) => serde_json::from_str::<ResultsFile>(&text)
            .map(|r| Json::Results(r.tests))
            .map_err(|e| {
                InputError::new(format!(
                    "{origin}: not a pitcrew-results.json: {}",
                    crate::escape::control_chars(&e.to_string())
                ))
            }),
        _ => ShardResult::parse(&text, &origin).map(|r| Json::Shard(Box::new(r))),
    }
}
