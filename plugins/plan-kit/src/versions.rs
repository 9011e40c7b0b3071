//! Version skew across workers. Two components are compared:
//!
//! * `python`, on its major.minor (`3.11.7` and `3.11.2` agree, `3.12.0`
//!   does not): patch releases keep the bytecode and the C ABI;
//! * the framework (`mlx`, `torch` or `jax`, the `job.framework`), on its
//!   full version string, since frameworks change numerics and
//!   communication protocols between patch releases. `other` compares
//!   python only.
//!
//! A worker that reports no version for a component is listed as missing
//! (a warning, not skew). Skew is two or more distinct values among the
//! workers that report one.

use std::collections::BTreeMap;

use crate::common::{Fact, InvalidInput};

/// One worker's reported versions: component → version.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WorkerVersions {
    pub name: String,
    pub versions: BTreeMap<String, String>,
}

/// Two or more values of one component.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Skew {
    pub component: String,
    /// Each compared value with the workers that have it, in the order the
    /// values first appear among the workers.
    pub values: Vec<(String, Vec<String>)>,
}

/// Workers that report no version of one component.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Missing {
    pub component: String,
    pub workers: Vec<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct VersionReport {
    /// The components compared, python first.
    pub components: Vec<String>,
    pub skew: Vec<Skew>,
    pub missing: Vec<Missing>,
}

impl WorkerVersions {
    /// Reads `name` and `versions` (absent means none) of one worker.
    pub fn from_fact(worker: &Fact<'_>) -> Result<Self, InvalidInput> {
        let versions = worker
            .get("versions")
            .opt_entries()?
            .into_iter()
            .map(|(component, version)| Ok((component.to_string(), version.str()?.to_string())))
            .collect::<Result<_, InvalidInput>>()?;
        Ok(WorkerVersions {
            name: worker.get("name").str()?.to_string(),
            versions,
        })
    }
}

/// `3.11.7` → `3.11`; a version with fewer parts is kept whole.
pub fn major_minor(version: &str) -> String {
    version.split('.').take(2).collect::<Vec<_>>().join(".")
}

/// The components compared for `framework`.
pub fn components(framework: &str) -> Vec<String> {
    let mut components = vec!["python".to_string()];
    if matches!(framework, "mlx" | "torch" | "jax") {
        components.push(framework.to_string());
    }
    components
}

/// Compares the workers' versions (see the module documentation).
pub fn compare(framework: &str, workers: &[WorkerVersions]) -> VersionReport {
    let mut report = VersionReport {
        components: components(framework),
        ..VersionReport::default()
    };
    for component in &report.components {
        let mut values: Vec<(String, Vec<String>)> = Vec::new();
        let mut missing = Vec::new();
        for worker in workers {
            let Some(version) = worker.versions.get(component) else {
                missing.push(worker.name.clone());
                continue;
            };
            let value = if component == "python" {
                major_minor(version)
            } else {
                version.clone()
            };
            match values.iter_mut().find(|(v, _)| *v == value) {
                Some((_, names)) => names.push(worker.name.clone()),
                None => values.push((value, vec![worker.name.clone()])),
            }
        }
        if values.len() > 1 {
            report.skew.push(Skew {
                component: component.clone(),
                values,
            });
        }
        if !missing.is_empty() {
            report.missing.push(Missing {
                component: component.clone(),
                workers: missing,
            });
        }
    }
    report
}

impl VersionReport {
    /// `python 3.11 on a, b; 3.12 on c | mlx …`, empty without skew.
    pub fn skew_message(&self) -> String {
        self.skew
            .iter()
            .map(|skew| {
                let values: Vec<String> = skew
                    .values
                    .iter()
                    .map(|(value, names)| format!("{value} on {}", crate::common::listed(names)))
                    .collect();
                format!("{} {}", skew.component, values.join("; "))
            })
            .collect::<Vec<_>>()
            .join(" | ")
    }

    /// `no mlx version from c | no python version from a, b`, empty when
    /// every worker reports every component.
    pub fn missing_message(&self) -> String {
        self.missing
            .iter()
            .map(|m| {
                format!(
                    "no {} version from {}",
                    m.component,
                    crate::common::listed(&m.workers)
                )
            })
            .collect::<Vec<_>>()
            .join(" | ")
    }
}

#[cfg(test)]
mod versions_tests {
    use super::*;

    fn worker(name: &str, versions: &[(&str, &str)]) -> WorkerVersions {
        WorkerVersions {
            name: name.into(),
            versions: versions
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        }
    }

    #[test]
    fn python_patch_releases_agree_framework_patches_do_not() {
        let report = compare(
            "mlx",
            &[
                worker("a", &[("python", "3.11.7"), ("mlx", "0.29.1")]),
                worker("b", &[("python", "3.11.2"), ("mlx", "0.29.1")]),
                worker("c", &[("python", "3.11.9"), ("mlx", "0.29.2")]),
            ],
        );
        assert_eq!(report.components, ["python", "mlx"]);
        assert_eq!(
            report.skew,
            [Skew {
                component: "mlx".into(),
                values: vec![
                    ("0.29.1".into(), vec!["a".into(), "b".into()]),
                    ("0.29.2".into(), vec!["c".into()]),
                ],
            }]
        );
        assert_eq!(report.skew_message(), "mlx 0.29.1 on a, b; 0.29.2 on c");
        assert!(report.missing.is_empty());
    }

    #[test]
    fn python_minor_skew_and_missing_versions() {
        let report = compare(
            "torch",
            &[
                worker("a", &[("python", "3.11.7"), ("torch", "2.5.1")]),
                worker("b", &[("python", "3.12.1")]),
                worker("c", &[("torch", "2.5.1")]),
            ],
        );
        assert_eq!(report.skew_message(), "python 3.11 on a; 3.12 on b");
        assert_eq!(
            report.missing_message(),
            "no python version from c | no torch version from b"
        );
    }

    #[test]
    fn other_frameworks_compare_python_only() {
        let report = compare(
            "other",
            &[
                worker("a", &[("python", "3.11"), ("tf", "2.1")]),
                worker("b", &[("python", "3.11.0"), ("tf", "2.2")]),
            ],
        );
        assert_eq!(report.components, ["python"]);
        assert!(report.skew.is_empty());
        assert_eq!(major_minor("3"), "3");
        assert_eq!(major_minor("3.13.0rc1"), "3.13");
    }
}
