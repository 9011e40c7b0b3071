//! `pitcrew report` of 256 shard results (100,000 tests, 10,000 failures)
//! with every GitHub call made against the local test server: the check run
//! (1 create + 19 updates of 50 annotations), the sticky comment found among
//! 300 others (4 pages) and updated. Target: ≤ 3 s a run.
//!
//! `cargo bench --bench github_report` (release). The binary under test is
//! `PITCREW_BIN` when set, else the one cargo built with this bench.

#[path = "../tests/common/github_server.rs"]
#[allow(dead_code)]
mod github_server;

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use github_server::Server;
use pitcrew::suite::fold::{Counts, FailureInfo, FinalOutcome, TestKey, TestResult};
use pitcrew::suite::result::{FORMAT, ItemResult, ShardResult};

const SHARDS: usize = 256;
const TESTS: usize = 100_000;
const RUNS: usize = 5;

fn main() {
    let dir = tempfile::tempdir().expect("temp dir");
    let inputs = write_shards(dir.path());
    if let Some(keep) = std::env::var_os("PITCREW_BENCH_KEEP") {
        // The inputs stay for profiling by hand.
        for name in &inputs {
            std::fs::copy(dir.path().join(name), Path::new(&keep).join(name)).expect("keep");
        }
    }
    let api = Server::start();
    for i in 0..300 {
        api.add_comment(12, "reviewer", &format!("comment {i}"));
    }
    let payload = dir.path().join("event.json");
    std::fs::write(
        &payload,
        r#"{"repository":{"full_name":"acme/widgets","default_branch":"main"},
            "pull_request":{"number":12,"head":{"sha":"head","repo":{"full_name":"acme/widgets"}}}}"#,
    )
    .expect("payload");
    let binary =
        std::env::var("PITCREW_BIN").unwrap_or_else(|_| env!("CARGO_BIN_EXE_pitcrew").into());
    // The same report without GitHub, to show what publishing adds.
    let median = |github: bool| {
        let mut times = Vec::new();
        for run in 0..RUNS {
            api.clear_requests();
            let started = Instant::now();
            let mut command = Command::new(&binary);
            command
                .arg("report")
                .arg("--no-classify")
                .args(&inputs)
                .current_dir(dir.path())
                .env("PITCREW_NO_CACHE", "1")
                .env("GITHUB_ACTIONS", "true")
                .env("GITHUB_TOKEN", "bench-token")
                .env("GITHUB_REPOSITORY", "acme/widgets")
                .env("GITHUB_API_URL", &api.url)
                .env("GITHUB_EVENT_NAME", "pull_request")
                .env("GITHUB_EVENT_PATH", &payload)
                .env("GITHUB_SHA", "merge")
                .env("GITHUB_RUN_ID", "1")
                .env("GITHUB_STEP_SUMMARY", dir.path().join("summary.md"))
                .env("GITHUB_OUTPUT", dir.path().join("output.txt"))
                .env(
                    "PITCREW_LOG",
                    std::env::var("PITCREW_BENCH_LOG").unwrap_or_else(|_| "warn".into()),
                );
            if !github {
                command.arg("--no-github");
            }
            let out = command.output().expect("pitcrew runs");
            let elapsed = started.elapsed();
            if std::env::var_os("PITCREW_BENCH_LOG").is_some() {
                eprintln!("{}", String::from_utf8_lossy(&out.stderr));
            }
            assert_eq!(
                out.status.code(),
                Some(1),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            let requests = api.requests().len();
            if github {
                let annotated = api.check_runs().last().map_or(0, |r| r.annotations.len());
                assert_eq!(annotated, 1000, "{}", String::from_utf8_lossy(&out.stderr));
            } else {
                assert_eq!(requests, 0);
            }
            println!(
                "{} run {run}: {:.2} s, {requests} GitHub requests",
                if github { "github" } else { "--no-github" },
                elapsed.as_secs_f64()
            );
            times.push(elapsed);
        }
        times.sort();
        times[RUNS / 2]
    };
    let local = median(false);
    let github = median(true);
    println!(
        "github_report: median {:.2} s with GitHub, {:.2} s without, over {RUNS} runs each (target ≤ 3 s){}",
        github.as_secs_f64(),
        local.as_secs_f64(),
        if github <= Duration::from_secs(3) {
            ""
        } else {
            "  OVER TARGET"
        }
    );
}

/// 256 shard results: 100,000 tests, every tenth failed with a stack.
fn write_shards(dir: &Path) -> Vec<String> {
    let mut shards: Vec<ShardResult> = (1..=SHARDS)
        .map(|shard| ShardResult {
            format: FORMAT.to_string(),
            plan_sha256: "0".repeat(64),
            shard,
            total: SHARDS,
            runner: "jest".into(),
            items: Vec::new(),
            tests: Vec::new(),
            counts: Counts::default(),
            error: None,
            duration_seconds: 0.0,
            cpu_seconds: None,
            cpu_share: None,
            processes: None,
            files_running_seconds: None,
            workers: None,
            command: None,
        })
        .collect();
    for i in 0..TESTS {
        let file = format!("src/pkg_{:03}/module_{:05}.test.ts", i / 400, i / 20);
        let shard = &mut shards[(i / 20) % SHARDS];
        let failed = i % 10 == 0;
        let failure = failed.then(|| FailureInfo {
            message: Some(format!("expected {i} to equal {}", i + 1)),
            failure_type: Some("AssertionError".into()),
            details: Some(format!(
                "AssertionError: expected {i} to equal {}\n    at Object.<anonymous> ({file}:22:31)",
                i + 1
            )),
            line: None,
        });
        shard.tests.push(TestResult {
            key: TestKey {
                file: Some(file.clone()),
                classname: format!("{file} > describe"),
                name: format!("test {i} adds an item"),
                occurrence: 0,
            },
            outcome: if failed {
                FinalOutcome::Failed
            } else {
                FinalOutcome::Passed
            },
            attempts: 1,
            duration_seconds: 0.05,
            failure,
        });
        shard.counts.cases += 1;
        shard.counts.failures += u64::from(failed);
        shard.duration_seconds += 0.05;
        if i % 20 == 0 {
            shard.items.push(ItemResult {
                id: file,
                test_of: None,
                tests: 20,
                duration_seconds: 1.0,
                selected_none: false,
            });
        }
    }
    shards
        .iter()
        .map(|shard| {
            let name = format!("shard-{}.json", shard.shard);
            let text = serde_json::to_string(shard).expect("serializes");
            std::fs::write(dir.join(&name), text).expect("write shard");
            name
        })
        .collect()
}
