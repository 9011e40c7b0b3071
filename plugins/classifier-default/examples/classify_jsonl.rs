//! The classifier alone, natively, as `pitcrew classify FILE --format jsonl
//! --no-route` answers: one JSON object per line of FILE (`id`, `test_name`,
//! `file`, `message`, `details`), with category, specialty, language,
//! confidence and evidence. Other arguments are ignored, so
//! `scripts/classifier-corpus/score-set.py --pitcrew` can drive it in place
//! of the host, and a rule's cost can be counted without building the host:
//!
//!     cargo build --release -p classifier-default --example classify_jsonl
//!     valgrind --tool=callgrind target/release/examples/classify_jsonl classify cases.jsonl

use std::io::{BufWriter, Write};
use std::process::ExitCode;

use classifier_default::{Failure, classify};

fn main() -> ExitCode {
    let Some(path) = std::env::args().skip(1).find(|a| a.ends_with(".jsonl")) else {
        eprintln!("usage: classify_jsonl [classify] FILE.jsonl");
        return ExitCode::from(2);
    };
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) => {
            eprintln!("{path}: {e}");
            return ExitCode::from(2);
        }
    };
    let mut out = BufWriter::new(std::io::stdout().lock());
    for (number, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let record: serde_json::Value = match serde_json::from_str(line) {
            Ok(record) => record,
            Err(e) => {
                eprintln!("{path}:{}: {e}", number + 1);
                return ExitCode::from(2);
            }
        };
        let field = |key: &str| record[key].as_str().unwrap_or_default().to_owned();
        let file = field("file");
        let answer = classify(&Failure {
            id: field("id"),
            test_name: field("test_name"),
            file: (!file.is_empty()).then_some(file),
            message: field("message"),
            details: field("details"),
        });
        let row = serde_json::json!({
            "id": answer.id,
            "category": answer.category.as_str(),
            "specialty": answer.specialty.as_str(),
            "language": answer.language.as_str(),
            "confidence": answer.confidence,
            "evidence": answer.evidence,
        });
        if writeln!(out, "{row}").is_err() {
            return ExitCode::FAILURE;
        }
    }
    if out.flush().is_err() {
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}
