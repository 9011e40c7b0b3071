//! `--apply`: the one place a fix reaches the user's working tree. Only a
//! verified suggestion, only when every file it changes is still exactly
//! what was tested (sha256), all its files or none, each file written
//! atomically with its permissions kept, and each printed.

use std::collections::BTreeMap;
use std::io::{self, Write};
use std::path::Path;

use super::apply::{ApplyError, apply_all};
use super::{Status, Suggestion};
use crate::escape::control_chars;
use crate::hash::sha256_hex;

/// Why a verified fix was not applied.
#[derive(Debug, thiserror::Error)]
pub enum LandError {
    #[error("{file} changed since it was tested: the fix is not applied")]
    Changed { file: String },
    #[error("{file} was not recorded as tested: the fix is not applied")]
    Untested { file: String },
    #[error("the fix no longer applies: {0}")]
    Apply(#[from] ApplyError),
    #[error("{file}: {source}")]
    Io { file: String, source: io::Error },
}

/// Applies the best verified suggestion of a group (the first verified one,
/// [`super::suggest_fixes`] puts them first) to the tree at `root`, and
/// prints `applied: FILE` for each file changed to `out`. Returns the files
/// changed; none when no suggestion is verified.
pub fn apply_verified(
    root: &Path,
    suggestions: &[Suggestion],
    out: &mut dyn Write,
) -> Result<Vec<String>, LandError> {
    let Some(fix) = suggestions.iter().find(|s| s.status == Status::Verified) else {
        return Ok(Vec::new());
    };
    let io_error = |file: &str| {
        let file = file.to_string();
        move |source| LandError::Io { file, source }
    };
    let mut originals = BTreeMap::new();
    for edit in &fix.edits {
        if originals.contains_key(&edit.file) {
            continue;
        }
        let tested = fix
            .tested
            .iter()
            .find(|t| t.file == edit.file)
            .ok_or_else(|| LandError::Untested {
                file: edit.file.clone(),
            })?;
        let bytes = std::fs::read(root.join(&edit.file)).map_err(io_error(&edit.file))?;
        if sha256_hex(&bytes) != tested.sha256 {
            return Err(LandError::Changed {
                file: edit.file.clone(),
            });
        }
        let text = String::from_utf8(bytes).map_err(|_| ApplyError::NoFile {
            file: edit.file.clone(),
        })?;
        originals.insert(edit.file.clone(), text);
    }
    // Every file's new text is known before the first is written.
    let changed = apply_all(&originals, &fix.edits)?;
    for (file, text) in &changed {
        write_keeping_mode(&root.join(file), text.as_bytes()).map_err(io_error(file))?;
        let _ = writeln!(out, "applied: {}", control_chars(file));
    }
    Ok(changed.into_keys().collect())
}

/// Replaces `path` atomically (a temporary file renamed over it), with the
/// permissions it had.
fn write_keeping_mode(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let permissions = std::fs::metadata(path)?.permissions();
    let dir = path.parent().unwrap_or(Path::new("."));
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    tmp.write_all(bytes)?;
    tmp.as_file().set_permissions(permissions)?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fix::{Edit, Tested};

    fn suggestion(status: Status, root: &Path) -> Suggestion {
        let text = std::fs::read(root.join("calc.py")).unwrap();
        Suggestion {
            status,
            reason: String::new(),
            votes: 1,
            model: "m".into(),
            edits: vec![Edit::new(
                "calc.py",
                "    return a - b\n",
                "    return a + b\n",
            )],
            tested: vec![Tested {
                file: "calc.py".into(),
                sha256: sha256_hex(&text),
            }],
        }
    }

    fn tree() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("calc.py"),
            "def add(a, b):\n    return a - b\n",
        )
        .unwrap();
        dir
    }

    #[test]
    fn a_verified_fix_is_applied_and_each_file_printed() {
        let dir = tree();
        let fixes = [
            suggestion(Status::Failed, dir.path()),
            suggestion(Status::Verified, dir.path()),
        ];
        let mut out = Vec::new();
        let changed = apply_verified(dir.path(), &fixes, &mut out).unwrap();
        assert_eq!(changed, ["calc.py"]);
        assert_eq!(String::from_utf8(out).unwrap(), "applied: calc.py\n");
        assert_eq!(
            std::fs::read_to_string(dir.path().join("calc.py")).unwrap(),
            "def add(a, b):\n    return a + b\n"
        );
    }

    #[test]
    fn nothing_verified_nothing_touched() {
        let dir = tree();
        let fixes = [
            suggestion(Status::Failed, dir.path()),
            suggestion(Status::Unverified, dir.path()),
        ];
        let mut out = Vec::new();
        assert!(
            apply_verified(dir.path(), &fixes, &mut out)
                .unwrap()
                .is_empty()
        );
        assert!(out.is_empty());
        assert!(
            std::fs::read_to_string(dir.path().join("calc.py"))
                .unwrap()
                .contains("a - b")
        );
    }

    #[test]
    fn a_file_changed_since_it_was_tested_is_not_overwritten() {
        let dir = tree();
        let fixes = [suggestion(Status::Verified, dir.path())];
        std::fs::write(
            dir.path().join("calc.py"),
            "def add(a, b):\n    return a - b  # edited\n",
        )
        .unwrap();
        let err = apply_verified(dir.path(), &fixes, &mut Vec::new()).unwrap_err();
        assert_eq!(
            err.to_string(),
            "calc.py changed since it was tested: the fix is not applied"
        );
        assert!(
            std::fs::read_to_string(dir.path().join("calc.py"))
                .unwrap()
                .contains("# edited")
        );
    }

    #[cfg(unix)]
    #[test]
    fn permissions_are_kept() {
        use std::os::unix::fs::PermissionsExt as _;
        let dir = tree();
        let path = dir.path().join("calc.py");
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
        let fixes = [suggestion(Status::Verified, dir.path())];
        apply_verified(dir.path(), &fixes, &mut Vec::new()).unwrap();
        assert_eq!(
            std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
            0o755
        );
    }
}
