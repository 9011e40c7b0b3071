//! Where a run happens on GitHub: the `GITHUB_*` variables and the event
//! payload (`GITHUB_EVENT_PATH`).
//!
//! The API base comes from `GITHUB_API_URL`, so GitHub Enterprise Server
//! works, and tests point it at a local server. The pull request comes from
//! the payload of `pull_request` and `pull_request_target` events, from the
//! `workflow_run` payload when GitHub lists one, or from `--pr N` (which wins:
//! a `workflow_run` run triggered by a fork PR carries no PR number).
//! `push` and `workflow_dispatch` have none.

use std::path::PathBuf;

use serde_json::Value;

use crate::error::{ErrorKind, HasKind};

/// GitHub.com's defaults, used when the runner does not say otherwise.
/// Whether this process runs in a GitHub Actions job: its standard output
/// and error are the job's log, which leaves the machine.
pub fn in_actions() -> bool {
    std::env::var("GITHUB_ACTIONS").as_deref() == Ok("true")
}

/// Whether this process runs in CI (GitHub Actions, or any system that
/// sets `CI`, as most do): files there may come from other jobs.
pub fn in_ci() -> bool {
    in_actions() || std::env::var_os("CI").is_some_and(|v| !v.is_empty() && v != "false")
}

const DEFAULT_API_URL: &str = "https://api.github.com";
const DEFAULT_SERVER_URL: &str = "https://github.com";

/// An `owner/name` repository.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Repo {
    pub owner: String,
    pub name: String,
}

impl std::fmt::Display for Repo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.owner, self.name)
    }
}

/// The pull request a run reports on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PullRequest {
    pub number: u64,
    /// The PR head commit (what a check run attaches to), when known.
    pub head_sha: Option<String>,
    /// The head lives in another repository: its token is read-only.
    pub from_fork: bool,
}

/// Everything pitcrew needs to know about the run it is part of.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Context {
    pub repo: Repo,
    /// REST API base, no trailing slash (`https://api.github.com`,
    /// `https://ghes.example/api/v3`, `http://127.0.0.1:PORT` in tests).
    pub api_url: String,
    /// Web base, no trailing slash (links to runs and files).
    pub server_url: String,
    /// `GITHUB_ACTIONS=true`: running inside a workflow.
    pub actions: bool,
    pub event_name: Option<String>,
    pub run_id: Option<u64>,
    pub run_attempt: Option<u64>,
    pub workflow: Option<String>,
    pub job: Option<String>,
    /// The commit the run is for (`GITHUB_SHA`; for `workflow_run`, the
    /// triggering run's head).
    pub sha: Option<String>,
    pub git_ref: Option<String>,
    pub default_branch: Option<String>,
    pub pull_request: Option<PullRequest>,
}

/// Why the GitHub context could not be read: bad input (exit 2).
#[derive(Debug, thiserror::Error)]
pub enum ContextError {
    #[error("{var} is not set: the GitHub context needs it (run inside GitHub Actions, or set it)")]
    Missing { var: &'static str },
    #[error("{var}: {value:?} is not {expected}")]
    BadVar {
        var: &'static str,
        value: String,
        expected: &'static str,
    },
    #[error("GITHUB_EVENT_PATH ({path}): {reason}")]
    BadPayloadFile { path: PathBuf, reason: String },
    #[error("GITHUB_EVENT_PATH ({path}): field `{field}`: {reason}")]
    BadPayloadField {
        path: PathBuf,
        field: &'static str,
        reason: &'static str,
    },
}

impl HasKind for ContextError {
    fn kind(&self) -> ErrorKind {
        ErrorKind::Input
    }
}

impl Context {
    /// The context of this process's environment. `pr` is `--pr N`.
    pub fn from_env(pr: Option<u64>) -> Result<Self, ContextError> {
        Self::from_vars(
            |name| std::env::var(name).ok().filter(|v| !v.is_empty()),
            pr,
        )
    }

    /// The context from a variable lookup (the environment, or a test's map).
    pub fn from_vars(
        var: impl Fn(&str) -> Option<String>,
        pr: Option<u64>,
    ) -> Result<Self, ContextError> {
        let repository = var("GITHUB_REPOSITORY").ok_or(ContextError::Missing {
            var: "GITHUB_REPOSITORY",
        })?;
        let repo = parse_repo(&repository).ok_or_else(|| ContextError::BadVar {
            var: "GITHUB_REPOSITORY",
            value: repository.clone(),
            expected: "owner/name",
        })?;
        let api_url = url_var(&var, "GITHUB_API_URL", DEFAULT_API_URL)?;
        let server_url = url_var(&var, "GITHUB_SERVER_URL", DEFAULT_SERVER_URL)?;
        let event_name = var("GITHUB_EVENT_NAME");
        let payload = match var("GITHUB_EVENT_PATH") {
            Some(path) => Some(Payload::read(PathBuf::from(path))?),
            None => None,
        };
        let mut context = Context {
            repo,
            api_url,
            server_url,
            actions: var("GITHUB_ACTIONS").as_deref() == Some("true"),
            run_id: number_var(&var, "GITHUB_RUN_ID")?,
            run_attempt: number_var(&var, "GITHUB_RUN_ATTEMPT")?,
            workflow: var("GITHUB_WORKFLOW"),
            job: var("GITHUB_JOB"),
            sha: var("GITHUB_SHA"),
            git_ref: var("GITHUB_REF"),
            default_branch: None,
            pull_request: None,
            event_name,
        };
        if let Some(payload) = &payload {
            payload.fill(&mut context)?;
        }
        if let Some(number) = pr {
            let known = context.pull_request.take().filter(|p| p.number == number);
            context.pull_request = Some(known.unwrap_or(PullRequest {
                number,
                head_sha: None,
                from_fork: false,
            }));
        }
        Ok(context)
    }

    /// The web link to this run (`…/actions/runs/ID[/attempts/N]`).
    pub fn run_url(&self) -> Option<String> {
        let id = self.run_id?;
        let mut url = format!("{}/{}/actions/runs/{id}", self.server_url, self.repo);
        if let Some(attempt) = self.run_attempt.filter(|a| *a > 1) {
            url.push_str(&format!("/attempts/{attempt}"));
        }
        Some(url)
    }

    /// The commit a check run attaches to: the PR head when known (a
    /// `pull_request` run's `GITHUB_SHA` is a merge commit nobody sees).
    pub fn head_sha(&self) -> Option<&str> {
        self.pull_request
            .as_ref()
            .and_then(|p| p.head_sha.as_deref())
            .or(self.sha.as_deref())
    }
}

fn parse_repo(text: &str) -> Option<Repo> {
    let (owner, name) = text.split_once('/')?;
    let ok = |s: &str| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
    };
    (ok(owner) && ok(name) && name != "." && name != "..").then(|| Repo {
        owner: owner.to_owned(),
        name: name.to_owned(),
    })
}

fn url_var(
    var: &impl Fn(&str) -> Option<String>,
    name: &'static str,
    default: &str,
) -> Result<String, ContextError> {
    let value = var(name).unwrap_or_else(|| default.to_owned());
    let parsed: Option<http::Uri> = value.parse().ok();
    match parsed {
        Some(uri)
            if matches!(uri.scheme_str(), Some("http" | "https"))
                && uri.authority().is_some()
                && uri.query().is_none() =>
        {
            Ok(value.trim_end_matches('/').to_owned())
        }
        _ => Err(ContextError::BadVar {
            var: name,
            value,
            expected: "an http(s) URL",
        }),
    }
}

fn number_var(
    var: &impl Fn(&str) -> Option<String>,
    name: &'static str,
) -> Result<Option<u64>, ContextError> {
    var(name)
        .map(|value| {
            value.parse().map_err(|_| ContextError::BadVar {
                var: name,
                value,
                expected: "a number",
            })
        })
        .transpose()
}

/// The event payload, with the path kept for error messages.
struct Payload {
    path: PathBuf,
    json: Value,
}

impl Payload {
    fn read(path: PathBuf) -> Result<Self, ContextError> {
        let text = std::fs::read(&path).map_err(|e| ContextError::BadPayloadFile {
            path: path.clone(),
            reason: format!("cannot read it: {e}"),
        })?;
        let json: Value =
            serde_json::from_slice(&text).map_err(|e| ContextError::BadPayloadFile {
                path: path.clone(),
                reason: format!("not JSON: {e}"),
            })?;
        if !json.is_object() {
            return Err(ContextError::BadPayloadFile {
                path,
                reason: "not a JSON object".into(),
            });
        }
        Ok(Self { path, json })
    }

    fn bad(&self, field: &'static str, reason: &'static str) -> ContextError {
        ContextError::BadPayloadField {
            path: self.path.clone(),
            field,
            reason,
        }
    }

    /// The value at a `/`-separated pointer, `None` when absent or null.
    fn at(&self, pointer: &str) -> Option<&Value> {
        self.json.pointer(pointer).filter(|v| !v.is_null())
    }

    /// An optional string field; present but not a string is an error.
    fn string(&self, pointer: &str, field: &'static str) -> Result<Option<String>, ContextError> {
        match self.at(pointer) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(_) => Err(self.bad(field, "expected a string")),
        }
    }

    fn pr_number(&self, pointer: &str, field: &'static str) -> Result<u64, ContextError> {
        match self.at(pointer) {
            None => Err(self.bad(field, "missing")),
            Some(v) => v
                .as_u64()
                .filter(|n| *n > 0)
                .ok_or_else(|| self.bad(field, "expected a positive integer")),
        }
    }

    fn fill(&self, context: &mut Context) -> Result<(), ContextError> {
        if let Some(branch) =
            self.string("/repository/default_branch", "repository.default_branch")?
        {
            context.default_branch = Some(branch);
        }
        let base_repo = self.string("/repository/full_name", "repository.full_name")?;
        match context.event_name.as_deref() {
            Some("pull_request" | "pull_request_target") => {
                let number = self.pr_number("/pull_request/number", "pull_request.number")?;
                let head_sha = self.string("/pull_request/head/sha", "pull_request.head.sha")?;
                let head_repo = self.string(
                    "/pull_request/head/repo/full_name",
                    "pull_request.head.repo.full_name",
                )?;
                context.pull_request = Some(PullRequest {
                    number,
                    head_sha,
                    from_fork: is_fork(head_repo.as_deref(), base_repo.as_deref()),
                });
            }
            Some("workflow_run") => {
                if let Some(sha) = self.string("/workflow_run/head_sha", "workflow_run.head_sha")? {
                    context.sha = Some(sha);
                }
                let head_repo = self.string(
                    "/workflow_run/head_repository/full_name",
                    "workflow_run.head_repository.full_name",
                )?;
                match self.at("/workflow_run/pull_requests") {
                    None => {}
                    Some(Value::Array(prs)) if prs.is_empty() => {}
                    Some(Value::Array(_)) => {
                        let number = self.pr_number(
                            "/workflow_run/pull_requests/0/number",
                            "workflow_run.pull_requests[0].number",
                        )?;
                        context.pull_request = Some(PullRequest {
                            number,
                            head_sha: context.sha.clone(),
                            from_fork: is_fork(head_repo.as_deref(), base_repo.as_deref()),
                        });
                    }
                    Some(_) => {
                        return Err(self.bad("workflow_run.pull_requests", "expected an array"));
                    }
                }
            }
            // push, workflow_dispatch, schedule…: no pull request.
            _ => {}
        }
        Ok(())
    }
}

fn is_fork(head: Option<&str>, base: Option<&str>) -> bool {
    matches!((head, base), (Some(h), Some(b)) if !h.eq_ignore_ascii_case(b))
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    fn context(
        vars: &[(&str, &str)],
        payload: Option<&str>,
        pr: Option<u64>,
    ) -> Result<Context, ContextError> {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut map: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        map.entry("GITHUB_REPOSITORY".into())
            .or_insert_with(|| "acme/widgets".into());
        if let Some(payload) = payload {
            let path = dir.path().join("event.json");
            std::fs::write(&path, payload).expect("payload");
            map.insert("GITHUB_EVENT_PATH".into(), path.display().to_string());
        }
        Context::from_vars(|k| map.get(k).cloned(), pr)
    }

    #[test]
    fn pull_request_events_give_the_number_head_and_fork() {
        let payload = r#"{"repository":{"full_name":"acme/widgets","default_branch":"trunk"},
            "pull_request":{"number":42,"head":{"sha":"abc","repo":{"full_name":"eve/widgets"}}}}"#;
        for event in ["pull_request", "pull_request_target"] {
            let c = context(
                &[
                    ("GITHUB_EVENT_NAME", event),
                    ("GITHUB_SHA", "merge"),
                    ("GITHUB_API_URL", "http://127.0.0.1:9/"),
                    ("GITHUB_RUN_ID", "7"),
                    ("GITHUB_RUN_ATTEMPT", "2"),
                ],
                Some(payload),
                None,
            )
            .expect("context");
            assert_eq!(
                c.pull_request,
                Some(PullRequest {
                    number: 42,
                    head_sha: Some("abc".into()),
                    from_fork: true
                })
            );
            assert_eq!(c.head_sha(), Some("abc"));
            assert_eq!(c.default_branch.as_deref(), Some("trunk"));
            assert_eq!(c.api_url, "http://127.0.0.1:9");
            assert_eq!(
                c.run_url().as_deref(),
                Some("https://github.com/acme/widgets/actions/runs/7/attempts/2")
            );
        }
    }

    #[test]
    fn push_and_dispatch_have_no_pull_request_and_pr_flag_adds_one() {
        let payload = r#"{"repository":{"full_name":"acme/widgets","default_branch":"main"}}"#;
        for event in ["push", "workflow_dispatch"] {
            let c = context(&[("GITHUB_EVENT_NAME", event)], Some(payload), None).expect("ok");
            assert_eq!(c.pull_request, None);
            assert_eq!(c.api_url, DEFAULT_API_URL);
        }
        let c = context(
            &[("GITHUB_EVENT_NAME", "workflow_run")],
            Some(payload),
            Some(9),
        )
        .expect("ok");
        assert_eq!(c.pull_request.map(|p| p.number), Some(9));
    }

    #[test]
    fn workflow_run_takes_the_triggering_head_and_listed_pr() {
        let payload = r#"{"repository":{"full_name":"acme/widgets"},
            "workflow_run":{"head_sha":"def","head_repository":{"full_name":"acme/widgets"},
            "pull_requests":[{"number":5}]}}"#;
        let c = context(
            &[
                ("GITHUB_EVENT_NAME", "workflow_run"),
                ("GITHUB_SHA", "main-sha"),
            ],
            Some(payload),
            None,
        )
        .expect("ok");
        assert_eq!(c.sha.as_deref(), Some("def"));
        assert_eq!(
            c.pull_request,
            Some(PullRequest {
                number: 5,
                head_sha: Some("def".into()),
                from_fork: false
            })
        );
    }

    #[test]
    fn a_bad_payload_names_the_variable_and_the_field() {
        let err = context(
            &[("GITHUB_EVENT_NAME", "pull_request")],
            Some(r#"{"pull_request":{"number":"x"}}"#),
            None,
        )
        .expect_err("bad number");
        let text = err.to_string();
        assert!(text.starts_with("GITHUB_EVENT_PATH ("), "{text}");
        assert!(
            text.ends_with("field `pull_request.number`: expected a positive integer"),
            "{text}"
        );
        assert_eq!(err.kind(), ErrorKind::Input);
        let err =
            context(&[("GITHUB_EVENT_NAME", "push")], Some("{nope"), None).expect_err("not json");
        assert!(err.to_string().contains("not JSON"), "{err}");
        let err = context(&[("GITHUB_API_URL", "ftp://x")], None, None).expect_err("url");
        assert!(err.to_string().starts_with("GITHUB_API_URL: "), "{err}");
        let err = context(&[("GITHUB_REPOSITORY", "nope")], None, None).expect_err("repo");
        assert!(err.to_string().starts_with("GITHUB_REPOSITORY: "), "{err}");
    }
}
