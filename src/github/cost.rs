//! What GitHub Actions jobs cost: a runner price table, each job's billed
//! minutes (rounded up per job, as GitHub bills them), priced by the OS and
//! size its runner labels name; and the monthly budget check.
//!
//! The default prices are GitHub's published per-minute rates from
//! January 1, 2026 (docs.github.com, "Actions runner pricing"), keyed by
//! GitHub's billing SKUs. `pitcrew.toml` `[cost]` or a JSON/TOML file
//! replaces any of them and maps custom runner labels to a SKU.
//! Self-hosted runners cost nothing here. Included free minutes and
//! discounts are not modelled: the estimate is list price.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::client::{ApiError, Client};
use super::history::encode;

/// GitHub's per-minute list prices (USD) by billing SKU, from 2026-01-01.
pub const DEFAULT_PRICES: &[(&str, f64)] = &[
    ("linux_slim", 0.002),
    ("linux", 0.006),
    ("windows", 0.010),
    ("macos", 0.062),
    ("linux_2_core_advanced", 0.006),
    ("linux_4_core", 0.012),
    ("linux_8_core", 0.022),
    ("linux_16_core", 0.042),
    ("linux_32_core", 0.082),
    ("linux_64_core", 0.162),
    ("linux_96_core", 0.252),
    ("windows_4_core", 0.022),
    ("windows_8_core", 0.042),
    ("windows_16_core", 0.082),
    ("windows_32_core", 0.162),
    ("windows_64_core", 0.322),
    ("windows_96_core", 0.552),
    ("macos_l", 0.077),
    ("linux_2_core_arm", 0.005),
    ("linux_4_core_arm", 0.008),
    ("linux_8_core_arm", 0.014),
    ("linux_16_core_arm", 0.026),
    ("linux_32_core_arm", 0.050),
    ("linux_64_core_arm", 0.098),
    ("windows_2_core_arm", 0.008),
    ("windows_4_core_arm", 0.014),
    ("windows_8_core_arm", 0.026),
    ("windows_16_core_arm", 0.050),
    ("windows_32_core_arm", 0.098),
    ("windows_64_core_arm", 0.194),
    ("macos_xl", 0.102),
    ("linux_4_core_gpu", 0.052),
    ("windows_4_core_gpu", 0.102),
    ("self_hosted", 0.0),
];

/// The budget warning starts at this share of the budget.
pub const BUDGET_WARNING_SHARE: f64 = 0.8;

/// The `[cost]` table of pitcrew.toml, and the `--prices` file.
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct PriceOverrides {
    /// Per-minute USD by SKU: replaces a default or adds a SKU.
    #[serde(default)]
    pub prices: BTreeMap<String, f64>,
    /// Runner label → SKU, for runners whose labels don't say their OS and
    /// size (`[cost.labels] "big-box" = "linux_16_core"`).
    #[serde(default)]
    pub labels: BTreeMap<String, String>,
    /// The labels of the runner the test jobs use (`runs-on`), for a run's
    /// estimate when its jobs can't be read from the API (default: the
    /// standard runner of the reporting job's OS).
    #[serde(default)]
    pub runner: Vec<String>,
}

/// A bad price table: one line naming the key.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct PriceError(pub String);

impl crate::error::HasKind for PriceError {
    fn kind(&self) -> crate::error::ErrorKind {
        crate::error::ErrorKind::Input
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct PriceTable {
    prices: BTreeMap<String, f64>,
    labels: BTreeMap<String, String>,
    runner: Vec<String>,
}

impl Default for PriceTable {
    fn default() -> Self {
        Self {
            prices: DEFAULT_PRICES
                .iter()
                .map(|(sku, usd)| (sku.to_string(), *usd))
                .collect(),
            labels: BTreeMap::new(),
            runner: Vec::new(),
        }
    }
}

impl PriceTable {
    /// The defaults with `overrides` applied; `origin` names where they
    /// came from (`pitcrew.toml: cost`) in errors.
    pub fn apply(&mut self, overrides: &PriceOverrides, origin: &str) -> Result<(), PriceError> {
        for (sku, &usd) in &overrides.prices {
            if !(usd.is_finite() && usd >= 0.0) {
                return Err(PriceError(format!(
                    "{origin}.prices.{sku}: {usd} is not a non-negative price per minute"
                )));
            }
            self.prices.insert(sku.clone(), usd);
        }
        for (label, sku) in &overrides.labels {
            if !self.prices.contains_key(sku) {
                return Err(PriceError(format!(
                    "{origin}.labels.{label}: no price for the SKU `{}` (add it under prices)",
                    crate::escape::control_chars(sku)
                )));
            }
            self.labels.insert(label.to_lowercase(), sku.clone());
        }
        if overrides.runner.iter().any(|l| l.trim().is_empty()) {
            return Err(PriceError(format!("{origin}.runner: a label is empty")));
        }
        if !overrides.runner.is_empty() {
            self.runner = overrides.runner.clone();
        }
        Ok(())
    }

    /// `[cost] runner`: the test jobs' runner labels (empty: not set).
    pub fn runner(&self) -> &[String] {
        &self.runner
    }

    /// Reads a price file (`.json`, else TOML) over this table.
    pub fn apply_file(&mut self, path: &Path) -> Result<(), PriceError> {
        let name = path.display().to_string();
        let text = std::fs::read_to_string(path)
            .map_err(|e| PriceError(format!("{name}: cannot read it: {e}")))?;
        let overrides: PriceOverrides = if path.extension().is_some_and(|e| e == "json") {
            serde_json::from_str(&text).map_err(|e| PriceError(format!("{name}: {e}")))?
        } else {
            toml::from_str(&text)
                .map_err(|e| PriceError(format!("{name}: {}", e.message().replace('\n', " "))))?
        };
        self.apply(&overrides, &name)
    }

    /// The SKU and its per-minute price for a job that ran on a runner with
    /// these labels.
    pub fn price(&self, labels: &[String]) -> (String, f64) {
        let sku = self.sku(labels);
        let usd = self.prices.get(&sku).copied().unwrap_or_else(|| {
            // Every SKU `sku` can name is a default unless overridden away,
            // which `apply` never does; fall back to the standard runner.
            self.prices.get("linux").copied().unwrap_or(0.0)
        });
        (sku, usd)
    }

    /// The billing SKU the runner labels point at.
    pub fn sku(&self, labels: &[String]) -> String {
        let lower: Vec<String> = labels.iter().map(|l| l.to_lowercase()).collect();
        if let Some(sku) = lower.iter().find_map(|l| self.labels.get(l)) {
            return sku.clone();
        }
        if lower.iter().any(|l| l == "self-hosted") {
            return "self_hosted".into();
        }
        let all = lower.join(" ");
        let os = if all.contains("windows") {
            "windows"
        } else if all.contains("macos") {
            "macos"
        } else {
            "linux"
        };
        let arm = all.contains("arm");
        if all.contains("gpu") {
            return format!("{os}_4_core_gpu");
        }
        if os == "macos" {
            return if all.contains("xlarge") {
                "macos_xl"
            } else if all.contains("large") {
                "macos_l"
            } else {
                "macos"
            }
            .into();
        }
        if all.contains("slim") && os == "linux" {
            return "linux_slim".into();
        }
        match (cores(&lower), arm) {
            (Some(n), false) if n > 2 => format!("{os}_{n}_core"),
            (Some(n), true) if n >= 2 => format!("{os}_{n}_core_arm"),
            (None, true) => format!("{os}_2_core_arm"),
            _ => os.into(),
        }
    }
}

/// The core count a label names: `ubuntu-latest-8-cores`, `linux-16-core`,
/// `windows_32_core`, `4vcpu`.
fn cores(labels: &[String]) -> Option<u32> {
    labels.iter().find_map(|label| {
        let parts: Vec<&str> = label.split(['-', '_', ' ']).collect();
        parts.iter().enumerate().find_map(|(i, part)| {
            let split = part
                .find(|c: char| !c.is_ascii_digit())
                .unwrap_or(part.len());
            let (digits, unit) = part.split_at(split);
            let unit = if unit.is_empty() {
                *parts.get(i + 1)?
            } else {
                unit
            };
            let n: u32 = digits.parse().ok()?;
            matches!(unit, "core" | "cores" | "vcpu" | "vcpus" | "cpu").then_some(n)
        })
    })
}

/// One job as the jobs API describes it (the fields the estimate reads).
#[derive(Clone, Debug, Deserialize)]
pub struct Job {
    #[serde(default)]
    pub name: String,
    pub started_at: Option<String>,
    pub completed_at: Option<String>,
    #[serde(default)]
    pub labels: Vec<String>,
}

impl Job {
    /// Billed minutes: the job's duration rounded up to a whole minute (a
    /// job that never started, or isn't finished, is not counted yet).
    pub fn billed_minutes(&self) -> u64 {
        let time = |t: &Option<String>| t.as_deref().and_then(crate::time::parse_rfc3339_utc);
        match (time(&self.started_at), time(&self.completed_at)) {
            (Some(start), Some(end)) if end > start => ((end - start) as u64).div_ceil(60),
            _ => 0,
        }
    }
}

/// Minutes and dollars per SKU, and in total.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Estimate {
    pub runs: u64,
    pub jobs: u64,
    pub minutes: u64,
    pub usd: f64,
    /// SKU → (minutes, USD).
    pub by_sku: BTreeMap<String, SkuTotal>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct SkuTotal {
    pub minutes: u64,
    pub usd: f64,
    pub usd_per_minute: f64,
}

impl Estimate {
    pub fn add_job(&mut self, job: &Job, prices: &PriceTable) {
        let minutes = job.billed_minutes();
        let (sku, rate) = prices.price(&job.labels);
        let total = self.by_sku.entry(sku).or_default();
        total.minutes += minutes;
        total.usd_per_minute = rate;
        total.usd = total.minutes as f64 * rate;
        self.jobs += 1;
        self.minutes += minutes;
        self.usd = self.by_sku.values().map(|t| t.usd).sum();
    }

    /// A table for the terminal.
    pub fn table(&self, title: &str) -> String {
        let mut out = format!(
            "{}: {} runs, {} jobs, {} billed minutes, ${:.2}\n",
            crate::escape::control_chars(title),
            self.runs,
            self.jobs,
            self.minutes,
            self.usd
        );
        for (sku, total) in &self.by_sku {
            let _ = writeln!(
                out,
                "  {:<22} {:>8} min × ${:<6} = ${:.2}",
                crate::escape::control_chars(sku),
                total.minutes,
                total.usd_per_minute,
                total.usd
            );
        }
        out
    }
}

/// How the month-to-date spend compares with a monthly budget.
#[derive(Clone, Debug, PartialEq)]
pub struct BudgetCheck {
    pub spent_usd: f64,
    pub budget_usd: f64,
}

impl BudgetCheck {
    pub fn new(spent_usd: f64, budget_usd: f64) -> Self {
        Self {
            spent_usd,
            budget_usd,
        }
    }

    pub fn share(&self) -> f64 {
        if self.budget_usd > 0.0 {
            self.spent_usd / self.budget_usd
        } else {
            f64::INFINITY
        }
    }

    /// Whether the spend reached the warning threshold (80%).
    pub fn warns(&self) -> bool {
        self.share() >= BUDGET_WARNING_SHARE
    }

    /// The line for the PR comment (Markdown, our own numbers only):
    /// always present when a budget is set, with ⚠️ from 80%.
    pub fn comment_line(&self, month: &str) -> String {
        let month = crate::escape::markdown_inline(month);
        let text = format!(
            "Actions spend for {month}: ${:.2} of the ${:.2} monthly budget ({:.0}%)",
            self.spent_usd,
            self.budget_usd,
            self.share() * 100.0
        );
        if self.warns() {
            format!(
                "⚠️ **{text}**: over {:.0}% of the budget",
                BUDGET_WARNING_SHARE * 100.0
            )
        } else {
            text
        }
    }

    /// The `::warning::` workflow command, from 80% of the budget; `None` below.
    pub fn annotation(&self, workflow: &str, month: &str) -> Option<String> {
        self.warns().then(|| {
            let message = format!(
                "{workflow} has spent an estimated ${:.2} of its ${:.2} monthly budget in {month} ({:.0}%)",
                self.spent_usd,
                self.budget_usd,
                self.share() * 100.0
            );
            format!(
                "::warning title={}::{}",
                command_property("pitcrew budget"),
                command_data(&message)
            )
        })
    }
}

/// A workflow command's message: `%`, CR and LF escaped as the runner
/// expects, so untrusted text can't end the command or start another.
pub fn command_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A workflow command's property value: also `:` and `,`.
pub fn command_property(text: &str) -> String {
    command_data(text).replace(':', "%3A").replace(',', "%2C")
}

/// `YYYY-MM` → (the month's first second, the next month's first second),
/// Unix time, UTC.
pub fn month_bounds(month: &str) -> Option<(i64, i64)> {
    let (year, m) = month.split_once('-')?;
    if year.len() != 4 || m.len() != 2 {
        return None;
    }
    let (year, m): (i64, i64) = (year.parse().ok()?, m.parse().ok()?);
    let start = crate::time::parse_rfc3339_utc(&format!("{year:04}-{m:02}-01T00:00:00Z"))?;
    let (ny, nm) = if m == 12 {
        (year + 1, 1)
    } else {
        (year, m + 1)
    };
    let end = crate::time::parse_rfc3339_utc(&format!("{ny:04}-{nm:02}-01T00:00:00Z"))?;
    Some((start, end))
}

/// The current month, UTC, as `YYYY-MM`.
pub fn current_month() -> String {
    crate::time::format_rfc3339_utc(crate::time::now_unix())[..7].to_string()
}

/// The runs API answers at most this many runs for one filtered query.
const MAX_RUNS_PER_QUERY: usize = 1_000;

#[derive(Deserialize)]
struct RunRef {
    id: u64,
}

/// The month-to-date estimate of `workflow` (a file name such as `ci.yml`,
/// or an id; `None`: every workflow) in `month` (`YYYY-MM`): every job of
/// every attempt of every run created that month, each rounded up to whole
/// minutes and priced by its runner labels. Runs still going count the
/// jobs finished so far.
pub fn month_estimate(
    client: &Client,
    repo: &str,
    workflow: Option<&str>,
    month: &str,
    prices: &PriceTable,
) -> Result<Estimate, ApiError> {
    let (start, end) = month_bounds(month)
        .ok_or_else(|| ApiError::Refused(format!("`{month}` is not a month (YYYY-MM)")))?;
    let runs_path = match workflow {
        Some(w) => format!("/repos/{repo}/actions/workflows/{}/runs", encode(w)),
        None => format!("/repos/{repo}/actions/runs"),
    };
    let day = |t: i64| crate::time::format_rfc3339_utc(t)[..10].to_string();
    let list = |from: i64, to: i64| -> Result<Vec<RunRef>, ApiError> {
        let path = format!(
            "{runs_path}?created={}..{}&per_page=100",
            day(from),
            day(to)
        );
        client.paginate(&path, Some("workflow_runs"), MAX_RUNS_PER_QUERY)
    };
    let mut runs = list(start, end - 1)?;
    if runs.len() >= MAX_RUNS_PER_QUERY {
        // The API stops at 1,000 runs per query: ask day by day instead.
        runs.clear();
        for from in (start..end).step_by(86_400) {
            let day_runs = list(from, from)?;
            if day_runs.len() >= MAX_RUNS_PER_QUERY {
                tracing::warn!(
                    "{} has {MAX_RUNS_PER_QUERY} runs or more on {}: the API lists no more, so the estimate is low",
                    crate::escape::control_chars(repo),
                    day(from)
                );
            }
            runs.extend(day_runs);
        }
    }
    runs.sort_by_key(|r| r.id);
    runs.dedup_by_key(|r| r.id);
    let mut estimate = Estimate::default();
    for run in &runs {
        for job in &run_jobs(client, repo, run.id, "all")? {
            estimate.add_job(job, prices);
        }
        estimate.runs += 1;
    }
    Ok(estimate)
}

/// The jobs of run `run_id`: of every attempt (`filter` `all`) or of the
/// latest (`latest`).
fn run_jobs(client: &Client, repo: &str, run_id: u64, filter: &str) -> Result<Vec<Job>, ApiError> {
    let path = format!("/repos/{repo}/actions/runs/{run_id}/jobs?filter={filter}&per_page=100");
    client.paginate(&path, Some("jobs"), usize::MAX)
}

/// What this run has cost so far: its latest attempt's finished jobs, each
/// priced by its own runner labels (the job still reporting is not
/// finished, so not counted).
pub fn run_estimate(
    client: &Client,
    repo: &str,
    run_id: u64,
    prices: &PriceTable,
) -> Result<Estimate, ApiError> {
    let mut estimate = Estimate {
        runs: 1,
        ..Estimate::default()
    };
    for job in run_jobs(client, repo, run_id, "latest")? {
        if job.completed_at.is_some() {
            estimate.add_job(&job, prices);
        }
    }
    Ok(estimate)
}

impl Estimate {
    /// For the PR comment: the total, then each SKU's minutes and price.
    pub fn comment_line(&self) -> String {
        let by_sku: Vec<String> = self
            .by_sku
            .iter()
            .map(|(sku, t)| {
                format!(
                    "{} {} min × ${}",
                    crate::escape::markdown_inline(sku),
                    t.minutes,
                    t.usd_per_minute
                )
            })
            .collect();
        format!(
            "Estimated cost of this run: ${:.2} ({} billed min in {} finished jobs: {}; each job rounded up to whole minutes, priced by its runner labels from `[cost]` in pitcrew.toml or GitHub's list of 2026-01-01)",
            self.usd,
            self.minutes,
            self.jobs,
            by_sku.join(", ")
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(l: &[&str]) -> Vec<String> {
        l.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn runner_labels_name_their_sku() {
        let table = PriceTable::default();
        for (l, sku) in [
            (&["ubuntu-latest"][..], "linux"),
            (&["ubuntu-24.04"], "linux"),
            (&["ubuntu-slim"], "linux_slim"),
            (&["windows-latest"], "windows"),
            (&["macos-14"], "macos"),
            (&["macos-latest-large"], "macos_l"),
            (&["macos-15-xlarge"], "macos_xl"),
            (&["ubuntu-latest-8-cores"], "linux_8_core"),
            (&["linux-16-core"], "linux_16_core"),
            (&["windows-latest-64-cores"], "windows_64_core"),
            (&["ubuntu-24.04-arm"], "linux_2_core_arm"),
            (&["linux-arm-4-core"], "linux_4_core_arm"),
            (&["gpu-t4-4-core", "linux"], "linux_4_core_gpu"),
            (&["self-hosted", "linux", "x64"], "self_hosted"),
            (&[], "linux"),
        ] {
            assert_eq!(table.sku(&labels(l)), sku, "{l:?}");
        }
        assert_eq!(
            table.price(&labels(&["windows-2022"])),
            ("windows".into(), 0.010)
        );
        assert_eq!(table.price(&labels(&["macos-13"])).1, 0.062);
    }

    #[test]
    fn overrides_replace_prices_and_map_labels() {
        let mut table = PriceTable::default();
        let overrides: PriceOverrides = toml::from_str(
            "[prices]\nlinux = 0.008\nmy_box = 0.5\n[labels]\n\"Big-Runner\" = \"my_box\"\n",
        )
        .unwrap();
        table.apply(&overrides, "pitcrew.toml: cost").unwrap();
        assert_eq!(table.price(&labels(&["ubuntu-latest"])).1, 0.008);
        assert_eq!(
            table.price(&labels(&["big-runner"])),
            ("my_box".into(), 0.5)
        );
        let bad: PriceOverrides = toml::from_str("[labels]\nx = \"nope\"\n").unwrap();
        let err = table.apply(&bad, "prices.toml").unwrap_err().to_string();
        assert_eq!(
            err,
            "prices.toml.labels.x: no price for the SKU `nope` (add it under prices)"
        );
        let neg: PriceOverrides = toml::from_str("[prices]\nlinux = -1.0\n").unwrap();
        let err = table.apply(&neg, "f").unwrap_err().to_string();
        assert!(err.starts_with("f.prices.linux: -1 is not"), "{err}");
        assert!(toml::from_str::<PriceOverrides>("colour = 1\n").is_err());
    }

    #[test]
    fn price_files_are_json_or_toml_and_errors_name_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let json = dir.path().join("p.json");
        std::fs::write(&json, r#"{"prices": {"windows": 0.02}}"#).unwrap();
        let mut table = PriceTable::default();
        table.apply_file(&json).unwrap();
        assert_eq!(table.price(&labels(&["windows-latest"])).1, 0.02);
        let toml_file = dir.path().join("p.toml");
        std::fs::write(&toml_file, "[prices]\nmacos = \"cheap\"\n").unwrap();
        let err = table.apply_file(&toml_file).unwrap_err().to_string();
        assert!(
            err.starts_with(&format!("{}: ", toml_file.display())),
            "{err}"
        );
    }

    fn job(start: &str, end: &str, l: &[&str]) -> Job {
        Job {
            name: "j".into(),
            started_at: Some(start.into()),
            completed_at: Some(end.into()),
            labels: labels(l),
        }
    }

    #[test]
    fn each_job_is_rounded_up_to_whole_minutes_then_priced() {
        assert_eq!(
            job("2026-11-01T00:00:00Z", "2026-11-01T00:00:01Z", &[]).billed_minutes(),
            1
        );
        assert_eq!(
            job("2026-11-01T00:00:00Z", "2026-11-01T00:01:00Z", &[]).billed_minutes(),
            1
        );
        assert_eq!(
            job("2026-11-01T00:00:00Z", "2026-11-01T00:01:01Z", &[]).billed_minutes(),
            2
        );
        assert_eq!(
            job("2026-11-01T00:00:00Z", "2026-11-01T00:00:00Z", &[]).billed_minutes(),
            0
        );
        let unfinished = Job {
            completed_at: None,
            ..job("2026-11-01T00:00:00Z", "x", &[])
        };
        assert_eq!(unfinished.billed_minutes(), 0);
        let prices = PriceTable::default();
        let mut estimate = Estimate::default();
        // Two 30-second Linux jobs bill 2 minutes, not 1.
        for _ in 0..2 {
            estimate.add_job(
                &job(
                    "2026-11-01T00:00:00Z",
                    "2026-11-01T00:00:30Z",
                    &["ubuntu-latest"],
                ),
                &prices,
            );
        }
        estimate.add_job(
            &job(
                "2026-11-01T00:00:00Z",
                "2026-11-01T00:02:30Z",
                &["macos-latest"],
            ),
            &prices,
        );
        assert_eq!(estimate.jobs, 3);
        assert_eq!(estimate.minutes, 5);
        assert!((estimate.usd - (2.0 * 0.006 + 3.0 * 0.062)).abs() < 1e-9);
        assert_eq!(estimate.by_sku["macos"].minutes, 3);
        assert!(estimate.table("ci.yml").contains("macos"));
    }

    #[test]
    fn the_budget_warns_from_80_percent_with_an_escaped_annotation() {
        let below = BudgetCheck::new(79.0, 100.0);
        assert!(!below.warns());
        assert_eq!(below.annotation("ci", "2026-11"), None);
        assert_eq!(
            below.comment_line("2026-11"),
            "Actions spend for 2026\\-11: $79.00 of the $100.00 monthly budget (79%)"
        );
        let at = BudgetCheck::new(80.0, 100.0);
        assert!(at.warns());
        let note = at.annotation("evil\n::error::x %", "2026-11").unwrap();
        assert!(
            note.starts_with("::warning title=pitcrew budget::evil%0A::error::x %25 has spent"),
            "{note}"
        );
        assert!(!note.contains('\n'));
        assert!(at.comment_line("2026-11").starts_with("⚠️ **"));
        assert!(
            BudgetCheck::new(1.0, 0.0).warns(),
            "a zero budget is always exceeded"
        );
    }

    #[test]
    fn months_have_bounds() {
        let (start, end) = month_bounds("2026-12").unwrap();
        assert_eq!(
            crate::time::format_rfc3339_utc(start),
            "2026-12-01T00:00:00Z"
        );
        assert_eq!(crate::time::format_rfc3339_utc(end), "2027-01-01T00:00:00Z");
        for bad in ["2026-13", "26-01", "2026-1", "x"] {
            assert_eq!(month_bounds(bad), None, "{bad}");
        }
        assert_eq!(current_month().len(), 7);
    }
}
