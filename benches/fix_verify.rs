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
//! `cargo bench --bench fix_verify`

#[path = "../tests/common/openai_server.rs"]
#[allow(dead_code)]
mod openai_server;

#[path = "../tests/common/git.rs"]
#[allow(dead_code)]
mod git;

use std::path::Path;
use std::time::Duration;

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use openai_server::{Reply, Server};
use pitcrew::fix::{self, FailingTest, FixOptions, FixRequest, Status};
use pitcrew::suite::runners::TestRef;
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

criterion_group!(benches, bench);
criterion_main!(benches);
