//! A loaded plugin: a compiled component with its `InstancePre`, who it says
//! it is, and the calls of its world. Every call gets a fresh `Store`, so a
//! trap never leaves a broken instance behind.

use std::borrow::Cow;
use std::fmt;
use std::path::PathBuf;
use std::sync::{Arc, OnceLock};
use std::time::Instant;

use wasmtime::component::Component;
use wasmtime::{Store, Trap};

use super::bindings::{self, Pre};
use super::builtin;
use super::cache::{DescribedRecord, FileId};
use super::error::{CallError, LoadError, first_line, link_reason};
use super::inspect::{self, World};
use super::limits::{Limit, Limits};
use super::output_budget::OutputBudget;
use super::plugin_config::{self, PluginConfig, Refusal};
use super::runtime::{EPOCH_TICK, MAX_WASM_STACK, Runtime};
use super::sandbox::HostState;
use super::types;
use crate::escape;
use crate::hash::sha256_hex;

/// Where a plugin's bytes come from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Source {
    Builtin(String),
    File(PathBuf),
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Source::Builtin(name) => write!(f, "builtin:{name}"),
            // A path often comes from a repository's pitcrew.toml, and it
            // names every error about the plugin: escaped like plugin text.
            Source::File(path) => f.write_str(&escape::control_chars(&path.display().to_string())),
        }
    }
}

/// Everything needed to load one plugin.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PluginSpec {
    pub source: Source,
    /// Lowercase hex; checked before the component is even compiled.
    pub sha256: Option<String>,
    pub limits: Limits,
    /// Its configuration from pitcrew.toml, checked against the schema the
    /// plugin declares and handed to every call (contract 0.2.0 and later).
    pub config: Option<PluginConfig>,
}

impl PluginSpec {
    pub fn builtin(name: &str) -> Self {
        Self {
            source: Source::Builtin(name.to_string()),
            sha256: None,
            limits: Limits::default(),
            config: None,
        }
    }
}

/// What a phase declared about itself.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct PhaseDecl {
    pub owns: Vec<String>,
    pub after: Vec<String>,
}

pub struct Plugin {
    runtime: Runtime,
    /// Linked on the first call when the plugin was loaded from a recorded
    /// description (see `cache::described`), at load otherwise.
    pre: OnceLock<Pre>,
    /// The contract version whose bindings serve it.
    contract: &'static str,
    /// `name version`, as the plugin describes itself.
    label: Arc<str>,
    /// What all its calls together may still say in the log.
    output: Arc<OutputBudget>,
    pub info: types::PluginInfo,
    pub phase: Option<PhaseDecl>,
    pub world: World,
    pub source: Source,
    pub sha256: String,
    pub limits: Limits,
    /// The configuration handed to every call, as a JSON object.
    config: String,
}

impl Plugin {
    /// Reads, verifies, compiles, links and describes a plugin. `slot` and
    /// `expected` say where it is going, so a wrong world is refused early.
    ///
    /// A component described before (an authentic record for its sha256)
    /// is neither compiled, deserialized nor instantiated here: it is
    /// linked on its first call. `plugin list` of a big plugin then costs
    /// what reading two small records costs.
    pub fn load(
        runtime: &Runtime,
        spec: &PluginSpec,
        slot: &str,
        expected: Option<World>,
    ) -> Result<Self, LoadError> {
        let origin = spec.source.to_string();
        let (sha256, bytes) = identify(runtime, spec)?;
        if let Some(expected) = &spec.sha256
            && !expected.eq_ignore_ascii_case(&sha256)
        {
            return Err(LoadError::Sha256Mismatch {
                origin,
                expected: expected.clone(),
                actual: sha256,
            });
        }
        if let Some(record) = runtime.described(&sha256)
            && let Some(mut plugin) = Self::from_record(runtime, spec, &sha256, record)
        {
            plugin.check_world(slot, expected)?;
            plugin.configure(spec.config.as_ref(), slot)?;
            return Ok(plugin);
        }
        let component = compiled(runtime, spec, &sha256, bytes.as_deref())?;
        let (world, pre) = link(runtime, &component, &origin, slot, expected)?;
        let mut plugin = Self::new(runtime, spec, sha256, world, pre.version());
        plugin.pre.get_or_init(|| pre);
        let described = plugin.call("describe", |pre, store| pre.describe(store))?;
        plugin.accept(described)?;
        runtime.remember_described(&plugin.sha256, &plugin.record());
        plugin.configure(spec.config.as_ref(), slot)?;
        Ok(plugin)
    }

    fn new(
        runtime: &Runtime,
        spec: &PluginSpec,
        sha256: String,
        world: World,
        contract: &'static str,
    ) -> Self {
        let origin = spec.source.to_string();
        Self {
            runtime: runtime.clone(),
            pre: OnceLock::new(),
            contract,
            label: Arc::from(origin.as_str()),
            output: Arc::new(OutputBudget::new(runtime.command_output())),
            info: types::PluginInfo {
                name: origin,
                version: String::new(),
                description: String::new(),
                config_schema: None,
            },
            phase: None,
            world,
            source: spec.source.clone(),
            sha256,
            limits: spec.limits,
            config: "{}".into(),
        }
    }

    /// A plugin as a record says it described itself, not yet linked;
    /// `None` (describe it again) when the record names a contract this
    /// build no longer serves or says what `describe` may not say.
    fn from_record(
        runtime: &Runtime,
        spec: &PluginSpec,
        sha256: &str,
        record: DescribedRecord,
    ) -> Option<Self> {
        let contract = bindings::contract(&record.contract)?.version;
        let mut plugin = Self::new(runtime, spec, sha256.to_string(), record.world, contract);
        let described = bindings::Described {
            info: types::PluginInfo {
                name: record.name,
                version: record.version,
                description: record.description,
                config_schema: record.config_schema,
            },
            phase: record.phase.map(|(owns, after)| PhaseDecl { owns, after }),
        };
        plugin.accept(described).ok()?;
        Some(plugin)
    }

    /// What a record keeps of this plugin (see [`Plugin::from_record`]).
    fn record(&self) -> DescribedRecord {
        DescribedRecord {
            world: self.world,
            contract: self.contract.to_string(),
            name: self.info.name.clone(),
            version: self.info.version.clone(),
            description: self.info.description.clone(),
            config_schema: self.info.config_schema.clone(),
            phase: self
                .phase
                .as_ref()
                .map(|decl| (decl.owns.clone(), decl.after.clone())),
        }
    }

    fn check_world(&self, slot: &str, expected: Option<World>) -> Result<(), LoadError> {
        match expected {
            Some(expected) if expected != self.world => Err(LoadError::WrongWorld {
                origin: self.source.to_string(),
                slot: slot.to_string(),
                found: self.world,
                expected,
            }),
            _ => Ok(()),
        }
    }

    /// The linked component: at hand, or (a plugin loaded from a record)
    /// found in the cache or compiled again now, and linked. It must be
    /// what the record described: the same sha256 (the source is hashed
    /// again if it has to be read), world and contract.
    fn pre(&self, call: &'static str) -> Result<&Pre, CallError> {
        if let Some(pre) = self.pre.get() {
            return Ok(pre);
        }
        let origin = self.source.to_string();
        let spec = PluginSpec {
            source: self.source.clone(),
            sha256: None,
            limits: self.limits,
            config: None,
        };
        let unloadable = |reason: String| CallError::Unloadable {
            plugin: self.label.clone(),
            call,
            reason,
        };
        let (world, pre) = compiled(&self.runtime, &spec, &self.sha256, None)
            .and_then(|component| link(&self.runtime, &component, &origin, call, None))
            .map_err(|err| unloadable(err.to_string()))?;
        if world != self.world || pre.version() != self.contract {
            return Err(unloadable(format!(
                "it is now a {world} plugin of contract {}, not the {} plugin of {} it described itself as",
                pre.version(),
                self.world,
                self.contract
            )));
        }
        Ok(self.pre.get_or_init(|| pre))
    }

    /// Links the plugin now if it was loaded from a recorded description
    /// (a call does it anyway): to learn at once whether it still loads.
    pub fn link(&self) -> Result<(), CallError> {
        self.pre("link").map(drop)
    }

    /// `name version`, escaped, as used in every message about this plugin.
    pub fn label(&self) -> &str {
        &self.label
    }

    /// Checks `config` against the schema the plugin declared (`{}` when
    /// none is set, so a required setting is named) and keeps it for every
    /// call. A plugin built for 0.1.0 has no configuration to take.
    fn configure(&mut self, config: Option<&PluginConfig>, slot: &str) -> Result<(), LoadError> {
        if self.contract == bindings::v0_1::VERSION {
            return match config {
                None => Ok(()),
                Some(config) => Err(plugin_config::ConfigRefused::NotInContract {
                    file: config.file.clone(),
                    key: config.key.clone(),
                    plugin: self.label.to_string(),
                    version: bindings::v0_1::VERSION,
                    current: bindings::current().version,
                }
                .into()),
            };
        }
        if let Some(schema) = &self.info.config_schema {
            // Inspecting a component is not configuring it: only its
            // schema is checked.
            let checked = (config.is_some() || slot != INSPECT_SLOT).then_some(config);
            let default_key = format!("{slot}.config");
            plugin_config::check_within(schema, checked, &default_key, &self.label).map_err(
                |refusal| match refusal {
                    Refusal::Schema(reason) => LoadError::from(self.contract("describe", reason)),
                    Refusal::Config(refused) => LoadError::from(refused),
                },
            )?;
        }
        if let Some(config) = config {
            self.config = config.value.to_string();
        }
        Ok(())
    }

    /// The contract version the plugin was built against.
    pub fn contract_version(&self) -> &'static str {
        self.contract
    }

    /// Takes what `describe` said (now, or in a record), if the contract
    /// allows it.
    fn accept(&mut self, described: bindings::Described) -> Result<(), CallError> {
        let bindings::Described { info, phase } = described;
        if info.name.trim().is_empty() {
            return Err(self.contract("describe", "returned an empty name".into()));
        }
        self.check_text("describe", "a name", &info.name, MAX_NAME_BYTES)?;
        self.check_text("describe", "a version", &info.version, MAX_NAME_BYTES)?;
        for (what, text) in [("a name", &info.name), ("a version", &info.version)] {
            self.check_identifier("describe", what, text)?;
        }
        if info.description.len() > MAX_DESCRIPTION_BYTES {
            return Err(self.contract(
                "describe",
                format!(
                    "returned a description of {} bytes (at most {MAX_DESCRIPTION_BYTES})",
                    info.description.len()
                ),
            ));
        }
        if let Some(decl) = &phase {
            for (plural, what, list) in [
                ("owned keys", "an owned key", &decl.owns),
                ("`after` entries", "an `after` entry", &decl.after),
            ] {
                if list.len() > MAX_DECLARED {
                    return Err(self.contract(
                        "describe",
                        format!("declared {} {plural} (at most {MAX_DECLARED})", list.len()),
                    ));
                }
                for item in list {
                    self.check_text("describe", what, item, MAX_NAME_BYTES)?;
                    self.check_identifier("describe", what, item)?;
                }
            }
        }
        self.label = Arc::from(format!("{} {}", info.name, info.version).as_str());
        self.info = info;
        self.phase = phase;
        Ok(())
    }

    /// Classifies a batch; the answer has one entry per failure, in order.
    pub fn classify(
        &self,
        batch: &[types::Failure],
    ) -> Result<Vec<types::Classification>, CallError> {
        if self.world != World::Classifier {
            return Err(self.not_this_world("classify"));
        }
        let answer = self.call("classify", |pre, store| {
            pre.classify(store, batch, &self.config)
        })?;
        let mut classifications = self.returned("classify", answer)?;
        // Shown beside each failure (escaped, one control byte in six): a
        // classifier's 16 MiB of evidence for one failure put 100 MB on
        // standard output (round 62).
        for answer in &mut classifications {
            let len = answer.evidence.len();
            if len > MAX_EVIDENCE_BYTES {
                let keep = answer.evidence.floor_char_boundary(MAX_EVIDENCE_BYTES);
                answer.evidence.truncate(keep);
                answer
                    .evidence
                    .push_str(&format!(" … ({} bytes cut)", len - keep));
            }
        }
        if classifications.len() != batch.len() {
            return Err(self.contract(
                "classify",
                format!(
                    "returned {} classifications for {} failures",
                    classifications.len(),
                    batch.len()
                ),
            ));
        }
        Ok(classifications)
    }

    pub fn route(&self, request: &types::RouteRequest) -> Result<types::Route, CallError> {
        if self.world != World::Router {
            return Err(self.not_this_world("route"));
        }
        let answer = self.call("route", |pre, store| {
            pre.route(store, request, &self.config)
        })?;
        let route = self.returned("route", answer)?;
        // Each fallback can cost a request and a line in the report.
        if route.fallbacks.len() > MAX_FALLBACKS {
            return Err(self.contract(
                "route",
                format!(
                    "returned {} fallback models (at most {MAX_FALLBACKS})",
                    route.fallbacks.len()
                ),
            ));
        }
        // Sent as is to an endpoint, which would refuse the request (or,
        // for NaN, the JSON could not even be written).
        if !(0.0..=MAX_TEMPERATURE).contains(&route.temperature) {
            return Err(self.contract(
                "route",
                format!(
                    "returned a temperature of {} (0 to {MAX_TEMPERATURE})",
                    route.temperature
                ),
            ));
        }
        if !(1..=MAX_ANSWER_TOKENS).contains(&route.max_tokens) {
            return Err(self.contract(
                "route",
                format!(
                    "returned max-tokens of {} (1 to {MAX_ANSWER_TOKENS})",
                    route.max_tokens
                ),
            ));
        }
        let prompt = route.prompt.len() + route.system_prompt.len();
        if prompt > MAX_PROMPT_BYTES {
            return Err(self.contract(
                "route",
                format!(
                    "returned prompts of {prompt} bytes (at most {MAX_PROMPT_BYTES} with the system prompt)"
                ),
            ));
        }
        // Model names are shown in tables and logs and sent to endpoints.
        self.check_text("route", "a model", &route.model, MAX_NAME_BYTES)?;
        for fallback in &route.fallbacks {
            self.check_text("route", "a fallback model", fallback, MAX_NAME_BYTES)?;
        }
        Ok(route)
    }

    /// Names a plugin gives (its own, its keys, its models) are printed in
    /// tables and one-line messages: short, and nothing a terminal would
    /// act on or that would display as something else. Refused otherwise,
    /// with the offending text escaped and cut.
    fn check_text(
        &self,
        call: &'static str,
        what: &str,
        text: &str,
        max: usize,
    ) -> Result<(), CallError> {
        if text.len() > max {
            return Err(self.contract(
                call,
                format!("returned {what} of {} bytes (at most {max})", text.len()),
            ));
        }
        if text.chars().any(escape::is_unsafe) {
            return Err(self.contract(
                call,
                format!(
                    "returned {what} with control or invisible characters: `{}`",
                    escape::control_chars(text)
                ),
            ));
        }
        Ok(())
    }

    /// A plugin's name, version, and the keys it owns or runs after are
    /// identifiers: ASCII letters, digits and `._-+:/@`. Escaping what
    /// displays as nothing is not enough for them: a name of blanks
    /// (U+2800), of Cyrillic look-alikes (`ѕummаry`) or of stacked marks
    /// passed as another plugin's in `plugin list` (round 62).
    fn check_identifier(
        &self,
        call: &'static str,
        what: &str,
        text: &str,
    ) -> Result<(), CallError> {
        match not_an_identifier(what, text) {
            Some(reason) => Err(self.contract(call, reason)),
            None => Ok(()),
        }
    }

    pub fn run_phase(&self, input: &types::PhaseInput) -> Result<types::PhaseOutput, CallError> {
        if self.world != World::Phase {
            return Err(self.not_this_world("run"));
        }
        let answer = self.call("run", |pre, store| pre.run(store, input, &self.config))?;
        self.returned("run", answer)
    }

    /// One call in a fresh store, with every limit armed; whatever the
    /// plugin printed is logged whether the call succeeded or not.
    fn call<R: ReturnedBytes>(
        &self,
        call: &'static str,
        f: impl FnOnce(&Pre, &mut Store<HostState>) -> wasmtime::Result<R>,
    ) -> Result<R, CallError> {
        // Linking a plugin loaded from a record is not the call's time.
        let pre = self.pre(call)?;
        // The call's own limit, or what is left of the command's budget
        // for plugin work, whichever ends first.
        let budget = self.runtime.plugin_budget();
        let left = budget.total.saturating_sub(budget.used);
        let (time, time_limit) = if left < self.limits.cpu_time {
            (left, Limit::PluginBudget(budget.total))
        } else {
            (self.limits.cpu_time, Limit::CpuTime(self.limits.cpu_time))
        };
        if time.is_zero() {
            return Err(self.limit(call, time_limit));
        }
        let started = Instant::now();
        let state = HostState::new(
            self.label.clone(),
            self.output.clone(),
            self.limits.memory_bytes,
            started + time,
        );
        let mut store = Store::new(self.runtime.engine(), state);
        store.limiter(|state| &mut state.limiter);
        store.set_epoch_deadline(deadline_ticks(time));
        store.epoch_deadline_trap();
        // Wasmtime bounds every copy out of the plugin (what a call returns,
        // what it hands an import) by this "hostcall fuel", in bytes of host
        // data; without it the copy is bounded only by wasmtime's 128 MiB
        // default. Twice the output limit leaves room for the host's
        // per-element bookkeeping, and running out is our output limit.
        store.set_hostcall_fuel(hostcall_fuel(self.limits));
        let result = f(pre, &mut store);
        // A call stopped at its deadline used all of its time, even if the
        // epoch ticked it out a little early.
        let timed_out = store.data().clock.overslept
            || result
                .as_ref()
                .err()
                .and_then(|e| e.downcast_ref::<Trap>())
                .is_some_and(|trap| *trap == Trap::Interrupt);
        let spent = started.elapsed();
        self.runtime
            .charge_plugin_time(if timed_out { spent.max(time) } else { spent });
        let stderr_tail = store.data_mut().flush_stdio();
        match result {
            Ok(answer) => {
                let size = answer.returned_bytes();
                if size > self.limits.output_bytes {
                    return Err(self.limit(call, Limit::Output(self.limits.output_bytes)));
                }
                Ok(answer)
            }
            Err(err) => Err(self.failure(call, &err, store.data(), stderr_tail, time_limit)),
        }
    }

    fn failure(
        &self,
        call: &'static str,
        err: &wasmtime::Error,
        state: &HostState,
        stderr_tail: Option<String>,
        time_limit: Limit,
    ) -> CallError {
        if state.limiter.hit {
            return self.limit(call, Limit::Memory(self.limits.memory_bytes));
        }
        if state.clock.overslept {
            return self.limit(call, time_limit);
        }
        if super::limits::is_resource_table_full(err) {
            return self.limit(call, Limit::Resources(super::limits::MAX_RESOURCES));
        }
        if is_hostcall_fuel_exhausted(err) {
            return self.limit(call, Limit::Output(self.limits.output_bytes));
        }
        let trap = err.downcast_ref::<Trap>();
        match trap {
            Some(Trap::Interrupt) => return self.limit(call, time_limit),
            Some(Trap::StackOverflow) => return self.limit(call, Limit::Stack(MAX_WASM_STACK)),
            _ => {}
        }
        let mut reason = first_line(err);
        if trap == Some(&Trap::MemoryOutOfBounds) {
            // Rust and C guests keep a second stack in linear memory; deep
            // recursion overflows it long before the wasm stack.
            reason.push_str(" (in Rust and C plugins usually deep recursion overflowing the plugin's own stack)");
        }
        if let Some(tail) = stderr_tail {
            reason.push_str("; last stderr line: ");
            reason.push_str(&tail);
        }
        CallError::Crashed {
            plugin: self.label.clone(),
            call,
            reason,
        }
    }

    fn returned<T>(
        &self,
        call: &'static str,
        answer: Result<T, types::PluginError>,
    ) -> Result<T, CallError> {
        answer.map_err(|err| CallError::Returned {
            plugin: self.label.clone(),
            call,
            kind: match err.kind {
                types::ErrorKind::InvalidInput => "invalid input",
                types::ErrorKind::Unsupported => "unsupported",
                types::ErrorKind::Internal => "internal",
            },
            message: escape::bounded_line(&err.message, escape::MAX_MESSAGE_BYTES),
        })
    }

    fn limit(&self, call: &'static str, limit: Limit) -> CallError {
        CallError::Limit {
            plugin: self.label.clone(),
            call,
            limit,
        }
    }

    pub(crate) fn contract(&self, call: &'static str, reason: String) -> CallError {
        CallError::Contract {
            plugin: self.label.clone(),
            call,
            reason,
        }
    }

    fn not_this_world(&self, call: &'static str) -> CallError {
        self.contract(
            call,
            format!("is a {} plugin, it has no `{call}`", self.world),
        )
    }
}

/// A component's bytes: embedded (a built-in) or read from its file.
type Bytes = Cow<'static, [u8]>;

/// The component's sha256, and its bytes if they had to be read for it: a
/// component file unchanged since it was last hashed (see
/// `cache::identity`) is not read again, unless its recorded hash is not
/// the one pinned (then it is read and hashed, and the pin judged on that).
fn identify(runtime: &Runtime, spec: &PluginSpec) -> Result<(String, Option<Bytes>), LoadError> {
    if let Source::File(path) = &spec.source
        && let Some(sha256) = runtime.known_sha256(path)
        && spec
            .sha256
            .as_ref()
            .is_none_or(|pin| pin.eq_ignore_ascii_case(&sha256))
    {
        return Ok((sha256, None));
    }
    let (bytes, settled) = source_bytes(spec)?;
    let sha256 = sha256_hex(&bytes);
    if let (Source::File(path), Some(id)) = (&spec.source, settled) {
        runtime.remember_sha256(path, id, &sha256);
    }
    Ok((sha256, Some(bytes)))
}

/// The bytes of a plugin's component, and for a file its identity if it
/// is settled and did not change while read.
fn source_bytes(spec: &PluginSpec) -> Result<(Bytes, Option<FileId>), LoadError> {
    match &spec.source {
        Source::Builtin(name) => builtin::get(name)
            .map(|bytes| (bytes.into(), None))
            .ok_or_else(|| LoadError::UnknownBuiltin {
                name: name.clone(),
                available: builtin::names().collect::<Vec<_>>().join(", "),
            }),
        Source::File(path) => {
            let (bytes, before, after) =
                super::read::component_file_with_metadata(path).map_err(|error| {
                    LoadError::Read {
                        origin: spec.source.to_string(),
                        error,
                    }
                })?;
            Ok((bytes.into(), FileId::settled(&before, &after)))
        }
    }
}

/// The compiled component with this sha256: from the process or the disk
/// cache, else compiled from `bytes`, or from the source read again (which
/// must still hash to `sha256`: it may have changed since it was hashed).
fn compiled(
    runtime: &Runtime,
    spec: &PluginSpec,
    sha256: &str,
    bytes: Option<&[u8]>,
) -> Result<Component, LoadError> {
    if let Some(component) = runtime.cached(sha256) {
        return Ok(component);
    }
    let origin = spec.source.to_string();
    let read;
    let bytes = match bytes {
        Some(bytes) => bytes,
        None => {
            read = source_bytes(spec)?.0;
            let actual = sha256_hex(&read);
            if actual != sha256 {
                return Err(LoadError::Sha256Mismatch {
                    origin,
                    expected: sha256.to_string(),
                    actual,
                });
            }
            &read
        }
    };
    runtime.compile(&origin, bytes, sha256, &spec.limits.compile)
}

/// Which world a component implements and its bindings, linked against
/// the sandbox; refused if it is no plugin, of a contract not served, or
/// not of the `expected` world.
fn link(
    runtime: &Runtime,
    component: &Component,
    origin: &str,
    slot: &str,
    expected: Option<World>,
) -> Result<(World, Pre), LoadError> {
    let inspection = inspect::inspect(runtime.engine(), component);
    let version = match &inspection.contract_version {
        None => None,
        Some(found) => match bindings::serving(found) {
            Some(contract) => Some(contract.version),
            None => {
                return Err(LoadError::IncompatibleVersion {
                    origin: origin.to_string(),
                    found: found.clone(),
                    supported: bindings::supported(),
                });
            }
        },
    };
    let Some(world) = inspection.world else {
        return Err(LoadError::NotAPlugin {
            origin: origin.to_string(),
            exports: inspection.exports.join(", "),
        });
    };
    if let Some(expected) = expected
        && expected != world
    {
        return Err(LoadError::WrongWorld {
            origin: origin.to_string(),
            slot: slot.to_string(),
            found: world,
            expected,
        });
    }
    let link = |e: wasmtime::Error| LoadError::Link {
        origin: origin.to_string(),
        reason: link_reason(&e),
    };
    let instance_pre = runtime.linker().instantiate_pre(component).map_err(link)?;
    let pre = Pre::new(world, version, instance_pre).map_err(link)?;
    Ok((world, pre))
}

/// The slot `pitcrew plugin check` loads a component into: its config
/// schema is checked, but not against an absent configuration.
pub const INSPECT_SLOT: &str = "check";

/// Bounds on what `describe` and `route` may name.
pub const MAX_NAME_BYTES: usize = 128;
/// Longest evidence a classifier's answer keeps; the rest is cut.
pub const MAX_EVIDENCE_BYTES: usize = 1024;
pub const MAX_DESCRIPTION_BYTES: usize = 1024;
/// Owned keys, and `after` entries, per phase.
pub const MAX_DECLARED: usize = 64;
/// Bounds on a route: models tried after the first, the sampling
/// temperature (the OpenAI range), and the answer's length in tokens (the
/// budget is checked against this before each call).
pub const MAX_FALLBACKS: usize = 16;
pub const MAX_TEMPERATURE: f32 = 2.0;
pub const MAX_ANSWER_TOKENS: u32 = 1 << 20;
/// A route's prompt and system prompt together: about 250,000 tokens,
/// beyond any model's context. Each group's route is kept until its model
/// is asked: 16 MiB prompts took 15.5 MB of the host per root cause (200
/// failures, 3 GB; round 65).
pub const MAX_PROMPT_BYTES: usize = 1 << 20;

fn hostcall_fuel(limits: Limits) -> usize {
    usize::try_from(limits.output_bytes.saturating_mul(2)).unwrap_or(usize::MAX)
}

/// Wasmtime's error for exhausted hostcall fuel is a private type; its
/// message is the only way to recognise it.
fn is_hostcall_fuel_exhausted(err: &wasmtime::Error) -> bool {
    err.chain().any(|cause| {
        cause
            .to_string()
            .contains("fuel allocated for hostcalls has been exhausted")
    })
}

fn deadline_ticks(time: std::time::Duration) -> u64 {
    let ticks = time.as_nanos().div_ceil(EPOCH_TICK.as_nanos());
    u64::try_from(ticks).unwrap_or(u64::MAX).max(1)
}

/// How much data a call handed back, to enforce the output limit.
pub trait ReturnedBytes {
    fn returned_bytes(&self) -> u64;
}

impl ReturnedBytes for String {
    fn returned_bytes(&self) -> u64 {
        self.len() as u64
    }
}

impl<T: ReturnedBytes> ReturnedBytes for Vec<T> {
    fn returned_bytes(&self) -> u64 {
        self.iter().map(ReturnedBytes::returned_bytes).sum::<u64>() + self.len() as u64
    }
}

impl<T: ReturnedBytes, E: ReturnedBytes> ReturnedBytes for Result<T, E> {
    fn returned_bytes(&self) -> u64 {
        match self {
            Ok(value) => value.returned_bytes(),
            Err(err) => err.returned_bytes(),
        }
    }
}

impl ReturnedBytes for types::PluginError {
    fn returned_bytes(&self) -> u64 {
        self.message.returned_bytes()
    }
}

impl ReturnedBytes for types::PluginInfo {
    fn returned_bytes(&self) -> u64 {
        self.name.returned_bytes()
            + self.version.returned_bytes()
            + self.description.returned_bytes()
            + self
                .config_schema
                .as_ref()
                .map_or(0, String::returned_bytes)
    }
}

impl ReturnedBytes for bindings::Described {
    fn returned_bytes(&self) -> u64 {
        self.info.returned_bytes()
            + self.phase.as_ref().map_or(0, |decl| {
                decl.owns.returned_bytes() + decl.after.returned_bytes()
            })
    }
}

impl ReturnedBytes for types::Check {
    fn returned_bytes(&self) -> u64 {
        self.id.returned_bytes() + self.layer.returned_bytes() + self.message.returned_bytes()
    }
}

impl ReturnedBytes for types::PhaseOutput {
    fn returned_bytes(&self) -> u64 {
        self.keys.returned_bytes() + self.checks.returned_bytes()
    }
}

impl ReturnedBytes for types::Classification {
    fn returned_bytes(&self) -> u64 {
        self.id.returned_bytes() + self.evidence.returned_bytes() + 16
    }
}

impl ReturnedBytes for types::Route {
    fn returned_bytes(&self) -> u64 {
        self.model.returned_bytes()
            + self.fallbacks.returned_bytes()
            + self.system_prompt.returned_bytes()
            + self.prompt.returned_bytes()
            + 8
    }
}

/// Why `text` is not a name a plugin may give: ASCII letters, digits and
/// `._-+:/@`, starting with a letter or digit (a line that starts with
/// `::` is a GitHub workflow command, and `@x` a mention where Markdown is
/// read; round 65 printed a layer `::error file=train.py::…` at the start
/// of a line of `plan`'s table). The text is shown with every other
/// character as its code point: shown raw, the name would look like the
/// one it imitates.
pub(crate) fn not_an_identifier(what: &str, text: &str) -> Option<String> {
    let allowed = |c: char| c.is_ascii_alphanumeric() || "._-+:/@".contains(c);
    let shown = || escape::bounded_line(&text.escape_default().to_string(), MAX_NAME_BYTES);
    if !text.chars().all(allowed) {
        return Some(format!(
            "returned {what} with characters other than ASCII letters, digits and `._-+:/@`: `{}`",
            shown()
        ));
    }
    if text.starts_with(|c: char| !c.is_ascii_alphanumeric()) {
        return Some(format!(
            "returned {what} that does not start with an ASCII letter or digit: `{}`",
            shown()
        ));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::not_an_identifier;

    /// Round 62: names that show as blanks, as another plugin's name, or
    /// stack and reorder, passed as `summary` in `plugin list`.
    #[test]
    fn identifiers_are_plain_ascii_and_shown_by_code_point() {
        for ok in [
            "summary",
            "classifier-default",
            "0.1.0-rc.1+b2",
            "acme/audit@2",
            "a:b_c",
            "",
        ] {
            assert_eq!(not_an_identifier("a name", ok), None, "{ok}");
        }
        for bad in ["::error::x", "@octocat", ".hidden", "-x", "/etc"] {
            let reason = not_an_identifier("a name", bad).unwrap();
            assert!(reason.contains("does not start with"), "{reason}");
        }
        for (bad, shown) in [
            ("summary\u{2800}", "summary\\u{2800}"),
            ("\u{455}umm\u{430}ry", "\\u{455}umm\\u{430}ry"),
            ("sum 1 \u{5d0} 2", "sum 1 \\u{5d0} 2"),
            ("summary\u{336}", "summary\\u{336}"),
            ("a\u{1b}[2J", "a\\u{1b}[2J"),
        ] {
            let reason = not_an_identifier("a name", bad).unwrap();
            assert!(reason.contains(shown), "{reason}");
            assert!(reason.is_ascii(), "{reason}");
        }
    }
}
