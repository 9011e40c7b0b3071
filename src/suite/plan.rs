//! The plan file `pitcrew split` writes and `pitcrew run` / `report` read.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::slow_files::PlannedTest;
use super::split::Plan;
use crate::InputError;
use crate::hash::sha256_hex;

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct PlanFile {
    #[serde(flatten)]
    pub plan: Plan,
    /// The runner the plan's test ids are written for, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub runner: Option<String>,
    /// Files whose longest tests are items of their own because the file
    /// alone exceeded the ideal shard time: file → those tests. The file's
    /// own item then runs the file without them.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub split_files: BTreeMap<String, Vec<PlannedTest>>,
    /// One shard, no item: the runner finds its test files itself and the
    /// files that report are its items (`pitcrew test`'s first run of a
    /// runner whose reporter says what it found; see
    /// `Runner::reports_discovery`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub discovered: bool,
    /// The commit and tree `split` made the plan at (git's `HEAD`), which
    /// `run` checks its checkout against.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub checkout: Option<super::checkout::Checkout>,
}

/// A split file, or a test split out of it, that no shard runs (names
/// escaped: they come from the file).
#[derive(Debug, thiserror::Error)]
#[error("split_files.{file}: `{id}` is not an item of any shard")]
struct UnplannedSplit {
    file: String,
    id: String,
}

impl PlanFile {
    /// The plan and the sha256 of its bytes (which shard results carry).
    pub fn read(path: &Path) -> Result<(Self, String), InputError> {
        let bytes = std::fs::read(path)
            .map_err(|e| InputError::new(format!("{}: cannot read it: {e}", path.display())))?;
        let plan: PlanFile = serde_json::from_slice(&bytes)
            .map_err(|e| InputError::new(format!("{}: not a pitcrew plan: {e}", path.display())))?;
        if plan.plan.shards.is_empty() {
            return Err(InputError::new(format!(
                "{}: shards: the plan has none",
                path.display()
            )));
        }
        for (i, shard) in plan.plan.shards.iter().enumerate() {
            if shard.index != i + 1 {
                return Err(InputError::new(format!(
                    "{}: shards[{i}].index: {} where {} was expected",
                    path.display(),
                    shard.index,
                    i + 1
                )));
            }
        }
        if plan.discovered && (plan.plan.shards.len() != 1 || !plan.plan.shards[0].items.is_empty())
        {
            return Err(InputError::new(format!(
                "{}: discovered: a plan the runner fills itself has one shard and no item",
                path.display()
            )));
        }
        plan.check_split_files()
            .map_err(|e| InputError::new(format!("{}: {e}", path.display())))?;
        Ok((plan, sha256_hex(&bytes)))
    }

    /// Every split file and every test split out of it must be an item,
    /// or the tests would run nowhere.
    fn check_split_files(&self) -> Result<(), UnplannedSplit> {
        let items: BTreeSet<&str> = self
            .plan
            .shards
            .iter()
            .flat_map(|s| s.items.iter().map(String::as_str))
            .collect();
        for (file, tests) in &self.split_files {
            let missing = std::iter::once(file.as_str())
                .chain(tests.iter().map(|t| t.id.as_str()))
                .find(|id| !items.contains(id));
            if let Some(id) = missing {
                return Err(UnplannedSplit {
                    file: crate::escape::control_chars(file).into_owned(),
                    id: crate::escape::control_chars(id).into_owned(),
                });
            }
        }
        Ok(())
    }

    /// Every shard's items.
    pub fn all_items(&self) -> std::collections::BTreeSet<String> {
        let shards = self.plan.shards.iter();
        shards.flat_map(|s| s.items.iter().cloned()).collect()
    }

    /// The items of shard `index` (1-based).
    pub fn items(&self, index: usize) -> Option<&[String]> {
        self.plan
            .shards
            .get(index.checked_sub(1)?)
            .map(|s| s.items.as_slice())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_plan_the_runner_fills_has_one_empty_shard() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("plan.json");
        let read = |text: &str| {
            std::fs::write(&path, text).unwrap();
            PlanFile::read(&path).map(|(plan, _)| plan.discovered)
        };
        let shard = |index: usize, items: &str| {
            format!(r#"{{"index": {index}, "items": [{items}], "estimated_seconds": 0}}"#)
        };
        let plan = |shards: &[String]| {
            format!(
                r#"{{"shards": [{}], "lower_bound_seconds": 0, "discovered": true}}"#,
                shards.join(", ")
            )
        };
        assert!(read(&plan(&[shard(1, "")])).unwrap());
        for bad in [
            plan(&[shard(1, r#""a.test.js""#)]),
            plan(&[shard(1, ""), shard(2, "")]),
        ] {
            let err = read(&bad).unwrap_err().to_string();
            assert!(err.contains("discovered: "), "{err}");
        }
    }
}
