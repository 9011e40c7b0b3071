//! What a caller hands the fix engine: one group's failing tests, where the
//! repository is, what the change touched and how the tests are run; and
//! the knobs (`FixOptions`).

use std::path::{Path, PathBuf};
use std::sync::LazyLock;
use std::time::Duration;

use regex::Regex;

use crate::suite::runners::TestRef;
use crate::triage::model::Share;
use crate::triage::redact::Redactor;

/// One failing test of the group.
#[derive(Clone, Debug)]
pub struct FailingTest {
    /// As the runner identifies it (re-run by the runner adapter).
    pub test: TestRef,
    /// Its file, relative to the root.
    pub file: String,
    pub message: String,
    /// The failure's text (stack trace, captured output).
    pub details: String,
    /// The in-project files in its stack, relative to the root
    /// ([`stack_files`] finds them in `details` when the caller has none).
    pub stack_files: Vec<String>,
}

/// One group's fix request.
#[derive(Clone, Debug)]
pub struct FixRequest {
    /// The directory the tests run in (the project root).
    pub root: PathBuf,
    pub failing: Vec<FailingTest>,
    /// Files the change under test touched, relative to the root.
    pub changed_files: Vec<String>,
    /// The test command (`-- CMD`, or the one recorded in the results).
    pub command: Vec<String>,
    /// The runner adapter's name; detected from `command` when `None`.
    pub runner: Option<String>,
}

impl FixRequest {
    /// The files a fix may change: the failing tests' files, their stacks'
    /// files and the changed files.
    pub fn allowed_files(&self) -> Vec<String> {
        let mut files: Vec<String> = self
            .failing
            .iter()
            .flat_map(|f| std::iter::once(&f.file).chain(&f.stack_files))
            .chain(&self.changed_files)
            .cloned()
            .collect();
        files.sort();
        files.dedup();
        files
    }

    pub fn test_files(&self) -> Vec<String> {
        let mut files: Vec<String> = self.failing.iter().map(|f| f.file.clone()).collect();
        files.sort();
        files.dedup();
        files
    }
}

/// How many candidates, how long, how much context.
#[derive(Clone, Debug)]
pub struct FixOptions {
    /// Candidate answers asked for (`--fix N`).
    pub candidates: u32,
    /// Rounds per candidate (`--iterations`): 2 lets a failed candidate's
    /// new failure go back to the model once.
    pub iterations: u32,
    /// The whole verification of one group, every test run included.
    pub time_limit: Duration,
    pub temperature: f32,
    pub max_tokens: u32,
    /// Source shown to the model: per file, and in all.
    pub max_file_bytes: usize,
    pub max_source_bytes: usize,
    /// Applied to the failure and the source before they are put in a
    /// prompt (the model client redacts again before sending).
    pub redactor: Redactor,
    /// Where the runner's output goes (a log file per run in this
    /// directory); a temporary directory when `None`.
    pub log_dir: Option<PathBuf>,
    /// The group's part of the run's model budget, when it was shared out
    /// in priority order; `None`: the run's budget, first come first served.
    pub share: Option<Share>,
}

impl Default for FixOptions {
    /// 3 candidates, 2 iterations, 10 minutes, temperature 0.6 (candidates
    /// should differ), 2048 tokens, 16 KiB a file and 48 KiB of source.
    fn default() -> Self {
        Self {
            candidates: 3,
            iterations: 2,
            time_limit: Duration::from_secs(600),
            temperature: 0.6,
            max_tokens: 2048,
            max_file_bytes: 16 << 10,
            max_source_bytes: 48 << 10,
            redactor: Redactor::from_env(&[]),
            log_dir: None,
            share: None,
        }
    }
}

/// The test command and runner a results file (`pitcrew-results.json`)
/// recorded, for verification without `-- CMD`: `(command, runner)`, each
/// `None` when not recorded (older files, `report` of plain JUnit).
pub fn recorded_command(results: &serde_json::Value) -> (Option<Vec<String>>, Option<String>) {
    let command = results["command"].as_array().and_then(|argv| {
        argv.iter()
            .map(|a| a.as_str().map(str::to_string))
            .collect::<Option<Vec<String>>>()
            .filter(|argv| !argv.is_empty())
    });
    let runner = results["runner"].as_str().map(str::to_string);
    (command, runner)
}

/// The in-project files a failure's text mentions (Python `File "…"`
/// frames and pytest's `path:line:` lines, node's `at … (path:line:col)`
/// and `file://` URLs, Go's and Rust's `path:line`), relative to `root`,
/// in order of appearance: existing files under `root` only, and nothing
/// under `node_modules`, `site-packages` or a virtualenv.
pub fn stack_files(details: &str, root: &Path) -> Vec<String> {
    let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let mut files: Vec<String> = Vec::new();
    for found in SOURCE_PATH.find_iter(details) {
        let text = found.as_str().trim_start_matches("file://");
        let path = Path::new(text);
        let relative = if path.is_absolute() {
            match path.strip_prefix(&root) {
                Ok(rel) => rel.to_path_buf(),
                Err(_) => continue,
            }
        } else {
            path.to_path_buf()
        };
        let Some(relative) = relative
            .to_str()
            .map(|r| r.trim_start_matches("./").to_string())
        else {
            continue;
        };
        let foreign = relative.split('/').any(|part| {
            matches!(
                part,
                "node_modules" | "site-packages" | "dist-packages" | ".venv" | "venv" | ".."
            )
        });
        if !foreign && root.join(&relative).is_file() && !files.contains(&relative) {
            files.push(relative);
        }
    }
    files
}

/// The test's own file among its stack's files (as [`stack_files`] gives
/// them), for a report that names none (Playwright's and pytest's JUnit):
/// the one whose path ends with the test's `classname` read as a path
/// (Playwright's classname is the file, relative to the test directory),
/// else the first named like a test file, else the first. The first frame
/// alone is not it: a page object or helper the test called comes before it.
pub fn test_file_of(stack_files: &[String], classname: &str) -> Option<String> {
    let named = |file: &&String| {
        let want: Vec<&str> = classname.split('/').filter(|c| !c.is_empty()).collect();
        !want.is_empty() && file.split('/').collect::<Vec<_>>().ends_with(&want)
    };
    stack_files
        .iter()
        .find(named)
        .or_else(|| {
            stack_files
                .iter()
                .find(|f| super::reject::looks_like_test_file(f))
        })
        .or_else(|| stack_files.first())
        .cloned()
}

static SOURCE_PATH: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?:file://)?[A-Za-z0-9_./@+-]*[A-Za-z0-9_]\.(?:py|pyi|js|mjs|cjs|jsx|ts|tsx|mts|cts|go|rs|java|kt|rb|php|cs|swift|vue|svelte)\b",
    )
    .expect("the source path pattern compiles")
});

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_recorded_command_is_read_back() {
        let results =
            serde_json::json!({"runner": "pytest", "command": ["python3", "-m", "pytest"]});
        assert_eq!(
            recorded_command(&results),
            (
                Some(vec!["python3".into(), "-m".into(), "pytest".into()]),
                Some("pytest".into())
            )
        );
        assert_eq!(
            recorded_command(&serde_json::json!({"summary": {}})),
            (None, None)
        );
        assert_eq!(
            recorded_command(&serde_json::json!({"command": [1]})).0,
            None
        );
    }

    #[test]
    fn the_test_file_is_the_stack_file_its_classname_names_not_the_first_frame() {
        let stack = ["pages/login.js", "lib/util.js", "e2e/login.spec.js"].map(String::from);
        // Playwright: the classname is the file under the test directory.
        assert_eq!(
            test_file_of(&stack, "login.spec.js").as_deref(),
            Some("e2e/login.spec.js")
        );
        // pytest: a dotted classname; the file named like a test.
        let stack = ["src/calc.py", "tests/test_calc.py"].map(String::from);
        assert_eq!(
            test_file_of(&stack, "tests.test_calc").as_deref(),
            Some("tests/test_calc.py")
        );
        // Nothing named like a test: the first frame, as before.
        let stack = ["checks/verify.py", "src/calc.py"].map(String::from);
        assert_eq!(
            test_file_of(&stack, "").as_deref(),
            Some("checks/verify.py")
        );
        assert_eq!(test_file_of(&[], "x"), None);
    }

    #[test]
    fn stack_files_are_the_in_project_files_a_trace_names() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        for file in ["src/calc.py", "tests/test_calc.py", "lib/math.js"] {
            std::fs::create_dir_all(root.join(file).parent().unwrap()).unwrap();
            std::fs::write(root.join(file), "").unwrap();
        }
        let details = format!(
            "tests/test_calc.py:4: in test_add\n    assert add(2, 3) == 5\nsrc/calc.py:2: in add\n\
             File \"{root}/src/calc.py\", line 2, in add\n\
             File \"/usr/lib/python3/site-packages/_pytest/x.py\", line 9\n\
             at add (file://{root}/lib/math.js:3:10)\n\
             at Object.<anonymous> ({root}/node_modules/jest/a.js:1:1)\n\
             missing.py:3: gone",
            root = root.display()
        );
        assert_eq!(
            stack_files(&details, &root),
            ["tests/test_calc.py", "src/calc.py", "lib/math.js"]
        );
    }
}
