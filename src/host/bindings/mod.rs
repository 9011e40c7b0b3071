//! Generated bindings, one module per supported contract version.
//!
//! When `pitcrew:plugin@0.2.0` ships, `v0_2` joins `v0_1` here and the loader
//! picks the module by the version a component imports; released versions are
//! never dropped while plugins built against them may exist.

pub mod v0_1;
