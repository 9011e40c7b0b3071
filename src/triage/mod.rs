//! Triage of test failures: classification and routing through plugins.
//! (Fingerprinting, the model client and fix verification come later.)

pub mod classify;
pub mod failures;
pub mod group;
