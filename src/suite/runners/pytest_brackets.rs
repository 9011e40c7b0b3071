//! Planned paths a shard must not name on pytest's command line.
//!
//! pytest 9 reads a `[` before any `::` in an argument as parametrization
//! and stops ("path cannot contain [] parametrization"), so a test file in
//! `tests/[v1]/` that pytest collects from its folder cannot be named.
//! And pytest rewrites the `assert` statements of every module named on its
//! command line: a library module collected for its doctests
//! (`--doctest-modules`), named, raises pytest's longer `AssertionError`
//! text, and a doctest that expects Python's own fails a green suite.
//!
//! Such a shard names the nearest folder pytest takes instead, and a keep
//! list narrows the collection back to the plan (`pytest_select.py`): other
//! paths under that folder are not even collected, so their import errors
//! stay out of the shard.

use serde::Serialize;

/// What the select plugin keeps when the arguments were widened.
#[derive(Debug, PartialEq, Serialize)]
pub(super) struct Keep {
    /// Every planned file (collection stops at every other path).
    files: Vec<String>,
    /// Files planned whole.
    whole: Vec<String>,
    /// Tests planned by node id.
    ids: Vec<String>,
    /// Tests planned as pitcrew spells them (file, classname, name): the
    /// node id rebuilt from that spelling is wrong under a collector whose
    /// name holds a dot (`cases.v1` reads as two classes), the spelling,
    /// which the plugin computes for each item as the reporter does, is not.
    pub(super) tests: Vec<Spelling>,
}

/// A test as pitcrew names it from the reporter's records: its file, its
/// `classname` (the dotted module and classes) and its name.
pub(super) type Spelling = (String, String, String);

/// The arguments that say the same selection as `items`, and the keep list
/// that narrows them; `None` when pytest takes `items` as they are, or when
/// a folder to name would lie outside the start folder (`../[v1]/…`): pytest
/// looks for its configuration and rootdir from its arguments, so such a
/// folder could change them, and the path is left for pytest to refuse.
///
/// `named`: whether the user's command names this file itself. pytest
/// collects a named file whatever `python_files` and the project's ignore
/// rules say, which a folder would not: such a file stays named.
///
/// `by_file`: name every node id by its file, the keep list choosing the
/// tests (a retry whose node ids may not be pytest's, see [`Keep::tests`]).
pub(super) fn widen(
    items: &[String],
    named: impl Fn(&str) -> bool,
    by_file: bool,
) -> Option<(Vec<String>, Keep)> {
    let items: Vec<&str> = items
        .iter()
        .map(|i| i.strip_prefix("./").unwrap_or(i))
        .collect();
    let unnamed = |item: &str| refused(item) || (!test_module_name(item) && !named(file_of(item)));
    let folders: Vec<&str> = items
        .iter()
        .filter(|i| unnamed(i))
        .map(|i| folder_for(i))
        .collect();
    let ids = by_file && items.iter().any(|i| i.contains("::"));
    if (folders.is_empty() && !ids) || !folders.iter().all(|f| within_start(f)) {
        return None;
    }
    let mut keep = Keep {
        files: Vec::new(),
        whole: Vec::new(),
        ids: Vec::new(),
        tests: Vec::new(),
    };
    let mut args: Vec<String> = Vec::new();
    for &item in &items {
        let (file, id) = match item.split_once("::") {
            Some((file, _)) => (file, true),
            None => (item, false),
        };
        push_new(&mut keep.files, file);
        push_new(if id { &mut keep.ids } else { &mut keep.whole }, item);
        push_new(
            &mut args,
            if unnamed(item) {
                folder_for(item)
            } else if by_file {
                file
            } else {
                item
            },
        );
    }
    // An argument inside a widened folder is already collected from it;
    // naming it again would run its tests twice.
    args.retain(|arg| !folders.iter().any(|folder| inside(file_of(arg), folder)));
    Some((args, keep))
}

/// The folder to name for an item that must not be named: pytest refuses
/// it, or would rewrite a module that a direct run leaves alone.
fn folder_for(item: &str) -> &str {
    if refused(item) {
        return bracket_free_ancestor(item);
    }
    parent(file_of(item))
}

/// Whether the file of `item` is named as pytest's default `python_files`
/// (`test_*.py`, `*_test.py`): pytest rewrites such a module whatever the
/// command line says, and collects it as a folder would. Any other `.py`
/// file is a module collected for its doctests, or a test file of the
/// project's own `python_files` (`check_*.py`), which pytest rewrites either
/// way: naming its folder changes nothing for it. A file that is no Python
/// module (`.txt`, `.rst`, a plugin's own `.yaml`), named, is also one of
/// pytest's doctest files whatever `--doctest-glob` says, a test the run
/// from its folder never has (sybil's `docs/index.rst` gained a failing
/// doctest): it is named by its folder too.
fn test_module_name(item: &str) -> bool {
    let file = file_of(item);
    let name = file.rsplit('/').next().unwrap_or(file);
    let Some(stem) = name.strip_suffix(".py") else {
        return false;
    };
    stem.starts_with("test_") || stem.ends_with("_test")
}

/// Whether pytest refuses `item`: a `[` comes before any `::`.
fn refused(item: &str) -> bool {
    match item.split_once('[') {
        Some((before, _)) => !before.contains("::"),
        None => false,
    }
}

/// The folder made of the path's components before the first one with a
/// `[` (`.` when that is the first).
fn bracket_free_ancestor(path: &str) -> &str {
    let path = file_of(path);
    match path.find('[') {
        Some(bracket) => parent(&path[..bracket]),
        None => path,
    }
}

/// The file of a planned item: a path, or a node id's part before `::`.
pub(super) fn file_of(item: &str) -> &str {
    item.split_once("::").map_or(item, |(file, _)| file)
}

/// The folder holding `path` (`.` for a path in the start folder).
fn parent(path: &str) -> &str {
    match path.rfind('/') {
        Some(0) => "/",
        Some(slash) => &path[..slash],
        None => ".",
    }
}

/// Whether `path` lies strictly inside `folder`.
fn inside(path: &str, folder: &str) -> bool {
    if path == folder {
        return false;
    }
    if folder == "." {
        return within_start(path);
    }
    std::path::Path::new(path).starts_with(folder)
}

/// Whether a relative `path` stays in the start folder: no root, drive or
/// `..` (`C:/x` and `/x` do not).
fn within_start(path: &str) -> bool {
    use std::path::Component;
    let drive = path.as_bytes().get(1) == Some(&b':');
    !drive
        && std::path::Path::new(path)
            .components()
            .all(|c| matches!(c, Component::Normal(_) | Component::CurDir))
}

fn push_new(list: &mut Vec<String>, item: &str) {
    if !list.iter().any(|i| i == item) {
        list.push(item.to_owned());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn widen_all(items: &[String]) -> Option<(Vec<String>, Keep)> {
        widen(items, |_| false, false)
    }

    /// A file the user's command names stays named: pytest collects it
    /// whatever `python_files` says, a folder would not.
    #[test]
    fn a_file_the_user_names_stays_named() {
        let items = strings(&["tests/mytests.py", "tests/test_other.py"]);
        assert_eq!(widen(&items, |f| f == "tests/mytests.py", false), None);
        let (args, _) = widen_all(&items).unwrap();
        assert_eq!(args, strings(&["tests"]));
    }

    fn strings(items: &[&str]) -> Vec<String> {
        items.iter().map(|i| (*i).to_owned()).collect()
    }

    #[test]
    fn paths_pytest_takes_are_left_alone() {
        for items in [
            &["tests/test_a.py", "tests/test_b.py::test_x[1-[2]]"][..],
            &["tests/test_a.py::TestK::test_y[a b]"][..],
            &[][..],
        ] {
            assert_eq!(widen_all(&strings(items)), None, "{items:?}");
        }
    }

    #[test]
    fn a_bracketed_folder_is_named_by_its_bracket_free_ancestor() {
        let (args, keep) = widen_all(&strings(&[
            "tests/[v1]/test_x.py",
            "./tests/test_y.py",
            "other/test_z.py",
            "tests/[v2]/sub/test_w.py::test_p[1]",
        ]))
        .unwrap();
        // tests/test_y.py is collected from `tests`, once.
        assert_eq!(args, strings(&["tests", "other/test_z.py"]));
        assert_eq!(
            keep,
            Keep {
                files: strings(&[
                    "tests/[v1]/test_x.py",
                    "tests/test_y.py",
                    "other/test_z.py",
                    "tests/[v2]/sub/test_w.py",
                ]),
                whole: strings(&["tests/[v1]/test_x.py", "tests/test_y.py", "other/test_z.py"]),
                ids: strings(&["tests/[v2]/sub/test_w.py::test_p[1]"]),
                tests: Vec::new(),
            }
        );
    }

    /// A retry names its tests' files, the keep list choosing the tests;
    /// a module's own result (its node id is the file) keeps it whole.
    #[test]
    fn by_file_names_each_node_id_by_its_file() {
        let items = strings(&[
            "tests/test_a.py::cases.v1::test_x",
            "tests/test_a.py::TestK::test_y[1]",
            "tests/test_b.py",
            "pkg/mod.py::pkg.mod.f",
        ]);
        let (args, keep) = widen(&items, |_| false, true).unwrap();
        assert_eq!(
            args,
            strings(&["tests/test_a.py", "tests/test_b.py", "pkg"])
        );
        assert_eq!(
            keep.files,
            strings(&["tests/test_a.py", "tests/test_b.py", "pkg/mod.py"])
        );
        assert_eq!(keep.whole, strings(&["tests/test_b.py"]));
        assert_eq!(keep.ids.len(), 3);
        // Files alone need no keep list; nor does a folder outside.
        assert_eq!(widen(&strings(&["tests/test_b.py"]), |_| false, true), None);
        let outside = strings(&["../x/test_a.py::T::t", "../x/mod.py::m.f"]);
        assert_eq!(widen(&outside, |_| false, true), None);
    }

    #[test]
    fn a_bracket_at_the_top_widens_to_the_start_folder() {
        let (args, _) = widen_all(&strings(&[
            "[v1]/test_x.py",
            "tests/test_y.py::test_q",
            "../shared/test_s.py",
        ]))
        .unwrap();
        assert_eq!(args, strings(&[".", "../shared/test_s.py"]));
        let (args, _) =
            widen_all(&strings(&["./tests/[v1]/test_x.py", "./tests/test_y.py"])).unwrap();
        assert_eq!(args, strings(&["tests"]));
    }

    /// A module collected for its doctests is named by its folder: named
    /// itself, pytest would rewrite its asserts. So is a text file: named
    /// itself, it is a doctest file whatever `--doctest-glob` says. Test
    /// files are named as they are.
    #[test]
    fn a_module_that_is_no_test_file_is_named_by_its_folder() {
        let (args, keep) = widen_all(&strings(&[
            "pkg/lib.py",
            "tests/test_a.py",
            "lib_test.py",
            "docs/usage.txt",
            "pkg/sub/util.py::pkg.sub.util.f",
        ]))
        .unwrap();
        // pkg/sub/util.py is collected from `pkg`, once.
        assert_eq!(
            args,
            strings(&["pkg", "tests/test_a.py", "lib_test.py", "docs"])
        );
        assert_eq!(keep.whole[0], "pkg/lib.py");
        assert_eq!(keep.ids, strings(&["pkg/sub/util.py::pkg.sub.util.f"]));
        // A module at the top: the start folder, which holds everything.
        let (args, _) = widen_all(&strings(&["top.py", "tests/test_a.py"])).unwrap();
        assert_eq!(args, strings(&["."]));
        let (args, keep) = widen_all(&strings(&["tests/test_a.py", "docs/guide.rst"])).unwrap();
        assert_eq!(args, strings(&["tests/test_a.py", "docs"]));
        assert_eq!(keep.whole, strings(&["tests/test_a.py", "docs/guide.rst"]));
        assert_eq!(
            widen_all(&strings(&["tests/test_a.py", "lib_test.py"])),
            None
        );
    }

    /// A folder above or outside the start folder could change pytest's
    /// rootdir and configuration: such a path is left as it is.
    #[test]
    fn no_folder_outside_the_start_folder_is_named() {
        for item in [
            "/abs/[v1]/test_x.py",
            "/[v1]/test_x.py",
            "../[v1]/test_x.py",
            "../x/[v1]/test_x.py",
            "C:/[v1]/test_x.py",
            "tests/../../[v1]/test_x.py",
        ] {
            assert_eq!(
                widen_all(&strings(&[item, "tests/test_y.py"])),
                None,
                "{item}"
            );
        }
    }
}
