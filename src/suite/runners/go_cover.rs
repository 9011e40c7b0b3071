//! `go test -coverprofile=F` when pitcrew runs go more than once (shards,
//! retries): every process wrote F over the last, and the file held one
//! shard's packages, or lines of two interleaved. Each process writes a
//! part beside F instead (`F.pitcrew-<id>`), and [`merge`] makes F of them
//! once the runs are over: go's profile format is a `mode:` line, then one
//! line per block, and `go tool cover` reads repeated blocks as one.

use std::io;
use std::path::{Path, PathBuf};

use super::go_args;

/// The marker between the user's file name and a part's id.
const PART: &str = ".pitcrew-";

/// The user's profile path in a `go test` command, where go writes it: a
/// relative path is under `-outputdir` when one is given.
pub fn users_profile(command: &[String]) -> Option<String> {
    let args = go_args::after_test_of_command(command);
    let profile = args.flag_value("coverprofile")?;
    match args.flag_value("outputdir") {
        Some(dir) if !Path::new(&profile).is_absolute() => Some(
            Path::new(&dir)
                .join(&profile)
                .to_string_lossy()
                .into_owned(),
        ),
        _ => Some(profile),
    }
}

/// Removes every part of `profile` (relative to `dir`); what cannot be
/// read or removed is left (the merge then says so).
pub fn remove_parts(dir: &Path, profile: &str) {
    if let Ok(parts) = parts_of(dir, profile) {
        for part in parts.1 {
            let _ = std::fs::remove_file(part);
        }
    }
}

/// The profile's path and its parts, sorted.
fn parts_of(dir: &Path, profile: &str) -> io::Result<(PathBuf, Vec<PathBuf>)> {
    let target = dir.join(profile);
    let parent = target
        .parent()
        .map_or_else(|| dir.to_path_buf(), Path::to_path_buf);
    let Some(name) = target.file_name().and_then(|n| n.to_str()) else {
        return Ok((target, Vec::new()));
    };
    let prefix = format!("{name}{PART}");
    let mut parts: Vec<PathBuf> = match std::fs::read_dir(&parent) {
        Ok(entries) => entries
            .filter_map(Result::ok)
            .filter(|e| {
                e.file_name()
                    .to_str()
                    .is_some_and(|n| n.starts_with(&prefix))
            })
            .map(|e| e.path())
            .collect(),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Vec::new(),
        Err(e) => return Err(e),
    };
    parts.sort();
    Ok((target, parts))
}

/// The part this process writes instead of `profile`, named by `unique`
/// (the invocation's own report path, different for every process).
pub fn part_of(profile: &str, unique: &Path) -> String {
    let id = crate::hash::sha256_hex(unique.to_string_lossy().as_bytes());
    format!("{profile}{PART}{}", &id[..16])
}

/// Merges the parts of `profile` (relative to `dir`) into it and removes
/// them. Nothing to merge (no part): `Ok(false)`, the file left alone.
pub fn merge(dir: &Path, profile: &str) -> anyhow::Result<bool> {
    let (target, parts) = parts_of(dir, profile)?;
    if parts.is_empty() {
        return Ok(false);
    }
    let mut mode = None;
    let mut blocks = String::new();
    for part in &parts {
        let text = std::fs::read_to_string(part)?;
        for line in text.lines() {
            if let Some(m) = line.strip_prefix("mode:") {
                mode.get_or_insert_with(|| m.trim().to_owned());
            } else if !line.trim().is_empty() {
                blocks.push_str(line);
                blocks.push('\n');
            }
        }
    }
    let mut merged = format!("mode: {}\n", mode.as_deref().unwrap_or("set"));
    merged.push_str(&blocks);
    crate::output::write_atomic(&target, merged.as_bytes())?;
    for part in &parts {
        std::fs::remove_file(part)?;
    }
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::suite::runners::test_support::argv;

    #[test]
    fn the_profile_is_found_in_either_form() {
        assert_eq!(
            users_profile(&argv(&["go", "test", "-coverprofile=c.out", "./..."])).as_deref(),
            Some("c.out")
        );
        assert_eq!(
            users_profile(&argv(&[
                "go",
                "test",
                "-v",
                "-coverprofile",
                "out/c.out",
                "./..."
            ]))
            .as_deref(),
            Some("out/c.out")
        );
        assert_eq!(
            users_profile(&argv(&["go", "test", "-cover", "./..."])),
            None
        );
        let a = part_of("c.out", Path::new("/s/1/a.xml"));
        assert!(a.starts_with("c.out.pitcrew-"), "{a}");
        assert_ne!(a, part_of("c.out", Path::new("/s/2/a.xml")));
    }

    #[test]
    fn parts_merge_into_one_profile_with_one_mode_line() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("out")).unwrap();
        for (id, block) in [("1", "m/a/a.go:3.1,4.2 1 1"), ("2", "m/b/b.go:5.1,6.2 2 0")] {
            std::fs::write(
                dir.path().join(format!("out/c.out{PART}{id}")),
                format!("mode: set\n{block}\n"),
            )
            .unwrap();
        }
        assert!(merge(dir.path(), "out/c.out").unwrap());
        let merged = std::fs::read_to_string(dir.path().join("out/c.out")).unwrap();
        assert_eq!(
            merged,
            "mode: set\nm/a/a.go:3.1,4.2 1 1\nm/b/b.go:5.1,6.2 2 0\n"
        );
        let left: Vec<_> = std::fs::read_dir(dir.path().join("out")).unwrap().collect();
        assert_eq!(left.len(), 1, "the parts are removed");
        // No part: the file is left alone.
        assert!(!merge(dir.path(), "out/c.out").unwrap());
        assert!(!merge(dir.path(), "nowhere/c.out").unwrap());
    }
}
