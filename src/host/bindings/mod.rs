//! Generated bindings, one module per released contract version (Zed's
//! `since_vX` approach): each version's WIT is frozen under
//! `wit/<version>/`, its module converts its records to the host's own
//! (`host::types`) at the boundary, and the loader picks the module by the
//! version a component was built against. Released versions are never
//! dropped while plugins built against them may exist.

mod convert;
pub mod json;
pub mod v0_1;
pub mod v0_2;

use wasmtime::Store;
use wasmtime::component::{HasSelf, InstancePre, Linker};

use super::World;
use super::plugin::PhaseDecl;
use super::sandbox::HostState;
use super::types;

/// A released contract: its version and its WIT, as `pitcrew plugin wit`
/// prints it.
pub struct Contract {
    pub version: &'static str,
    pub wit: &'static str,
}

/// Every contract this pitcrew supports, oldest first; the last is the one
/// new plugins are built against.
pub const CONTRACTS: &[Contract] = &[
    Contract {
        version: v0_1::VERSION,
        wit: include_str!("../../../wit/0.1.0/plugin.wit"),
    },
    Contract {
        version: v0_2::VERSION,
        wit: include_str!("../../../wit/0.2.0/plugin.wit"),
    },
];

/// The contract new plugins are built against.
pub fn current() -> &'static Contract {
    &CONTRACTS[CONTRACTS.len() - 1]
}

/// The contract of this version, if supported.
pub fn contract(version: &str) -> Option<&'static Contract> {
    CONTRACTS.iter().find(|c| c.version == version)
}

/// The supported versions, as an error message lists them:
/// `pitcrew:plugin@0.1.0, pitcrew:plugin@0.2.0`.
pub fn supported() -> String {
    CONTRACTS
        .iter()
        .map(|c| format!("{}@{}", super::inspect::PACKAGE, c.version))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The released version that serves a plugin built against `found`
/// (semver-compatible: same major, for 0.x the same minor).
pub fn serving(found: &str) -> Option<&'static Contract> {
    CONTRACTS
        .iter()
        .rev()
        .find(|c| super::inspect::compatible(found, c.version))
}

/// What `describe` said, in the host's types.
pub struct Described {
    pub info: types::PluginInfo,
    pub phase: Option<PhaseDecl>,
}

/// A component linked against one contract version.
pub enum Pre {
    V0_1(v0_1::Pre),
    V0_2(v0_2::Pre),
}

impl Pre {
    /// Links `pre` as a `world` plugin of `version`, or, when the component
    /// names no version (it imports nothing of the contract), of the newest
    /// version whose exports it matches.
    pub fn new(
        world: World,
        version: Option<&str>,
        pre: InstancePre<HostState>,
    ) -> wasmtime::Result<Self> {
        match version {
            Some(v0_1::VERSION) => Ok(Pre::V0_1(v0_1::Pre::new(world, pre)?)),
            Some(v0_2::VERSION) => Ok(Pre::V0_2(v0_2::Pre::new(world, pre)?)),
            Some(other) => wasmtime::bail!("no bindings for pitcrew:plugin@{other}"),
            None => match v0_2::Pre::new(world, pre.clone()) {
                Ok(pre) => Ok(Pre::V0_2(pre)),
                Err(_) => Ok(Pre::V0_1(v0_1::Pre::new(world, pre)?)),
            },
        }
    }

    /// The contract version the plugin was built against.
    pub fn version(&self) -> &'static str {
        match self {
            Pre::V0_1(_) => v0_1::VERSION,
            Pre::V0_2(_) => v0_2::VERSION,
        }
    }

    pub fn describe(&self, store: &mut Store<HostState>) -> wasmtime::Result<Described> {
        match self {
            Pre::V0_1(pre) => pre.describe(store),
            Pre::V0_2(pre) => pre.describe(store),
        }
    }

    pub fn run(
        &self,
        store: &mut Store<HostState>,
        input: &types::PhaseInput,
        config: &str,
    ) -> wasmtime::Result<Result<types::PhaseOutput, types::PluginError>> {
        match self {
            Pre::V0_1(pre) => pre.run(store, input),
            Pre::V0_2(pre) => pre.run(store, input, config),
        }
    }

    pub fn classify(
        &self,
        store: &mut Store<HostState>,
        batch: &[types::Failure],
        config: &str,
    ) -> wasmtime::Result<Result<Vec<types::Classification>, types::PluginError>> {
        match self {
            Pre::V0_1(pre) => pre.classify(store, batch),
            Pre::V0_2(pre) => pre.classify(store, batch, config),
        }
    }

    pub fn route(
        &self,
        store: &mut Store<HostState>,
        request: &types::RouteRequest,
        config: &str,
    ) -> wasmtime::Result<Result<types::Route, types::PluginError>> {
        match self {
            Pre::V0_1(pre) => pre.route(store, request),
            Pre::V0_2(pre) => pre.route(store, request, config),
        }
    }
}

/// Registers every supported version's imports (`log`; `types` has no
/// functions): 0.1.0's generated registration (kept so the sandbox's
/// `Host` impls stay the reference), then every version's `log` defined
/// (or replaced) by the budgeted one of `host::log`.
pub(crate) fn add_to_linker(linker: &mut Linker<HostState>) -> wasmtime::Result<()> {
    v0_1::phase::Phase::add_to_linker::<HostState, HasSelf<HostState>>(linker, |state| state)?;
    for contract in CONTRACTS {
        let log = format!("{}/log@{}", super::inspect::PACKAGE, contract.version);
        super::log::shadow_in(linker, &log)?;
    }
    Ok(())
}
