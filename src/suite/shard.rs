//! A shard that ran: its result file, its exit code and its one-line
//! summary, as `run` (one shard in CI) and `test` (every shard here) share
//! them.

use crate::error::exit;
use crate::suite::exec::ShardOutcome;
use crate::suite::fold::FinalOutcome;
use crate::suite::result::{FORMAT, ShardResult};

/// Whether a flaky test (failed, then passed on a retry) fails the shard.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FlakyPolicy {
    Pass,
    Fail,
}

/// 0 when every test passed (flaky ones too, unless `--flaky fail`); 1 on
/// any failed test or shard error.
pub fn exit_code(outcome: &ShardOutcome, flaky: FlakyPolicy) -> u8 {
    let failed = outcome.tests.iter().any(|t| match t.outcome {
        FinalOutcome::Failed => true,
        FinalOutcome::Flaky => flaky == FlakyPolicy::Fail,
        _ => false,
    });
    if outcome.error.is_some() || failed {
        exit::FAILED
    } else {
        exit::SUCCESS
    }
}

pub fn shard_result(
    plan_sha256: String,
    shard: usize,
    total: usize,
    runner: &str,
    outcome: ShardOutcome,
) -> ShardResult {
    let cpu_share = runner_share(&outcome);
    ShardResult {
        format: FORMAT.into(),
        plan_sha256,
        shard,
        total,
        runner: runner.into(),
        items: outcome.items,
        tests: outcome.tests,
        counts: outcome.counts,
        error: outcome.error,
        duration_seconds: outcome.duration.as_secs_f64(),
        cpu_seconds: outcome.cpu.map(|c| c.as_secs_f64()),
        cpu_share,
        processes: Some(outcome.processes),
        files_running_seconds: outcome.files_running.map(|d| d.as_secs_f64()),
        workers: None,
        command: None,
    }
}

/// The share of a core the runner's own process had while ready to run,
/// when that process did most of the shard's CPU work: a runner whose
/// workers do the work (node's files in processes of their own) mostly
/// waits for them, and its share says nothing of theirs.
fn runner_share(outcome: &ShardOutcome) -> Option<f64> {
    let schedule = outcome.schedule?;
    let cpu = outcome.cpu?;
    (schedule.running.as_secs_f64() >= 0.5 * cpu.as_secs_f64())
        .then(|| schedule.share())
        .flatten()
}

/// `shard 2/4: 31 tests, 30 passed, 1 failed, 2 flaky in 12.3 s`, loudly
/// naming flaky tests (they pass by default, and shouldn't pass silently).
pub fn one_line(result: &ShardResult) -> String {
    let count = |o: FinalOutcome| result.tests.iter().filter(|t| t.outcome == o).count();
    let mut line = format!(
        "shard {}/{}: {}, {} passed, {} failed, {} flaky in {:.1} s",
        result.shard,
        result.total,
        crate::suite::render::tests_count(result.tests.len() as u64),
        count(FinalOutcome::Passed),
        count(FinalOutcome::Failed),
        count(FinalOutcome::Flaky),
        result.duration_seconds
    );
    for test in result
        .tests
        .iter()
        .filter(|t| t.outcome == FinalOutcome::Flaky)
    {
        line.push_str(&format!(
            "\n  FLAKY: {} (passed after {} attempts)",
            crate::escape::control_chars(&crate::suite::render::display_name(test)),
            test.attempts
        ));
    }
    if let Some(error) = &result.error {
        line.push_str(&format!(
            "\n  shard error ({}): {}",
            error.kind,
            crate::escape::control_chars(&error.message)
        ));
    }
    line
}
