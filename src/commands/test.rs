//! `pitcrew test -- CMD…`: the whole distributed flow on one machine.
//! Split by the local timing history, run the shards as parallel processes
//! with a progress line each, merge with integrity, report, and remember
//! the timings so the next split balances better.

use std::io::IsTerminal as _;
use std::path::Path;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::report::{by_category, publish, verdict};
use super::run::{exit_code, shard_result, timeout};
use super::suite;
use crate::cli::{FlakyPolicy, GlobalArgs, ReportFormat, TestArgs};
use crate::error::{ResultExt as _, exit};
use crate::host::cache::sha256_hex;
use crate::output::write_atomic;
use crate::suite::exec::{self, ShardRun};
use crate::suite::merge::{self, Inputs};
use crate::suite::plan::PlanFile;
use crate::suite::process::Sink;
use crate::suite::result::ShardResult;
use crate::suite::split;
use crate::suite::timings::Timings;

pub fn run(global: &GlobalArgs, args: &TestArgs) -> anyhow::Result<u8> {
    let runner = suite::runner(args.suite.runner.as_deref(), &args.command)?;
    let timeout = timeout(&args.retry)?;
    let jobs = match args.jobs {
        Some(0) => return Err(crate::InputError::new("--jobs: must be at least 1").into()),
        Some(j) => j,
        None => std::thread::available_parallelism().map_or(2, |n| n.get()),
    };
    let root = args.suite.root.as_path();
    let state = root.join(".pitcrew");
    let history_path = state.join("timings.json");
    let files = suite::files(&args.suite, Some(runner), &args.command)?;
    let history = Timings::load(&history_path).classified()?;
    let history = crate::github::history::or_last_run(history, &args.history_artifact);
    let items = history.estimate(&files);
    // Without --shards: as many shards as pay for their runner's start-up.
    let fallback = Some(
        split::worthwhile(&items, jobs, history.startup_of(runner.name()))
            .map_err(|e| crate::InputError::new(e.to_string()))?,
    );
    let mut plan = suite::plan_file(&items, &history, Some(runner), &args.count, fallback)?;
    let changes = crate::github::changes::for_ordering(&args.changed)?;
    let start_order = crate::suite::changed::order_plan(&mut plan, changes.as_ref());
    let plan_json = serde_json::to_string_pretty(&plan)?;
    write_atomic(&state.join("plan.json"), plan_json.as_bytes())?;
    let plan_sha256 = sha256_hex(plan_json.as_bytes());
    std::fs::create_dir_all(state.join("logs"))?;
    let scratch = tempfile::tempdir()?;

    let total = plan.plan.shards.len();
    let progress = Progress::new(&plan);
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<(String, ShardResult)>> = Mutex::new(Vec::new());
    let worst = AtomicUsize::new(exit::SUCCESS as usize);
    std::thread::scope(|scope| {
        for _ in 0..jobs.min(total) {
            scope.spawn(|| {
                loop {
                    let position = next.fetch_add(1, Ordering::SeqCst);
                    let Some(&i) = start_order.get(position) else {
                        break;
                    };
                    let shard = &plan.plan.shards[i];
                    let shard_scratch = scratch.path().join(shard.index.to_string());
                    let log = state
                        .join("logs")
                        .join(format!("shard-{}.log", shard.index));
                    let _ = std::fs::remove_file(&log);
                    if std::fs::create_dir_all(&shard_scratch).is_err() {
                        break;
                    }
                    progress.start(i, shard.items.len());
                    let outcome = exec::run(&ShardRun {
                        runner,
                        base: &args.command,
                        items: &shard.items,
                        split_files: &plan.split_files,
                        retries: args.retry.retries,
                        timeout,
                        dir: root,
                        scratch: &shard_scratch,
                        sink: Sink::File(log),
                    });
                    worst.fetch_max(
                        usize::from(exit_code(&outcome, args.retry.flaky)),
                        Ordering::SeqCst,
                    );
                    let result = shard_result(
                        plan_sha256.clone(),
                        shard.index,
                        total,
                        runner.name(),
                        outcome,
                    );
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
    progress.done();

    let mut results = results.into_inner().unwrap_or_else(|p| p.into_inner());
    results.sort_by_key(|(_, r)| r.shard);
    for (origin, result) in &results {
        write_atomic(
            &root.join(origin),
            serde_json::to_string_pretty(result)?.as_bytes(),
        )?;
    }
    remember_timings(&history_path, history, &results)?;

    let inputs = Inputs {
        shards: results,
        ..Inputs::default()
    };
    let merged = merge::merge(inputs, Some((&plan, &plan_sha256)));
    let groups = by_category(global, &merged);
    write_atomic(
        &root.join("pitcrew-results.json"),
        serde_json::to_string_pretty(&merged)?.as_bytes(),
    )?;
    publish(
        &merged,
        &groups,
        ReportFormat::Terminal,
        Some(&root.join("pitcrew-report.md")),
    )?;
    let flaky_fails = args.retry.flaky == FlakyPolicy::Fail && merged.summary.flaky > 0;
    let code = verdict(&merged).max(worst.load(Ordering::SeqCst) as u8);
    Ok(if flaky_fails { exit::FAILED } else { code })
}

/// This run's costs replace the history's, file by file (see
/// [`Timings::from_shards`]).
fn remember_timings(
    path: &Path,
    mut history: Timings,
    results: &[(String, ShardResult)],
) -> anyhow::Result<()> {
    history.update(Timings::from_shards(results.iter().map(|(_, r)| r)));
    history.save(path)
}

/// One line per shard plus a total, on a terminal; plain lines otherwise.
struct Progress {
    bars: Vec<ProgressBar>,
    total: ProgressBar,
    plain: bool,
}

impl Progress {
    fn new(plan: &PlanFile) -> Self {
        let plain = !std::io::stderr().is_terminal();
        let multi = MultiProgress::with_draw_target(if plain {
            ProgressDrawTarget::hidden()
        } else {
            ProgressDrawTarget::stderr()
        });
        let style = ProgressStyle::with_template("{spinner} {prefix:>10} {wide_msg}")
            .unwrap_or_else(|_| ProgressStyle::default_spinner());
        let count = plan.plan.shards.len();
        let bars = plan
            .plan
            .shards
            .iter()
            .map(|s| {
                let bar = multi.add(ProgressBar::new_spinner().with_style(style.clone()));
                bar.set_prefix(format!("shard {}/{count}", s.index));
                bar.set_message(format!(
                    "waiting ({} items, ~{:.1} s)",
                    s.items.len(),
                    s.estimated_seconds
                ));
                bar
            })
            .collect();
        let total_style =
            ProgressStyle::with_template("{prefix:>12} [{bar:30}] {pos}/{len} shards, {elapsed}")
                .unwrap_or_else(|_| ProgressStyle::default_bar());
        let total =
            multi.add(ProgressBar::new(count as u64).with_style(total_style.progress_chars("=> ")));
        total.set_prefix("total");
        Self { bars, total, plain }
    }

    fn start(&self, i: usize, items: usize) {
        self.bars[i].set_message(format!("running {items} items"));
        self.bars[i].enable_steady_tick(Duration::from_millis(120));
    }

    fn finish(&self, i: usize, result: &ShardResult) {
        let line = super::run::one_line(result);
        let first = line.lines().next().unwrap_or_default();
        self.bars[i].finish_with_message(
            first
                .split_once(": ")
                .map_or(first, |(_, rest)| rest)
                .to_string(),
        );
        self.total.inc(1);
        if self.plain {
            eprintln!("{line}");
        }
    }

    fn done(&self) {
        self.total.finish();
    }
}
