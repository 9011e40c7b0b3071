//! Durations per test file, from earlier JUnit reports or from the local
//! history pitcrew keeps in `.pitcrew/timings.json`.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::fold::TestResult;
use super::split::Item;

/// Used when nothing is known at all.
const DEFAULT_SECONDS: f64 = 1.0;

#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct Timings {
    /// Seconds per test file (sum of its tests, one attempt each).
    pub files: BTreeMap<String, f64>,
}

impl Timings {
    /// Adds folded results: each test's mean attempt counts towards its file.
    pub fn add_tests<'a>(&mut self, tests: impl IntoIterator<Item = (&'a str, &'a TestResult)>) {
        let mut fresh: BTreeMap<String, f64> = BTreeMap::new();
        for (file, test) in tests {
            let per_attempt = test.duration_seconds / f64::from(test.attempts.max(1));
            *fresh.entry(file.to_string()).or_default() += per_attempt;
        }
        self.files.extend(fresh);
    }

    /// Newer measurements replace older ones file by file; files the newer
    /// run didn't touch keep their history.
    pub fn update(&mut self, newer: Timings) {
        self.files.extend(newer.files);
    }

    /// Reads the history; a missing file is an empty history, a corrupt one
    /// is logged and ignored (it only makes the next split less balanced).
    pub fn load(path: &Path) -> Self {
        match std::fs::read(path) {
            Err(_) => Self::default(),
            Ok(bytes) => serde_json::from_slice(&bytes).unwrap_or_else(|e| {
                tracing::warn!("{}: ignoring the timing history: {e}", path.display());
                Self::default()
            }),
        }
    }

    pub fn save(&self, path: &Path) -> anyhow::Result<()> {
        crate::output::write_atomic(path, serde_json::to_string_pretty(self)?.as_bytes())
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

#[cfg(test)]
mod tests {
    use super::*;

    fn timings(pairs: &[(&str, f64)]) -> Timings {
        Timings {
            files: pairs.iter().map(|(f, s)| (f.to_string(), *s)).collect(),
        }
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
        assert_eq!(Timings::load(&path), history);
        std::fs::write(&path, "{not json").unwrap();
        assert_eq!(Timings::load(&path), Timings::default());
    }
}
