//! One search/replace edit: the unit every fix suggestion is made of,
//! whoever proposed it (a model's answer, or selector healing). Plain data,
//! so any producer can build one and the verifier can check it.

use serde::{Deserialize, Serialize};

/// Replace the one place in `file` whose text is `search` with `replace`.
///
/// `file` is relative to the repository root, with `/` separators.
/// `search` and `replace` are whole lines, `\n`-terminated (line endings are
/// matched to the file's when applied); an empty `replace` deletes the lines.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Edit {
    pub file: String,
    pub search: String,
    pub replace: String,
}

impl Edit {
    pub fn new(
        file: impl Into<String>,
        search: impl Into<String>,
        replace: impl Into<String>,
    ) -> Self {
        Self {
            file: file.into(),
            search: search.into(),
            replace: replace.into(),
        }
    }
}
