//! `pitcrew worker-report`: run on each training node.

use std::io::Write as _;
use std::time::Duration;

use crate::InputError;
use crate::cli::{GlobalArgs, WorkerReportArgs};
use crate::error::{ResultExt as _, exit};
use crate::output::write_atomic;
use crate::training::gather::{self, GatherOptions};
use crate::training::spec;

pub fn run(_global: &GlobalArgs, args: &WorkerReportArgs) -> anyhow::Result<u8> {
    let spec = spec::load(&args.spec).classified()?;
    if !spec.workers.iter().any(|w| w.name == args.name) {
        return Err(InputError::new(format!(
            "--name: no [[worker]] named {:?} in {}",
            crate::escape::control_chars(&args.name),
            args.spec.display()
        ))
        .into());
    }
    let Some(calibrate) = args.calibrate.as_deref() else {
        return Err(InputError::new(
            "--calibrate: required: the command that measures this node's throughput",
        )
        .into());
    };
    if args.timeout_s == 0 {
        return Err(InputError::new("--timeout-s: must be at least 1").into());
    }
    let report = gather::gather(
        &spec,
        &GatherOptions {
            name: &args.name,
            calibrate,
            runs: 3,
            timeout: Duration::from_secs(args.timeout_s),
            python: &args.python,
        },
    )
    .classified()?;
    let json = crate::json::to_string_pretty(&report)?;
    match &args.output {
        Some(path) => write_atomic(path, json.as_bytes())?,
        None => writeln!(std::io::stdout().lock(), "{json}")?,
    }
    Ok(exit::SUCCESS)
}
