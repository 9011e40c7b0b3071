//! What one more runner process costs (its start-up), measured rather
//! than guessed.
//!
//! One run cannot tell a runner's start-up from its files' imports and
//! collection: both are time outside tests. Two runs of the same files
//! with different numbers of processes can: the files cost the same in
//! both, so the difference in their total time (each shard with a core to
//! itself) is the difference in start-ups. Each run is remembered
//! ([`RunCost`], the last [`KEPT`] per runner); the start-up is the median
//! of what every pair of runs of the same files with different process
//! counts says, bounded by what the runs showed outside tests per process
//! (nothing else can be start-up), or, for a runner that loads each file in
//! a process of its own (node), by the time per process when no file ran.
//! Until two such runs exist, the start-up
//! is taken at that bound: pitcrew then prefers fewer shards, and the run
//! with fewer processes is the second measurement.

use serde::{Deserialize, Serialize};

/// Runs remembered per runner.
pub const KEPT: usize = 8;

/// What one run of a suite's files cost, for measuring start-ups.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct RunCost {
    /// sha256 of the run's files, sorted: only runs of the same files are
    /// compared.
    pub files: String,
    /// Runner processes started.
    pub processes: u32,
    /// Seconds of all its shards, each as with a core to itself.
    pub seconds: f64,
    /// The most a start-up can have been in this run: the least time
    /// outside tests per process any of its shards showed (or CPU time per
    /// process, where that is less).
    pub ceiling: f64,
}

impl RunCost {
    fn usable(&self) -> bool {
        self.processes > 0
            && self.seconds.is_finite()
            && self.seconds >= 0.0
            && self.ceiling.is_finite()
            && self.ceiling >= 0.0
    }
}

/// The sha256 naming a set of files (order and repeats do not matter).
pub fn files_key<'a>(files: impl IntoIterator<Item = &'a str>) -> String {
    let set: std::collections::BTreeSet<&str> = files.into_iter().collect();
    let mut text = String::new();
    for file in set {
        text.push_str(file);
        text.push('\0');
    }
    crate::hash::sha256_hex(text.as_bytes())
}

/// The start-up per process that the runs measure: for every pair of runs
/// of the same files with different process counts, their difference in
/// seconds over their difference in processes, within zero and the pair's
/// lower ceiling; the median of these. `None` when no pair qualifies.
pub fn measured(runs: &[RunCost]) -> Option<f64> {
    let runs: Vec<&RunCost> = runs.iter().filter(|r| r.usable()).collect();
    let mut estimates = Vec::new();
    for (i, a) in runs.iter().enumerate() {
        for b in &runs[i + 1..] {
            if a.files != b.files || a.processes == b.processes {
                continue;
            }
            let per_process =
                (a.seconds - b.seconds) / (f64::from(a.processes) - f64::from(b.processes));
            let bound = a.ceiling.min(b.ceiling);
            if per_process.is_finite() {
                estimates.push(per_process.clamp(0.0, bound));
            }
        }
    }
    median(&mut estimates)
}

/// `runs` with `newer` after them, the oldest dropped beyond [`KEPT`].
pub fn remember(runs: &mut Vec<RunCost>, newer: RunCost) {
    runs.push(newer);
    let excess = runs.len().saturating_sub(KEPT);
    runs.drain(..excess);
}

fn median(values: &mut [f64]) -> Option<f64> {
    values.sort_by(f64::total_cmp);
    let n = values.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(values[n / 2]),
        _ => Some((values[n / 2 - 1] + values[n / 2]) / 2.0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(files: &str, processes: u32, seconds: f64, ceiling: f64) -> RunCost {
        RunCost {
            files: files_key([files]),
            processes,
            seconds,
            ceiling,
        }
    }

    #[test]
    fn two_runs_of_the_same_files_with_different_process_counts_measure_it() {
        // One process: 9 s; two: 10.4 s in all. A process costs 1.4 s,
        // although each shard showed up to 3 s outside tests.
        let runs = [run("a", 1, 9.0, 3.0), run("a", 2, 10.4, 3.0)];
        assert!((measured(&runs).unwrap() - 1.4).abs() < 1e-9);
        // Same process count, or other files: nothing measured.
        assert_eq!(
            measured(&[run("a", 2, 9.0, 3.0), run("a", 2, 11.0, 3.0)]),
            None
        );
        assert_eq!(
            measured(&[run("a", 1, 9.0, 3.0), run("b", 2, 11.0, 3.0)]),
            None
        );
        assert_eq!(measured(&[]), None);
    }

    #[test]
    fn noise_is_bounded_and_outvoted() {
        // A faster run with more processes (a quieter machine) is no
        // negative start-up; one far slower cannot exceed what its shards
        // showed outside tests.
        assert_eq!(
            measured(&[run("a", 1, 9.0, 3.0), run("a", 2, 8.0, 3.0)]),
            Some(0.0)
        );
        assert_eq!(
            measured(&[run("a", 1, 9.0, 3.0), run("a", 2, 30.0, 2.5)]),
            Some(2.5)
        );
        // Four runs agree on about 1 s against one outlier: the median.
        let runs = [
            run("a", 1, 9.0, 3.0),
            run("a", 2, 10.1, 3.0),
            run("a", 3, 11.0, 3.0),
            run("a", 4, 12.0, 3.0),
            run("a", 5, 25.0, 3.0),
        ];
        let s = measured(&runs).unwrap();
        assert!((0.9..=1.1).contains(&s), "{s}");
        // Unusable records (nonsense from a hand-edited file) are ignored.
        let odd = [
            run("a", 0, 1.0, 1.0),
            run("a", 2, f64::NAN, 1.0),
            run("a", 1, 1.0, 1.0),
        ];
        assert_eq!(measured(&odd), None);
    }

    #[test]
    fn the_last_runs_are_kept() {
        let mut runs = Vec::new();
        for i in 0..(KEPT as u32 + 3) {
            remember(&mut runs, run("a", i + 1, 1.0, 1.0));
        }
        assert_eq!(runs.len(), KEPT);
        assert_eq!(runs[0].processes, 4);
        assert_eq!(files_key(["b", "a", "a"]), files_key(["a", "b"]));
    }
}
