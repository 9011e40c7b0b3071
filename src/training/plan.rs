//! The plan pipeline: its phase slots, and the plan document assembled
//! from what the phases wrote.

use serde_json::{Map, Value, json};

use crate::config::Config;
use crate::host::{Plugin, Runtime, World};
use crate::pipeline::{Outcome, PhaseError, Slot};

/// A plan phase slot: name, the keys it owns, the phases it runs after,
/// and whether the plan can go on without it.
pub struct PhaseDef {
    pub name: &'static str,
    pub owns: &'static [&'static str],
    pub after: &'static [&'static str],
    pub required: bool,
}

pub const PHASES: &[PhaseDef] = &[
    PhaseDef {
        name: "strategy",
        owns: &[
            "strategy",
            "batch_configuration",
            "distributed_config",
            "rdma_config",
            "checkpoint_strategy",
            "performance_targets",
            "verification_steps",
        ],
        after: &[],
        required: false,
    },
    PhaseDef {
        name: "pre-sync",
        owns: &["pre_rdma_sync"],
        after: &[],
        required: false,
    },
    PhaseDef {
        name: "hardware-calibration",
        owns: &["hardware_calibration"],
        after: &[],
        required: false,
    },
    PhaseDef {
        name: "worker-consistency",
        owns: &["worker_consistency"],
        after: &[],
        required: false,
    },
    PhaseDef {
        name: "coordinator-chunking",
        owns: &["coordinator_chunking"],
        after: &["hardware-calibration"],
        required: false,
    },
    PhaseDef {
        name: "pre-flight",
        owns: &["pre_flight_checklist"],
        after: &[
            "pre-sync",
            "hardware-calibration",
            "worker-consistency",
            "coordinator-chunking",
        ],
        required: true,
    },
];

/// Every section of a plan, in document order.
pub fn sections() -> impl Iterator<Item = &'static str> {
    PHASES.iter().flat_map(|p| p.owns.iter().copied())
}

/// Loads each slot's plugin. A disabled or unloadable optional phase
/// becomes a slot with the reason, so the plan degrades instead of failing.
pub fn slots(runtime: &Runtime, config: &Config) -> (Vec<Slot>, Vec<Value>) {
    let mut used = Vec::new();
    let slots = PHASES
        .iter()
        .map(|def| {
            let key = format!("phases.{}", def.name);
            let phase = match config.phases.get(def.name) {
                None => Err(PhaseError::Unavailable(format!(
                    "no plugin configured for `{key}`"
                ))),
                Some(setting) if !setting.enabled => Err(PhaseError::Unavailable(format!(
                    "disabled in pitcrew.toml (`{key}.enabled = false`)"
                ))),
                Some(setting) => Plugin::load(runtime, &setting.spec, &key, Some(World::Phase))
                    .map_err(PhaseError::from),
            };
            let (owns, after) =
                match &phase {
                    Ok(plugin) => {
                        used.push(json!({
                            "slot": key, "name": plugin.info.name, "version": plugin.info.version,
                            "source": plugin.source.to_string(), "sha256": plugin.sha256,
                        }));
                        let decl = plugin.phase.clone().unwrap_or_else(|| {
                            crate::host::plugin::PhaseDecl {
                                owns: Vec::new(),
                                after: Vec::new(),
                            }
                        });
                        (decl.owns, decl.after)
                    }
                    Err(_) => (
                        def.owns.iter().map(|s| s.to_string()).collect(),
                        def.after.iter().map(|s| s.to_string()).collect(),
                    ),
                };
            Slot {
                name: def.name.to_string(),
                owns,
                after,
                required: def.required,
                phase: phase.map(|p| Box::new(p) as Box<dyn crate::pipeline::Phase>),
            }
        })
        .collect();
    (slots, used)
}

/// The plan: every section in document order, then `pitcrew` metadata.
pub fn document(outcome: &Outcome, plugins: Vec<Value>) -> Value {
    let mut plan = Map::new();
    for key in sections() {
        let value = outcome.document.get(key).cloned().unwrap_or_else(
            || json!({"status": "unavailable", "reason": "no phase wrote this section"}),
        );
        plan.insert(key.to_string(), value);
    }
    let timings: Map<String, Value> = outcome
        .timings
        .iter()
        .map(|(name, took)| {
            (
                name.clone(),
                json!((took.as_secs_f64() * 1e6).round() / 1e3),
            )
        })
        .collect();
    plan.insert(
        "pitcrew".into(),
        json!({
            "version": env!("CARGO_PKG_VERSION"),
            "blocked": outcome.blocked(),
            "plugins": plugins,
            "timings_ms": timings,
        }),
    );
    Value::Object(plan)
}
