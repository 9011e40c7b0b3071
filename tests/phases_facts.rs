//! The facts each pipeline hands its phases, as the host really produces
//! them, against their shipped schemas (schemas/facts/): the plan's from
//! every example cluster (a missing report too), the test pipeline's from
//! parsed JUnit with failures, flaky tests, shards and changed files.

use std::fs;
use std::path::Path;

use pitcrew::config::Config;
use pitcrew::suite::fold::Folder;
use pitcrew::suite::merge::{self, Inputs, ShardStat};
use pitcrew::suite::phases::{self, Context};
use pitcrew::suite::shard::FlakyPolicy;
use pitcrew::training::{facts, spec};
use serde_json::Value;

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn validator(name: &str) -> jsonschema::Validator {
    let text = fs::read_to_string(repo().join("schemas/facts").join(name)).unwrap();
    jsonschema::validator_for(&serde_json::from_str(&text).unwrap()).unwrap()
}

fn assert_valid(validator: &jsonschema::Validator, facts: &Value) {
    let errors: Vec<String> = validator
        .iter_errors(facts)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:?}\n{facts:#}");
}

fn plan_facts(spec_path: &Path) -> Value {
    let spec = spec::load(spec_path).unwrap();
    facts::gather(
        &spec,
        &facts::FactOptions {
            max_report_age_s: 24 * 3600,
            run_sync: true,
            now_unix: 1_800_000_000,
        },
    )
}

#[test]
fn the_plan_facts_of_every_example_match_their_schema() {
    let schema = validator("plan-facts.schema.json");
    for example in ["healthy", "heterogeneous", "inconsistent"] {
        let facts = plan_facts(
            &repo()
                .join("examples/training")
                .join(example)
                .join("spec.toml"),
        );
        assert_eq!(facts["version"], facts::FACTS_VERSION);
        assert_valid(&schema, &facts);
    }
}

#[test]
fn plan_facts_with_a_missing_report_and_no_sync_match_their_schema() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("train.py"), "print(1)\n").unwrap();
    fs::write(
        dir.path().join("spec.toml"),
        "[job]\nscript = \"train.py\"\ndataset_examples = 100\nbatch_size = 4\nepochs = 1\ncheckpoint_dir = \"ck\"\nframework = \"torch\"\n\n\
         [[worker]]\nname = \"a\"\nreport = \"reports/a.json\"\n",
    )
    .unwrap();
    let facts = plan_facts(&dir.path().join("spec.toml"));
    assert_eq!(facts["workers"][0]["throughput"], Value::Null, "{facts:#}");
    assert_valid(&validator("plan-facts.schema.json"), &facts);
}

#[test]
fn the_test_facts_match_their_schema() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("junit.xml");
    fs::write(
        &path,
        r#"<testsuite name="s">
  <testcase classname="m" name="ok" time="0.5" file="tests/test_m.py"/>
  <testcase classname="m" name="bad" time="0.1"><failure message="assert 1 == 2" type="AssertionError">trace</failure></testcase>
  <testcase classname="m" name="wobbly" time="0.2"><flakyFailure message="once"/></testcase>
  <testcase classname="m" name="later"><skipped/></testcase>
</testsuite>"#,
    )
    .unwrap();
    let mut folder = Folder::default();
    pitcrew::suite::junit::parse_file(&path, |case| folder.add(case)).unwrap();
    let (counts, _, tests) = folder.finish();
    let mut merged = merge::merge(
        Inputs {
            junit_counts: counts,
            junit_tests: tests,
            ..Inputs::default()
        },
        None,
    );
    merged.shards = vec![
        ShardStat {
            shard: 1,
            tests: 2,
            duration_seconds: 3.0,
        },
        ShardStat {
            shard: 2,
            tests: 2,
            duration_seconds: 1.0,
        },
    ];
    merged
        .problems
        .push("shard 3/3: missing (no result for it)".into());
    let config = Config::default();
    let context = Context {
        flaky: FlakyPolicy::Fail,
        changed_files: Some(vec!["src/m.py".into()]),
        config: &config,
    };
    let facts = phases::facts(&merged, &context);
    assert_eq!(facts["failures"][0]["id"], "m > bad");
    assert_eq!(facts["failures"][0]["message"], "assert 1 == 2");
    assert_eq!(facts["flaky"][0]["id"], "m > wobbly");
    assert_eq!(facts["balance"], 1.5);
    assert_valid(&validator("test-facts.schema.json"), &facts);

    let bare = Context {
        flaky: FlakyPolicy::Pass,
        changed_files: None,
        config: &config,
    };
    merged.shards.clear();
    assert_valid(
        &validator("test-facts.schema.json"),
        &phases::facts(&merged, &bare),
    );
}
