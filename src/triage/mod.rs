//! Triage of test failures: classification and routing through plugins.
//! Secrets are redacted (`redact`) before the model client (`model`) sends
//! anything. (Fingerprinting, the triage command and fixes come later.)

pub mod classify;
pub mod failures;
pub mod group;
pub mod model;
pub mod redact;
