//! One module per subcommand; each is thin and returns the exit code.

mod classify;
mod cost;
mod plan;
mod plugin;
mod report;
mod run;
mod split;
mod suite;
mod test;
mod worker_report;

use anyhow::Context as _;

use crate::cli::{Cli, Command, GlobalArgs};
use crate::config::Config;
use crate::error::ResultExt as _;
use crate::host::Runtime;

pub fn run(cli: Cli) -> anyhow::Result<u8> {
    match cli.command {
        Command::Plan(args) => plan::run(&cli.global, &args),
        Command::WorkerReport(args) => worker_report::run(&cli.global, &args),
        Command::Test(args) => test::run(&cli.global, &args),
        Command::Split(args) => split::run(&cli.global, &args),
        Command::Run(args) => run::run(&cli.global, &args),
        Command::Report(args) => report::run(&cli.global, &args),
        Command::Classify(args) => classify::run(&cli.global, &args),
        Command::Plugin(command) => plugin::run(&cli.global, command),
        Command::Cost(args) => cost::run(&cli.global, &args),
    }
}

/// The configuration with the command line's overrides applied.
fn config(global: &GlobalArgs) -> anyhow::Result<Config> {
    let mut config = Config::load(global.config.as_deref()).classified()?;
    config.apply_overrides(global.no_cache);
    Ok(config)
}

fn runtime(config: &Config) -> anyhow::Result<Runtime> {
    Runtime::new(&config.cache).context("starting the plugin runtime")
}
