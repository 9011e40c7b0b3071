//! Exit codes, and the one mapping from an error to its exit code.
//!
//! This module sits below every domain module and imports none of them. A
//! library error type says what kind of failure it is by implementing
//! [`HasKind`]; [`ErrorKind::exit_code`] is the only place a kind becomes a
//! number. Crossing into `anyhow`, an error keeps its kind by travelling as
//! a [`Classified`] ([`ResultExt::classified`]); `main` reads it back with
//! [`exit_code`], through any context the commands add.
//!
//! | code | meaning |
//! |---|---|
//! | 0 | success (also: the reader of our output went away, a closed pipe) |
//! | 1 | tests failed, or the plan is blocked (a result, not an error) |
//! | 2 | invalid input or usage: one line naming the field and the file |
//! | 3 | pitcrew could not do its job: a required plugin could not be loaded, crashed or broke its contract; an internal error |

use std::error::Error as StdError;
use std::fmt;
use std::io;

/// Exit codes, as documented in the README.
pub mod exit {
    pub const SUCCESS: u8 = 0;
    /// Tests failed, or the plan is blocked.
    pub const FAILED: u8 = 1;
    /// Invalid input or usage.
    pub const INPUT: u8 = 2;
    /// pitcrew could not do its job: a required plugin, or pitcrew itself.
    pub const BROKEN: u8 = 3;
}

/// What kind of failure an error is; decides the exit code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// The user's input or usage is wrong (a file, a field, a flag).
    Input,
    /// A required plugin could not be loaded, crashed, hit a limit or
    /// broke its contract.
    Plugin,
    /// pitcrew itself failed: the system refused (memory, disk), or a bug.
    Internal,
}

impl ErrorKind {
    /// The one mapping from kinds to exit codes.
    pub const fn exit_code(self) -> u8 {
        match self {
            ErrorKind::Input => exit::INPUT,
            ErrorKind::Plugin | ErrorKind::Internal => exit::BROKEN,
        }
    }
}

/// Implemented by every library error type: the kind of failure it is.
pub trait HasKind {
    fn kind(&self) -> ErrorKind;
}

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

impl HasKind for InputError {
    fn kind(&self) -> ErrorKind {
        ErrorKind::Input
    }
}

/// A library error on its way through `anyhow`, with its kind attached. It
/// shows as the error itself (same message, same sources).
pub struct Classified {
    kind: ErrorKind,
    inner: Box<dyn StdError + Send + Sync>,
}

impl Classified {
    pub fn new<E: HasKind + StdError + Send + Sync + 'static>(err: E) -> Self {
        Self {
            kind: err.kind(),
            inner: Box::new(err),
        }
    }

    pub fn kind(&self) -> ErrorKind {
        self.kind
    }
}

impl fmt::Display for Classified {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.inner.fmt(f)
    }
}

impl fmt::Debug for Classified {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?} ({:?})", self.inner, self.kind)
    }
}

impl StdError for Classified {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        self.inner.source()
    }
}

/// `.classified()?`: a library result into `anyhow`, keeping its kind.
pub trait ResultExt<T> {
    fn classified(self) -> Result<T, Classified>;
}

impl<T, E: HasKind + StdError + Send + Sync + 'static> ResultExt<T> for Result<T, E> {
    fn classified(self) -> Result<T, Classified> {
        self.map_err(Classified::new)
    }
}

/// The exit code for an error that ended a command: the kind of the
/// outermost classified error in its chain. An error nobody classified is
/// pitcrew's own failure (3), never "tests failed" (1): a result is not an
/// error.
pub fn exit_code(err: &anyhow::Error) -> u8 {
    if is_broken_pipe(err) {
        return exit::SUCCESS;
    }
    err.chain()
        .find_map(|cause| {
            if let Some(classified) = cause.downcast_ref::<Classified>() {
                Some(classified.kind())
            } else if cause.is::<InputError>() || cause.is::<clap::Error>() {
                Some(ErrorKind::Input)
            } else {
                None
            }
        })
        .unwrap_or(ErrorKind::Internal)
        .exit_code()
}

/// Whether the error is writing to a pipe whose reader went away (`| head`).
/// That is how a pipeline says "enough", not a failure: exit 0, silently,
/// as ripgrep does.
pub fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause
            .downcast_ref::<io::Error>()
            .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, thiserror::Error)]
    #[error("plugin x: crashed")]
    struct Crash(#[source] io::Error);

    impl HasKind for Crash {
        fn kind(&self) -> ErrorKind {
            ErrorKind::Plugin
        }
    }

    #[test]
    fn the_kind_survives_context_and_shows_as_the_error() {
        use anyhow::Context as _;
        let err: anyhow::Error = Err::<(), _>(Crash(io::Error::other("trap")))
            .classified()
            .context("loading the classifier")
            .unwrap_err();
        assert_eq!(exit_code(&err), exit::BROKEN);
        assert_eq!(
            format!("{err:#}"),
            "loading the classifier: plugin x: crashed: trap"
        );

        let err = anyhow::Error::from(InputError::new("f: bad")).context("reading");
        assert_eq!(exit_code(&err), exit::INPUT);
        assert_eq!(exit_code(&anyhow::anyhow!("a bug")), exit::BROKEN);
    }

    #[test]
    fn a_closed_pipe_is_success() {
        let err = anyhow::Error::from(io::Error::from(io::ErrorKind::BrokenPipe))
            .context("writing the plan");
        assert!(is_broken_pipe(&err));
        assert_eq!(exit_code(&err), exit::SUCCESS);
        let err = anyhow::Error::from(io::Error::from(io::ErrorKind::NotFound));
        assert!(!is_broken_pipe(&err));
    }
}
