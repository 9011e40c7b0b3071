//! `pitcrew.toml`: which plugin fills each slot, their limits, whether to
//! use the compilation cache (never where it is: that is the user's choice).
//! Every setting has a built-in default, so the file is optional. Unknown
//! keys, wrong types, bad pins and missing files are errors that name the
//! key and the file.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Deserialize;

use crate::github::cost::{PriceOverrides, PriceTable};
use crate::host::limits::{CompileLimits, MIB};
use crate::host::{CacheSetting, Limits, PluginConfig, PluginSpec, Source};

pub const FILE_NAME: &str = "pitcrew.toml";

/// Phase slots of the pipelines, with their built-in plugins.
pub const PHASE_SLOTS: &[(&str, &str)] = &[
    ("strategy", "strategy"),
    ("pre-sync", "pre-sync"),
    ("hardware-calibration", "hardware-calibration"),
    ("worker-consistency", "worker-consistency"),
    ("coordinator-chunking", "coordinator-chunking"),
    ("pre-flight", "pre-flight"),
    ("summary", "summary"),
];

/// Built-in phases that cannot be disabled: without them a pipeline has no
/// verdict (`verdict` is native and not configurable).
pub const REQUIRED_PHASES: &[&str] = &["pre-flight", "verdict"];

/// A problem in the configuration: `{file}: {problem}`, one line.
#[derive(Debug, thiserror::Error)]
#[error("{file}: {problem}")]
pub struct ConfigError {
    pub file: String,
    pub problem: ConfigProblem,
}

/// What is wrong in a configuration, naming the key (the file is named by
/// [`ConfigError`]).
#[derive(Debug, thiserror::Error)]
pub enum ConfigProblem {
    #[error("cannot read it: {0}")]
    Read(std::io::Error),
    /// Not TOML, an unknown key or a wrong type: `line N (`key`): message`.
    #[error("{0}")]
    Toml(String),
    #[error(
        "cache.dir: the cache location cannot be set in pitcrew.toml \
         (a repository must not choose where compiled code is loaded from); \
         set PITCREW_CACHE_DIR instead"
    )]
    CacheDir,
    #[error("{key}: no such phase (phases: {known})")]
    UnknownPhase { key: String, known: String },
    #[error("{key}.enabled: only phases can be disabled")]
    NotAPhase { key: String },
    #[error("{key}.enabled: a required phase cannot be disabled{hint}")]
    RequiredDisabled { key: String, hint: &'static str },
    #[error("{key}.name: {reason}")]
    PhaseName { key: String, reason: String },
    #[error("{pipeline}.phases: {count} phases added (at most {MAX_ADDED_PHASES})")]
    TooManyPhases { pipeline: String, count: usize },
    #[error("{key}.source: missing; an added phase needs `builtin:NAME` or a path to a .wasm file")]
    NoSource { key: String },
    #[error("{key}.source: {reason}")]
    Source { key: String, reason: SourceProblem },
    #[error("{key}.sha256: `{pin}` is not 64 hexadecimal digits")]
    Pin { key: String, pin: String },
    #[error("{key}.{field}: {reason}")]
    Limit {
        key: String,
        field: &'static str,
        reason: &'static str,
    },
    /// `[cost]`: a price or a runner label that names no price.
    #[error(transparent)]
    Cost(#[from] crate::github::cost::PriceError),
    /// `[models]` or `[router]`: a key that names nothing, an empty list.
    #[error(transparent)]
    Triage(#[from] crate::triage::settings::SettingsError),
}

impl crate::error::HasKind for ConfigError {
    fn kind(&self) -> crate::error::ErrorKind {
        crate::error::ErrorKind::Input
    }
}

impl crate::error::HasKind for ConfigProblem {
    fn kind(&self) -> crate::error::ErrorKind {
        crate::error::ErrorKind::Input
    }
}

#[derive(Clone, Debug)]
pub struct Config {
    /// The file this came from, if any.
    pub file: Option<PathBuf>,
    pub cache: CacheSetting,
    pub classifier: PluginSpec,
    pub router: PluginSpec,
    pub phases: BTreeMap<String, PhaseSetting>,
    /// Phases added to the pipelines (`[[plan.phases]]`, `[[test.phases]]`),
    /// in the file's order.
    pub added: AddedPhases,
    /// Runner prices for cost estimates: the defaults with `[cost]` applied.
    pub prices: PriceTable,
    /// `[models]`: where triage asks models, and the run's budget.
    pub models: crate::triage::settings::ModelSettings,
    /// `[router]`: model lists replacing the router plugin's choice.
    pub router_overrides: crate::triage::settings::RouterOverrides,
}

#[derive(Clone, Debug)]
pub struct PhaseSetting {
    pub spec: PluginSpec,
    pub enabled: bool,
}

/// Phases a pipeline runs besides its built-ins.
#[derive(Clone, Debug, Default)]
pub struct AddedPhases {
    pub plan: Vec<AddedPhase>,
    pub test: Vec<AddedPhase>,
}

/// One added phase: its plugin, the phases it runs after (besides those its
/// plugin declares), and whether the run fails without it.
#[derive(Clone, Debug)]
pub struct AddedPhase {
    pub name: String,
    pub spec: PluginSpec,
    pub after: Vec<String>,
    pub required: bool,
    pub enabled: bool,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawPipeline {
    #[serde(default)]
    phases: Vec<RawAdded>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAdded {
    name: String,
    #[serde(default)]
    after: Vec<String>,
    required: Option<bool>,
    // A slot's fields (serde's `flatten` cannot deny unknown fields).
    source: Option<String>,
    sha256: Option<String>,
    enabled: Option<bool>,
    memory_mib: Option<u64>,
    cpu_time_ms: Option<u64>,
    output_mib: Option<u64>,
    config: Option<toml::Table>,
    // Compile limits (`host::limits::CompileLimits`).
    component_mib: Option<u64>,
    code_mib: Option<u64>,
    functions: Option<u64>,
    function_kib: Option<u64>,
    modules: Option<u64>,
    instances: Option<u64>,
    declarations: Option<u64>,
    compile_seconds: Option<u64>,
    compile_mib: Option<u64>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    cache: Option<RawCache>,
    limits: Option<RawLimits>,
    plugins: Option<RawPlugins>,
    #[serde(default)]
    phases: BTreeMap<String, RawSlot>,
    plan: Option<RawPipeline>,
    test: Option<RawPipeline>,
    cost: Option<PriceOverrides>,
    models: Option<crate::triage::settings::ModelSettings>,
    router: Option<crate::triage::settings::RouterOverrides>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCache {
    enabled: Option<bool>,
    /// Refused: see `Config::parse`.
    dir: Option<toml::Value>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawLimits {
    memory_mib: Option<u64>,
    cpu_time_ms: Option<u64>,
    output_mib: Option<u64>,
    // Compile limits (`host::limits::CompileLimits`).
    component_mib: Option<u64>,
    code_mib: Option<u64>,
    functions: Option<u64>,
    function_kib: Option<u64>,
    modules: Option<u64>,
    instances: Option<u64>,
    declarations: Option<u64>,
    compile_seconds: Option<u64>,
    compile_mib: Option<u64>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawPlugins {
    classifier: Option<RawSlot>,
    router: Option<RawSlot>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawSlot {
    source: Option<String>,
    sha256: Option<String>,
    enabled: Option<bool>,
    memory_mib: Option<u64>,
    cpu_time_ms: Option<u64>,
    output_mib: Option<u64>,
    /// `[….config]`: the plugin's own settings, handed to it as JSON.
    config: Option<toml::Table>,
    // Compile limits (`host::limits::CompileLimits`).
    component_mib: Option<u64>,
    code_mib: Option<u64>,
    functions: Option<u64>,
    function_kib: Option<u64>,
    modules: Option<u64>,
    instances: Option<u64>,
    declarations: Option<u64>,
    compile_seconds: Option<u64>,
    compile_mib: Option<u64>,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            file: None,
            cache: CacheSetting::Default,
            classifier: PluginSpec::builtin("classifier-default"),
            router: PluginSpec::builtin("router-default"),
            phases: PHASE_SLOTS
                .iter()
                .map(|(slot, builtin)| {
                    let setting = PhaseSetting {
                        spec: PluginSpec::builtin(builtin),
                        enabled: true,
                    };
                    (slot.to_string(), setting)
                })
                .collect(),
            added: AddedPhases::default(),
            prices: PriceTable::default(),
            models: Default::default(),
            router_overrides: Default::default(),
        }
    }
}

impl Config {
    /// Reads `path`, or `./pitcrew.toml` when it exists, or the defaults.
    pub fn load(path: Option<&Path>) -> Result<Self, ConfigError> {
        match path {
            Some(path) => Self::from_file(path),
            None if Path::new(FILE_NAME).is_file() => Self::from_file(Path::new(FILE_NAME)),
            None => Ok(Self::default()),
        }
    }

    pub fn from_file(path: &Path) -> Result<Self, ConfigError> {
        let file = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|e| ConfigError {
            file: file.clone(),
            problem: ConfigProblem::Read(e),
        })?;
        let base = path.parent().unwrap_or(Path::new("."));
        let mut config = Self::parse(&text, base).map_err(|problem| ConfigError {
            file: file.clone(),
            problem,
        })?;
        // Plugin configurations name this file when a plugin refuses them.
        for spec in config.specs_mut() {
            if let Some(plugin_config) = &mut spec.config {
                plugin_config.file = file.clone();
            }
        }
        Ok(config)
    }

    /// Parses a configuration whose relative paths are relative to `base`.
    pub fn parse(text: &str, base: &Path) -> Result<Self, ConfigProblem> {
        let raw: RawConfig =
            toml::from_str(text).map_err(|e| ConfigProblem::Toml(toml_error(text, &e)))?;
        let mut config = Config::default();
        let defaults = raw.limits.unwrap_or_default();
        let limits = limits("limits", &defaults, Limits::default())?;
        config.classifier.limits = limits;
        config.router.limits = limits;
        for setting in config.phases.values_mut() {
            setting.spec.limits = limits;
        }

        if let Some(cache) = raw.cache {
            // The file usually comes with the repository; a cache directory
            // it chose could hold compiled code it ships.
            if cache.dir.is_some() {
                return Err(ConfigProblem::CacheDir);
            }
            if cache.enabled == Some(false) {
                config.cache = CacheSetting::Disabled;
            }
        }
        let plugins = raw.plugins.unwrap_or_default();
        if let Some(slot) = plugins.classifier {
            config.classifier = spec("plugins.classifier", &slot, &config.classifier, base)?;
        }
        if let Some(slot) = plugins.router {
            config.router = spec("plugins.router", &slot, &config.router, base)?;
        }
        for (name, slot) in raw.phases {
            let key = format!("phases.{name}");
            let Some(current) = config.phases.get(&name) else {
                let known: Vec<&str> = PHASE_SLOTS.iter().map(|(slot, _)| *slot).collect();
                return Err(ConfigProblem::UnknownPhase {
                    key,
                    known: known.join(", "),
                });
            };
            let setting = PhaseSetting {
                spec: spec(&key, &slot, &current.spec, base)?,
                enabled: slot.enabled.unwrap_or(true),
            };
            if !setting.enabled && REQUIRED_PHASES.contains(&name.as_str()) {
                return Err(ConfigProblem::RequiredDisabled {
                    key,
                    hint: " (replace it with `source` instead)",
                });
            }
            config.phases.insert(name, setting);
        }
        let default_spec = PluginSpec {
            limits,
            ..PluginSpec::builtin("")
        };
        for (pipeline, raw) in [("plan", raw.plan), ("test", raw.test)] {
            let added = added_phases(pipeline, raw.unwrap_or_default(), &default_spec, base)?;
            match pipeline {
                "plan" => config.added.plan = added,
                _ => config.added.test = added,
            }
        }
        if let Some(cost) = raw.cost {
            config.prices.apply(&cost, "cost")?;
        }
        if let Some(models) = raw.models {
            models.validate()?;
            config.models = models;
        }
        if let Some(router) = raw.router {
            router.validate()?;
            config.router_overrides = router;
        }
        Ok(config)
    }

    /// Every plugin spec: classifier, router, phase slots, added phases.
    fn specs_mut(&mut self) -> impl Iterator<Item = &mut PluginSpec> {
        [&mut self.classifier, &mut self.router]
            .into_iter()
            .chain(self.phases.values_mut().map(|p| &mut p.spec))
            .chain(
                self.added
                    .plan
                    .iter_mut()
                    .chain(self.added.test.iter_mut())
                    .map(|p| &mut p.spec),
            )
    }

    /// Applies `--no-cache` and the environment (`PITCREW_NO_CACHE`,
    /// `PITCREW_CACHE_DIR`), which win over the file.
    pub fn apply_overrides(&mut self, no_cache: bool) {
        let env_no_cache =
            std::env::var_os("PITCREW_NO_CACHE").is_some_and(|v| !v.is_empty() && v != "0");
        if no_cache || env_no_cache {
            self.cache = CacheSetting::Disabled;
        } else if let Some(dir) = std::env::var_os("PITCREW_CACHE_DIR").filter(|d| !d.is_empty()) {
            self.cache = CacheSetting::Dir(PathBuf::from(dir));
        }
    }
}

/// Phases one pipeline may add. Each phase is handed every check before
/// it: 300 copies of one phase returning 1,000 checks each took 31 s, and
/// the time grows with the square of their number (round 66).
pub const MAX_ADDED_PHASES: usize = 32;

/// `[[PIPELINE.phases]]`: each needs a new kebab-case name (not a built-in
/// slot's, not given twice) and a source; a required one cannot be disabled.
fn added_phases(
    pipeline: &str,
    raw: RawPipeline,
    default: &PluginSpec,
    base: &Path,
) -> Result<Vec<AddedPhase>, ConfigProblem> {
    if raw.phases.len() > MAX_ADDED_PHASES {
        return Err(ConfigProblem::TooManyPhases {
            pipeline: pipeline.to_owned(),
            count: raw.phases.len(),
        });
    }
    let mut added: Vec<AddedPhase> = Vec::with_capacity(raw.phases.len());
    for (i, phase) in raw.phases.into_iter().enumerate() {
        let name_problem = |reason: String| ConfigProblem::PhaseName {
            key: format!("{pipeline}.phases[{i}]"),
            reason,
        };
        let name = phase.name;
        let kebab = !name.is_empty()
            && name.len() <= 64
            && name.starts_with(|c: char| c.is_ascii_lowercase())
            && name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        if !kebab {
            return Err(name_problem(format!(
                "`{}` is not a kebab-case name of at most 64 characters (e.g. `quarantine`)",
                crate::escape::control_chars(&name)
            )));
        }
        if PHASE_SLOTS.iter().any(|(slot, _)| *slot == name) || REQUIRED_PHASES.contains(&&*name) {
            return Err(name_problem(format!(
                "`{name}` is a built-in phase; replace it with `[phases.{name}]`"
            )));
        }
        if added.iter().any(|a| a.name == name) {
            return Err(name_problem(format!("`{name}` is added twice")));
        }
        let key = format!("{pipeline}.phases.{name}");
        let slot = RawSlot {
            source: phase.source,
            sha256: phase.sha256,
            enabled: phase.enabled,
            memory_mib: phase.memory_mib,
            cpu_time_ms: phase.cpu_time_ms,
            output_mib: phase.output_mib,
            config: phase.config,
            component_mib: phase.component_mib,
            code_mib: phase.code_mib,
            functions: phase.functions,
            function_kib: phase.function_kib,
            modules: phase.modules,
            instances: phase.instances,
            declarations: phase.declarations,
            compile_seconds: phase.compile_seconds,
            compile_mib: phase.compile_mib,
        };
        if slot.source.is_none() {
            return Err(ConfigProblem::NoSource { key });
        }
        let required = phase.required.unwrap_or(false);
        let enabled = slot.enabled.unwrap_or(true);
        if required && !enabled {
            return Err(ConfigProblem::RequiredDisabled {
                key,
                hint: " (set `required = false` or remove it)",
            });
        }
        added.push(AddedPhase {
            spec: spec(&key, &slot, default, base)?,
            name,
            after: phase.after,
            required,
            enabled,
        });
    }
    Ok(added)
}

fn spec(
    key: &str,
    slot: &RawSlot,
    current: &PluginSpec,
    base: &Path,
) -> Result<PluginSpec, ConfigProblem> {
    if key.starts_with("plugins.") && slot.enabled.is_some() {
        return Err(ConfigProblem::NotAPhase { key: key.into() });
    }
    let source = match &slot.source {
        None => current.source.clone(),
        Some(text) => parse_source(text, base).map_err(|reason| ConfigProblem::Source {
            key: key.into(),
            reason,
        })?,
    };
    let sha256 = match &slot.sha256 {
        None => None,
        Some(pin) if pin.len() == 64 && pin.bytes().all(|b| b.is_ascii_hexdigit()) => {
            Some(pin.to_ascii_lowercase())
        }
        Some(pin) => {
            return Err(ConfigProblem::Pin {
                key: key.into(),
                pin: pin.clone(),
            });
        }
    };
    let own = RawLimits {
        memory_mib: slot.memory_mib,
        cpu_time_ms: slot.cpu_time_ms,
        output_mib: slot.output_mib,
        component_mib: slot.component_mib,
        code_mib: slot.code_mib,
        functions: slot.functions,
        function_kib: slot.function_kib,
        modules: slot.modules,
        instances: slot.instances,
        declarations: slot.declarations,
        compile_seconds: slot.compile_seconds,
        compile_mib: slot.compile_mib,
    };
    let config = match &slot.config {
        None => current.config.clone(),
        Some(table) => Some(PluginConfig {
            value: toml_to_json(table),
            key: format!("{key}.config"),
            file: FILE_NAME.to_string(),
        }),
    };
    Ok(PluginSpec {
        source,
        sha256,
        limits: limits(key, &own, current.limits)?,
        config,
    })
}

/// A TOML table as the JSON object a plugin is handed. Dates and times,
/// which JSON lacks, become their TOML text.
fn toml_to_json(table: &toml::Table) -> serde_json::Value {
    fn value(v: &toml::Value) -> serde_json::Value {
        match v {
            toml::Value::String(s) => s.clone().into(),
            toml::Value::Integer(i) => (*i).into(),
            toml::Value::Float(f) => serde_json::Number::from_f64(*f)
                .map_or(serde_json::Value::Null, serde_json::Value::Number),
            toml::Value::Boolean(b) => (*b).into(),
            toml::Value::Datetime(d) => d.to_string().into(),
            toml::Value::Array(items) => items.iter().map(value).collect(),
            toml::Value::Table(t) => toml_to_json(t),
        }
    }
    serde_json::Value::Object(table.iter().map(|(k, v)| (k.clone(), value(v))).collect())
}

/// Why a plugin's `source` is not one (the caller names the key).
#[derive(Debug, thiserror::Error)]
pub enum SourceProblem {
    #[error("`builtin:` needs a plugin name, e.g. `builtin:classifier-default`")]
    NoBuiltinName,
    #[error("empty; use `builtin:NAME` or a path to a .wasm file")]
    Empty,
    #[error("`{}` does not exist or is not a file", .0.display())]
    NotAFile(PathBuf),
}

fn parse_source(text: &str, base: &Path) -> Result<Source, SourceProblem> {
    if let Some(name) = text.strip_prefix("builtin:") {
        if name.is_empty() {
            return Err(SourceProblem::NoBuiltinName);
        }
        return Ok(Source::Builtin(name.to_string()));
    }
    if text.is_empty() {
        return Err(SourceProblem::Empty);
    }
    let path = base.join(text);
    if !path.is_file() {
        return Err(SourceProblem::NotAFile(path));
    }
    Ok(Source::File(path))
}

fn limits(key: &str, raw: &RawLimits, base: Limits) -> Result<Limits, ConfigProblem> {
    let positive = |field: &'static str, value: Option<u64>| match value {
        Some(0) => Err(ConfigProblem::Limit {
            key: key.into(),
            field,
            reason: "must be greater than 0",
        }),
        other => Ok(other),
    };
    let memory = positive("memory_mib", raw.memory_mib)?;
    let cpu = positive("cpu_time_ms", raw.cpu_time_ms)?;
    let output = positive("output_mib", raw.output_mib)?;
    if memory.is_some_and(|m| m > 4096) {
        return Err(ConfigProblem::Limit {
            key: key.into(),
            field: "memory_mib",
            reason: "at most 4096 (a 32-bit wasm memory)",
        });
    }
    Ok(Limits {
        memory_bytes: memory.map_or(base.memory_bytes, |m| m * MIB),
        cpu_time: cpu.map_or(base.cpu_time, Duration::from_millis),
        output_bytes: output.map_or(base.output_bytes, |m| m.saturating_mul(MIB)),
        compile: compile_limits(key, raw, base.compile)?,
    })
}

/// `component_mib`, `code_mib`, `functions`, `function_kib`, `modules`,
/// `instances`, `declarations`, `compile_seconds`, `compile_mib`: each
/// positive, each in its unit.
fn compile_limits(
    key: &str,
    raw: &RawLimits,
    base: CompileLimits,
) -> Result<CompileLimits, ConfigProblem> {
    let pick = |field: &'static str, value: Option<u64>, unit: u64, current: u64| match value {
        Some(0) => Err(ConfigProblem::Limit {
            key: key.into(),
            field,
            reason: "must be greater than 0",
        }),
        Some(n) => Ok(n.saturating_mul(unit)),
        None => Ok(current),
    };
    Ok(CompileLimits {
        component_bytes: pick(
            "component_mib",
            raw.component_mib,
            MIB,
            base.component_bytes,
        )?,
        code_bytes: pick("code_mib", raw.code_mib, MIB, base.code_bytes)?,
        functions: pick("functions", raw.functions, 1, base.functions)?,
        function_bytes: pick("function_kib", raw.function_kib, 1024, base.function_bytes)?,
        modules: pick("modules", raw.modules, 1, base.modules)?,
        instances: pick("instances", raw.instances, 1, base.instances)?,
        declarations: pick("declarations", raw.declarations, 1, base.declarations)?,
        time: match pick("compile_seconds", raw.compile_seconds, 1, 0)? {
            0 => base.time,
            seconds => Duration::from_secs(seconds),
        },
        memory_bytes: pick("compile_mib", raw.compile_mib, MIB, base.memory_bytes)?,
    })
}

/// `line N (`key`): message`, from toml's span, on one line.
fn toml_error(text: &str, err: &toml::de::Error) -> String {
    let message = err.message().replace('\n', " ");
    let Some(span) = err.span() else {
        return message;
    };
    let start = span.start.min(text.len());
    let line_no = text[..start].matches('\n').count() + 1;
    let line = text.lines().nth(line_no - 1).unwrap_or("");
    match line.split_once('=') {
        Some((key, _)) if !line.trim_start().starts_with('[') => {
            format!("line {line_no} (`{}`): {message}", key.trim())
        }
        _ => format!("line {line_no}: {message}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config, ConfigProblem> {
        Config::parse(text, Path::new("/nonexistent-base"))
    }

    #[test]
    fn empty_file_gives_the_defaults() {
        let config = parse("").unwrap();
        assert_eq!(config.classifier, PluginSpec::builtin("classifier-default"));
        assert_eq!(config.router.limits, Limits::default());
        assert!(config.phases["summary"].enabled);
        assert_eq!(config.cache, CacheSetting::Default);
    }

    #[test]
    fn limits_cascade_from_defaults_to_slots() {
        let config = parse(
            "[limits]\nmemory_mib = 32\n[plugins.router]\nsource = \"builtin:router-default\"\ncpu_time_ms = 500\n",
        )
        .unwrap();
        assert_eq!(config.classifier.limits.memory_bytes, 32 * MIB);
        assert_eq!(config.router.limits.memory_bytes, 32 * MIB);
        assert_eq!(config.router.limits.cpu_time, Duration::from_millis(500));
        assert_eq!(config.classifier.limits.cpu_time, Duration::from_secs(2));
    }

    #[test]
    fn compile_limits_are_set_for_all_then_per_plugin() {
        let config = parse(
            "[limits]\nfunctions = 1000\ncode_mib = 8\n\
             [plugins.classifier]\nfunction_kib = 64\ncomponent_mib = 2\nmodules = 3\ninstances = 7\ndeclarations = 9\n\
             [[test.phases]]\nname = \"audit\"\nsource = \"builtin:summary\"\nfunctions = 5\n",
        )
        .unwrap();
        let classifier = config.classifier.limits.compile;
        assert_eq!(classifier.functions, 1000);
        assert_eq!(classifier.code_bytes, 8 * MIB);
        assert_eq!(classifier.function_bytes, 64 * 1024);
        assert_eq!(classifier.component_bytes, 2 * MIB);
        assert_eq!(
            (
                classifier.modules,
                classifier.instances,
                classifier.declarations
            ),
            (3, 7, 9)
        );
        let router = config.router.limits.compile;
        assert_eq!(router.functions, 1000);
        assert_eq!(
            router.function_bytes,
            CompileLimits::default().function_bytes
        );
        assert_eq!(config.added.test[0].spec.limits.compile.functions, 5);
        let err = parse("[plugins.router]\nmodules = 0\n")
            .unwrap_err()
            .to_string();
        assert_eq!(err, "plugins.router.modules: must be greater than 0");
    }

    #[test]
    fn compile_time_and_memory_are_set_for_all_then_per_plugin() {
        let config =
            parse("[limits]\ncompile_seconds = 30\n[plugins.classifier]\ncompile_mib = 256\n")
                .unwrap();
        let (classifier, router) = (
            config.classifier.limits.compile,
            config.router.limits.compile,
        );
        assert_eq!(classifier.time, Duration::from_secs(30));
        assert_eq!(classifier.memory_bytes, 256 * MIB);
        assert_eq!(router.time, Duration::from_secs(30));
        assert_eq!(router.memory_bytes, CompileLimits::default().memory_bytes);
        let err = parse("[plugins.router]\ncompile_seconds = 0\n")
            .unwrap_err()
            .to_string();
        assert_eq!(
            err,
            "plugins.router.compile_seconds: must be greater than 0"
        );
    }

    #[test]
    fn unknown_keys_are_named_with_their_line() {
        let err = parse("[limits]\nmemry_mib = 3\n").unwrap_err().to_string();
        assert!(
            err.starts_with("line 2 (`memry_mib`): unknown field `memry_mib`"),
            "{err}"
        );
        let err = parse("[plugins.linter]\nsource = \"x\"\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("unknown field `linter`"), "{err}");
    }

    #[test]
    fn wrong_types_are_named() {
        let err = parse("[limits]\nmemory_mib = \"64\"\n")
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("line 2 (`memory_mib`): invalid type"),
            "{err}"
        );
    }

    #[test]
    fn bad_values_name_their_key() {
        let err = parse("[limits]\ncpu_time_ms = 0\n")
            .unwrap_err()
            .to_string();
        assert_eq!(err, "limits.cpu_time_ms: must be greater than 0");
        let err = parse("[plugins.classifier]\nsha256 = \"abc\"\n")
            .unwrap_err()
            .to_string();
        assert_eq!(
            err,
            "plugins.classifier.sha256: `abc` is not 64 hexadecimal digits"
        );
        let err = parse("[plugins.classifier]\nsource = \"missing.wasm\"\n")
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with(
                "plugins.classifier.source: `/nonexistent-base/missing.wasm` does not exist"
            ),
            "{err}"
        );
        let err = parse("[phases.nope]\nenabled = false\n")
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("phases.nope: no such phase"), "{err}");
        let err = parse("[plugins.router]\nenabled = false\n")
            .unwrap_err()
            .to_string();
        assert_eq!(err, "plugins.router.enabled: only phases can be disabled");
        let err = parse("[plugins.router]\nsource = \"builtin:\"\n")
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("plugins.router.source: `builtin:` needs a plugin name"),
            "{err}"
        );
    }

    #[test]
    fn phases_can_be_disabled_and_cache_configured() {
        let config =
            parse("[phases.summary]\nenabled = false\n[cache]\nenabled = false\n").unwrap();
        assert!(!config.phases["summary"].enabled);
        assert_eq!(config.cache, CacheSetting::Disabled);
        let config = parse("[cost.prices]\nlinux = 0.008\n").unwrap();
        assert_eq!(config.prices.price(&["ubuntu-latest".into()]).1, 0.008);
        let config = parse("[cost]\nrunner = [\"self-hosted\", \"gpu\"]\n").unwrap();
        assert_eq!(config.prices.runner(), ["self-hosted", "gpu"]);
        let err = parse("[cost]\nrunner = [\" \"]\n").unwrap_err().to_string();
        assert!(err.starts_with("cost.runner: a label is empty"), "{err}");
        let err = parse("[cost.labels]\nbig = \"nope\"\n")
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("cost.labels.big: no price for the SKU `nope`"),
            "{err}"
        );
        let err = parse("[cache]\ndir = \"c\"\n").unwrap_err().to_string();
        assert!(
            err.starts_with("cache.dir: the cache location cannot be set in pitcrew.toml"),
            "{err}"
        );
    }

    #[test]
    fn every_configuration_problem_is_bad_input() {
        use crate::error::{ErrorKind, HasKind as _};
        assert_eq!(
            parse("[cache]\ndir = \"c\"\n").unwrap_err().kind(),
            ErrorKind::Input
        );
        let err = Config::from_file(Path::new("/nonexistent/pitcrew.toml")).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Input);
    }

    #[test]
    fn a_config_table_becomes_the_plugins_json_named_by_its_key_and_file() {
        let config = parse(
            "[plugins.router.config]\nmodel = \"qwen\"\nlimits = [1, 2.5]\n[plugins.router.config.nested]\non = true\n\
             [phases.summary.config]\nwhen = 1979-05-27\n\
             [[test.phases]]\nname = \"q\"\nsource = \"builtin:summary\"\n[test.phases.config]\nlist = \"known.txt\"\n",
        )
        .unwrap();
        let router = config.router.config.as_ref().unwrap();
        assert_eq!(router.key, "plugins.router.config");
        assert_eq!(router.file, "pitcrew.toml");
        assert_eq!(
            router.value,
            serde_json::json!({"model": "qwen", "limits": [1, 2.5], "nested": {"on": true}})
        );
        let summary = config.phases["summary"].spec.config.as_ref().unwrap();
        assert_eq!(summary.value, serde_json::json!({"when": "1979-05-27"}));
        let added = config.added.test[0].spec.config.as_ref().unwrap();
        assert_eq!(added.key, "test.phases.q.config");
        assert!(config.classifier.config.is_none());

        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("ci.toml");
        std::fs::write(&file, "[plugins.classifier.config]\nx = 1\n").unwrap();
        let loaded = Config::from_file(&file).unwrap();
        assert_eq!(
            loaded.classifier.config.unwrap().file,
            file.display().to_string()
        );
        let err = parse("[plugins.router]\nconfig = 3\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("`config`"), "{err}");
    }

    #[test]
    fn phases_are_added_per_pipeline_in_order() {
        let config = Config::parse(
            "[[plan.phases]]\nname = \"audit\"\nsource = \"builtin:summary\"\nafter = [\"pre-flight\"]\n\
             [[plan.phases]]\nname = \"license\"\nsource = \"builtin:summary\"\nrequired = true\ncpu_time_ms = 50\n\
             [[test.phases]]\nname = \"quarantine\"\nsource = \"builtin:summary\"\nenabled = false\n",
            Path::new("."),
        )
        .unwrap();
        let names: Vec<&str> = config.added.plan.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["audit", "license"]);
        assert_eq!(config.added.plan[0].after, ["pre-flight"]);
        assert!(config.added.plan[1].required);
        assert_eq!(
            config.added.plan[1].spec.limits.cpu_time,
            Duration::from_millis(50)
        );
        assert!(!config.added.test[0].enabled && !config.added.test[0].required);
    }

    #[test]
    fn bad_added_phases_name_their_key() {
        let cases = [
            (
                "[[plan.phases]]\nname = \"pre-flight\"\nsource = \"builtin:x\"\n",
                "plan.phases[0].name: `pre-flight` is a built-in phase; replace it with `[phases.pre-flight]`",
            ),
            (
                "[[test.phases]]\nname = \"Bad Name\"\nsource = \"builtin:x\"\n",
                "test.phases[0].name: `Bad Name` is not a kebab-case name of at most 64 characters (e.g. `quarantine`)",
            ),
            (
                "[[test.phases]]\nname = \"q\"\nsource = \"builtin:x\"\n[[test.phases]]\nname = \"q\"\nsource = \"builtin:x\"\n",
                "test.phases[1].name: `q` is added twice",
            ),
            (
                "[[plan.phases]]\nname = \"audit\"\n",
                "plan.phases.audit.source: missing; an added phase needs `builtin:NAME` or a path to a .wasm file",
            ),
            (
                "[[plan.phases]]\nname = \"audit\"\nsource = \"builtin:x\"\nrequired = true\nenabled = false\n",
                "plan.phases.audit.enabled: a required phase cannot be disabled (set `required = false` or remove it)",
            ),
        ];
        for (text, expected) in cases {
            assert_eq!(parse(text).unwrap_err().to_string(), expected, "{text}");
        }
        let many: String = (0..=MAX_ADDED_PHASES)
            .map(|i| format!("[[plan.phases]]\nname = \"p{i}\"\nsource = \"builtin:x\"\n"))
            .collect();
        assert_eq!(
            parse(&many).unwrap_err().to_string(),
            "plan.phases: 33 phases added (at most 32)"
        );
        let err = parse("[[plan.phases]]\nname = \"a\"\nsource = \"builtin:x\"\nowns = []\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("unknown field `owns`"), "{err}");
    }

    #[test]
    fn the_required_gate_cannot_be_disabled() {
        let err = parse("[phases.pre-flight]\nenabled = false\n").unwrap_err();
        assert_eq!(
            err.to_string(),
            "phases.pre-flight.enabled: a required phase cannot be disabled (replace it with `source` instead)"
        );
        use crate::error::{ErrorKind, HasKind as _};
        assert_eq!(err.kind(), ErrorKind::Input);
    }

    #[test]
    fn file_errors_name_the_file() {
        let err = Config::from_file(Path::new("/nonexistent/pitcrew.toml")).unwrap_err();
        assert!(
            err.to_string()
                .starts_with("/nonexistent/pitcrew.toml: cannot read it"),
            "{err}"
        );
    }
}
