//! `pitcrew classify`: failures as JSON Lines in, one classification (and
//! route) per failure out.

use std::io::Write as _;

use anyhow::Context as _;

use super::{config, runtime};
use crate::InputError;
use crate::cli::{ClassifyArgs, ClassifyFormat, GlobalArgs};
use crate::error::{ResultExt as _, exit};
use crate::escape::control_chars;
use crate::host::{Plugin, World, read, types};
use crate::triage::{classify, failures};

pub fn run(global: &GlobalArgs, args: &ClassifyArgs) -> anyhow::Result<u8> {
    let (text, origin) = read_input(args)?;
    let failures = usable_failures(&text, &origin)?;
    let config = config(global)?;
    let runtime = runtime(&config)?;
    let classifier = Plugin::load(
        &runtime,
        &config.classifier,
        "classifier",
        Some(World::Classifier),
    )
    .classified()
    .context("loading the classifier")?;
    let router = match args.no_route {
        true => None,
        false => Some(
            Plugin::load(&runtime, &config.router, "router", Some(World::Router))
                .classified()
                .context("loading the router")?,
        ),
    };
    let triaged = classify::triage(&classifier, router.as_ref(), &failures).classified()?;

    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    match args.format {
        ClassifyFormat::Jsonl => {
            for item in &triaged {
                crate::json::to_writer(&mut out, item)?;
                out.write_all(b"\n")?;
            }
        }
        ClassifyFormat::Table => {
            for item in &triaged {
                let model = item.route.as_ref().map_or("-", |r| r.model.as_str());
                writeln!(
                    out,
                    "{:<11} {:<10} {:<10} {:>4.2}  {:<20}  {}",
                    item.category,
                    item.language,
                    item.specialty,
                    item.confidence,
                    model,
                    control_chars(&item.test_name)
                )?;
                writeln!(
                    out,
                    "            evidence: {}",
                    control_chars(&item.evidence)
                )?;
            }
        }
    }
    out.flush()?;
    Ok(exit::SUCCESS)
}

/// Bad lines shown one by one; past this, a count (a broken file of a
/// million lines must not flood the terminal).
const BAD_LINES_SHOWN: usize = 20;

/// The usable failures of the input. Each bad line is a warning naming its
/// number, and the rest are classified; only when lines were given and none
/// was usable is it an input error (exit 2).
fn usable_failures(text: &str, origin: &str) -> anyhow::Result<Vec<types::Failure>> {
    let parsed = failures::parse_jsonl(text);
    let origin = control_chars(origin);
    if let Some(first) = parsed.bad.first()
        && parsed.failures.is_empty()
    {
        let others = match parsed.bad.len() - 1 {
            0 => String::new(),
            n => format!(" ({n} more bad lines)"),
        };
        return Err(InputError::new(format!(
            "{origin}: no usable line: line {}: {}{others}",
            first.number, first.reason
        ))
        .into());
    }
    for bad in parsed.bad.iter().take(BAD_LINES_SHOWN) {
        tracing::warn!("{origin}:{}: {}; line skipped", bad.number, bad.reason);
    }
    if parsed.bad.len() > BAD_LINES_SHOWN {
        tracing::warn!(
            "{origin}: {} more bad lines skipped",
            parsed.bad.len() - BAD_LINES_SHOWN
        );
    }
    Ok(parsed.failures)
}

/// Failures files are JSON Lines of bounded messages: 100,000 failures
/// weigh tens of MiB. Past this, the input is refused, not read on.
pub const MAX_INPUT_BYTES: u64 = 256 * 1024 * 1024;

/// The input's text and its name. A named file must be a regular file (a
/// FIFO or a device is refused at once, never read); standard input (`-`
/// or none) is read up to the same bound.
fn read_input(args: &ClassifyArgs) -> anyhow::Result<(String, String)> {
    let (bytes, origin) = match &args.input {
        Some(path) if path.as_os_str() != "-" => {
            let origin = path.display().to_string();
            let read = read::regular_file(path, MAX_INPUT_BYTES).map(|(bytes, ..)| bytes);
            (read, origin)
        }
        _ => (
            read::bounded(std::io::stdin().lock(), MAX_INPUT_BYTES),
            "standard input".to_string(),
        ),
    };
    let cannot = |why: &dyn std::fmt::Display| {
        InputError::new(format!("{}: cannot read it: {why}", control_chars(&origin)))
    };
    let bytes = bytes.map_err(|e| cannot(&e))?;
    let text = String::from_utf8(bytes).map_err(|_| cannot(&"not valid UTF-8"))?;
    let origin = match args.input.as_deref() {
        Some(path) if path.as_os_str() != "-" => origin,
        _ => "-".into(),
    };
    Ok((text, origin))
}
