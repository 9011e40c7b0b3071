//! What one plugin may say in the host's log over a whole command. Each
//! call's `log` messages and stdio are bounded per call (`log.rs`,
//! `sandbox.rs`), but a router is called once per failure: 200 calls of
//! 2,000 stderr lines and 1,000 error messages each wrote 265 MB to a CI
//! log (round 61). Past this budget the plugin's lines are dropped, with
//! one notice.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

/// A plugin's lines reaching the log in one command, all calls together,
/// and their bytes.
pub const RUN_LINES: u64 = 10_000;
pub const RUN_BYTES: u64 = 4 * 1024 * 1024;

/// Shared by every call of one loaded plugin.
#[derive(Debug, Default)]
pub struct OutputBudget {
    lines: AtomicU64,
    bytes: AtomicU64,
    told: AtomicBool,
}

impl OutputBudget {
    /// Whether a line of `len` bytes from the plugin `label` may reach the
    /// log. The first line refused says so, once.
    pub fn admit(&self, label: &str, len: usize) -> bool {
        let lines = self.lines.fetch_add(1, Ordering::Relaxed) + 1;
        let bytes = self.bytes.fetch_add(len as u64, Ordering::Relaxed) + len as u64;
        if lines <= RUN_LINES && bytes <= RUN_BYTES {
            return true;
        }
        if !self.told.swap(true, Ordering::Relaxed) {
            tracing::warn!(
                target: "pitcrew::plugin",
                "[{label}] output budget of {RUN_LINES} lines and {} MiB per run spent: the rest of what it logs and prints is dropped",
                RUN_BYTES / (1024 * 1024)
            );
        }
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_and_bytes_are_bounded_across_calls() {
        let budget = OutputBudget::default();
        let admitted = (0..RUN_LINES * 2)
            .filter(|_| budget.admit("p 1.0", 10))
            .count();
        assert_eq!(admitted as u64, RUN_LINES);
        let budget = OutputBudget::default();
        let big = 1024 * 1024;
        let admitted = (0..10).filter(|_| budget.admit("p 1.0", big)).count();
        assert_eq!(admitted as u64, RUN_BYTES / big as u64);
    }
}
