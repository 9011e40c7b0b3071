//! Publishing a merged run to GitHub, for `report` and `test`: when to
//! publish, the check run and the PR comment with the run's cost and the
//! month's budget, and what a failure to publish means (a warning, or exit 3
//! with `--strict-report`). Local outputs are the caller's and come first.

use std::io::Write as _;

use crate::cli::{GithubArgs, GlobalArgs};
use crate::error::ResultExt as _;
use crate::github::client::{Client, RetryPolicy};
use crate::github::comment::CommentMode;
use crate::github::context::Context;
use crate::github::cost::{self, BudgetCheck, PriceTable};
use crate::github::fixes::Fixes;
use crate::github::markdown::{Report, billed_minutes};
use crate::github::workflow_commands;
use crate::suite::merge::Merged;
use crate::triage::group::Groups;

/// Where a run is published: the context and the token.
pub struct Target {
    context: Context,
    token: String,
    /// `--triage`: the fixes the comment suggests.
    fixes: Option<Fixes>,
}

/// The GitHub context and token when the run is published to GitHub:
/// `--github`, or GITHUB_ACTIONS=true with a token; never with
/// `--no-github`. A bad context (event payload, variables) is an input
/// error, found before anything is written.
pub fn target(args: &GithubArgs) -> anyhow::Result<Option<Target>> {
    // A bad triage document is bad input, published or not.
    let fixes = args.triage.as_deref().map(Fixes::read).transpose()?;
    if args.no_github {
        return Ok(None);
    }
    super::budget(args.budget_usd)?;
    let token = crate::github::client::token(None);
    let actions = crate::github::context::in_actions();
    let wanted = args.github || (actions && token.is_some());
    if !wanted {
        return Ok(None);
    }
    let context = Context::from_env(args.pr).classified()?;
    match token {
        Some(token) => Ok(Some(Target {
            context,
            token,
            fixes,
        })),
        None => {
            failure(
                args,
                "--github: GITHUB_TOKEN is not set; nothing is published",
            )?;
            Ok(None)
        }
    }
}

/// When publishing, the merged results as one JUnit file (`--results-out`):
/// what a `workflow_run` workflow reports from when this token cannot
/// write. A local output, written before any network call.
pub fn write_results_file(
    target: Option<&Target>,
    args: &GithubArgs,
    merged: &Merged,
) -> anyhow::Result<()> {
    if target.is_some() {
        crate::output::write_atomic(
            &args.results_out,
            crate::suite::junit_write::junit(merged).as_bytes(),
        )?;
    }
    Ok(())
}

/// Publishes the check run and the PR comment, and says what happened: a
/// read-only token is one notice; any other failure a warning (an error
/// with `--strict-report`).
pub fn publish(
    global: &GlobalArgs,
    target: &Target,
    merged: &Merged,
    groups: &Groups<'_>,
    phases: &crate::pipeline::Outcome,
    args: &GithubArgs,
) -> anyhow::Result<()> {
    use crate::github::publish::{READ_ONLY_NOTICE, Settings, publish};
    let Target {
        context,
        token,
        fixes,
    } = target;
    let prices = match super::config(global) {
        Ok(config) => config.prices,
        Err(err) => {
            tracing::warn!("no price table from pitcrew.toml ({err:#}): GitHub's prices are used");
            PriceTable::default()
        }
    };
    // The cost line goes into the comment and the check run: without
    // either, no API call for it.
    let publishes = args.comment != CommentMode::Off || !args.no_check_run;
    let mut lines: Vec<String> = run_cost(
        context,
        publishes.then_some(token.as_str()),
        merged,
        &prices,
    )
    .into_iter()
    .collect();
    if let Some(budget) = args.budget_usd {
        match budget_check(context, token, &prices, budget) {
            Ok((check, month, workflow)) => {
                lines.push(check.comment_line(&month));
                if let Some(annotation) = check.annotation(&workflow, &month) {
                    print_stdout(&format!("{annotation}\n"))?;
                }
            }
            Err(err) => tracing::warn!("no budget estimate: {err:#}"),
        }
    }
    let settings = Settings {
        comment: args.comment,
        check_name: args.check_name.clone(),
        check_run: !args.no_check_run,
    };
    // Every name and message is redacted before it is escaped into
    // Markdown: escaped, a secret no longer looks like one.
    let published = crate::github::client::redactor(token).redacting(|| {
        let report = Report {
            merged,
            groups,
            run_url: context.run_url(),
            cost_line: (!lines.is_empty()).then(|| lines.join("\n\n")),
            phases: crate::suite::phases::markdown(phases),
            blocked: phases.blocked(),
            fixes: fixes.as_ref(),
        };
        publish(context, token, &report, &settings)
    });
    let published = match published {
        Ok(published) => published,
        Err(err) => return failure(args, &format!("publishing to GitHub: {err}")),
    };
    if published.read_only {
        tracing::warn!("{READ_ONLY_NOTICE}");
        if context.actions {
            print_stdout(&workflow_commands::warning("pitcrew", READ_ONLY_NOTICE))?;
        }
    }
    if let Some((id, annotations)) = published.check_run {
        tracing::info!("check run {id} with {annotations} annotations");
    }
    if let Some(outcome) = &published.comment {
        tracing::info!("PR comment: {outcome:?}");
    }
    if let Some(review) = &published.review {
        tracing::info!(
            "review suggestions: {} posted, {} already on the pull request",
            review.posted,
            review.already
        );
    }
    let mut errors: Vec<String> = published.errors.iter().map(ToString::to_string).collect();
    // A token that could write nothing has had its one notice.
    if let Some(err) = published
        .review_refused
        .as_ref()
        .filter(|_| !published.read_only)
    {
        errors.push(format!(
            "{err}: the token cannot write pull request reviews (a fork's pull request, or no \
             `pull-requests: write`), so the verified fixes are diffs in the comment, not review suggestions"
        ));
    }
    if errors.is_empty() {
        Ok(())
    } else {
        failure(
            args,
            &format!("publishing to GitHub: {}", errors.join("; ")),
        )
    }
}

/// The run's estimated cost: its finished jobs from the jobs API, each
/// priced by its runner labels; else (no run id, a `workflow_run` report of
/// another run, an API failure) the shards' billed minutes at the price of
/// `[cost] runner`, or of the standard runner of this job's OS.
fn run_cost(
    context: &Context,
    token: Option<&str>,
    merged: &Merged,
    prices: &PriceTable,
) -> Option<String> {
    let reports_itself = context.event_name.as_deref() != Some("workflow_run");
    if let (Some(run), Some(token), true) = (context.run_id, token, reports_itself) {
        let repo = context.repo.to_string();
        let estimate = Client::new(context, token, RetryPolicy::from_env())
            .and_then(|client| cost::run_estimate(&client, &repo, run, prices));
        match estimate {
            Ok(estimate) if estimate.minutes > 0 => return Some(estimate.comment_line()),
            Ok(_) => {}
            Err(err) => tracing::info!(
                "this run's jobs are unavailable ({err}): the shards' minutes are priced instead"
            ),
        }
    }
    shard_cost(
        billed_minutes(merged),
        prices,
        std::env::var("RUNNER_OS").ok().as_deref(),
    )
}

/// `minutes` of shard jobs at the price of `[cost] runner`, else of the
/// standard runner of `runner_os` (RUNNER_OS).
fn shard_cost(minutes: u64, prices: &PriceTable, runner_os: Option<&str>) -> Option<String> {
    if minutes == 0 {
        return None;
    }
    let labels = match prices.runner() {
        [] => vec![
            match runner_os {
                Some("Windows") => "windows-latest",
                Some("macOS") => "macos-latest",
                _ => "ubuntu-latest",
            }
            .to_owned(),
        ],
        configured => configured.to_vec(),
    };
    let (sku, usd) = prices.price(&labels);
    Some(format!(
        "Estimated cost: ${:.2} ({minutes} min × ${usd}/min, {} runners; prices from `[cost]` in pitcrew.toml or GitHub's list)",
        minutes as f64 * usd,
        crate::escape::markdown_inline(&sku)
    ))
}

/// The month-to-date spend of this workflow against `budget` (runs and
/// jobs API), with the month and the workflow's name.
fn budget_check(
    context: &Context,
    token: &str,
    prices: &PriceTable,
    budget: f64,
) -> anyhow::Result<(BudgetCheck, String, String)> {
    let client = Client::new(context, token, RetryPolicy::from_env())?;
    let workflow = std::env::var("GITHUB_WORKFLOW_REF")
        .ok()
        .as_deref()
        .and_then(crate::github::history::workflow_file);
    let month = cost::current_month();
    let repo = context.repo.to_string();
    let estimate = cost::month_estimate(&client, &repo, workflow.as_deref(), &month, prices)?;
    let name = workflow.unwrap_or(repo);
    Ok((BudgetCheck::new(estimate.usd, budget), month, name))
}

/// A publishing failure: a warning, or with `--strict-report` an error.
fn failure(args: &GithubArgs, message: &str) -> anyhow::Result<()> {
    if args.strict_report {
        anyhow::bail!("{message} (--strict-report)");
    }
    tracing::warn!("{message}; the exit code stays the tests' outcome");
    Ok(())
}

fn print_stdout(text: &str) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())?;
    out.flush()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::github::cost::PriceOverrides;

    #[test]
    fn shard_minutes_are_priced_at_the_configured_runner_else_the_os_standard() {
        let mut prices = PriceTable::default();
        let line = shard_cost(10, &prices, Some("Windows")).unwrap();
        assert!(
            line.starts_with("Estimated cost: $0.10 (10 min × $0.01/min, windows runners"),
            "{line}"
        );
        assert_eq!(shard_cost(0, &prices, None), None);
        let overrides = PriceOverrides {
            runner: vec!["ubuntu-latest-16-cores".into()],
            ..PriceOverrides::default()
        };
        prices.apply(&overrides, "cost").unwrap();
        let line = shard_cost(10, &prices, Some("Windows")).unwrap();
        assert!(
            line.starts_with(
                "Estimated cost: $0.42 (10 min × $0.042/min, linux\\_16\\_core runners"
            ),
            "{line}"
        );
    }
}
