//! `pitcrew plugin run FILE --input INPUT.json`: one call of one plugin on
//! one input, its answer and its log printed as JSON, for authors' tests.
//! The world is the component's own; the input is that world's record as
//! JSON (see `host::bindings::json`):
//!
//! - phase: `{"facts": {…}, "document": {…}, "checks": […]}`
//! - classifier: a list of failures, `[{"test_name": …, "message": …}]`
//! - router: `{"failure": {…}, "classification": {…}, "group_size": 1}`
//!
//! Any of them may carry the plugin's configuration as `"config": {…}`
//! (a classifier's batch then goes in `"batch"`), checked against the
//! plugin's config schema as pitcrew.toml's would be.

use std::io::Write as _;
use std::path::Path;
use std::sync::{Arc, Mutex};

use serde::Serialize;
use serde_json::Value;

use crate::InputError;
use crate::cli::GlobalArgs;
use crate::error::exit;
use crate::escape::control_chars;
use crate::host::bindings::json;
use crate::host::{CallError, Plugin, PluginConfig, PluginSpec, Source, World, types};

/// The tracing target of everything a plugin says (`log`, stdout, stderr).
const PLUGIN_LOG_TARGET: &str = "pitcrew::plugin";

#[derive(Serialize)]
struct Report {
    plugin: String,
    version: String,
    world: World,
    #[serde(skip_serializing_if = "Option::is_none")]
    answer: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
    /// Every line the plugin logged or printed, in order, escaped.
    log: Vec<String>,
}

pub fn run(global: &GlobalArgs, file: &Path, input: &Path) -> anyhow::Result<u8> {
    let config = super::super::config(global)?;
    let runtime = super::super::runtime(&config)?;
    let text = std::fs::read_to_string(input)
        .map_err(|e| InputError::new(format!("{}: cannot read it: {e}", input.display())))?;
    let mut input_json: Value = serde_json::from_str(&text)
        .map_err(|e| InputError::new(format!("{}: not JSON: {e}", input.display())))?;
    let plugin_config = take_config(&mut input_json, input)?;
    let spec = PluginSpec {
        source: Source::File(file.to_path_buf()),
        sha256: None,
        limits: config.classifier.limits,
        config: plugin_config,
    };
    let log = Captured::default();
    let (plugin, answer) = log.during(|| {
        let plugin = Plugin::load(&runtime, &spec, "run", None)
            .map_err(|e| InputError::new(e.to_string()))?;
        let answer = call(&plugin, input_json, input);
        Ok::<_, InputError>((plugin, answer))
    })?;
    let (answer, error) = match answer {
        Ok(answer) => (Some(answer), None),
        Err(Failure::Input(err)) => return Err(err.into()),
        Err(Failure::Call(err)) => (None, Some(err.to_string())),
        Err(Failure::Refused(reason)) => (None, Some(reason)),
    };
    let failed = error.is_some();
    let report = Report {
        plugin: control_chars(&plugin.info.name).into_owned(),
        version: control_chars(&plugin.info.version).into_owned(),
        world: plugin.world,
        answer,
        error,
        log: log.lines(),
    };
    let mut out = std::io::stdout().lock();
    writeln!(out, "{}", crate::json::to_string_pretty(&report)?)?;
    Ok(if failed { exit::FAILED } else { exit::SUCCESS })
}

/// The input's `config`, taken out of it; a classifier's `{"batch": […],
/// "config": {…}}` becomes its batch.
fn take_config(input: &mut Value, origin: &Path) -> Result<Option<PluginConfig>, InputError> {
    let Some(object) = input.as_object_mut() else {
        return Ok(None);
    };
    let Some(value) = object.remove("config") else {
        return Ok(None);
    };
    if !value.is_object() {
        return Err(InputError::new(format!(
            "{}: config: must be a JSON object",
            origin.display()
        )));
    }
    if let Some(batch) = object.remove("batch") {
        *input = batch;
    }
    Ok(Some(PluginConfig {
        value,
        key: "config".into(),
        file: origin.display().to_string(),
    }))
}

enum Failure {
    /// The input file is not this world's record.
    Input(InputError),
    /// The plugin's call failed: shown as its answer, exit 1.
    Call(CallError),
    /// The answer breaks the contract a plan holds it to: shown the same way.
    Refused(String),
}

impl From<CallError> for Failure {
    fn from(err: CallError) -> Self {
        Failure::Call(err)
    }
}

fn call(plugin: &Plugin, input: Value, origin: &Path) -> Result<Value, Failure> {
    let bad = |world: World, e: serde_json::Error| {
        Failure::Input(InputError::new(format!(
            "{}: not a {world} input: {e}",
            origin.display()
        )))
    };
    let answer = match plugin.world {
        World::Phase => {
            let input: json::PhaseInput =
                serde_json::from_value(input).map_err(|e| bad(World::Phase, e))?;
            for (name, value) in [("facts", &input.facts), ("document", &input.document)] {
                if !value.is_object() {
                    return Err(Failure::Input(InputError::new(format!(
                        "{}: {name}: must be a JSON object",
                        origin.display()
                    ))));
                }
            }
            let facts = input.facts.to_string();
            let document = input.document.to_string();
            let output = plugin.run_phase(&types::PhaseInput {
                facts,
                document,
                checks: input.checks(),
            })?;
            crate::pipeline::accepted_keys(plugin, &output)
                .map_err(|e| Failure::Refused(e.to_string()))?;
            serde_json::to_value(json::PhaseOutput::from(output))
        }
        World::Classifier => {
            let batch: Vec<json::Failure> =
                serde_json::from_value(input).map_err(|e| bad(World::Classifier, e))?;
            let batch: Vec<types::Failure> = batch
                .into_iter()
                .enumerate()
                .map(|(i, f)| f.into_wit(i))
                .collect();
            let answer = plugin.classify(&batch)?;
            serde_json::to_value(
                answer
                    .into_iter()
                    .map(json::Classification::from)
                    .collect::<Vec<_>>(),
            )
        }
        World::Router => {
            let request: json::RouteRequest =
                serde_json::from_value(input).map_err(|e| bad(World::Router, e))?;
            let route = plugin.route(&request.into())?;
            serde_json::to_value(json::Route::from(route))
        }
    };
    // Serializing our own records cannot fail (string keys, finite or
    // null floats); say so rather than panic if it ever does.
    answer.map_err(|e| {
        Failure::Call(plugin.contract("answer", format!("cannot be shown as JSON: {e}")))
    })
}

/// The plugin's log lines, captured for the report while a closure runs
/// (on this thread: plugin calls are synchronous).
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Captured {
    fn during<R>(&self, f: impl FnOnce() -> R) -> R {
        let subscriber = tracing_subscriber::fmt()
            .with_env_filter(tracing_subscriber::EnvFilter::new(format!(
                "{PLUGIN_LOG_TARGET}=trace"
            )))
            .with_writer(self.clone())
            .with_ansi(false)
            .with_target(false)
            .without_time()
            .finish();
        tracing::subscriber::with_default(subscriber, f)
    }

    fn lines(&self) -> Vec<String> {
        let bytes = self.0.lock().map(|b| b.clone()).unwrap_or_default();
        String::from_utf8_lossy(&bytes)
            .lines()
            .map(|line| control_chars(line.trim()).into_owned())
            .collect()
    }
}

impl std::io::Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if let Ok(mut bytes) = self.0.lock() {
            bytes.extend_from_slice(buf);
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for Captured {
    type Writer = Captured;

    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}
