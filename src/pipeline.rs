//! Phase composition: ordered phases over one JSON document.
//!
//! Phases are ordered by the phases they declare to run after (ties keep the
//! pipeline's order, so runs are deterministic). An optional phase that runs
//! after a phase not in the pipeline, or sits in a cycle, is degraded; a
//! cycle of required phases alone, or a required phase after a missing one,
//! is an error. Each phase sees the facts, the document so far and the checks
//! so far, and returns the keys it owns plus its checks. A phase that writes
//! a key it did not declare is rejected, naming the phase that owns the key.
//! A slot may promise sections (a key and its schema): the value written must
//! pass, and a required slot must write it. An optional phase that is
//! missing, disabled or fails leaves `{"status":"unavailable","reason":…}` in
//! its keys and a warning check, and the run goes on; a required one ends the
//! run with an error. Any failed blocking check blocks the run (exit code 1).

use std::collections::{BTreeSet, HashMap, HashSet};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

use crate::escape;
use crate::host::{CallError, LoadError, Plugin, types};

pub mod plugins;
pub mod schema;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Pass,
    Warn,
    Fail,
    Skip,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Check {
    pub id: String,
    pub layer: String,
    pub status: Status,
    pub message: String,
    pub blocking: bool,
}

impl Check {
    pub fn blocks(&self) -> bool {
        self.blocking && self.status == Status::Fail
    }
}

/// What a phase sees.
pub struct PhaseInput<'a> {
    /// The facts as JSON text, serialised once per run.
    pub facts: &'a str,
    pub document: &'a Map<String, Value>,
    pub checks: &'a [Check],
}

/// What a phase returns.
#[derive(Debug, Default)]
pub struct PhaseOutput {
    pub keys: Map<String, Value>,
    pub checks: Vec<Check>,
    /// What the keys cost, read on the text a plugin returned them as;
    /// `None` for the host's own phases and built-in plugins, which are not
    /// counted.
    pub shape: Option<JsonShape>,
}

/// A phase implementation: a plugin, or native code in tests.
pub trait Phase {
    /// On failure, a one-line reason that already names the phase's plugin.
    fn run(&self, input: &PhaseInput<'_>) -> Result<PhaseOutput, PhaseError>;
}

/// Why a phase gave no usable output. Each message is one line naming the
/// phase's plugin or configuration key.
#[derive(Debug, thiserror::Error)]
pub enum PhaseError {
    /// Not configured or disabled: the reason names the configuration key.
    #[error("{0}")]
    Unavailable(String),
    #[error(transparent)]
    Load(#[from] LoadError),
    #[error(transparent)]
    Call(#[from] CallError),
    #[error("wrote undeclared key(s) `{0}`; its output was rejected")]
    UndeclaredKeys(String),
    #[error("wrote `{key}`, which phase `{owner}` owns; its output was rejected")]
    OthersKey { key: String, owner: String },
    #[error("did not write `{0}`, which its slot promises")]
    MissingSection(String),
    #[error("wrote a `{key}` that breaks its schema ({schema}): {reason}")]
    BrokenSection {
        key: String,
        schema: &'static str,
        reason: String,
    },
    #[error("cannot encode the document for the phase: {0}")]
    Encode(#[from] serde_json::Error),
}

/// Checks a section's value: `Err(one line)` when it does not match.
pub type SectionCheck = Box<dyn Fn(&Value) -> Result<(), String>>;

/// A section a slot promises: whatever fills the slot must write `key`
/// with a value that passes `check` (the section's JSON Schema).
pub struct Promise {
    pub key: String,
    /// Where the schema lives, named in the error (e.g. `schemas/plan.schema.json`).
    pub schema: &'static str,
    /// `Err(one line)` when the value does not match.
    pub check: SectionCheck,
}

/// A place in a pipeline, filled or not. `'a`: a native phase may borrow
/// the data it decides over (the test pipeline's verdict, the merged results).
pub struct Slot<'a> {
    pub name: String,
    /// The document keys this slot writes (from the plugin's `describe`
    /// when loaded, else from the pipeline's definition).
    pub owns: Vec<String>,
    pub after: Vec<String>,
    pub required: bool,
    /// `Err(reason)` when missing, disabled or not loadable.
    pub phase: Result<Box<dyn Phase + 'a>, PhaseError>,
    /// Sections the slot promises, checked on every run of its phase.
    pub promises: Vec<Promise>,
}

#[derive(Debug, thiserror::Error)]
pub enum PipelineError {
    #[error("phases {0} depend on each other in a cycle")]
    Cycle(String),
    #[error("phase `{phase}` runs after `{after}`, which is not in the pipeline")]
    UnknownDependency { phase: String, after: String },
    #[error("phases `{first}` and `{second}` both claim the key `{key}`")]
    SharedKey {
        key: String,
        first: String,
        second: String,
    },
    #[error("required phase `{phase}` failed: {reason}")]
    Required { phase: String, reason: String },
    #[error("phase `{phase}` claims the key `{key}`, which pitcrew writes itself")]
    Reserved { phase: String, key: String },
    /// A phase's plugin refused the configuration pitcrew.toml gives it:
    /// the user's mistake, fatal even for an optional phase (exit 2).
    #[error("{0}")]
    Config(String),
}

impl crate::error::HasKind for PipelineError {
    /// The phases' own declarations conflict, or a required phase could
    /// not run: pitcrew cannot make the document, which is not the same as
    /// a document that blocks (exit 1).
    fn kind(&self) -> crate::error::ErrorKind {
        match self {
            PipelineError::Config(_) => crate::error::ErrorKind::Input,
            _ => crate::error::ErrorKind::Plugin,
        }
    }
}

/// The result of a run.
#[derive(Debug)]
pub struct Outcome {
    pub document: Map<String, Value>,
    pub checks: Vec<Check>,
    /// Phase names in the order they ran, with how long each took.
    pub timings: Vec<(String, Duration)>,
}

impl Outcome {
    /// Any failed blocking check blocks the run.
    pub fn blocked(&self) -> bool {
        self.checks.iter().any(Check::blocks)
    }
}

/// Runs `slots` over `facts`.
pub fn run(slots: &[Slot<'_>], facts: &Value) -> Result<Outcome, PipelineError> {
    refused_config(slots)?;
    let (order, degraded) = order(slots)?;
    let owners = check_key_owners(slots)?;
    let facts = facts.to_string();
    let mut document = Map::new();
    let mut checks: Vec<Check> = Vec::new();
    let mut timings = Vec::with_capacity(slots.len());
    let (mut optional, mut required) = (Budget::optional(), Budget::required());
    for index in order {
        let slot = &slots[index];
        let started = Instant::now();
        let result = match (&degraded[index], &slot.phase) {
            (Some(reason), _) => Err(reason.clone()),
            (None, Err(reason)) => Err(reason.to_string()),
            (None, Ok(phase)) => phase
                .run(&PhaseInput {
                    facts: &facts,
                    document: &document,
                    checks: &checks,
                })
                .and_then(|output| accept(slot, &owners, output))
                .map_err(|e| e.to_string())
                .and_then(|output| match slot.required {
                    true => required.admit(output),
                    false => optional.admit(output),
                }),
        };
        let took = started.elapsed();
        tracing::debug!(
            "phase `{}` ran in {:.1} ms",
            slot.name,
            took.as_secs_f64() * 1e3
        );
        timings.push((slot.name.clone(), took));
        match result {
            Ok(output) => {
                tracing::trace!(
                    "phase `{}` wrote [{}] and {} check(s)",
                    slot.name,
                    escape::control_chars(
                        &output.keys.keys().cloned().collect::<Vec<_>>().join(", ")
                    ),
                    output.checks.len()
                );
                document.extend(output.keys);
                checks.extend(output.checks);
            }
            Err(reason) if slot.required => {
                return Err(PipelineError::Required {
                    phase: slot.name.clone(),
                    reason,
                });
            }
            Err(reason) => {
                tracing::warn!("phase `{}` unavailable: {reason}", slot.name);
                for key in &slot.owns {
                    document.insert(
                        key.clone(),
                        json!({"status": "unavailable", "reason": reason}),
                    );
                }
                checks.push(Check {
                    id: format!("{}.available", slot.name),
                    layer: "pipeline".into(),
                    status: Status::Warn,
                    message: format!("phase `{}` unavailable: {reason}", slot.name),
                    blocking: false,
                });
            }
        }
    }
    Ok(Outcome {
        document,
        checks,
        timings,
    })
}

/// What the optional phases of one run may add to the document and its
/// checks together, which every later phase is handed and must hold in
/// its memory: within each phase's own bounds, one optional phase's
/// answer (990,000 values, a 6.5 MB string and 1,000 checks of 4 KiB) ran
/// the required `pre-flight` out of its 64 MiB (round 65), and several
/// would add up. Measured: `pre-flight` holds 400,000 values with 12.7 MB
/// beside them. Required phases share a budget of their own, so that an
/// optional one cannot crowd them out.
pub const MAX_OPTIONAL_VALUES: usize = 250_000;
pub const MAX_OPTIONAL_PRINTED_BYTES: usize = MAX_PRINTED_BYTES;
/// Checks the optional phases of a run may return together: each later
/// phase is handed them all (300 phases of 1,000 one-letter checks each
/// took 31 s, round 66).
pub const MAX_OPTIONAL_CHECKS: usize = 4 * MAX_CHECKS;
/// What the required plugin phases of one run may add together: as much
/// as one phase may return, its checks at their longest included, so that
/// a phase `plugin run` passes alone passes in a plan. Each held only to
/// its own bounds, the 32 phases a configuration may add took the host
/// 500 MB each (round 67). The host's own phases (the test verdict) and built-in plugins are
/// not counted.
pub const MAX_REQUIRED_VALUES: usize = MAX_JSON_VALUES;
pub const MAX_REQUIRED_PRINTED_BYTES: usize = MAX_PRINTED_BYTES
    + MAX_CHECKS
        * (CHECK_OVERHEAD_BYTES + 6 * (2 * MAX_CHECK_NAME_BYTES + MAX_CHECK_MESSAGE_BYTES));
pub const MAX_REQUIRED_CHECKS: usize = 4 * MAX_CHECKS;
/// What a check costs beyond its text, as printed and handed on.
const CHECK_OVERHEAD_BYTES: usize = 64;

/// What phases add to a run: JSON values (objects weighed), bytes as
/// printed, checks.
#[derive(Clone, Copy, Default)]
struct Share {
    values: usize,
    printed: usize,
    checks: usize,
}

/// What the plugin phases of one kind (required or optional) have added
/// to the run, against what they may.
struct Budget {
    kind: &'static str,
    limit: Share,
    spent: Share,
}

impl Budget {
    fn optional() -> Self {
        Self::new(
            "optional",
            Share {
                values: MAX_OPTIONAL_VALUES,
                printed: MAX_OPTIONAL_PRINTED_BYTES,
                checks: MAX_OPTIONAL_CHECKS,
            },
        )
    }

    fn required() -> Self {
        Self::new(
            "required",
            Share {
                values: MAX_REQUIRED_VALUES,
                printed: MAX_REQUIRED_PRINTED_BYTES,
                checks: MAX_REQUIRED_CHECKS,
            },
        )
    }

    fn new(kind: &'static str, limit: Share) -> Self {
        Self {
            kind,
            limit,
            spent: Share::default(),
        }
    }

    /// `output` counted, or why it would take the phases of this kind past
    /// their share (an optional phase is then unavailable, a required one
    /// fails the run, as for any broken contract). The host's own phases
    /// and built-in plugins pass uncounted.
    fn admit(&mut self, output: PhaseOutput) -> Result<PhaseOutput, String> {
        let Some(shape) = output.shape else {
            return Ok(output);
        };
        let check_bytes: usize = output
            .checks
            .iter()
            .map(|c| {
                CHECK_OVERHEAD_BYTES
                    + printed_text(&c.id)
                    + printed_text(&c.layer)
                    + printed_text(&c.message)
            })
            .sum();
        let with = Share {
            values: self.spent.values + shape.values,
            printed: self.spent.printed + shape.printed + check_bytes,
            checks: self.spent.checks + output.checks.len(),
        };
        let limit = self.limit;
        if with.values > limit.values || with.printed > limit.printed || with.checks > limit.checks
        {
            return Err(format!(
                "its answer would take what {} phases add to the plan past {} JSON values, {} MiB printed or {} checks (with it: {} values, an object counting {}, {} MiB, {} checks)",
                self.kind,
                limit.values,
                limit.printed >> 20,
                limit.checks,
                with.values,
                1 + OBJECT_WEIGHT,
                with.printed.div_ceil(1 << 20),
                with.checks,
            ));
        }
        self.spent = with;
        Ok(output)
    }
}

/// About the bytes `text` prints as, escaped (see [`json_shape`]).
fn printed_text(text: &str) -> usize {
    text.chars().map(printed_char).sum()
}

/// The bytes `c` prints as in a string: six for each UTF-16 unit of a
/// character a terminal could act on (`\u0085`, a surrogate pair beyond
/// the Basic Multilingual Plane), else its UTF-8.
fn printed_char(c: char) -> usize {
    match escape::is_unsafe(c) {
        true => 6 * c.len_utf16(),
        false => c.len_utf8(),
    }
}

/// A phase may write only the keys it owns (a key another phase owns is
/// named with its owner), and what it writes must keep its slot's promises.
fn accept(
    slot: &Slot<'_>,
    owners: &HashMap<&str, &str>,
    output: PhaseOutput,
) -> Result<PhaseOutput, PhaseError> {
    let undeclared: Vec<&str> = output
        .keys
        .keys()
        .filter(|key| !slot.owns.contains(key))
        .map(String::as_str)
        .collect();
    if let Some(owner) = undeclared.iter().find_map(|key| owners.get(key)) {
        let key = undeclared
            .iter()
            .find(|key| owners.contains_key(*key))
            .copied()
            .unwrap_or_default();
        return Err(PhaseError::OthersKey {
            key: escape::control_chars(key).into_owned(),
            owner: (*owner).to_string(),
        });
    }
    if !undeclared.is_empty() {
        let keys = escape::bounded_line(&undeclared.join("`, `"), escape::MAX_MESSAGE_BYTES);
        return Err(PhaseError::UndeclaredKeys(keys));
    }
    for promise in &slot.promises {
        match output.keys.get(&promise.key) {
            Some(value) => (promise.check)(value).map_err(|reason| PhaseError::BrokenSection {
                key: promise.key.clone(),
                schema: promise.schema,
                // The schema's reason quotes the value, which the plugin
                // chose: 1 MiB of it, copied into 64 owned keys, put 235 MB
                // on standard output (round 63).
                reason: escape::bounded_line(&reason, escape::MAX_MESSAGE_BYTES),
            })?,
            None if slot.required => {
                return Err(PhaseError::MissingSection(promise.key.clone()));
            }
            None => {}
        }
    }
    Ok(output)
}

/// Kahn's algorithm, always taking the earliest ready slot in pipeline
/// order, so the same pipeline always runs in the same order. Returns the
/// order and, per slot, why it is degraded: an optional slot that runs after
/// a phase not in the pipeline, or that sits in a cycle, is released with a
/// reason instead of failing the run. A cycle of required slots alone, or a
/// required slot after a missing phase, is an error.
type Order = (Vec<usize>, Vec<Option<String>>);

fn order(slots: &[Slot<'_>]) -> Result<Order, PipelineError> {
    let index: HashMap<&str, usize> = slots
        .iter()
        .enumerate()
        .map(|(i, s)| (s.name.as_str(), i))
        .collect();
    let mut degraded: Vec<Option<String>> = vec![None; slots.len()];
    let mut pending = vec![0usize; slots.len()];
    let mut dependents: Vec<Vec<usize>> = vec![Vec::new(); slots.len()];
    let mut depends: Vec<Vec<usize>> = vec![Vec::new(); slots.len()];
    for (i, slot) in slots.iter().enumerate() {
        if let Some(after) = slot.after.iter().find(|a| !index.contains_key(a.as_str())) {
            if slot.required {
                return Err(PipelineError::UnknownDependency {
                    phase: slot.name.clone(),
                    after: after.clone(),
                });
            }
            degraded[i] = Some(format!(
                "runs after `{}`, which is not in the pipeline",
                escape::control_chars(after)
            ));
            continue;
        }
        for after in &slot.after {
            let dep = index[after.as_str()];
            pending[i] += 1;
            dependents[dep].push(i);
            depends[i].push(dep);
        }
    }
    let mut ready: BTreeSet<usize> = (0..slots.len()).filter(|&i| pending[i] == 0).collect();
    let mut done = vec![false; slots.len()];
    let mut order = Vec::with_capacity(slots.len());
    while order.len() < slots.len() {
        let Some(next) = ready.pop_first() else {
            // Stuck: every slot left waits on a cycle. Release the optional
            // slots on cycles (degraded); their dependents then run.
            let cyclic = on_cycles(&depends, &done);
            let names: Vec<String> = cyclic
                .iter()
                .map(|&i| format!("`{}`", slots[i].name))
                .collect();
            let optional: Vec<usize> = cyclic
                .iter()
                .copied()
                .filter(|&i| !slots[i].required)
                .collect();
            if optional.is_empty() {
                return Err(PipelineError::Cycle(names.join(", ")));
            }
            for i in optional {
                degraded[i] = Some(format!("in a cycle of phases {}", names.join(", ")));
                pending[i] = 0;
                ready.insert(i);
            }
            continue;
        };
        done[next] = true;
        order.push(next);
        for &dependent in &dependents[next] {
            if pending[dependent] > 0 {
                pending[dependent] -= 1;
                if pending[dependent] == 0 {
                    ready.insert(dependent);
                }
            }
        }
    }
    Ok((order, degraded))
}

/// The slots not yet run that can reach themselves through their
/// dependencies (members of a cycle, not merely waiting on one), in order.
fn on_cycles(depends: &[Vec<usize>], done: &[bool]) -> Vec<usize> {
    (0..depends.len())
        .filter(|&start| !done[start])
        .filter(|&start| {
            let mut seen = HashSet::new();
            let mut stack: Vec<usize> = depends[start].clone();
            while let Some(node) = stack.pop() {
                if node == start {
                    return true;
                }
                if !done[node] && seen.insert(node) {
                    stack.extend(&depends[node]);
                }
            }
            false
        })
        .collect()
}

/// Keys of every output document that the host writes (its metadata).
pub const RESERVED_KEYS: &[&str] = &["pitcrew"];

/// Every key has one owner: the map from key to the phase that owns it.
fn check_key_owners<'s>(slots: &'s [Slot<'_>]) -> Result<HashMap<&'s str, &'s str>, PipelineError> {
    let mut owners: HashMap<&str, &str> = HashMap::new();
    for slot in slots {
        for key in &slot.owns {
            if RESERVED_KEYS.contains(&key.as_str()) {
                return Err(PipelineError::Reserved {
                    phase: slot.name.clone(),
                    key: key.clone(),
                });
            }
            if let Some(first) = owners.insert(key, &slot.name) {
                return Err(PipelineError::SharedKey {
                    key: key.clone(),
                    first: first.to_string(),
                    second: slot.name.clone(),
                });
            }
        }
    }
    Ok(owners)
}

/// A configuration a phase's plugin refused is not a phase that degrades:
/// the run stops before anything is written.
fn refused_config(slots: &[Slot<'_>]) -> Result<(), PipelineError> {
    for slot in slots {
        if let Err(PhaseError::Load(err @ LoadError::Config(_))) = &slot.phase {
            return Err(PipelineError::Config(err.to_string()));
        }
    }
    Ok(())
}

/// A phase plugin as a pipeline phase: JSON across the boundary.
impl Phase for Plugin {
    fn run(&self, input: &PhaseInput<'_>) -> Result<PhaseOutput, PhaseError> {
        let request = types::PhaseInput {
            facts: input.facts.to_string(),
            document: serde_json::to_string(input.document)?,
            checks: input.checks.iter().map(to_wit).collect(),
        };
        let output = self.run_phase(&request)?;
        let (keys, shape) = accepted_keys(self, &output)?;
        let checks = output.checks.into_iter().map(from_wit).collect();
        // The plugins built into pitcrew are its own, as its native phases
        // are: held to one phase's bounds and not counted in what the
        // configured plugins share, so that those cannot spend the share
        // first and have the built-in pre-flight (or the worker-consistency
        // evidence it gates on) refused (round 69).
        let builtin = matches!(self.source, crate::host::plugin::Source::Builtin(_));
        Ok(PhaseOutput {
            keys,
            checks,
            shape: (!builtin).then_some(shape),
        })
    }
}

/// A phase's answer as the plan takes it, or the contract it broke: its
/// keys a JSON object of bounded size (counted before it is parsed), its
/// checks bounded in number and size. `plugin run` holds a plugin to the
/// same contract, so that what passes there passes in a plan.
pub fn accepted_keys(
    plugin: &Plugin,
    output: &types::PhaseOutput,
) -> Result<(Map<String, Value>, JsonShape), PhaseError> {
    let refuse = |reason: String| Err(plugin.contract("run", reason).into());
    let shape = json_shape(&output.keys);
    let JsonShape {
        values,
        depth,
        printed,
    } = shape;
    if values > MAX_JSON_VALUES {
        return refuse(format!(
            "returned keys of {values} JSON values, an object counting {} (at most {MAX_JSON_VALUES})",
            1 + OBJECT_WEIGHT
        ));
    }
    if depth > MAX_JSON_DEPTH {
        return refuse(format!(
            "returned keys nested {depth} deep (at most {MAX_JSON_DEPTH})"
        ));
    }
    if printed > MAX_PRINTED_BYTES {
        return refuse(format!(
            "returned keys that print as {} MiB (at most {} MiB)",
            printed >> 20,
            MAX_PRINTED_BYTES >> 20
        ));
    }
    let keys = match serde_json::from_str(&output.keys) {
        Ok(Value::Object(keys)) => keys,
        Ok(_) => return refuse("returned keys that are not a JSON object".into()),
        Err(e) => return refuse(format!("returned keys that are not JSON: {e}")),
    };
    check_checks(plugin, &output.checks)?;
    Ok((keys, shape))
}

/// JSON values (and object keys) a phase's keys may hold. Each parsed
/// value takes 32 bytes and more in the host: 16 MiB of `[],[],…` within
/// the output limit was 5 million values, a 430 MiB peak, handed on to
/// every later phase. Counted on the text, before anything is parsed.
pub const MAX_JSON_VALUES: usize = 1_000_000;

/// Deepest nesting of arrays and objects a phase's keys may have. The
/// plan is written indented: 2 MB of zeros 125 arrays deep became 255 MB
/// of standing spaces on standard output (round 63). Counted on the text.
pub const MAX_JSON_DEPTH: usize = 32;

/// Most bytes a phase's keys may take as the plan prints them: indented
/// (a line and two spaces a level for each value) and escaped (six bytes
/// for a character a terminal could act on, twelve beyond the Basic
/// Multilingual Plane). Within the other bounds, 15 MB of such keys had
/// printed as 104 MB, and as much again with `-o` (round 64).
pub const MAX_PRINTED_BYTES: usize = 16 * 1024 * 1024;

/// What a phase's keys hold, read on the text before anything is parsed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct JsonShape {
    /// The values and object keys, weighed by what they take parsed: each
    /// one but the first follows a `[`, `,` or `:` outside a string, and an
    /// object weighs [`OBJECT_WEIGHT`] more.
    pub values: usize,
    /// The deepest nesting of arrays and objects.
    pub depth: usize,
    /// About the bytes the plan prints them as.
    pub printed: usize,
}

/// What an object weighs beyond one value. Parsed, each object is a hash
/// table, an entry vector and its keys (the plan keeps its keys' order):
/// 499,000 one-key objects, one count each, took the host 500 MB (round
/// 67), some six times what as many numbers take.
const OBJECT_WEIGHT: usize = 5;

fn json_shape(text: &str) -> JsonShape {
    let (mut values, mut in_string, mut escaped) = (1usize, false, false);
    let (mut depth, mut deepest, mut printed) = (0usize, 0usize, 0usize);
    // The number being read: its length, and whether it is parsed as a
    // float, which prints as its shortest round trip (`-1e15` as
    // `-1000000000000000.0`, round 65): at most this many bytes.
    const FLOAT_BYTES: usize = 24;
    let mut number: Option<(usize, bool)> = None;
    for c in text.chars() {
        printed += c.len_utf8();
        let in_number = !in_string
            && (c.is_ascii_digit()
                || c == '-'
                || (number.is_some() && matches!(c, '+' | '.' | 'e' | 'E')));
        if in_number {
            let (len, float) = number.get_or_insert((0, false));
            *len += 1;
            *float |= matches!(c, '.' | 'e' | 'E');
            continue;
        }
        if let Some((len, float)) = number.take()
            && (float || len > 20)
        {
            printed += FLOAT_BYTES.saturating_sub(len);
        }
        match (in_string, escaped, c) {
            (true, true, _) => escaped = false,
            (true, false, '\\') => escaped = true,
            (true, false, '"') => in_string = false,
            (true, false, c) if escape::is_unsafe(c) => {
                printed += printed_char(c) - c.len_utf8();
            }
            (true, false, _) => {}
            (false, _, '"') => in_string = true,
            (false, _, '[' | '{') => {
                values += match c {
                    '[' => 1,
                    _ => OBJECT_WEIGHT,
                };
                depth += 1;
                deepest = deepest.max(depth);
                printed += 2 * depth + 1;
            }
            (false, _, ',' | ':') => {
                values += 1;
                printed += 2 * depth + 1;
            }
            (false, _, ']' | '}') => {
                depth = depth.saturating_sub(1);
                printed += 2 * depth + 1;
            }
            (false, _, _) => {}
        }
    }
    if let Some((len, float)) = number
        && (float || len > 20)
    {
        printed += FLOAT_BYTES.saturating_sub(len);
    }
    JsonShape {
        values,
        depth: deepest,
        printed,
    }
}

/// Checks a phase may return per run. Every later phase is handed all the
/// checks so far: 100,000 from one optional phase made each later phase,
/// the required `pre-flight` included, run past its time limit (exit 3).
pub const MAX_CHECKS: usize = 1000;
/// A check's id and layer are names; its message is one line.
pub const MAX_CHECK_NAME_BYTES: usize = crate::host::plugin::MAX_NAME_BYTES;
pub const MAX_CHECK_MESSAGE_BYTES: usize = 4096;

fn check_checks(plugin: &Plugin, checks: &[types::Check]) -> Result<(), PhaseError> {
    let refuse = |reason: String| Err(plugin.contract("run", reason).into());
    if checks.len() > MAX_CHECKS {
        return refuse(format!(
            "returned {} checks (at most {MAX_CHECKS})",
            checks.len()
        ));
    }
    for check in checks {
        for (what, text, max) in [
            ("an id", &check.id, MAX_CHECK_NAME_BYTES),
            ("a layer", &check.layer, MAX_CHECK_NAME_BYTES),
            ("a message", &check.message, MAX_CHECK_MESSAGE_BYTES),
        ] {
            if text.len() > max {
                return refuse(format!(
                    "returned a check with {what} of {} bytes (at most {max})",
                    text.len()
                ));
            }
        }
        // A layer heads its lines in `plan`'s table: a name, as a plugin's
        // own (an id may hold a test's name, and is printed after a mark).
        if let Some(reason) = crate::host::plugin::not_an_identifier("a check layer", &check.layer)
        {
            return refuse(reason);
        }
    }
    Ok(())
}

fn to_wit(check: &Check) -> types::Check {
    types::Check {
        id: check.id.clone(),
        layer: check.layer.clone(),
        status: match check.status {
            Status::Pass => types::CheckStatus::Pass,
            Status::Warn => types::CheckStatus::Warn,
            Status::Fail => types::CheckStatus::Fail,
            Status::Skip => types::CheckStatus::Skip,
        },
        message: check.message.clone(),
        blocking: check.blocking,
    }
}

fn from_wit(check: types::Check) -> Check {
    Check {
        id: check.id,
        layer: check.layer,
        status: match check.status {
            types::CheckStatus::Pass => Status::Pass,
            types::CheckStatus::Warn => Status::Warn,
            types::CheckStatus::Fail => Status::Fail,
            types::CheckStatus::Skip => Status::Skip,
        },
        message: check.message,
        blocking: check.blocking,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::RefCell;
    use std::rc::Rc;

    /// A native phase that records what it saw and returns fixed keys.
    struct Fake {
        keys: Value,
        checks: Vec<Check>,
        fail: Option<&'static str>,
        seen: Rc<RefCell<Vec<String>>>,
    }

    impl Phase for Fake {
        fn run(&self, input: &PhaseInput<'_>) -> Result<PhaseOutput, PhaseError> {
            self.seen
                .borrow_mut()
                .extend(input.document.keys().cloned());
            if let Some(reason) = self.fail {
                return Err(PhaseError::Unavailable(reason.into()));
            }
            let keys = self.keys.as_object().cloned().unwrap_or_default();
            // Measured as a plugin's answer is, from its text.
            let shape = json_shape(&serde_json::to_string(&keys).unwrap_or_default());
            Ok(PhaseOutput {
                keys,
                checks: self.checks.clone(),
                shape: Some(shape),
            })
        }
    }

    fn fake(keys: Value) -> Box<Fake> {
        Box::new(Fake {
            keys,
            checks: Vec::new(),
            fail: None,
            seen: Rc::default(),
        })
    }

    fn slot(
        name: &str,
        owns: &[&str],
        after: &[&str],
        phase: Result<Box<dyn Phase>, PhaseError>,
    ) -> Slot<'static> {
        Slot {
            name: name.into(),
            owns: owns.iter().map(|s| s.to_string()).collect(),
            after: after.iter().map(|s| s.to_string()).collect(),
            required: false,
            phase,
            promises: Vec::new(),
        }
    }

    fn required(mut slot: Slot<'static>) -> Slot<'static> {
        slot.required = true;
        slot
    }

    /// A promise that the key is written with a number.
    fn number(key: &str) -> Promise {
        Promise {
            key: key.into(),
            schema: "test.schema.json",
            check: Box::new(|value| {
                value
                    .is_number()
                    .then_some(())
                    .ok_or_else(|| format!("{value} is not a number"))
            }),
        }
    }

    fn check(id: &str, status: Status, blocking: bool) -> Check {
        Check {
            id: id.into(),
            layer: "test".into(),
            status,
            message: "m".into(),
            blocking,
        }
    }

    #[test]
    fn json_values_and_depth_are_counted_outside_strings() {
        let shape = |text: &str| {
            let JsonShape { values, depth, .. } = json_shape(text);
            (values, depth)
        };
        assert_eq!(shape("{}"), (1 + OBJECT_WEIGHT, 1));
        assert_eq!(
            shape(r#"{"a": [1, 2], "b": "x,[:\"y{{{"}"#),
            (6 + OBJECT_WEIGHT, 2)
        );
        // Round 67: 499,000 one-key objects counted as 998,001 values and
        // took the host 500 MB parsed. Weighed, they are past one phase's
        // bound.
        let objects = format!("{{\"k\":[{}{{\"a\":0}}]}}", "{\"a\":0},".repeat(498_999));
        assert!(shape(&objects).0 > MAX_JSON_VALUES);
        assert!(shape(&"[],".repeat(1000)).0 > 1000);
        let deep = format!("{{\"k\": {}0{}}}", "[".repeat(40), "]".repeat(40));
        assert_eq!(shape(&deep).1, 41);
        assert!(shape(&deep).1 > MAX_JSON_DEPTH);
    }

    /// Round 64: what the plan prints, indented and escaped, is bounded,
    /// not only the text the plugin returned.
    #[test]
    fn printed_size_counts_indentation_and_escapes() {
        for value in [
            json!({"a": [1, [2, [3, {"b": "c"}]]], "d": "e"}),
            json!({"k": "\u{85}\u{85}\u{e0041}x\u{202e}"}),
            json!({"k": [[[[0, 0, 0], [0]]]]}),
        ] {
            let estimate = json_shape(&value.to_string()).printed;
            let real = crate::json::to_string_pretty(&value).unwrap().len();
            assert!(
                estimate >= real * 9 / 10 && estimate <= real * 2,
                "{estimate} vs {real}: {value}"
            );
        }
        // A float prints as its shortest round trip, a short one long
        // (`-1e15`: 5 bytes, 19 printed; round 65); an integer as written.
        for text in [
            format!("{{\"k\": [{}]}}", vec!["-1e15"; 1000].join(",")),
            format!(
                "{{\"k\": [{}]}}",
                vec!["12345678901234567890123"; 100].join(",")
            ),
            format!(
                "{{\"k\": [{}, true, false, -7, 0.5]}}",
                vec!["1E-7"; 100].join(",")
            ),
        ] {
            let value: Value = serde_json::from_str(&text).unwrap();
            let real = crate::json::to_string_pretty(&value).unwrap().len();
            let estimate = json_shape(&text).printed;
            // A worst case for a float: `1E-7` prints as `1e-7`.
            assert!(
                estimate >= real && estimate <= real * 3,
                "{estimate} vs {real}: {text}"
            );
        }
        // 15 MB of U+0085: 45 MB printed.
        let nel = format!(
            "{{\"evil\": {{\"s\": \"{}\"}}}}",
            "\u{85}".repeat(7_500_000)
        );
        assert!(json_shape(&nel).printed > MAX_PRINTED_BYTES);
        // A million zeros 31 arrays deep: 2 MB, 67 MB printed.
        let zeros = vec!["0"; 1_000_000].join(",");
        let deep = format!("{{\"evil\": {}{zeros}{}}}", "[".repeat(31), "]".repeat(31));
        assert!(json_shape(&deep).printed > MAX_PRINTED_BYTES);
    }

    #[test]
    fn phases_run_after_their_dependencies_in_a_stable_order() {
        let slots = vec![
            slot("c", &["c"], &["b"], Ok(fake(json!({"c": 3})))),
            slot("a", &["a"], &[], Ok(fake(json!({"a": 1})))),
            slot("b", &["b"], &["a"], Ok(fake(json!({"b": 2})))),
            slot("d", &["d"], &[], Ok(fake(json!({"d": 4})))),
        ];
        let outcome = run(&slots, &json!({})).unwrap();
        let names: Vec<&str> = outcome.timings.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["a", "b", "c", "d"]);
        assert_eq!(
            Value::Object(outcome.document),
            json!({"a": 1, "b": 2, "c": 3, "d": 4})
        );
    }

    #[test]
    fn a_phase_sees_the_document_written_before_it() {
        let second = fake(json!({"b": 2}));
        let seen = Rc::clone(&second.seen);
        let slots = vec![
            slot("a", &["a"], &[], Ok(fake(json!({"a": 1})))),
            slot("b", &["b"], &["a"], Ok(second)),
        ];
        run(&slots, &json!({})).unwrap();
        assert_eq!(seen.borrow().as_slice(), ["a"]);
    }

    #[test]
    fn a_cycle_of_optional_phases_degrades_them_and_the_rest_runs() {
        let slots = vec![
            slot("a", &["a"], &["b"], Ok(fake(json!({"a": 1})))),
            slot("b", &["b"], &["a"], Ok(fake(json!({"b": 2})))),
            slot("c", &["c"], &[], Ok(fake(json!({"c": 3})))),
            slot("d", &["d"], &["a"], Ok(fake(json!({"d": 4})))),
        ];
        let outcome = run(&slots, &json!({})).unwrap();
        assert_eq!(outcome.document["c"], 3);
        assert_eq!(outcome.document["d"], 4);
        for key in ["a", "b"] {
            assert_eq!(outcome.document[key]["status"], "unavailable");
            assert_eq!(
                outcome.document[key]["reason"],
                "in a cycle of phases `a`, `b`"
            );
        }
        let warned: Vec<&str> = outcome.checks.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(warned, ["a.available", "b.available"]);
        assert!(!outcome.blocked());
    }

    #[test]
    fn a_cycle_through_a_required_phase_degrades_only_the_optional_ones() {
        let slots = vec![
            required(slot("gate", &["g"], &["x"], Ok(fake(json!({"g": 1}))))),
            slot("x", &["x"], &["gate"], Ok(fake(json!({"x": 1})))),
        ];
        let outcome = run(&slots, &json!({})).unwrap();
        assert_eq!(outcome.document["g"], 1);
        assert_eq!(outcome.document["x"]["status"], "unavailable");
    }

    #[test]
    fn a_cycle_of_required_phases_is_an_error_naming_them() {
        let slots = vec![
            required(slot("a", &["a"], &["b"], Ok(fake(json!({}))))),
            required(slot("b", &["b"], &["a"], Ok(fake(json!({}))))),
            slot("c", &["c"], &[], Ok(fake(json!({})))),
        ];
        assert!(matches!(
            run(&slots, &json!({})),
            Err(PipelineError::Cycle(phases)) if phases == "`a`, `b`"
        ));
    }

    #[test]
    fn an_unknown_dependency_degrades_an_optional_phase_and_fails_a_required_one() {
        let slots = vec![slot("a", &["a"], &["ghost"], Ok(fake(json!({"a": 1}))))];
        let outcome = run(&slots, &json!({})).unwrap();
        assert_eq!(
            outcome.document["a"]["reason"],
            "runs after `ghost`, which is not in the pipeline"
        );
        let slots = vec![required(slot("a", &["a"], &["ghost"], Ok(fake(json!({})))))];
        assert!(matches!(
            run(&slots, &json!({})),
            Err(PipelineError::UnknownDependency { .. })
        ));
    }

    #[test]
    fn shared_keys_are_an_error_naming_both_phases() {
        let slots = vec![
            slot("a", &["k"], &[], Ok(fake(json!({})))),
            slot("b", &["k"], &[], Ok(fake(json!({})))),
        ];
        assert_eq!(
            run(&slots, &json!({})).unwrap_err().to_string(),
            "phases `a` and `b` both claim the key `k`"
        );
    }

    #[test]
    fn writing_another_phases_key_names_the_owner() {
        let slots = vec![
            slot("gate", &["g"], &[], Ok(fake(json!({"g": 1})))),
            slot("sneak", &["s"], &["gate"], Ok(fake(json!({"g": 2})))),
        ];
        let outcome = run(&slots, &json!({})).unwrap();
        assert_eq!(outcome.document["g"], 1);
        assert_eq!(
            outcome.checks[0].message,
            "phase `sneak` unavailable: wrote `g`, which phase `gate` owns; its output was rejected"
        );
    }

    #[test]
    fn a_required_slot_must_write_its_promised_sections() {
        let mut gate = required(slot("gate", &[], &[], Ok(fake(json!({})))));
        gate.promises.push(number("g"));
        assert_eq!(
            run(&[gate], &json!({})).unwrap_err().to_string(),
            "required phase `gate` failed: did not write `g`, which its slot promises"
        );
        let mut gate = required(slot("gate", &["g"], &[], Ok(fake(json!({"g": "yes"})))));
        gate.promises.push(number("g"));
        assert_eq!(
            run(&[gate], &json!({})).unwrap_err().to_string(),
            "required phase `gate` failed: wrote a `g` that breaks its schema (test.schema.json): \"yes\" is not a number"
        );
        let mut gate = required(slot("gate", &["g"], &[], Ok(fake(json!({"g": 1})))));
        gate.promises.push(number("g"));
        assert_eq!(run(&[gate], &json!({})).unwrap().document["g"], 1);
    }

    #[test]
    fn an_optional_slot_that_breaks_its_promise_degrades() {
        let mut optional = slot("o", &["o"], &[], Ok(fake(json!({"o": []}))));
        optional.promises.push(number("o"));
        let outcome = run(&[optional], &json!({})).unwrap();
        assert_eq!(outcome.document["o"]["status"], "unavailable");
        let mut silent = slot("o", &["o"], &[], Ok(fake(json!({}))));
        silent.promises.push(number("o"));
        let outcome = run(&[silent], &json!({})).unwrap();
        assert!(outcome.document.is_empty() && outcome.checks.is_empty());
    }

    #[test]
    fn undeclared_keys_are_rejected_and_the_phase_degrades() {
        let slots = vec![slot(
            "a",
            &["a"],
            &[],
            Ok(fake(json!({"a": 1, "sneaky": 2}))),
        )];
        let outcome = run(&slots, &json!({})).unwrap();
        assert_eq!(outcome.document["a"]["status"], "unavailable");
        assert!(
            outcome.document["a"]["reason"]
                .as_str()
                .unwrap()
                .contains("undeclared key(s) `sneaky`")
        );
        assert!(!outcome.document.contains_key("sneaky"));
        assert_eq!(outcome.checks[0].status, Status::Warn);
        assert_eq!(outcome.checks[0].id, "a.available");
    }

    /// Round 65: optional phases each within their own bounds, together
    /// too much for a later phase to hold. The one that would take them
    /// past their share is unavailable; a required phase is not counted.
    #[test]
    fn optional_phases_share_one_budget_and_a_required_one_is_not_crowded_out() {
        let values = |n: usize| json!(vec![0; n]);
        let slots = vec![
            slot("a", &["a"], &[], Ok(fake(json!({"a": values(150_000)})))),
            slot("b", &["b"], &["a"], Ok(fake(json!({"b": values(150_000)})))),
            slot("c", &["c"], &["b"], Ok(fake(json!({"c": values(90_000)})))),
            required(slot(
                "gate",
                &["gate"],
                &["c"],
                Ok(fake(json!({"gate": values(300_000)}))),
            )),
        ];
        let outcome = run(&slots, &json!({})).unwrap();
        assert_eq!(
            outcome.document["a"].as_array().map(Vec::len),
            Some(150_000)
        );
        let reason = outcome.document["b"]["reason"].as_str().unwrap();
        assert!(
            reason.contains("past 250000 JSON values, 16 MiB printed or 4000 checks"),
            "{reason}"
        );
        assert_eq!(outcome.document["c"].as_array().map(Vec::len), Some(90_000));
        assert_eq!(
            outcome.document["gate"].as_array().map(Vec::len),
            Some(300_000)
        );

        // Checks count too, escaped: 1,000 of 4 KiB of C0 controls print
        // as 24 MiB.
        let loud = loud_checks(json!({}));
        let outcome = run(&[slot("loud", &[], &[], Ok(loud))], &json!({})).unwrap();
        assert_eq!(outcome.checks.len(), 1, "{:?}", outcome.checks);
        let message = &outcome.checks[0].message;
        assert!(message.contains(" MiB, 1000 checks)"), "{message}");
        // Five phases of 1,000 one-letter checks: the fifth is too many.
        let terse = || {
            Box::new(Fake {
                checks: (0..1000).map(|_| check("c", Status::Pass, false)).collect(),
                ..*fake(json!({}))
            })
        };
        let slots: Vec<Slot<'static>> = (0..5)
            .map(|i| slot(&format!("p{i}"), &[], &[], Ok(terse())))
            .collect();
        let outcome = run(&slots, &json!({})).unwrap();
        assert_eq!(outcome.checks.len(), 4001, "four phases' and one notice");
        assert!(outcome.checks[4000].message.contains("5000 checks"));
    }

    #[test]
    fn missing_or_failing_optional_phases_degrade_and_the_run_goes_on() {
        let failing = Box::new(Fake {
            fail: Some("plugin x 1.0: run: crashed"),
            ..*fake(json!({}))
        });
        let slots = vec![
            slot(
                "missing",
                &["m1", "m2"],
                &[],
                Err(PhaseError::Unavailable("disabled in pitcrew.toml".into())),
            ),
            slot("failing", &["f"], &[], Ok(failing)),
            slot(
                "ok",
                &["ok"],
                &["missing", "failing"],
                Ok(fake(json!({"ok": true}))),
            ),
        ];
        let outcome = run(&slots, &json!({})).unwrap();
        assert_eq!(
            outcome.document["m2"],
            json!({"status": "unavailable", "reason": "disabled in pitcrew.toml"})
        );
        assert_eq!(
            outcome.document["f"]["reason"],
            "plugin x 1.0: run: crashed"
        );
        assert_eq!(outcome.document["ok"], true);
        assert_eq!(outcome.checks.len(), 2);
        assert!(
            outcome
                .checks
                .iter()
                .all(|c| c.status == Status::Warn && !c.blocking)
        );
        assert!(!outcome.blocked());
    }

    /// A phase returning `keys` and 1,000 checks of 4 KiB of C0 controls.
    fn loud_checks(keys: Value) -> Box<Fake> {
        Box::new(Fake {
            checks: (0..1000)
                .map(|i| Check {
                    message: "\u{1}".repeat(4096),
                    ..check(&format!("c{i}"), Status::Pass, false)
                })
                .collect(),
            ..*fake(keys)
        })
    }

    /// Round 67: required phases, each within its own bounds, took the
    /// host 500 MB apiece. They share a budget of their own; the host's
    /// own phases (unmeasured) are not counted.
    #[test]
    fn required_plugin_phases_share_a_budget_and_the_hosts_own_are_not_counted() {
        let big = || {
            required(slot(
                "a",
                &["a"],
                &[],
                Ok(fake(json!({"a": vec![0; 600_000]}))),
            ))
        };
        let slots = vec![
            big(),
            required(slot(
                "b",
                &["b"],
                &["a"],
                Ok(fake(json!({"b": vec![0; 600_000]}))),
            )),
        ];
        let err = run(&slots, &json!({})).unwrap_err().to_string();
        assert!(
            err.starts_with("required phase `b` failed: its answer would take what required phases add to the plan past 1000000 JSON values"),
            "{err}"
        );

        // One phase at its own bounds always fits: 15 MiB of keys and
        // 1,000 checks of 4 KiB of C0 controls (24 MiB printed).
        let loud = loud_checks(json!({"a": "x".repeat(15 << 20)}));
        let outcome = run(&[required(slot("a", &["a"], &[], Ok(loud)))], &json!({})).unwrap();
        assert_eq!(outcome.checks.len(), 1000);

        struct Host;
        impl Phase for Host {
            fn run(&self, _: &PhaseInput<'_>) -> Result<PhaseOutput, PhaseError> {
                let keys = json!({"verdict": vec![0; 2_000_000]});
                Ok(PhaseOutput {
                    keys: keys.as_object().cloned().unwrap_or_default(),
                    checks: Vec::new(),
                    shape: None,
                })
            }
        }
        let slots = vec![
            big(),
            required(slot("verdict", &["verdict"], &["a"], Ok(Box::new(Host)))),
        ];
        let outcome = run(&slots, &json!({})).unwrap();
        assert_eq!(
            outcome.document["verdict"].as_array().map(Vec::len),
            Some(2_000_000)
        );
    }

    #[test]
    fn a_failing_required_phase_fails_the_run() {
        let mut required_slot = slot(
            "gate",
            &["g"],
            &[],
            Err(PhaseError::Unavailable("not found".into())),
        );
        required_slot.required = true;
        assert_eq!(
            run(&[required_slot], &json!({})).unwrap_err().to_string(),
            "required phase `gate` failed: not found"
        );
    }

    #[test]
    fn only_a_failed_blocking_check_blocks() {
        let mut phase = fake(json!({}));
        phase.checks = vec![
            check("warn", Status::Warn, true),
            check("soft", Status::Fail, false),
            check("skip", Status::Skip, true),
        ];
        let outcome = run(&[slot("a", &[], &[], Ok(phase))], &json!({})).unwrap();
        assert!(!outcome.blocked());

        let mut phase = fake(json!({}));
        phase.checks = vec![check("hard", Status::Fail, true)];
        let outcome = run(&[slot("a", &[], &[], Ok(phase))], &json!({})).unwrap();
        assert!(outcome.blocked());
    }
}
