//! Recognising the test runner from the words of a command.

/// The runners [`locate`] can recognise.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    Pytest,
    Jest,
    Vitest,
    Playwright,
    Go,
    Nextest,
    Node,
}

/// A recognised runner and where it sits in the command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Found {
    pub kind: Kind,
    /// Index in the command of the runner's own word: `pytest` (also the
    /// module name after `-m`), `jest`, `vitest`, `playwright`, `go`,
    /// `nextest` (in `cargo nextest run`) or `node`.
    pub index: usize,
}

/// Finds the runner a command invokes, looking through environment
/// assignments, `env`, package-manager launchers (`npx`, `yarn`, `pnpm`,
/// `bunx`, `npm exec`), Python environment wrappers (`uv run`, `poetry run`,
/// `pipenv run`, `pdm run`, `hatch run`, `rye run`), `python -m`,
/// `coverage run -m` and `node <script>`.
pub(super) fn locate(base: &[String]) -> Option<Found> {
    let mut i = 0;
    // Every branch that continues the loop moves `i` forward.
    while let Some(word) = base.get(i) {
        if is_env_assignment(word) {
            i += 1;
            continue;
        }
        let name = program_name(word);
        match name.as_str() {
            "env" => {
                i += 1;
                while let Some(arg) = base.get(i) {
                    if matches!(arg.as_str(), "-u" | "--unset" | "-C" | "--chdir") {
                        i += 2;
                    } else if arg.starts_with('-') || is_env_assignment(arg) {
                        i += 1;
                    } else {
                        break;
                    }
                }
            }
            "npx" | "pnpx" | "bunx" => {
                i = skip_options(base, i + 1, &["-p", "--package", "-c", "--call"]);
                i = skip_double_dash(base, i);
            }
            "npm" => {
                if !matches!(next(base, i), Some("exec" | "x")) {
                    return None;
                }
                i = skip_options(base, i + 2, &["-p", "--package", "-c", "--call", "-w"]);
                i = skip_double_dash(base, i);
            }
            // `corepack yarn[@4.1.0] …`: the package manager it pins.
            "corepack" => match next(base, i).map(program_name).as_deref() {
                Some("yarn" | "yarnpkg" | "pnpm" | "pnpx" | "npm" | "npx") => i += 1,
                _ => return None,
            },
            "yarn" | "yarnpkg" | "pnpm" | "bun" => {
                i = skip_options(base, i + 1, &["--cwd", "-C", "--dir", "--filter", "-F"]);
                match base.get(i).map(String::as_str) {
                    // `bun test` is bun's own runner, not one of ours.
                    Some("test") if name == "bun" => return None,
                    Some("run" | "exec" | "dlx" | "x") => {
                        i = skip_options(base, i + 1, &["-p", "--package"]);
                        i = skip_double_dash(base, i);
                    }
                    _ => {}
                }
            }
            "uv" | "poetry" | "pipenv" | "pdm" | "hatch" | "rye" => {
                let at = skip_options(base, i + 1, UV_VALUE_OPTIONS);
                if base.get(at).map(String::as_str) != Some("run") {
                    return None;
                }
                i = skip_options(base, at + 1, UV_VALUE_OPTIONS);
                i = skip_double_dash(base, i);
            }
            // Node's coverage wrappers (`c8 --100 node --test`, `nyc
            // --reporter=lcov jest`): their options (some with a value of
            // their own) come first, then the command they run: the first
            // rest of the command that this function reads as a runner.
            "c8" | "nyc" => {
                return (i + 1..base.len()).find_map(|at| {
                    locate(&base[at..]).map(|found| Found {
                        index: at + found.index,
                        ..found
                    })
                });
            }
            "coverage" => {
                if next(base, i) != Some("run") {
                    return None;
                }
                let at = skip_options_until_m(base, i + 2);
                return python_module(base, at);
            }
            _ if is_python(&name) => {
                let at = skip_options_until_m(base, i + 1);
                match base.get(at).map(String::as_str) {
                    Some("-m") => return python_module(base, at),
                    Some("-c") | None => return None,
                    // `python path/to/pytest`: look at the script.
                    Some(_) => i = at,
                }
            }
            "node" | "nodejs" => {
                let mut at = i + 1;
                while let Some(arg) = base.get(at) {
                    if arg == "--test" {
                        return Some(Found {
                            kind: Kind::Node,
                            index: i,
                        });
                    }
                    if matches!(arg.as_str(), "-e" | "--eval" | "-p" | "--print") {
                        return None;
                    }
                    if !arg.starts_with('-') {
                        break;
                    }
                    at += if NODE_VALUE_OPTIONS.contains(&arg.as_str()) {
                        2
                    } else {
                        1
                    };
                }
                // `node some/script.js …`: look at the script.
                let script = base.get(at)?;
                if program_name(script) == "cli" && script.contains("playwright") {
                    return playwright_test(base, at);
                }
                i = at;
            }
            "pytest" | "py.test" | "pytest-3" => {
                return Some(Found {
                    kind: Kind::Pytest,
                    index: i,
                });
            }
            "jest" => {
                return Some(Found {
                    kind: Kind::Jest,
                    index: i,
                });
            }
            "vitest" => {
                return Some(Found {
                    kind: Kind::Vitest,
                    index: i,
                });
            }
            "playwright" => return playwright_test(base, i),
            "go" => {
                // `go -C dir test` is the only global flag form.
                let at = skip_options(base, i + 1, &["-C"]);
                return (base.get(at).map(String::as_str) == Some("test")).then_some(Found {
                    kind: Kind::Go,
                    index: i,
                });
            }
            "cargo" => {
                let mut at = i + 1;
                while let Some(arg) = base.get(at) {
                    if arg.starts_with('+') {
                        at += 1;
                    } else if arg.starts_with('-') {
                        at += if CARGO_VALUE_OPTIONS.contains(&arg.as_str()) {
                            2
                        } else {
                            1
                        };
                    } else {
                        break;
                    }
                }
                if base.get(at).map(String::as_str) != Some("nextest") {
                    return None;
                }
                return nextest_run(base, at);
            }
            "cargo-nextest" => {
                if next(base, i) != Some("nextest") {
                    return None;
                }
                return nextest_run(base, i + 1);
            }
            _ => return None,
        }
    }
    None
}

/// Options of `uv`/`poetry`/… that take a separate value.
const UV_VALUE_OPTIONS: &[&str] = &[
    "--with",
    "--python",
    "-p",
    "--package",
    "--extra",
    "--group",
    "--directory",
    "--project",
    "--env-file",
    "--index",
    "-e",
    "--env",
    "-C",
];

/// Options of `node` that take a separate value.
pub(crate) const NODE_VALUE_OPTIONS: &[&str] = &[
    "-r",
    "--require",
    "--import",
    "--loader",
    "--experimental-loader",
    "-C",
    "--conditions",
    "--env-file",
    "--title",
    "--stack-size",
    "--test-reporter",
    "--test-reporter-destination",
    "--test-name-pattern",
    "--test-skip-pattern",
    "--test-concurrency",
    "--test-timeout",
    "--test-shard",
];

/// Global options of `cargo` that take a separate value.
const CARGO_VALUE_OPTIONS: &[&str] = &["--config", "-Z", "-C", "--color"];

/// Where `node`'s own options end in `base` (the word at `node_index` being
/// `node`): the index of the first file, script or `--` after them. Options
/// must go before it, as node stops reading its options there.
pub(super) fn node_options_end(base: &[String], node_index: usize) -> usize {
    let mut at = node_index + 1;
    while let Some(arg) = base.get(at) {
        if !arg.starts_with('-') || arg == "--" {
            break;
        }
        at += if NODE_VALUE_OPTIONS.contains(&arg.as_str()) {
            2
        } else {
            1
        };
    }
    at.min(base.len())
}

fn next(base: &[String], i: usize) -> Option<&str> {
    base.get(i + 1).map(String::as_str)
}

/// Skips option words starting at `at`; those in `with_value` also consume
/// the following word (the `--opt=value` form is a single word anyway).
fn skip_options(base: &[String], mut at: usize, with_value: &[&str]) -> usize {
    while let Some(arg) = base.get(at) {
        if arg == "--" || !arg.starts_with('-') {
            break;
        }
        at += if with_value.contains(&arg.as_str()) {
            2
        } else {
            1
        };
    }
    at
}

fn skip_double_dash(base: &[String], at: usize) -> usize {
    if base.get(at).map(String::as_str) == Some("--") {
        at + 1
    } else {
        at
    }
}

/// Skips interpreter options up to `-m`, `-c` or the script.
fn skip_options_until_m(base: &[String], mut at: usize) -> usize {
    while let Some(arg) = base.get(at) {
        if matches!(arg.as_str(), "-m" | "-c") || !arg.starts_with('-') {
            break;
        }
        // Python options with a separate value.
        at += if matches!(arg.as_str(), "-W" | "-X" | "--rcfile" | "--source") {
            2
        } else {
            1
        };
    }
    at
}

/// `-m pytest` at `m_index`.
fn python_module(base: &[String], m_index: usize) -> Option<Found> {
    if base.get(m_index).map(String::as_str) != Some("-m") {
        return None;
    }
    let module = base.get(m_index + 1)?;
    matches!(module.as_str(), "pytest" | "py.test").then_some(Found {
        kind: Kind::Pytest,
        index: m_index + 1,
    })
}

/// `playwright … test` with the `playwright` word at `i`.
fn playwright_test(base: &[String], i: usize) -> Option<Found> {
    let at = skip_options(base, i + 1, &["-c", "--config"]);
    (base.get(at).map(String::as_str) == Some("test")).then_some(Found {
        kind: Kind::Playwright,
        index: i,
    })
}

/// `nextest … run` with the `nextest` word at `i`.
fn nextest_run(base: &[String], i: usize) -> Option<Found> {
    let at = skip_options(base, i + 1, &["--manifest-path", "--color"]);
    matches!(base.get(at).map(String::as_str), Some("run" | "r")).then_some(Found {
        kind: Kind::Nextest,
        index: i,
    })
}

pub(super) fn is_python(name: &str) -> bool {
    let rest = name
        .strip_prefix("python")
        .or_else(|| name.strip_prefix("pypy"));
    rest.is_some_and(|rest| {
        rest.chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == 'w')
    })
}

/// `KEY=value` with a shell-style variable name.
pub(super) fn is_env_assignment(word: &str) -> bool {
    let Some((key, _)) = word.split_once('=') else {
        return false;
    };
    let mut chars = key.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// A word's program name: the last path component, lower-cased, without a
/// Windows or script extension or an npm `@version` suffix.
pub(super) fn program_name(word: &str) -> String {
    let base = word.rsplit(['/', '\\']).next().unwrap_or(word);
    let mut name = base.to_ascii_lowercase();
    if let Some(at) = name.rfind('@').filter(|&at| at > 0) {
        name.truncate(at);
    }
    for ext in [".exe", ".cmd", ".bat", ".ps1", ".js", ".mjs", ".cjs"] {
        if let Some(stripped) = name.strip_suffix(ext) {
            name = stripped.to_owned();
            break;
        }
    }
    name
}

#[cfg(test)]
mod tests {
    use super::super::test_support::argv;
    use super::super::{by_name, detect};
    use super::*;

    fn kind(words: &[&str]) -> Option<Kind> {
        locate(&argv(words)).map(|f| f.kind)
    }

    fn detected(words: &[&str]) -> Option<&'static str> {
        detect(&argv(words)).map(|r| r.name())
    }

    #[test]
    fn pytest_spellings() {
        for words in [
            &["pytest"][..],
            &["pytest", "-q", "-x"],
            &["py.test"],
            &["pytest-3"],
            &["/usr/local/bin/pytest"],
            &[".venv/bin/pytest", "-q"],
            &["python", "-m", "pytest"],
            &["python3", "-m", "pytest", "-q"],
            &["python3.12", "-X", "dev", "-W", "error", "-m", "pytest"],
            &["/usr/bin/python3", "-B", "-m", "pytest"],
            &["python", ".venv/bin/pytest"],
            &["uv", "run", "pytest"],
            &["uv", "run", "--with", "pytest-xdist", "pytest", "-n", "4"],
            &["uv", "run", "--", "pytest"],
            &["poetry", "run", "pytest"],
            &["pipenv", "run", "python", "-m", "pytest"],
            &["pdm", "run", "pytest"],
            &["coverage", "run", "-m", "pytest"],
            &["coverage", "run", "--source", "src", "-m", "pytest"],
            &["PYTHONPATH=src", "pytest"],
            &["env", "PYTHONPATH=src", "DEBUG=1", "pytest"],
            &["env", "-i", "PATH=/bin", "python3", "-m", "pytest"],
            &["PYTEST.EXE"],
        ] {
            assert_eq!(kind(words), Some(Kind::Pytest), "{words:?}");
            assert_eq!(detected(words), Some("pytest"), "{words:?}");
        }
        assert_eq!(
            locate(&argv(&["python", "-m", "pytest"])).map(|f| f.index),
            Some(2)
        );
    }

    #[test]
    fn js_spellings() {
        for (words, expected) in [
            (&["jest"][..], Kind::Jest),
            (&["npx", "jest"], Kind::Jest),
            (&["npx", "--yes", "jest", "--ci"], Kind::Jest),
            (&["npx", "-p", "jest@29", "jest"], Kind::Jest),
            (&["yarn", "jest"], Kind::Jest),
            (&["yarn", "run", "jest"], Kind::Jest),
            (&["pnpm", "exec", "jest"], Kind::Jest),
            (&["pnpm", "--filter", "web", "exec", "jest"], Kind::Jest),
            (&["bunx", "jest"], Kind::Jest),
            (&["corepack", "yarn", "jest"], Kind::Jest),
            (&["corepack", "yarn@4.1.0", "run", "jest"], Kind::Jest),
            (&["corepack", "pnpm", "exec", "vitest", "run"], Kind::Vitest),
            (&["corepack", "npx", "playwright", "test"], Kind::Playwright),
            (&["npm", "exec", "--", "jest"], Kind::Jest),
            (&["npm", "x", "jest"], Kind::Jest),
            (&["node_modules/.bin/jest"], Kind::Jest),
            (&["node", "node_modules/.bin/jest"], Kind::Jest),
            (
                &[
                    "node",
                    "--experimental-vm-modules",
                    "node_modules/jest/bin/jest.js",
                ],
                Kind::Jest,
            ),
            (
                &["NODE_OPTIONS=--max-old-space-size=4096", "npx", "jest"],
                Kind::Jest,
            ),
            (&["jest.cmd"], Kind::Jest),
            (&["vitest"], Kind::Vitest),
            (&["vitest", "run"], Kind::Vitest),
            (&["npx", "vitest"], Kind::Vitest),
            (&["c8", "--100", "node", "--test"], Kind::Node),
            (&["npx", "c8", "-r", "lcov", "node", "--test"], Kind::Node),
            (&["nyc", "--reporter", "text", "jest", "--ci"], Kind::Jest),
            (&["c8", "--reporter=text", "vitest", "run"], Kind::Vitest),
            (&["npx", "vitest@1.6.0", "run"], Kind::Vitest),
            (&["pnpm", "vitest", "run"], Kind::Vitest),
            (
                &["node", "node_modules/vitest/vitest.mjs", "run"],
                Kind::Vitest,
            ),
            (&["playwright", "test"], Kind::Playwright),
            (&["npx", "playwright", "test"], Kind::Playwright),
            (
                &["npx", "playwright", "test", "--project=chromium"],
                Kind::Playwright,
            ),
            (&["yarn", "playwright", "test"], Kind::Playwright),
            (
                &["npx", "-p", "@playwright/test", "playwright", "test"],
                Kind::Playwright,
            ),
            (
                &["node", "node_modules/@playwright/test/cli.js", "test"],
                Kind::Playwright,
            ),
            (&["node", "--test"], Kind::Node),
            (&["node", "--test", "--test-concurrency=2"], Kind::Node),
            (&["node", "--import", "tsx", "--test"], Kind::Node),
            (
                &["/usr/bin/node", "--experimental-test-coverage", "--test"],
                Kind::Node,
            ),
            (&["nodejs", "--test"], Kind::Node),
        ] {
            assert_eq!(kind(words), Some(expected), "{words:?}");
        }
    }

    #[test]
    fn go_and_nextest_spellings() {
        for (words, expected) in [
            (&["go", "test"][..], Kind::Go),
            (&["go", "test", "-race", "./..."], Kind::Go),
            (&["go", "-C", "sub", "test"], Kind::Go),
            (&["/usr/local/go/bin/go", "test"], Kind::Go),
            (&["CGO_ENABLED=0", "go", "test"], Kind::Go),
            (&["cargo", "nextest", "run"], Kind::Nextest),
            (&["cargo", "nextest", "r"], Kind::Nextest),
            (
                &["cargo", "+nightly", "nextest", "run", "--workspace"],
                Kind::Nextest,
            ),
            (&["cargo", "--locked", "nextest", "run"], Kind::Nextest),
            (
                &["cargo", "--config", "x=1", "nextest", "run"],
                Kind::Nextest,
            ),
            (&["cargo-nextest", "nextest", "run"], Kind::Nextest),
            (
                &["RUST_BACKTRACE=1", "cargo", "nextest", "run"],
                Kind::Nextest,
            ),
        ] {
            assert_eq!(kind(words), Some(expected), "{words:?}");
        }
    }

    #[test]
    fn unknown_commands_are_not_guessed() {
        for words in [
            &[][..],
            &[""],
            &["npm", "test"],
            &["npm", "run", "test"],
            &["yarn", "test"],
            &["pnpm", "test"],
            &["corepack", "yarn", "test"],
            &["corepack", "enable"],
            &["corepack"],
            &["bun", "test"],
            &["make", "test"],
            &["go", "build"],
            &["go", "vet"],
            &["cargo", "test"],
            &["cargo", "nextest", "list"],
            &["node", "script.js"],
            &["node", "-e", "require('jest')"],
            &["node"],
            &["python", "-m", "unittest"],
            &["python", "-c", "import pytest"],
            &["python", "manage.py", "test"],
            &["playwright", "install"],
            &["npx", "playwright", "show-report"],
            &["mocha"],
            &["uv", "pip", "install", "pytest"],
            &["coverage", "report"],
            &["c8", "report"],
            &["nyc", "mocha"],
            &["c8"],
            &["FOO=1"],
            &["env"],
        ] {
            assert_eq!(kind(words), None, "{words:?}");
            assert_eq!(detected(words), None, "{words:?}");
        }
    }

    #[test]
    fn files_placeholder_means_generic() {
        assert_eq!(detected(&["./run-tests.sh", "{files}"]), Some("generic"));
        // Even when the program is a known runner: the placeholder is explicit.
        assert_eq!(
            detected(&["pytest", "--junitxml={junit}", "{files}"]),
            Some("generic")
        );
        assert_eq!(by_name("generic").map(|r| r.name()), Some("generic"));
    }

    #[test]
    fn runner_word_index() {
        let at = |words: &[&str]| locate(&argv(words)).map(|f| f.index);
        assert_eq!(at(&["npx", "--yes", "vitest"]), Some(2));
        assert_eq!(
            at(&["FOO=1", "cargo", "+stable", "nextest", "run"]),
            Some(3)
        );
        assert_eq!(at(&["node", "--test"]), Some(0));
    }

    #[test]
    fn program_names() {
        assert_eq!(program_name("/a/b/Jest.CMD"), "jest");
        assert_eq!(program_name(r"C:\tools\pytest.exe"), "pytest");
        assert_eq!(program_name("vitest@latest"), "vitest");
        assert_eq!(program_name("@playwright/test"), "test");
        assert_eq!(program_name("py.test"), "py.test");
    }

    #[test]
    fn node_option_end() {
        let base = argv(&["node", "--import", "tsx", "--test", "extra", "--x"]);
        assert_eq!(node_options_end(&base, 0), 4);
        assert_eq!(node_options_end(&argv(&["node", "--test"]), 0), 2);
        assert_eq!(
            node_options_end(&argv(&["node", "--test", "--", "a"]), 0),
            2
        );
    }
}
