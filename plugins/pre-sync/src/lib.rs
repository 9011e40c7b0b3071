//! The `pre-sync` phase: judges the run of the sync script (the script that
//! brings every worker's code up to date before the cluster is set up). The
//! host runs the script and hands over what happened as `facts.sync`; this
//! phase decides what it means.
//!
//! # `pre_rdma_sync`
//!
//! `{"sync_script": path | null, "validation_checks": [check], "block_on_failure":
//! true, "status": "passed" | "failed" | "skipped" | "missing", "exit_code":
//! integer | null, "timed_out": bool, "output_tail": text | null}`, where a
//! check is `{"id", "layer", "status", "message", "blocking"}`. The same
//! checks are returned as the phase's checks, in layer `health`:
//!
//! | `facts.sync` | status | checks |
//! | --- | --- | --- |
//! | `null` or absent (not configured) | `skipped` | `sync.script` skip |
//! | `found: false` | `missing` | `sync.script` warn, not blocking |
//! | found, `ran: false` (could not be started) | `failed` | `sync.script` pass, `sync.run` fail |
//! | ran, `timed_out: true` | `failed` | `sync.script` pass, `sync.run` fail |
//! | ran, exit code 0 | `passed` | `sync.script` pass, `sync.run` pass |
//! | ran, exit code ≠ 0 or none (killed by a signal) | `failed` | `sync.script` pass, `sync.run` fail |
//!
//! As in every plan phase, `pass` and `fail` checks are blocking and `warn`
//! and `skip` checks are not: a failed `sync.run` blocks the launch, since
//! the workers may then run different code.
//!
//! A failure message quotes the last non-empty line of `output_tail` (at
//! most 200 characters), which is where scripts usually say what went wrong.

pub use plan_kit::common;

use serde_json::{Map, Value, json};

use common::{Check, Fact, InvalidInput, Output, Status, parse_object};

/// The document key this phase owns.
pub const KEY: &str = "pre_rdma_sync";
/// The document keys this phase owns.
pub const OWNS: [&str; 1] = [KEY];
/// The phases this one runs after.
pub const AFTER: [&str; 0] = [];
/// The layer of this phase's checks.
pub const LAYER: &str = "health";
/// The longest quote of the script's output in a check message.
pub const QUOTE_MAX_CHARS: usize = 200;

/// What the host reports about the sync script (`facts.sync`).
#[derive(Clone, Debug, PartialEq)]
pub struct Sync {
    pub script: String,
    pub found: bool,
    pub ran: bool,
    pub exit_code: Option<i64>,
    pub timed_out: bool,
    pub timeout_s: Option<u64>,
    pub output_tail: Option<String>,
}

impl Sync {
    /// `None` when no sync script is configured.
    pub fn from_facts(facts: &Value) -> Result<Option<Self>, InvalidInput> {
        let sync = Fact::root(facts).get("sync");
        if sync.is_absent() {
            return Ok(None);
        }
        sync.object()?;
        let found = sync.get("found").bool()?;
        // A script that was not found cannot have run: the other fields may
        // be absent then.
        let ran = if found {
            sync.get("ran").bool()?
        } else {
            sync.get("ran").opt_bool()?.unwrap_or(false)
        };
        Ok(Some(Sync {
            script: sync.get("script").str()?.to_string(),
            found,
            ran,
            exit_code: sync.get("exit_code").opt_i64()?,
            timed_out: sync.get("timed_out").opt_bool()?.unwrap_or(false),
            timeout_s: sync.get("timeout_s").opt_u64()?,
            output_tail: sync.get("output_tail").opt_str()?.map(str::to_string),
        }))
    }
}

/// Runs the phase over the facts (JSON text). The document is not read.
pub fn run(facts: &str, _document: &str) -> Result<Output, InvalidInput> {
    let facts = parse_object(facts, "facts")?;
    let sync = Sync::from_facts(&facts)?;
    Ok(judge(sync.as_ref()))
}

/// The last non-empty line of `tail`, trimmed and cut to
/// [`QUOTE_MAX_CHARS`] characters.
pub fn last_line(tail: &str) -> Option<String> {
    let line = tail.lines().map(str::trim).rev().find(|l| !l.is_empty())?;
    if line.chars().count() <= QUOTE_MAX_CHARS {
        return Some(line.to_string());
    }
    let cut: String = line.chars().take(QUOTE_MAX_CHARS).collect();
    Some(format!("{cut}…"))
}

/// The section and its checks.
pub fn judge(sync: Option<&Sync>) -> Output {
    let Some(sync) = sync else {
        let checks = vec![Check::gate(
            "sync.script",
            LAYER,
            Status::Skip,
            "no sync script is configured ([sync] is absent): workers are assumed up to date",
        )];
        return output(Value::Null, "skipped", None, false, None, checks);
    };
    let script = Value::String(sync.script.clone());
    if !sync.found {
        let checks = vec![Check::gate(
            "sync.script",
            LAYER,
            Status::Warn,
            &format!(
                "sync script `{}` not found: workers were not synced before the launch",
                sync.script
            ),
        )];
        return output(script, "missing", None, false, None, checks);
    }
    let mut checks = vec![Check::gate(
        "sync.script",
        LAYER,
        Status::Pass,
        &format!("sync script `{}` found", sync.script),
    )];
    let quote = sync
        .output_tail
        .as_deref()
        .and_then(last_line)
        .map(|line| format!("; last output: {line}"))
        .unwrap_or_default();
    let (status, run_status, message) = if !sync.ran {
        (
            "failed",
            Status::Fail,
            format!("sync script `{}` could not be started{quote}", sync.script),
        )
    } else if sync.timed_out {
        let after = sync
            .timeout_s
            .map(|s| format!(" after {s} s"))
            .unwrap_or_default();
        (
            "failed",
            Status::Fail,
            format!("sync script `{}` timed out{after}{quote}", sync.script),
        )
    } else {
        match sync.exit_code {
            Some(0) => (
                "passed",
                Status::Pass,
                format!("sync script `{}` exited with code 0", sync.script),
            ),
            Some(code) => (
                "failed",
                Status::Fail,
                format!(
                    "sync script `{}` exited with code {code}{quote}",
                    sync.script
                ),
            ),
            None => (
                "failed",
                Status::Fail,
                format!(
                    "sync script `{}` ended without an exit code (killed by a signal){quote}",
                    sync.script
                ),
            ),
        }
    };
    checks.push(Check::gate("sync.run", LAYER, run_status, &message));
    output(
        script,
        status,
        sync.exit_code,
        sync.ran && sync.timed_out,
        sync.output_tail.clone(),
        checks,
    )
}

fn output(
    script: Value,
    status: &str,
    exit_code: Option<i64>,
    timed_out: bool,
    output_tail: Option<String>,
    checks: Vec<Check>,
) -> Output {
    let section = json!({
        "sync_script": script,
        "validation_checks": checks.iter().map(Check::to_json).collect::<Vec<_>>(),
        "block_on_failure": true,
        "status": status,
        "exit_code": exit_code,
        "timed_out": timed_out,
        "output_tail": output_tail,
    });
    let mut keys = Map::new();
    keys.insert(KEY.into(), section);
    Output { keys, checks }
}

plan_kit::phase_component!(PreSync);

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(sync: Value) -> Value {
        json!({"job": {"script": "train.py"}, "workers": [], "sync": sync})
    }

    fn ran(exit_code: Value, timed_out: bool, tail: &str) -> Value {
        json!({"script": "scripts/sync.sh", "found": true, "ran": true, "exit_code": exit_code,
               "timed_out": timed_out, "timeout_s": 300, "duration_s": 1.2, "output_tail": tail})
    }

    fn run_on(facts: &Value) -> Output {
        run(&facts.to_string(), "{}").expect("valid facts")
    }

    fn statuses(out: &Output) -> Vec<(&str, Status, bool)> {
        out.checks
            .iter()
            .map(|c| (c.id.as_str(), c.status, c.blocking))
            .collect()
    }

    #[test]
    fn not_configured_is_one_skip() {
        for f in [facts(Value::Null), json!({"job": {}})] {
            let out = run_on(&f);
            assert_eq!(statuses(&out), [("sync.script", Status::Skip, false)]);
            let section = &out.keys[KEY];
            assert_eq!(section["status"], "skipped");
            assert_eq!(section["sync_script"], Value::Null);
            assert_eq!(section["block_on_failure"], true);
            assert_eq!(section["exit_code"], Value::Null);
            assert_eq!(section["timed_out"], false);
            assert_eq!(section["validation_checks"][0]["status"], "skip");
            assert!(out.checks[0].message.contains("no sync script"));
        }
    }

    #[test]
    fn configured_but_not_found_warns_without_blocking() {
        let out = run_on(&facts(json!({"script": "scripts/sync.sh", "found": false,
                                       "ran": false, "exit_code": null, "timed_out": false})));
        assert_eq!(statuses(&out), [("sync.script", Status::Warn, false)]);
        assert_eq!(out.keys[KEY]["status"], "missing");
        assert_eq!(out.keys[KEY]["sync_script"], "scripts/sync.sh");
        assert_eq!(
            out.checks[0].message,
            "sync script `scripts/sync.sh` not found: workers were not synced before the launch"
        );
        // The host may leave out what cannot apply to a missing script.
        let out = run_on(&facts(json!({"script": "s.sh", "found": false})));
        assert_eq!(out.keys[KEY]["status"], "missing");
    }

    #[test]
    fn exit_zero_passes() {
        let out = run_on(&facts(ran(json!(0), false, "synced 3 workers\n")));
        assert_eq!(
            statuses(&out),
            [
                ("sync.script", Status::Pass, true),
                ("sync.run", Status::Pass, true)
            ]
        );
        let section = &out.keys[KEY];
        assert_eq!(section["status"], "passed");
        assert_eq!(section["exit_code"], 0);
        assert_eq!(section["output_tail"], "synced 3 workers\n");
        assert_eq!(
            section["validation_checks"].as_array().map(Vec::len),
            Some(2)
        );
    }

    #[test]
    fn non_zero_exit_fails_and_blocks_quoting_the_last_line() {
        let out = run_on(&facts(ran(
            json!(2),
            false,
            "rsync: connecting\nerror: host down\n\n",
        )));
        assert_eq!(
            statuses(&out),
            [
                ("sync.script", Status::Pass, true),
                ("sync.run", Status::Fail, true)
            ]
        );
        assert!(out.checks[1].blocks());
        assert_eq!(
            out.checks[1].message,
            "sync script `scripts/sync.sh` exited with code 2; last output: error: host down"
        );
        assert_eq!(out.keys[KEY]["status"], "failed");
        assert_eq!(out.keys[KEY]["exit_code"], 2);
    }

    #[test]
    fn timeout_fails_and_blocks() {
        let out = run_on(&facts(ran(Value::Null, true, "")));
        assert_eq!(out.checks[1].status, Status::Fail);
        assert!(out.checks[1].blocking);
        assert_eq!(
            out.checks[1].message,
            "sync script `scripts/sync.sh` timed out after 300 s"
        );
        assert_eq!(out.keys[KEY]["timed_out"], true);
        assert_eq!(out.keys[KEY]["status"], "failed");
    }

    #[test]
    fn killed_or_not_started_fails() {
        let out = run_on(&facts(ran(Value::Null, false, "")));
        assert_eq!(out.checks[1].status, Status::Fail);
        assert!(out.checks[1].message.contains("killed by a signal"));
        let out = run_on(&facts(
            json!({"script": "s.sh", "found": true, "ran": false,
                                       "exit_code": null, "timed_out": false}),
        ));
        assert_eq!(out.checks[1].status, Status::Fail);
        assert_eq!(
            out.checks[1].message,
            "sync script `s.sh` could not be started"
        );
        assert_eq!(out.keys[KEY]["status"], "failed");
    }

    #[test]
    fn quotes_are_one_line_and_short() {
        assert_eq!(last_line("a\nb\n  \n"), Some("b".into()));
        assert_eq!(last_line("\n \n"), None);
        let long = "x".repeat(500);
        let quoted = last_line(&long).expect("a line");
        assert_eq!(quoted.chars().count(), QUOTE_MAX_CHARS + 1);
        let out = run_on(&facts(ran(json!(1), false, "bad \u{1b}[31mred\u{1b}[0m")));
        assert!(
            !out.checks[1].message.contains('\u{1b}'),
            "{}",
            out.checks[1].message
        );
    }

    #[test]
    fn invalid_facts_name_the_fact() {
        let cases = [
            (json!("yes"), "fact `sync` must be an object, found \"yes\""),
            (json!({"script": "s.sh"}), "missing fact `sync.found`"),
            (
                json!({"script": "s.sh", "found": true}),
                "missing fact `sync.ran`",
            ),
            (json!({"found": false}), "missing fact `sync.script`"),
            (
                json!({"script": "s.sh", "found": true, "ran": true, "exit_code": "0"}),
                "fact `sync.exit_code` must be an integer, found \"0\"",
            ),
        ];
        for (sync, message) in cases {
            assert_eq!(
                run(&facts(sync).to_string(), "{}"),
                Err(InvalidInput(message.into()))
            );
        }
    }
}
