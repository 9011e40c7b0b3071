//! Timing history with zero setup: in GitHub Actions, when `split` or
//! `test` has no timings of its own, the timing artifact of the last
//! successful run of the same workflow on the default branch.
//!
//! The flow: the workflow (from `GITHUB_WORKFLOW_REF`, else the current
//! run's `workflow_id`), the default branch (from the event payload, else
//! the repository), its latest successful runs (runs API), the first of them
//! with an unexpired artifact named [`ARTIFACT_NAME`] (artifacts API), and
//! that artifact's zip. GitHub answers the download with a 302 to a storage
//! host: that URL is fetched with no credentials at all (the token never
//! follows the redirect).
//!
//! The zip is untrusted: its size, its entry count and every entry's
//! unpacked size are capped, and it is read in memory. Entry names only
//! choose the parser (`.xml` JUnit, `.json` a pitcrew timing file or shard
//! result); nothing is ever written to disk under them.
//!
//! Nothing here is an error for the split: no token, no run, no artifact,
//! a 404 or any API failure leave the split without history, with a line
//! in the log saying why.

use std::io::{Cursor, Read as _};

use super::client::{self, ApiError, Client, RetryPolicy};
use super::context::Context;
use crate::suite::fold::Folder;
use crate::suite::junit;
use crate::suite::result::ShardResult;
use crate::suite::timings::Timings;

/// The artifact `report --timings-out` results are uploaded as (see
/// docs/github.md for the workflow step).
pub const ARTIFACT_NAME: &str = "pitcrew-timings";

/// At most this many successful runs are searched for the artifact (a run
/// may have failed to upload it, or predate pitcrew).
const RUNS_SEARCHED: usize = 5;

/// The zip as downloaded: larger is refused.
pub const MAX_ZIP_BYTES: u64 = 64 * 1024 * 1024;

/// What an artifact's zip may hold. A JUnit report of 100,000 tests is
/// about 20 MB, so the defaults leave room without letting a zip bomb
/// take the runner's memory.
#[derive(Clone, Copy, Debug)]
pub struct Caps {
    /// The zip itself: larger is refused.
    pub zip_bytes: u64,
    /// Entries: more is refused.
    pub entries: usize,
    /// What one entry may unpack to; a larger entry is skipped.
    pub entry_bytes: u64,
    /// What all entries together may unpack to; the rest are skipped.
    pub total_bytes: u64,
}

impl Default for Caps {
    fn default() -> Self {
        Self {
            zip_bytes: MAX_ZIP_BYTES,
            entries: 10_000,
            entry_bytes: 64 * 1024 * 1024,
            total_bytes: 256 * 1024 * 1024,
        }
    }
}

/// Why an artifact's zip was not read.
#[derive(Debug, thiserror::Error)]
pub enum ZipRefused {
    #[error("the zip is {0} bytes, over the {1}-byte cap")]
    TooLarge(u64, u64),
    #[error("the zip has {0} entries, over the {1}-entry cap")]
    TooManyEntries(usize, usize),
    #[error("not a readable zip: {0}")]
    Invalid(String),
}

/// One file of the artifact, in memory.
#[derive(Debug, PartialEq)]
pub struct Entry {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// `timings` as they are, or when empty and this is GitHub Actions with a
/// token, the history from the last successful default-branch run.
pub fn or_last_run(timings: Timings, artifact: &str) -> Timings {
    if !timings.files.is_empty() {
        return timings;
    }
    let var = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    if var("GITHUB_ACTIONS").as_deref() != Some("true") {
        return timings;
    }
    let Some(token) = client::token(None) else {
        tracing::info!("no timing history, and no GITHUB_TOKEN to fetch the last run's");
        return timings;
    };
    let fetched = Context::from_env(None)
        .map_err(|e| e.to_string())
        .and_then(|context| {
            let client = Client::new(&context, &token, RetryPolicy::from_env())
                .map_err(|e| e.to_string())?;
            let workflow = workflow(&client, &context, var("GITHUB_WORKFLOW_REF").as_deref())
                .map_err(|e| e.to_string())?;
            match workflow {
                Some(workflow) => last_run_timings(&client, &context, &workflow, artifact)
                    .map_err(|e| e.to_string()),
                None => {
                    tracing::info!("no timing history: the running workflow is unknown");
                    Ok(None)
                }
            }
        });
    match fetched {
        Ok(Some(found)) => found,
        Ok(None) => timings,
        Err(e) => {
            tracing::warn!(
                "no timing history from GitHub: {}",
                crate::escape::control_chars(&e)
            );
            timings
        }
    }
}

/// The workflow file (`ci.yml`) from `GITHUB_WORKFLOW_REF`
/// (`owner/repo/.github/workflows/ci.yml@refs/heads/main`), else the
/// current run's workflow id.
fn workflow(
    client: &Client,
    context: &Context,
    workflow_ref: Option<&str>,
) -> Result<Option<String>, ApiError> {
    if let Some(file) = workflow_ref.and_then(workflow_file) {
        return Ok(Some(file));
    }
    let Some(run) = context.run_id else {
        return Ok(None);
    };
    #[derive(serde::Deserialize)]
    struct Run {
        workflow_id: u64,
    }
    let path = format!("/repos/{}/actions/runs/{run}", context.repo);
    Ok(Some(client.get_json::<Run>(&path)?.workflow_id.to_string()))
}

/// `ci.yml` out of `owner/repo/.github/workflows/ci.yml@ref`.
pub fn workflow_file(workflow_ref: &str) -> Option<String> {
    let path = workflow_ref.split('@').next()?;
    let file = path.split_once("/.github/workflows/")?.1;
    (!file.is_empty() && !file.contains('/')).then(|| file.to_owned())
}

/// The timings in `artifact` of the latest successful run of `workflow`
/// on the default branch; `None` (logged) when there is none.
pub fn last_run_timings(
    client: &Client,
    context: &Context,
    workflow: &str,
    artifact: &str,
) -> Result<Option<Timings>, ApiError> {
    let Some((run, bytes)) = download(client, context, workflow, artifact)? else {
        return Ok(None);
    };
    let entries = match unpack(&bytes, &Caps::default()) {
        Ok(entries) => entries,
        Err(e) => {
            tracing::warn!("artifact {artifact} of run {run}: {e}; no timing history");
            return Ok(None);
        }
    };
    let timings = timings_of(&entries, &format!("artifact {artifact} of run {run}"));
    tracing::info!(
        "timing history: {} files from artifact {} of run {run}",
        timings.files.len(),
        crate::escape::control_chars(artifact)
    );
    Ok(Some(timings).filter(|t| !t.files.is_empty()))
}

#[derive(serde::Deserialize)]
struct Run {
    id: u64,
}

#[derive(serde::Deserialize)]
struct Artifact {
    id: u64,
    name: String,
    #[serde(default)]
    size_in_bytes: u64,
    #[serde(default)]
    expired: bool,
}

/// The run id and zip bytes of the newest artifact named `artifact` among
/// the latest successful default-branch runs of `workflow`.
pub fn download(
    client: &Client,
    context: &Context,
    workflow: &str,
    artifact: &str,
) -> Result<Option<(u64, Vec<u8>)>, ApiError> {
    let repo = &context.repo;
    let branch = match &context.default_branch {
        Some(branch) => branch.clone(),
        None => {
            #[derive(serde::Deserialize)]
            struct Repository {
                default_branch: String,
            }
            let path = format!("/repos/{repo}");
            match client.get_json::<Repository>(&path) {
                Ok(r) => r.default_branch,
                Err(e) if e.is_not_found() => return not_found(&e),
                Err(e) => return Err(e),
            }
        }
    };
    let runs_path = format!(
        "/repos/{repo}/actions/workflows/{}/runs?branch={}&status=success&per_page={RUNS_SEARCHED}",
        encode(workflow),
        encode(&branch)
    );
    let runs: Vec<Run> = match client.paginate(&runs_path, Some("workflow_runs"), RUNS_SEARCHED) {
        Ok(runs) => runs,
        Err(e) if e.is_not_found() => return not_found(&e),
        Err(e) => return Err(e),
    };
    let runs = runs.into_iter().filter(|r| Some(r.id) != context.run_id);
    for run in runs {
        let path = format!(
            "/repos/{repo}/actions/runs/{}/artifacts?name={}",
            run.id,
            encode(artifact)
        );
        let artifacts: Vec<Artifact> = match client.paginate(&path, Some("artifacts"), 100) {
            Ok(list) => list,
            Err(e) if e.is_not_found() => continue,
            Err(e) => return Err(e),
        };
        let Some(found) = artifacts
            .into_iter()
            .find(|a| a.name == artifact && !a.expired)
        else {
            continue;
        };
        if found.size_in_bytes > MAX_ZIP_BYTES {
            tracing::warn!(
                "artifact {} of run {}: {}",
                crate::escape::control_chars(artifact),
                run.id,
                ZipRefused::TooLarge(found.size_in_bytes, MAX_ZIP_BYTES)
            );
            return Ok(None);
        }
        return match fetch_zip(
            client,
            &format!("/repos/{repo}/actions/artifacts/{}/zip", found.id),
        ) {
            Ok(bytes) => Ok(Some((run.id, bytes))),
            Err(e) if e.is_not_found() => not_found(&e),
            Err(e) => Err(e),
        };
    }
    tracing::info!(
        "no timing history: no artifact {} in the last successful runs of {} on {}",
        crate::escape::control_chars(artifact),
        crate::escape::control_chars(workflow),
        crate::escape::control_chars(&branch)
    );
    Ok(None)
}

fn not_found<T>(e: &ApiError) -> Result<Option<T>, ApiError> {
    tracing::info!(
        "no timing history: {}",
        crate::escape::control_chars(&e.to_string())
    );
    Ok(None)
}

/// The artifact's zip: the API answers with a redirect to a storage host,
/// fetched without credentials; a direct answer is taken as is.
fn fetch_zip(client: &Client, path: &str) -> Result<Vec<u8>, ApiError> {
    let response = client.request(http::Method::GET, path, None::<&()>)?;
    let response = if (300..400).contains(&response.status) {
        let location = response
            .headers
            .get(http::header::LOCATION)
            .and_then(|l| l.to_str().ok())
            .ok_or_else(|| ApiError::Refused(format!("GET {path}: a redirect without a location")))?
            .to_owned();
        let target = client.get_unauthenticated(&location)?;
        if target.status != 200 {
            return Err(ApiError::Refused(format!(
                "GET {path}: the download answered HTTP {}",
                target.status
            )));
        }
        target
    } else {
        response
    };
    let size = response.body.len() as u64;
    if size > MAX_ZIP_BYTES {
        return Err(ApiError::Refused(format!(
            "GET {path}: {}",
            ZipRefused::TooLarge(size, MAX_ZIP_BYTES)
        )));
    }
    Ok(response.body.to_vec())
}

/// The files of a zip, in memory, within `caps`. Entries that are
/// directories, links, named outside the archive (`../x`, `/x`, `C:\x`),
/// or that unpack beyond the entry or total cap are skipped with a warning.
pub fn unpack(zip: &[u8], caps: &Caps) -> Result<Vec<Entry>, ZipRefused> {
    if zip.len() as u64 > caps.zip_bytes {
        return Err(ZipRefused::TooLarge(zip.len() as u64, caps.zip_bytes));
    }
    let mut archive =
        zip::ZipArchive::new(Cursor::new(zip)).map_err(|e| ZipRefused::Invalid(e.to_string()))?;
    if archive.len() > caps.entries {
        return Err(ZipRefused::TooManyEntries(archive.len(), caps.entries));
    }
    let mut entries = Vec::new();
    let mut unpacked = 0u64;
    for index in 0..archive.len() {
        let mut file = match archive.by_index(index) {
            Ok(file) => file,
            Err(e) => {
                tracing::warn!("zip entry {index}: skipped: {e}");
                continue;
            }
        };
        let name = file.name().map(|n| n.into_owned()).unwrap_or_default();
        let shown = crate::escape::control_chars(&name).into_owned();
        if file.is_dir() || file.is_symlink() {
            continue;
        }
        if !safe_name(&name) || file.enclosed_name().is_none() {
            tracing::warn!("zip entry `{shown}`: skipped: its name points outside the archive");
            continue;
        }
        let cap = caps.entry_bytes.min(caps.total_bytes - unpacked);
        let mut bytes = Vec::new();
        // The declared size can lie: read at most one byte past the cap.
        let read = (&mut file).take(cap + 1).read_to_end(&mut bytes);
        match read {
            Err(e) => tracing::warn!("zip entry `{shown}`: skipped: {e}"),
            Ok(_) if bytes.len() as u64 > cap => {
                tracing::warn!("zip entry `{shown}`: skipped: it unpacks to more than {cap} bytes");
            }
            Ok(_) => {
                unpacked += bytes.len() as u64;
                entries.push(Entry { name, bytes });
            }
        }
        if unpacked >= caps.total_bytes {
            break;
        }
    }
    Ok(entries)
}

/// A relative name with no `..`, no root, no drive and no backslash.
fn safe_name(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with('/')
        && !name.contains('\\')
        && !name.contains(':')
        && !name.contains('\0')
        && name.split('/').all(|part| part != "..")
}

/// The timings in the artifact's files, read as `split --timings` reads
/// them: JUnit XML, pitcrew timing files and shard results, in name order,
/// later files replacing earlier ones file by file. Unreadable files are
/// skipped with a warning.
pub fn timings_of(entries: &[Entry], origin: &str) -> Timings {
    let mut sorted: Vec<&Entry> = entries.iter().collect();
    sorted.sort_by(|a, b| a.name.cmp(&b.name));
    let mut timings = Timings::default();
    let mut shards = Vec::new();
    for entry in sorted {
        let name = format!("{origin}: {}", crate::escape::control_chars(&entry.name));
        if ShardResult::sniff(&entry.bytes) {
            let Ok(value) = serde_json::from_slice::<serde_json::Value>(&entry.bytes) else {
                tracing::warn!("{name}: skipped: not JSON");
                continue;
            };
            if value.get("format").is_some() {
                match ShardResult::parse(&String::from_utf8_lossy(&entry.bytes), &name) {
                    Ok(shard) => shards.push(shard),
                    Err(e) => tracing::warn!("skipped: {e}"),
                }
            } else {
                match serde_json::from_value::<Timings>(value) {
                    Ok(file) if valid(&file) => timings.update(file),
                    _ => tracing::warn!("{name}: skipped: not a valid pitcrew timing file"),
                }
            }
        } else if entry.name.ends_with(".xml") {
            let mut folder = Folder::default();
            let parsed =
                junit::parse_reader(Cursor::new(&entry.bytes), &name, |case| folder.add(case));
            if let Err(e) = parsed {
                tracing::warn!("skipped: {e}");
                continue;
            }
            let (_, _, tests) = folder.finish();
            let mut file = Timings::default();
            file.add_tests(tests.iter().filter_map(|t| {
                let path = t.key.file.as_deref()?;
                Some((path.strip_prefix("./").unwrap_or(path), t))
            }));
            timings.update(file);
        }
    }
    if !shards.is_empty() {
        timings.update(Timings::from_shards(&shards));
    }
    timings
}

/// Every duration finite and non-negative.
fn valid(timings: &Timings) -> bool {
    let ok = |s: f64| s.is_finite() && s >= 0.0;
    timings.files.values().all(|&s| ok(s))
        && timings.tests.values().flatten().all(|t| ok(t.seconds))
        && timings.startup.values().all(|&s| ok(s))
}

/// Percent-encodes a query or path value.
pub(crate) fn encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~') {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use std::io::Write as _;

    use super::*;

    fn zip_of(files: &[(&str, &[u8])]) -> Vec<u8> {
        let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for (name, bytes) in files {
            writer.start_file(*name, options).unwrap();
            writer.write_all(bytes).unwrap();
        }
        writer.finish().unwrap().into_inner()
    }

    #[test]
    fn workflow_files_come_from_the_workflow_ref() {
        assert_eq!(
            workflow_file("acme/w/.github/workflows/ci.yml@refs/heads/main").as_deref(),
            Some("ci.yml")
        );
        assert_eq!(workflow_file("acme/w/.github/workflows/@x"), None);
        assert_eq!(workflow_file("nonsense"), None);
    }

    #[test]
    fn entries_are_read_in_memory_and_hostile_names_skipped() {
        let zip = zip_of(&[
            ("timings.json", br#"{"files":{"a.py":2.0}}"#),
            ("../../etc/evil.json", br#"{"files":{"evil.py":9.0}}"#),
            ("/abs.xml", b"<testsuite/>"),
            ("dir\\..\\x.json", b"{}"),
        ]);
        let entries = unpack(&zip, &Caps::default()).unwrap();
        assert_eq!(
            entries.iter().map(|e| e.name.as_str()).collect::<Vec<_>>(),
            ["timings.json"]
        );
        assert!(matches!(
            unpack(b"not a zip", &Caps::default()),
            Err(ZipRefused::Invalid(_))
        ));
    }

    #[test]
    fn entries_past_the_caps_are_skipped_and_too_many_refused() {
        let caps = Caps {
            zip_bytes: 64 * 1024,
            entries: 3,
            entry_bytes: 1000,
            total_bytes: 1500,
        };
        let huge = vec![0u8; 1_000_000];
        let zip = zip_of(&[
            ("big.xml", &huge),
            ("a.json", &[b' '; 900]),
            ("b.json", &[b' '; 900]),
        ]);
        assert!(zip.len() < 64 * 1024, "{}", zip.len());
        let entries = unpack(&zip, &caps).unwrap();
        assert_eq!(
            entries.iter().map(|e| e.name.as_str()).collect::<Vec<_>>(),
            ["a.json"],
            "big.xml is over the entry cap, b.json over what the total leaves"
        );
        let many = zip_of(&[("1", b""), ("2", b""), ("3", b""), ("4", b"")]);
        assert!(matches!(
            unpack(&many, &caps),
            Err(ZipRefused::TooManyEntries(4, 3))
        ));
        let small = Caps {
            zip_bytes: 10,
            ..caps
        };
        assert!(matches!(
            unpack(&zip, &small),
            Err(ZipRefused::TooLarge(_, 10))
        ));
    }

    #[test]
    fn timings_come_from_junit_timing_files_and_shard_results() {
        let junit = br#"<testsuite name="s"><testcase classname="c" name="x" file="./t/a.py" time="3"/><testcase classname="c" name="y" file="t/b.py" time="1"/></testsuite>"#;
        let entries = [
            Entry {
                name: "1/junit.xml".into(),
                bytes: junit.to_vec(),
            },
            Entry {
                name: "2/timings.json".into(),
                bytes: br#"{"files":{"t/b.py":5.0}}"#.to_vec(),
            },
            Entry {
                name: "3/bad.json".into(),
                bytes: br#"{"files":{"t/c.py":-1.0}}"#.to_vec(),
            },
            Entry {
                name: "4/notes.txt".into(),
                bytes: b"hello".to_vec(),
            },
        ];
        let timings = timings_of(&entries, "artifact");
        assert_eq!(timings.files.get("t/a.py"), Some(&3.0));
        assert_eq!(timings.files.get("t/b.py"), Some(&5.0), "later files win");
        assert_eq!(
            timings.files.get("t/c.py"),
            None,
            "a negative duration is refused"
        );
        assert_eq!(timings.files.len(), 2);
    }

    #[test]
    fn values_are_percent_encoded() {
        assert_eq!(encode("feature/x y&z"), "feature%2Fx%20y%26z");
        assert_eq!(encode("pitcrew-timings"), "pitcrew-timings");
    }
}
