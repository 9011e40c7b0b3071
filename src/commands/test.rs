//! `pitcrew test -- CMD…`: the whole distributed flow on one machine.
//! Split by the local timing history, run the shards as parallel processes
//! with a progress line each, merge with integrity, report, and remember
//! the timings so the next split balances better.

use std::path::Path;

use super::{
    check_plugin_settings, clear_go_coverage_parts, merge_go_coverage, planning, publishing,
    root_causes, test_phases, timeout, write_users_json, write_users_junit,
};
use crate::cli::{GlobalArgs, TestArgs};
use crate::error::ResultExt as _;
use crate::hash::sha256_hex;
use crate::output::write_atomic;
use crate::suite::executor::{self, Local, Ran};
use crate::suite::junit_write;
use crate::suite::merge::{self, Inputs};
use crate::suite::planning as suite;
use crate::suite::publish::{Format, publish};
use crate::suite::result::ShardResult;
use crate::suite::timings::{RunObservation, Timings};

pub fn run(global: &GlobalArgs, args: &TestArgs) -> anyhow::Result<u8> {
    let runner = suite::runner(args.suite.runner.as_deref(), &args.command).map_err(planning)?;
    let timeout = timeout(&args.retry)?;
    let jobs = match args.jobs {
        Some(0) => return Err(crate::InputError::new("--jobs: must be at least 1").into()),
        Some(j) => j,
        None => std::thread::available_parallelism().map_or(2, |n| n.get()),
    };
    let jobs = match runner.shares_a_folder(&args.command) {
        Some(why) if jobs > 1 => {
            tracing::warn!("shards run one at a time: {why}");
            1
        }
        _ => jobs,
    };
    // Bad GitHub context is bad input: exit 2 before anything runs.
    let github = publishing::target(&args.publishing)?;
    // Either reads the configuration, and with it its secret variables.
    if !args.no_triage {
        check_plugin_settings(global)?;
    } else {
        super::note_secret_names(global);
    }
    let root = args.suite.root.as_path();
    let state = root.join(".pitcrew");
    let history_path = state.join("timings.json");
    let history = Timings::load(&history_path).classified()?;
    let mut history = crate::github::history::or_last_run(history, &args.history_artifact);
    let count = suite::whole_files_for(runner, &args.command, (&args.count).into());
    let sources: suite::Sources = (&args.suite).into();
    let discovered = suite::discovered(runner, &args.command, &sources, &count, &history, jobs);
    let (mut plan, command, workers) = match discovered {
        Some(discovered) => discovered,
        None => match suite::files(sources.clone(), Some(runner), &args.command) {
            // Nothing to split: the build's errors are the run's results.
            Err(suite::PlanningError::BuildFailed(why)) => (
                suite::build_failed(runner, &why),
                args.command.clone(),
                None,
            ),
            Err(suite::PlanningError::ListingFailed(why))
                if let Some(unlisted) =
                    suite::unlisted(runner, &args.command, &sources, &count, jobs, &why) =>
            {
                unlisted
            }
            listing => {
                let listing = listing.map_err(planning)?;
                let files = listing.files;
                let deleted = history.forget_missing(&files, |f| root.join(f).exists());
                if let Some(warning) = deleted.warning("deleted or renamed files") {
                    tracing::warn!("{warning}");
                }
                let items = history.estimate(&files);
                // Without --shards (or with `auto`): as many shards as pay
                // for their runner's start-up. A number given is the count.
                let chosen = count.shards.as_deref().is_some_and(|s| s != "auto");
                let fallback = match chosen {
                    true => None,
                    false => Some(
                        suite::local_shards(&items, &history, runner, jobs).map_err(planning)?,
                    ),
                };
                let selected = suite::only_listed(&history, listing.tests.as_ref(), Some(runner));
                let plan =
                    suite::plan_file(&items, &selected, Some(runner), count.clone(), fallback)
                        .map_err(planning)?;
                suite::with_local_pool(plan, &items, &history, runner, &args.command, &count)
                    .map_err(planning)?
            }
        },
    };
    let changes = crate::github::changes::for_ordering(&args.changed)?;
    let start_order = crate::suite::changed::order_plan(&mut plan, changes.as_ref());
    let plan_json = crate::json::to_string_pretty(&plan)?;
    write_atomic(&state.join("plan.json"), plan_json.as_bytes())?;
    let plan_sha256 = sha256_hex(plan_json.as_bytes());
    clear_go_coverage_parts(runner, &args.command, root);
    let side_by_side = jobs > 1 && plan.plan.shards.len() > 1;
    super::forget_earlier_outputs(&[
        &root.join("pitcrew-results.json"),
        &root.join("pitcrew-report.md"),
    ])?;
    // A failed shard is a failed test or an integrity problem: the verdict's.
    let started = std::time::Instant::now();
    let Ran {
        results,
        observed,
        user_junit,
        jest_results,
        problems,
        ..
    } = executor::run(&Local {
        runner,
        command: &command,
        workers,
        plan: &plan,
        plan_sha256: &plan_sha256,
        retries: super::retries(&args.retry, runner, &command),
        timeout,
        flaky: args.retry.flaky.into(),
        jobs,
        root,
        logs: &state.join("logs"),
        start_order: &start_order,
    })?;
    let wall_seconds = started.elapsed().as_secs_f64();
    for (origin, result) in &results {
        write_atomic(
            &root.join(origin),
            crate::json::to_string_pretty(result)?.as_bytes(),
        )?;
    }
    if runner.name() == "pytest" {
        let shards: Vec<(usize, &[_])> = results
            .iter()
            .map(|(_, r)| (r.shard, r.tests.as_slice()))
            .collect();
        super::rewrite_pytest_record(runner, root, &args.command, side_by_side, &shards);
    }
    let narrowed = runner.narrows_tests(&args.command);
    remember_timings(
        &history_path,
        history,
        &results,
        &observed,
        narrowed,
        runner,
    )?;
    if plan.discovered {
        remember_found_files(runner, &args.command, root, &results);
    }

    let inputs = Inputs {
        shards: results,
        ..Inputs::default()
    };
    let mut merged = merge::merge(inputs, Some((&plan, &plan_sha256)));
    (merged.runner, merged.command) = (Some(runner.name().into()), Some(args.command.clone()));
    merged.wall_seconds = Some(wall_seconds);
    merged.problems.extend(problems);
    // Groups the change touched rank higher: the changes ordered by, else
    // in a pull request those since its base branch.
    let changes = changes.or_else(|| {
        (!args.no_triage)
            .then(|| crate::triage::changes::in_pull_request(std::path::Path::new(".")))
            .flatten()
    });
    let groups = match args.no_triage {
        true => crate::triage::group::Groups::untriaged(&merged),
        false => root_causes(global, &merged, changes.as_ref()),
    };
    let changed = changes.map(|c| c.paths().map(String::from).collect());
    let phases = test_phases(global, &merged, args.retry.flaky.into(), changed)?;
    write_atomic(
        &root.join("pitcrew-results.json"),
        crate::json::to_string_pretty(&merged)?.as_bytes(),
    )?;
    merge_go_coverage(runner, &args.command, root);
    // Likewise Jest's record of each file's last result (--onlyFailures).
    if side_by_side
        && let Err(e) = crate::suite::jest_results::write_after(&jest_results, root, &merged.tests)
    {
        tracing::warn!("jest's record of failed files (--onlyFailures) is one shard's: {e}");
    }
    // Each shard's pytest wrote the user's report over the last one's.
    write_users_junit(
        runner,
        &args.command,
        root,
        &user_junit,
        &junit_write::junit(&merged),
    )?;
    write_users_json(
        runner,
        &args.command,
        root,
        &merged.tests,
        phases.exit_code() == 0,
    )?;
    publishing::write_results_file(github.as_ref(), &args.publishing, &merged)?;
    publish(
        &merged,
        &groups,
        &phases.outcome,
        Format::Terminal,
        Some(&root.join("pitcrew-report.md")),
    )?;
    // Every local output is written: only now the network.
    if let Some(target) = github {
        publishing::publish(
            global,
            &target,
            &merged,
            &groups,
            &phases.outcome,
            &args.publishing,
        )?;
    }
    Ok(phases.exit_code())
}

/// This run's costs replace the history's, file by file, and measure the
/// runner's start-up against the runs before it (see
/// [`Timings::from_run_after`]). A run of only some tests of its files
/// (`narrowed`: `-k`, `--lf`, a name pattern) adds to the history and
/// replaces nothing of the whole ([`Timings::update_narrowed`]); the tests
/// it left out are not gone.
fn remember_timings(
    path: &Path,
    mut history: Timings,
    results: &[(String, ShardResult)],
    observed: &RunObservation,
    narrowed: bool,
    runner: &dyn crate::suite::runners::Runner,
) -> anyhow::Result<()> {
    let fresh = Timings::from_run_after(results.iter().map(|(_, r)| r), Some(observed), &history);
    if narrowed {
        history.update_narrowed(fresh);
        return history.save(path);
    }
    // In a file where a test hung, a test with no result may be one the
    // hang hid, not one deleted: said so, not "no longer exists".
    let hung: std::collections::BTreeSet<&str> = results
        .iter()
        .flat_map(|(_, r)| &r.tests)
        .filter(|t| crate::suite::exec::is_timed_out_test(t))
        .filter_map(|t| t.key.file.as_deref())
        .collect();
    // A test whose id is the runner's numbering (pytest's `expected18`)
    // may come back under another number: renumbered, not gone.
    let steady = |file: &str, test: &crate::suite::timings::TestTiming| {
        runner.steady_id(&crate::suite::runners::TestRef {
            file: Some(file.to_owned()),
            classname: test.classname.clone(),
            name: test.name.clone(),
        })
    };
    let gone = history.gone_tests_where(&fresh, |file, test| {
        !hung.contains(file) && steady(file, test)
    });
    if let Some(warning) = gone.warning("deleted or renamed in") {
        tracing::warn!("{warning}");
    }
    // A test with subtests around the hung one was running, not hidden.
    let around_hangs: std::collections::BTreeSet<(&str, String, &str)> = results
        .iter()
        .flat_map(|(_, r)| &r.tests)
        .filter(|t| crate::suite::exec::is_timed_out_test(t))
        .flat_map(|t| {
            let file = t.key.file.as_deref().unwrap_or_default();
            crate::suite::runners::events::ancestors(&t.key.classname)
                .map(move |(parent, name)| (file, parent, name))
        })
        .collect();
    let unrun = history.gone_tests_where(&fresh, |file, test| {
        hung.contains(file)
            && !around_hangs.contains(&(file, test.classname.clone(), test.name.as_str()))
    });
    if let Some(warning) = unrun.behind_hang_warning() {
        tracing::warn!("{warning}");
    }
    history.update(fresh);
    history.save(path)
}

/// After a run that found its own files ([`suite::discovered`]): the files
/// that reported, as the listing's kept answer, when every file it found
/// reported (no shard error, no file named as never ran). The next run
/// then plans from them without asking the runner again.
fn remember_found_files(
    runner: &dyn crate::suite::runners::Runner,
    command: &[String],
    root: &Path,
    results: &[(String, ShardResult)],
) {
    let never_ran = |r: &ShardResult| r.tests.iter().any(crate::suite::exec::is_never_ran_test);
    if results
        .iter()
        .any(|(_, r)| r.error.is_some() || never_ran(r))
    {
        return;
    }
    let files: Vec<String> = results
        .iter()
        .flat_map(|(_, r)| r.items.iter().map(|i| i.id.clone()))
        .filter(|id| !id.is_empty())
        .collect();
    crate::suite::collect::remember(runner, command, root, &files);
}
