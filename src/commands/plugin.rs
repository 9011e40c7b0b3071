//! `pitcrew plugin list`, `check`, `run` and `wit`.

mod new;
mod run;
mod wit;

use std::io::Write as _;
use std::path::Path;

use serde::Serialize;

use super::{config, runtime};
use crate::InputError;
use crate::cli::{Format, GlobalArgs, PluginCommand};
use crate::error::exit;
use crate::escape::control_chars;
use crate::host::inspect::{self, Inspection};
use crate::host::{Plugin, PluginSpec, Runtime, Source, World};

pub fn run(global: &GlobalArgs, command: PluginCommand) -> anyhow::Result<u8> {
    match command {
        PluginCommand::List { format } => list(global, format),
        PluginCommand::Check { file, format } => check(global, &file, format),
        PluginCommand::Run { file, input } => run::run(global, &file, &input),
        PluginCommand::New {
            world,
            lang,
            name,
            dir,
        } => new::run(world.into(), lang, &name, dir),
        PluginCommand::Wit { version, output } => wit::run(version.as_deref(), output.as_deref()),
    }
}

#[derive(Serialize)]
struct Row {
    slot: String,
    name: String,
    version: String,
    world: Option<World>,
    source: String,
    sha256: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    disabled: bool,
}

fn list(global: &GlobalArgs, format: Format) -> anyhow::Result<u8> {
    let config = config(global)?;
    let runtime = runtime(&config)?;
    let mut slots: Vec<(String, &PluginSpec, Option<World>, bool)> = vec![
        (
            "classifier".into(),
            &config.classifier,
            Some(World::Classifier),
            false,
        ),
        ("router".into(), &config.router, Some(World::Router), false),
    ];
    for (name, phase) in &config.phases {
        slots.push((
            format!("phases.{name}"),
            &phase.spec,
            Some(World::Phase),
            !phase.enabled,
        ));
    }
    let rows: Vec<Row> = slots
        .into_iter()
        .map(|(slot, spec, world, disabled)| row(&runtime, slot, spec, world, disabled))
        .collect();
    let failed = rows.iter().any(|row| row.error.is_some());

    let mut out = std::io::stdout().lock();
    match format {
        Format::Json => writeln!(out, "{}", crate::json::to_string_pretty(&rows)?)?,
        Format::Table => {
            let table: Vec<[String; 6]> = rows
                .iter()
                .map(|r| {
                    let status = match (&r.error, r.disabled) {
                        (Some(err), _) => format!("error: {err}"),
                        (None, true) => "disabled".into(),
                        (None, false) => short_sha(&r.sha256),
                    };
                    let world = r.world.map(|w| w.to_string()).unwrap_or_default();
                    [
                        r.slot.clone(),
                        r.name.clone(),
                        r.version.clone(),
                        world,
                        r.source.clone(),
                        status,
                    ]
                })
                .collect();
            print_table(
                &mut out,
                ["SLOT", "NAME", "VERSION", "WORLD", "SOURCE", "SHA256"],
                &table,
            )?;
        }
    }
    if failed {
        return Err(
            InputError::new("some plugin slots cannot be loaded (see the list above)").into(),
        );
    }
    Ok(exit::SUCCESS)
}

fn row(
    runtime: &Runtime,
    slot: String,
    spec: &PluginSpec,
    world: Option<World>,
    disabled: bool,
) -> Row {
    match Plugin::load(runtime, spec, &slot, world) {
        Ok(plugin) => Row {
            slot,
            name: control_chars(&plugin.info.name).into_owned(),
            version: control_chars(&plugin.info.version).into_owned(),
            world: Some(plugin.world),
            source: plugin.source.to_string(),
            sha256: plugin.sha256,
            error: None,
            disabled,
        },
        Err(err) => Row {
            slot,
            name: String::new(),
            version: String::new(),
            world,
            source: spec.source.to_string(),
            sha256: String::new(),
            error: Some(err.to_string()),
            disabled,
        },
    }
}

#[derive(Serialize)]
struct CheckReport {
    file: String,
    sha256: String,
    #[serde(flatten)]
    inspection: Inspection,
    /// Imports the sandbox links but refuses at run time.
    denied: Vec<inspect::Denied>,
    plugin: Option<PluginSummary>,
    loadable: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<String>,
}

#[derive(Serialize)]
struct PluginSummary {
    name: String,
    version: String,
    description: String,
    /// The contract version whose bindings serve it.
    contract: &'static str,
    /// The JSON Schema its configuration must match, if it declares one.
    config_schema: Option<serde_json::Value>,
}

fn check(global: &GlobalArgs, file: &Path, format: Format) -> anyhow::Result<u8> {
    let config = config(global)?;
    let runtime = runtime(&config)?;
    let origin = file.display().to_string();
    let bytes = crate::host::read::component_file(file)
        .map_err(|e| InputError::new(format!("{origin}: cannot read it: {e}")))?;
    let (component, sha256) = runtime
        .compile_bytes(&origin, &bytes)
        .map_err(|e| InputError::new(e.to_string()))?;
    let inspection = inspect::inspect(runtime.engine(), &component);
    let denied = inspect::denied_imports(&inspection.imports);
    let spec = PluginSpec {
        source: Source::File(file.to_path_buf()),
        sha256: None,
        limits: config.classifier.limits,
        config: None,
    };
    let loaded = Plugin::load(&runtime, &spec, crate::host::plugin::INSPECT_SLOT, None);
    let report = CheckReport {
        file: origin,
        sha256,
        inspection,
        plugin: loaded.as_ref().ok().map(|p| PluginSummary {
            name: control_chars(&p.info.name).into_owned(),
            version: control_chars(&p.info.version).into_owned(),
            description: control_chars(&p.info.description).into_owned(),
            contract: p.contract_version(),
            config_schema: p
                .info
                .config_schema
                .as_deref()
                .and_then(|s| serde_json::from_str(s).ok()),
        }),
        denied,
        loadable: loaded.is_ok(),
        reason: loaded.as_ref().err().map(ToString::to_string),
    };

    let mut out = std::io::stdout().lock();
    match format {
        Format::Json => writeln!(out, "{}", crate::json::to_string_pretty(&report)?)?,
        Format::Table => print_check(&mut out, &report)?,
    }
    match loaded {
        Ok(_) => Ok(exit::SUCCESS),
        Err(err) => Err(InputError::new(err.to_string()).into()),
    }
}

fn print_check(out: &mut impl std::io::Write, report: &CheckReport) -> std::io::Result<()> {
    let world = match (
        &report.inspection.world,
        &report.inspection.contract_version,
    ) {
        (Some(world), Some(version)) => format!("{world} ({}@{version})", inspect::PACKAGE),
        (Some(world), None) => world.to_string(),
        (None, Some(version)) => format!("none ({}@{version})", inspect::PACKAGE),
        (None, None) => "none".into(),
    };
    // The path is whoever named the file's: a pull request's, maybe.
    writeln!(out, "file:     {}", control_chars(&report.file))?;
    writeln!(out, "sha256:   {}", report.sha256)?;
    writeln!(out, "world:    {world}")?;
    if let Some(plugin) = &report.plugin {
        writeln!(
            out,
            "plugin:   {} {} — {}",
            plugin.name, plugin.version, plugin.description
        )?;
        let config = match (&plugin.config_schema, plugin.contract) {
            (_, "0.1.0") => "none (built for pitcrew:plugin@0.1.0)",
            (Some(_), _) => "a config schema is declared (see --format json)",
            (None, _) => "any JSON object (no schema declared)",
        };
        writeln!(out, "config:   {config}")?;
    }
    let exports: Vec<_> = report
        .inspection
        .exports
        .iter()
        .map(|e| control_chars(e))
        .collect();
    writeln!(out, "exports:  {}", exports.join(", "))?;
    writeln!(out, "imports:  {}", report.inspection.imports.len())?;
    for import in &report.inspection.imports {
        match report.denied.iter().find(|d| &d.import == import) {
            Some(denied) => writeln!(
                out,
                "  {}  (refused at run time: {})",
                control_chars(import),
                denied.reason
            )?,
            None => writeln!(out, "  {}", control_chars(import))?,
        }
    }
    let refused = refused_summary(&report.denied);
    match (&report.reason, refused) {
        (None, None) => writeln!(out, "verdict:  ok, this pitcrew can load it"),
        (None, Some(refused)) => writeln!(
            out,
            "verdict:  ok, this pitcrew can load it, but the sandbox will refuse what it imports for {refused}"
        ),
        (Some(reason), _) => writeln!(out, "verdict:  cannot load: {reason}"),
    }
}

/// "network (wasi:sockets) and files (wasi:filesystem)", or `None`.
fn refused_summary(denied: &[inspect::Denied]) -> Option<String> {
    let mut groups: Vec<&str> = denied.iter().map(|d| d.reason).collect();
    groups.sort_unstable();
    groups.dedup();
    (!groups.is_empty()).then(|| groups.join(" and "))
}

fn short_sha(sha: &str) -> String {
    sha.get(..12).unwrap_or(sha).to_string()
}

/// Left-aligned columns, two spaces apart.
fn print_table<const N: usize>(
    out: &mut impl std::io::Write,
    header: [&str; N],
    rows: &[[String; N]],
) -> std::io::Result<()> {
    let mut widths = header.map(str::len);
    for row in rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    // Padded by hand: `format!("{cell:<width$}")` panics past a width of
    // 65,535, and a cell can be as long as whatever a plugin returned.
    let line = |cells: Vec<&str>| {
        let mut text = String::new();
        for (i, (cell, width)) in cells.iter().zip(widths).enumerate() {
            text.push_str(cell);
            if i + 1 < N {
                let pad = width.saturating_sub(cell.chars().count()) + 2;
                text.extend(std::iter::repeat_n(' ', pad));
            }
        }
        text
    };
    writeln!(out, "{}", line(header.to_vec()))?;
    for row in rows {
        writeln!(out, "{}", line(row.iter().map(String::as_str).collect()))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cell_wider_than_u16_is_printed_not_a_panic() {
        let long = "n".repeat(70_000);
        let mut out = Vec::new();
        print_table(
            &mut out,
            ["A", "B"],
            &[[long.clone(), "x".into()], ["y".into(), "z".into()]],
        )
        .unwrap();
        let text = String::from_utf8(out).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[1], format!("{long}  x"));
        assert_eq!(lines[2].len(), 70_000 + 3);
        assert!(lines[2].starts_with("y ") && lines[2].ends_with(" z"));
    }
}
