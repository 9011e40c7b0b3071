//! `pitcrew cost`: the month-to-date GitHub Actions spend of a workflow.

use std::io::Write as _;

use serde_json::json;

use crate::InputError;
use crate::cli::{CostArgs, Format, GlobalArgs};
use crate::error::{ResultExt as _, exit};
use crate::github::client::{self, Client, RetryPolicy};
use crate::github::context::Context;
use crate::github::cost::{self, BudgetCheck};
use crate::github::history::workflow_file;
use crate::github::workflow_commands::guarded_in_actions;

pub fn run(global: &GlobalArgs, args: &CostArgs) -> anyhow::Result<u8> {
    let config = super::config(global)?;
    let mut prices = config.prices.clone();
    if let Some(path) = &args.prices {
        prices.apply_file(path).classified()?;
    }
    let month = args.month.clone().unwrap_or_else(cost::current_month);
    if cost::month_bounds(&month).is_none() {
        return Err(InputError::new(format!(
            "--month: `{}` is not a month as YYYY-MM",
            crate::escape::control_chars(&month)
        ))
        .into());
    }
    super::budget(args.budget_usd)?;
    let env = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    let context = Context::from_vars(
        |name| match (name, &args.repo) {
            ("GITHUB_REPOSITORY", Some(repo)) => Some(repo.clone()),
            _ => env(name),
        },
        None,
    )
    .map_err(|e| match &args.repo {
        None => InputError::new(format!("--repo: not given, and {e}")),
        Some(_) => InputError::new(e.to_string().replace("GITHUB_REPOSITORY", "--repo")),
    })?;
    let token = client::token(None)
        .or_else(|| env("GH_TOKEN"))
        .ok_or_else(|| {
            InputError::new("no token: set GITHUB_TOKEN (or GH_TOKEN, e.g. from `gh auth token`)")
        })?;
    let workflow = args.workflow.clone().or_else(|| {
        env("GITHUB_WORKFLOW_REF")
            .as_deref()
            .and_then(workflow_file)
    });
    let client = Client::new(&context, &token, RetryPolicy::from_env()).classified()?;
    let repo = context.repo.to_string();
    let estimate =
        cost::month_estimate(&client, &repo, workflow.as_deref(), &month, &prices).classified()?;
    let budget = args.budget_usd.map(|b| BudgetCheck::new(estimate.usd, b));
    let title = format!(
        "{repo} {} in {month}",
        workflow.as_deref().unwrap_or("(every workflow)")
    );
    let label = workflow.as_deref().unwrap_or(&repo);
    let mut out = std::io::stdout().lock();
    match args.format {
        Format::Table => {
            // The SKU names are the repository's (pitcrew.toml): in Actions
            // none may read as a workflow command.
            let table = estimate.table(&title);
            write!(out, "{}", guarded_in_actions(table))?;
            if let Some(budget) = &budget {
                writeln!(
                    out,
                    "budget: ${:.2} a month, {:.0}% spent",
                    budget.budget_usd,
                    budget.share() * 100.0
                )?;
                // A workflow command (the runner reads it from stdout).
                if let Some(annotation) = budget.annotation(label, &month) {
                    writeln!(out, "{annotation}")?;
                }
            }
        }
        Format::Json => {
            let value = json!({
                "repo": repo,
                "workflow": workflow,
                "month": month,
                "estimate": estimate,
                "budget_usd": args.budget_usd,
                "budget_share": budget.as_ref().map(BudgetCheck::share),
                "budget_warning": budget.as_ref().is_some_and(BudgetCheck::warns),
            });
            writeln!(out, "{}", crate::json::to_string_pretty(&value)?)?;
        }
    }
    Ok(exit::SUCCESS)
}
