//! The local parallel executor behind `pitcrew test`: the plan's shards
//! run as processes, `jobs` at a time, each with its own log and scratch
//! directory, with a progress line each.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use crate::error::exit;
use crate::process::cpu::IdleMeter;
use crate::process::logged::Sink;
use crate::suite::exec::{self, ShardRun};
use crate::suite::plan::PlanFile;
use crate::suite::progress::Progress;
use crate::suite::result::ShardResult;
use crate::suite::runners::Runner;
use crate::suite::shard::{FlakyPolicy, exit_code, shard_result};
use crate::suite::timings::RunObservation;

/// What to run, and how.
pub struct Local<'a> {
    pub runner: &'static dyn Runner,
    /// The command the shards run: the user's, e.g. `["npx", "jest"]`, or
    /// with the runner's own pool set ([`Local::workers`]).
    pub command: &'a [String],
    /// The runner's own pool size `command` sets, if pitcrew set one.
    pub workers: Option<usize>,
    pub plan: &'a PlanFile,
    /// The sha256 of the plan file, which each shard result carries.
    pub plan_sha256: &'a str,
    pub retries: u32,
    pub timeout: Option<Duration>,
    pub flaky: FlakyPolicy,
    /// How many shards run at once.
    pub jobs: usize,
    /// Where the runner runs (the project).
    pub root: &'a Path,
    /// Where each shard's output goes, `shard-K.log`.
    pub logs: &'a Path,
    /// The order the shards start in (indices into the plan's shards):
    /// with `--changed-first`, those with the most touched tests first.
    pub start_order: &'a [usize],
}

/// The shards' results, by shard, each with the path it is to be saved
/// under (relative to the project), and the worst shard's exit code.
pub struct Ran {
    pub results: Vec<(String, ShardResult)>,
    pub worst_exit: u8,
    /// How long the shards took together, and how busy the machine was.
    pub observed: RunObservation,
    /// The JUnit reports the runner said the user asked for, every shard's.
    pub user_junit: BTreeSet<PathBuf>,
    /// Where Jest keeps each file's last result, which each shard wrote.
    pub jest_results: BTreeSet<PathBuf>,
    /// What the shards' joined outputs fail ([`Runner::join_side_by_side`]).
    pub problems: Vec<String>,
}

/// Runs every shard of the plan. Errors only when the log or scratch
/// directories cannot be made; a shard that fails is in its result.
pub fn run(local: &Local<'_>) -> std::io::Result<Ran> {
    let &Local {
        runner,
        command,
        workers,
        plan,
        plan_sha256,
        retries,
        timeout,
        flaky,
        jobs,
        root,
        logs,
        start_order,
    } = local;
    std::fs::create_dir_all(logs)?;
    // An earlier run with more shards left logs this one would not replace.
    for old in crate::paths::files_starting(&logs.join("shard-")) {
        let _ = std::fs::remove_file(old);
    }
    let scratch = crate::scratch::tempdir()?;

    let total = plan.plan.shards.len();
    // Even one shard can start several runner processes (a split file's
    // parts, retries), each writing its files over the last's.
    runner.clear_side_by_side(root);
    let plan_items = plan.all_items();
    let progress = Progress::new(plan);
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<(String, ShardResult)>> = Mutex::new(Vec::new());
    let user_junit: Mutex<BTreeSet<PathBuf>> = Mutex::new(BTreeSet::new());
    let jest_results: Mutex<BTreeSet<PathBuf>> = Mutex::new(BTreeSet::new());
    let worst = AtomicUsize::new(exit::SUCCESS as usize);
    let idle = IdleMeter::start();
    std::thread::scope(|scope| {
        for _ in 0..jobs.min(total) {
            scope.spawn(|| {
                loop {
                    let position = next.fetch_add(1, Ordering::SeqCst);
                    let Some(&i) = start_order.get(position) else {
                        break;
                    };
                    let Some(shard) = plan.plan.shards.get(i) else {
                        break;
                    };
                    let shard_scratch = scratch.path().join(shard.index.to_string());
                    let log = logs.join(format!("shard-{}.log", shard.index));
                    let _ = std::fs::remove_file(&log);
                    if std::fs::create_dir_all(&shard_scratch).is_err() {
                        break;
                    }
                    progress.start(i, shard.items.len());
                    let mut outcome = exec::run(&ShardRun {
                        runner,
                        base: command,
                        items: &shard.items,
                        split_files: &plan.split_files,
                        plan_items: &plan_items,
                        discover: plan.discovered,
                        retries,
                        timeout,
                        dir: root,
                        scratch: &shard_scratch,
                        sink: Sink::File(log),
                        env: [
                            runner.side_by_side_env(shard.index),
                            runner.run_env(plan_sha256),
                        ]
                        .concat(),
                    });
                    worst.fetch_max(usize::from(exit_code(&outcome, flaky)), Ordering::SeqCst);
                    user_junit
                        .lock()
                        .unwrap_or_else(|p| p.into_inner())
                        .append(&mut outcome.user_junit);
                    jest_results
                        .lock()
                        .unwrap_or_else(|p| p.into_inner())
                        .append(&mut outcome.jest_results);
                    let mut result = shard_result(
                        plan_sha256.to_string(),
                        shard.index,
                        total,
                        runner.name(),
                        outcome,
                    );
                    result.workers = workers.and_then(|w| u32::try_from(w).ok());
                    progress.finish(i, &result);
                    let origin = format!(".pitcrew/results/shard-{}.json", shard.index);
                    results
                        .lock()
                        .unwrap_or_else(|p| p.into_inner())
                        .push((origin, result));
                }
            });
        }
    });
    let observed = RunObservation {
        shards_at_once: jobs.min(total),
        idle_cores: idle.idle_cores(),
        cores_allowed: std::thread::available_parallelism().map_or(1, |n| n.get()) as f64,
    };
    progress.done();
    let problems = runner
        .join_side_by_side(root, command)
        .into_iter()
        .collect();

    let mut results = results.into_inner().unwrap_or_else(|p| p.into_inner());
    results.sort_by_key(|(_, r)| r.shard);
    Ok(Ran {
        results,
        worst_exit: worst.load(Ordering::SeqCst) as u8,
        observed,
        user_junit: user_junit.into_inner().unwrap_or_else(|p| p.into_inner()),
        jest_results: jest_results.into_inner().unwrap_or_else(|p| p.into_inner()),
        problems,
    })
}
