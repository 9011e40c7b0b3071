//! The command line, as clap sees it.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

const EXAMPLES: &str = "\
Examples:
  pitcrew plan examples/training/healthy/spec.toml --format table
  pitcrew test -- node --test                    split, run shards in parallel, report (local)
  pitcrew split --timings 'timings/*.json' --shards auto --format matrix -- pytest
  pitcrew run --shard 2/4 --plan plan.json --retries 2 -- pytest
  pitcrew report --plan plan.json results/*.json
  pitcrew classify examples/failures.jsonl       classify failures and route them to models
  pitcrew classify --format table < failures.jsonl
  pitcrew plugin list                            which plugin fills each slot
  pitcrew plugin list --format json
  pitcrew plugin check my-classifier.wasm        what a component implements, and why not
  pitcrew plugin run my.wasm --input input.json  one call, its answer and its log
  pitcrew plugin new --world classifier --lang python my-classifier

Exit codes: 0 success; 1 tests failed or plan blocked; 2 invalid input or usage;
3 pitcrew could not do its job (a required plugin failed to load or crashed).
Configuration: ./pitcrew.toml (optional; see docs/configuration.md).";

#[derive(Parser, Debug)]
#[command(
    name = "pitcrew",
    version,
    about = "Distributed testing and training pre-flight, composed from sandboxed WebAssembly plugins",
    after_help = EXAMPLES,
    propagate_version = true
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Args, Debug)]
#[command(after_help = "\
Models: [models] and [router] in pitcrew.toml (docs/triage.md); by default the
local Ollama preset. With no model reachable, triage still groups and ranks,
and says why suggestions are off.")]
pub struct TriageArgs {
    /// `pitcrew-results.json`, shard results and/or JUnit XML files.
    #[arg(required = true, value_name = "RESULTS")]
    pub inputs: Vec<PathBuf>,
    #[arg(long, value_enum, default_value_t = ReportFormat::Terminal)]
    pub format: ReportFormat,
    /// Write the triage here (atomically) instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// The change under test, one path a line: groups it touched rank higher.
    #[arg(long, value_name = "FILE", conflicts_with = "base")]
    pub changed_files: Option<PathBuf>,
    /// The change under test is what differs from this git revision.
    /// With neither this nor --changed-files, in a GitHub Actions pull
    /// request: origin/$GITHUB_BASE_REF (check out with `fetch-depth: 0`).
    #[arg(long, value_name = "REF")]
    pub base: Option<String>,
    /// Ask this OpenAI-compatible endpoint (overrides pitcrew.toml).
    #[arg(long, value_name = "URL")]
    pub model_url: Option<String>,
    /// Ask this model for every group (overrides the router and pitcrew.toml).
    #[arg(long, value_name = "NAME")]
    pub model: Option<String>,
    /// Don't ask models: group, rank and route only.
    #[arg(long)]
    pub no_suggest: bool,
    /// Ask each group's model for N candidate edits (default 3) and verify
    /// them by re-running the failing tests in a copy of the tree; broken
    /// Playwright locators are also healed from the page snapshot.
    #[arg(long, value_name = "N", num_args = 0..=1, default_missing_value = "3")]
    pub fix: Option<u32>,
    /// Rounds per candidate: 2 lets a failed candidate's new failure go
    /// back to its model once.
    #[arg(long, value_name = "K", default_value_t = 2, requires = "fix")]
    pub iterations: u32,
    /// Seconds that asking for and verifying fixes may take in all; groups
    /// left when it is spent say so.
    #[arg(long, value_name = "SECONDS", default_value_t = 600, requires = "fix",
          value_parser = clap::value_parser!(u64).range(1..))]
    pub fix_time_limit: u64,
    /// Apply each group's best verified fix to the working tree (only if
    /// its files are still what was tested).
    #[arg(long, requires = "fix")]
    pub apply: bool,
    /// The test command that verifies fixes [default: the one recorded in
    /// pitcrew-results.json].
    #[arg(last = true, value_name = "CMD")]
    pub command: Vec<String>,
    /// Ask this preset endpoint: `github-models` (token from GITHUB_TOKEN)
    /// or `ollama` (overrides pitcrew.toml's [models] endpoint and url).
    #[arg(long, value_name = "PRESET", value_parser = ["github-models", "ollama"], conflicts_with = "model_url")]
    pub model_endpoint: Option<String>,
    /// The most this run's model calls may cost, in USD (overrides
    /// [models] max_cost_usd); the groups past it say so.
    #[arg(long, value_name = "USD")]
    pub max_cost_usd: Option<f64>,
}

#[derive(Args, Debug, Clone)]
pub struct GlobalArgs {
    /// More log output (-v debug, -vv trace). Plugin log lines included.
    #[arg(short, long, action = clap::ArgAction::Count, global = true, conflicts_with = "quiet")]
    pub verbose: u8,
    /// Only errors.
    #[arg(short, long, global = true)]
    pub quiet: bool,
    /// Configuration file [default: ./pitcrew.toml when it exists].
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Compile plugins without the on-disk cache (also: PITCREW_NO_CACHE=1).
    #[arg(long, global = true)]
    pub no_cache: bool,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Pre-flight plan for a distributed training run, or a blocked launch.
    Plan(PlanArgs),
    /// On a training node: hash the job's files, read versions, memory and
    /// disk, measure throughput, and write the report `plan` reads.
    WorkerReport(WorkerReportArgs),
    /// Local: split the suite, run every shard in parallel, merge and report.
    Test(TestArgs),
    /// Plan shards from a test list and timing history.
    Split(SplitArgs),
    /// Run one shard of a plan, retry failures, write a shard result.
    Run(RunArgs),
    /// Merge shard results (or JUnit files), check their integrity, report.
    Report(ReportArgs),
    /// Classify test failures (JSON Lines) and route each to a model.
    Classify(ClassifyArgs),
    /// Inspect and validate plugins.
    #[command(subcommand)]
    Plugin(PluginCommand),
    /// Month-to-date GitHub Actions spend of a workflow, from the runs and
    /// jobs API and a runner price table.
    Cost(CostArgs),
    /// Root causes of the failures by priority, each routed to a model that
    /// is asked for a diagnosis.
    Triage(TriageArgs),
}

#[derive(Args, Debug)]
#[command(after_help = "\
Input: one JSON object per line, e.g.
  {\"test_name\": \"cart > adds an item\", \"file\": \"src/cart.test.ts\", \"message\": \"expect(received).toBe(expected)\", \"details\": \"...\"}
`test_name` and `message` are required; `id`, `file` and `details` are optional.")]
pub struct ClassifyArgs {
    /// JSON Lines file of failures; `-` or nothing reads standard input.
    pub input: Option<PathBuf>,
    #[arg(long, value_enum, default_value_t = ClassifyFormat::Jsonl)]
    pub format: ClassifyFormat,
    /// Classify only; do not ask the router for a model.
    #[arg(long)]
    pub no_route: bool,
}

#[derive(Args, Debug, Clone)]
pub struct SuiteArgs {
    /// Test files as globs relative to --root (`!glob` excludes; `*` stays
    /// within a folder, `**` crosses folders), instead of asking the runner.
    /// `--tests` alone: the runner's usual test file names. Default: the
    /// runner lists its own tests (`pytest --collect-only`, `jest
    /// --listTests`, `vitest list`, node's own patterns, …).
    #[arg(long, num_args = 0.., value_name = "GLOB")]
    pub tests: Option<Vec<String>>,
    /// A file listing test files, one per line, instead of --tests.
    #[arg(long, value_name = "FILE", conflicts_with = "tests")]
    pub test_list: Option<PathBuf>,
    /// Where the tests live [default: the current directory].
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub root: PathBuf,
    /// The test runner, when it can't be told from the command:
    /// pytest, jest, vitest, playwright, go, nextest, node, generic.
    #[arg(long, value_name = "NAME")]
    pub runner: Option<String>,
}

#[derive(Args, Debug, Clone)]
pub struct ShardCountArgs {
    /// Never split a file longer than a shard into its tests (by default,
    /// where the runner allows it, its longest tests become items of their
    /// own; see the README).
    #[arg(long)]
    pub whole_files: bool,
    /// Number of shards, or `auto`: the count that minimises billed runner
    /// minutes while the predicted wall time stays within --target-minutes
    /// [default: auto for `split`, the number of jobs for `test`].
    #[arg(long, value_name = "N|auto")]
    pub shards: Option<String>,
    /// For --shards auto: the wall time to stay within.
    #[arg(long, default_value_t = 10.0, value_name = "MINUTES")]
    pub target_minutes: f64,
    /// For --shards auto: fixed cost of each job (checkout, setup), in seconds.
    #[arg(long, default_value_t = 30.0, value_name = "SECONDS")]
    pub shard_overhead_s: f64,
    /// For --shards auto: at most this many shards (the matrix limit is 256).
    #[arg(long, default_value_t = 256, value_name = "M")]
    pub max_shards: usize,
}

#[derive(Args, Debug, Clone, Default)]
pub struct ChangedArgs {
    /// Run the tests of changed files first, within each shard (shards stay
    /// as balanced as they were): a changed test file, or one named after a
    /// changed file (`src/foo.py` → `test_foo.py`, `foo.ts` → `foo.test.ts`).
    /// The changes: --changed-files, else the pull request's files from the
    /// GitHub API (in GitHub Actions, with GITHUB_TOKEN).
    #[arg(long)]
    pub changed_first: bool,
    /// The changed paths, one per line (e.g. `git diff --name-only
    /// origin/main > changed.txt`), instead of asking GitHub.
    #[arg(long, value_name = "FILE", requires = "changed_first")]
    pub changed_files: Option<PathBuf>,
}

#[derive(Args, Debug)]
pub struct SplitArgs {
    #[command(flatten)]
    pub suite: SuiteArgs,
    #[command(flatten)]
    pub count: ShardCountArgs,
    #[command(flatten)]
    pub changed: ChangedArgs,
    /// Timing history (globs): JUnit reports, pitcrew shard results, or the
    /// timing file `report --timings-out` writes. Matching nothing is "no
    /// history yet" (a notice, and files are assumed equal).
    #[arg(long, num_args = 1.., value_name = "GLOB")]
    pub timings: Vec<String>,
    /// Without timings, in GitHub Actions with GITHUB_TOKEN: the artifact of
    /// the last successful default-branch run of this workflow to read them
    /// from.
    #[arg(long, value_name = "NAME", default_value = crate::github::history::ARTIFACT_NAME)]
    pub history_artifact: String,
    #[arg(long, value_enum, default_value_t = SplitFormat::Json)]
    pub format: SplitFormat,
    /// Also write the plan (always JSON) to this file.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// The test command the shards will run (e.g. `-- pytest -q`): the
    /// runner lists its tests with it. Default: the runner's usual command
    /// (`--runner pytest` lists with `pytest`).
    #[arg(last = true, value_name = "CMD")]
    pub command: Vec<String>,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum SplitFormat {
    Json,
    /// GitHub Actions matrix JSON, for `fromJSON` in `strategy.matrix`.
    Matrix,
}

#[derive(Args, Debug, Clone)]
pub struct RetryArgs {
    /// Re-run failed tests up to this many times.
    #[arg(long, default_value_t = 0, value_name = "R")]
    pub retries: u32,
    /// What a flaky test (failed, then passed) counts as.
    #[arg(long, value_enum, default_value_t = FlakyPolicy::Pass)]
    pub flaky: FlakyPolicy,
    /// Kill a shard's runner after this many seconds (each process it
    /// starts). Listing the tests before a run has its own deadline:
    /// PITCREW_COLLECT_TIMEOUT seconds, default 600.
    #[arg(long, value_name = "SECONDS")]
    pub timeout: Option<f64>,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum FlakyPolicy {
    Pass,
    Fail,
}

#[derive(Args, Debug)]
pub struct RunArgs {
    /// Which shard, as K/N (1-based).
    #[arg(long, value_name = "K/N")]
    pub shard: String,
    /// The plan from `pitcrew split`.
    #[arg(long, value_name = "FILE")]
    pub plan: PathBuf,
    #[command(flatten)]
    pub retry: RetryArgs,
    #[arg(long, value_name = "NAME")]
    pub runner: Option<String>,
    #[command(flatten)]
    pub changed: ChangedArgs,
    /// The shard result to write [default: pitcrew-shard-K.json].
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Also write the shard's tests (retries folded) as JUnit here. A
    /// `--junitxml=FILE` in a pytest command gets the same report.
    #[arg(long, value_name = "FILE")]
    pub junit: Option<PathBuf>,
    /// The test command, e.g. `-- npx jest`.
    #[arg(last = true, required = true, value_name = "CMD")]
    pub command: Vec<String>,
}

#[derive(Args, Debug)]
pub struct ReportArgs {
    /// Shard results and/or JUnit XML files.
    #[arg(required = true, value_name = "FILE")]
    pub inputs: Vec<PathBuf>,
    /// The plan the shards ran from: checks every planned item was reported.
    #[arg(long, value_name = "FILE")]
    pub plan: Option<PathBuf>,
    #[arg(long, value_enum, default_value_t = ReportFormat::Terminal)]
    pub format: ReportFormat,
    /// Also write the Markdown report here (and to $GITHUB_STEP_SUMMARY when set).
    #[arg(long, value_name = "FILE")]
    pub markdown: Option<PathBuf>,
    /// Group failures by root cause without the classifier plugin
    /// (categories are `unclassified`).
    #[arg(long)]
    pub no_classify: bool,
    /// Don't triage: no root causes, the failures in one list.
    #[arg(long)]
    pub no_triage: bool,
    /// Also write the merged results as one JUnit report here.
    #[arg(long, value_name = "FILE")]
    pub junit: Option<PathBuf>,
    /// Also write what each file cost (wall time in its shard, start-up
    /// included) as a timing file for the next `split --timings`.
    #[arg(long, value_name = "FILE")]
    pub timings_out: Option<PathBuf>,
    /// What a flaky test (failed, then passed) counts as: with `fail`,
    /// the report fails as `run --flaky fail` failed the shard.
    #[arg(long, value_enum, default_value_t = FlakyPolicy::Pass)]
    pub flaky: FlakyPolicy,
    #[command(flatten)]
    pub publishing: GithubArgs,
}

/// Publishing to GitHub, for `report` and `test`.
#[derive(Args, Debug)]
pub struct GithubArgs {
    /// Publish to GitHub (check run, PR comment) even outside GitHub
    /// Actions. Default: when GITHUB_ACTIONS=true and GITHUB_TOKEN is set.
    #[arg(long, conflicts_with = "no_github")]
    pub github: bool,
    /// Don't publish to GitHub (no network call at all).
    #[arg(long)]
    pub no_github: bool,
    /// The pull request to comment on, for `workflow_run` workflows whose
    /// event does not name one (fork PRs).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub pr: Option<u64>,
    /// When to create or update the sticky PR comment.
    #[arg(long, value_enum, default_value_t = crate::github::comment::CommentMode::Always)]
    pub comment: crate::github::comment::CommentMode,
    /// The check run's name.
    #[arg(long, value_name = "NAME", default_value = "pitcrew")]
    pub check_name: String,
    /// Don't create a check run.
    #[arg(long)]
    pub no_check_run: bool,
    /// Where the merged results go as JUnit when publishing to GitHub
    /// (upload it as an artifact for the `workflow_run` pattern).
    #[arg(long, value_name = "FILE", default_value = "pitcrew-results.xml")]
    pub results_out: PathBuf,
    /// A failure to publish to GitHub fails the command (exit 3) instead
    /// of being a warning.
    #[arg(long)]
    pub strict_report: bool,
    /// The workflow's monthly Actions budget in USD: the PR comment shows
    /// the month's estimated spend, and from 80% a warning annotation.
    #[arg(long, value_name = "USD")]
    pub budget_usd: Option<f64>,
    /// A triage document (`pitcrew triage --fix --format json -o FILE`):
    /// its fixes go into the PR comment, verified first, as suggestions
    /// where the edit lies inside the pull request's diff.
    #[arg(long, value_name = "FILE")]
    pub triage: Option<PathBuf>,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReportFormat {
    Terminal,
    Json,
    Markdown,
}

#[derive(Args, Debug)]
pub struct TestArgs {
    #[command(flatten)]
    pub suite: SuiteArgs,
    #[command(flatten)]
    pub count: ShardCountArgs,
    #[command(flatten)]
    pub retry: RetryArgs,
    #[command(flatten)]
    pub changed: ChangedArgs,
    /// Without local history (.pitcrew/timings.json), in GitHub Actions with
    /// GITHUB_TOKEN: the artifact of the last successful default-branch run
    /// of this workflow to read timings from.
    #[arg(long, value_name = "NAME", default_value = crate::github::history::ARTIFACT_NAME)]
    pub history_artifact: String,
    /// Shards run at once [default: the number of cores].
    #[arg(long, value_name = "J")]
    pub jobs: Option<usize>,
    /// Don't triage: no root causes, the failures in one list.
    #[arg(long)]
    pub no_triage: bool,
    #[command(flatten)]
    pub publishing: GithubArgs,
    /// The test command, e.g. `-- node --test`.
    #[arg(last = true, required = true, value_name = "CMD")]
    pub command: Vec<String>,
}

#[derive(Args, Debug)]
#[command(after_help = "\
Prices: GitHub's per-minute rates for standard and larger runners, by OS and
size read from each job's runner labels; override them in pitcrew.toml
[cost] or with --prices FILE (JSON or TOML; see docs/github.md). Needs a
token: GITHUB_TOKEN or GH_TOKEN.")]
pub struct CostArgs {
    /// The repository [default: $GITHUB_REPOSITORY].
    #[arg(long, value_name = "OWNER/NAME")]
    pub repo: Option<String>,
    /// The month [default: the current month, UTC].
    #[arg(long, value_name = "YYYY-MM")]
    pub month: Option<String>,
    /// The workflow: its file name (`ci.yml`) or id [default: the running
    /// workflow's, from $GITHUB_WORKFLOW_REF; else every workflow].
    #[arg(long, value_name = "W")]
    pub workflow: Option<String>,
    /// Monthly budget in US dollars: a `::warning::` once the estimate
    /// reaches 80% of it.
    #[arg(long, value_name = "USD")]
    pub budget_usd: Option<f64>,
    /// Runner prices (JSON or TOML), over the defaults and pitcrew.toml's.
    #[arg(long, value_name = "FILE")]
    pub prices: Option<PathBuf>,
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

#[derive(Args, Debug)]
pub struct PlanArgs {
    /// The training spec (TOML; see docs/plan-spec.md).
    pub spec: PathBuf,
    #[arg(long, value_enum, default_value_t = PlanFormat::Json)]
    pub format: PlanFormat,
    /// Also write the plan (JSON) here; nothing is written on bad input.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// A worker report older than this is stale (a warning).
    #[arg(long, default_value_t = 24.0, value_name = "HOURS")]
    pub max_report_age_hours: f64,
    /// Don't run the sync script (its check is then skipped).
    #[arg(long)]
    pub no_sync: bool,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum PlanFormat {
    Json,
    /// A checklist with ✓/⚠/✗ and the reason for each check.
    Table,
}

#[derive(Args, Debug)]
pub struct WorkerReportArgs {
    /// The training spec (for the job's files and the checkpoint dir).
    #[arg(long, value_name = "FILE")]
    pub spec: PathBuf,
    /// This worker's name, as in the spec's `[[worker]]`.
    #[arg(long)]
    pub name: String,
    /// Command that measures throughput; its last stdout line is
    /// `examples_per_second=<float>` or a bare number. Run 3 times; the median counts.
    #[arg(long, value_name = "CMD")]
    pub calibrate: Option<String>,
    /// Seconds each calibration run may take.
    #[arg(long, default_value_t = 600, value_name = "SECONDS")]
    pub timeout_s: u64,
    /// The Python whose versions are reported.
    #[arg(long, default_value = "python3")]
    pub python: String,
    /// Where to write the report [default: standard output].
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ClassifyFormat {
    Jsonl,
    Table,
}

#[derive(Subcommand, Debug)]
pub enum PluginCommand {
    /// Show which plugin fills each slot: name, version, world, source, sha256.
    List {
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// Check a component: its world, imports and exports, and whether this
    /// pitcrew can load it. Exits 2 with the reason when it cannot.
    Check {
        /// Path to a `.wasm` component.
        file: PathBuf,
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// Call one plugin on one input and print its answer and its log as
    /// JSON (for authors' tests). The input is the world's record: a phase
    /// input `{"facts": {}, "document": {}}`, a list of failures, or a route
    /// request. Exits 1 when the call fails, 2 when the input is not one.
    Run {
        /// Path to a `.wasm` component.
        file: PathBuf,
        /// JSON file with the input.
        #[arg(long, value_name = "INPUT.json")]
        input: PathBuf,
    },
    /// Write a new plugin project (Rust, Python or JavaScript) that builds
    /// with one command and passes its own test.
    New {
        #[arg(long, value_enum)]
        world: PluginWorld,
        #[arg(long, value_enum)]
        lang: crate::scaffold::Lang,
        /// The plugin's name: lowercase letters, digits and dashes.
        name: String,
        /// Where to write it [default: ./NAME]; must not exist.
        #[arg(long, value_name = "DIR")]
        dir: Option<PathBuf>,
    },
    /// Print the plugin contract (WIT), or write it as DIR/plugin.wit.
    #[command(disable_version_flag = true)]
    Wit {
        /// A supported contract version [default: the newest].
        #[arg(long, value_name = "V")]
        version: Option<String>,
        /// Write DIR/plugin.wit instead of printing it.
        #[arg(short, long, value_name = "DIR")]
        output: Option<PathBuf>,
    },
}

/// The world of a new plugin (`plugin new --world`).
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum PluginWorld {
    Phase,
    Classifier,
    Router,
}

impl From<PluginWorld> for crate::host::World {
    fn from(world: PluginWorld) -> Self {
        match world {
            PluginWorld::Phase => Self::Phase,
            PluginWorld::Classifier => Self::Classifier,
            PluginWorld::Router => Self::Router,
        }
    }
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Table,
    Json,
}
