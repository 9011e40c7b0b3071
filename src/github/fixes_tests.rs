use super::*;

fn edit(file: &str, search: &str, replace: &str) -> Edit {
    Edit {
        file: file.into(),
        search: search.into(),
        replace: replace.into(),
    }
}

fn fix(status: &str, edits: Vec<Edit>) -> Fix {
    Fix {
        status: status.into(),
        reason: "the failing tests pass".into(),
        votes: 2,
        model: "m".into(),
        edits,
    }
}

fn group(priority: u64, fixes: Vec<Fix>) -> FixGroup {
    FixGroup {
        priority,
        category: "assertion".into(),
        specialty: "test".into(),
        tests: 1,
        fixes,
    }
}

/// A checkout holding `shop/cart.py` (lines 1..=6).
fn checkout() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("shop")).unwrap();
    std::fs::write(
        dir.path().join("shop/cart.py"),
        "def total(items):\n    s = 0\n    for i in items:\n        s += i\n    return s + 1\n\n",
    )
    .unwrap();
    dir
}

#[test]
fn hunks_are_the_new_sides_ranges() {
    let hunks = Hunks::from_patches([
        (
            "shop/cart.py",
            Some("@@ -1,3 +1,4 @@ def\n x\n+y\n@@ -20 +30,2 @@\n-a\n+b\n+c"),
        ),
        ("logo.png", None),
        ("gone.py", Some("@@ -1,3 +0,0 @@\n-a\n-b\n-c")),
    ]);
    assert!(hunks.contains("shop/cart.py", 1, 4));
    assert!(hunks.contains("shop/cart.py", 30, 31));
    assert!(!hunks.contains("shop/cart.py", 4, 5), "across a hunk's end");
    assert!(!hunks.contains("shop/cart.py", 29, 30));
    assert!(!hunks.contains("logo.png", 1, 1));
    assert!(!hunks.contains("gone.py", 1, 1));
}

#[test]
fn an_edit_is_located_only_when_its_text_occurs_once_inside_the_tree() {
    let dir = checkout();
    let root = dir.path();
    assert_eq!(
        locate(root, &edit("shop/cart.py", "    return s + 1\n", "")),
        Some((5, 5))
    );
    assert_eq!(
        locate(root, &edit("shop/cart.py", "    s = 0\n    for i", "")),
        Some((2, 3))
    );
    assert_eq!(locate(root, &edit("shop/cart.py", "s", "")), None, "twice");
    assert_eq!(locate(root, &edit("shop/missing.py", "x", "")), None);
    assert_eq!(
        locate(root, &edit("../cart.py", "return", "")),
        None,
        "outside the tree"
    );
    assert_eq!(locate(root, &edit("/etc/passwd", "root", "")), None);
}

#[test]
fn inside_the_diff_a_suggestion_outside_a_diff_and_verified_first() {
    let dir = checkout();
    let fixes = Fixes {
        groups: vec![
            group(
                1,
                vec![fix(
                    "unverified",
                    vec![edit("shop/cart.py", "    s = 0\n", "    s = 1\n")],
                )],
            ),
            group(
                2,
                vec![
                    fix(
                        "verified",
                        vec![edit("shop/cart.py", "    return s + 1\n", "    return s\n")],
                    ),
                    fix("failed", vec![edit("shop/cart.py", "a", "b")]),
                ],
            ),
        ],
    };
    let hunks = Hunks::from_patches([("shop/cart.py", Some("@@ -3,3 +3,3 @@"))]);
    let md = fixes.markdown(Some(&hunks), dir.path());
    let verified = md.find("**verified**").expect(&md);
    let unverified = md.find("**unverified**").expect(&md);
    assert!(verified < unverified, "verified first: {md}");
    assert!(
        md.contains(
            "**shop/cart.py**, line 5: in this pull request's diff, as a suggestion for those lines:\n\n```suggestion\n    return s\n```"
        ),
        "{md}"
    );
    assert!(
        md.contains("line 2, outside this pull request's diff):\n\n```diff\n@@ -2,1 +2,1 @@\n-    s = 0\n+    s = 1\n```"),
        "{md}"
    );
    assert!(md.contains("1 candidate(s) failed verification"), "{md}");
    assert!(
        !md.contains("\n-a\n"),
        "failed fixes are only counted: {md}"
    );

    // Without the PR's hunks (the check run), every edit is a diff.
    let md = fixes.markdown(None, dir.path());
    assert!(!md.contains("suggestion\n"), "{md}");
}

#[test]
fn a_fence_inside_a_fix_cannot_close_its_block() {
    let dir = checkout();
    let hostile = "    return s\n```\n@team <img src=x> ::error::x\n````";
    let fixes = Fixes {
        groups: vec![group(
            1,
            vec![fix(
                "verified",
                vec![edit("shop/cart.py", "    return s + 1\n", hostile)],
            )],
        )],
    };
    let hunks = Hunks::from_patches([("shop/cart.py", Some("@@ -1,6 +1,6 @@"))]);
    let md = fixes.markdown(Some(&hunks), dir.path());
    assert!(
        md.contains(
            "`````suggestion\n    return s\n```\n@team <img src=x> ::error::x\n````\n`````"
        ),
        "{md}"
    );
    let lines: Vec<&str> = md.lines().collect();
    let open = lines.iter().position(|l| *l == "`````suggestion").unwrap();
    let close = lines.iter().rposition(|l| *l == "`````").unwrap();
    assert!(
        lines[open + 1..close]
            .iter()
            .all(|l| !l.starts_with("`````")),
        "{md}"
    );
}

#[test]
fn bad_documents_name_the_field() {
    let cases = [
        (serde_json::json!({}), "groups: missing"),
        (
            serde_json::json!({"groups": [{"priority": 1, "category": "x", "specialty": "y", "tests": []}]}),
            "groups[0].suggestions: missing",
        ),
        (
            serde_json::json!({"groups": [{"priority": 1, "category": "x", "specialty": "y", "tests": [],
                "suggestions": [{"status": "advice", "text": "t"}, {"status": "verified", "reason": "r", "votes": 1, "model": "m",
                "edits": [{"file": "a", "search": 3, "replace": ""}]}]}]}),
            "groups[0].suggestions[1].edits[0].search: not a string",
        ),
        (
            serde_json::json!({"groups": [{"priority": "high", "category": "x", "specialty": "y", "tests": [], "suggestions": []}]}),
            "groups[0].priority: not a non-negative integer",
        ),
    ];
    for (json, want) in cases {
        assert_eq!(Fixes::from_json(&json).unwrap_err(), want);
    }
}

#[test]
fn many_fixes_are_bounded() {
    let dir = checkout();
    let fixes = Fixes {
        groups: (1..=30)
            .map(|p| {
                group(
                    p,
                    vec![fix(
                        "verified",
                        vec![edit("shop/cart.py", &"x\n".repeat(500), &"y".repeat(5000))],
                    )],
                )
            })
            .collect(),
    };
    let md = fixes.markdown(None, dir.path());
    assert!(md.contains("… and 20 more fix(es)"), "{}", &md[..2000]);
    assert!(md.len() < 10 * (EDIT_LINES + 2) * 100, "{}", md.len());
}
