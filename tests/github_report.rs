//! The GitHub side against a local GitHub REST server (127.0.0.1): the
//! client (pagination, retries, where the token goes) and `pitcrew report`
//! publishing (step summary, check run, sticky comment, safety).

mod common;

use std::time::Duration;

use common::github_server::{Reply, Server};
use pitcrew::github::client::{Client, RetryPolicy};
use pitcrew::github::context::Context;
use serde_json::{Value, json};

const TOKEN: &str = "ghs_secret_token_for_tests";

/// Waits of a few milliseconds: the retries are real, the test is quick.
fn quick() -> RetryPolicy {
    RetryPolicy {
        attempts: 4,
        backoff: Duration::from_millis(5),
        max_wait: Duration::from_millis(20),
        timeout: Duration::from_secs(20),
    }
}

fn client_for(server: &Server) -> Client {
    let api = server.url.clone();
    let context = Context::from_vars(
        |name| match name {
            "GITHUB_REPOSITORY" => Some("acme/widgets".into()),
            "GITHUB_API_URL" => Some(api.clone()),
            _ => None,
        },
        None,
    )
    .expect("context");
    Client::new(&context, TOKEN, quick()).expect("client")
}

fn bearer() -> String {
    format!("Bearer {TOKEN}")
}

#[test]
fn client_follows_link_pages_and_sends_the_token_to_the_api_base() {
    let server = Server::start();
    for i in 0..257 {
        server.add_comment(7, "someone", &format!("comment {i}"));
    }
    let client = client_for(&server);
    let all: Vec<Value> = client
        .paginate("/repos/acme/widgets/issues/7/comments", None, usize::MAX)
        .expect("pages");
    assert_eq!(all.len(), 257);
    assert_eq!(all[256]["body"], "comment 256");
    let requests = server.requests();
    let pages: Vec<_> = requests.iter().map(|r| r.param("page")).collect();
    assert_eq!(pages, [None, Some("2"), Some("3")]);
    for r in &requests {
        assert_eq!(r.header("authorization"), Some(bearer().as_str()));
        assert_eq!(r.param("per_page"), Some("100"));
        let agents = r.headers.iter().filter(|(n, _)| n == "user-agent").count();
        assert_eq!(agents, 1, "{:?}", r.headers);
    }
    // A limit stops early.
    server.clear_requests();
    let some: Vec<Value> = client
        .paginate("/repos/acme/widgets/issues/7/comments", None, 150)
        .expect("pages");
    assert_eq!(some.len(), 150);
    assert_eq!(server.requests().len(), 2);
}

#[test]
fn client_retries_5xx_and_secondary_rate_limits_then_gives_up() {
    let server = Server::start();
    server.route("GET", "/rate", Reply::json(200, json!({"ok": true})));
    server.fail_next(
        "GET",
        "/rate",
        vec![
            Reply::message(502, "Bad Gateway"),
            Reply::message(403, "You have exceeded a secondary rate limit")
                .header("retry-after", "1"),
            Reply::message(429, "Too Many Requests").header("retry-after", "3"),
        ],
    );
    let client = client_for(&server);
    let value: Value = client.get_json("/rate").expect("fourth try succeeds");
    assert_eq!(value, json!({"ok": true}));
    assert_eq!(server.requests().len(), 4);

    server.clear_requests();
    server.fail_next("GET", "/rate", vec![Reply::message(503, "down"); 4]);
    let err = client
        .get_json::<Value>("/rate")
        .expect_err("all four fail");
    assert_eq!(err.status(), Some(503));
    assert_eq!(server.requests().len(), 4);

    // A read-only token is not retried.
    server.clear_requests();
    server.read_only(true);
    let err = client
        .post_json::<Value, _>(
            "/repos/acme/widgets/check-runs",
            &json!({"name": "x", "head_sha": "y"}),
        )
        .expect_err("403");
    assert!(err.is_read_only(), "{err}");
    assert_eq!(server.requests().len(), 1);
}

#[test]
fn client_times_out_and_retries() {
    // A server that accepts and never answers.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    let held = std::thread::spawn(move || {
        let mut held = Vec::new();
        for stream in listener.incoming().take(2).flatten() {
            held.push(stream);
        }
        std::thread::sleep(Duration::from_secs(3));
    });
    let context = Context::from_vars(
        |n| match n {
            "GITHUB_REPOSITORY" => Some("acme/widgets".into()),
            "GITHUB_API_URL" => Some(url.clone()),
            _ => None,
        },
        None,
    )
    .expect("context");
    let policy = RetryPolicy {
        attempts: 2,
        timeout: Duration::from_millis(200),
        ..quick()
    };
    let client = Client::new(&context, TOKEN, policy).expect("client");
    let err = client.get_json::<Value>("/slow").expect_err("times out");
    assert!(err.to_string().contains("timed out"), "{err}");
    drop(held);
}

#[test]
fn the_token_never_reaches_another_host() {
    let api = Server::start();
    let elsewhere = Server::start();
    elsewhere.route("GET", "/blob", Reply::json(200, json!({"data": 1})));
    api.route(
        "GET",
        "/repos/acme/widgets/actions/artifacts/1/zip",
        Reply::redirect(&format!("{}/blob?sig=x", elsewhere.url)),
    );
    let client = client_for(&api);
    let redirect = client
        .request(
            http::Method::GET,
            "/repos/acme/widgets/actions/artifacts/1/zip",
            None::<&()>,
        )
        .expect("302 comes back, not followed");
    assert_eq!(redirect.status, 302);
    assert!(elsewhere.requests().is_empty(), "not followed");
    let location = redirect.headers["location"]
        .to_str()
        .expect("location")
        .to_owned();
    // The authenticated path refuses another host outright.
    let err = client
        .request(http::Method::GET, &location, None::<&()>)
        .expect_err("refused");
    assert!(err.to_string().contains("not on the API base"), "{err}");
    assert!(elsewhere.requests().is_empty());
    // The unauthenticated path gets there without the token.
    let got = client.get_unauthenticated(&location).expect("download");
    assert_eq!(got.status, 200);
    let requests = elsewhere.requests();
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].header("authorization"), None);
    assert_eq!(requests[0].param("sig"), Some("x"));
    assert_eq!(
        api.requests()[0].header("authorization"),
        Some(bearer().as_str())
    );
}

// ---- `pitcrew report` publishing, as a workflow runs it ----

use std::path::Path;
use std::process::{Command, Output};

/// Runs `pitcrew report` in `dir` with none of the caller's GitHub
/// variables, then `env`.
fn report(dir: &Path, args: &[&str], env: &[(&str, String)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_pitcrew"));
    command
        .arg("report")
        .args(args)
        .current_dir(dir)
        .env("PITCREW_NO_CACHE", "1")
        .env("PITCREW_GITHUB_MAX_WAIT_MS", "10")
        .env_remove("PITCREW_LOG");
    for (name, _) in std::env::vars() {
        if name.starts_with("GITHUB_") || name == "RUNNER_TEMP" {
            command.env_remove(name);
        }
    }
    for (name, value) in env {
        command.env(name, value);
    }
    command.output().expect("pitcrew runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A JUnit file: `(file, name, failure message or None)`.
fn junit(dir: &Path, cases: &[(String, String, Option<String>)]) {
    let esc = |s: &str| {
        s.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('"', "&quot;")
            .replace('\n', "&#10;")
    };
    let mut xml = String::from("<testsuites><testsuite name=\"s\">\n");
    for (file, name, failure) in cases {
        xml.push_str(&format!(
            "<testcase classname=\"c\" name=\"{}\" file=\"{}\" time=\"0.5\">",
            esc(name),
            esc(file)
        ));
        if let Some(message) = failure {
            xml.push_str(&format!(
                "<failure message=\"{}\">at {}:{}\n{}</failure>",
                esc(message),
                esc(file),
                12,
                esc(message)
            ));
        }
        xml.push_str("</testcase>\n");
    }
    xml.push_str("</testsuite></testsuites>\n");
    std::fs::write(dir.join("results.xml"), xml).expect("junit");
}

fn case(file: &str, name: &str, failure: Option<&str>) -> (String, String, Option<String>) {
    (file.into(), name.into(), failure.map(str::to_owned))
}

/// A workflow's environment for `event` with `payload`, pointed at `api`.
fn actions_env(
    dir: &Path,
    api: &Server,
    event: &str,
    payload: &Value,
) -> Vec<(&'static str, String)> {
    let path = dir.join("event.json");
    std::fs::write(&path, payload.to_string()).expect("payload");
    vec![
        ("GITHUB_ACTIONS", "true".into()),
        ("GITHUB_TOKEN", TOKEN.into()),
        ("GITHUB_REPOSITORY", "acme/widgets".into()),
        ("GITHUB_API_URL", api.url.clone()),
        ("GITHUB_SERVER_URL", "https://github.example".into()),
        ("GITHUB_EVENT_NAME", event.into()),
        ("GITHUB_EVENT_PATH", path.display().to_string()),
        ("GITHUB_SHA", "merge-sha".into()),
        ("GITHUB_RUN_ID", "4242".into()),
        (
            "GITHUB_STEP_SUMMARY",
            dir.join("summary.md").display().to_string(),
        ),
        (
            "GITHUB_OUTPUT",
            dir.join("output.txt").display().to_string(),
        ),
    ]
}

fn pr_payload(number: u64) -> Value {
    json!({
        "repository": { "full_name": "acme/widgets", "default_branch": "main" },
        "pull_request": { "number": number, "head": { "sha": "head-sha", "repo": { "full_name": "acme/widgets" } } }
    })
}

fn failing_suite(dir: &Path) {
    junit(
        dir,
        &[
            case("tests/test_cart.py", "test_total", Some("assert 3 == 4")),
            case("tests/test_cart.py", "test_empty", None),
        ],
    );
}

#[test]
fn one_sticky_comment_is_created_then_updated_among_hundreds() {
    let dir = tempfile::tempdir().expect("dir");
    let api = Server::start();
    for i in 0..260 {
        api.add_comment(7, "reviewer", &format!("looks good {i}"));
    }
    failing_suite(dir.path());
    let env = actions_env(dir.path(), &api, "pull_request", &pr_payload(7));
    let args = ["--no-classify", "results.xml"];

    let first = report(dir.path(), &args, &env);
    assert_eq!(first.status.code(), Some(1), "{}", text(&first.stderr));
    let ours: Vec<_> = api
        .comments(7)
        .into_iter()
        .filter(|c| c.login == "github-actions[bot]")
        .collect();
    assert_eq!(ours.len(), 1);
    assert!(
        ours[0].body.contains("1 failed, 1 passed"),
        "{}",
        ours[0].body
    );
    assert!(
        ours[0]
            .body
            .contains("https://github.example/acme/widgets/actions/runs/4242")
    );
    let posts = |requests: &[common::github_server::Request]| {
        requests
            .iter()
            .filter(|r| r.method == "POST" && r.path.ends_with("/issues/7/comments"))
            .count()
    };
    assert_eq!(posts(&api.requests()), 1);

    api.clear_requests();
    let second = report(dir.path(), &args, &env);
    assert_eq!(second.status.code(), Some(1), "{}", text(&second.stderr));
    let requests = api.requests();
    assert_eq!(posts(&requests), 0, "not duplicated");
    let patches: Vec<_> = requests
        .iter()
        .filter(|r| r.method == "PATCH" && r.path.contains("/issues/comments/"))
        .collect();
    assert_eq!(patches.len(), 1);
    assert_eq!(
        patches[0].path,
        format!("/repos/acme/widgets/issues/comments/{}", ours[0].id)
    );
    // All 261 comments were read, across pages.
    let pages: Vec<_> = requests
        .iter()
        .filter(|r| r.method == "GET" && r.path.ends_with("/issues/7/comments"))
        .map(|r| r.param("page").unwrap_or("1").to_owned())
        .collect();
    assert_eq!(pages, ["1", "2", "3"]);
    assert_eq!(api.comments(7).len(), 261);
    // Every request carries the token, to the API base only.
    for r in &requests {
        assert_eq!(
            r.header("authorization"),
            Some(bearer().as_str()),
            "{} {}",
            r.method,
            r.path
        );
    }
    // The check run: on the PR head, failed.
    let runs = api.check_runs();
    assert_eq!(runs.len(), 2, "one per run");
    assert_eq!(runs[1].fields["head_sha"], "head-sha");
    assert_eq!(runs[1].fields["conclusion"], "failure");
    assert_eq!(runs[1].annotations.len(), 1);
    assert_eq!(runs[1].annotations[0]["path"], "tests/test_cart.py");
    assert_eq!(runs[1].annotations[0]["start_line"], 12);
    assert!(dir.path().join("pitcrew-results.xml").exists());
}

#[test]
fn a_sticky_marker_in_someone_elses_comment_is_neither_ours_nor_edited() {
    let dir = tempfile::tempdir().expect("dir");
    let api = Server::start();
    failing_suite(dir.path());
    let env = actions_env(dir.path(), &api, "pull_request", &pr_payload(7));
    let args = ["--no-classify", "results.xml"];
    let first = report(dir.path(), &args, &env);
    assert_eq!(first.status.code(), Some(1), "{}", text(&first.stderr));
    let ours = api.comments(7).pop().expect("our comment");
    // A PR author copies our comment, marker included, after ours.
    let theirs = api.add_comment(7, "mallory", &ours.body);

    api.clear_requests();
    let second = report(dir.path(), &args, &env);
    assert_eq!(second.status.code(), Some(1), "{}", text(&second.stderr));
    let patched: Vec<_> = api
        .requests()
        .into_iter()
        .filter(|r| r.method == "PATCH" && r.path.contains("/issues/comments/"))
        .map(|r| r.path)
        .collect();
    assert_eq!(
        patched,
        [format!("/repos/acme/widgets/issues/comments/{}", ours.id)],
        "ours updated, theirs ({theirs}) untouched"
    );
    assert_eq!(api.comments(7).len(), 2, "nothing duplicated");
    assert!(
        text(&second.stderr).contains("1 comment(s) carry pitcrew's marker but were not written"),
        "{}",
        text(&second.stderr)
    );
}

#[test]
fn comment_modes_changes_and_failures() {
    let dir = tempfile::tempdir().expect("dir");
    let api = Server::start();
    failing_suite(dir.path());
    let env = actions_env(dir.path(), &api, "pull_request", &pr_payload(3));
    let changes = [
        "--no-classify",
        "--no-check-run",
        "--comment",
        "changes",
        "results.xml",
    ];
    assert_eq!(report(dir.path(), &changes, &env).status.code(), Some(1));
    assert_eq!(api.comments(3).len(), 1);
    api.clear_requests();
    // Same results: read, not written.
    assert_eq!(report(dir.path(), &changes, &env).status.code(), Some(1));
    assert!(
        api.requests().iter().all(|r| r.method == "GET"),
        "{:?}",
        api.requests()
    );
    // Different results: updated.
    junit(
        dir.path(),
        &[case("tests/test_cart.py", "test_total", None)],
    );
    assert_eq!(report(dir.path(), &changes, &env).status.code(), Some(0));
    assert!(api.comments(3)[0].body.contains("0 failed, 1 passed"));

    // `failures`: a green run on a PR without our comment posts nothing.
    let failures = [
        "--no-classify",
        "--no-check-run",
        "--comment",
        "failures",
        "results.xml",
    ];
    let env = actions_env(dir.path(), &api, "pull_request", &pr_payload(4));
    assert_eq!(report(dir.path(), &failures, &env).status.code(), Some(0));
    assert!(api.comments(4).is_empty());
    // `off`: no comment call at all.
    api.clear_requests();
    let off = [
        "--no-classify",
        "--no-check-run",
        "--comment",
        "off",
        "results.xml",
    ];
    assert_eq!(report(dir.path(), &off, &env).status.code(), Some(0));
    assert!(api.requests().is_empty());
}

#[test]
fn secrets_in_failures_never_reach_the_comment_or_the_check_run() {
    // GitHub masks registered secrets in a workflow's log, not in what the
    // API is sent: the comment and the check run are redacted here.
    let dir = tempfile::tempdir().expect("dir");
    let api = Server::start();
    let gh = "ghp_abcdefghijklmnopqrstuvwxyz0123456789";
    // A token with a zero-width space inside, which the check run's
    // annotation shows escaped (`\u{200b}`): redacted all the same.
    let hidden = "ghp_0123456789abcdefghijklmnopqrstuvwxyz";
    let message = format!(
        "salt {} login failed: token {gh} password=hunter2-LEAK and DEPLOY_TOKEN={}",
        "salt-value-LEAK", "deploy-value-LEAK"
    );
    let zero_width = format!("saw {}", hidden.replacen("ghp_0123", "ghp_0123\u{200b}", 1));
    // A variable the configuration lists as secret (for the model's
    // prompts) is secret in what goes to GitHub too.
    std::fs::write(
        dir.path().join("pitcrew.toml"),
        "[models]\nsecret_env = [\"SIGNING_SALT\"]\n",
    )
    .unwrap();
    // In a test's name, escaped for Markdown (`ghp\_…`, `deploy\-value…`),
    // a secret no longer looks like one: names are redacted before.
    let other = "ghp_ZYXWVUTSRQPONMLKJIHGFEDCBA9876543210";
    let name = format!("test_with[{other}-deploy-value-LEAK]");
    junit(
        dir.path(),
        &[
            case("tests/test_login.py", "test_login", Some(&message)),
            case("tests/test_login.py", &name, Some("boom")),
            case("tests/test_token.py", "test_token", Some(&zero_width)),
        ],
    );
    let mut env = actions_env(dir.path(), &api, "pull_request", &pr_payload(5));
    env.push(("DEPLOY_TOKEN", "deploy-value-LEAK".into()));
    env.push(("SIGNING_SALT", "salt-value-LEAK".into()));
    let out = report(dir.path(), &["--no-classify", "results.xml"], &env);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let requests = api.requests();
    assert!(requests.iter().any(|r| r.path.contains("/check-runs")));
    assert_eq!(api.comments(5).len(), 1);
    let secrets = [
        gh,
        other,
        "hunter2-LEAK",
        "deploy-value-LEAK",
        "salt-value-LEAK",
        TOKEN,
    ];
    // Read as GitHub shows it: without Markdown's backslashes, and with
    // the escaped zero-width space read as the nothing it shows.
    let unescaped = |text: &str| text.replace('\\', "").replace("u{200b}", "");
    for request in requests.iter().filter(|r| r.method != "GET") {
        for secret in secrets.iter().chain([&hidden]) {
            assert!(
                !unescaped(&request.body).contains(secret),
                "{secret} reached {} {}:\n{}",
                request.method,
                request.path,
                request.body
            );
        }
    }
    assert!(api.comments(5)[0].body.contains("[REDACTED]"));
    // The step summary leaves the machine too.
    let summary = std::fs::read_to_string(dir.path().join("summary.md")).expect("summary");
    assert!(summary.contains("test\\_with"), "{summary}");
    for secret in secrets {
        assert!(
            !unescaped(&summary).contains(secret),
            "{secret}:\n{summary}"
        );
    }
}

#[test]
fn annotations_go_50_per_request_up_to_the_cap_with_a_notice() {
    let dir = tempfile::tempdir().expect("dir");
    let api = Server::start();
    let cases: Vec<_> = (0..1060)
        .map(|i| {
            case(
                &format!("tests/test_{i}.py"),
                &format!("test_{i}"),
                Some("boom"),
            )
        })
        .collect();
    junit(dir.path(), &cases);
    let push = json!({ "repository": { "full_name": "acme/widgets", "default_branch": "main" } });
    let env = actions_env(dir.path(), &api, "push", &push);
    let out = report(dir.path(), &["--no-classify", "results.xml"], &env);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let requests = api.requests();
    let sizes: Vec<usize> = requests
        .iter()
        .filter(|r| r.path.contains("/check-runs"))
        .map(|r| {
            r.json()["output"]["annotations"]
                .as_array()
                .map_or(0, Vec::len)
        })
        .collect();
    assert_eq!(sizes.len(), 20, "one create and 19 updates");
    assert!(sizes.iter().all(|n| *n == 50), "{sizes:?}");
    let runs = api.check_runs();
    assert_eq!(runs.len(), 1);
    assert_eq!(runs[0].annotations.len(), 1000);
    let summary = runs[0].fields["output"]["summary"]
        .as_str()
        .expect("summary");
    assert!(
        summary.contains("**60 more** failures are not annotated"),
        "{summary}"
    );
    // A push has no pull request: no comment calls.
    assert!(!requests.iter().any(|r| r.path.contains("/issues/")));
}

#[test]
fn hostile_test_output_never_becomes_a_workflow_command() {
    let dir = tempfile::tempdir().expect("dir");
    let api = Server::start();
    junit(
        dir.path(),
        &[
            case(
                "tests/a.py",
                "::error::pwned",
                Some("::set-env name=X::1\n  ::add-mask::x\n@octocat #1 <script>"),
            ),
            case("::warning::f.py", "ok\n::stop-commands::x", None),
        ],
    );
    let env = actions_env(dir.path(), &api, "pull_request", &pr_payload(9));
    for format in ["terminal", "markdown", "json"] {
        let out = report(
            dir.path(),
            &["--no-classify", "--format", format, "results.xml"],
            &env,
        );
        assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
        let stdout = text(&out.stdout);
        let lines: Vec<&str> = stdout.lines().collect();
        let token = lines[0]
            .strip_prefix("::stop-commands::")
            .expect("first line stops commands");
        let resume = format!("::{token}::");
        let end = lines
            .iter()
            .position(|l| *l == resume)
            .expect("commands resume");
        for line in &lines[1..end] {
            assert!(!line.contains(&resume));
        }
        for line in &lines[end + 1..] {
            assert!(!line.trim_start().starts_with("::"), "{format}: {line}");
        }
        assert!(
            !text(&out.stderr)
                .lines()
                .any(|l| l.trim_start().starts_with("::"))
        );
    }
    // Outside code blocks (where GitHub renders nothing), the hostile text is
    // inert: no mention, no HTML.
    let body = &api.comments(9)[0].body;
    let mut fence: Option<String> = None;
    for line in body.lines() {
        let bare = line.trim_start();
        let ticks = bare.len() - bare.trim_start_matches('`').len();
        match &fence {
            Some(f) if bare == f => fence = None,
            Some(_) => {}
            None if ticks >= 3 => fence = Some(bare[..ticks].to_owned()),
            None => assert!(
                !line.contains("@octocat") && !line.contains("<script>"),
                "{line}"
            ),
        }
    }
    assert!(body.contains("octocat"), "the text is shown: {body}");
}

#[test]
fn a_fork_read_only_token_degrades_to_the_summary_and_keeps_exit_1() {
    let dir = tempfile::tempdir().expect("dir");
    let api = Server::start();
    api.read_only(true);
    failing_suite(dir.path());
    let env = actions_env(dir.path(), &api, "pull_request", &pr_payload(5));
    let out = report(
        dir.path(),
        &[
            "--no-classify",
            "--results-out",
            "merged.xml",
            "results.xml",
        ],
        &env,
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let summary = std::fs::read_to_string(dir.path().join("summary.md")).expect("summary");
    assert!(
        summary.contains("test\\_total") || summary.contains("test_total"),
        "{summary}"
    );
    let results = std::fs::read_to_string(dir.path().join("merged.xml")).expect("results file");
    assert!(results.contains("test_total"), "{results}");
    let stderr = text(&out.stderr);
    assert_eq!(
        stderr.matches("read-only").count(),
        1,
        "one notice: {stderr}"
    );
    assert!(stderr.contains("workflow_run"), "{stderr}");
    let stdout = text(&out.stdout);
    assert_eq!(
        stdout
            .lines()
            .filter(|l| l.starts_with("::warning title=pitcrew::"))
            .count(),
        1
    );
    // One refused write, then nothing more (the one read is this run's
    // jobs, for the cost).
    let requests = api.requests();
    let writes: Vec<_> = requests.iter().filter(|r| r.method != "GET").collect();
    assert_eq!(writes.len(), 1, "{requests:?}");
    assert!(
        requests
            .iter()
            .filter(|r| r.method == "GET")
            .all(|r| r.path.ends_with("/actions/runs/4242/jobs")),
        "{requests:?}"
    );
    assert!(api.comments(5).is_empty());
}

#[test]
fn server_errors_and_secondary_rate_limits_are_retried() {
    let dir = tempfile::tempdir().expect("dir");
    let api = Server::start();
    api.fail_next(
        "POST",
        "/repos/acme/widgets/check-runs",
        vec![Reply::message(502, "Bad Gateway")],
    );
    api.fail_next(
        "POST",
        "/repos/acme/widgets/issues/2/comments",
        vec![
            Reply::message(403, "You have exceeded a secondary rate limit")
                .header("retry-after", "30"),
        ],
    );
    failing_suite(dir.path());
    let env = actions_env(dir.path(), &api, "pull_request", &pr_payload(2));
    let started = std::time::Instant::now();
    let out = report(
        dir.path(),
        &["--no-classify", "--strict-report", "results.xml"],
        &env,
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    // The 30 s Retry-After was capped by PITCREW_GITHUB_MAX_WAIT_MS.
    assert!(started.elapsed() < Duration::from_secs(25));
    assert_eq!(api.check_runs().len(), 1);
    assert_eq!(api.comments(2).len(), 1);
    let posts = api.requests().iter().filter(|r| r.method == "POST").count();
    assert_eq!(posts, 4, "each write tried twice");
}

#[test]
fn a_publishing_failure_is_a_warning_unless_strict() {
    let dir = tempfile::tempdir().expect("dir");
    let api = Server::start();
    api.fail_next(
        "POST",
        "/repos/acme/widgets/check-runs",
        vec![Reply::message(500, "down"); 20],
    );
    junit(dir.path(), &[case("tests/a.py", "ok", None)]);
    let push = json!({ "repository": { "full_name": "acme/widgets" } });
    let env = actions_env(dir.path(), &api, "push", &push);
    let lenient = report(dir.path(), &["--no-classify", "results.xml"], &env);
    assert_eq!(lenient.status.code(), Some(0), "{}", text(&lenient.stderr));
    assert!(text(&lenient.stderr).contains("HTTP 500"));
    let strict = report(
        dir.path(),
        &["--no-classify", "--strict-report", "results.xml"],
        &env,
    );
    assert_eq!(strict.status.code(), Some(3), "{}", text(&strict.stderr));
}

#[test]
fn no_github_makes_no_request_and_nothing_publishes_outside_actions() {
    let dir = tempfile::tempdir().expect("dir");
    let api = Server::start();
    failing_suite(dir.path());
    let env = actions_env(dir.path(), &api, "pull_request", &pr_payload(1));
    let out = report(
        dir.path(),
        &["--no-classify", "--no-github", "results.xml"],
        &env,
    );
    assert_eq!(out.status.code(), Some(1));
    let outside: Vec<_> = env
        .iter()
        .filter(|(k, _)| *k != "GITHUB_ACTIONS")
        .cloned()
        .collect();
    let out = report(dir.path(), &["--no-classify", "results.xml"], &outside);
    assert_eq!(out.status.code(), Some(1));
    assert!(api.requests().is_empty());
    assert!(!dir.path().join("pitcrew-results.xml").exists());
}

#[test]
fn a_bad_event_payload_is_one_line_and_exit_2_with_nothing_written() {
    let dir = tempfile::tempdir().expect("dir");
    let api = Server::start();
    failing_suite(dir.path());
    let payload = json!({ "pull_request": { "number": "seven" } });
    let env = actions_env(dir.path(), &api, "pull_request", &payload);
    let out = report(dir.path(), &["--no-classify", "results.xml"], &env);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    let stderr = text(&out.stderr);
    assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");
    assert!(
        stderr.contains("GITHUB_EVENT_PATH") && stderr.contains("pull_request.number"),
        "{stderr}"
    );
    assert!(api.requests().is_empty());
    assert!(!dir.path().join("summary.md").exists());
    assert!(!dir.path().join("output.txt").exists());
}

#[test]
fn workflow_run_reports_on_the_pr_given_and_the_triggering_commit() {
    let dir = tempfile::tempdir().expect("dir");
    let api = Server::start();
    failing_suite(dir.path());
    // A fork's PR: GitHub lists no pull request in the payload.
    let payload = json!({
        "repository": { "full_name": "acme/widgets", "default_branch": "main" },
        "workflow_run": { "id": 99, "head_sha": "fork-head",
            "head_repository": { "full_name": "eve/widgets" }, "pull_requests": [] }
    });
    let env = actions_env(dir.path(), &api, "workflow_run", &payload);
    let out = report(dir.path(), &["--no-classify", "results.xml"], &env);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    assert!(api.comments(11).is_empty(), "no PR without --pr");
    let out = report(
        dir.path(),
        &["--no-classify", "--pr", "11", "results.xml"],
        &env,
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    assert_eq!(api.comments(11).len(), 1);
    assert!(
        api.check_runs()
            .iter()
            .all(|r| r.fields["head_sha"] == "fork-head")
    );
    // `--pr` takes a positive number only.
    let out = report(
        dir.path(),
        &["--no-classify", "--pr", "0", "results.xml"],
        &env,
    );
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn pitcrew_test_publishes_the_comment_with_the_run_cost_and_the_budget() {
    if !common::cli::has_node() {
        return;
    }
    let dir = tempfile::tempdir().expect("dir");
    let api = Server::start();
    // The month so far: one run of ci.yml, one Linux job of 59 min 30 s
    // (60 billed minutes).
    api.route_paged(
        "/repos/acme/widgets/actions/workflows/ci.yml/runs",
        vec![json!({"id": 1})],
        Some("workflow_runs"),
    );
    api.route_paged(
        "/repos/acme/widgets/actions/runs/1/jobs",
        vec![json!({
            "name": "tests",
            "status": "completed",
            "started_at": "2026-11-02T00:00:00Z",
            "completed_at": "2026-11-02T00:59:30Z",
            "labels": ["ubuntu-latest"],
        })],
        Some("jobs"),
    );
    std::fs::create_dir_all(dir.path().join("test")).expect("test dir");
    std::fs::write(
        dir.path().join("test/cart.test.mjs"),
        "import test from 'node:test';\nimport assert from 'node:assert';\n\
         test('total', () => assert.strictEqual(3, 4));\ntest('empty', () => {});\n",
    )
    .expect("test file");
    let mut env = actions_env(dir.path(), &api, "pull_request", &pr_payload(7));
    env.push((
        "GITHUB_WORKFLOW_REF",
        "acme/widgets/.github/workflows/ci.yml@refs/pull/7/merge".into(),
    ));
    env.push(("RUNNER_OS", "Linux".into()));
    let mut command = Command::new(env!("CARGO_BIN_EXE_pitcrew"));
    command
        .args([
            "test",
            "--shards",
            "1",
            "--retries",
            "0",
            "--budget-usd",
            "0.40",
            "--",
            "node",
            "--test",
        ])
        .current_dir(dir.path())
        .env("PITCREW_NO_CACHE", "1")
        .env("PITCREW_GITHUB_MAX_WAIT_MS", "10");
    for (name, _) in std::env::vars() {
        if name.starts_with("GITHUB_") {
            command.env_remove(name);
        }
    }
    for (name, value) in &env {
        command.env(name, value);
    }
    let out = command.output().expect("pitcrew runs");
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let comments = api.comments(7);
    assert_eq!(comments.len(), 1, "one sticky comment");
    let body = &comments[0].body;
    assert!(body.contains("1 failed, 1 passed"), "{body}");
    assert!(body.contains("Estimated cost: $"), "{body}");
    assert!(body.contains("1 min ×"), "{body}");
    // 60 minutes at Linux's price, over 80% of a $0.40 budget.
    assert!(body.contains("monthly budget"), "{body}");
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("::warning title=pitcrew budget::"),
        "{stdout}"
    );
    assert_eq!(api.check_runs().len(), 1);
}

/// A triage document with a verified fix inside the PR's diff, an
/// unverified one outside it, and a failed one; the model's text is hostile.
fn triage_document() -> Value {
    let fix = |status: &str, search: &str, replace: &str| {
        json!({"status": status, "reason": "the failing tests pass", "votes": 2, "model": "fixer:7b",
               "edits": [{"file": "shop/cart.py", "search": search, "replace": replace}]})
    };
    json!({
        "failures": 1, "root_causes": 1, "headline": "1 failure, 1 root cause", "suggestions": "on",
        "groups": [{
            "fingerprint": "0123456789abcdef", "category": "assertion", "specialty": "test",
            "language": "python", "priority": 1, "why": [], "touched": true,
            "tests": ["tests/test_cart.py > c > test_total"], "message": "assert 3 == 4",
            "signature": {"line": "assert", "frames": []},
            "route": {"model": "fixer:7b", "served_by": "fixer:7b@x", "reason": "first choice"},
            "suggestions": [
                fix("unverified", "    s = 0\n", "    s = 1\n"),
                fix("verified", "    return s + 1\n", "    return s\n```\n@team ::error::x\n"),
                fix("failed", "    return s + 1\n", "    return 4\n"),
                {"status": "advice", "model": "fixer:7b", "served_by": "fixer:7b@x", "text": "look"}
            ]
        }]
    })
}

#[test]
fn verified_fixes_are_review_suggestions_inside_the_diff_and_diffs_outside() {
    let dir = tempfile::tempdir().expect("dir");
    let api = Server::start();
    failing_suite(dir.path());
    std::fs::create_dir(dir.path().join("shop")).expect("dir");
    std::fs::write(
        dir.path().join("shop/cart.py"),
        "def total(items):\n    s = 0\n    for i in items:\n        s += i\n    return s + 1\n",
    )
    .expect("source");
    std::fs::write(
        dir.path().join("triage.json"),
        triage_document().to_string(),
    )
    .expect("triage");
    // The PR changed lines 4-5 of cart.py (one hunk), and another file.
    api.route_paged(
        "/repos/acme/widgets/pulls/7/files",
        vec![
            json!({"filename": "README.md", "status": "modified", "patch": "@@ -1 +1 @@\n-a\n+b"}),
            json!({"filename": "shop/cart.py", "status": "modified",
                   "patch": "@@ -3,3 +3,3 @@ def total(items):\n     for i in items:\n-        s -= i\n+        s += i\n     return s + 1"}),
        ],
        None,
    );
    let env = actions_env(dir.path(), &api, "pull_request", &pr_payload(7));
    let out = report(
        dir.path(),
        &["--no-classify", "--triage", "triage.json", "results.xml"],
        &env,
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let body = api.comments(7).pop().expect("the comment").body;
    let verified = body.find("**verified**").expect(&body);
    let unverified = body.find("**unverified**").expect(&body);
    assert!(verified < unverified, "verified first: {body}");
    // The verified fix inside the diff is a review suggestion
    // (tests/github_review.rs); the comment links to it.
    assert!(
        body.contains(
            "**shop/cart.py**, line 5: in this pull request's diff, posted as [a review suggestion](https://github.com/acme/widgets/pull/7#discussion_r"
        ),
        "{body}"
    );
    assert!(
        body.contains("line 2, outside this pull request's diff):\n\n```diff\n@@ -2,1 +2,1 @@\n-    s = 0\n+    s = 1\n```"),
        "{body}"
    );
    assert!(
        body.contains("1 candidate(s) failed verification"),
        "{body}"
    );
    assert!(!body.contains("return 4"), "a failed fix is not suggested");
    // The check run cannot take suggestions: its text has diffs only.
    let run = api.check_runs().pop().expect("check run");
    let check_text = run.fields["output"]["text"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert!(
        check_text.contains("````diff\n@@ -5,1 +5,3 @@"),
        "{check_text}"
    );
    assert!(!check_text.contains("suggestion\n"), "{check_text}");
}

#[test]
fn a_bad_triage_document_is_one_line_naming_the_field_and_exit_2() {
    let dir = tempfile::tempdir().expect("dir");
    let api = Server::start();
    failing_suite(dir.path());
    let mut doc = triage_document();
    doc["groups"][0]["suggestions"][1]["edits"][0]
        .as_object_mut()
        .expect("edit")
        .remove("replace");
    std::fs::write(dir.path().join("triage.json"), doc.to_string()).expect("triage");
    let env = actions_env(dir.path(), &api, "pull_request", &pr_payload(7));
    let out = report(
        dir.path(),
        &["--no-classify", "--triage", "triage.json", "results.xml"],
        &env,
    );
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    let stderr = text(&out.stderr);
    assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");
    assert!(
        stderr.contains("triage.json: groups[0].suggestions[1].edits[0].replace: missing"),
        "{stderr}"
    );
    assert!(api.requests().is_empty());
    assert!(!dir.path().join("summary.md").exists());
    assert!(!dir.path().join("pitcrew-results.xml").exists());
}

#[test]
fn the_run_cost_prices_each_finished_job_by_its_own_runner() {
    let dir = tempfile::tempdir().expect("dir");
    let api = Server::start();
    failing_suite(dir.path());
    // This run (GITHUB_RUN_ID 4242): 10 min on an 8-core Linux runner,
    // 4 min 10 s on Windows (5 billed), and this job, still running.
    api.route_paged(
        "/repos/acme/widgets/actions/runs/4242/jobs",
        vec![
            json!({"name": "shard 1", "started_at": "2026-11-02T00:00:00Z",
                   "completed_at": "2026-11-02T00:10:00Z", "labels": ["ubuntu-latest-8-cores"]}),
            json!({"name": "shard 2", "started_at": "2026-11-02T00:00:00Z",
                   "completed_at": "2026-11-02T00:04:10Z", "labels": ["windows-latest"]}),
            json!({"name": "report", "started_at": "2026-11-02T00:11:00Z",
                   "completed_at": null, "labels": ["ubuntu-latest"]}),
        ],
        Some("jobs"),
    );
    let env = actions_env(dir.path(), &api, "pull_request", &pr_payload(7));
    let out = report(dir.path(), &["--no-classify", "results.xml"], &env);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let body = api.comments(7).pop().expect("the comment").body;
    // 10 × $0.022 + 5 × $0.010.
    assert!(
        body.contains("Estimated cost of this run: $0.27 (15 billed min in 2 finished jobs: linux\\_8\\_core 10 min × $0.022, windows 5 min × $0.01;"),
        "{body}"
    );
    let jobs = api
        .requests()
        .into_iter()
        .find(|r| r.path.ends_with("/runs/4242/jobs"))
        .expect("the jobs were read");
    assert_eq!(jobs.param("filter"), Some("latest"));
}
