//! `pitcrew classify`: failures as JSON Lines in, one classification (and
//! route) per failure out.

use std::io::{Read as _, Write as _};

use anyhow::Context as _;

use super::{config, runtime};
use crate::InputError;
use crate::cli::{ClassifyArgs, ClassifyFormat, GlobalArgs};
use crate::error::exit;
use crate::escape::control_chars;
use crate::host::{Plugin, World};
use crate::triage::{classify, failures};

pub fn run(global: &GlobalArgs, args: &ClassifyArgs) -> anyhow::Result<u8> {
    let (text, origin) = read_input(args)?;
    let failures = failures::parse_jsonl(&text, &origin)?;
    let config = config(global)?;
    let runtime = runtime(&config)?;
    let classifier = Plugin::load(
        &runtime,
        &config.classifier,
        "classifier",
        Some(World::Classifier),
    )
    .context("loading the classifier")?;
    let router = match args.no_route {
        true => None,
        false => Some(
            Plugin::load(&runtime, &config.router, "router", Some(World::Router))
                .context("loading the router")?,
        ),
    };
    let triaged = classify::triage(&classifier, router.as_ref(), &failures)?;

    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    match args.format {
        ClassifyFormat::Jsonl => {
            for item in &triaged {
                serde_json::to_writer(&mut out, item)?;
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

fn read_input(args: &ClassifyArgs) -> anyhow::Result<(String, String)> {
    match &args.input {
        Some(path) if path.as_os_str() != "-" => {
            let origin = path.display().to_string();
            let text = std::fs::read_to_string(path)
                .map_err(|e| InputError::new(format!("{origin}: cannot read it: {e}")))?;
            Ok((text, origin))
        }
        _ => {
            let mut text = String::new();
            std::io::stdin()
                .read_to_string(&mut text)
                .map_err(|e| InputError::new(format!("standard input: cannot read it: {e}")))?;
            Ok((text, "-".into()))
        }
    }
}
