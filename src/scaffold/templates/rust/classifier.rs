//! {{name}}: a pitcrew classifier. It labels failures whose message says
//! they timed out as `timeout`, everything else `unknown`.

use pitcrew_plugin::classifier::{
    Category, Classification, Failure, Guest, Language, PluginError, PluginInfo, Specialty,
};
use pitcrew_plugin::log;

pub struct Plugin;

impl Guest for Plugin {
    fn describe() -> PluginInfo {
        PluginInfo::new("{{name}}", "0.1.0", "labels timeouts")
    }

    /// `config` is this classifier's configuration as JSON (`{}`: it
    /// declares no settings).
    fn classify(batch: Vec<Failure>, _config: String) -> Result<Vec<Classification>, PluginError> {
        log::debug(&format!("classifying {} failures", batch.len()));
        batch.into_iter().map(classify_one).collect()
    }
}

fn classify_one(failure: Failure) -> Result<Classification, PluginError> {
    if failure.test_name.is_empty() {
        return Err(PluginError::invalid_input(format!("failure {}: no test name", failure.id)));
    }
    let message = failure.message.to_lowercase();
    let timed_out = message.contains("timed out") || message.contains("timeout");
    Ok(Classification {
        id: failure.id,
        category: if timed_out { Category::Timeout } else { Category::Unknown },
        language: Language::Other,
        specialty: if timed_out { Specialty::Test } else { Specialty::General },
        confidence: if timed_out { 0.9 } else { 0.1 },
        evidence: if timed_out { "timed out".into() } else { String::new() },
    })
}

#[cfg(target_arch = "wasm32")]
pitcrew_plugin::classifier::export!(Plugin);

#[cfg(test)]
mod tests {
    use super::*;

    fn failure(id: &str, test_name: &str, message: &str) -> Failure {
        Failure {
            id: id.into(),
            test_name: test_name.into(),
            file: None,
            message: message.into(),
            details: String::new(),
        }
    }

    #[test]
    fn labels_a_timeout() {
        let answer = Plugin::classify(vec![
            failure("1", "slow", "Error: Timeout of 2000ms exceeded"),
            failure("2", "math", "expected 2, got 3"),
        ], "{}".into())
        .unwrap();
        assert_eq!(answer[0].category, Category::Timeout);
        assert_eq!(answer[1].category, Category::Unknown);
        assert_eq!(answer[1].id, "2");
    }

    #[test]
    fn a_failure_without_a_name_is_invalid_input() {
        assert!(Plugin::classify(vec![failure("1", "", "x")], "{}".into()).is_err());
    }
}
