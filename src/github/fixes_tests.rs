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
        fingerprint: format!("{priority:016x}"),
        priority,
        category: "assertion".into(),
        specialty: "test".into(),
        tests: 1,
        fixes,
        advice: Vec::new(),
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
    // Nothing through a symlink (out of the tree, or to its own `.git`),
    // nothing in `.git`: what is located is quoted on the pull request.
    std::fs::create_dir(root.join(".git")).unwrap();
    std::fs::write(root.join(".git/config"), "[core]\n\tbare = false\n").unwrap();
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink("/", root.join("sysroot")).unwrap();
        std::os::unix::fs::symlink(root.join(".git"), root.join("g")).unwrap();
        assert_eq!(locate(root, &edit("sysroot/etc/passwd", "root", "")), None);
        assert_eq!(locate(root, &edit("g/config", "bare", "")), None);
    }
    assert_eq!(locate(root, &edit(".git/config", "bare", "")), None);
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
    let hunks = Hunks::from_patches([("shop/cart.py", Some(CART_PATCH))]);
    let suggestions = fixes.suggestions(&hunks, dir.path());
    assert_eq!(suggestions.len(), 1, "the verified edit inside the diff");
    let s = &suggestions[0];
    assert_eq!(
        (s.edit.file.as_str(), s.first, s.last),
        ("shop/cart.py", 5, 5)
    );
    assert_eq!(s.text, "    return s");
    assert_eq!(s.key().len(), 16);

    // Posted: the comment links to it instead of showing it.
    let posted = Posted::from([(s.key(), Some("https://github.com/r/pull/7#r1".to_string()))]);
    let md = fixes.markdown(Some(&hunks), &posted, dir.path());
    let verified = md.find("**verified**").expect(&md);
    let unverified = md.find("**unverified**").expect(&md);
    assert!(verified < unverified, "verified first: {md}");
    assert!(
        md.contains(
            "**shop/cart.py**, line 5: in this pull request's diff, posted as [a review suggestion](https://github.com/r/pull/7#r1) (one click commits it)."
        ),
        "{md}"
    );
    assert!(
        !md.contains("suggestion\n"),
        "no suggestion block in the comment: {md}"
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

    // Not posted (the review was refused): a diff, said to be in the diff.
    let md = fixes.markdown(Some(&hunks), &Posted::new(), dir.path());
    assert!(
        md.contains("line 5, in this pull request's diff):\n\n```diff\n@@ -5,1 +5,1 @@\n-    return s + 1\n+    return s\n```"),
        "{md}"
    );
}

/// Lines 3-5 of `checkout()`'s cart.py, line 4 changed.
const CART_PATCH: &str = "@@ -3,3 +3,3 @@ def total(items):\n     for i in items:\n-        s -= i\n+        s += i\n     return s + 1";

#[test]
fn only_verified_whole_line_edits_matching_the_head_are_suggestions() {
    let dir = checkout();
    let verified = |search: &str, replace: &str| {
        group(
            1,
            vec![fix("verified", vec![edit("shop/cart.py", search, replace)])],
        )
    };
    let hunks = Hunks::from_patches([("shop/cart.py", Some(CART_PATCH))]);
    let count = |g: FixGroup| {
        Fixes { groups: vec![g] }
            .suggestions(&hunks, dir.path())
            .len()
    };
    assert_eq!(
        count(verified(
            "        s += i\n    return",
            "        s += 2 * i\n    return"
        )),
        1
    );
    assert_eq!(
        count(verified("    s = 0\n", "    s = 1\n")),
        0,
        "outside the diff"
    );
    assert_eq!(
        count(verified("    return s + 1\n", "    return s\u{202e}\n")),
        0,
        "a direction override"
    );
    assert_eq!(
        count(verified("    return s + 1\n", "    return s")),
        0,
        "joins two lines"
    );
    // The PR head's line 5 differs from the checkout's (a merge commit).
    let moved = Hunks::from_patches([(
        "shop/cart.py",
        Some(
            "@@ -3,3 +3,3 @@\n     for i in items:\n-        s -= i\n+        s += i\n     return s + 2",
        ),
    )]);
    let fixes = Fixes {
        groups: vec![verified("    return s + 1\n", "    return s\n")],
    };
    assert!(fixes.suggestions(&moved, dir.path()).is_empty());
    // A multi-line suggestion keeps its range; deleting lines is an empty one.
    let fixes = Fixes {
        groups: vec![verified("    for i in items:\n        s += i\n", "")],
    };
    let s = fixes.suggestions(&hunks, dir.path());
    assert_eq!((s[0].first, s[0].last, s[0].text.as_str()), (3, 4, ""));
    assert_eq!(fenced(&s[0].text, "suggestion"), "```suggestion\n```");
}

#[test]
fn a_fence_inside_a_fix_cannot_close_its_block() {
    let hostile = "    return s\n```\n@team <img src=x> ::error::x\n````";
    let block = fenced(hostile, "suggestion");
    assert_eq!(
        block,
        "`````suggestion\n    return s\n```\n@team <img src=x> ::error::x\n````\n`````"
    );
    let lines: Vec<&str> = block.lines().collect();
    assert!(
        lines[1..lines.len() - 1]
            .iter()
            .all(|l| !l.starts_with("`````"))
    );
    assert_eq!(
        fenced("a\u{202e}b\u{1b}", "diff"),
        "```diff\na\\u{202e}b\\u{1b}\n```"
    );
}

#[test]
fn advice_is_escaped_bounded_and_shown_by_group() {
    let mut g = group(1, Vec::new());
    g.advice = vec![Advice {
        model: "m@x".into(),
        text: format!("Check `total` @team <img src=x>\n\n{}", "more\n".repeat(40)),
    }];
    let fixes = Fixes { groups: vec![g] };
    let md = fixes.advice_for("0000000000000001");
    assert!(md.starts_with("**Model advice** (m@\u{200b}x; not verified):\n\n> Check \\`total\\` @\u{200b}team \\<img src=x\\>\n>\n> more\n"), "{md}");
    assert!(
        md.contains("> … (cut; the triage document has it all)"),
        "{md}"
    );
    assert!(md.lines().count() < 25, "{md}");
    assert_eq!(fixes.advice_for("ffffffffffffffff"), "");
    let other = fixes.other_advice(&Default::default());
    assert!(
        other.starts_with(
            "### Model advice\n\n**#1 assertion · test** (1 test(s)):\n\n**Model advice**"
        ),
        "{other}"
    );
    assert_eq!(fixes.other_advice(&["0000000000000001"].into()), "");
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
    let md = fixes.markdown(None, &Posted::new(), dir.path());
    assert!(md.contains("… and 20 more fix(es)"), "{}", &md[..2000]);
    assert!(md.len() < 10 * (EDIT_LINES + 2) * 100, "{}", md.len());
}

#[test]
fn every_verified_fix_in_the_diff_is_suggested_not_only_the_shown_ones() {
    let dir = checkout();
    let hunks = Hunks::from_patches([("shop/cart.py", Some(CART_PATCH))]);
    let with = |groups: u64| Fixes {
        groups: (1..=groups)
            .map(|p| {
                let replace = format!("    return s + {p}\n");
                group(
                    p,
                    vec![fix(
                        "verified",
                        vec![edit("shop/cart.py", "    return s + 1\n", &replace)],
                    )],
                )
            })
            .collect(),
    };
    let twelve = with(12);
    let suggestions = twelve.suggestions(&hunks, dir.path());
    assert_eq!(
        suggestions.len(),
        12,
        "beyond the {SHOWN} the comment shows"
    );
    assert_eq!(suggestions[11].text, "    return s + 12", "priority order");
    let many = with(SUGGESTED as u64 + 5);
    assert_eq!(many.suggestions(&hunks, dir.path()).len(), SUGGESTED);
}
