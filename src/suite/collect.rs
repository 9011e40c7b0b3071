//! Asking the runner what its tests are. The runner's own configuration
//! (pytest's `testpaths`, `python_files`, `addopts -m` deselection, jest's
//! `testMatch`, vitest's `include`, playwright's `testDir`, go's packages,
//! nextest's binaries) decides which files are tests; pitcrew only plans
//! what the runner would run. Globs are used only when the user asks for
//! them (`--tests`, see [`super::discover`]).
//!
//! | runner | how |
//! |---|---|
//! | pytest | `--collect-only -q` with a tiny plugin of ours writing each item's node id |
//! | jest | `--listTests` |
//! | vitest | `vitest list --json --filesOnly` (the plain listing for vitest < 2.1) |
//! | playwright | `playwright test --list --reporter=json` |
//! | go | `go list` of the packages with test files |
//! | nextest | `cargo nextest list --message-format json` |
//! | node | node's own rules: the folder walk of Node 20 and older, the default globs of later ones; or the paths given after `--test` |

use std::collections::BTreeSet;
use std::io;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use globset::{GlobBuilder, GlobSet, GlobSetBuilder};
use walkdir::WalkDir;

use super::runners::go_args;
use super::runners::{Runner, argv, in_run_order, nextest_listing_args};
use crate::escape::control_chars;
use crate::paths::ProjectRoot;
use crate::process::{RunError, Tails};

/// Why the runner could not say what its tests are.
#[derive(Debug, thiserror::Error)]
pub enum CollectError {
    /// The runner's program could not be started.
    #[error(
        "cannot run `{command}` to list the tests: {source} (install the runner, or pass --tests GLOB)"
    )]
    Spawn { command: String, source: io::Error },
    /// The runner ran and failed: a collection error, a bad config.
    #[error("`{command}` failed to list the tests (exit {code}): {line}")]
    Failed {
        command: String,
        code: String,
        line: String,
    },
    /// The runner could not build the tests it would list (cargo: a
    /// compile error). A run of the suite says the same, as results.
    #[error("`{command}` could not build the tests: {line}")]
    BuildFailed { command: String, line: String },
    /// The runner listed no test at all.
    #[error("`{command}` lists no test file{hint}")]
    Empty { command: String, hint: &'static str },
    /// A path given to a runner that would refuse it (Node 20 and older
    /// take no globs, and fail on a path that is not there).
    #[error(
        "node {major} cannot find `{path}` given to --test (it takes files and folders, not globs)"
    )]
    NodePathMissing { major: u32, path: String },
    /// The runner did not finish listing within its deadline.
    #[error(
        "`{command}` did not list the tests within {seconds} s (PITCREW_COLLECT_TIMEOUT): its group was killed"
    )]
    TimedOut { command: String, seconds: u64 },
    /// The runner's answer could not be read.
    #[error("`{command}`: cannot read its list of tests: {reason}")]
    Output { command: String, reason: String },
    /// A runner with no way to list its tests (the generic one).
    #[error("the {runner} runner cannot list its tests; pass --tests GLOB or --test-list FILE")]
    Unsupported { runner: &'static str },
    #[error("cannot prepare the collection: {0}")]
    Io(#[from] io::Error),
}

/// Why a runner's list of tests could not be read (inside
/// [`CollectError::Output`], which names the command).
#[derive(Debug, thiserror::Error)]
enum ListingError {
    #[error("no JSON {0} in its output")]
    NoJson(&'static str),
    #[error("{0}")]
    Json(#[from] serde_json::Error),
    #[error("{0}")]
    Missing(&'static str),
}

/// The command a runner is run with when the user gave none (`split
/// --runner NAME` without `-- CMD`).
pub fn default_command(runner: &str) -> Option<Vec<String>> {
    let words: &[&str] = match runner {
        "pytest" => &["pytest"],
        "jest" => &["npx", "jest"],
        "vitest" => &["npx", "vitest"],
        "playwright" => &["npx", "playwright", "test"],
        "go" => &["go", "test", "./..."],
        "nextest" => &["cargo", "nextest", "run"],
        "node" => &["node", "--test"],
        _ => return None,
    };
    Some(words.iter().map(|w| (*w).to_owned()).collect())
}

/// What the runner would run: its test files and, where its listing names
/// them (pytest), its tests.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Listing {
    /// The test files (for go, the packages; for nextest, the binary ids).
    pub files: Vec<String>,
    /// The tests the runner would run, as [`Runner::test_id`] spells them
    /// (`tests/test_a.py::TestA::test_b`): what its own selection (`-k`,
    /// `-m`, `addopts`) left. `None` where the listing names files only.
    pub tests: Option<BTreeSet<String>>,
}

impl Listing {
    pub fn of_files(files: Vec<String>) -> Self {
        Self { files, tests: None }
    }
}

/// The test files (for go, the packages; for nextest, the binary ids) the
/// runner would run with `base` in `root`, without duplicates: in the
/// order it lists them where it runs them so
/// ([`Runner::runs_files_in_order`]), else sorted.
pub fn collect(
    runner: &dyn Runner,
    base: &[String],
    root: &Path,
) -> Result<Vec<String>, CollectError> {
    listing(runner, base, root).map(|listing| listing.files)
}

/// [`collect`], with the tests where the runner names them.
pub fn listing(runner: &dyn Runner, base: &[String], root: &Path) -> Result<Listing, CollectError> {
    // Asking the runner costs a start-up and a whole collection (a third
    // of a short pytest suite's serial run): while nothing in the project
    // changed, the last answer stands.
    let key = cache::key(runner.name(), base, root);
    if let Some(listing) = key.as_deref().and_then(|k| cache::read(root, k)) {
        tracing::debug!("reusing the test list: nothing changed since it was collected");
        return Ok(listing);
    }
    let mut watched = Vec::new();
    let listing = ask(runner, base, root, &mut watched)?;
    if let Some(key) = key {
        cache::write(root, &key, &listing, &watched);
    }
    Ok(listing)
}

/// Keeps `files` as the answer the listing would give for `base` now:
/// the files a run left to find its own reported, every one it found (a
/// first run, [`crate::suite::planning::discovered`]), so that the next
/// run does not pay the listing that run saved.
pub fn remember(runner: &dyn Runner, base: &[String], root: &Path, files: &[String]) {
    if files.is_empty() {
        return;
    }
    if let Some(key) = cache::key(runner.name(), base, root) {
        cache::write(root, &key, &Listing::of_files(files.to_vec()), &[]);
    }
}

/// The runner's test files; `watched` gets the folders outside the
/// project its listing read from (pytest's `sys.path`).
fn ask(
    runner: &dyn Runner,
    base: &[String],
    root: &Path,
    watched: &mut Vec<PathBuf>,
) -> Result<Listing, CollectError> {
    let mut tests = None;
    let files = match runner.name() {
        "pytest" => {
            let listing = pytest(base, root, watched)?;
            tests = Some(listing.tests);
            listing.files
        }
        "jest" => {
            let out = run(jest_list(base), root, &[])?;
            relative_lines(&out.stdout, root)
        }
        "vitest" => {
            // Only the files are planned, so only the files are asked for
            // (`--filesOnly`, vitest ≥ 2.1): a plain `list` imports every
            // test file to find its tests, which on zod's 196 files cost
            // about as much as running them, and one file that cannot
            // import fails the whole listing, where `vitest run` runs the
            // others and fails that one. An older vitest that refuses the
            // option is asked the plain way.
            let mut files_only = vitest_list(base);
            files_only.push("--filesOnly".into());
            let out = match run(files_only, root, &[]) {
                Err(CollectError::Failed { line, .. }) => {
                    tracing::debug!(
                        "`vitest list --filesOnly` failed ({line}): listing the tests instead"
                    );
                    run(vitest_list(base), root, &[])?
                }
                other => other?,
            };
            parse_vitest(&out.stdout, root).map_err(|reason| out.unreadable(reason.to_string()))?
        }
        "playwright" => {
            let out = run(with_args(base, &["--list", "--reporter=json"]), root, &[])?;
            parse_playwright(&out.stdout, root)
                .map_err(|reason| out.unreadable(reason.to_string()))?
        }
        "go" => {
            let out = run(go_list(base), root, &[])?;
            out.stdout
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(String::from)
                .collect()
        }
        "nextest" => {
            let out = run(nextest_list(base), root, &[])?;
            parse_nextest(&out.stdout).map_err(|reason| out.unreadable(reason.to_string()))?
        }
        "node" => node(base, root)?,
        _ => {
            return Err(CollectError::Unsupported {
                runner: runner.name(),
            });
        }
    };
    // The plan keeps the runner's order (see `planning::plan_file`).
    let files = in_run_order(runner, files.iter().map(String::as_str));
    if files.is_empty() {
        let alone = runner.name() == "go" && go_names_no_package(base);
        return Err(CollectError::Empty {
            command: shown(base),
            hint: if alone {
                " in this folder (`go test` alone tests the current folder's package; `go test ./...` tests them all)"
            } else {
                ""
            },
        });
    }
    Ok(Listing { files, tests })
}

/// A finished collection command and what it printed.
#[derive(Debug)]
struct Ran {
    command: String,
    stdout: String,
}

impl Ran {
    fn unreadable(&self, reason: String) -> CollectError {
        CollectError::Output {
            command: self.command.clone(),
            reason,
        }
    }
}

fn shown(argv: &[String]) -> String {
    control_chars(&argv.join(" ")).into_owned()
}

/// Runs `argv` in `root` and returns its standard output, or the error
/// with the line of its output that says why.
fn run(argv: Vec<String>, root: &Path, env: &[(&str, &str)]) -> Result<Ran, CollectError> {
    run_until(argv, root, env, collect_timeout())
}

fn run_until(
    argv: Vec<String>,
    root: &Path,
    env: &[(&str, &str)],
    seconds: u64,
) -> Result<Ran, CollectError> {
    let command = shown(&argv);
    let Some((program, args)) = argv.split_first() else {
        return Err(CollectError::Unsupported { runner: "empty" });
    };
    tracing::debug!("listing the tests: {command}");
    let mut runner = Command::new(program);
    runner
        .args(args)
        .envs(env.iter().copied())
        .current_dir(root);
    // Through the one process runner: a deadline, the whole group killed at
    // it and after, and bounded output. A listing that hangs or leaves a
    // background process behind cannot hang `split` or `test`.
    let tails = Tails {
        stdout: LISTING_LIMIT,
        stderr: 64 * 1024,
    };
    let output =
        crate::process::run(runner, Duration::from_secs(seconds), tails).map_err(|error| {
            CollectError::Spawn {
                command: command.clone(),
                source: match error {
                    RunError::Spawn(e) | RunError::Wait(e) => e,
                },
            }
        })?;
    let Some(status) = output.status else {
        return Err(CollectError::TimedOut { command, seconds });
    };
    if !status.success() {
        let line = control_chars(&why(&output.stdout, &output.stderr)).into_owned();
        // The tests did not compile (cargo's listing builds them): the
        // project's failure, which a run reports as failed builds.
        // So did a test file the runner could not load (Playwright lists
        // nothing then): a run reports it as a failed test.
        if super::runners::rustc::is_build_failure(&output.stderr)
            || json_report_names_a_test_file(&output.stdout)
        {
            return Err(CollectError::BuildFailed { command, line });
        }
        return Err(CollectError::Failed {
            command,
            code: status
                .code()
                .map_or_else(|| "by a signal".into(), |c| c.to_string()),
            line,
        });
    }
    // Only the tail is kept: a listing that filled it may have lost its
    // start, and a partial list would silently drop tests.
    if output.stdout.len() >= LISTING_LIMIT {
        return Err(CollectError::Output {
            command,
            reason: format!("its list is {} MiB or more", LISTING_LIMIT >> 20),
        });
    }
    Ok(Ran {
        command,
        stdout: output.stdout,
    })
}

/// The most a runner's list of tests may be (a million long test ids fit).
const LISTING_LIMIT: usize = 256 << 20;

/// The listing's deadline: `PITCREW_COLLECT_TIMEOUT` seconds, default 600.
fn collect_timeout() -> u64 {
    std::env::var("PITCREW_COLLECT_TIMEOUT")
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .filter(|s: &u64| *s > 0)
        .unwrap_or(600)
}

/// The first error of a JSON report's `errors` (Playwright's listing,
/// when a test file cannot be loaded: `SyntaxError: …/b.spec.js:
/// Unexpected token (1:66)`), on one line.
fn json_report_error(stdout: &str) -> Option<String> {
    let errors = json_report_errors(stdout)?;
    let message = errors.first()?["message"].as_str()?;
    Some(message.lines().next().unwrap_or(message).trim().to_owned())
}

/// The `errors` of a JSON report printed on stdout, where it has any.
fn json_report_errors(stdout: &str) -> Option<Vec<serde_json::Value>> {
    let start = stdout.find('{')?;
    let mut report: serde_json::Value = serde_json::from_str(stdout[start..].trim()).ok()?;
    match report.get_mut("errors")?.take() {
        serde_json::Value::Array(errors) if !errors.is_empty() => Some(errors),
        _ => None,
    }
}

/// Whether a JSON report's errors (Playwright's) are all in test files: a
/// file that does not load, where the configuration did. An error with no
/// location, or in the configuration, is the listing's own failure.
fn json_report_names_a_test_file(stdout: &str) -> bool {
    let Some(errors) = json_report_errors(stdout) else {
        return false;
    };
    errors.iter().all(|error| {
        let file = error["location"]["file"].as_str().unwrap_or_default();
        let name = file.rsplit(['/', '\\']).next().unwrap_or_default();
        !name.is_empty() && !name.starts_with("playwright.config.")
    })
}

/// The most telling line of a failed collection: pytest's `ERROR …` or
/// `E   …` lines first, else the last line of stderr, else of stdout.
fn why(stdout: &str, stderr: &str) -> String {
    // Colours would be shown escaped, and a colour code alone looks like a
    // line of output.
    let (stdout, stderr) = (
        crate::escape::strip_ansi(stdout),
        crate::escape::strip_ansi(stderr),
    );
    let (stdout, stderr) = (stdout.as_ref(), stderr.as_ref());
    let all = || stdout.lines().chain(stderr.lines()).map(str::trim);
    let error = all().find(|l| l.starts_with("ERROR "));
    let detail = all().find(|l| l.starts_with("E "));
    let line = match (error, detail) {
        (Some(e), Some(d)) if e != d => format!("{e}: {}", d.trim_start_matches('E').trim()),
        (Some(e), _) => e.to_owned(),
        _ if let Some(load) = json_report_error(stdout) => load,
        _ if let Some(compile) = super::runners::rustc::first_error(stderr) => compile,
        _ if let Some(thrown) = error_header(stderr).or_else(|| error_header(stdout)) => thrown,
        _ => stderr
            .lines()
            .chain(stdout.lines())
            .map(str::trim)
            .rfind(|l| !l.is_empty())
            .unwrap_or("(no output)")
            .to_owned(),
    };
    line.chars().take(300).collect()
}

/// The last line that names an error, as JavaScript and Python print the
/// one that ended them (`SyntaxError: Unexpected end of input`, `CACError:
/// Unknown option`, pytest's `INTERNALERROR> RuntimeError: …`, jest's `●
/// Validation Error:`), rather than the stack under it, the runtime's
/// version line after it, or an error the project caught and logged
/// before it.
fn error_header(text: &str) -> Option<String> {
    text.lines().map(str::trim).rev().find_map(|line| {
        let (head, _) = line.split_once(": ")?;
        let name = head.split_whitespace().next_back()?;
        let named = name.ends_with("Error")
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.');
        named.then(|| line.to_owned())
    })
}

fn with_args(base: &[String], extra: &[&str]) -> Vec<String> {
    let mut argv = base.to_vec();
    argv.extend(extra.iter().map(|a| (*a).to_owned()));
    argv
}

/// Where a runner's own word is: the first word whose program name (no
/// directory, no `.js`/`.cmd` suffix) is `name`.
fn word_index(base: &[String], name: &str) -> Option<usize> {
    base.iter().position(|word| {
        let file = word.rsplit(['/', '\\']).next().unwrap_or(word);
        let stem = file
            .strip_suffix(".js")
            .or_else(|| file.strip_suffix(".mjs"))
            .or_else(|| file.strip_suffix(".cmd"))
            .unwrap_or(file);
        stem == name
    })
}

// ---------------------------------------------------------------------------
// pytest

/// A pytest plugin of ours: writes every collected item (after `-m`/`-k`
/// deselection) as a JSON line `[file, node id]`, the file relative to the
/// current directory. A file beats parsing `-q` output, which `-v` in
/// `addopts` or a `print` in a conftest would change. A module that could
/// not be collected is a line `[file, node id, "error"]`; anything else
/// that could not (a folder's conftest) `["", node id, "fatal"]`. Lines
/// come in the order pytest collected them, before any plugin reordered
/// them (`pytest_collection_modifyitems`): a shard passes its files in
/// that order, and pytest reorders them as it would have (round 57: a
/// conftest's `items.reverse()` ran on the listing's already reversed
/// order, and undid it).
const PYTEST_PLUGIN: &str = r#"
import json, os, sys

import pytest

_modules = []
_seen = set()
# Each node id's place in the collection, before any reordering.
_order = {}

def _collected(nodeid):
    _order.setdefault(nodeid, len(_order))

def pytest_itemcollected(item):
    _collected(item.nodeid)

def pytest_collectreport(report):
    # A module skipped as it is collected is a skipped test to pytest, and
    # one that cannot be collected a failed one, as is a class in a module
    # (`file.py::TestSuite`): all are planned (as their file), so that they
    # are counted. Anything else that fails (a folder's conftest) fails the
    # listing.
    if report.nodeid in _seen:
        return
    in_module = "::" in report.nodeid
    module = report.nodeid.split("::", 1)[0].endswith(".py")
    if report.skipped and module and not in_module:
        _modules.append([report.nodeid])
    elif report.failed:
        _modules.append([report.nodeid, "error" if module else "fatal"])
    else:
        return
    _seen.add(report.nodeid)
    _collected(report.nodeid)

def pytest_collection_finish(session):
    # Where the imports came from (site-packages): a package installed
    # there can change what a conftest collects. And each plugin's own
    # file: one installed editable lives in its source folder, where an
    # edit changes no folder on sys.path.
    watched = {os.path.abspath(p) for p in sys.path if p and os.path.isdir(p)}
    for plugin in session.config.pluginmanager.get_plugins():
        source = getattr(plugin, "__file__", None)
        if isinstance(source, str) and os.path.isfile(source):
            watched.add(os.path.abspath(source))
    with open(os.environ["PITCREW_COLLECT_PATHS"], "w", encoding="utf-8") as out:
        json.dump(sorted(watched), out)
    rootdir = str(session.config.rootpath)
    here = os.getcwd()
    with open(os.environ["PITCREW_COLLECT_OUT"], "w", encoding="utf-8") as out:
        # An item's file, its `pytest.File` collector's: a node id is
        # relative to the rootdir only for files under it (`testpaths = .
        # ../shared` names others by the folder given), and an item may
        # point its own path at a data file (PyYAML's legacy tests).
        ids = [[item.nodeid, str((item.getparent(pytest.File) or item).path)]
               for item in session.items]
        for nodeid, *error in _modules:
            ids.append([nodeid, os.path.join(rootdir, nodeid.split("::", 1)[0])] + error)
        ids.sort(key=lambda entry: _order.get(entry[0], len(_order)))
        for nodeid, where, *error in ids:
            if error == ["fatal"]:
                out.write(json.dumps(["", nodeid, "fatal"]) + "\n")
                continue
            path = os.path.relpath(where, here)
            out.write(json.dumps([path.replace(os.sep, "/"), nodeid] + error) + "\n")
"#;

const PYTEST_PLUGIN_NAME: &str = "pitcrew_collect";

fn pytest(
    base: &[String],
    root: &Path,
    watched: &mut Vec<PathBuf>,
) -> Result<PytestListing, CollectError> {
    let scratch = crate::scratch::tempdir()?;
    std::fs::write(
        scratch.path().join(format!("{PYTEST_PLUGIN_NAME}.py")),
        PYTEST_PLUGIN,
    )?;
    let out_path = scratch.path().join("collected.jsonl");
    let paths_path = scratch.path().join("paths.json");
    let mut python_path = scratch.path().as_os_str().to_owned();
    if let Some(existing) = std::env::var_os("PYTHONPATH").filter(|p| !p.is_empty()) {
        python_path.push(if cfg!(windows) { ";" } else { ":" });
        python_path.push(existing);
    }
    let (Some(python_path), Some(out), Some(paths)) =
        (python_path.to_str(), out_path.to_str(), paths_path.to_str())
    else {
        return Err(CollectError::Io(io::Error::other(
            "the temporary directory's path is not UTF-8",
        )));
    };
    // `--maxfail=0` after the user's `-x` (command line or addopts): pytest
    // stops collecting at the first error under it, and the plan would
    // hold that module alone.
    let argv = with_args(
        base,
        &[
            "--collect-only",
            "-q",
            "--maxfail=0",
            "-p",
            PYTEST_PLUGIN_NAME,
        ],
    );
    let listed = |command: &str| {
        let unreadable = |reason: String| CollectError::Output {
            command: command.to_owned(),
            reason,
        };
        let text = std::fs::read_to_string(&out_path).map_err(|e| {
            unreadable(format!(
                "the collection plugin wrote nothing ({e}); does the command run pytest?"
            ))
        })?;
        parse_pytest(&text).map_err(|reason| unreadable(reason.to_string()))
    };
    let ran = run(
        argv,
        root,
        &[
            ("PYTHONPATH", python_path),
            ("PITCREW_COLLECT_OUT", out),
            ("PITCREW_COLLECT_PATHS", paths),
        ],
    );
    let scratch_dir = scratch.path();
    if let Ok(text) = std::fs::read_to_string(&paths_path)
        && let Ok(paths) = serde_json::from_str::<Vec<PathBuf>>(&text)
    {
        watched.extend(paths.into_iter().filter(|p| !p.starts_with(scratch_dir)));
    }
    match ran {
        Ok(ran) => listed(&ran.command),
        // 5: no test collected, which the empty list reports better.
        Err(CollectError::Failed { code, command, .. }) if code == "5" => {
            Err(CollectError::Empty { command, hint: "" })
        }
        // 2 after collection errors (1 under --continue-on-collection-errors,
        // which counts them as failures): the modules that failed are planned
        // with the rest, and fail as they run, where pytest's own words
        // (an import or syntax error) become a failed test that the
        // report and triage read. Refusing to plan would leave nothing to
        // read but a line of pitcrew's.
        Err(CollectError::Failed {
            code,
            command,
            line,
        }) if code == "2" || code == "1" => match listed(&command) {
            Ok(list) if !list.errors.is_empty() && !list.fatal => {
                tracing::warn!(
                    "pytest could not collect {}: planned, to fail as it runs",
                    control_chars(&list.errors.join(", "))
                );
                Ok(list)
            }
            _ => Err(CollectError::Failed {
                command,
                code,
                line,
            }),
        },
        Err(other) => Err(other),
    }
}

/// What the collection plugin listed: the files, their tests, and the
/// modules that could not be collected.
#[derive(Debug, Default, PartialEq)]
struct PytestListing {
    files: Vec<String>,
    /// Each test as `file::rest of its node id`, the file relative to the
    /// working directory as pitcrew's own ids have it (a node id is
    /// relative to the rootdir).
    tests: BTreeSet<String>,
    errors: Vec<String>,
    /// Something other than a test module failed (a folder's conftest):
    /// no list to plan from.
    fatal: bool,
}

/// The plugin's JSON lines: `[file, node id]`, or `[file, node id,
/// "error"]` for a module that could not be collected.
fn parse_pytest(text: &str) -> Result<PytestListing, ListingError> {
    let mut listing = PytestListing::default();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let fields: Vec<String> = serde_json::from_str(line)?;
        let [file, id, rest @ ..] = fields.as_slice() else {
            return Err(ListingError::Missing("a file and a node id on each line"));
        };
        if rest.iter().any(|r| r == "fatal") {
            listing.fatal = true;
            continue;
        }
        let file = file.strip_prefix("./").unwrap_or(file).to_owned();
        if rest.iter().any(|r| r == "error") {
            listing.errors.push(id.clone());
        } else if let Some((_, in_file)) = id.split_once("::") {
            listing.tests.insert(format!("{file}::{in_file}"));
        }
        listing.files.push(file);
    }
    Ok(listing)
}

// ---------------------------------------------------------------------------
// jest, vitest, playwright

/// Absolute paths, one a line, made relative to `root` (paths outside it
/// are kept as printed).
fn relative_lines(text: &str, root: &Path) -> Vec<String> {
    let root = ProjectRoot::new(root);
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && (l.starts_with('/') || Path::new(l).is_absolute()))
        .map(|l| root.relative(Path::new(l)))
        .collect()
}

/// `vitest list --json` from `npx vitest [run] …`: `list` in place of the
/// subcommand (or after `vitest`).
fn vitest_list(base: &[String]) -> Vec<String> {
    let mut argv = base.to_vec();
    match word_index(&argv, "vitest") {
        Some(i) => match argv.get(i + 1).map(String::as_str) {
            Some("run" | "watch" | "dev" | "related" | "list") => argv[i + 1] = "list".into(),
            _ => argv.insert(i + 1, "list".into()),
        },
        None => argv.push("list".into()),
    }
    argv.push("--json".into());
    argv
}

/// `[{"name": …, "file": "/abs/a.test.ts"}, …]`.
fn parse_vitest(text: &str, root: &Path) -> Result<Vec<String>, ListingError> {
    let start = text.find('[').ok_or(ListingError::NoJson("list"))?;
    let entries: Vec<serde_json::Value> = serde_json::from_str(text[start..].trim())?;
    let root = ProjectRoot::new(root);
    entries
        .iter()
        .map(|entry| {
            entry["file"]
                .as_str()
                .map(|f| root.relative(Path::new(f)))
                .ok_or(ListingError::Missing("an entry without `file`"))
        })
        .collect()
}

/// The JSON reporter's suites: each top-level suite is a file, relative to
/// `config.rootDir`.
fn parse_playwright(text: &str, root: &Path) -> Result<Vec<String>, ListingError> {
    let start = text.find('{').ok_or(ListingError::NoJson("object"))?;
    let json = text[start..].trim();
    // A title holding half a surrogate pair is written as a lone `\ud800`,
    // which serde refuses: mended, the listing is read.
    let report: serde_json::Value = super::runners::events::from_json_mending(json.as_bytes())?;
    let dir = report["config"]["rootDir"]
        .as_str()
        .map(PathBuf::from)
        .unwrap_or_else(|| root.to_path_buf());
    let suites = report["suites"]
        .as_array()
        .ok_or(ListingError::Missing("no `suites` in the report"))?;
    let root = ProjectRoot::new(root);
    Ok(suites
        .iter()
        .filter_map(|s| s["file"].as_str())
        .map(|file| root.relative(&dir.join(file)))
        .collect())
}

// ---------------------------------------------------------------------------
// go, nextest

/// `go list` over the packages the command names (`./...` when none), only
/// those with test files, as import paths (the adapter's items, and the
/// classnames in go's converted JUnit).
fn go_list(base: &[String]) -> Vec<String> {
    let (program, rest) = base
        .split_first()
        .map_or(("go", &[][..]), |(p, rest)| (p.as_str(), rest));
    let (before, args) = go_args::after_test(rest);
    // go's own flags before `test` (`go -C sub test`) decide where it
    // lists, as they decide where it tests.
    let global = before
        .strip_suffix(&["test".to_owned()])
        .unwrap_or_default();
    let mut packages = args.packages.clone();
    // As go reads it: `go test` alone tests the package in the current
    // folder, not the module's every package (`./...`).
    if packages.is_empty() {
        packages.push(".".into());
    }
    let mut argv = vec![program.to_owned()];
    argv.extend(global.iter().cloned());
    argv.push("list".into());
    // `-tags` and the module flags decide which files and packages exist.
    argv.extend(args.listing_flags());
    argv.extend([
        "-f".into(),
        "{{if or .TestGoFiles .XTestGoFiles}}{{.ImportPath}}{{end}}".into(),
    ]);
    argv.extend(packages);
    argv
}

/// The top-level tests (examples and fuzz targets included, benchmarks
/// not: they run only under `-bench`) that `go test` would run in each of
/// `packages` (import paths), by `go test -list` with the command's build
/// flags and its `-run` (its first element: `-list` sees top-level names
/// only), as `(package, test)` pairs, without those `-skip` names (which
/// `-list` does not read). None where [`GoTestCommand::read`] is.
pub fn go_tests(
    base: &[String],
    root: &Path,
    packages: &[String],
) -> Result<Option<Vec<(String, String)>>, CollectError> {
    let Some(go) = GoTestCommand::read(base) else {
        return Ok(None);
    };
    let mut argv = vec![go.program.clone()];
    argv.extend(go.before.iter().cloned());
    argv.push(format!("-list={}", go.run));
    argv.extend(go.args.listing_flags());
    argv.extend(packages.iter().cloned());
    let out = run(argv, root, &[])?;
    let mut tests = parse_go_test_list(&out.stdout);
    tests.retain(|(_, name)| go.selects(name));
    Ok(Some(tests))
}

/// A `go test` command as its listings need it: what comes before its
/// test flags, and the top-level names it selects.
pub struct GoTestCommand<'a> {
    program: &'a String,
    /// go's own words up to and including `test` (`-C sub test`).
    before: &'a [String],
    args: go_args::GoTestArgs,
    /// The first element of `-run` (`-list` sees top-level names only).
    run: String,
    /// `run` as this regex engine reads it; none when it cannot (go then
    /// decides alone).
    runs: Option<regex::Regex>,
    skip: Option<regex::Regex>,
}

impl<'a> GoTestCommand<'a> {
    /// None when the command is not `go test` itself (a wrapper), or its
    /// `-skip` reaches subtests (`A/b`: `A` runs) or is no pattern this
    /// regex engine reads as go's would.
    pub fn read(base: &'a [String]) -> Option<Self> {
        let (program, rest) = base.split_first()?;
        let (before, args) = go_args::after_test(rest);
        if before.last().map(String::as_str) != Some("test") {
            return None;
        }
        let skip = match args.flag_value("skip") {
            None => None,
            Some(skip) if skip.contains('/') => return None,
            Some(skip) => Some(regex::Regex::new(&skip).ok()?),
        };
        let run = args.flag_value("run").map_or_else(
            || ".".to_owned(),
            |run| run.split('/').next().unwrap_or_default().to_owned(),
        );
        let runs = regex::Regex::new(&run).ok();
        Some(Self {
            program,
            before,
            args,
            run,
            runs,
            skip,
        })
    }

    /// Whether the command runs the top-level test `name` (`-list` applies
    /// `-run`; `-skip` it does not read).
    pub fn selects(&self, name: &str) -> bool {
        let runs = self.runs.as_ref().is_none_or(|run| run.is_match(name));
        runs && !self.skip.as_ref().is_some_and(|skip| skip.is_match(name))
    }

    /// The import path, folder and test files (internal and external) of
    /// `package`, by `go list` with the command's build flags: `go list`
    /// builds nothing and runs no `TestMain`.
    pub fn test_files(
        &self,
        root: &Path,
        package: &str,
    ) -> Result<Option<(String, Vec<PathBuf>)>, CollectError> {
        let global = self
            .before
            .strip_suffix(&["test".to_owned()])
            .unwrap_or_default();
        let mut argv = vec![self.program.clone()];
        argv.extend(global.iter().cloned());
        argv.push("list".into());
        argv.extend(self.args.listing_flags());
        argv.extend([
            "-f".into(),
            "{{.ImportPath}}{{range .TestGoFiles}}{{\"\\x00\"}}{{.}}{{end}}\
             {{range .XTestGoFiles}}{{\"\\x00\"}}{{.}}{{end}}{{\"\\x00\"}}{{.Dir}}"
                .into(),
            package.to_owned(),
        ]);
        let out = run(argv, root, &[])?;
        let mut fields: Vec<&str> = out
            .stdout
            .trim_end_matches(['\r', '\n'])
            .split('\0')
            .collect();
        let (Some(dir), Some(import)) = (fields.pop(), fields.first().copied()) else {
            return Ok(None);
        };
        let dir = Path::new(dir);
        let files = fields[1..].iter().map(|f| dir.join(f)).collect();
        Ok(Some((import.to_owned(), files)))
    }
}

/// `go test -list` output: each package's names, then its `ok  \tpath\t…`
/// line.
fn parse_go_test_list(text: &str) -> Vec<(String, String)> {
    let mut tests = Vec::new();
    let mut names: Vec<&str> = Vec::new();
    for line in text.lines() {
        let mut fields = line.split_whitespace();
        match (fields.next(), fields.next()) {
            (Some("ok" | "FAIL" | "?"), Some(package)) => {
                tests.extend(
                    names
                        .drain(..)
                        .filter(|n| !n.starts_with("Benchmark"))
                        .map(|n| (package.to_owned(), n.to_owned())),
                );
            }
            (Some(name), None) if !name.is_empty() => names.push(name),
            _ => {}
        }
    }
    tests
}

/// `go test` naming no package: go's current folder.
fn go_names_no_package(base: &[String]) -> bool {
    go_args::after_test_of_command(base).packages.is_empty()
}

/// `jest --listTests` without the user's `--json` and `--outputFile`: with
/// them Jest wrote the list as JSON into the user's file, printed nothing,
/// and pitcrew found no test file (exit 2).
fn jest_list(base: &[String]) -> Vec<String> {
    let (words, _) = argv::take_option(base, &["--outputFile"], "");
    let mut words = argv::without_flags(&words, &["--json"]);
    let at = words.iter().position(|a| a == "--").unwrap_or(words.len());
    words.insert(at, "--listTests".into());
    words
}

/// `cargo nextest list --message-format json` from `cargo nextest run …`,
/// without the options only `run` takes.
fn nextest_list(base: &[String]) -> Vec<String> {
    let mut argv = nextest_listing_args(base);
    match word_index(&argv, "nextest") {
        Some(i) if argv.get(i + 1).map(String::as_str) == Some("run") => {
            argv[i + 1] = "list".into()
        }
        Some(i) => argv.insert(i + 1, "list".into()),
        None => argv.push("list".into()),
    }
    // Before any `--`: after it, words are the test binaries'.
    let at = argv.iter().position(|a| a == "--").unwrap_or(argv.len());
    argv.splice(at..at, ["--message-format".into(), "json".into()]);
    argv
}

/// The binary ids with at least one test case the command selects: a
/// binary whose tests are all filtered out (by name, by a filterset, or
/// ignored) runs none, and is not planned.
fn parse_nextest(text: &str) -> Result<Vec<String>, ListingError> {
    let start = text.find('{').ok_or(ListingError::NoJson("object"))?;
    let list: serde_json::Value = serde_json::from_str(text[start..].trim())?;
    let suites = list["rust-suites"]
        .as_object()
        .ok_or(ListingError::Missing("no `rust-suites` in the list"))?;
    Ok(suites
        .iter()
        .filter(|(_, suite)| {
            suite["testcases"].as_object().is_some_and(|cases| {
                cases.values().any(|case| {
                    // nextest before `filter-match` selected every case listed.
                    case["filter-match"]["status"]
                        .as_str()
                        .is_none_or(|status| status == "matches")
                })
            })
        })
        .map(|(id, _)| id.clone())
        .collect())
}

// ---------------------------------------------------------------------------
// node

/// What `node --test` runs when given no path (node 20's rules): in any
/// directory named `test`, every `.js`, `.cjs` and `.mjs` file; elsewhere
/// files named `test.*`, `test-*.*`, `*.test.*`, `*-test.*` or `*_test.*`
/// with those extensions. `node_modules` is never searched.
pub const NODE_DEFAULT_PATTERNS: &[&str] = &[
    "**/*.test.{js,mjs,cjs}",
    "**/*-test.{js,mjs,cjs}",
    "**/*_test.{js,mjs,cjs}",
    "**/test-*.{js,mjs,cjs}",
    "**/test.{js,mjs,cjs}",
    "**/test/**/*.{js,mjs,cjs}",
];

/// Node's defaults where it runs TypeScript itself (type stripping, on by
/// default from Node 22.18 and 23.6): the same names with `.ts`, `.mts`
/// and `.cts` too.
pub const NODE_TYPESCRIPT_DEFAULT_PATTERNS: &[&str] = &[
    "**/*.test.{js,mjs,cjs,ts,mts,cts}",
    "**/*-test.{js,mjs,cjs,ts,mts,cts}",
    "**/*_test.{js,mjs,cjs,ts,mts,cts}",
    "**/test-*.{js,mjs,cjs,ts,mts,cts}",
    "**/test.{js,mjs,cjs,ts,mts,cts}",
    "**/test/**/*.{js,mjs,cjs,ts,mts,cts}",
];

/// Node's test files: the paths given after `--test` (files as they are,
/// directories searched with node's defaults, anything else a glob), or
/// node's defaults under `root`. Which defaults, the command's node says:
/// Node 20 and older walk the folders themselves ([`node_walk`]), later
/// ones match globs.
fn node(base: &[String], root: &Path) -> Result<Vec<String>, CollectError> {
    let facts = node_facts(base, root);
    let defaults = glob_set(facts.default_patterns())?;
    // Node resolves a folder given as text (`lib/test` through a link is
    // named `test`), and the folder it runs in as the system does.
    let search = |dir: &Path, named: &Path| match facts.walks_folders() {
        true => node_walk::files(root, dir, node_walk::is_test_folder(named)),
        false => walk(root, dir, &defaults),
    };
    let given = node_paths(base);
    if given.is_empty() {
        let here = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
        return Ok(search(root, &here));
    }
    let mut files = Vec::new();
    for path in given {
        let path = within(root, &path);
        let full = root.join(&path);
        if full.is_file() {
            files.push(path.strip_prefix("./").unwrap_or(&path).to_owned());
        } else if full.is_dir() {
            // Node 21 and later take a folder as a module to load, not a
            // place to search: node alone fails there (or runs its
            // `index.js`). Searching it is what the command means.
            if facts.major.is_some() && !facts.walks_folders() {
                tracing::warn!(
                    "node {} does not search the folder {} given to --test (it loads it as a module and fails); pitcrew searched it with node's default names",
                    facts.major.unwrap_or_default(),
                    control_chars(&path),
                );
            }
            files.extend(search(&full, &full));
        } else if let Some(major) = facts.major.filter(|_| facts.walks_folders()) {
            return Err(CollectError::NodePathMissing {
                major,
                path: control_chars(&path).into_owned(),
            });
        } else {
            files.extend(walk(root, root, &glob_set(&[path.as_str()])?));
        }
    }
    Ok(files)
}

/// An absolute `path` under `root` as a path from `root` (so its files
/// are named as the plan names files); any other path as given.
fn within(root: &Path, path: &str) -> String {
    if !Path::new(path).is_absolute() {
        return path.to_owned();
    }
    match crate::paths::ProjectRoot::new(root).relative(Path::new(path)) {
        inside if inside.is_empty() => ".".to_owned(),
        inside => inside,
    }
}

/// The files the command's node runs when given no path: with `.ts` and
/// the like where it runs TypeScript itself (see [`node_facts`]).
pub fn node_default_patterns(base: &[String], root: &Path) -> &'static [&'static str] {
    node_facts(base, root).default_patterns()
}

/// What the command's node says of itself.
#[derive(Debug, Default)]
struct NodeFacts {
    /// Its major version, where it said.
    major: Option<u32>,
    /// Whether it runs TypeScript files itself.
    typescript: bool,
}

impl NodeFacts {
    fn default_patterns(&self) -> &'static [&'static str] {
        match self.typescript {
            true => NODE_TYPESCRIPT_DEFAULT_PATTERNS,
            false => NODE_DEFAULT_PATTERNS,
        }
    }

    /// Node 20 and older find test files by walking folders, not globs.
    fn walks_folders(&self) -> bool {
        self.major.is_some_and(|major| major <= 20)
    }
}

/// The command's node's version, and whether it runs TypeScript files
/// itself (and so also runs `*.test.ts` and the like by default): asked of
/// that node (its own word, not the tools before it, such as `c8`, which
/// would print their own output, with the user's type-stripping options),
/// which says its version and `strip` or `transform`, or `false` and
/// `undefined` (Node 20), on a line of its own. A node that cannot be
/// asked is taken as a recent one that does not run TypeScript, with a
/// warning: its run reports whatever it runs.
fn node_facts(base: &[String], root: &Path) -> NodeFacts {
    const OPTIONS: [&str; 4] = [
        "--experimental-strip-types",
        "--no-experimental-strip-types",
        "--experimental-transform-types",
        "--no-experimental-transform-types",
    ];
    let Some(at) = word_index(base, "node") else {
        return NodeFacts::default();
    };
    let mut argv: Vec<String> = vec![base[at].clone()];
    argv.extend(
        base[at + 1..]
            .iter()
            .filter(|w| OPTIONS.contains(&w.as_str()))
            .cloned(),
    );
    const SAYS: &str = "pitcrew-node:";
    argv.extend([
        "-p".to_owned(),
        format!("'{SAYS}' + process.versions.node + ' ' + process.features.typescript"),
    ]);
    match run_until(argv, root, &[], collect_timeout()) {
        Ok(ran) => ran
            .stdout
            .lines()
            .find_map(|line| line.trim().strip_prefix(SAYS))
            .map(|said| {
                let (version, typescript) = said.split_once(' ').unwrap_or((said, ""));
                NodeFacts {
                    major: version.split('.').next().and_then(|m| m.parse().ok()),
                    typescript: matches!(typescript, "strip" | "transform"),
                }
            })
            .unwrap_or_default(),
        Err(e) => {
            tracing::warn!(
                "could not ask node which tests it runs ({e}): listing its JavaScript defaults"
            );
            NodeFacts::default()
        }
    }
}

/// The positional arguments of a `node --test` command: words after
/// `node` that are not options (nor the values of the options that take
/// one as a separate word).
fn node_paths(base: &[String]) -> Vec<String> {
    let Some(start) = word_index(base, "node") else {
        return Vec::new();
    };
    let mut paths = Vec::new();
    let mut words = base[start + 1..].iter();
    while let Some(word) = words.next() {
        if super::runners::NODE_VALUE_OPTIONS.contains(&word.as_str()) {
            words.next();
        } else if !word.starts_with('-') {
            paths.push(word.clone());
        }
    }
    paths
}

fn glob_set(patterns: &[&str]) -> Result<GlobSet, CollectError> {
    let mut builder = GlobSetBuilder::new();
    for pattern in patterns {
        let text = pattern.strip_prefix("./").unwrap_or(pattern);
        let glob = GlobBuilder::new(text)
            .literal_separator(true)
            .build()
            .map_err(|e| CollectError::Io(io::Error::other(e.to_string())))?;
        builder.add(glob);
    }
    builder
        .build()
        .map_err(|e| CollectError::Io(io::Error::other(e.to_string())))
}

/// Files under `dir` matching `set`, relative to `root`; `node_modules`
/// and hidden directories are skipped, as node skips them, and links are
/// followed, as node follows them.
fn walk(root: &Path, dir: &Path, set: &GlobSet) -> Vec<String> {
    files_under(dir, |name| {
        name == "node_modules" || name.to_string_lossy().starts_with('.')
    })
    .filter_map(|e| {
        let relative = e.path().strip_prefix(root).ok()?;
        let relative = relative.to_string_lossy().replace('\\', "/");
        set.is_match(&relative).then_some(relative)
    })
    .collect()
}

/// The files under `dir` in name order, through links (a link that loops
/// back is left out), not into folders below it whose name `skip` says.
fn files_under(
    dir: &Path,
    skip: impl Fn(&std::ffi::OsStr) -> bool,
) -> impl Iterator<Item = walkdir::DirEntry> {
    WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(move |e| e.depth() == 0 || !(e.file_type().is_dir() && skip(e.file_name())))
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
}

mod cache;
mod node_walk;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_test_list_is_read_per_package_without_benchmarks() {
        let text = "TestA\nExampleB\nBenchmarkC\nFuzzD\nok  \texample.com/m/a\t0.002s\n\
                    TestE\nok  \texample.com/m/b\t(cached)\n?   \texample.com/m/c\t[no test files]\n";
        let pair = |p: &str, t: &str| (p.to_owned(), t.to_owned());
        assert_eq!(
            parse_go_test_list(text),
            [
                pair("example.com/m/a", "TestA"),
                pair("example.com/m/a", "ExampleB"),
                pair("example.com/m/a", "FuzzD"),
                pair("example.com/m/b", "TestE"),
            ]
        );
    }

    /// `-list` does not read `-skip`: the names it skips are dropped here,
    /// and a `-skip` reaching subtests (`TestA/b` runs `TestA`) or no regex
    /// turns the listing off. A fake go prints a fixed listing.
    #[cfg(unix)]
    #[test]
    fn go_tests_drop_what_skip_names() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let go = dir.path().join("go");
        std::fs::write(
            &go,
            "#!/bin/sh\nprintf 'TestKeep\\nTestSlowOne\\nExampleSlow\\nok  \\texample.com/m\\t0.1s\\n'\n",
        )
        .unwrap();
        std::fs::set_permissions(&go, std::fs::Permissions::from_mode(0o755)).unwrap();
        let go = go.to_string_lossy().into_owned();
        let list = |words: &[&str]| {
            let mut command = vec![go.as_str(), "test"];
            command.extend_from_slice(words);
            go_tests(&argv(&command), dir.path(), &["example.com/m".to_owned()]).unwrap()
        };
        let names = |words: &[&str]| -> Vec<String> {
            list(words).unwrap().into_iter().map(|(_, t)| t).collect()
        };
        assert_eq!(names(&[]), ["TestKeep", "TestSlowOne", "ExampleSlow"]);
        assert_eq!(names(&["-skip", "Slow"]), ["TestKeep"]);
        assert_eq!(
            names(&["-skip=^TestSlowOne$", "-v"]),
            ["TestKeep", "ExampleSlow"]
        );
        assert_eq!(list(&["-skip", "TestSlowOne/fast"]), None);
        assert_eq!(list(&["-skip", "(unclosed"]), None);
    }

    use crate::suite::discover::tests::tree;
    use crate::suite::runners::test_support::argv;

    #[test]
    fn node_defaults_follow_node_not_a_guess() {
        let dir = tree(&[
            "a.test.mjs",
            "lib/b-test.cjs",
            "lib/c_test.js",
            "lib/test-d.js",
            "test.js",
            "test/helpers/e.mjs",
            "test/f.js",
            "lib/index.js",
            "lib/test.ts",
            "node_modules/x/test/g.js",
            "lib/testing.js",
        ]);
        let mut found = node(&argv(&["node", "--test"]), dir.path()).unwrap();
        found.sort();
        // A node that runs TypeScript itself (Node 22.18 and later) also
        // runs `lib/test.ts`; with type stripping turned off, it does not.
        let mut expected = vec![
            "a.test.mjs",
            "lib/b-test.cjs",
            "lib/c_test.js",
            "lib/test-d.js",
            "test.js",
            "test/f.js",
            "test/helpers/e.mjs",
        ];
        let typescript = node_facts(&argv(&["node", "--test"]), dir.path()).typescript;
        if typescript {
            expected.insert(4, "lib/test.ts");
            let off = argv(&["node", "--no-experimental-strip-types", "--test"]);
            assert!(
                !node(&off, dir.path())
                    .unwrap()
                    .contains(&"lib/test.ts".to_owned())
            );
        }
        assert_eq!(found, expected);
        // Paths after --test: a directory searched, a file as it is.
        let given = node(
            &argv(&[
                "node",
                "--test-reporter",
                "spec",
                "--test",
                "lib",
                "test/f.js",
            ]),
            dir.path(),
        )
        .unwrap();
        let mut expected = vec![
            "lib/b-test.cjs",
            "lib/c_test.js",
            "lib/test-d.js",
            "test/f.js",
        ];
        if typescript {
            expected.insert(3, "lib/test.ts");
        }
        assert_eq!(given, expected);
    }

    #[test]
    fn a_listing_that_throws_is_named_by_its_error_not_its_last_line() {
        let vitest = "file:///p/node_modules/vitest/dist/vendor/cac.js:403\n          throw new CACError(`Unknown option`);\n                ^\n\nCACError: Unknown option `--json`\n    at Command.checkUnknownOptions (file:///p/cac.js:403:17)\n\nNode.js v20.20.2\n";
        assert_eq!(why("", vitest), "CACError: Unknown option `--json`");
        let jest = "/p/jest.config.js:2\n\n\n\nSyntaxError: Unexpected end of input\n    at wrapSafe (node:internal/modules/cjs/loader:1464:18)\n    at readInitialOptions (/p/node_modules/jest-config/build/index.js:403:60)\n";
        assert_eq!(why("", jest), "SyntaxError: Unexpected end of input");
        // An error the project caught and logged before the one that
        // ended the listing.
        let pytest = "ImportError: No module named 'fast' (optional, using defaults)\nINTERNALERROR> Traceback (most recent call last):\nINTERNALERROR>   File \"conftest.py\", line 3\nINTERNALERROR> RuntimeError: DATABASE_URL is not set\n";
        assert_eq!(
            why(pytest, ""),
            "INTERNALERROR> RuntimeError: DATABASE_URL is not set"
        );
        // Nothing thrown: the last line, as before.
        assert_eq!(why("", "no tests found\nexit 1\n"), "exit 1");
    }

    #[test]
    fn runner_commands_become_list_commands() {
        assert_eq!(
            vitest_list(&argv(&["npx", "vitest", "run", "--coverage"])),
            argv(&["npx", "vitest", "list", "--coverage", "--json"])
        );
        assert_eq!(
            jest_list(&argv(&[
                "npx",
                "jest",
                "--json",
                "--outputFile",
                "r.json",
                "-t",
                "a",
                "--outputFile=s.json"
            ])),
            argv(&["npx", "jest", "-t", "a", "--listTests"])
        );
        assert_eq!(
            vitest_list(&argv(&["node_modules/.bin/vitest"])),
            argv(&["node_modules/.bin/vitest", "list", "--json"])
        );
        assert_eq!(
            nextest_list(&argv(&["cargo", "nextest", "run", "-p", "x"])),
            argv(&[
                "cargo",
                "nextest",
                "list",
                "-p",
                "x",
                "--message-format",
                "json"
            ])
        );
        // What only running takes is not asked of the listing.
        assert_eq!(
            nextest_list(&argv(&[
                "cargo",
                "nextest",
                "run",
                "--retries",
                "2",
                "-j4",
                "--no-fail-fast",
                "--nff",
                "--ff",
                "--message-format=libtest-json",
                "--max-fail",
                "3",
                "-E",
                "test(a)",
                "--",
                "--no-capture",
            ])),
            argv(&[
                "cargo",
                "nextest",
                "list",
                "-E",
                "test(a)",
                "--message-format",
                "json",
                "--",
                "--no-capture",
            ])
        );
        assert_eq!(
            go_list(&argv(&["go", "test", "-race", "./pkg/..."]))[4..],
            argv(&["./pkg/..."])
        );
        assert_eq!(go_list(&argv(&["go", "test"]))[4..], argv(&["."]));
        // `go -C sub test` lists where it tests, as `go test` itself.
        assert_eq!(
            go_list(&argv(&["go", "-C", "sub", "test", "./..."]))[..4],
            argv(&["go", "-C", "sub", "list"])
        );
        // A flag's value is no package, and `-tags` decides which test
        // files exist (`//go:build integ`).
        assert_eq!(
            go_list(&argv(&["go", "test", "-count", "1", "-tags", "integ"])),
            argv(&[
                "go",
                "list",
                "-tags",
                "integ",
                "-f",
                "{{if or .TestGoFiles .XTestGoFiles}}{{.ImportPath}}{{end}}",
                ".",
            ])
        );
    }

    #[test]
    fn runner_answers_are_parsed() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let abs = |p: &str| root.join(p).to_string_lossy().into_owned();
        let vitest = format!(
            "[{{\"name\":\"a > b\",\"file\":\"{}\"}},{{\"name\":\"c\",\"file\":\"{}\"}}]",
            abs("src/a.test.ts"),
            abs("src/c.test.ts")
        );
        assert_eq!(
            parse_vitest(&vitest, root).unwrap(),
            ["src/a.test.ts", "src/c.test.ts"]
        );
        let playwright = format!(
            "{{\"config\":{{\"rootDir\":\"{}\"}},\"suites\":[{{\"file\":\"login.spec.ts\"}}]}}",
            abs("e2e")
        );
        assert_eq!(
            parse_playwright(&playwright, root).unwrap(),
            ["e2e/login.spec.ts"]
        );
        // A title with half a surrogate pair (`'\ud800'` in a test name).
        let lone = playwright.replace(
            "\"file\":\"login.spec.ts\"",
            "\"title\":\"x\\ud800\",\"file\":\"login.spec.ts\"",
        );
        assert!(lone.contains(r"\ud800"), "{lone}");
        assert_eq!(
            parse_playwright(&lone, root).unwrap(),
            ["e2e/login.spec.ts"]
        );
        let nextest =
            r#"{"rust-suites":{"crate::bin/a":{"testcases":{"t":{}}},"crate":{"testcases":{}}}}"#;
        assert_eq!(parse_nextest(nextest).unwrap(), ["crate::bin/a"]);
        // A binary whose every test is filtered out (a name filter, `-E`,
        // ignored) runs nothing: nextest's `filter-match` says so.
        let filtered = r#"{"rust-suites":{
            "a":{"testcases":{"t":{"filter-match":{"status":"matches"}},"u":{"filter-match":{"status":"mismatch","reason":"string"}}}},
            "b":{"testcases":{"only_ignored":{"filter-match":{"status":"mismatch","reason":"ignored"}}}}}}"#;
        assert_eq!(parse_nextest(filtered).unwrap(), ["a"]);
        assert_eq!(
            relative_lines(&format!("{}\nnot a path\n", abs("x.test.js")), root),
            ["x.test.js"]
        );
        assert_eq!(
            parse_pytest(concat!(
                "[\"./tests/test_a.py\", \"tests/test_a.py::t\"]\n",
                "[\"tests/test_b.py\", \"tests/test_b.py\", \"error\"]\n",
                // A node id relative to a rootdir above the working
                // directory: the test is named by the file as listed.
                "[\"test_c.py\", \"sub/test_c.py::TestC::t[a::b]\"]\n"
            ))
            .unwrap(),
            PytestListing {
                files: vec![
                    "tests/test_a.py".into(),
                    "tests/test_b.py".into(),
                    "test_c.py".into()
                ],
                tests: ["tests/test_a.py::t", "test_c.py::TestC::t[a::b]"]
                    .map(String::from)
                    .into(),
                errors: vec!["tests/test_b.py".into()],
                fatal: false,
            }
        );
        assert!(
            parse_pytest("[\"\", \"tests/sub\", \"fatal\"]\n")
                .unwrap()
                .fatal
        );
        assert!(parse_pytest("not json").is_err());
        assert!(parse_pytest("[\"only a file\"]").is_err());
        assert!(parse_nextest("{}").is_err());
    }

    #[test]
    fn a_failed_collection_names_its_error() {
        let stdout = "ERROR tests/test_a.py\nE   ModuleNotFoundError: No module named 'x'\n";
        assert_eq!(
            why(stdout, ""),
            "ERROR tests/test_a.py: ModuleNotFoundError: No module named 'x'"
        );
        assert_eq!(why("", "first\nlast words\n"), "last words");
        // A crate that does not compile: rustc's error, not cargo's last
        // line about the command that failed.
        let cargo = "   Compiling nxt v0.1.0 (/tmp/nxt)\n\
                     error[E0308]: mismatched types\n \
                     --> src/lib.rs:3:36\n  |\n3 |  let x: u32 = \"s\";\n\n\
                     error: could not compile `nxt` (lib test) due to 1 previous error\n\
                     error: command `cargo test --no-run` exited with code 101\n";
        assert_eq!(
            why("", cargo),
            "error[E0308]: mismatched types at src/lib.rs:3:36 \
             (could not compile `nxt` (lib test) due to 1 previous error)"
        );
        // vitest colours its errors even into a pipe; a colour reset alone
        // on the last line is not the error.
        assert_eq!(
            why(
                "",
                "\u{1b}[31mError: Failed to load url ./x\u{1b}[39m\n\u{1b}[0m\n"
            ),
            "Error: Failed to load url ./x"
        );
        let err = run(argv(&["pitcrew-no-such-runner"]), Path::new("."), &[]).unwrap_err();
        assert!(matches!(err, CollectError::Spawn { .. }), "{err}");
        assert!(err.to_string().contains("pass --tests GLOB"), "{err}");
    }

    #[cfg(unix)]
    #[test]
    fn a_listing_that_hangs_is_killed_at_its_deadline() {
        let started = std::time::Instant::now();
        // A background sleeper holding stdout open, and a foreground one.
        let err = run_until(
            argv(&["sh", "-c", "sleep 60 & sleep 60"]),
            Path::new("."),
            &[],
            1,
        )
        .unwrap_err();
        assert!(
            matches!(err, CollectError::TimedOut { seconds: 1, .. }),
            "{err}"
        );
        assert!(err.to_string().contains("PITCREW_COLLECT_TIMEOUT"), "{err}");
        // Generous: the deadline, the kill and the drain grace, on a busy machine.
        assert!(started.elapsed() < std::time::Duration::from_secs(30));
    }
}
