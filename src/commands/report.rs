//! `pitcrew report FILES…`: merge shard results and JUnit files, check
//! integrity, group failures with the classifier, print and publish.

use super::inputs::read_inputs;
use super::{check_plugin_settings, publishing, root_causes, test_phases};
use crate::cli::{GlobalArgs, ReportArgs};
use crate::output::write_atomic;
use crate::suite::junit_write;
use crate::suite::merge::{self, Inputs};
use crate::suite::plan::PlanFile;
use crate::suite::publish::publish;
use crate::suite::timings::Timings;
use crate::triage::group::{self, Groups};

pub fn run(global: &GlobalArgs, args: &ReportArgs) -> anyhow::Result<u8> {
    // Either reads the configuration, and with it its secret variables.
    if !args.no_triage && !args.no_classify {
        check_plugin_settings(global)?;
    } else {
        super::note_secret_names(global);
    }
    let plan = args.plan.as_deref().map(PlanFile::read).transpose()?;
    let read = read_inputs(&args.inputs)?;
    let (inputs, mut problems) = (read.inputs, read.problems);
    // A report of no test at all is never a pass.
    problems.extend(read.empty_reports);
    let timings = args.timings_out.as_ref().map(|_| input_timings(&inputs));
    let mut merged = merge::merge(inputs, plan.as_ref().map(|(p, h)| (p, h.as_str())));
    merged.problems.splice(0..0, problems);
    merged.warnings.splice(0..0, read.skipped);
    // In a pull request, groups the change touched rank higher.
    let changes = match args.no_triage {
        true => None,
        false => crate::triage::changes::in_pull_request(std::path::Path::new(".")),
    };
    let groups = if args.no_triage {
        Groups::untriaged(&merged)
    } else if args.no_classify {
        group::unclassified(&merged, changes.as_ref())
    } else {
        root_causes(global, &merged, changes.as_ref())
    };
    // Bad GitHub context is bad input: exit 2 before anything is written.
    let github = publishing::target(&args.publishing)?;
    let phases = test_phases(
        global,
        &merged,
        args.flaky.into(),
        changes.map(|c| c.paths().map(String::from).collect()),
    )?;
    if let Some(path) = &args.junit {
        write_atomic(path, junit_write::junit(&merged).as_bytes())?;
    }
    if let (Some(path), Some(timings)) = (&args.timings_out, timings) {
        timings.save(path)?;
    }
    publishing::write_results_file(github.as_ref(), &args.publishing, &merged)?;
    publish(
        &merged,
        &groups,
        &phases.outcome,
        args.format,
        args.markdown.as_deref(),
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

/// What the inputs say each file costs: shard results' wall times, and
/// JUnit files' test times where no shard result covers the file.
fn input_timings(inputs: &Inputs) -> Timings {
    let mut timings = Timings::default();
    timings.add_tests(inputs.junit_tests.iter().filter_map(|t| {
        let file = t.key.file.as_deref()?;
        Some((file.strip_prefix("./").unwrap_or(file), t))
    }));
    timings.update(Timings::from_shards(inputs.shards.iter().map(|(_, r)| r)));
    timings
}
