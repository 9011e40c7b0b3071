//! What fix verification costs (figures in the README's Performance
//! section): the wall time of `fix::suggest_fixes` for one group on a tiny
//! pytest repository (a git repository with one failing test and two
//! passing ones in its file), with a scripted model server on 127.0.0.1
//! answering N = 1, 3 and 5 distinct candidates: the correct fix first,
//! then wrong ones (one that breaks a passing test, one that still fails,
//! another correct spelling, one that fails). Iterations are 1, so the time
//! is the sandbox, the baseline run and one verification per candidate.
//! The model answers instantly: what remains is the cost of verification.
//!
//! `fix_groups` measures `triage --fix` over several root causes: 1 and 3
//! groups (each its own module, test and correct fix) through
//! `fixing::fix_groups`, `before` one group after another (concurrency 1,
//! what `triage --fix` did) and `after` as many at once as `triage --fix`
//! now verifies on this machine (`fixing::concurrency`: the model client's
//! 4, at most the cores, at least 2). Criterion's throughput is groups: its
//! time per element is the wall time per verified group.
//!
//! `cargo bench --bench fix_verify` (`-- fix_groups` for the groups alone)

#[path = "../tests/common/openai_server.rs"]
#[allow(dead_code)]
mod openai_server;

#[path = "../tests/common/git.rs"]
#[allow(dead_code)]
mod git;

use std::path::Path;
use std::time::Duration;

use criterion::{BatchSize, Criterion, SamplingMode, Throughput, criterion_group, criterion_main};
use openai_server::{Reply, Server};
use pitcrew::fix::{self, FailingTest, FixOptions, FixRequest, Status};
use pitcrew::suite::fold::{FailureInfo, FinalOutcome, TestKey, TestResult};
use pitcrew::suite::runners::TestRef;
use pitcrew::triage::document::{self, Entry};
use pitcrew::triage::fixing::{self, FixRun};
use pitcrew::triage::group::{self, Label};
use pitcrew::triage::model::ModelRef;
use pitcrew::triage::redact::Redactor;

const CALC: &str = "def add(a, b):\n    return a - b\n\n\ndef mul(a, b):\n    return a * b\n";
const TESTS: &str = "from calc import add, mul\n\n\ndef test_add():\n    assert add(2, 3) == 5\n\n\n\
def test_add_zero():\n    assert add(0, 0) == 0\n\n\ndef test_mul():\n    assert mul(2, 3) == 6\n";

/// A pytest repository whose `add` subtracts: one failing test, two passing.
fn repository() -> tempfile::TempDir {
    git::repository(&[
        ("calc.py", CALC),
        ("tests/test_calc.py", TESTS),
        (
            "tests/conftest.py",
            "import sys, os\nsys.path.insert(0, os.path.dirname(os.path.dirname(__file__)))\n",
        ),
        (".gitignore", "__pycache__/\n.pytest_cache/\n"),
    ])
}

fn block(replace: &str) -> String {
    format!("calc.py\n<<<<<<< SEARCH\n    return a - b\n=======\n    {replace}\n>>>>>>> REPLACE\n")
}

/// N distinct answers: the correct fix first.
fn answers(n: usize) -> Vec<Reply> {
    let all = [
        "return a + b",
        "return 5",
        "return a + b + 1",
        "return b + a",
        "return a * b",
    ];
    all.iter()
        .take(n)
        .map(|r| Reply::answer(&block(r)))
        .collect()
}

fn request(root: &Path) -> FixRequest {
    FixRequest {
        root: root.to_path_buf(),
        failing: vec![FailingTest {
            test: TestRef {
                file: Some("tests/test_calc.py".into()),
                classname: "tests.test_calc".into(),
                name: "test_add".into(),
            },
            file: "tests/test_calc.py".into(),
            message: "assert -1 == 5".into(),
            details:
                "tests/test_calc.py:5: in test_add\n    assert add(2, 3) == 5\nE   assert -1 == 5"
                    .into(),
            stack_files: vec!["tests/test_calc.py".into()],
        }],
        changed_files: vec!["calc.py".into()],
        command: ["python3", "-m", "pytest"].map(String::from).to_vec(),
        runner: None,
    }
}

fn bench(c: &mut Criterion) {
    let repo = repository();
    let request = request(repo.path());
    let options = FixOptions {
        iterations: 1,
        time_limit: Duration::from_secs(600),
        redactor: Redactor::new(),
        ..FixOptions::default()
    };
    let mut group = c.benchmark_group("fix_verify_pytest_group");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(30));
    for n in [1usize, 3, 5] {
        group.bench_function(format!("candidates_{n}"), |b| {
            b.iter_batched(
                || {
                    let server = Server::start();
                    server.chat(answers(n));
                    let client = server.client();
                    (server, client)
                },
                |(_server, client)| {
                    let options = FixOptions {
                        candidates: n as u32,
                        ..options.clone()
                    };
                    let suggestions = fix::suggest_fixes(
                        &client,
                        &[ModelRef::new("local", "fixer")],
                        &request,
                        &options,
                    );
                    let verified = suggestions
                        .iter()
                        .filter(|s| s.status == Status::Verified)
                        .count();
                    // "return b + a" is correct too.
                    assert_eq!(verified, if n >= 4 { 2 } else { 1 }, "{suggestions:?}");
                    assert_eq!(suggestions.len(), n);
                },
                BatchSize::PerIteration,
            );
        });
    }
    group.finish();
}

/// The root causes of the groups benchmark: each module's function
/// returns 0 where its test wants 1.
const NAMES: [&str; 3] = ["alpha", "beta", "gamma"];

fn groups_repository() -> tempfile::TempDir {
    let mut files: Vec<(String, String)> = vec![
        (
            "conftest.py".into(),
            "import sys, os\nsys.path.insert(0, os.path.dirname(__file__))\n".into(),
        ),
        (".gitignore".into(), "__pycache__/\n.pytest_cache/\n".into()),
    ];
    for name in NAMES {
        files.push((format!("{name}.py"), "def value():\n    return 0\n".into()));
        files.push((
            format!("test_{name}.py"),
            format!(
                "from {name} import value\n\n\ndef test_{name}():\n    assert value() == 1, \"{name} is wrong\"\n"
            ),
        ));
    }
    let files: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    git::repository(&files)
}

fn failed(name: &str) -> TestResult {
    TestResult {
        key: TestKey {
            file: Some(format!("test_{name}.py")),
            classname: format!("test_{name}"),
            name: format!("test_{name}"),
            occurrence: 0,
        },
        outcome: FinalOutcome::Failed,
        attempts: 1,
        duration_seconds: 0.01,
        failure: Some(FailureInfo {
            message: Some(format!("AssertionError: {name} is wrong")),
            failure_type: None,
            details: Some(format!(
                "test_{name}.py:5: in test_{name}\nE   AssertionError: {name} is wrong"
            )),
            line: None,
        }),
    }
}

/// A model that answers each group's prompt (it names the group's test)
/// with that group's correct fix.
fn fixing_server() -> Server {
    let server = Server::start();
    server.models(Reply::models(&["fixer"]));
    for name in NAMES {
        let fix = format!(
            "{name}.py\n<<<<<<< SEARCH\n    return 0\n=======\n    return 1\n>>>>>>> REPLACE\n"
        );
        server.chat_matching(&format!("test_{name}"), vec![Reply::answer(&fix)]);
    }
    server
}

fn bench_groups(c: &mut Criterion) {
    let repo = groups_repository();
    let results: Vec<TestResult> = NAMES.iter().map(|n| failed(n)).collect();
    let mut bench = c.benchmark_group("fix_groups");
    // Seconds an iteration: one iteration a sample.
    bench.sample_size(10);
    bench.sampling_mode(SamplingMode::Flat);
    bench.measurement_time(Duration::from_secs(20));
    let after = fixing::concurrency(None);
    for n in [1usize, 3] {
        bench.throughput(Throughput::Elements(n as u64));
        for (label, concurrency) in [("before_one_at_a_time", 1), ("after_at_once", after)] {
            bench.bench_function(format!("{label}/groups_{n}"), |b| {
                b.iter_batched(
                    || {
                        let server = fixing_server();
                        let client = server.client();
                        (server, client)
                    },
                    |(_server, client)| {
                        let tests: Vec<&TestResult> = results.iter().take(n).collect();
                        let labels = vec![
                            Label {
                                category: "assertion".into(),
                                specialty: "test".into(),
                                language: "python".into(),
                                classification: None,
                            };
                            n
                        ];
                        let groups = group::group(tests, labels, None);
                        assert_eq!(groups.0.len(), n);
                        let options = document::Options {
                            redactor: &Redactor::new(),
                            overrides: &Default::default(),
                            forced_model: None,
                            models: Err("benchmark: fixes only".into()),
                        };
                        let (mut triage, _) =
                            document::build(&groups, Err("benchmark".into()), &options);
                        for report in &mut triage.groups {
                            report.route.models = vec!["fixer".into()];
                        }
                        let run = FixRun {
                            root: repo.path(),
                            command: ["python3", "-m", "pytest", "-p", "no:cacheprovider"]
                                .map(String::from)
                                .to_vec(),
                            runner: None,
                            changed_files: NAMES.iter().map(|n| format!("{n}.py")).collect(),
                            options: FixOptions {
                                candidates: 1,
                                iterations: 1,
                                time_limit: Duration::from_secs(600),
                                redactor: Redactor::new(),
                                ..FixOptions::default()
                            },
                            apply: false,
                            concurrency,
                        };
                        fixing::fix_groups(
                            &groups,
                            &mut triage,
                            Some(&client),
                            &run,
                            &mut std::io::sink(),
                        );
                        for report in &triage.groups {
                            let verified = matches!(
                                report.suggestions.first(),
                                Some(Entry::Fix(s)) if s.status == Status::Verified
                            );
                            assert!(verified, "{:?}", report.suggestions);
                        }
                    },
                    BatchSize::PerIteration,
                );
            });
        }
    }
    bench.finish();
}

criterion_group!(benches, bench, bench_groups);
criterion_main!(benches);
