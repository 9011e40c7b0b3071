//! Triage of test failures: classification and routing through plugins.
//! Secrets are redacted (`redact`) before the model client (`model`) sends
//! anything. Fingerprints (`fingerprint`) group failures by root cause.

pub mod changes;
pub mod classify;
pub mod document;
pub mod failures;
pub mod fingerprint;
pub mod fixing;
pub mod group;
pub mod model;
pub mod parallel;
pub mod priority;
pub mod redact;
pub mod route;
pub mod settings;
pub mod suggest;
