//! Tiny Python projects whose last commit broke them, with pytest's JUnit
//! report of that, for the `triage --fix` tests; and the SEARCH/REPLACE
//! answers their scripted model gives.

use std::process::Command;

use super::git::{commit_all, repository, write};

/// A repository of `files`, then a commit writing `broken` over them, and
/// `junit.xml` from a pytest run (without the variables `unset`) in which
/// tests fail for real.
pub fn broken_python(
    files: &[(&str, &str)],
    broken: &[(&str, &str)],
    unset: &[&str],
) -> tempfile::TempDir {
    let dir = repository(files);
    let root = dir.path();
    write(root, broken);
    commit_all(root, "break it");
    let mut pytest = Command::new("python3");
    pytest
        .args(["-m", "pytest", "-q", "-p", "no:cacheprovider"])
        .arg("--junitxml=junit.xml")
        .current_dir(root);
    for name in unset {
        pytest.env_remove(name);
    }
    let pytest = pytest.output().expect("pytest runs");
    assert_eq!(pytest.status.code(), Some(1), "the tests fail for real");
    dir
}

/// One SEARCH/REPLACE block, as a model answers.
pub fn block(file: &str, search: &str, replace: &str) -> String {
    format!("{file}\n<<<<<<< SEARCH\n{search}=======\n{replace}>>>>>>> REPLACE\n")
}
