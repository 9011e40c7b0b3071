//! `--changed-first`: the tests of a change run before the rest.
//!
//! A test item is *touched* by a change when
//! - it is a changed file (the item, relative to `--root`, may be a suffix
//!   of the repository-relative changed path: `web/src/a.test.ts` touches
//!   the item `src/a.test.ts` when the suite lives in `web/`);
//! - its subject stem is a changed file's stem: `src/foo.py` touches
//!   `tests/test_foo.py`, `foo.ts` touches `foo.test.ts` and `foo.spec.ts`,
//!   `pkg/foo.go` touches `pkg/foo_test.go`, `Foo.java` touches
//!   `FooTest.java`;
//! - it is a package (go's items: no extension) holding a changed file;
//! - it is a test split out of a touched file.
//!
//! Reordering never moves an item to another shard: each shard's touched
//! items go first, both groups keeping their order, so the plan's balance,
//! its items and its shard sizes are exactly what they were. Only the order
//! within a shard (and, locally, the order shards start in) changes. Whether
//! a runner honours the order of the files it is given is the runner's
//! business: pytest and go do; jest and vitest schedule files themselves.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use super::plan::PlanFile;
use super::slow_files::PlannedTest;
use crate::InputError;
use crate::paths::normalise;

/// Stems too common to say which tests a change concerns: `__init__.py`
/// or `conftest.py` would otherwise pull in every test file of that name.
const MEANINGLESS_STEMS: &[&str] = &["__init__", "conftest", ""];

/// The paths of a change, indexed for matching test items.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Changes {
    /// Normalised changed paths.
    paths: BTreeSet<String>,
    /// Subject stems of the changed paths (lower case).
    stems: BTreeSet<String>,
    /// Directories holding a changed file.
    dirs: BTreeSet<String>,
}

impl Changes {
    pub fn new<S: AsRef<str>>(paths: impl IntoIterator<Item = S>) -> Self {
        let mut changes = Self::default();
        for path in paths {
            let path = normalise(path.as_ref());
            if path.is_empty() {
                continue;
            }
            let stem = subject_stem(&path);
            if !MEANINGLESS_STEMS.contains(&stem.as_str()) {
                changes.stems.insert(stem);
            }
            if let Some((dir, _)) = path.rsplit_once('/') {
                changes.dirs.insert(dir.to_string());
            }
            changes.paths.insert(path);
        }
        changes
    }

    /// A list of changed paths, one per line (`git diff --name-only`);
    /// blank lines are skipped.
    pub fn read(path: &Path) -> Result<Self, InputError> {
        let text = std::fs::read_to_string(path).map_err(|e| {
            InputError::new(format!(
                "--changed-files: {}: cannot read it: {e}",
                path.display()
            ))
        })?;
        Ok(Self::new(text.lines().map(str::trim)))
    }

    /// The changed paths, normalised and sorted.
    pub fn paths(&self) -> impl Iterator<Item = &str> {
        self.paths.iter().map(String::as_str)
    }

    pub fn len(&self) -> usize {
        self.paths.len()
    }

    pub fn is_empty(&self) -> bool {
        self.paths.is_empty()
    }

    /// Whether the test file or package `item` is touched by the change.
    pub fn touches(&self, item: &str) -> bool {
        let item = normalise(item);
        if item.is_empty() {
            return false;
        }
        let suffix = format!("/{item}");
        let changed_itself = self
            .paths
            .iter()
            .any(|p| *p == item || p.ends_with(&suffix));
        if changed_itself {
            return true;
        }
        let name = item.rsplit('/').next().unwrap_or(&item);
        if !name.contains('.') {
            // A package: touched when a changed file lies directly in it.
            let package = item.as_str();
            return self.dirs.iter().any(|d| {
                d == package || d.ends_with(&suffix) || package.ends_with(&format!("/{d}"))
            });
        }
        self.stems.contains(&subject_stem(&item))
    }
}

/// What a split-out test id belongs to: the plan's split files and their tests.
fn file_of_tests(split_files: &BTreeMap<String, Vec<PlannedTest>>) -> BTreeMap<&str, &str> {
    split_files
        .iter()
        .flat_map(|(file, tests)| tests.iter().map(move |t| (t.id.as_str(), file.as_str())))
        .collect()
}

/// Moves the touched items of `items` to the front, both groups keeping
/// their order; `file_of` maps split-out test ids to their file. Returns how
/// many are touched.
pub fn touched_first(
    items: &mut Vec<String>,
    changes: &Changes,
    file_of: &dyn Fn(&str) -> Option<String>,
) -> usize {
    let touched = |item: &String| {
        changes.touches(item) || file_of(item).is_some_and(|file| changes.touches(&file))
    };
    let (mut first, rest): (Vec<String>, Vec<String>) = items.drain(..).partition(touched);
    let count = first.len();
    first.extend(rest);
    *items = first;
    count
}

/// Reorders every shard of `plan` so its touched items run first, and
/// returns the 0-based shard positions in the order they should start:
/// shards with touched items first (more touched items first), then the
/// rest, each in index order. Shard indices and contents are unchanged.
pub fn order_plan(plan: &mut PlanFile, changes: Option<&Changes>) -> Vec<usize> {
    let Some(changes) = changes else {
        return (0..plan.plan.shards.len()).collect();
    };
    let tests = file_of_tests(&plan.split_files);
    let file_of = |id: &str| tests.get(id).map(|f| f.to_string());
    let mut touched: Vec<(usize, usize)> = plan
        .plan
        .shards
        .iter_mut()
        .enumerate()
        .map(|(i, shard)| (i, touched_first(&mut shard.items, changes, &file_of)))
        .collect();
    touched.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let count: usize = touched.iter().map(|(_, n)| n).sum();
    tracing::info!(
        "--changed-first: {count} item(s) touched by {} changed path(s) run first",
        changes.len()
    );
    touched.into_iter().map(|(i, _)| i).collect()
}

/// One shard's items for `run`: as planned, or with the touched ones first.
pub fn shard_items<'a>(
    items: &'a [String],
    split_files: &BTreeMap<String, Vec<PlannedTest>>,
    changes: Option<&Changes>,
) -> Cow<'a, [String]> {
    match changes {
        Some(changes) => Cow::Owned(order_items(items, split_files, changes)),
        None => Cow::Borrowed(items),
    }
}

/// Reorders one shard's items, given the plan's split files.
pub fn order_items(
    items: &[String],
    split_files: &BTreeMap<String, Vec<PlannedTest>>,
    changes: &Changes,
) -> Vec<String> {
    let tests = file_of_tests(split_files);
    let file_of = |id: &str| tests.get(id).map(|f| f.to_string());
    let mut items = items.to_vec();
    let count = touched_first(&mut items, changes, &file_of);
    tracing::info!(
        "--changed-first: {count} of the shard's {} item(s) run first",
        items.len()
    );
    items
}

/// The name of what a file tests or is: its file name without extensions
/// and without the test affixes runners use (`test_foo.py`, `foo_test.go`,
/// `foo.test.ts`, `foo.spec.js`, `FooTest.java`, `foo_spec.rb`), lower case.
fn subject_stem(path: &str) -> String {
    let name = path.rsplit('/').next().unwrap_or(path);
    let base = name.split('.').next().unwrap_or(name);
    let mut stem = base;
    if let Some(rest) = stem.strip_prefix("test_") {
        stem = rest;
    }
    for suffix in ["_test", "_spec", "Test", "Tests", "Spec"] {
        if let Some(rest) = stem.strip_suffix(suffix).filter(|r| !r.is_empty()) {
            stem = rest;
            break;
        }
    }
    stem.to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::suite::split::{Plan, Shard};

    fn changes(paths: &[&str]) -> Changes {
        Changes::new(paths.iter().copied())
    }

    #[test]
    fn stems_drop_extensions_and_test_affixes() {
        for (path, stem) in [
            ("tests/test_foo.py", "foo"),
            ("src/foo.py", "foo"),
            ("src/cart.test.ts", "cart"),
            ("e2e/cart.spec.js", "cart"),
            ("pkg/cart_test.go", "cart"),
            ("src/test/java/CartTest.java", "cart"),
            ("spec/cart_spec.rb", "cart"),
            ("Test.java", "test"),
            ("test_.py", ""),
        ] {
            assert_eq!(subject_stem(path), stem, "{path}");
        }
    }

    #[test]
    fn a_test_is_touched_by_itself_its_subject_or_its_package() {
        let c = changes(&[
            "./src/foo.py",
            "web/src/cart.test.ts",
            "src/button.tsx",
            "internal/store/db.go",
            "",
        ]);
        assert_eq!(c.len(), 4);
        assert!(c.touches("tests/test_foo.py"));
        assert!(c.touches("src/cart.test.ts"), "suffix of a changed path");
        assert!(c.touches("./web/src/cart.test.ts"));
        assert!(c.touches("src/button.test.tsx"));
        assert!(c.touches("./internal/store"), "go package holding a change");
        assert!(c.touches("example.com/m/internal/store"));
        assert!(!c.touches("tests/test_bar.py"));
        assert!(!c.touches("art.test.ts"), "suffix only at a `/` boundary");
        assert!(!c.touches("internal"), "only the package holding the file");
        assert!(!c.touches(""));
    }

    #[test]
    fn init_and_conftest_touch_only_themselves() {
        let c = changes(&["pkg/__init__.py", "tests/conftest.py"]);
        assert!(!c.touches("other/__init__.py"));
        assert!(!c.touches("tests/test_init.py"));
        assert!(c.touches("tests/conftest.py"));
    }

    #[test]
    fn touched_items_go_first_and_both_groups_keep_their_order() {
        let c = changes(&["src/c.py", "tests/test_e.py"]);
        let mut items: Vec<String> = [
            "tests/test_a.py",
            "tests/test_c.py",
            "tests/test_d.py",
            "tests/test_e.py",
        ]
        .map(String::from)
        .to_vec();
        let none = |_: &str| None;
        assert_eq!(touched_first(&mut items, &c, &none), 2);
        assert_eq!(
            items,
            [
                "tests/test_c.py",
                "tests/test_e.py",
                "tests/test_a.py",
                "tests/test_d.py"
            ]
        );
        let mut untouched = vec!["b.py".to_string(), "a.py".to_string()];
        assert_eq!(touched_first(&mut untouched, &Changes::default(), &none), 0);
        assert_eq!(untouched, ["b.py", "a.py"], "nothing changed: order kept");
    }

    fn shard(index: usize, items: &[&str], seconds: f64) -> Shard {
        Shard {
            index,
            items: items.iter().map(|s| s.to_string()).collect(),
            estimated_seconds: seconds,
        }
    }

    #[test]
    fn the_plan_keeps_its_balance_and_shards_with_changes_start_first() {
        let mut plan = PlanFile {
            plan: Plan {
                shards: vec![
                    shard(1, &["t/test_a.py", "t/test_b.py"], 10.0),
                    shard(
                        2,
                        &["t/test_c.py", "t/test_d.py", "t/test_slow.py::test_x"],
                        10.0,
                    ),
                    shard(3, &["t/test_e.py", "t/test_slow.py"], 9.0),
                ],
                lower_bound_seconds: 9.5,
            },
            runner: Some("pytest".into()),
            split_files: BTreeMap::from([(
                "t/test_slow.py".to_string(),
                vec![PlannedTest {
                    id: "t/test_slow.py::test_x".into(),
                    classname: "t.test_slow".into(),
                    name: "test_x".into(),
                }],
            )]),
            discovered: false,
            checkout: None,
        };
        let before = plan.clone();
        let identity = order_plan(&mut plan.clone(), None);
        assert_eq!(identity, [0, 1, 2]);
        let order = order_plan(&mut plan, Some(&changes(&["src/slow.py", "src/d.py"])));
        assert_eq!(
            order,
            [1, 2, 0],
            "shard 2 has two touched items, shard 3 one"
        );
        assert_eq!(
            plan.plan.shards[1].items,
            ["t/test_d.py", "t/test_slow.py::test_x", "t/test_c.py"],
            "a test split out of a touched file is touched"
        );
        assert_eq!(plan.plan.shards[2].items, ["t/test_slow.py", "t/test_e.py"]);
        for (after, before) in plan.plan.shards.iter().zip(&before.plan.shards) {
            assert_eq!(after.index, before.index);
            assert_eq!(after.estimated_seconds, before.estimated_seconds);
            let (mut a, mut b) = (after.items.clone(), before.items.clone());
            a.sort();
            b.sort();
            assert_eq!(a, b, "no item changes shard");
        }
        assert_eq!(plan.split_files, before.split_files);
        assert_eq!(
            order_items(
                &before.plan.shards[2].items,
                &plan.split_files,
                &changes(&["e.py"])
            ),
            ["t/test_e.py", "t/test_slow.py"]
        );
    }

    #[test]
    fn a_list_file_is_read_and_a_missing_one_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("changed.txt");
        std::fs::write(&path, "src/foo.py\n\n  tests/test_bar.py \r\n").unwrap();
        let c = Changes::read(&path).unwrap();
        assert_eq!(c.len(), 2);
        assert!(c.touches("tests/test_bar.py"));
        let err = Changes::read(&dir.path().join("nope.txt")).unwrap_err();
        assert!(
            err.to_string().starts_with("--changed-files: ")
                && err.to_string().contains("nope.txt: cannot read it"),
            "{err}"
        );
    }
}
