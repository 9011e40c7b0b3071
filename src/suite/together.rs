//! Files that must share a shard, kept in one item each.
//!
//! vitest reads each file it is given as a case-insensitive substring of
//! the test files' paths: a shard given `test/server.test.js` also runs
//! `packages/core/test/server.test.js` (and `test/server.test.js.test.js`,
//! `a.test.ts` beside `a.test.tsx`). Planned in two shards, such a file ran
//! in both, at once: twice the work, counted as two attempts, and a green
//! suite failed where the file holds a fixed port. Planned together, the
//! filter only names files its shard runs anyway.
//!
//! pytest imports a test file outside any package under its bare name:
//! `tests/a/test_x.py` and `tests/b/test_x.py` with no `__init__.py` are
//! both `test_x`, and one process of both fails to collect the second
//! (`import file mismatch`) every run. In two shards they never met, and
//! such a suite read green from `--shards 2` where pytest fails it (round
//! 61). Planned together, the shard fails as pytest does.

use std::collections::BTreeMap;
use std::path::Path;

use aho_corasick::AhoCorasick;

use super::split::{Item, Plan};

/// What an item standing for a group is called until [`expand`]: no test
/// file's path starts with a NUL.
const GROUP: &str = "\u{0}together:";

/// Which files must share a shard.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Together {
    /// One's path holds another's, case aside (a substring filter).
    Substrings,
    /// Both are imported under one module name (pytest's default import
    /// mode, from the working directory's files).
    ModuleNames,
}

/// Disjoint sets of file indices.
struct Sets(Vec<usize>);

impl Sets {
    fn root(&mut self, mut i: usize) -> usize {
        while self.0[i] != i {
            self.0[i] = self.0[self.0[i]];
            i = self.0[i];
        }
        i
    }

    fn join(&mut self, a: usize, b: usize) {
        let (a, b) = (self.root(a), self.root(b));
        self.0[a.max(b)] = a.min(b);
    }
}

/// Files grouped into one item each where `rule` says they must share a
/// shard, and each group's files by the group's item id.
pub fn group(files: &[Item], rule: Together) -> (Vec<Item>, BTreeMap<String, Vec<String>>) {
    let mut sets = Sets((0..files.len()).collect());
    match rule {
        Together::Substrings => join_substrings(files, &mut sets),
        Together::ModuleNames => join_module_names(files, &mut sets),
    }
    let mut members: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for i in 0..files.len() {
        let r = sets.root(i);
        members.entry(r).or_default().push(i);
    }
    let mut items = Vec::new();
    let mut groups = BTreeMap::new();
    for indices in members.into_values() {
        if let [one] = indices[..] {
            items.push(files[one].clone());
            continue;
        }
        let mut ids: Vec<String> = indices.iter().map(|&i| files[i].id.clone()).collect();
        ids.sort();
        let id = format!("{GROUP}{}", ids[0]);
        let seconds = indices.iter().map(|&i| files[i].seconds).sum();
        items.push(Item::new(id.clone(), seconds));
        groups.insert(id, ids);
    }
    (items, groups)
}

fn join_substrings(files: &[Item], sets: &mut Sets) {
    let keys: Vec<String> = files
        .iter()
        .map(|f| f.id.replace('\\', "/").to_lowercase())
        .collect();
    // Every path searched once for all the others. With n² `contains`
    // calls, 2,800 paths took 0.42 s to group (dev build); this, 0.06 s.
    match AhoCorasick::new(&keys) {
        Ok(paths) => {
            for (long, key) in keys.iter().enumerate() {
                for found in paths.find_overlapping_iter(key.as_str()) {
                    let short = found.pattern().as_usize();
                    if keys[short].len() < key.len() {
                        sets.join(short, long);
                    }
                }
            }
        }
        Err(e) => tracing::warn!("files a vitest filter would also run were not grouped: {e}"),
    }
}

fn join_module_names(files: &[Item], sets: &mut Sets) {
    let mut first: BTreeMap<String, usize> = BTreeMap::new();
    for (i, file) in files.iter().enumerate() {
        let Some(name) = module_name(Path::new(&file.id)) else {
            continue;
        };
        match first.get(&name) {
            Some(&j) => sets.join(j, i),
            None => {
                first.insert(name, i);
            }
        }
    }
}

/// The name pytest's default (`prepend`) import mode imports a Python
/// file under: its stem, below the packages (folders with an
/// `__init__.py`) that hold it. None for what is no Python file.
fn module_name(file: &Path) -> Option<String> {
    if file.extension().is_none_or(|e| e != "py") {
        return None;
    }
    let mut parts = vec![file.file_stem()?.to_string_lossy().into_owned()];
    let mut dir = file.parent();
    while let Some(d) = dir.filter(|d| !d.as_os_str().is_empty() && d.join("__init__.py").is_file())
    {
        parts.push(d.file_name()?.to_string_lossy().into_owned());
        dir = d.parent();
    }
    parts.reverse();
    Some(parts.join("."))
}

/// `plan` with each group's item replaced by its files.
pub fn expand(plan: &mut Plan, groups: &BTreeMap<String, Vec<String>>) {
    if groups.is_empty() {
        return;
    }
    for shard in &mut plan.shards {
        let mut items = Vec::with_capacity(shard.items.len());
        for item in shard.items.drain(..) {
            match groups.get(&item) {
                Some(files) => items.extend(files.iter().cloned()),
                None => items.push(item),
            }
        }
        items.sort();
        shard.items = items;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn items(ids: &[(&str, f64)]) -> Vec<Item> {
        ids.iter().map(|(id, s)| Item::new(*id, *s)).collect()
    }

    #[test]
    fn files_pytest_imports_under_one_name_go_together() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for file in [
            "tests/a/test_x.py",
            "tests/b/test_x.py",
            "tests/pa/__init__.py",
            "tests/pa/test_y.py",
            "tests/pb/__init__.py",
            "tests/pb/test_y.py",
            "tests/test_z.py",
        ] {
            std::fs::create_dir_all(root.join(file).parent().unwrap()).unwrap();
            std::fs::write(root.join(file), "").unwrap();
        }
        let path = |file: &str| root.join(file).display().to_string();
        let files: Vec<Item> = [
            "tests/a/test_x.py",
            "tests/b/test_x.py",
            "tests/pa/test_y.py",
            "tests/pb/test_y.py",
            "tests/test_z.py",
        ]
        .iter()
        .map(|f| Item::new(path(f), 1.0))
        .collect();
        assert_eq!(
            module_name(Path::new(&path("tests/pa/test_y.py"))).as_deref(),
            Some("pa.test_y")
        );
        let (grouped, groups) = group(&files, Together::ModuleNames);
        // `test_x` twice; `pa.test_y` and `pb.test_y` differ.
        assert_eq!(grouped.len(), 4);
        assert_eq!(
            groups.values().cloned().collect::<Vec<_>>(),
            [vec![path("tests/a/test_x.py"), path("tests/b/test_x.py")]]
        );
        assert_eq!(module_name(Path::new("tests/x.test.js")), None);
    }

    #[test]
    fn files_one_filter_would_also_run_go_together() {
        let files = items(&[
            ("test/server.test.js", 1.0),
            ("packages/core/test/server.test.js", 3.0),
            ("test/other.test.js", 3.0),
            ("a.test.ts", 1.0),
            ("A.test.tsx", 2.0),
            ("packages/a/src/index.test.ts", 1.0),
            ("packages/b/src/index.test.ts", 1.0),
        ]);
        let (grouped, groups) = group(&files, Together::Substrings);
        assert_eq!(grouped.len(), 5);
        assert_eq!(
            groups.values().cloned().collect::<Vec<_>>(),
            [
                vec!["A.test.tsx".to_owned(), "a.test.ts".to_owned()],
                vec![
                    "packages/core/test/server.test.js".to_owned(),
                    "test/server.test.js".to_owned()
                ],
            ]
        );
        let mut plan = crate::suite::split::split(&grouped, 3).unwrap();
        expand(&mut plan, &groups);
        let with = |file: &str| {
            plan.shards
                .iter()
                .position(|s| s.items.iter().any(|i| i == file))
        };
        assert_eq!(
            with("test/server.test.js"),
            with("packages/core/test/server.test.js")
        );
        assert_eq!(with("a.test.ts"), with("A.test.tsx"));
        let all: usize = plan.shards.iter().map(|s| s.items.len()).sum();
        assert_eq!(all, files.len());
        assert!(
            plan.shards
                .iter()
                .all(|s| s.items.windows(2).all(|w| w[0] < w[1]))
        );
    }
}
