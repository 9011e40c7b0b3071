//! `pitcrew split`: a shard plan from the test files and their timings.

use std::io::Write as _;

use serde_json::json;

use super::planning;
use crate::cli::{GlobalArgs, SplitArgs, SplitFormat};
use crate::error::exit;
use crate::output::write_atomic;
use crate::suite::plan::PlanFile;
use crate::suite::planning as suite;

/// A job output holds at most 1 MB; above that the matrix carries only
/// shard indices and jobs read their items from the plan file.
const MAX_JOB_OUTPUT: usize = 1_000_000;

pub fn run(_global: &GlobalArgs, args: &SplitArgs) -> anyhow::Result<u8> {
    let runner = match (&args.suite.runner, args.command.is_empty()) {
        (None, true) => None,
        (name, _) => Some(suite::runner(name.as_deref(), &args.command).map_err(planning)?),
    };
    let mut plan = match (suite::files(&args.suite, runner, &args.command), runner) {
        // Nothing to split: one job runs the suite, and its failed build
        // is that job's results.
        (Err(suite::PlanningError::BuildFailed(why)), Some(runner)) => {
            suite::build_failed(runner, &why)
        }
        (listing, _) => {
            let listing = listing.map_err(planning)?;
            let files = listing.files;
            let timings = suite::timings(&args.timings).map_err(planning)?;
            let mut timings = crate::github::history::or_last_run(timings, &args.history_artifact);
            // As `test` says: the history's files that are gone, once.
            let deleted = timings.forget_missing(&files, |f| std::path::Path::new(f).exists());
            if let Some(warning) = deleted.warning("deleted or renamed files") {
                tracing::warn!("{warning}");
            }
            let items = timings.estimate(&files);
            let count = match runner {
                Some(runner) => suite::whole_files_for(runner, &args.command, (&args.count).into()),
                None => (&args.count).into(),
            };
            let selected = suite::only_listed(&timings, listing.tests.as_ref(), runner);
            suite::plan_file(&items, &selected, runner, count, None).map_err(planning)?
        }
    };
    let changes = crate::github::changes::for_ordering(&args.changed)?;
    crate::suite::changed::order_plan(&mut plan, changes.as_ref());
    plan.checkout = crate::suite::checkout::current(std::path::Path::new("."));
    let plan_json = crate::json::to_string_pretty(&plan)?;
    if let Some(path) = &args.output {
        write_atomic(path, plan_json.as_bytes())?;
    }
    let mut out = std::io::stdout().lock();
    match args.format {
        SplitFormat::Json => writeln!(out, "{plan_json}")?,
        SplitFormat::Matrix => writeln!(out, "{}", matrix(&plan))?,
    }
    Ok(exit::SUCCESS)
}

/// `{"include":[{"shard":1,"total":N,"items":"a b"},…]}`, or without the
/// items when they would not fit in a job output.
///
/// Item names are the project's file names, which a pull request controls:
/// written through [`crate::json`], whose escapes GitHub's `fromJSON`
/// reads back as the same names.
pub fn matrix(plan: &PlanFile) -> String {
    let total = plan.plan.shards.len();
    let line = |value: serde_json::Value| crate::json::to_string(&value).unwrap_or_default();
    let with_items = line(json!({
        "include": plan.plan.shards.iter().map(|s| json!({
            "shard": s.index, "total": total, "items": s.items.join(" "),
        })).collect::<Vec<_>>()
    }));
    if with_items.len() <= MAX_JOB_OUTPUT {
        return with_items;
    }
    line(json!({
        "include": plan.plan.shards.iter().map(|s| json!({"shard": s.index, "total": total})).collect::<Vec<_>>()
    }))
}
