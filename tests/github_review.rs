//! `pitcrew report --triage` on a pull request, against the local GitHub
//! REST server: verified fixes inside the PR's diff become one review of
//! suggestions (never posted twice), the others stay diffs in the sticky
//! comment, and a token that cannot review degrades to a warning.

mod common;

use std::path::Path;
use std::process::{Command, Output};

use common::github_server::{Reply, Server};
use serde_json::{Value, json};

const TOKEN: &str = "ghs_review_token_for_tests";
const REVIEWS: &str = "/repos/acme/widgets/pulls/7/reviews";
const REVIEW_COMMENTS: &str = "/repos/acme/widgets/pulls/7/comments";

/// `pitcrew report ARGS` in `dir` inside a `pull_request` workflow for PR 7
/// (head `head-sha`), publishing to `api`, with none of the caller's
/// GitHub variables.
fn report(dir: &Path, api: &Server, args: &[&str]) -> Output {
    let event = dir.join("event.json");
    let payload = json!({
        "repository": { "full_name": "acme/widgets" },
        "pull_request": { "number": 7, "head": { "sha": "head-sha", "repo": { "full_name": "acme/widgets" } } }
    });
    std::fs::write(&event, payload.to_string()).expect("payload");
    let mut command = Command::new(env!("CARGO_BIN_EXE_pitcrew"));
    command.arg("report").args(args).current_dir(dir);
    for (name, _) in std::env::vars() {
        if name.starts_with("GITHUB_") || name == "RUNNER_TEMP" {
            command.env_remove(name);
        }
    }
    command
        .env("PITCREW_NO_CACHE", "1")
        .env("PITCREW_GITHUB_MAX_WAIT_MS", "10")
        .env_remove("PITCREW_LOG")
        .env("GITHUB_ACTIONS", "true")
        .env("GITHUB_TOKEN", TOKEN)
        .env("GITHUB_REPOSITORY", "acme/widgets")
        .env("GITHUB_API_URL", &api.url)
        .env("GITHUB_SERVER_URL", "https://github.example")
        .env("GITHUB_EVENT_NAME", "pull_request")
        .env("GITHUB_EVENT_PATH", &event)
        .env("GITHUB_SHA", "merge-sha")
        .env("GITHUB_STEP_SUMMARY", dir.join("summary.md"))
        .env("GITHUB_OUTPUT", dir.join("output.txt"));
    command.output().expect("pitcrew runs")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// A failing test, the checkout's `shop/cart.py`, the PR's diff (lines
/// 3-5 of cart.py, and a binary file with no patch) and a triage document:
/// verified fixes on line 5 (hostile backticks), lines 3-4, line 2 (outside
/// the diff) and the logo, plus the model's advice.
fn pull_request_with_fixes(dir: &Path, api: &Server) {
    let junit = r#"<testsuite name="s"><testcase classname="c" name="test_total" file="tests/test_cart.py" time="0.5"><failure message="assert 3 == 4">assert 3 == 4</failure></testcase></testsuite>"#;
    std::fs::write(dir.join("results.xml"), junit).expect("junit");
    std::fs::create_dir(dir.join("shop")).expect("dir");
    std::fs::write(
        dir.join("shop/cart.py"),
        "def total(items):\n    s = 0\n    for i in items:\n        s += i\n    return s + 1\n",
    )
    .expect("source");
    std::fs::write(dir.join("logo.png"), "PNG").expect("binary");
    api.route_paged(
        "/repos/acme/widgets/pulls/7/files",
        vec![
            json!({"filename": "logo.png", "status": "modified"}),
            json!({"filename": "shop/cart.py", "status": "modified",
                   "patch": "@@ -3,3 +3,3 @@ def total(items):\n     for i in items:\n-        s -= i\n+        s += i\n     return s + 1"}),
        ],
        None,
    );
    let fix = |file: &str, search: &str, replace: &str| {
        json!({"status": "verified", "reason": "the failing tests pass", "votes": 2, "model": "fixer:7b",
               "edits": [{"file": file, "search": search, "replace": replace}]})
    };
    let triage = json!({
        "failures": 1, "root_causes": 1, "headline": "1 failure, 1 root cause", "suggestions": "on",
        "groups": [{
            "fingerprint": "0123456789abcdef", "category": "assertion", "specialty": "test",
            "language": "python", "priority": 1, "why": [], "touched": true,
            "tests": ["tests/test_cart.py > c > test_total"], "message": "assert 3 == 4",
            "signature": {"line": "assert", "frames": []},
            "route": {"model": "fixer:7b", "served_by": "fixer:7b@x", "reason": "first choice"},
            "suggestions": [
                fix("shop/cart.py", "    return s + 1\n", "    return s  # ```` @team\n"),
                fix("shop/cart.py", "    for i in items:\n        s += i\n", "    for i in items:\n        s += 2 * i\n"),
                fix("shop/cart.py", "    s = 0\n", "    s = 1\n"),
                fix("logo.png", "PNG", "GIF"),
                {"status": "advice", "model": "fixer:7b", "served_by": "fixer:7b@x",
                 "text": "Check the loop: @team <b>off by one</b>"}
            ]
        }]
    });
    std::fs::write(dir.join("triage.json"), triage.to_string()).expect("triage");
}

const ARGS: &[&str] = &["--no-classify", "--triage", "triage.json", "results.xml"];

fn posts_to(api: &Server, path: &str) -> Vec<Value> {
    api.requests()
        .iter()
        .filter(|r| r.method == "POST" && r.path == path)
        .map(common::github_server::Request::json)
        .collect()
}

/// A comment's body without its marker line, after checking the marker.
fn unmarked(body: &str) -> &str {
    let rest = body
        .strip_prefix("<!-- pitcrew:suggestion key=")
        .expect(body);
    let (key, rest) = rest.split_once(" -->\n").expect(body);
    assert!(
        key.len() == 16 && key.chars().all(|c| c.is_ascii_hexdigit()),
        "{body}"
    );
    rest
}

#[test]
fn one_review_carries_the_suggestions_inside_the_diff_and_the_comment_links_to_them() {
    let dir = tempfile::tempdir().expect("dir");
    let api = Server::start();
    pull_request_with_fixes(dir.path(), &api);
    let out = report(dir.path(), &api, ARGS);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));

    let reviews = posts_to(&api, REVIEWS);
    assert_eq!(reviews.len(), 1, "one review");
    let review = &reviews[0];
    assert_eq!(review["commit_id"], "head-sha");
    assert_eq!(review["event"], "COMMENT");
    let comments = review["comments"].as_array().expect("comments");
    assert_eq!(comments.len(), 2, "{review:#}");
    let anchor = |c: &Value| {
        let mut c = c.clone();
        c.as_object_mut().expect("object").remove("body");
        c
    };
    assert_eq!(
        anchor(&comments[0]),
        json!({"path": "shop/cart.py", "line": 5, "side": "RIGHT"})
    );
    assert_eq!(
        unmarked(comments[0]["body"].as_str().expect("body")),
        "**#1 assertion · test** (1 test(s)): **verified** fix by fixer:7b: the failing tests pass\n\n`````suggestion\n    return s  # ```` @team\n`````\n"
    );
    assert_eq!(
        anchor(&comments[1]),
        json!({"path": "shop/cart.py", "start_line": 3, "start_side": "RIGHT", "line": 4, "side": "RIGHT"})
    );
    assert!(
        unmarked(comments[1]["body"].as_str().expect("body"))
            .ends_with("\n\n```suggestion\n    for i in items:\n        s += 2 * i\n```\n"),
        "{review:#}"
    );

    let body = api.comments(7).pop().expect("the sticky comment").body;
    // Each links to its own review comment.
    let link =
        "posted as [a review suggestion](https://github.com/acme/widgets/pull/7#discussion_r";
    assert!(
        body.contains(&format!(
            "**shop/cart.py**, line 5: in this pull request's diff, {link}"
        )),
        "{body}"
    );
    assert!(
        body.contains(&format!(
            "**shop/cart.py**, lines 3–4: in this pull request's diff, {link}"
        )),
        "{body}"
    );
    assert!(
        !body.contains("suggestion\n"),
        "no suggestion block: {body}"
    );
    assert!(
        body.contains("line 2, outside this pull request's diff):\n\n```diff\n@@ -2,1 +2,1 @@\n-    s = 0\n+    s = 1\n```"),
        "{body}"
    );
    assert!(
        body.contains("**logo.png** (line 1, outside this pull request's diff)"),
        "a file with no patch has no hunk: {body}"
    );
    // The model's advice, escaped (the report grouped without the
    // triage's fingerprints, so it has a section of its own).
    assert!(
        body.contains("### Model advice\n\n**#1 assertion · test** (1 test(s)):\n\n**Model advice** (fixer:7b; not verified):\n\n> Check the loop: @\u{200b}team \\<b\\>off by one\\</b\\>\n"),
        "{body}"
    );
}

#[test]
fn a_second_run_finds_its_suggestions_on_page_two_and_posts_nothing_new() {
    let dir = tempfile::tempdir().expect("dir");
    let api = Server::start();
    for i in 0..100 {
        api.add_review_comment(7, "reviewer", &format!("nit {i}"));
    }
    pull_request_with_fixes(dir.path(), &api);
    let first = report(dir.path(), &api, ARGS);
    assert_eq!(first.status.code(), Some(1), "{}", stderr(&first));
    assert_eq!(api.review_comments(7).len(), 102);
    api.clear_requests();

    let second = report(dir.path(), &api, ARGS);
    assert_eq!(second.status.code(), Some(1), "{}", stderr(&second));
    assert!(posts_to(&api, REVIEWS).is_empty(), "nothing posted again");
    assert_eq!(api.review_comments(7).len(), 102);
    let pages: Vec<_> = api
        .requests()
        .iter()
        .filter(|r| r.path == REVIEW_COMMENTS)
        .map(|r| r.param("page").map(str::to_owned))
        .collect();
    assert_eq!(pages, [None, Some("2".to_string())], "both pages read");
    // The comment links to each suggestion where it is.
    let body = api.comments(7).pop().expect("comment").body;
    assert_eq!(api.comments(7).len(), 1, "one sticky comment");
    assert_eq!(
        body.matches(
            "posted as [a review suggestion](https://github.com/acme/widgets/pull/7#discussion_r"
        )
        .count(),
        2,
        "{body}"
    );
}

#[test]
fn a_token_that_cannot_review_is_one_warning_and_the_fixes_stay_diffs() {
    let dir = tempfile::tempdir().expect("dir");
    let api = Server::start();
    pull_request_with_fixes(dir.path(), &api);
    let refused = Reply::message(403, "Resource not accessible by integration");
    api.fail_next("POST", REVIEWS, vec![refused.clone(), refused]);
    let out = report(dir.path(), &api, ARGS);
    assert_eq!(
        out.status.code(),
        Some(1),
        "the tests' outcome: {}",
        stderr(&out)
    );
    let err = stderr(&out);
    assert_eq!(
        err.matches("cannot write pull request reviews").count(),
        1,
        "{err}"
    );
    assert_eq!(posts_to(&api, REVIEWS).len(), 1, "not retried");
    let body = api
        .comments(7)
        .pop()
        .expect("the comment is still posted")
        .body;
    assert!(
        body.contains("line 5, in this pull request's diff):\n\n`````diff\n@@ -5,1 +5,1 @@\n-    return s + 1\n+    return s  # ```` @team\n`````"),
        "{body}"
    );
    assert!(!body.contains("review suggestion"), "{body}");

    let strict = report(
        dir.path(),
        &api,
        &[
            "--strict-report",
            "--no-classify",
            "--triage",
            "triage.json",
            "results.xml",
        ],
    );
    assert_eq!(strict.status.code(), Some(3), "{}", stderr(&strict));
}

#[test]
fn the_token_never_follows_a_review_comment_page_to_another_host() {
    let dir = tempfile::tempdir().expect("dir");
    let api = Server::start();
    let elsewhere = Server::start();
    pull_request_with_fixes(dir.path(), &api);
    api.route(
        "GET",
        REVIEW_COMMENTS,
        Reply::json(
            200,
            json!([{"body": "nit", "html_url": "https://github.com/x"}]),
        )
        .header(
            "link",
            &format!("<{}{REVIEW_COMMENTS}?page=2>; rel=\"next\"", elsewhere.url),
        ),
    );
    let out = report(dir.path(), &api, ARGS);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        elsewhere.requests().is_empty(),
        "nothing sent to another host"
    );
    assert!(
        stderr(&out).contains("the token is not sent there"),
        "{}",
        stderr(&out)
    );
    assert!(posts_to(&api, REVIEWS).is_empty(), "nothing posted blind");
    let body = api.comments(7).pop().expect("comment").body;
    assert!(
        body.contains("line 5, in this pull request's diff)"),
        "{body}"
    );
}

#[test]
fn a_fork_token_that_can_write_nothing_is_one_notice() {
    let dir = tempfile::tempdir().expect("dir");
    let api = Server::start();
    api.read_only(true);
    pull_request_with_fixes(dir.path(), &api);
    // No check run: the review is the first write refused, then the comment.
    let out = report(
        dir.path(),
        &api,
        &[
            "--no-check-run",
            "--no-classify",
            "--triage",
            "triage.json",
            "results.xml",
        ],
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    assert_eq!(err.matches("read-only").count(), 1, "{err}");
    assert!(!err.contains("cannot write pull request reviews"), "{err}");
    assert_eq!(posts_to(&api, REVIEWS).len(), 1);
    assert!(api.review_comments(7).is_empty() && api.comments(7).is_empty());
}

/// The bodies of the suggestions a first run posts on PR 7.
fn suggestion_bodies() -> Vec<String> {
    let dir = tempfile::tempdir().expect("dir");
    let api = Server::start();
    pull_request_with_fixes(dir.path(), &api);
    let out = report(dir.path(), &api, ARGS);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let bodies: Vec<String> = api
        .review_comments(7)
        .iter()
        .filter_map(|c| c["body"].as_str().map(str::to_owned))
        .collect();
    assert_eq!(bodies.len(), 2);
    bodies
}

/// A run on PR 7 whose review comments already hold `bodies`, written by
/// `author`: how many suggestions it posts.
fn posted_with_earlier(bodies: &[String], author: &str, token_login: Option<&str>) -> usize {
    let dir = tempfile::tempdir().expect("dir");
    let api = Server::start();
    if let Some(login) = token_login {
        api.route("GET", "/user", Reply::json(200, json!({ "login": login })));
    }
    for body in bodies {
        api.add_review_comment(7, author, body);
    }
    pull_request_with_fixes(dir.path(), &api);
    let out = report(dir.path(), &api, ARGS);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    api.review_comments(7).len() - bodies.len()
}

#[test]
fn a_marker_copied_by_someone_else_keeps_no_suggestion_off_the_pr() {
    let bodies = suggestion_bodies();
    // The workflow's token (GET /user: 403): only a bot's comments are ours.
    assert_eq!(posted_with_earlier(&bodies, "github-actions[bot]", None), 0);
    assert_eq!(posted_with_earlier(&bodies, "mallory", None), 2);
    // A personal token: only its own login's comments are ours.
    assert_eq!(posted_with_earlier(&bodies, "octo", Some("octo")), 0);
    assert_eq!(
        posted_with_earlier(&bodies, "github-actions[bot]", Some("octo")),
        2
    );
}
