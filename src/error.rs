//! The error that means "the user's input is wrong": exit code 2.

/// Invalid input or usage. Its message is one line that names the field and
/// the file. Commands return it (through `anyhow`) before writing anything.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct InputError(pub String);

impl InputError {
    pub fn new(message: impl Into<String>) -> Self {
        Self(message.into())
    }
}

/// Exit codes, as documented in the README.
pub mod exit {
    pub const SUCCESS: u8 = 0;
    /// Tests failed, or the plan is blocked.
    pub const FAILED: u8 = 1;
    /// Invalid input or usage.
    pub const INPUT: u8 = 2;
}

/// Whether an error (anywhere in its chain) is the user's input.
pub fn is_input_error(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause.is::<InputError>()
            || cause.is::<crate::config::ConfigError>()
            || cause.is::<crate::training::spec::SpecError>()
            || cause.is::<clap::Error>()
    })
}
