//! The Action's own scripts, run by bash as the runner runs them: installing
//! a release (checksum, tool cache, fallback to a source build) and turning
//! inputs into one pitcrew command line without ever evaluating them.
//!
//! Releases are served over HTTP on 127.0.0.1 the way GitHub serves them: the
//! release URL answers with a 302 to another host (another port here) that
//! holds the bytes, and every request both hosts see is recorded.

mod common;

use std::collections::HashMap;
use std::fs;
use std::io::{BufRead as _, BufReader, Write as _};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::{Arc, Mutex};

fn script(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("scripts/action")
        .join(name)
}

fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// One request as a server saw it: the path and the headers (names lowercased).
#[derive(Debug, Clone)]
struct Seen {
    path: String,
    headers: HashMap<String, String>,
}

type Handler = dyn Fn(&str) -> (u16, Vec<(String, String)>, Vec<u8>) + Send + Sync;

/// A minimal HTTP/1.1 server on 127.0.0.1: one connection at a time (curl
/// makes one request per connection here), `Connection: close`.
struct HttpServer {
    base: String,
    seen: Arc<Mutex<Vec<Seen>>>,
}

impl HttpServer {
    fn start(handler: Box<Handler>) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
        let base = format!("http://{}", listener.local_addr().expect("address"));
        let seen = Arc::new(Mutex::new(Vec::new()));
        let log = Arc::clone(&seen);
        // The thread ends with the test process; a test that is done simply
        // stops connecting.
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                if let Some(request) = serve(stream, &*handler) {
                    log.lock().expect("request log").push(request);
                }
            }
        });
        Self { base, seen }
    }

    fn seen(&self) -> Vec<Seen> {
        self.seen.lock().expect("request log").clone()
    }
}

fn serve(stream: TcpStream, handler: &Handler) -> Option<Seen> {
    let mut reader = BufReader::new(stream.try_clone().ok()?);
    let mut line = String::new();
    reader.read_line(&mut line).ok()?;
    let path = line.split_whitespace().nth(1)?.to_owned();
    let mut headers = HashMap::new();
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header).ok()? == 0 || header.trim().is_empty() {
            break;
        }
        if let Some((name, value)) = header.split_once(':') {
            headers.insert(name.trim().to_ascii_lowercase(), value.trim().to_owned());
        }
    }
    let (status, extra, body) = handler(&path);
    let mut out = stream;
    let mut head = format!(
        "HTTP/1.1 {status} X\r\nContent-Length: {}\r\nConnection: close\r\n",
        body.len()
    );
    for (name, value) in extra {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    out.write_all(head.as_bytes()).ok()?;
    out.write_all(&body).ok()?;
    Some(Seen { path, headers })
}

/// GitHub's two release hosts: `github` answers
/// `/OWNER/NAME/releases/download/TAG/ASSET` with a 302 to `objects`, which
/// serves the file from `root` (404 when it isn't there).
struct ReleaseHost {
    github: HttpServer,
    objects: HttpServer,
}

impl ReleaseHost {
    fn start(root: PathBuf) -> Self {
        let objects = HttpServer::start(Box::new(move |path: &str| {
            let file = path.split('?').next().unwrap_or_default();
            match fs::read(root.join(file.trim_start_matches('/'))) {
                Ok(bytes) => (200, Vec::new(), bytes),
                Err(_) => (404, Vec::new(), b"Not Found".to_vec()),
            }
        }));
        let target = objects.base.clone();
        let github = HttpServer::start(Box::new(move |path: &str| {
            match path.strip_prefix("/pitcrew/pitcrew/releases/download/") {
                Some(rest) => (
                    302,
                    vec![(
                        "Location".to_owned(),
                        format!("{target}/{rest}?X-Amz-Signature=signed"),
                    )],
                    Vec::new(),
                ),
                None => (404, Vec::new(), b"Not Found".to_vec()),
            }
        }));
        Self { github, objects }
    }

    fn download_base(&self) -> String {
        format!("{}/pitcrew/pitcrew/releases/download", self.github.base)
    }
}

/// A runner's world: tool cache, temp, GITHUB_PATH, and a release host on
/// 127.0.0.1 serving the `releases` folder.
struct Runner {
    dir: tempfile::TempDir,
    host: ReleaseHost,
}

impl Runner {
    fn new() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        for sub in ["toolcache", "temp", "releases", "action"] {
            fs::create_dir_all(dir.path().join(sub)).expect("mkdir");
        }
        fs::write(dir.path().join("action/Cargo.lock"), "lock").expect("lockfile");
        fs::write(dir.path().join("github_path"), "").expect("GITHUB_PATH");
        let host = ReleaseHost::start(dir.path().join("releases"));
        Self { dir, host }
    }

    fn path(&self, sub: &str) -> PathBuf {
        self.dir.path().join(sub)
    }

    /// Publishes a release whose tarball holds an executable `pitcrew`
    /// printing `marker`; `sums` overrides the SHA256SUMS line's hash.
    fn publish(&self, tag: &str, marker: &str, sums: Option<&str>) {
        let stage = self.path("stage");
        fs::create_dir_all(&stage).expect("stage");
        let exe = stage.join("pitcrew");
        fs::write(&exe, format!("#!/bin/sh\necho {marker}\n")).expect("exe");
        let status = Command::new("chmod")
            .arg("+x")
            .arg(&exe)
            .status()
            .expect("chmod");
        assert!(status.success());
        let release = self.path("releases").join(tag);
        fs::create_dir_all(&release).expect("release dir");
        let asset = format!("pitcrew-{tag}-x86_64-unknown-linux-gnu.tar.gz");
        let status = Command::new("tar")
            .arg("-czf")
            .arg(release.join(&asset))
            .arg("-C")
            .arg(&stage)
            .arg("pitcrew")
            .status()
            .expect("tar");
        assert!(status.success());
        let bytes = fs::read(release.join(&asset)).expect("asset");
        let hash = sums.map_or_else(|| sha256_hex(&bytes), str::to_owned);
        fs::write(
            release.join("SHA256SUMS"),
            format!("{}  other-asset.tar.gz\n{hash}  {asset}\n", "0".repeat(64)),
        )
        .expect("sums");
    }

    fn install(&self, mode: &str, env: &[(&str, &str)]) -> Output {
        let mut command = Command::new("bash");
        command
            .arg(script("install.sh"))
            .arg(mode)
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("RUNNER_OS", "Linux")
            .env("RUNNER_ARCH", "X64")
            .env("RUNNER_TOOL_CACHE", self.path("toolcache"))
            .env("RUNNER_TEMP", self.path("temp"))
            .env("GITHUB_PATH", self.path("github_path"))
            // A token in the step's environment must stay there.
            .env("GITHUB_TOKEN", "ghs_secret-token")
            .env("PITCREW_ACTION_PATH", self.path("action"))
            .env("PITCREW_REPOSITORY", "pitcrew/pitcrew")
            .env("PITCREW_RELEASE_URL", self.host.download_base());
        for (key, value) in env {
            command.env(key, value);
        }
        command.output().expect("bash runs")
    }
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn line_value(text: &str, key: &str) -> Option<String> {
    text.lines()
        .find_map(|line| line.strip_prefix(&format!("{key}=")).map(str::to_owned))
}

#[test]
fn a_release_is_checked_installed_in_the_tool_cache_and_reused() {
    let runner = Runner::new();
    runner.publish("v1.2.3", "released", None);

    let output = runner.install("download", &[("PITCREW_ACTION_REF", "v1.2.3")]);
    assert!(output.status.success(), "{output:?}");
    let out = stdout(&output);
    assert_eq!(line_value(&out, "installed").as_deref(), Some("true"));
    let exe = PathBuf::from(line_value(&out, "path").expect("path= line"));
    assert!(exe.starts_with(runner.path("toolcache/pitcrew/1.2.3/X64")));
    let ran = Command::new(&exe).output().expect("installed binary runs");
    assert_eq!(String::from_utf8_lossy(&ran.stdout).trim(), "released");
    let github_path = fs::read_to_string(runner.path("github_path")).expect("GITHUB_PATH");
    assert_eq!(
        github_path.trim(),
        exe.parent().expect("dir").to_string_lossy()
    );
    assert!(runner.path("toolcache/pitcrew/1.2.3/X64.complete").exists());

    // GitHub's path: the release URL, then its redirect to the download
    // host, for the asset and the checksums; no credential to either host.
    let github: Vec<String> = runner
        .host
        .github
        .seen()
        .into_iter()
        .map(|s| s.path)
        .collect();
    assert_eq!(
        github,
        [
            "/pitcrew/pitcrew/releases/download/v1.2.3/pitcrew-v1.2.3-x86_64-unknown-linux-gnu.tar.gz",
            "/pitcrew/pitcrew/releases/download/v1.2.3/SHA256SUMS",
        ]
    );
    let objects = runner.host.objects.seen();
    assert_eq!(objects.len(), 2, "{objects:?}");
    for seen in runner.host.github.seen().iter().chain(&objects) {
        assert!(
            !seen.headers.contains_key("authorization"),
            "no token sent: {seen:?}"
        );
    }

    // The second job on this runner downloads nothing: the release is gone
    // and the cached binary still answers.
    fs::remove_dir_all(runner.path("releases/v1.2.3")).expect("unpublish");
    let again = runner.install("download", &[("PITCREW_ACTION_REF", "v1.2.3")]);
    assert!(again.status.success(), "{again:?}");
    assert_eq!(
        line_value(&stdout(&again), "path"),
        Some(exe.to_string_lossy().into_owned())
    );
    assert_eq!(
        runner.host.github.seen().len(),
        2,
        "no request the second time"
    );
}

#[test]
fn plain_http_is_refused_for_anything_but_this_machine() {
    let runner = Runner::new();
    runner.publish("v1.2.3", "released", None);
    // The same server under a name the script does not know as loopback
    // (curl reads 127.1 as 127.0.0.1): curl must refuse the protocol before
    // connecting, and the step builds from source.
    let base = runner.host.download_base().replace("127.0.0.1", "127.1");
    let output = runner.install(
        "download",
        &[
            ("PITCREW_ACTION_REF", "v1.2.3"),
            ("PITCREW_RELEASE_URL", &base),
        ],
    );
    assert!(output.status.success(), "{output:?}");
    assert_eq!(
        line_value(&stdout(&output), "installed").as_deref(),
        Some("false")
    );
    assert!(runner.host.github.seen().is_empty(), "never connected");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("Protocol"), "{stderr}");
}

#[test]
fn the_version_input_overrides_the_ref_and_gains_its_v() {
    let runner = Runner::new();
    runner.publish("v2.0.0", "two", None);
    let output = runner.install(
        "download",
        &[("PITCREW_ACTION_REF", "main"), ("PITCREW_VERSION", "2.0.0")],
    );
    assert!(output.status.success(), "{output:?}");
    assert_eq!(
        line_value(&stdout(&output), "installed").as_deref(),
        Some("true")
    );
}

#[test]
fn a_checksum_mismatch_stops_the_install_and_installs_nothing() {
    let runner = Runner::new();
    runner.publish("v1.0.0", "tampered", Some(&"ab".repeat(32)));
    let output = runner.install("download", &[("PITCREW_ACTION_REF", "v1.0.0")]);
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("does not match SHA256SUMS"), "{stderr}");
    assert_eq!(line_value(&stdout(&output), "installed"), None);
    assert!(!runner.path("toolcache/pitcrew/1.0.0/X64.complete").exists());
    let github_path = fs::read_to_string(runner.path("github_path")).expect("GITHUB_PATH");
    assert!(github_path.is_empty(), "nothing on PATH: {github_path}");
}

#[test]
fn a_branch_a_missing_release_or_an_unknown_runner_falls_back_to_a_build() {
    let runner = Runner::new();
    for env in [
        vec![("PITCREW_ACTION_REF", "main")],
        vec![(
            "PITCREW_ACTION_REF",
            "0123456789abcdef0123456789abcdef01234567",
        )],
        vec![("PITCREW_ACTION_REF", "v9.9.9")], // no such release
        vec![("PITCREW_ACTION_REF", "v1.0.0"), ("RUNNER_ARCH", "ARM")],
    ] {
        let output = runner.install("download", &env);
        assert!(output.status.success(), "{env:?}: {output:?}");
        let out = stdout(&output);
        assert_eq!(
            line_value(&out, "installed").as_deref(),
            Some("false"),
            "{env:?}"
        );
        assert!(line_value(&out, "cache-key").is_some_and(|key| key.len() == 64));
    }
}

#[test]
fn the_ref_and_repository_come_from_the_action_path_when_the_runner_leaves_them_empty() {
    let runner = Runner::new();
    runner.publish("v3.1.0", "from-path", None);
    let action = runner.path("work/_actions/pitcrew/pitcrew/v3.1.0");
    fs::create_dir_all(&action).expect("action dir");
    fs::write(action.join("Cargo.lock"), "lock").expect("lockfile");
    let action = action.to_string_lossy().into_owned();
    let output = runner.install(
        "download",
        &[
            ("PITCREW_ACTION_PATH", action.as_str()),
            ("PITCREW_ACTION_REF", ""),
            ("PITCREW_REPOSITORY", ""),
        ],
    );
    assert!(output.status.success(), "{output:?}");
    assert_eq!(
        line_value(&stdout(&output), "installed").as_deref(),
        Some("true")
    );
}

#[test]
fn a_version_input_that_is_not_a_tag_is_refused() {
    let runner = Runner::new();
    let output = runner.install("download", &[("PITCREW_VERSION", "1.0; rm -rf /")]);
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    assert!(String::from_utf8_lossy(&output.stderr).contains("input 'version'"));
}

/// Runs run.sh with a fake pitcrew that prints each argument on its own
/// line, and returns what the step did.
fn run_action(env: &[(&str, &str)], exit_with: i32) -> Step {
    let dir = tempfile::tempdir().expect("temp dir");
    let fake = dir.path().join("pitcrew");
    fs::write(
        &fake,
        format!(
            "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\n' \"$a\" >> argv; done\nexit {exit_with}\n"
        ),
    )
    .expect("fake");
    assert!(
        Command::new("chmod")
            .arg("+x")
            .arg(&fake)
            .status()
            .expect("chmod")
            .success()
    );
    fs::write(dir.path().join("pitcrew-shard-1.json"), "{}").expect("result");
    fs::write(dir.path().join("pitcrew-shard-2.json"), "{}").expect("result");
    let outputs = dir.path().join("github_output");
    let mut command = Command::new("bash");
    command
        .arg(script("run.sh"))
        .current_dir(dir.path())
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("PITCREW_BIN", &fake)
        .env("GITHUB_OUTPUT", &outputs);
    for (key, value) in env {
        command.env(key, value);
    }
    let output = command.output().expect("bash runs");
    let argv = fs::read_to_string(dir.path().join("argv"))
        .unwrap_or_default()
        .lines()
        .map(str::to_owned)
        .collect();
    Step {
        code: output.status.code(),
        argv,
        outputs: fs::read_to_string(&outputs).unwrap_or_default(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

struct Step {
    code: Option<i32>,
    /// The fake pitcrew's arguments, one per line.
    argv: Vec<String>,
    /// What the step wrote to $GITHUB_OUTPUT.
    outputs: String,
    stderr: String,
}

#[test]
fn inputs_become_one_command_line_and_are_never_evaluated() {
    let Step {
        code,
        argv,
        outputs,
        ..
    } = run_action(
        &[
            ("PITCREW_COMMAND", "test"),
            ("PITCREW_SHARDS", "3"),
            ("PITCREW_ARGS", "--retries 2"),
            ("PITCREW_TEST_COMMAND", "pytest -k $(touch pwned) *"),
        ],
        1,
    );
    assert_eq!(code, Some(1), "pitcrew's exit code is the step's");
    assert_eq!(
        argv,
        [
            "test",
            "--shards",
            "3",
            "--retries",
            "2",
            "--",
            "pytest",
            "-k",
            "$(touch",
            "pwned)",
            "*"
        ]
    );
    assert!(outputs.contains("exit-code=1"), "{outputs}");
}

#[test]
fn each_command_gets_its_inputs() {
    let Step { code, argv, .. } = run_action(
        &[
            ("PITCREW_COMMAND", "run"),
            ("PITCREW_SHARD", "2/4"),
            ("PITCREW_TEST_COMMAND", "node --test"),
            ("PITCREW_CONFIG_FILE", "ci/pitcrew.toml"),
        ],
        0,
    );
    assert_eq!(code, Some(0));
    assert_eq!(
        argv,
        [
            "--config",
            "ci/pitcrew.toml",
            "run",
            "--shard",
            "2/4",
            "--plan",
            "pitcrew-plan.json",
            "--",
            "node",
            "--test"
        ]
    );

    let Step { argv, .. } = run_action(
        &[
            ("PITCREW_COMMAND", "report"),
            ("PITCREW_PLAN", "plan.json"),
            ("PITCREW_COMMENT", "failures"),
            ("PITCREW_BUDGET_USD", "50"),
        ],
        0,
    );
    assert_eq!(
        argv,
        [
            "report",
            "--plan",
            "plan.json",
            "--comment",
            "failures",
            "--budget-usd",
            "50",
            "pitcrew-shard-1.json",
            "pitcrew-shard-2.json"
        ]
    );

    let Step { argv, outputs, .. } = run_action(
        &[
            ("PITCREW_COMMAND", "split"),
            ("PITCREW_TIMINGS", "timings/*.xml"),
        ],
        0,
    );
    assert_eq!(
        argv,
        [
            "split",
            "--shards",
            "auto",
            "--format",
            "matrix",
            "-o",
            "pitcrew-plan.json",
            "--timings",
            "timings/*.xml"
        ],
        "timing globs reach pitcrew unexpanded"
    );
    assert!(outputs.contains("plan=pitcrew-plan.json"), "{outputs}");
}

#[test]
fn a_missing_or_unknown_input_is_one_error_line_and_exit_2() {
    for (env, needle) in [
        (vec![("PITCREW_COMMAND", "deploy")], "input 'command'"),
        (
            vec![
                ("PITCREW_COMMAND", "run"),
                ("PITCREW_TEST_COMMAND", "pytest"),
            ],
            "input 'shard'",
        ),
        (vec![("PITCREW_COMMAND", "test")], "input 'test-command'"),
        (
            vec![
                ("PITCREW_COMMAND", "report"),
                ("PITCREW_RESULTS", "nothing-*.json"),
            ],
            "input 'results'",
        ),
    ] {
        let step = run_action(&env, 0);
        assert_eq!(step.code, Some(2), "{env:?}");
        assert!(step.argv.is_empty(), "pitcrew never ran: {:?}", step.argv);
        assert!(step.stderr.contains(needle), "{env:?}: {}", step.stderr);
        assert_eq!(step.stderr.lines().count(), 1, "one line: {}", step.stderr);
    }
}

#[test]
fn triage_gets_its_model_endpoint_and_budget() {
    let Step { code, argv, .. } = run_action(
        &[
            ("PITCREW_COMMAND", "triage"),
            ("PITCREW_MODEL", "openai/gpt-4o-mini"),
            ("PITCREW_MODEL_ENDPOINT", "github-models"),
            ("PITCREW_BUDGET_USD", "0.50"),
        ],
        0,
    );
    assert_eq!(code, Some(0));
    assert_eq!(
        argv,
        [
            "triage",
            "--format",
            "json",
            "-o",
            "pitcrew-triage.json",
            "--model",
            "openai/gpt-4o-mini",
            "--model-endpoint",
            "github-models",
            "--max-cost-usd",
            "0.50",
            "pitcrew-shard-1.json",
            "pitcrew-shard-2.json"
        ]
    );
    let Step { argv, .. } = run_action(
        &[
            ("PITCREW_COMMAND", "triage"),
            ("PITCREW_MODEL_ENDPOINT", "http://127.0.0.1:11434/v1"),
        ],
        0,
    );
    assert_eq!(argv[5..7], ["--model-url", "http://127.0.0.1:11434/v1"]);

    // The test command verifies fixes: after the results, behind `--`.
    let Step { argv, .. } = run_action(
        &[
            ("PITCREW_COMMAND", "triage"),
            ("PITCREW_ARGS", "--fix 3"),
            ("PITCREW_TEST_COMMAND", "pytest -q"),
        ],
        0,
    );
    assert_eq!(
        argv[5..],
        [
            "--fix",
            "3",
            "pitcrew-shard-1.json",
            "pitcrew-shard-2.json",
            "--",
            "pytest",
            "-q"
        ]
    );

    let step = run_action(
        &[
            ("PITCREW_COMMAND", "triage"),
            ("PITCREW_MODEL_ENDPOINT", "$(touch pwned)"),
        ],
        0,
    );
    assert_eq!(step.code, Some(2));
    assert!(step.argv.is_empty(), "pitcrew never ran: {:?}", step.argv);
    assert!(
        step.stderr.contains("PITCREW_MODEL_ENDPOINT"),
        "{}",
        step.stderr
    );
    assert_eq!(step.stderr.lines().count(), 1, "one line: {}", step.stderr);
}

/// Two shards' JUnit: one root cause on both (different ports), one more on
/// the second; the model's answer is hostile Markdown.
const TRIAGE_SHARDS: [(&str, &str); 2] = [
    (
        "shard-1.xml",
        r#"<testsuite name="a"><testcase classname="tests.test_db" name="test_a" file="tests/test_db.py"><failure message="ConnectionError: refused at 127.0.0.1:5432">  File "/w/app/db.py", line 3, in connect
ConnectionError: refused</failure></testcase></testsuite>
"#,
    ),
    (
        "shard-2.xml",
        r#"<testsuite name="b"><testcase classname="tests.test_db" name="test_b" file="tests/test_db.py"><failure message="ConnectionError: refused at 127.0.0.1:61000">  File "/w/app/db.py", line 3, in connect
ConnectionError: refused</failure></testcase>
<testcase classname="tests.test_cart" name="test_total" file="tests/test_cart.py"><failure message="AssertionError: assert 41 == 42">  File "/w/tests/test_cart.py", line 9, in test_total
AssertionError: assert 41 == 42</failure></testcase></testsuite>
"#,
    ),
];

/// What one run of run.sh with `command: triage` and the real binary left:
/// its exit code, $GITHUB_OUTPUT, the step summary and stdout.
struct Triaged {
    code: Option<i32>,
    outputs: String,
    summary: String,
    stdout: String,
}

fn triage_step(dir: &Path, endpoint: &str, budget: &str) -> Triaged {
    let outputs = dir.join(format!("github_output_{budget}"));
    let summary = dir.join(format!("step_summary_{budget}"));
    let output = Command::new("bash")
        .arg(script("run.sh"))
        .current_dir(dir)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", dir)
        .env("PITCREW_NO_CACHE", "1")
        .env("PITCREW_BIN", env!("CARGO_BIN_EXE_pitcrew"))
        .env("GITHUB_ACTIONS", "true")
        .env("GITHUB_OUTPUT", &outputs)
        .env("GITHUB_STEP_SUMMARY", &summary)
        .env("PITCREW_COMMAND", "triage")
        .env("PITCREW_RESULTS", "shard-*.xml")
        .env("PITCREW_MODEL", "fixer:7b")
        .env("PITCREW_MODEL_ENDPOINT", endpoint)
        .env("PITCREW_BUDGET_USD", budget)
        .output()
        .expect("bash runs");
    Triaged {
        code: output.status.code(),
        outputs: fs::read_to_string(&outputs).unwrap_or_default(),
        summary: fs::read_to_string(&summary).unwrap_or_default(),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
    }
}

#[test]
fn triage_runs_for_real_into_the_step_summary_and_outputs_within_the_budget() {
    use common::openai_server::{Reply, Server};
    let server = Server::start();
    server
        .models(Reply::models(&["fixer:7b"]))
        .chat(vec![Reply::answer(
            "Start the db first.\n```\n::error::owned\n``` <img src=x> @team",
        )]);
    let dir = tempfile::tempdir().expect("temp dir");
    for (name, xml) in TRIAGE_SHARDS {
        fs::write(dir.path().join(name), xml).expect("shard");
    }
    // A call costs $1.50 (10 tokens in, 5 out).
    fs::write(
        dir.path().join("pitcrew.toml"),
        "[models.prices.\"fixer:7b\"]\ninput_per_million = 100000.0\noutput_per_million = 100000.0\n",
    )
    .expect("config");

    // A budget that is no amount of money is bad input: nothing written.
    let bad = triage_step(dir.path(), &server.base(), "-1");
    assert_eq!(bad.code, Some(2), "{}", bad.stdout);
    assert!(bad.outputs.contains("exit-code=2"), "{}", bad.outputs);
    assert!(bad.summary.is_empty() && !dir.path().join("pitcrew-triage.json").exists());

    // No budget: no call at all, and the summary says why.
    let none = triage_step(dir.path(), &server.base(), "0");
    assert_eq!(none.code, Some(0), "{}", none.stdout);
    assert!(server.chats().is_empty(), "a $0 budget asks nothing");
    assert!(
        none.summary
            .contains("the model budget ran out: 2 of 2 root causes have no suggestion"),
        "{}",
        none.summary
    );

    let run = triage_step(dir.path(), &server.base(), "5");
    assert_eq!(run.code, Some(0), "{}", run.stdout);
    for (name, value) in [
        ("failed", "3"),
        ("summary", "3 failures, 2 root causes"),
        ("report-path", "pitcrew-triage.json"),
    ] {
        assert!(
            run.outputs.contains(&format!("{name}<<"))
                && run.outputs.contains(&format!("\n{value}\n")),
            "{name}={value} in {}",
            run.outputs
        );
    }
    assert!(run.outputs.ends_with("exit-code=0\n"), "{}", run.outputs);
    let md = &run.summary;
    assert!(
        md.starts_with("### pitcrew triage: 3 failures, 2 root causes"),
        "{md}"
    );
    assert!(!md.contains("budget ran out"), "{md}");
    // The answer's fence (and its HTML) cannot leave the block it is shown
    // in: the block's fence is longer than any backtick run inside.
    assert!(md.contains("````text\nStart the db first.\n```\n"), "{md}");
    assert!(!run.stdout.lines().any(|l| l.starts_with("::error::owned")));

    let json: serde_json::Value = serde_json::from_str(
        &fs::read_to_string(dir.path().join("pitcrew-triage.json")).expect("triage JSON"),
    )
    .expect("JSON");
    assert_eq!(json["suggestions"], "on");
    assert_eq!(server.chats().len(), 2, "one call per root cause");
    assert!(
        server
            .chats()
            .iter()
            .all(|c| c.model().as_deref() == Some("fixer:7b"))
    );
}
