//! Generated bindings, one module per supported contract version.
//!
//! When `pitcrew:plugin@0.2.0` ships, `v0_2` joins `v0_1` here and the loader
//! picks the module by the version a component imports; released versions are
//! never dropped while plugins built against them may exist.

pub mod json;
pub mod v0_1;

/// A released contract: its version and its WIT, as `pitcrew plugin wit`
/// prints it.
pub struct Contract {
    pub version: &'static str,
    pub wit: &'static str,
}

/// Every contract this pitcrew supports, oldest first; the last is the one
/// new plugins are built against.
pub const CONTRACTS: &[Contract] = &[Contract {
    version: v0_1::VERSION,
    wit: include_str!("../../../wit/plugin.wit"),
}];

/// The contract new plugins are built against.
pub fn current() -> &'static Contract {
    &CONTRACTS[CONTRACTS.len() - 1]
}

/// The contract of this version, if supported.
pub fn contract(version: &str) -> Option<&'static Contract> {
    CONTRACTS.iter().find(|c| c.version == version)
}
