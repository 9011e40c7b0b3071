//! The test paths in a pytest command line, so that a shard's files replace
//! them instead of joining them: beside `pytest tests/test_time.py`, a shard
//! of that file ran it twice, and beside a node id it ran the whole file as
//! well as the test (humanize: 345 tests where pytest runs 33).
//!
//! A word is a test path when it is no option, no option's value, and names
//! a test: a `.py` file, a folder, or a node id (`path::name`), by its shape
//! or because it exists. pytest's options that take their value in the
//! next word are known (its own and its common plugins'); a plugin's
//! unknown one followed by a word naming no test leaves that word alone.

use std::path::Path;

/// Options whose value may be the next word (`--opt VALUE`); `--opt=VALUE`
/// and `-kEXPR` need no list.
const VALUE_OPTIONS: &[&str] = &[
    "-k",
    "-m",
    "-p",
    "-c",
    "-o",
    "-W",
    "-r",
    "-n",
    "--deselect",
    "--ignore",
    "--ignore-glob",
    "--rootdir",
    "--basetemp",
    "--confcutdir",
    "--config-file",
    "--override-ini",
    "--junitxml",
    "--junit-xml",
    "--junit-prefix",
    "--maxfail",
    "--tb",
    "--durations",
    "--durations-min",
    "--capture",
    "--color",
    "--code-highlight",
    "--import-mode",
    "--pythonwarnings",
    "--log-level",
    "--log-format",
    "--log-date-format",
    "--log-cli-level",
    "--log-cli-format",
    "--log-cli-date-format",
    "--log-file",
    "--log-file-level",
    "--log-file-format",
    "--log-file-date-format",
    "--last-failed-no-failures",
    "--lfnf",
    "--doctest-glob",
    "--doctest-report",
    "--debugger-cls",
    "--pastebin",
    "--report-log",
    // pytest-xdist, pytest-cov, pytest-rerunfailures, pytest-timeout,
    // pytest-randomly, hypothesis, pytest-asyncio, pytest-html.
    "--numprocesses",
    "--dist",
    "--tx",
    "--maxprocesses",
    "--max-worker-restart",
    "--cov",
    "--cov-report",
    "--cov-config",
    "--cov-fail-under",
    "--cov-context",
    "--reruns",
    "--reruns-delay",
    "--only-rerun",
    "--timeout",
    "--timeout-method",
    "--randomly-seed",
    "--hypothesis-seed",
    "--hypothesis-profile",
    "--hypothesis-verbosity",
    "--asyncio-mode",
    "--html",
    "--css",
];

/// The command's arguments without its test paths, and those paths.
pub fn split_test_paths(args: &[String]) -> (Vec<String>, Vec<String>) {
    let mut kept = Vec::with_capacity(args.len());
    let mut paths = Vec::new();
    let mut words = args.iter();
    while let Some(word) = words.next() {
        if VALUE_OPTIONS.contains(&word.as_str()) {
            kept.push(word.clone());
            kept.extend(words.next().cloned());
        } else if !word.starts_with('-') && names_a_test(word) {
            paths.push(word.clone());
        } else {
            kept.push(word.clone());
        }
    }
    (kept, paths)
}

/// Whether `word` names a test file, a folder of them or a test: also a
/// text file that exists (`docs/guide.txt`), which pytest collects for its
/// doctests when named, whatever `--doctest-glob` says.
fn names_a_test(word: &str) -> bool {
    let path = word.split("::").next().unwrap_or(word);
    let text = [".txt", ".rst", ".md"]
        .iter()
        .any(|ext| path.ends_with(ext));
    word.contains("::")
        || path.ends_with(".py")
        || path.ends_with('/')
        || Path::new(path).is_dir()
        || (text && Path::new(path).is_file())
}

/// What a shard runs of `file`: the user's node ids in it where the user
/// named tests of it (those tests, not the whole file), else the file.
pub fn scoped(file: &str, paths: &[String]) -> Vec<String> {
    let ids: Vec<String> = paths
        .iter()
        .filter(|p| {
            p.split_once("::")
                .is_some_and(|(path, _)| normalise(path) == normalise(file))
        })
        .cloned()
        .collect();
    if ids.is_empty() {
        vec![file.to_owned()]
    } else {
        ids
    }
}

fn normalise(path: &str) -> &str {
    path.trim_start_matches("./")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::suite::runners::test_support::argv;

    #[test]
    fn test_paths_are_told_from_options_and_their_values() {
        let (kept, paths) = split_test_paths(&argv(&[
            "-q",
            "tests/test_time.py::test_naturaldelta",
            "-k",
            "not slow",
            "--cov",
            "src",
            "tests/unit/",
            "-p",
            "no:cacheprovider",
            "tests/test_b.py",
            "--maxfail=1",
            "report.html",
        ]));
        assert_eq!(
            paths,
            argv(&[
                "tests/test_time.py::test_naturaldelta",
                "tests/unit/",
                "tests/test_b.py"
            ])
        );
        assert_eq!(
            kept,
            argv(&[
                "-q",
                "-k",
                "not slow",
                "--cov",
                "src",
                "-p",
                "no:cacheprovider",
                "--maxfail=1",
                "report.html"
            ])
        );
    }

    #[test]
    fn a_file_the_user_named_tests_of_runs_those_tests() {
        let paths = argv(&[
            "./tests/test_a.py::test_x",
            "tests/test_a.py::K::test_y",
            "tests/",
        ]);
        assert_eq!(
            scoped("tests/test_a.py", &paths),
            argv(&["./tests/test_a.py::test_x", "tests/test_a.py::K::test_y"])
        );
        assert_eq!(
            scoped("tests/test_b.py", &paths),
            argv(&["tests/test_b.py"])
        );
    }
}
