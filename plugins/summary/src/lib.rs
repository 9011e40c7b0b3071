//! The `summary` phase: a count of the checks recorded before it, by
//! status, and the ids of the failed blocking checks, under the key
//! `summary`. It runs last in a pipeline that lists it last.

use serde_json::{Value, json};

/// The key this phase owns.
pub const KEY: &str = "summary";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    Pass,
    Warn,
    Fail,
    Skip,
}

/// The part of a check the summary reads.
pub struct CheckView<'a> {
    pub id: &'a str,
    pub status: Status,
    pub blocking: bool,
}

/// `{"summary": {"checks": n, "pass": …, "warn": …, "fail": …, "skip": …,
/// "blocking_failures": [ids], "status": "pass" | "warn" | "fail"}}`.
pub fn summarise<'a>(checks: impl IntoIterator<Item = CheckView<'a>>) -> Value {
    let (mut pass, mut warn, mut fail, mut skip) = (0u64, 0u64, 0u64, 0u64);
    let mut blocking = Vec::new();
    for check in checks {
        match check.status {
            Status::Pass => pass += 1,
            Status::Warn => warn += 1,
            Status::Fail => fail += 1,
            Status::Skip => skip += 1,
        }
        if check.blocking && check.status == Status::Fail {
            blocking.push(check.id.to_string());
        }
    }
    let status = if !blocking.is_empty() || fail > 0 {
        "fail"
    } else if warn > 0 {
        "warn"
    } else {
        "pass"
    };
    json!({ KEY: {
        "checks": pass + warn + fail + skip,
        "pass": pass,
        "warn": warn,
        "fail": fail,
        "skip": skip,
        "blocking_failures": blocking,
        "status": status,
    }})
}

#[cfg(target_arch = "wasm32")]
// The generated glue passes `phase-input` flattened: 8 core arguments.
#[allow(clippy::too_many_arguments)]
mod component;

#[cfg(test)]
mod tests {
    use super::*;

    fn view(id: &str, status: Status, blocking: bool) -> CheckView<'_> {
        CheckView {
            id,
            status,
            blocking,
        }
    }

    #[test]
    fn counts_by_status_and_names_blocking_failures() {
        let summary = summarise([
            view("a", Status::Pass, true),
            view("b", Status::Fail, true),
            view("c", Status::Fail, false),
            view("d", Status::Warn, false),
            view("e", Status::Skip, true),
        ]);
        assert_eq!(
            summary,
            json!({"summary": {"checks": 5, "pass": 1, "warn": 1, "fail": 2, "skip": 1,
                               "blocking_failures": ["b"], "status": "fail"}})
        );
    }

    #[test]
    fn warnings_alone_give_warn_and_nothing_gives_pass() {
        assert_eq!(
            summarise([view("w", Status::Warn, true)])["summary"]["status"],
            "warn"
        );
        assert_eq!(summarise([])["summary"]["status"], "pass");
    }
}
