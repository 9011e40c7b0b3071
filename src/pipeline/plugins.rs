//! Slots filled by phase plugins, for both pipelines: a built-in slot's
//! plugin (or the reason it has none), and the phases added in
//! `pitcrew.toml`, with what each loaded plugin is for the output's
//! `pitcrew.plugins` list.

use serde_json::{Value, json};

use super::{Phase, PhaseError, Slot};
use crate::config::AddedPhase;
use crate::host::{Plugin, PluginSpec, Runtime, World};

/// What a slot falls back to when its plugin cannot be loaded: the keys it
/// would own and the phases it would run after.
pub struct Fallback {
    pub owns: Vec<String>,
    pub after: Vec<String>,
}

/// A slot filled by the plugin `spec` (`Err(reason)`: none configured, or
/// disabled). A loaded plugin's own `describe` decides its keys and `after`
/// (plus `extra_after`); an unloadable one keeps `fallback`'s, so an
/// optional slot degrades in the keys it was expected to write.
pub fn slot(
    runtime: &Runtime,
    name: &str,
    key: &str,
    spec: Result<&PluginSpec, String>,
    fallback: Fallback,
    extra_after: &[String],
    required: bool,
) -> (Slot<'static>, Option<Value>) {
    let phase = spec
        .map_err(PhaseError::Unavailable)
        .and_then(|spec| Ok(Plugin::load(runtime, spec, key, Some(World::Phase))?));
    let (mut owns, mut after, used) = match &phase {
        Ok(plugin) => {
            let decl = plugin
                .phase
                .clone()
                .unwrap_or_else(|| crate::host::plugin::PhaseDecl {
                    owns: Vec::new(),
                    after: Vec::new(),
                });
            let used = json!({
                "slot": key, "name": plugin.info.name, "version": plugin.info.version,
                "source": plugin.source.to_string(), "sha256": plugin.sha256,
            });
            (decl.owns, decl.after, Some(used))
        }
        Err(_) => (fallback.owns, fallback.after, None),
    };
    owns.dedup();
    for extra in extra_after {
        if !after.contains(extra) {
            after.push(extra.clone());
        }
    }
    let slot = Slot {
        name: name.to_string(),
        owns,
        after,
        required,
        phase: phase.map(|p| Box::new(p) as Box<dyn Phase>),
        promises: Vec::new(),
    };
    (slot, used)
}

/// The phases added to a pipeline (`[[PIPELINE.phases]]`), each after
/// `runs_after` too (the built-ins it needs to see), in the file's order.
pub fn added(
    runtime: &Runtime,
    pipeline: &str,
    phases: &[AddedPhase],
    runs_after: &[String],
    used: &mut Vec<Value>,
) -> Vec<Slot<'static>> {
    phases
        .iter()
        .map(|phase| {
            let key = format!("{pipeline}.phases.{}", phase.name);
            let spec = if phase.enabled {
                Ok(&phase.spec)
            } else {
                Err(format!(
                    "disabled in pitcrew.toml (`{key}.enabled = false`)"
                ))
            };
            let mut after = phase.after.clone();
            after.extend(runs_after.iter().cloned());
            let fallback = Fallback {
                owns: Vec::new(),
                after: Vec::new(),
            };
            let (slot, plugin) = slot(
                runtime,
                &phase.name,
                &key,
                spec,
                fallback,
                &after,
                phase.required,
            );
            used.extend(plugin);
            slot
        })
        .collect()
}
