//! Whether the workers run the same code: each job file's majority hash
//! and how many workers report it.
//!
//! `worker-consistency` writes its section from this; `pre-flight` reads
//! the facts through it too when that section is unavailable, so that a
//! hash gate never passes unseen: the built-in worker-consistency ran out
//! of its memory on a large cluster (400 workers, 1,001 files), its
//! section was unavailable, and stale code read "ready to launch" (round
//! 70).

use std::collections::{BTreeMap, HashSet};

use serde_json::Value;

/// The hash most of `hashes` are, and how many are it; the smallest hash
/// wins a tie. `None` for no hash at all.
pub fn majority<'a>(hashes: impl IntoIterator<Item = &'a str>) -> Option<(&'a str, usize)> {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for hash in hashes {
        *counts.entry(hash).or_default() += 1;
    }
    // BTreeMap iterates hashes in ascending order; keeping the first
    // maximum makes the smallest hash win ties.
    let mut best: Option<(&str, usize)> = None;
    for (hash, count) in counts {
        if best.is_none_or(|(_, most)| count > most) {
            best = Some((hash, count));
        }
    }
    best
}

/// Whether a file `agreeing` of `workers` workers share fails: below the
/// threshold, or no two workers alike (a single worker has nothing to
/// compare and never fails).
pub fn falls_short(agreeing: usize, workers: usize, threshold: f64) -> bool {
    workers > 1 && ((agreeing as f64) / (workers as f64) < threshold || agreeing < 2)
}

/// What the facts say of the job's code.
#[derive(Clone, Debug, PartialEq)]
pub struct Agreement {
    /// The files that fail ([`falls_short`]) though some worker reports
    /// a hash for them, each with how many workers share its majority
    /// hash: a worker off it, or without the file.
    pub short: Vec<(String, usize)>,
    /// Files no worker reports a hash for: no evidence either way (a spec
    /// whose inline workers list no files).
    pub unreported: usize,
    pub workers: usize,
}

/// The job's files (`job.script`, `job.extra_files`) as each worker's
/// `files` report them, against `consistency.threshold`, read from the
/// facts as they are. `None` when the facts do not say (a missing or
/// malformed fact is the phases' own error to name).
pub fn agreement(facts: &Value) -> Option<Agreement> {
    let job = facts.get("job")?;
    let mut files = vec![job.get("script")?.as_str()?];
    let mut seen: HashSet<&str> = files.iter().copied().collect();
    for file in job
        .get("extra_files")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let file = file.as_str()?;
        if seen.insert(file) {
            files.push(file);
        }
    }
    let threshold = facts.get("consistency")?.get("threshold")?.as_f64()?;
    let workers = facts.get("workers")?.as_array()?;
    let mut short = Vec::new();
    let mut unreported = 0;
    for file in files {
        let hashes = workers
            .iter()
            .filter_map(|w| w.get("files")?.get(file)?.as_str());
        match majority(hashes) {
            None => unreported += 1,
            Some((_, agreeing)) if falls_short(agreeing, workers.len(), threshold) => {
                short.push((file.to_owned(), agreeing));
            }
            Some(_) => {}
        }
    }
    Some(Agreement {
        short,
        unreported,
        workers: workers.len(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_majority_is_the_most_common_hash_and_the_smallest_on_a_tie() {
        assert_eq!(majority(["b", "a", "b"]), Some(("b", 2)));
        assert_eq!(majority(["b", "a"]), Some(("a", 1)));
        assert_eq!(majority([]), None);
    }

    #[test]
    fn files_too_few_workers_share_are_named_from_the_facts() {
        let worker = |name: &str, train: Option<&str>| {
            let files = match train {
                Some(h) => json!({"train.py": h, "model.py": "m"}),
                None => json!({}),
            };
            json!({"name": name, "files": files})
        };
        let facts = json!({
            "job": {"script": "train.py", "extra_files": ["model.py", "train.py", "data.py"]},
            "consistency": {"threshold": 0.75},
            "workers": [worker("a", Some("1")), worker("b", Some("1")), worker("c", Some("2")), worker("d", None)],
        });
        // train.py: 2 of 4 share "1"; model.py: 3 of 4 (d reports none);
        // data.py: no worker reports it, no evidence.
        let found = agreement(&facts).unwrap();
        assert_eq!(found.short, vec![("train.py".to_owned(), 2)]);
        assert_eq!((found.unreported, found.workers), (1, 4));
        let alone = json!({
            "job": {"script": "train.py"},
            "consistency": {"threshold": 1.0},
            "workers": [worker("a", Some("1"))],
        });
        assert_eq!(agreement(&alone).unwrap().short, vec![]);
        assert_eq!(agreement(&json!({})), None);
        assert!(falls_short(1, 3, 0.1));
        assert!(!falls_short(2, 3, 0.6));
    }
}
