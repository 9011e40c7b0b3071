//! The plan file `pitcrew split` writes and `pitcrew run` / `report` read.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::split::Plan;
use crate::InputError;
use crate::host::cache::sha256_hex;

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct PlanFile {
    #[serde(flatten)]
    pub plan: Plan,
    /// The runner the plan's test ids are written for, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub runner: Option<String>,
    /// Files replaced by their single tests because one alone exceeded the
    /// ideal shard time: file → its test ids (which appear as items).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub split_files: BTreeMap<String, Vec<String>>,
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
        Ok((plan, sha256_hex(&bytes)))
    }

    /// The items of shard `index` (1-based).
    pub fn items(&self, index: usize) -> Option<&[String]> {
        self.plan
            .shards
            .get(index.checked_sub(1)?)
            .map(|s| s.items.as_slice())
    }

    /// Which items are single tests (split out of a file) rather than files.
    pub fn test_items(&self) -> BTreeSet<&str> {
        self.split_files
            .values()
            .flatten()
            .map(String::as_str)
            .collect()
    }
}
