//! Joining the coverage that shards run side by side wrote in parts.
//!
//! A coverage tool run in each shard sees only that shard's tests: its
//! reports are a part, and its threshold fails a green suite. pitcrew's
//! reporters keep each shard's part apart and its threshold unchecked
//! ([`super::Runner::side_by_side_env`]); after the shards, a script in
//! the tool's own language joins the parts, writes the project's reports
//! again and checks the threshold on the whole run
//! ([`super::Runner::join_side_by_side`]). The runner adapters say what to
//! run; this runs it and says what came of it, one way for every tool.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

/// The scripts' exit status when the whole run misses the threshold; what
/// they print on standard output then is the tool's own message.
pub(super) const THRESHOLD_NOT_MET: i32 = 3;
/// How long joining coverage data may take.
const JOIN_TIMEOUT: Duration = Duration::from_secs(300);

/// Runs `join` (which joins `parts` shards' coverage of `tool`): `None`
/// when it did, the run's problem when the whole run misses the threshold
/// (in the tool's words). Anything else is a warning that names where the
/// shards' parts stay (`kept`): the run's tests stand either way.
pub(super) fn run(tool: &str, join: Command, parts: usize, kept: &str) -> Option<String> {
    let tails = crate::process::Tails {
        stdout: 16 * 1024,
        stderr: 64 * 1024,
    };
    let why = match crate::process::run(join, JOIN_TIMEOUT, tails) {
        Ok(done) if done.status.is_some_and(|s| s.success()) => {
            tracing::info!("{tool}: {parts} shards' coverage data joined");
            return None;
        }
        Ok(done) if done.status.and_then(|s| s.code()) == Some(THRESHOLD_NOT_MET) => {
            return Some(format!(
                "{tool}: {} (the whole run's coverage, joined from its shards)",
                crate::escape::control_chars(&said(&done.stdout))
            ));
        }
        Ok(done) if done.timed_out() => format!("{} s passed", JOIN_TIMEOUT.as_secs()),
        Ok(done) => crate::process::headline(&done.stderr).unwrap_or_default(),
        Err(e) => e.to_string(),
    };
    tracing::warn!(
        "{tool}: the shards' coverage data could not be joined ({}): each shard's is in {}",
        crate::escape::control_chars(&why),
        crate::escape::control_chars(kept),
    );
    None
}

/// What a script said of a missed threshold: its lines that are not blank,
/// one after the other (Jest names each measure that missed on a line).
fn said(stdout: &str) -> String {
    let lines: Vec<String> = stdout
        .lines()
        .map(|l| crate::escape::strip_ansi(l).trim().to_owned())
        .filter(|l| !l.is_empty())
        .collect();
    lines.join("; ")
}

/// The regular files whose path starts with `prefix`, in its folder,
/// sorted.
pub(super) fn files_starting(prefix: &Path) -> Vec<PathBuf> {
    let (Some(dir), Some(name)) = (prefix.parent(), prefix.file_name()) else {
        return Vec::new();
    };
    let name = name.to_string_lossy();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut found: Vec<PathBuf> = entries
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with(name.as_ref()))
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .map(|e| e.path())
        .collect();
    found.sort();
    found
}

/// `paths` as the JSON strings a script reads.
pub(super) fn shown(paths: &[PathBuf]) -> Vec<String> {
    paths
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missed_threshold_is_every_line_the_tool_said() {
        let out = "\n\x1b[31mJest: Coverage for lines (50%) does not meet \"global\" threshold (80%)\x1b[39m\n\
                   Jest: Coverage for functions (50%) does not meet \"global\" threshold (90%)\n";
        assert_eq!(
            said(out),
            "Jest: Coverage for lines (50%) does not meet \"global\" threshold (80%); \
             Jest: Coverage for functions (50%) does not meet \"global\" threshold (90%)"
        );
    }

    #[test]
    fn files_starting_lists_only_files_of_that_prefix() {
        let dir = tempfile::tempdir().unwrap();
        for name in ["part-1-0.json", "part-2-1.json", "other.json"] {
            std::fs::write(dir.path().join(name), "{}").unwrap();
        }
        std::fs::create_dir(dir.path().join("part-dir")).unwrap();
        let found = files_starting(&dir.path().join("part-"));
        let names: Vec<_> = found
            .iter()
            .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, ["part-1-0.json", "part-2-1.json"]);
        assert!(files_starting(&dir.path().join("missing/part-")).is_empty());
    }
}
