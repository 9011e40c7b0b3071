//! Where the user's nextest configuration asks for a JUnit report.
//!
//! nextest writes JUnit only for a profile with a `junit.path`, under
//! `<workspace root>/<store.dir>/<profile>/` (`target/nextest/ci/junit.xml`
//! for `[profile.ci.junit] path = "junit.xml"` and `--profile ci`, wherever
//! the target directory is). pitcrew runs nextest under a profile of its
//! own that writes its report elsewhere, so the file the user's CI uploads
//! would never be written: pitcrew writes it with the merged tests instead.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use super::argv;

/// nextest's own default for `[store] dir`, relative to the workspace root.
const DEFAULT_STORE_DIR: &str = "target/nextest";

/// The report path the user's configuration names for the command's
/// profile, or None (no configuration, no `junit.path` for the profile, or
/// a configuration or workspace that cannot be read, which nextest itself
/// reports when it runs).
pub fn configured(command: &[String], dir: &Path) -> Option<PathBuf> {
    let profile = super::nextest::take_profile(command)
        .1
        .or_else(|| std::env::var("NEXTEST_PROFILE").ok())
        .unwrap_or_else(|| "default".to_owned());
    let config_file = argv::take_option(command, &["--config-file"], "").1.pop();
    let workspace = workspace_root(command, dir)?;
    let config = match config_file {
        Some(file) => dir.join(file),
        None => workspace.join(".config/nextest.toml"),
    };
    let text = std::fs::read_to_string(&config).ok()?;
    let table: toml::Table = text.parse().ok()?;
    let (store, junit) = junit_path(&table, &profile)?;
    Some(workspace.join(store).join(&profile).join(junit))
}

/// The store directory and the `junit.path` that `profile` inherits: its
/// own, else its `inherits` profile's, else `default`'s.
fn junit_path(config: &toml::Table, profile: &str) -> Option<(String, String)> {
    let profiles = config.get("profile").and_then(toml::Value::as_table);
    let mut seen = BTreeSet::new();
    let mut name = profile.to_owned();
    let junit = loop {
        if !seen.insert(name.clone()) {
            return None;
        }
        let this = profiles.and_then(|p| p.get(&name));
        let path = this
            .and_then(|p| p.get("junit"))
            .and_then(|j| j.get("path"))
            .and_then(toml::Value::as_str);
        if let Some(path) = path {
            break path.to_owned();
        }
        let inherits = this
            .and_then(|p| p.get("inherits"))
            .and_then(toml::Value::as_str);
        name = match inherits {
            Some(parent) => parent.to_owned(),
            None if name != "default" => "default".to_owned(),
            None => return None,
        };
    };
    let store = config
        .get("store")
        .and_then(|s| s.get("dir"))
        .and_then(toml::Value::as_str)
        .unwrap_or(DEFAULT_STORE_DIR);
    Some((store.to_owned(), junit))
}

/// The workspace the command tests, as cargo finds it (its
/// `--manifest-path`, else from `dir` upwards).
fn workspace_root(command: &[String], dir: &Path) -> Option<PathBuf> {
    let manifest = argv::take_option(command, &["--manifest-path"], "").1.pop();
    let mut cargo = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    cargo
        .args(["locate-project", "--workspace", "--message-format", "plain"])
        .current_dir(dir);
    if let Some(manifest) = manifest {
        cargo.arg("--manifest-path").arg(manifest);
    }
    let out = cargo.output().ok().filter(|o| o.status.success())?;
    let manifest = PathBuf::from(String::from_utf8(out.stdout).ok()?.trim_end());
    manifest.parent().map(Path::to_path_buf)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path(config: &str, profile: &str) -> Option<(String, String)> {
        junit_path(&config.parse().unwrap(), profile)
    }

    #[test]
    fn a_profile_inherits_its_parents_or_defaults_junit_path() {
        let own = "[profile.ci.junit]\npath = \"ci.xml\"\n";
        assert_eq!(
            path(own, "ci"),
            Some(("target/nextest".into(), "ci.xml".into()))
        );
        assert_eq!(path(own, "default"), None);
        let default = "[store]\ndir = \"out/nx\"\n[profile.default.junit]\npath = \"j.xml\"\n[profile.ci]\nretries = 2\n";
        assert_eq!(path(default, "ci"), Some(("out/nx".into(), "j.xml".into())));
        let chain = "[profile.base.junit]\npath = \"b.xml\"\n[profile.ci]\ninherits = \"base\"\n";
        assert_eq!(
            path(chain, "ci"),
            Some(("target/nextest".into(), "b.xml".into()))
        );
        // A cycle names no report (nextest refuses the configuration).
        let cycle = "[profile.a]\ninherits = \"b\"\n[profile.b]\ninherits = \"a\"\n";
        assert_eq!(path(cycle, "a"), None);
    }
}
