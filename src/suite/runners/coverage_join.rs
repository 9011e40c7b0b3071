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
const THRESHOLD_NOT_MET: i32 = 3;
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
            tracing::info!("{tool}: {parts} coverage parts joined");
            return None;
        }
        Ok(done) if done.status.and_then(|s| s.code()) == Some(THRESHOLD_NOT_MET) => {
            return Some(format!(
                "{tool}: {} (the coverage of this run's runner processes, joined)",
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

/// The variable that tells our jest and vitest reporters where a runner
/// process writes its coverage part (`PREFIX.json`) and its note of what
/// the runner was asked for (`PREFIX.note.json`).
const NODE_PART_ENV: &str = "PITCREW_COVERAGE_PART";
/// What ends a note's name.
const NOTE_SUFFIX: &str = ".note.json";
/// The script that joins node runners' parts (`coverage_join.cjs`).
const NODE_SCRIPT: &str = include_str!("coverage_join.cjs");

/// For shard `index` of a node runner: its processes' parts are `prefix`,
/// the shard's number, `-`, the process's number.
pub(super) fn node_part_env(prefix: &str, index: usize) -> Vec<(String, String)> {
    let process = crate::suite::exec::PROCESS_NUMBER;
    vec![(NODE_PART_ENV.into(), format!("{prefix}{index}-{process}"))]
}

/// Removes an earlier run's parts and notes under `prefix`.
pub(super) fn clear_node_parts(root: &Path, prefix: &str) {
    for path in crate::paths::files_starting(&root.join(prefix)) {
        let _ = std::fs::remove_file(path);
    }
}

/// Joins the parts a node runner's processes noted under `prefix`
/// (`coverage_join.cjs`, with the `node` that ran `command`): the reports
/// written and the threshold checked on the whole run, by the rules the
/// notes name (Jest's or Vitest's).
pub(super) fn join_node_parts(
    tool: &str,
    root: &Path,
    command: &[String],
    prefix: &str,
) -> Option<String> {
    let notes: Vec<_> = crate::paths::files_starting(&root.join(prefix))
        .into_iter()
        .filter(|p| p.to_string_lossy().ends_with(NOTE_SUFFIX))
        .collect();
    if notes.is_empty() {
        return None;
    }
    let (node, options) = node_of(command);
    let mut join = Command::new(node);
    join.args(options);
    // Yarn's Plug'n'Play: the runner's libraries load only through it.
    let pnp = root.join(".pnp.cjs");
    if pnp.is_file() {
        join.arg("--require").arg(pnp);
    }
    let args = serde_json::json!({ "notes": shown(&notes) });
    join.args(["-e", NODE_SCRIPT, &args.to_string()])
        .current_dir(root);
    run(tool, join, notes.len(), &format!("{prefix}*.json"))
}

/// The `node` of a command that runs the runner through it (`node -r
/// ./.pnp.cjs node_modules/.bin/jest`) and the options it gives node
/// before the script (a `--require` may be what loads the libraries),
/// else the `node` on the `PATH`, as `npx jest` and the runner's own
/// script use.
fn node_of(command: &[String]) -> (String, Vec<String>) {
    let Some(program) = command.first().filter(|program| {
        let name = Path::new(program.as_str()).file_stem();
        name.is_some_and(|n| n == "node" || n == "nodejs")
    }) else {
        return ("node".to_owned(), Vec::new());
    };
    // Options that take the next word as their value.
    const VALUED: &[&str] = &[
        "-r",
        "--require",
        "--import",
        "--loader",
        "--conditions",
        "-C",
    ];
    let mut options = Vec::new();
    let mut words = command[1..].iter();
    while let Some(word) = words.next() {
        if !word.starts_with('-') || word == "-" || word == "--" {
            break;
        }
        // What runs instead of a script is not an option to keep.
        if ["-e", "--eval", "-p", "--print"].contains(&word.as_str()) {
            break;
        }
        options.push(word.clone());
        if VALUED.contains(&word.as_str())
            && let Some(value) = words.next()
        {
            options.push(value.clone());
        }
    }
    (program.clone(), options)
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
    fn node_parts_are_one_a_process_and_joined_with_the_commands_node() {
        let process = crate::suite::exec::PROCESS_NUMBER;
        assert_eq!(
            node_part_env(".pitcrew/jest-coverage-", 3),
            [(
                NODE_PART_ENV.to_owned(),
                format!(".pitcrew/jest-coverage-3-{process}")
            )]
        );
        let node = |command: &[&str]| {
            let command: Vec<String> = command.iter().map(|s| s.to_string()).collect();
            node_of(&command)
        };
        let plain = ("node".to_owned(), Vec::<String>::new());
        assert_eq!(node(&["npx", "jest"]), plain);
        assert_eq!(node(&["vitest", "run"]), plain);
        assert_eq!(node(&[]), plain);
        let vm = ["/opt/node/bin/node", "--experimental-vm-modules", "jest"];
        let vm_options = vec!["--experimental-vm-modules".to_owned()];
        assert_eq!(node(&vm), ("/opt/node/bin/node".to_owned(), vm_options));
        let pnp = [
            "node",
            "-r",
            "./.pnp.cjs",
            "--max-old-space-size=4096",
            "bin/jest",
            "-r",
            "x",
        ];
        let pnp_options = ["-r", "./.pnp.cjs", "--max-old-space-size=4096"];
        assert_eq!(node(&pnp).1, pnp_options);
        // Nothing noted (no coverage asked for): nothing to join.
        let dir = tempfile::tempdir().unwrap();
        let none = join_node_parts("jest", dir.path(), &[], ".pitcrew/jest-coverage-");
        assert_eq!(none, None);
    }
}
