//! The command line, as clap sees it.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

const EXAMPLES: &str = "\
Examples:
  pitcrew classify examples/failures.jsonl       classify failures and route them to models
  pitcrew classify --format table < failures.jsonl
  pitcrew plugin list                            which plugin fills each slot
  pitcrew plugin list --format json
  pitcrew plugin check my-classifier.wasm        what a component implements, and why not

Exit codes: 0 success; 1 tests failed or plan blocked; 2 invalid input or usage.
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
    /// Classify test failures (JSON Lines) and route each to a model.
    Classify(ClassifyArgs),
    /// Inspect and validate plugins.
    #[command(subcommand)]
    Plugin(PluginCommand),
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
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Table,
    Json,
}
