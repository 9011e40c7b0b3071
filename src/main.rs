use std::io::IsTerminal as _;
use std::process::ExitCode;

use clap::Parser;
use pitcrew::cli::Cli;
use pitcrew::error::{exit_code, is_broken_pipe};
use pitcrew::host::compiler;
use tracing_subscriber::EnvFilter;

fn main() -> ExitCode {
    // `pitcrew __compile` (hidden): compile a plugin for a parent pitcrew,
    // bounded by the limits it set (see `host::compiler`). No clap, no logs.
    if std::env::args_os().nth(1).as_deref() == Some(compiler::SUBCOMMAND.as_ref()) {
        return compiler::child_main();
    }
    if let Some(exe) = compiler::this_executable() {
        compiler::use_child_compiler(exe);
    }
    let cli = Cli::parse();
    init_logging(cli.global.verbose, cli.global.quiet);
    let result = pitcrew::commands::run(cli);
    pitcrew::process_group::wait_if_interrupted();
    match result {
        Ok(code) => ExitCode::from(code),
        Err(err) => {
            // A closed pipe (`| head`) is the reader saying "enough": no
            // message (exit_code makes it 0).
            if !is_broken_pipe(&err) {
                // One line: the chain joined, as ripgrep and cargo do. It may
                // quote what a file or a plugin said (a config value, a file
                // name): escaped, it can neither drive the terminal nor
                // start a workflow command on a line of its own.
                let message = format!("{err:#}");
                eprintln!("error: {}", pitcrew::escape::control_chars(&message));
            }
            ExitCode::from(exit_code(&err))
        }
    }
}

/// Logs go to stderr. `PITCREW_LOG` (an `EnvFilter` directive) wins over
/// `-v`/`-q`. As `--help` says: `-v` is debug, `-vv` trace, for pitcrew and
/// its plugins; libraries stay at warnings (their debug output is noise).
fn init_logging(verbose: u8, quiet: bool) {
    let level = match (quiet, verbose) {
        (true, _) => "error",
        (false, 0) => "warn",
        (false, 1) => "warn,pitcrew=debug",
        (false, _) => "warn,pitcrew=trace",
    };
    let filter = EnvFilter::try_from_env("PITCREW_LOG").unwrap_or_else(|_| EnvFilter::new(level));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        // Colour only for a terminal: in a pipe or a CI log it is noise.
        .with_ansi(std::io::stderr().is_terminal())
        .with_target(false)
        .without_time()
        .init();
}
