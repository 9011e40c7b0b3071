//! The plan pipeline: its phase slots, and the plan document assembled
//! from what the phases wrote.

use serde_json::{Map, Value, json};

use crate::config::Config;
use crate::host::Runtime;
use crate::pipeline::schema;
use crate::pipeline::{Outcome, Slot, plugins};

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

/// Loads each slot's plugin, then the phases added in `[[plan.phases]]`. A
/// disabled or unloadable optional phase becomes a slot with the reason, so
/// the plan degrades instead of failing. Every built-in section is promised
/// with its schema from `schemas/plan.schema.json`: a replacement must write
/// what its slot promises (the gate: the checklist), and an optional one
/// that writes a malformed section degrades.
pub fn slots(runtime: &Runtime, config: &Config) -> (Vec<Slot<'static>>, Vec<Value>) {
    let mut used = Vec::new();
    let schema = schema::Sections::plan();
    let mut slots: Vec<Slot<'static>> = PHASES
        .iter()
        .map(|def| {
            let key = format!("phases.{}", def.name);
            let spec = match config.phases.get(def.name) {
                None => Err(format!("no plugin configured for `{key}`")),
                Some(setting) if !setting.enabled => Err(format!(
                    "disabled in pitcrew.toml (`{key}.enabled = false`)"
                )),
                Some(setting) => Ok(&setting.spec),
            };
            let fallback = plugins::Fallback {
                owns: def.owns.iter().map(|s| s.to_string()).collect(),
                after: def.after.iter().map(|s| s.to_string()).collect(),
            };
            let (mut slot, plugin) =
                plugins::slot(runtime, def.name, &key, spec, fallback, &[], def.required);
            used.extend(plugin);
            slot.promises = def.owns.iter().map(|key| schema.promise(key)).collect();
            slot
        })
        .collect();
    let mut added = plugins::added(runtime, "plan", &config.added.plan, &[], &mut used);
    for slot in &mut added {
        slot.promises = slot.owns.iter().map(|key| schema.promise(key)).collect();
    }
    slots.extend(added);
    (slots, used)
}

/// The keys phases added in `pitcrew.toml` wrote, in the order they ran.
pub fn added_sections(document: &Map<String, Value>) -> impl Iterator<Item = (&String, &Value)> {
    let builtin: Vec<&str> = sections().collect();
    document
        .iter()
        .filter(move |(key, _)| !builtin.contains(&key.as_str()) && key.as_str() != "pitcrew")
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
    // Sections of added phases follow the built-ins, before the metadata.
    for (key, value) in added_sections(&outcome.document) {
        plan.insert(key.clone(), value.clone());
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::{JsonShape, Phase, PhaseError, PhaseInput, PhaseOutput};

    /// A configured required phase that returns as much as the required
    /// phases may add together.
    struct Hog;

    impl Phase for Hog {
        fn run(&self, _: &PhaseInput<'_>) -> Result<PhaseOutput, PhaseError> {
            let keys = json!({"hog": vec![0; 999_990]});
            Ok(PhaseOutput {
                keys: keys.as_object().cloned().unwrap_or_default(),
                checks: Vec::new(),
                shape: Some(JsonShape {
                    values: 999_991,
                    depth: 2,
                    printed: 2 * 999_990,
                }),
            })
        }
    }

    /// A configured phase ordered before the built-in pre-flight (a
    /// replaced slot naming it in `after`) spent the required phases'
    /// budget, and pre-flight was the phase refused: a launch blocked by
    /// spent budget, blamed on pre-flight (round 69). Built-in plugins are
    /// not counted in it.
    #[test]
    fn a_configured_phase_cannot_spend_the_budget_of_the_builtin_pre_flight() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let spec = crate::training::spec::load(&dir.join("examples/training/healthy/spec.toml"))
            .expect("the example loads");
        let options = crate::training::facts::FactOptions {
            max_report_age_s: 86_400,
            run_sync: false,
            now_unix: 0,
        };
        let facts = crate::training::facts::gather(&spec, &options);
        let runtime = Runtime::new(&crate::host::CacheSetting::Disabled).expect("a runtime");
        let (mut slots, _) = slots(&runtime, &Config::default());
        for slot in &mut slots {
            slot.after.push("hog".into());
        }
        slots.insert(
            0,
            Slot {
                name: "hog".into(),
                owns: vec!["hog".into()],
                after: Vec::new(),
                required: true,
                phase: Ok(Box::new(Hog)),
                promises: Vec::new(),
            },
        );
        let outcome = crate::pipeline::run(&slots, &facts).expect("every phase runs");
        assert!(outcome.document.contains_key("pre_flight_checklist"));
        assert_ne!(
            outcome.document["worker_consistency"]["status"],
            "unavailable"
        );
    }

    #[test]
    fn the_configuration_knows_which_plan_phases_are_required() {
        for def in PHASES {
            assert_eq!(
                crate::config::REQUIRED_PHASES.contains(&def.name),
                def.required,
                "{}",
                def.name
            );
        }
    }
}
