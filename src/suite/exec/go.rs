//! What only `go test` needs: its JSON converted to JUnit, its build
//! errors, a package's stop at the timeout.

use super::*;

/// go before 1.24 prints a package's compile and vet errors on stderr, not
/// in its JSON, which says only `[build failed]` (or names no package at
/// all): the failure then gets the end of stderr, where those errors are (`a.go:3:9:
/// undefined: x`), so that the report and triage see what failed.
pub(super) fn with_build_errors(cases: &mut [TestCase], stderr_tail: &str) {
    // The last 8 KiB: the tail holds every package's errors, and each
    // failed package gets a copy.
    const MOST: usize = 8 * 1024;
    let mut tail = stderr_tail.trim();
    if tail.len() > MOST {
        tail = &tail[tail.ceil_char_boundary(tail.len() - MOST)..];
    }
    if tail.is_empty() {
        return;
    }
    let build_failed = |c: &TestCase| c.failure_type.as_deref() == Some(GO_BUILD_FAILED);
    let failed_builds = cases.iter().filter(|c| build_failed(c)).count();
    for case in cases.iter_mut().filter(|c| build_failed(c)) {
        // The first compiler or vet line (`./a_test.go:5:2: undefined: x`)
        // says more than "build failed" where the report shows one line:
        // the package's own, under go's `# <package>` header, or where one
        // package failed, the tail's first.
        let own = package_section(tail, &case.classname);
        let first = own
            .and_then(first_go_error)
            .or_else(|| (failed_builds == 1).then(|| first_go_error(tail)).flatten());
        let details = case.details.get_or_insert_with(String::new);
        if !details.contains(tail) {
            if !details.is_empty() {
                details.push('\n');
            }
            details.push_str(tail);
        }
        if let Some(first) = first {
            case.message = Some(format!("{GO_BUILD_FAILED}: {first}"));
        }
    }
}

/// The lines go printed under `# <package>` (or `# <package> [<package>.test]`)
/// up to the next such header.
pub(super) fn package_section<'a>(tail: &'a str, package: &str) -> Option<&'a str> {
    let header = format!("# {package}");
    let mut start = None;
    let mut offset = 0;
    for line in tail.split_inclusive('\n') {
        let trimmed = line.trim_end();
        let is_header = trimmed.starts_with("# ");
        if let Some(from) = start
            && is_header
        {
            return Some(&tail[from..offset]);
        }
        if start.is_none()
            && is_header
            && (trimmed == header || trimmed.starts_with(&format!("{header} ")))
        {
            start = Some(offset + line.len());
        }
        offset += line.len();
    }
    start.map(|from| &tail[from..])
}

/// The first compiler or vet line in `text` (`./a_test.go:5:2: …`).
pub(super) fn first_go_error(text: &str) -> Option<&str> {
    text.lines().map(str::trim).find(|l| {
        l.contains(".go:")
            && l.split(".go:")
                .nth(1)
                .is_some_and(|r| r.starts_with(|c: char| c.is_ascii_digit()))
    })
}

/// The results of `go test` killed at the timeout, from the JSON it had
/// streamed: every finished test stands, the tests that had started and
/// not finished (the converter's `incomplete`) are timed out, and the
/// top-level tests still paused behind them (`t.Parallel`, held until the
/// sequential tests end) never ran. None when no test was left unfinished:
/// then nothing says which one hung (or the time went to a build), and
/// the shard is a timeout as a whole.
pub(super) fn timed_out_go(json: &Path, passes: usize, limit: &str) -> Option<Vec<TestCase>> {
    let (xml, _) = convert_go(json, passes).ok()?;
    let unfinished = |case: &TestCase| case.failure_type.as_deref() == Some(GO_INCOMPLETE);
    let mut cases = report_with_timed_out(&xml, unfinished, "go test was killed", limit)?;
    for case in &mut cases {
        if case.failure_type.as_deref() == Some(GO_PAUSED) {
            *case = never_ran(case.clone(), KILLED_BEFORE_IT_RAN);
        }
    }
    Some(cases)
}

/// Why go's `-json` stream could not become JUnit.
#[derive(Debug, thiserror::Error)]
pub(super) enum GoConvertError {
    #[error("{path}: {source}")]
    File {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{0}")]
    Convert(#[from] crate::suite::runners::RunnerError),
}

/// How many times `go test` of `invocation` runs each test (`-count` over
/// each `-cpu`), wherever that is set: the command, the invocation's
/// variables, else go's own `GOFLAGS` (the environment's, or the one `go
/// env -w` wrote), asked once of the command's go (or of `go` when the
/// command's program is a wrapper), with the command's variables.
pub(super) fn go_passes(invocation: &Invocation) -> usize {
    static GO_ENV_FLAGS: std::sync::OnceLock<Option<String>> = std::sync::OnceLock::new();
    let goflags = invocation
        .env
        .iter()
        .rev()
        .find(|(name, _)| name == "GOFLAGS")
        .map(|(_, value)| value.clone())
        .or_else(|| {
            GO_ENV_FLAGS
                .get_or_init(|| go_env_flags(invocation))
                .clone()
        });
    crate::suite::runners::go_args::passes(&invocation.args, goflags.as_deref())
}

/// `go env GOFLAGS`, within a few seconds.
pub(super) fn go_env_flags(invocation: &Invocation) -> Option<String> {
    let program = Path::new(&invocation.program);
    let is_go = program.file_stem().is_some_and(|stem| stem == "go");
    let mut command = std::process::Command::new(match is_go {
        true => program,
        false => Path::new("go"),
    });
    command
        .args(["env", "GOFLAGS"])
        .envs(invocation.env.iter().map(|(k, v)| (k, v)))
        .stdin(std::process::Stdio::null());
    let tails = crate::process::Tails {
        stdout: 4096,
        stderr: 4096,
    };
    let out = crate::process::run(command, Duration::from_secs(10), tails).ok()?;
    out.status
        .filter(std::process::ExitStatus::success)
        .map(|_| out.stdout.trim().to_owned())
}

/// go's JSON at `json` as JUnit beside it: the report's path, and the
/// packages that ran and selected no test. `passes`: how many times the
/// process ran each test.
pub(super) fn convert_go(
    json: &Path,
    passes: usize,
) -> Result<(PathBuf, Vec<String>), GoConvertError> {
    let xml = json.with_extension("xml");
    let file_error = |path: &Path| {
        let path = path.to_path_buf();
        move |source| GoConvertError::File { path, source }
    };
    let input = std::fs::File::open(json).map_err(file_error(json))?;
    let output = std::fs::File::create(&xml).map_err(file_error(&xml))?;
    let ran_no_test = crate::suite::runners::go_json_to_junit(
        std::io::BufReader::new(input),
        std::io::BufWriter::new(output),
        passes,
    )?;
    Ok((xml, ran_no_test))
}
