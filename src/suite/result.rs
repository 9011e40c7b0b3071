//! The shard result file: what one shard ran, every item's outcome and
//! duration, every test (retries folded), and any shard error. `pitcrew
//! report` merges these.

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::fold::{Counts, TestResult};
use crate::InputError;

pub const FORMAT: &str = "pitcrew-shard-result/1";

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ShardResult {
    /// Always [`FORMAT`]; how `report` tells these from JUnit files.
    pub format: String,
    /// sha256 of the plan file the shard was run from.
    pub plan_sha256: String,
    /// 1-based.
    pub shard: usize,
    pub total: usize,
    pub runner: String,
    pub items: Vec<ItemResult>,
    pub tests: Vec<TestResult>,
    pub counts: Counts,
    /// Why the shard's results can't be trusted, when they can't.
    pub error: Option<ShardError>,
    pub duration_seconds: f64,
    /// The CPU time (user and system) of the shard's runner processes and
    /// of what they waited for; absent in results of older versions and
    /// where the platform does not say. Against `duration_seconds` it tells
    /// how much the shard was held back by a busy machine.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cpu_seconds: Option<f64>,
    /// Of the time the runner's own process was ready to run, the fraction
    /// it had a core (1: never waited for one); where the platform says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cpu_share: Option<f64>,
    /// How many runner processes the shard started, retries included: each
    /// paid the runner's start-up (absent in older results).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub processes: Option<u32>,
    /// How long test files ran in those processes, where the runner runs
    /// each file in a process of its own and says (node): the rest of the
    /// shard's time is the runner processes' own start-up and exit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub files_running_seconds: Option<f64>,
    /// How many files the runner ran at once in each of its processes,
    /// when pitcrew set it (`pitcrew test` hands a node shard's parallelism
    /// to node's own pool): the shard then kept that many cores busy, and
    /// its time is not one core's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub workers: Option<u32>,
    /// The test command `pitcrew run` was given (argv): what `report`
    /// records, so that `triage --fix` can re-run the tests without being
    /// told how (absent in older results).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub command: Option<Vec<String>>,
}

/// One planned item (a file, or a single test) and what it produced.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct ItemResult {
    pub id: String,
    /// For a single test split out of a slow file: that file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub test_of: Option<String>,
    /// Test cases attributed to this item; 0 means it ran nothing.
    pub tests: u32,
    pub duration_seconds: f64,
    /// It ran and the runner said it selected no test (a go package where
    /// the command's `-run` matches none): no test case, and no problem.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub selected_none: bool,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct ShardError {
    /// `spawn`, `crashed`, `no-junit`, `timeout`, `bad-junit`, `coverage`, …
    pub kind: String,
    pub message: String,
    /// The last lines the runner wrote to stderr (escaped when shown).
    pub stderr_tail: String,
}

impl ShardResult {
    /// Reads a shard result; any problem is an input error naming the file.
    pub fn read(path: &Path) -> Result<Self, InputError> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| InputError::new(format!("{}: cannot read it: {e}", path.display())))?;
        Self::parse(&text, &path.display().to_string())
    }

    pub fn parse(text: &str, origin: &str) -> Result<Self, InputError> {
        let result: ShardResult = serde_json::from_str(text)
            .map_err(|e| InputError::new(format!("{origin}: not a shard result: {e}")))?;
        if result.format != FORMAT {
            return Err(InputError::new(format!(
                "{origin}: format: `{}` is not `{FORMAT}`",
                crate::escape::control_chars(&result.format)
            )));
        }
        // Every count drives a loop or an allocation in the merge: a
        // crafted `"total": 1000000000000` must be refused, not iterated.
        let max = super::split::MAX_SHARDS;
        if result.total == 0 || result.total > max {
            return Err(InputError::new(format!(
                "{origin}: total: {} is not within 1..={max}",
                result.total
            )));
        }
        let bad_seconds = |s: f64| !s.is_finite() || s < 0.0;
        if bad_seconds(result.duration_seconds) {
            return Err(InputError::new(format!(
                "{origin}: duration_seconds: {} is not a duration",
                result.duration_seconds
            )));
        }
        if let Some(cpu) = result.cpu_seconds.filter(|s| bad_seconds(*s)) {
            return Err(InputError::new(format!(
                "{origin}: cpu_seconds: {cpu} is not a duration"
            )));
        }
        if let Some(share) = result.cpu_share.filter(|s| !(0.0..=1.0).contains(s)) {
            return Err(InputError::new(format!(
                "{origin}: cpu_share: {share} is not within 0..=1"
            )));
        }
        if let Some(test) = result
            .tests
            .iter()
            .find(|t| bad_seconds(t.duration_seconds))
        {
            return Err(InputError::new(format!(
                "{origin}: tests: `{}` has duration_seconds {}, not a duration",
                crate::escape::control_chars(&test.key.name),
                test.duration_seconds
            )));
        }
        if let Some(item) = result
            .items
            .iter()
            .find(|i| bad_seconds(i.duration_seconds))
        {
            return Err(InputError::new(format!(
                "{origin}: items: `{}` has duration_seconds {}, not a duration",
                crate::escape::control_chars(&item.id),
                item.duration_seconds
            )));
        }
        if result.shard == 0 || result.shard > result.total {
            return Err(InputError::new(format!(
                "{origin}: shard: {} is not within 1..={}",
                result.shard, result.total
            )));
        }
        Ok(result)
    }

    /// Whether a file looks like a shard result rather than JUnit XML.
    pub fn sniff(head: &[u8]) -> bool {
        head.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{')
    }
}
