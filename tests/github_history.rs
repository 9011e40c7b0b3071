//! The GitHub side of planning: `--changed-first`, timing history from the
//! last successful default-branch run's artifact, and the cost estimate,
//! each through the real binary against a GitHub REST server on 127.0.0.1.

use std::fs;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::path::Path;
use std::process::{Command, Output};
use std::sync::{Arc, Mutex};

use serde_json::{Value, json};

mod common;
use common::cli::{has_pytest, pitcrew};
use common::github_server::{Reply, Server};

const TOKEN: &str = "ghs_secret-token-value";
const REPO: &str = "acme/widgets";

/// pitcrew with none of the host's GitHub variables, then `env`.
fn gh(args: &[&str], dir: &Path, env: &[(&str, String)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_pitcrew"));
    command
        .args(args)
        .current_dir(dir)
        .env("PITCREW_NO_CACHE", "1")
        .env("PITCREW_GITHUB_MAX_WAIT_MS", "10")
        .env_remove("PITCREW_LOG")
        .env_remove("GH_TOKEN");
    for (name, _) in std::env::vars() {
        if name.starts_with("GITHUB_") {
            command.env_remove(name);
        }
    }
    for (name, value) in env {
        command.env(name, value);
    }
    command.output().expect("pitcrew runs")
}

/// The variables of a `pull_request` run of `ci.yml` (run 99) on PR 7.
fn actions_env(dir: &Path, server: &Server) -> Vec<(&'static str, String)> {
    let event = dir.join("event.json");
    fs::write(
        &event,
        json!({
            "repository": {"full_name": REPO, "default_branch": "main"},
            "pull_request": {"number": 7, "head": {"sha": "abc", "repo": {"full_name": REPO}}}
        })
        .to_string(),
    )
    .unwrap();
    vec![
        ("GITHUB_ACTIONS", "true".into()),
        ("GITHUB_REPOSITORY", REPO.into()),
        ("GITHUB_EVENT_NAME", "pull_request".into()),
        ("GITHUB_EVENT_PATH", event.display().to_string()),
        ("GITHUB_API_URL", server.url.clone()),
        ("GITHUB_RUN_ID", "99".into()),
        (
            "GITHUB_WORKFLOW_REF",
            format!("{REPO}/.github/workflows/ci.yml@refs/pull/7/merge"),
        ),
        ("GITHUB_TOKEN", TOKEN.into()),
    ]
}

/// One request's headers (lower-cased names), its request line first.
type Headers = Vec<(String, String)>;

/// Another host: serves `body` at every path and records each request's
/// headers.
struct BlobHost {
    url: String,
    seen: Arc<Mutex<Vec<Headers>>>,
}

impl BlobHost {
    fn start(body: Vec<u8>) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let seen = Arc::new(Mutex::new(Vec::new()));
        let record = seen.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let mut writer = stream;
                let mut headers = Vec::new();
                let mut line = String::new();
                while reader.read_line(&mut line).is_ok_and(|n| n > 0) {
                    let text = line.trim_end().to_owned();
                    line.clear();
                    if text.is_empty() {
                        break;
                    }
                    if let Some((name, value)) = text.split_once(':') {
                        headers.push((name.trim().to_ascii_lowercase(), value.trim().to_owned()));
                    } else {
                        headers.push(("request-line".into(), text));
                    }
                }
                record.lock().unwrap().push(headers);
                let head = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/zip\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
                    body.len()
                );
                let _ = writer.write_all(head.as_bytes());
                let _ = writer.write_all(&body);
                let _ = reader.read(&mut [0; 1]);
            }
        });
        Self { url, seen }
    }

    fn requests(&self) -> Vec<Headers> {
        self.seen.lock().unwrap().clone()
    }
}

fn zip_of(files: &[(&str, &[u8])]) -> Vec<u8> {
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in files {
        writer.start_file(*name, options).unwrap();
        writer.write_all(bytes).unwrap();
    }
    writer.finish().unwrap().into_inner()
}

/// Each shard's estimated seconds.
fn estimates(plan: &Value) -> Vec<f64> {
    plan["shards"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["estimated_seconds"].as_f64().unwrap())
        .collect()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn json(output: &Output) -> Value {
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}): {}\nstderr: {}",
            String::from_utf8_lossy(&output.stdout),
            stderr(output)
        )
    })
}

fn items(plan: &Value) -> Vec<Vec<String>> {
    plan["shards"]
        .as_array()
        .expect("shards")
        .iter()
        .map(|s| {
            s["items"]
                .as_array()
                .expect("items")
                .iter()
                .map(|i| i.as_str().expect("item").to_owned())
                .collect()
        })
        .collect()
}

fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v
}

fn test_files(dir: &Path, names: &[&str]) {
    fs::create_dir_all(dir.join("tests")).unwrap();
    for name in names {
        fs::write(dir.join("tests").join(name), "def test_x():\n    pass\n").unwrap();
    }
}

#[test]
fn changed_first_puts_changed_tests_first_without_moving_any() {
    let dir = tempfile::tempdir().unwrap();
    let names = [
        "test_a.py",
        "test_b.py",
        "test_c.py",
        "test_d.py",
        "test_e.py",
        "test_f.py",
    ];
    test_files(dir.path(), &names);
    fs::write(
        dir.path().join("changed.txt"),
        "src/f.py\ntests/test_d.py\nREADME.md\n",
    )
    .unwrap();
    let base = ["split", "--tests", "tests/test_*.py", "--shards", "2"];
    let plain = pitcrew(&base, dir.path());
    assert!(plain.status.success(), "{}", stderr(&plain));
    let mut args = base.to_vec();
    args.extend(["--changed-first", "--changed-files", "changed.txt"]);
    let first = pitcrew(&args, dir.path());
    assert!(first.status.success(), "{}", stderr(&first));
    let (before, after) = (items(&json(&plain)), items(&json(&first)));
    for (b, a) in before.iter().zip(&after) {
        assert_eq!(
            sorted(b.clone()),
            sorted(a.clone()),
            "no item changes shard"
        );
    }
    assert_eq!(
        json(&plain)["shards"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["estimated_seconds"].clone())
            .collect::<Vec<_>>(),
        json(&first)["shards"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["estimated_seconds"].clone())
            .collect::<Vec<_>>(),
    );
    for shard in &after {
        let touched = |i: &String| i.ends_with("test_d.py") || i.ends_with("test_f.py");
        let firsts = shard.iter().take_while(|i| touched(i)).count();
        assert_eq!(
            firsts,
            shard.iter().filter(|i| touched(i)).count(),
            "{after:?}"
        );
    }
    let moved: Vec<&String> = after.iter().filter_map(|s| s.first()).collect();
    assert!(
        moved.iter().any(|i| i.ends_with("test_d.py"))
            && after.iter().flatten().any(|i| i.ends_with("test_f.py")),
        "{after:?}"
    );
    assert_ne!(before, after, "the order changed");

    // The flag needs --changed-first; a missing list is exit 2, one line.
    let lonely = pitcrew(
        &[
            "split",
            "--tests",
            "tests/*.py",
            "--changed-files",
            "changed.txt",
        ],
        dir.path(),
    );
    assert_eq!(lonely.status.code(), Some(2), "{}", stderr(&lonely));
    let mut missing = base.to_vec();
    missing.extend(["--changed-first", "--changed-files", "nope.txt"]);
    let missing = pitcrew(&missing, dir.path());
    assert_eq!(missing.status.code(), Some(2));
    let err = stderr(&missing);
    assert!(
        err.contains("--changed-files: nope.txt: cannot read it"),
        "{err}"
    );
}

#[test]
fn run_changed_first_runs_the_changed_tests_first() {
    if !has_pytest() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir_all(dir.path().join("tests")).unwrap();
    for name in ["a", "b", "c"] {
        fs::write(
            dir.path().join(format!("tests/test_{name}.py")),
            format!(
                "def test_{name}():\n    with open('order.log', 'a') as f:\n        f.write('{name}\\n')\n"
            ),
        )
        .unwrap();
    }
    let plan = pitcrew(
        &[
            "split",
            "--tests",
            "tests/test_*.py",
            "--shards",
            "1",
            "--runner",
            "pytest",
            "-o",
            "plan.json",
        ],
        dir.path(),
    );
    assert!(plan.status.success(), "{}", stderr(&plan));
    fs::write(dir.path().join("changed.txt"), "lib/c.py\n").unwrap();
    let run = pitcrew(
        &[
            "run",
            "--shard",
            "1/1",
            "--plan",
            "plan.json",
            "--changed-first",
            "--changed-files",
            "changed.txt",
            "--",
            "python3",
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
        ],
        dir.path(),
    );
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    let order = fs::read_to_string(dir.path().join("order.log")).unwrap();
    assert_eq!(order, "c\na\nb\n");
}

#[test]
fn changed_first_reads_the_pull_requests_files_across_pages_up_to_3000() {
    let dir = tempfile::tempdir().unwrap();
    test_files(
        dir.path(),
        &["test_a.py", "test_b.py", "test_foo.py", "test_late.py"],
    );
    let server = Server::start();
    let mut files: Vec<Value> = (0..3_050)
        .map(|i| json!({"filename": format!("docs/page{i}.md"), "status": "modified"}))
        .collect();
    files[2_999] = json!({"filename": "src/foo.py", "status": "modified"});
    files[3_040] = json!({"filename": "src/late.py", "status": "modified"});
    server.route_paged(&format!("/repos/{REPO}/pulls/7/files"), files, None);
    let env = actions_env(dir.path(), &server);
    let args = [
        "split",
        "--tests",
        "tests/test_*.py",
        "--shards",
        "1",
        "--changed-first",
    ];
    let out = gh(&args, dir.path(), &env);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        items(&json(&out))[0],
        [
            "tests/test_foo.py",
            "tests/test_a.py",
            "tests/test_b.py",
            "tests/test_late.py"
        ],
        "src/foo.py (file 3,000) counts; src/late.py (file 3,041) is past GitHub's cap"
    );
    let pages: Vec<String> = server
        .requests()
        .iter()
        .filter(|r| r.path.ends_with("/pulls/7/files"))
        .map(|r| r.param("page").unwrap_or("1").to_owned())
        .collect();
    let expected: Vec<String> = (1..=30).map(|p| p.to_string()).collect();
    assert_eq!(pages, expected, "100 per page, and no page past the cap");
    assert!(
        stderr(&out).contains("GitHub lists only the first 3000"),
        "{}",
        stderr(&out)
    );

    // Outside a pull request, or with no token: the order is unchanged.
    let no_token: Vec<_> = env
        .iter()
        .filter(|(n, _)| *n != "GITHUB_TOKEN")
        .cloned()
        .collect();
    let out = gh(&args, dir.path(), &no_token);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(items(&json(&out))[0][0], "tests/test_a.py");
    assert!(
        stderr(&out).contains("the order is unchanged"),
        "{}",
        stderr(&out)
    );
}

/// The API routes of a default branch whose newest successful run (55) has
/// no timing artifact and the one before (54) has artifact 9.
fn history_routes(server: &Server, blob: &BlobHost, size: usize) {
    server.route_paged(
        &format!("/repos/{REPO}/actions/workflows/ci.yml/runs"),
        vec![
            json!({"id": 55, "head_branch": "main"}),
            json!({"id": 54, "head_branch": "main"}),
        ],
        Some("workflow_runs"),
    );
    server.route_paged(
        &format!("/repos/{REPO}/actions/runs/55/artifacts"),
        vec![],
        Some("artifacts"),
    );
    server.route_paged(
        &format!("/repos/{REPO}/actions/runs/54/artifacts"),
        vec![json!({"id": 9, "name": "pitcrew-timings", "size_in_bytes": size, "expired": false})],
        Some("artifacts"),
    );
    server.route(
        "GET",
        &format!("/repos/{REPO}/actions/artifacts/9/zip"),
        Reply::redirect(&format!("{}/blob/9.zip?sig=abc", blob.url)),
    );
}

const SIX: [&str; 6] = [
    "test_a.py",
    "test_b.py",
    "test_c.py",
    "test_d.py",
    "test_e.py",
    "test_f.py",
];

#[test]
fn history_comes_from_the_last_runs_artifact_and_the_token_stays_home() {
    let dir = tempfile::tempdir().unwrap();
    test_files(dir.path(), &SIX);
    let timings = json!({"files": {"tests/test_a.py": 10.0, "tests/test_b.py": 1.0, "tests/test_c.py": 1.0,
        "tests/test_d.py": 1.0, "tests/test_e.py": 1.0, "tests/test_f.py": 1.0}});
    let zip = zip_of(&[("timings.json", timings.to_string().as_bytes())]);
    let blob = BlobHost::start(zip.clone());
    let server = Server::start();
    history_routes(&server, &blob, zip.len());
    let env = actions_env(dir.path(), &server);
    let out = gh(
        &["split", "-v", "--tests", "tests/test_*.py", "--shards", "2"],
        dir.path(),
        &env,
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let plan = json(&out);
    assert_eq!(
        estimates(&plan),
        [10.0, 5.0],
        "the downloaded timings were used: {plan}"
    );
    assert!(
        stderr(&out).contains("timing history: 6 files from artifact pitcrew-timings of run 54"),
        "{}",
        stderr(&out)
    );

    let requests = server.requests();
    let runs = requests
        .iter()
        .find(|r| r.path.ends_with("/workflows/ci.yml/runs"))
        .expect("runs listed");
    assert_eq!(runs.param("branch"), Some("main"));
    assert_eq!(runs.param("status"), Some("success"));
    assert!(
        requests
            .iter()
            .all(|r| r.header("authorization").is_some_and(|a| a.contains(TOKEN)))
    );
    let downloads = blob.requests();
    assert_eq!(downloads.len(), 1, "the redirect was followed once");
    for headers in &downloads {
        assert!(
            headers.iter().all(|(name, _)| name != "authorization"),
            "{headers:?}"
        );
        assert!(
            headers.iter().all(|(_, value)| !value.contains(TOKEN)),
            "{headers:?}"
        );
    }

    // With timings of its own, split asks GitHub nothing.
    server.clear_requests();
    fs::write(
        dir.path().join("t.json"),
        r#"{"files":{"tests/test_b.py":3.0}}"#,
    )
    .unwrap();
    let out = gh(
        &[
            "split",
            "--tests",
            "tests/test_*.py",
            "--shards",
            "2",
            "--timings",
            "t.json",
        ],
        dir.path(),
        &env,
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(server.requests().is_empty());
}

#[test]
fn no_run_no_artifact_or_a_404_is_no_history_and_no_error() {
    let dir = tempfile::tempdir().unwrap();
    test_files(dir.path(), &SIX);
    let args = ["split", "-v", "--tests", "tests/test_*.py", "--shards", "2"];
    // No route at all: the runs list answers 404.
    let server = Server::start();
    let env = actions_env(dir.path(), &server);
    let out = gh(&args, dir.path(), &env);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(estimates(&json(&out)), [3.0, 3.0]);
    assert!(
        stderr(&out).contains("no timing history"),
        "{}",
        stderr(&out)
    );
    assert!(!stderr(&out).contains("WARN"), "{}", stderr(&out));

    // Runs without the artifact.
    let server = Server::start();
    server.route_paged(
        &format!("/repos/{REPO}/actions/workflows/ci.yml/runs"),
        vec![json!({"id": 55})],
        Some("workflow_runs"),
    );
    server.route_paged(
        &format!("/repos/{REPO}/actions/runs/55/artifacts"),
        vec![json!({"id": 3, "name": "coverage", "size_in_bytes": 10, "expired": false})],
        Some("artifacts"),
    );
    let out = gh(&args, dir.path(), &actions_env(dir.path(), &server));
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("no artifact pitcrew-timings"),
        "{}",
        stderr(&out)
    );

    // The artifact is listed but its download is gone (404).
    let server = Server::start();
    let blob = BlobHost::start(Vec::new());
    server.fail_next(
        "GET",
        &format!("/repos/{REPO}/actions/artifacts/9/zip"),
        vec![Reply::message(404, "Not Found")],
    );
    history_routes(&server, &blob, 100);
    let out = gh(&args, dir.path(), &actions_env(dir.path(), &server));
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(estimates(&json(&out)), [3.0, 3.0]);
    assert!(blob.requests().is_empty());

    // A configurable artifact name is the one asked for.
    let server = Server::start();
    server.route_paged(
        &format!("/repos/{REPO}/actions/workflows/ci.yml/runs"),
        vec![json!({"id": 55})],
        Some("workflow_runs"),
    );
    server.route_paged(
        &format!("/repos/{REPO}/actions/runs/55/artifacts"),
        vec![],
        Some("artifacts"),
    );
    let out = gh(
        &[
            "split",
            "--tests",
            "tests/test_*.py",
            "--history-artifact",
            "my timings",
        ],
        dir.path(),
        &actions_env(dir.path(), &server),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let asked = server.requests();
    let asked = asked
        .iter()
        .find(|r| r.path.ends_with("/runs/55/artifacts"))
        .expect("artifacts listed");
    assert_eq!(asked.param("name"), Some("my%20timings"));
}

#[test]
fn a_hostile_zip_is_read_in_memory_within_its_caps() {
    let dir = tempfile::tempdir().unwrap();
    let work = dir.path().join("work");
    fs::create_dir_all(&work).unwrap();
    test_files(&work, &SIX);
    let evil = json!({"files": {"tests/test_f.py": 100.0}}).to_string();
    let good = json!({"files": {"tests/test_a.py": 10.0}}).to_string();
    // 65 MiB of zeros (over the 64 MiB entry cap) deflate to about 64 KiB.
    let bomb = vec![0u8; 65 * 1024 * 1024];
    let zip = zip_of(&[
        ("../escape.json", evil.as_bytes()),
        ("/etc/abs.json", evil.as_bytes()),
        ("big.xml", &bomb),
        ("ok.json", good.as_bytes()),
    ]);
    drop(bomb);
    assert!(zip.len() < 1024 * 1024, "{}", zip.len());
    let blob = BlobHost::start(zip.clone());
    let server = Server::start();
    history_routes(&server, &blob, zip.len());
    let out = gh(
        &["split", "--tests", "tests/test_*.py", "--shards", "2"],
        &work,
        &actions_env(&work, &server),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("`../escape.json`: skipped: its name points outside"),
        "{err}"
    );
    assert!(err.contains("`/etc/abs.json`: skipped"), "{err}");
    assert!(
        err.contains("`big.xml`: skipped: it unpacks to more than"),
        "{err}"
    );
    assert!(!dir.path().join("escape.json").exists());
    let plan = json(&out);
    // Only ok.json counted: a = 10 s, the rest the median of the known (10 s).
    let all: f64 = estimates(&plan).iter().sum();
    assert_eq!(all, 60.0, "{plan}");

    // Not a zip at all: no history, no error.
    let blob = BlobHost::start(b"<html>oops</html>".to_vec());
    let server = Server::start();
    history_routes(&server, &blob, 17);
    let out = gh(
        &["split", "--tests", "tests/test_*.py", "--shards", "2"],
        &work,
        &actions_env(&work, &server),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("not a readable zip"),
        "{}",
        stderr(&out)
    );
}

fn job(name: &str, seconds: i64, labels: &[&str]) -> Value {
    let end = 1_793_577_600 + seconds; // 2026-11-02T00:00:00Z + seconds
    json!({
        "name": name,
        "status": "completed",
        "started_at": "2026-11-02T00:00:00Z",
        "completed_at": rfc3339(end),
        "labels": labels,
    })
}

fn rfc3339(unix: i64) -> String {
    let (h, m, s) = (unix % 86_400 / 3_600, unix % 3_600 / 60, unix % 60);
    format!("2026-11-02T{h:02}:{m:02}:{s:02}Z")
}

#[test]
fn cost_prices_every_job_rounded_up_and_warns_at_80_percent() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start();
    server.route_paged(
        &format!("/repos/{REPO}/actions/workflows/ci.yml/runs"),
        vec![json!({"id": 1}), json!({"id": 2})],
        Some("workflow_runs"),
    );
    // 150 Linux jobs of 61 s over two pages: 2 minutes each.
    let linux: Vec<Value> = (0..150)
        .map(|i| job(&format!("shard {i}"), 61, &["ubuntu-latest"]))
        .collect();
    server.route_paged(
        &format!("/repos/{REPO}/actions/runs/1/jobs"),
        linux,
        Some("jobs"),
    );
    server.route_paged(
        &format!("/repos/{REPO}/actions/runs/2/jobs"),
        vec![
            job("win", 30, &["windows-latest"]),
            job("mac", 121, &["macos-latest"]),
            job("own", 3_600, &["self-hosted", "linux"]),
            json!({"name": "skipped", "status": "completed", "started_at": null, "completed_at": null, "labels": []}),
        ],
        Some("jobs"),
    );
    let env = vec![
        ("GITHUB_API_URL", server.url.clone()),
        ("GITHUB_TOKEN", TOKEN.to_owned()),
    ];
    let base = [
        "cost",
        "--repo",
        REPO,
        "--month",
        "2026-11",
        "--workflow",
        "ci.yml",
    ];
    let mut args = base.to_vec();
    args.extend(["--format", "json", "--budget-usd", "2.2"]);
    let out = gh(&args, dir.path(), &env);
    assert!(out.status.success(), "{}", stderr(&out));
    let report = json(&out);
    let estimate = &report["estimate"];
    assert_eq!(estimate["runs"], 2);
    assert_eq!(estimate["jobs"], 154);
    assert_eq!(estimate["minutes"], 300 + 1 + 3 + 60);
    assert_eq!(estimate["by_sku"]["linux"]["minutes"], 300);
    assert_eq!(estimate["by_sku"]["windows"]["minutes"], 1);
    assert_eq!(estimate["by_sku"]["macos"]["minutes"], 3);
    assert_eq!(estimate["by_sku"]["self_hosted"]["usd"], 0.0);
    let usd = estimate["usd"].as_f64().unwrap();
    assert!(
        (usd - (300.0 * 0.006 + 0.010 + 3.0 * 0.062)).abs() < 1e-9,
        "{usd}"
    );
    assert_eq!(report["budget_warning"], true);

    let requests = server.requests();
    let runs = requests
        .iter()
        .find(|r| r.path.ends_with("/ci.yml/runs"))
        .unwrap();
    assert_eq!(runs.param("created"), Some("2026-11-01..2026-11-30"));
    let job_pages = requests
        .iter()
        .filter(|r| r.path.ends_with("/runs/1/jobs"))
        .count();
    assert_eq!(job_pages, 2, "150 jobs at 100 a page");
    assert!(
        requests
            .iter()
            .filter(|r| r.path.ends_with("/jobs"))
            .all(|r| r.param("page").is_some() || r.param("filter") == Some("all"))
    );

    let mut args = base.to_vec();
    args.extend(["--budget-usd", "2.2"]);
    let out = gh(&args, dir.path(), &env);
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let warning = text
        .lines()
        .find(|l| l.starts_with("::"))
        .expect("an annotation");
    assert!(
        warning.starts_with("::warning title=pitcrew budget::ci.yml has spent an estimated $2.00 of its $2.20 monthly budget in 2026-11 (91%25)"),
        "{text}"
    );
    assert_eq!(
        text.lines().filter(|l| l.starts_with("::")).count(),
        1,
        "{text}"
    );
    let mut args = base.to_vec();
    args.extend(["--budget-usd", "10"]);
    let out = gh(&args, dir.path(), &env);
    assert!(
        !String::from_utf8_lossy(&out.stdout).contains("::"),
        "20%: no warning"
    );

    // A price table of one's own, in pitcrew.toml.
    fs::write(
        dir.path().join("pitcrew.toml"),
        "[cost.prices]\nlinux = 0.01\n",
    )
    .unwrap();
    let mut args = base.to_vec();
    args.extend(["--format", "json"]);
    let out = gh(&args, dir.path(), &env);
    assert_eq!(json(&out)["estimate"]["by_sku"]["linux"]["usd"], 3.0);

    // Round 67: a SKU the repository names is printed in the table, after
    // two spaces, where the runner reads a workflow command too. In
    // Actions the table is guarded; the budget's annotation stays one.
    fs::write(
        dir.path().join("pitcrew.toml"),
        "[cost.prices]\n\"::error file=a.rs,line=1::forged\" = 0.01\n\
         [cost.labels]\nubuntu-latest = \"::error file=a.rs,line=1::forged\"\n",
    )
    .unwrap();
    let mut args = base.to_vec();
    args.extend(["--budget-usd", "2.2"]);
    let mut in_actions = env.clone();
    in_actions.push(("GITHUB_ACTIONS", "true".into()));
    let out = gh(&args, dir.path(), &in_actions);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        text.contains("  ::error file=a.rs,line=1::forged "),
        "{text}"
    );
    let lines: Vec<&str> = text.lines().collect();
    let token = lines[0]
        .strip_prefix("::stop-commands::")
        .unwrap_or_else(|| panic!("guarded: {text}"));
    let resume = lines
        .iter()
        .position(|l| *l == format!("::{token}::"))
        .unwrap();
    assert!(
        lines[resume + 1..]
            .iter()
            .any(|l| l.starts_with("::warning title=pitcrew budget::")),
        "{text}"
    );
    assert!(
        lines[resume + 1..].iter().all(|l| !l.contains("forged")),
        "{text}"
    );

    for (bad, field) in [
        (
            vec!["cost", "--repo", REPO, "--month", "2026-13"],
            "--month: ",
        ),
        (
            vec!["cost", "--repo", REPO, "--budget-usd=-1"],
            "--budget-usd: ",
        ),
        (vec!["cost", "--repo", "nope"], "--repo: "),
    ] {
        let out = gh(&bad, dir.path(), &env);
        assert_eq!(out.status.code(), Some(2), "{bad:?}: {}", stderr(&out));
        assert!(stderr(&out).contains(field), "{}", stderr(&out));
    }
    let out = gh(
        &["cost", "--repo", REPO],
        dir.path(),
        &[("GITHUB_API_URL", server.url.clone())],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("no token"), "{}", stderr(&out));
}
