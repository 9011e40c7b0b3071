//! `pitcrew:plugin@0.1.0`, frozen (`wit/0.1.0/plugin.wit`): one `bindgen!`
//! per world, the records converted to the host's own at the boundary.
//! The `types` and `log` interfaces are generated once (with the phase
//! world) and shared, so a `Check` is the same Rust type whichever world
//! produced it. 0.1.0 has no configuration: the host refuses to configure
//! a plugin built for it, so the calls below never see one.

use wasmtime::Store;

use super::Described;
use crate::host::World;
use crate::host::plugin::PhaseDecl;
use crate::host::sandbox::HostState;
use crate::host::types as ours;

super::convert::version_bindings!("wit/0.1.0");

use types as wit;

/// The contract version these bindings implement.
pub const VERSION: &str = "0.1.0";

super::convert::unchanged_since_0_1!();

impl From<wit::PluginInfo> for ours::PluginInfo {
    fn from(info: wit::PluginInfo) -> Self {
        Self {
            name: info.name,
            version: info.version,
            description: info.description,
            config_schema: None,
        }
    }
}

fn phase_input(input: &ours::PhaseInput) -> wit::PhaseInput {
    wit::PhaseInput {
        facts: input.facts.clone(),
        document: input.document.clone(),
        checks: input.checks.iter().cloned().map(Into::into).collect(),
    }
}

impl Pre {
    pub fn run(
        &self,
        store: &mut Store<HostState>,
        input: &ours::PhaseInput,
    ) -> wasmtime::Result<Result<ours::PhaseOutput, ours::PluginError>> {
        let Pre::Phase(pre) = self else {
            wasmtime::bail!("not a phase");
        };
        let answer = pre
            .instantiate(&mut *store)?
            .call_run(store, &phase_input(input))?;
        Ok(answer.map(Into::into).map_err(Into::into))
    }

    pub fn classify(
        &self,
        store: &mut Store<HostState>,
        batch: &[ours::Failure],
    ) -> wasmtime::Result<Result<Vec<ours::Classification>, ours::PluginError>> {
        let Pre::Classifier(pre) = self else {
            wasmtime::bail!("not a classifier");
        };
        let batch: Vec<wit::Failure> = batch.iter().cloned().map(Into::into).collect();
        let answer = pre.instantiate(&mut *store)?.call_classify(store, &batch)?;
        Ok(answer
            .map(|list| list.into_iter().map(Into::into).collect())
            .map_err(Into::into))
    }

    pub fn route(
        &self,
        store: &mut Store<HostState>,
        request: &ours::RouteRequest,
    ) -> wasmtime::Result<Result<ours::Route, ours::PluginError>> {
        let Pre::Router(pre) = self else {
            wasmtime::bail!("not a router");
        };
        let answer = pre
            .instantiate(&mut *store)?
            .call_route(store, &request.clone().into())?;
        Ok(answer.map(Into::into).map_err(Into::into))
    }
}
