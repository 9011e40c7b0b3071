//! The user's own selection in the runner's command (go packages and
//! flags, nextest's filtersets and name filters) decides what runs; the
//! shards only divide it. Beside the shard's own selection it used to be
//! added to it: `go test ./...` ran every test once per shard, and a
//! nextest `-E` ran the union of the user's set and the shard's.

use std::fs;
use std::path::Path;
use std::process::Output;

use serde_json::Value;

mod common;
use common::cli::{has_go, has_nextest};

fn text(output: &Output) -> String {
    format!(
        "stdout:\n{}\nstderr:\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// `pitcrew test ARGS -- COMMAND` in `root` with `env`: its exit code and
/// the merged results' test names, sorted.
fn run(root: &Path, env: &[(&str, &Path)], args: &[&str], command: &[&str]) -> (i32, Vec<String>) {
    let mut cmd = common::cli::command(root);
    for (key, value) in env {
        cmd.env(key, value);
    }
    let out = cmd
        .arg("test")
        .args(args)
        .arg("--")
        .args(command)
        .output()
        .unwrap();
    let results = fs::read_to_string(root.join("pitcrew-results.json"))
        .unwrap_or_else(|e| panic!("{e}\n{}", text(&out)));
    let merged: Value = serde_json::from_str(&results).unwrap();
    let mut names: Vec<String> = merged["tests"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["key"]["name"].as_str().unwrap().to_owned())
        .collect();
    names.sort();
    (out.status.code().unwrap_or(-1), names)
}

/// A module with packages `a` (TestA) and `b` (TestB, and TestTagged
/// behind the `integ` build tag).
fn go_module(root: &Path) {
    fs::write(root.join("go.mod"), "module example.com/sel\n\ngo 1.18\n").unwrap();
    for (dir, file, body) in [
        (
            "a",
            "a_test.go",
            "package a\n\nimport \"testing\"\n\nfunc TestA(t *testing.T) {}\n",
        ),
        ("a", "a.go", "package a\n\nfunc A() int { return 1 }\n"),
        ("b", "b.go", "package b\n\nfunc B() int { return 2 }\n"),
        (
            "b",
            "b_test.go",
            "package b\n\nimport \"testing\"\n\nfunc TestB(t *testing.T) {}\n",
        ),
        (
            "b",
            "tagged_test.go",
            "//go:build integ\n\npackage b\n\nimport \"testing\"\n\nfunc TestTagged(t *testing.T) {}\n",
        ),
    ] {
        fs::create_dir_all(root.join(dir)).unwrap();
        fs::write(root.join(dir).join(file), body).unwrap();
    }
}

#[test]
fn go_packages_and_flags_of_the_command_are_the_users_selection() {
    if !has_go() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    go_module(root);
    let cache = root.join(".gocache");
    let env: &[(&str, &Path)] = &[("GOCACHE", &cache)];
    let shards = ["--shards", "2", "--retries", "0"];
    // Packages named: each test once, not once per shard.
    let (code, names) = run(root, env, &shards, &["go", "test", "./..."]);
    assert_eq!((code, names), (0, vec!["TestA".into(), "TestB".into()]));
    // A flag's value in the next word is no package.
    let (code, names) = run(
        root,
        env,
        &shards,
        &["go", "test", "-count", "1", "./a", "./b"],
    );
    assert_eq!((code, names), (0, vec!["TestA".into(), "TestB".into()]));
    // A package in which `-run` selects nothing ran, and is no problem.
    let (code, names) = run(
        root,
        env,
        &shards,
        &["go", "test", "-run", "TestA", "./..."],
    );
    assert_eq!((code, names), (0, vec!["TestA".into()]));
    // `-tags` reaches the listing and the run: the tagged test runs.
    let (code, names) = run(
        root,
        env,
        &shards,
        &["go", "test", "-tags", "integ", "./..."],
    );
    assert_eq!(
        (code, names),
        (0, vec!["TestA".into(), "TestB".into(), "TestTagged".into()])
    );
    // A coverage profile holds every shard's packages: each go process
    // wrote it over the last (one shard's packages, or lines interleaved).
    let (code, _) = run(
        root,
        env,
        &shards,
        &["go", "test", "-coverprofile=c.out", "./..."],
    );
    assert_eq!(code, 0);
    let profile = fs::read_to_string(root.join("c.out")).unwrap();
    assert!(profile.starts_with("mode: set\n"), "{profile}");
    assert_eq!(profile.matches("mode:").count(), 1, "{profile}");
    for package in ["example.com/sel/a/a.go", "example.com/sel/b/b.go"] {
        assert!(profile.contains(package), "{package}: {profile}");
    }
    let parts = fs::read_dir(root)
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .contains(".pitcrew-")
        })
        .count();
    assert_eq!(parts, 0, "the parts are merged away");
    // A part an interrupted run left is not merged into the next profile,
    // and `-outputdir` is where go writes the profile and its parts.
    fs::create_dir(root.join("out")).unwrap();
    fs::write(
        root.join("out/c.out.pitcrew-0000stale"),
        "mode: set\nexample.com/sel/gone/gone.go:1.1,2.2 1 1\n",
    )
    .unwrap();
    let (code, _) = run(
        root,
        env,
        &shards,
        &[
            "go",
            "test",
            "-outputdir",
            "out",
            "-coverprofile=c.out",
            "./...",
        ],
    );
    assert_eq!(code, 0);
    let profile = fs::read_to_string(root.join("out/c.out")).unwrap();
    assert!(profile.contains("example.com/sel/b/b.go"), "{profile}");
    assert!(!profile.contains("gone.go"), "{profile}");
    let left = fs::read_dir(root.join("out")).unwrap().count();
    assert_eq!(left, 1, "only out/c.out");
    // `go test` alone tests the current folder's package, as go does: in
    // a/, TestA only (it was the module's every package).
    let (code, names) = run(&root.join("a"), env, &shards, &["go", "test"]);
    assert_eq!((code, names), (0, vec!["TestA".into()]));
    // At the module's root, whose package has no test, it says so and why.
    fs::write(root.join("doc.go"), "package m\n").unwrap();
    let out = common::cli::command(root)
        .env("GOCACHE", &cache)
        .args(["test", "--", "go", "test"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(
        text(&out).contains("`go test ./...` tests them all"),
        "{}",
        text(&out)
    );
}

#[test]
fn nextest_filtersets_and_ignored_binaries_are_the_users_selection() {
    if !has_nextest() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::write(
        root.join("Cargo.toml"),
        "[package]\nname = \"sel\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[workspace]\n",
    )
    .unwrap();
    fs::create_dir_all(root.join("src")).unwrap();
    fs::create_dir_all(root.join("tests")).unwrap();
    fs::write(
        root.join("src/lib.rs"),
        "#[cfg(test)]\nmod tests {\n    #[test]\n    fn unit_one() {}\n    #[test]\n    fn other() {}\n    #[test]\n    #[ignore]\n    fn unit_ignored() {}\n}\n",
    )
    .unwrap();
    fs::write(
        root.join("tests/more.rs"),
        "#[test]\nfn unit_two() {}\n#[test]\nfn more() {}\n",
    )
    .unwrap();
    // A binary whose one test is ignored: nextest runs nothing of it.
    fs::write(
        root.join("tests/slow.rs"),
        "#[test]\n#[ignore]\nfn only_ignored() {}\n",
    )
    .unwrap();
    let target = root.join("target");
    let env: &[(&str, &Path)] = &[("CARGO_TARGET_DIR", &target)];
    let shards = ["--shards", "2", "--retries", "0"];
    let (code, names) = run(root, env, &shards, &["cargo", "nextest", "run"]);
    assert_eq!(
        (code, names),
        (
            0,
            vec![
                "more".into(),
                "tests::other".into(),
                "tests::unit_ignored".into(),
                "tests::unit_one".into(),
                "unit_two".into()
            ]
        ),
        "the binary with only an ignored test is not planned"
    );
    // An ignored test is a skipped test, as nextest counts it.
    let merged: Value =
        serde_json::from_str(&fs::read_to_string(root.join("pitcrew-results.json")).unwrap())
            .unwrap();
    let ignored = merged["tests"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["key"]["name"] == "tests::unit_ignored")
        .unwrap();
    assert_eq!(ignored["outcome"], "skipped", "{ignored}");
    // Options only `run` takes (`--retries`, `-j`) are no listing's: with
    // them, `cargo nextest list` refused to run and so did pitcrew.
    let (code, names) = run(
        root,
        env,
        &shards,
        &[
            "cargo",
            "nextest",
            "run",
            "--retries",
            "1",
            "-j",
            "1",
            "-E",
            "test(unit)",
        ],
    );
    assert_eq!(
        (code, names),
        (
            0,
            // The ignored test matches the user's filterset: skipped, counted.
            vec![
                "tests::unit_ignored".into(),
                "tests::unit_one".into(),
                "unit_two".into()
            ]
        )
    );
}

/// The test paths in a pytest command (a file, a folder, node ids) scope
/// what runs; each shard runs its part of them. Beside them, a shard ran
/// the user's file and its own (each test twice), and a node id's whole
/// file.
#[test]
fn pytest_paths_and_node_ids_are_the_users_selection() {
    if !common::cli::has_pytest() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::create_dir_all(root.join("tests")).unwrap();
    fs::write(
        root.join("tests/test_a.py"),
        "def test_x(): pass\ndef test_y(): assert 0\ndef test_z(): pass\n",
    )
    .unwrap();
    fs::write(root.join("tests/test_b.py"), "def test_b(): pass\n").unwrap();
    let names = |v: &[&str]| v.iter().map(|s| (*s).to_owned()).collect::<Vec<String>>();
    for shards in ["1", "2"] {
        let args = ["--shards", shards, "--retries", "0"];
        let pytest = |paths: &[&str]| {
            let mut command = vec!["python3", "-m", "pytest", "-q"];
            command.extend_from_slice(paths);
            run(root, &[], &args, &command)
        };
        assert_eq!(
            pytest(&["tests/test_a.py::test_x"]),
            (0, names(&["test_x"])),
            "{shards} shard(s)"
        );
        assert_eq!(
            pytest(&["tests/test_a.py"]),
            (1, names(&["test_x", "test_y", "test_z"])),
            "{shards} shard(s)"
        );
        assert_eq!(
            pytest(&["tests/test_a.py::test_x", "tests/test_b.py"]),
            (0, names(&["test_b", "test_x"])),
            "{shards} shard(s)"
        );
        assert_eq!(
            pytest(&["tests/"]),
            (1, names(&["test_b", "test_x", "test_y", "test_z"])),
            "{shards} shard(s)"
        );
    }
}
