//! pytest: items are files or node ids, appended as arguments.
//!
//! The report is written with `--junitxml=PATH -o junit_family=xunit1`:
//! the xunit1 family keeps the `file` and `line` testcase attributes that
//! pytest's default (xunit2, since pytest 6) drops, and `file` is what maps a
//! testcase back to its node id.
//!
//! A file without some of its tests ([`Selection::FileExcept`]) loads a
//! small plugin (`pytest_deselect.py`, written next to the report and found
//! through `PYTHONPATH`) that deselects exact node ids: pytest's own
//! `--deselect` matches prefixes, so it would also drop `test_x2` with
//! `test_x`.

use std::path::Path;

use super::{
    Invocation, JunitSource, Runner, RunnerError, Selection, TestRef, absolute_junit,
    create_parent_dir, finish, insert_before_terminator, path_arg, rerun_unless_unlocatable,
    split_base,
};

/// The plugin's source, its module name and the variable naming its list.
const PLUGIN: &str = include_str!("pytest_deselect.py");
const PLUGIN_MODULE: &str = "pitcrew_deselect";
const DESELECT_ENV: &str = "PITCREW_DESELECT";

/// The pytest adapter.
pub(super) struct Pytest;

const NAME: &str = "pytest";

impl Runner for Pytest {
    fn name(&self) -> &'static str {
        NAME
    }

    fn selects_tests(&self) -> bool {
        true
    }

    fn excludes_tests(&self) -> bool {
        true
    }

    fn invocation(
        &self,
        base: &[String],
        selection: &Selection<'_>,
        junit_path: &Path,
    ) -> Result<Invocation, RunnerError> {
        let (program, args) = split_base(base)?;
        let (junit, junit_text) = absolute_junit(junit_path)?;
        let mut env = Vec::new();
        let mut ours = vec![
            format!("--junitxml={junit_text}"),
            "-o".to_owned(),
            "junit_family=xunit1".to_owned(),
        ];
        let items: Vec<String> = match selection {
            Selection::Files(files) => files.iter().map(|f| path_arg(f)).collect(),
            Selection::Tests(tests) => node_ids(tests)?.iter().map(|id| path_arg(id)).collect(),
            Selection::FileExcept { file, tests } => {
                if !tests.is_empty() {
                    env = deselect_plugin(&junit, &node_ids(tests)?)?;
                    ours.extend(["-p".to_owned(), PLUGIN_MODULE.to_owned()]);
                }
                vec![path_arg(file)]
            }
        };
        if items.iter().all(String::is_empty) {
            return Err(RunnerError::EmptySelection { runner: NAME });
        }
        ours.extend(items);
        let args = insert_before_terminator(args, &["--"], ours);
        finish(program, args, env, JunitSource::File(junit))
    }

    fn rerun(
        &self,
        base: &[String],
        failed: &[TestRef],
        junit_path: &Path,
    ) -> Option<Result<Invocation, RunnerError>> {
        rerun_unless_unlocatable(self.invocation(base, &Selection::Tests(failed), junit_path))
    }

    fn test_id(&self, test: &TestRef) -> Option<String> {
        node_id(test)
    }
}

fn node_ids(tests: &[TestRef]) -> Result<Vec<String>, RunnerError> {
    tests
        .iter()
        .map(|t| {
            node_id(t).ok_or_else(|| RunnerError::MissingFile {
                runner: NAME,
                test: t.name.clone(),
            })
        })
        .collect()
}

/// Writes the deselect plugin and its id list next to the report, and
/// returns the environment that loads them: the report's directory first on
/// `PYTHONPATH` (ahead of the user's own entries) and the list's path.
fn deselect_plugin(junit: &Path, ids: &[String]) -> Result<Vec<(String, String)>, RunnerError> {
    create_parent_dir(junit)?;
    let dir = junit.parent().unwrap_or(Path::new("/"));
    let plugin = dir.join(format!("{PLUGIN_MODULE}.py"));
    std::fs::write(&plugin, PLUGIN)
        .map_err(|e| RunnerError::io(format!("cannot write {}", plugin.display()), e))?;
    let mut list = junit.as_os_str().to_owned();
    list.push(".deselect.json");
    let list = std::path::PathBuf::from(list);
    let json =
        serde_json::to_vec(ids).map_err(|e| RunnerError::io("cannot list the tests", e.into()))?;
    std::fs::write(&list, json)
        .map_err(|e| RunnerError::io(format!("cannot write {}", list.display()), e))?;
    let mut path = std::ffi::OsString::from(dir);
    if let Some(user) = std::env::var_os("PYTHONPATH").filter(|p| !p.is_empty()) {
        path.push(":");
        path.push(user);
    }
    let text = |p: &std::ffi::OsStr| {
        p.to_str()
            .map(str::to_owned)
            .ok_or_else(|| RunnerError::NonUtf8Path { path: p.into() })
    };
    Ok(vec![
        ("PYTHONPATH".to_owned(), text(&path)?),
        (DESELECT_ENV.to_owned(), text(list.as_os_str())?),
    ])
}

/// The pytest node id (`path/to/test_x.py::Class::test_name[params]`) of a
/// JUnit testcase.
///
/// pytest derives the testcase's `classname` from the node id by replacing
/// `/` with `.` in the path, dropping a `.py` suffix and joining the classes
/// with `.`; the `name` is the last node id part, parameters included. With
/// the `file` attribute (xunit1) that is reversed exactly; the module prefix is
/// also found when a `junit_suite_name`-style prefix precedes it. Without a
/// file (xunit2 reports), the module/class boundary is guessed: the first
/// classname part starting with an upper-case letter is taken as the first
/// class. `None` when the classname is empty and there is no file.
pub(super) fn node_id(test: &TestRef) -> Option<String> {
    let name = test.name.as_str();
    let classname = test.classname.as_str();
    if let Some(file) = test.file.as_deref().filter(|f| !f.is_empty()) {
        let file = file.strip_prefix("./").unwrap_or(file);
        let dotted = file.replace('/', ".");
        let module = dotted.strip_suffix(".py").unwrap_or(&dotted);
        let classes = classes_after_module(classname, module).unwrap_or_default();
        return Some(join_node_id(file, &classes, name));
    }
    if classname.is_empty() {
        return None;
    }
    let parts: Vec<&str> = classname.split('.').collect();
    let first_class = parts
        .iter()
        .position(|p| p.starts_with(|c: char| c.is_ascii_uppercase()))
        .unwrap_or(parts.len());
    let (module, classes) = parts.split_at(first_class);
    if module.is_empty() {
        return None;
    }
    let file = format!("{}.py", module.join("/"));
    Some(join_node_id(&file, classes, name))
}

/// The class parts of `classname` after `module` (which must appear as whole
/// dot-separated parts, at the start or after a prefix).
fn classes_after_module<'a>(classname: &'a str, module: &str) -> Option<Vec<&'a str>> {
    if classname == module {
        return Some(Vec::new());
    }
    if module.is_empty() {
        return None;
    }
    let mut search_from = 0;
    while let Some(found) = classname[search_from..].find(module) {
        let start = search_from + found;
        let end = start + module.len();
        let starts_part = start == 0 || classname[..start].ends_with('.');
        let rest = &classname[end..];
        if starts_part {
            if rest.is_empty() {
                return Some(Vec::new());
            }
            if let Some(classes) = rest.strip_prefix('.') {
                return Some(classes.split('.').collect());
            }
        }
        search_from = start + module.len().max(1);
        if search_from > classname.len() {
            break;
        }
    }
    None
}

fn join_node_id(file: &str, classes: &[&str], name: &str) -> String {
    let mut id = file.to_owned();
    for class in classes.iter().filter(|c| !c.is_empty()) {
        id.push_str("::");
        id.push_str(class);
    }
    id.push_str("::");
    id.push_str(name);
    id
}

#[cfg(test)]
mod tests {
    use super::super::by_name;
    use super::super::test_support::{argv, test_ref};
    use super::*;

    fn runner() -> &'static dyn Runner {
        by_name("pytest").unwrap()
    }

    #[test]
    fn files_are_appended_with_junit_options() {
        let files = argv(&[
            "tests/test_a.py",
            "tests/dir with space/test_b.py",
            "-odd.py",
        ]);
        let inv = runner()
            .invocation(
                &argv(&["pytest", "-q"]),
                &Selection::Files(&files),
                Path::new("/tmp/out/junit.xml"),
            )
            .unwrap();
        assert_eq!(inv.program, "pytest");
        assert_eq!(
            inv.args,
            argv(&[
                "-q",
                "--junitxml=/tmp/out/junit.xml",
                "-o",
                "junit_family=xunit1",
                "tests/test_a.py",
                "tests/dir with space/test_b.py",
                "./-odd.py",
            ])
        );
        assert!(inv.env.is_empty());
        assert_eq!(inv.junit, JunitSource::File("/tmp/out/junit.xml".into()));
    }

    #[test]
    fn python_dash_m_and_double_dash() {
        let files = argv(&["t.py"]);
        let inv = runner()
            .invocation(
                &argv(&["python3", "-m", "pytest", "--", "-k", "x"]),
                &Selection::Files(&files),
                Path::new("/j.xml"),
            )
            .unwrap();
        assert_eq!(inv.program, "python3");
        assert_eq!(
            inv.args,
            argv(&[
                "-m",
                "pytest",
                "--junitxml=/j.xml",
                "-o",
                "junit_family=xunit1",
                "t.py",
                "--",
                "-k",
                "x",
            ])
        );
    }

    #[test]
    fn a_file_without_some_tests_loads_the_exact_deselect_plugin() {
        let dir = tempfile::tempdir().unwrap();
        let junit = dir.path().join("out/j.xml");
        let left_out = [
            test_ref(Some("tests/test_slow.py"), "tests.test_slow", "test_x"),
            test_ref(
                Some("tests/test_slow.py"),
                "tests.test_slow.TestK",
                "test_y[a b]",
            ),
        ];
        let inv = runner()
            .invocation(
                &argv(&["pytest", "-q"]),
                &Selection::FileExcept {
                    file: "tests/test_slow.py",
                    tests: &left_out,
                },
                &junit,
            )
            .unwrap();
        assert_eq!(
            &inv.args[4..],
            &argv(&["-p", "pitcrew_deselect", "tests/test_slow.py"])[..]
        );
        let out = dir.path().join("out");
        let python_path = super::super::test_support::env_of(&inv, "PYTHONPATH").unwrap();
        assert!(
            python_path.starts_with(out.to_str().unwrap()),
            "{python_path}"
        );
        let list = super::super::test_support::env_of(&inv, DESELECT_ENV).unwrap();
        let ids: Vec<String> =
            serde_json::from_str(&std::fs::read_to_string(list).unwrap()).unwrap();
        assert_eq!(
            ids,
            [
                "tests/test_slow.py::test_x",
                "tests/test_slow.py::TestK::test_y[a b]"
            ]
        );
        assert_eq!(
            std::fs::read_to_string(out.join("pitcrew_deselect.py")).unwrap(),
            PLUGIN
        );
        // Nothing to leave out: no plugin.
        let whole = runner()
            .invocation(
                &argv(&["pytest"]),
                &Selection::FileExcept {
                    file: "tests/test_slow.py",
                    tests: &[],
                },
                &junit,
            )
            .unwrap();
        assert!(whole.env.is_empty());
        assert_eq!(
            whole.args.last().map(String::as_str),
            Some("tests/test_slow.py")
        );
    }

    #[test]
    fn node_ids_from_xunit1_testcases() {
        let cases = [
            (
                test_ref(Some("tests/test_a.py"), "tests.test_a.TestX", "test_y"),
                "tests/test_a.py::TestX::test_y",
            ),
            (
                test_ref(Some("tests/test_a.py"), "tests.test_a", "test_x[1-2]"),
                "tests/test_a.py::test_x[1-2]",
            ),
            (
                test_ref(
                    Some("tests/test_a.py"),
                    "tests.test_a.TestX.TestInner",
                    "test_deep",
                ),
                "tests/test_a.py::TestX::TestInner::test_deep",
            ),
            (
                test_ref(Some("test_top.py"), "test_top", "test_x[x y-::]"),
                "test_top.py::test_x[x y-::]",
            ),
            (
                test_ref(
                    Some("tests/test_é.py"),
                    "tests.test_é.TestÜ",
                    "test_ü[\"q\" 'a']",
                ),
                "tests/test_é.py::TestÜ::test_ü[\"q\" 'a']",
            ),
            // junit_suite_name/prefix in front of the module.
            (
                test_ref(Some("tests/test_a.py"), "pre.tests.test_a.TestX", "test_y"),
                "tests/test_a.py::TestX::test_y",
            ),
            // Doctest in a module and in a text file.
            (
                test_ref(Some("pkg/mod.py"), "pkg.mod", "pkg.mod.func"),
                "pkg/mod.py::pkg.mod.func",
            ),
            (
                test_ref(Some("docs/x.txt"), "docs.x.txt", "x.txt"),
                "docs/x.txt::x.txt",
            ),
            (
                test_ref(Some("./tests/test_a.py"), "tests.test_a", "test_z"),
                "tests/test_a.py::test_z",
            ),
        ];
        for (test, expected) in cases {
            assert_eq!(
                runner().test_id(&test).as_deref(),
                Some(expected),
                "{test:?}"
            );
        }
    }

    #[test]
    fn node_ids_without_file_are_guessed() {
        let cases = [
            (
                test_ref(None, "tests.test_a.TestX", "test_y"),
                "tests/test_a.py::TestX::test_y",
            ),
            (
                test_ref(None, "tests.test_a", "test_x[1-2]"),
                "tests/test_a.py::test_x[1-2]",
            ),
            (
                test_ref(None, "test_a.TestX.TestInner", "t"),
                "test_a.py::TestX::TestInner::t",
            ),
        ];
        for (test, expected) in cases {
            assert_eq!(node_id(&test).as_deref(), Some(expected), "{test:?}");
        }
        assert_eq!(node_id(&test_ref(None, "", "test_x")), None);
        assert_eq!(node_id(&test_ref(None, "TestX", "test_x")), None);
    }

    #[test]
    fn tests_and_rerun_use_node_ids() {
        let failed = [
            test_ref(Some("tests/test_a.py"), "tests.test_a.TestX", "test_y"),
            test_ref(Some("tests/test_b.py"), "tests.test_b", "test_p[a b-(c)|d]"),
        ];
        let inv = runner()
            .rerun(&argv(&["pytest"]), &failed, Path::new("/j.xml"))
            .unwrap()
            .unwrap();
        assert_eq!(
            &inv.args[3..],
            &argv(&[
                "tests/test_a.py::TestX::test_y",
                "tests/test_b.py::test_p[a b-(c)|d]",
            ])[..]
        );
        let err = runner()
            .invocation(
                &argv(&["pytest"]),
                &Selection::Tests(&[test_ref(None, "", "x")]),
                Path::new("/j.xml"),
            )
            .unwrap_err();
        assert!(matches!(err, RunnerError::MissingFile { .. }));
        assert!(matches!(
            runner()
                .rerun(&argv(&["pytest"]), &[], Path::new("/j.xml"))
                .unwrap()
                .unwrap_err(),
            RunnerError::EmptySelection { .. }
        ));
    }
}
