//! `pitcrew:plugin@0.2.0` (`wit/0.2.0/plugin.wit`): 0.1.0 plus plugin
//! configuration: `plugin-info.config-schema`, `phase-input.config`, and a
//! `config` argument to `classify` and `route`. Only those records are
//! converted by hand; the rest are 0.1.0's (`convert`).

use wasmtime::Store;

use super::Described;
use crate::host::World;
use crate::host::plugin::PhaseDecl;
use crate::host::sandbox::HostState;
use crate::host::types as ours;

super::convert::version_bindings!("wit/0.2.0");

use types as wit;

/// The contract version these bindings implement.
pub const VERSION: &str = "0.2.0";

super::convert::unchanged_since_0_1!();

impl From<wit::PluginInfo> for ours::PluginInfo {
    fn from(info: wit::PluginInfo) -> Self {
        Self {
            name: info.name,
            version: info.version,
            description: info.description,
            config_schema: info.config_schema,
        }
    }
}

fn phase_input(input: &ours::PhaseInput, config: &str) -> wit::PhaseInput {
    wit::PhaseInput {
        config: config.to_string(),
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
        config: &str,
    ) -> wasmtime::Result<Result<ours::PhaseOutput, ours::PluginError>> {
        let Pre::Phase(pre) = self else {
            wasmtime::bail!("not a phase");
        };
        let input = phase_input(input, config);
        let answer = pre.instantiate(&mut *store)?.call_run(store, &input)?;
        Ok(answer.map(Into::into).map_err(Into::into))
    }

    pub fn classify(
        &self,
        store: &mut Store<HostState>,
        batch: &[ours::Failure],
        config: &str,
    ) -> wasmtime::Result<Result<Vec<ours::Classification>, ours::PluginError>> {
        let Pre::Classifier(pre) = self else {
            wasmtime::bail!("not a classifier");
        };
        let batch: Vec<wit::Failure> = batch.iter().cloned().map(Into::into).collect();
        let answer = pre
            .instantiate(&mut *store)?
            .call_classify(store, &batch, config)?;
        Ok(answer
            .map(|list| list.into_iter().map(Into::into).collect())
            .map_err(Into::into))
    }

    pub fn route(
        &self,
        store: &mut Store<HostState>,
        request: &ours::RouteRequest,
        config: &str,
    ) -> wasmtime::Result<Result<ours::Route, ours::PluginError>> {
        let Pre::Router(pre) = self else {
            wasmtime::bail!("not a router");
        };
        let answer =
            pre.instantiate(&mut *store)?
                .call_route(store, &request.clone().into(), config)?;
        Ok(answer.map(Into::into).map_err(Into::into))
    }
}
