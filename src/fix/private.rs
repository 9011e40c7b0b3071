//! What in a repository never leaves the machine, nor is changed by a
//! model: credentials files by their names, files git ignores (local
//! settings, build output), and anything reached through a symlink that
//! would lead elsewhere in the copy an edit is verified in. A report may
//! name any file as a test's or a frame's, and a model may edit any file
//! it names.

use std::collections::BTreeSet;
use std::io::Write as _;
use std::path::{Component, Path, PathBuf};
use std::process::{Command, Stdio};

/// Whether `file` (normalised, `/`-separated) is a credentials file by its
/// name: `.env*`, `.npmrc`, `.pypirc`, `.netrc`, keys and certificates, or
/// anything under `.ssh/`, `.aws/`…. Names are compared as Windows reads
/// them too: any case, trailing dots and spaces dropped.
pub fn credentials(file: &str) -> bool {
    const FILES: &[&str] = &[
        ".env",
        ".npmrc",
        ".yarnrc.yml",
        ".pypirc",
        ".netrc",
        "_netrc",
        ".git-credentials",
        ".htpasswd",
        ".pgpass",
        "id_rsa",
        "id_dsa",
        "id_ecdsa",
        "id_ed25519",
    ];
    const EXTENSIONS: &[&str] = &[
        ".pem",
        ".key",
        ".p12",
        ".pfx",
        ".jks",
        ".keystore",
        ".kdbx",
        ".ppk",
        ".asc",
        ".gpg",
    ];
    const FOLDERS: &[&str] = &[".ssh", ".aws", ".gnupg", ".docker", ".kube", ".azure"];
    let lower = file.to_ascii_lowercase();
    let mut parts: Vec<&str> = lower
        .split('/')
        .map(|part| part.trim_end_matches(['.', ' ']))
        .collect();
    let name = parts.pop().unwrap_or_default();
    FILES.contains(&name)
        || name.starts_with(".env.")
        || EXTENSIONS.iter().any(|ext| name.ends_with(ext))
        || parts.iter().any(|folder| FOLDERS.contains(folder))
}

/// Which of `files` (relative to `root`) git ignores, asked in one `git
/// check-ignore`. Outside a repository nothing is. Inside one, when git
/// cannot answer (a workspace owned by another user, a broken index), every
/// file is taken as ignored: unknown is private.
pub fn ignored_by_git(root: &Path, files: &[String]) -> BTreeSet<String> {
    if files.is_empty() {
        return BTreeSet::new();
    }
    let asked = Command::new("git")
        .arg("-c")
        .arg(format!("safe.directory={}", root.display()))
        .arg("-C")
        .arg(root)
        .args(["check-ignore", "-z", "--stdin"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .and_then(|mut child| {
            let mut stdin = child.stdin.take();
            let input: Vec<u8> = files
                .iter()
                .flat_map(|f| [f.as_bytes(), b"\0"])
                .flatten()
                .copied()
                .collect();
            // Written beside the read: git answers as it reads, and a full
            // pipe either way would stop both.
            std::thread::scope(|scope| {
                scope.spawn(move || {
                    if let Some(stdin) = stdin.as_mut() {
                        let _ = stdin.write_all(&input);
                    }
                    drop(stdin);
                });
                child.wait_with_output()
            })
        });
    match asked {
        // 0: some are ignored, 1: none is.
        Ok(out) if matches!(out.status.code(), Some(0 | 1)) => out
            .stdout
            .split(|&b| b == 0)
            .filter(|name| !name.is_empty())
            .map(|name| String::from_utf8_lossy(name).into_owned())
            .collect(),
        _ if in_a_repository(root) => {
            tracing::warn!(
                "git could not say which files it ignores: none of {} file(s) is read for a model or edited",
                files.len()
            );
            files.iter().cloned().collect()
        }
        _ => BTreeSet::new(),
    }
}

fn in_a_repository(root: &Path) -> bool {
    root.ancestors().any(|dir| dir.join(".git").exists())
}

/// Whether a part of `file`'s path under the canonical `root` (the root
/// itself excluded) is a symlink that would not lead to the same place in
/// a copy of the tree: an absolute one (in the copy an edit is verified
/// in, it still points at the working tree), one leading out of the root
/// or into its `.git` (`g -> .git`, then `g/config`), or one through
/// such a link. A relative link that stays inside is the same in the copy.
pub fn through_a_foreign_link(root: &Path, file: &str) -> bool {
    foreign(root, file, 8)
}

fn foreign(root: &Path, file: &str, hops: u8) -> bool {
    let mut path = root.to_path_buf();
    for part in file.split('/') {
        path.push(part);
        match std::fs::symlink_metadata(&path) {
            Ok(meta) if meta.file_type().is_symlink() => {
                let Some(target) = link_target(root, &path) else {
                    return true;
                };
                let into_git = target
                    .split('/')
                    .next()
                    .is_some_and(|first| first.eq_ignore_ascii_case(".git"));
                if hops == 0 || into_git || foreign(root, &target, hops - 1) {
                    return true;
                }
            }
            Ok(_) => {}
            // What does not exist yet is no link.
            Err(_) => return false,
        }
    }
    false
}

/// Where the relative link `link` (under `root`) points, as a path
/// relative to `root`, or `None` when its target is absolute or leaves
/// the root.
fn link_target(root: &Path, link: &Path) -> Option<String> {
    let target = std::fs::read_link(link).ok()?;
    if target.has_root() || target.is_absolute() {
        return None;
    }
    let joined: PathBuf = link.parent()?.join(target);
    let mut parts: Vec<String> = Vec::new();
    for component in joined.strip_prefix(root).ok()?.components() {
        match component {
            Component::Normal(part) => parts.push(part.to_str()?.to_owned()),
            Component::CurDir => {}
            Component::ParentDir => {
                parts.pop()?;
            }
            Component::RootDir | Component::Prefix(_) => return None,
        }
    }
    Some(parts.join("/"))
}

#[cfg(test)]
#[path = "private_tests.rs"]
mod tests;
