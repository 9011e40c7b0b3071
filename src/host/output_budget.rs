//! What one plugin may say in the host's log over a whole command. Each
//! call's `log` messages and stdio are bounded per call (`log.rs`,
//! `sandbox.rs`), but a router is called once per failure: 200 calls of
//! 2,000 stderr lines and 1,000 error messages each wrote 265 MB to a CI
//! log (round 61). Past this budget the plugin's lines are dropped, with
//! one notice. All plugins of a command share a larger budget too: one
//! phase listed 40 times in `pitcrew.toml` had 40 budgets and wrote 168 MB
//! (round 65).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

/// A plugin's lines reaching the log in one command, all calls together,
/// and their bytes.
pub const RUN_LINES: u64 = 10_000;
pub const RUN_BYTES: u64 = 4 * 1024 * 1024;
/// Every plugin's lines in one command together, and their bytes.
pub const COMMAND_LINES: u64 = 4 * RUN_LINES;
pub const COMMAND_BYTES: u64 = 4 * RUN_BYTES;

/// Shared by every call of one loaded plugin; `command` by every plugin of
/// the command (its runtime's).
#[derive(Debug, Default)]
pub struct OutputBudget {
    mine: Tally,
    command: Arc<CommandOutput>,
}

/// What all plugins of one command have put into the log.
#[derive(Debug, Default)]
pub struct CommandOutput(Tally);

/// Lines and bytes counted against a limit, and whether its end was said.
#[derive(Debug, Default)]
struct Tally {
    lines: AtomicU64,
    bytes: AtomicU64,
    told: AtomicBool,
}

impl Tally {
    /// Counts a line of `len` bytes; whether it is within the limits, and
    /// whether this is the first one past them.
    fn count(&self, len: usize, max_lines: u64, max_bytes: u64) -> (bool, bool) {
        let lines = self.lines.fetch_add(1, Ordering::Relaxed) + 1;
        let bytes = self.bytes.fetch_add(len as u64, Ordering::Relaxed) + len as u64;
        if lines <= max_lines && bytes <= max_bytes {
            return (true, false);
        }
        (false, !self.told.swap(true, Ordering::Relaxed))
    }
}

impl OutputBudget {
    /// A plugin's budget within its command's.
    pub fn new(command: Arc<CommandOutput>) -> Self {
        Self {
            mine: Tally::default(),
            command,
        }
    }

    /// Whether a line of `len` bytes from the plugin `label` may reach the
    /// log. The first line refused says so, once per plugin and once for
    /// the command.
    pub fn admit(&self, label: &str, len: usize) -> bool {
        let (mine, first) = self.mine.count(len, RUN_LINES, RUN_BYTES);
        if !mine {
            if first {
                tracing::warn!(
                    target: "pitcrew::plugin",
                    "[{label}] output budget of {RUN_LINES} lines and {} MiB per run spent: the rest of what it logs and prints is dropped",
                    RUN_BYTES >> 20
                );
            }
            return false;
        }
        let (all, first) = self.command.0.count(len, COMMAND_LINES, COMMAND_BYTES);
        if !all && first {
            tracing::warn!(
                target: "pitcrew::plugin",
                "plugins' output budget of {COMMAND_LINES} lines and {} MiB per command spent: the rest of what any plugin logs and prints is dropped",
                COMMAND_BYTES >> 20
            );
        }
        all
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

    /// Round 65: one plugin listed 40 times had 40 budgets.
    #[test]
    fn all_plugins_of_a_command_share_a_larger_budget() {
        let command = Arc::new(CommandOutput::default());
        let admitted: u64 = (0..40)
            .map(|_| {
                let plugin = OutputBudget::new(command.clone());
                (0..RUN_LINES).filter(|_| plugin.admit("p 1.0", 10)).count() as u64
            })
            .sum();
        assert_eq!(admitted, COMMAND_LINES);
    }
}
