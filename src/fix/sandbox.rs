//! A separate copy of the tree as it was tested, where candidate edits are
//! applied and the tests re-run: the user's working tree is never touched.
//!
//! In a git repository: a temporary `git worktree add --detach` at HEAD,
//! plus the uncommitted changes (`git diff HEAD --binary | git apply`) and
//! the untracked, not ignored files. Ignored dependency directories the
//! tests need (`node_modules`, `.venv`, `venv` at the project root) are
//! linked, not copied. Without git: a plain copy of the project.
//!
//! The copy is removed when its [`Sandbox`] is dropped (panics included) and
//! on Ctrl-C or termination, by a cleanup registered with the process-group
//! interrupt handler ([`crate::process_group::at_interrupt`]).

use std::io::{self, Write as _};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Mutex, Once, TryLockError};
use std::time::Duration;

/// Ignored directories linked into the copy, at the project root.
const LINKED_DEPENDENCIES: [&str; 3] = ["node_modules", ".venv", "venv"];

/// Why a sandbox could not be made.
#[derive(Debug, thiserror::Error)]
pub enum SandboxError {
    #[error("cannot copy the tree: {context}: {source}")]
    Io { context: String, source: io::Error },
    #[error("cannot copy the tree: `git {args}` failed: {stderr}")]
    Git { args: String, stderr: String },
}

fn io_error(context: impl Into<String>) -> impl FnOnce(io::Error) -> SandboxError {
    let context = context.into();
    move |source| SandboxError::Io { context, source }
}

/// Sandboxes alive in this process: (temporary directory, repository top
/// level when it holds a worktree), for the interrupt cleanup.
static LIVE: Mutex<Vec<(PathBuf, Option<PathBuf>)>> = Mutex::new(Vec::new());
static CLEANUP: Once = Once::new();

fn live() -> std::sync::MutexGuard<'static, Vec<(PathBuf, Option<PathBuf>)>> {
    LIVE.lock().unwrap_or_else(|p| p.into_inner())
}

/// A temporary copy of the project. Removed on drop.
#[derive(Debug)]
pub struct Sandbox {
    /// The temporary directory everything lives under.
    base: PathBuf,
    /// Where the project root is in the copy.
    root: PathBuf,
    /// The user's repository top level, when the copy is a worktree of it.
    git_top: Option<PathBuf>,
}

impl Sandbox {
    /// A copy of the project at `root` as it is now, committed or not.
    pub fn create(root: &Path) -> Result<Sandbox, SandboxError> {
        CLEANUP.call_once(|| crate::process_group::at_interrupt(remove_all));
        let root = root
            .canonicalize()
            .map_err(io_error(format!("{}", root.display())))?;
        let top = git_top(&root);
        let base = {
            // Made and registered under the lock the interrupt cleanup
            // reads, and never once an interrupt is being handled: every
            // copy is either in its list or never made.
            let mut live = live();
            if crate::process_group::interrupted() {
                return Err(SandboxError::Io {
                    context: "a temporary directory".into(),
                    source: io::Error::new(io::ErrorKind::Interrupted, "interrupted"),
                });
            }
            let base = tempfile::Builder::new()
                .prefix("pitcrew-fix-")
                .tempdir()
                .map_err(io_error("a temporary directory"))?
                .keep();
            live.push((base.clone(), top.clone()));
            base
        };
        let tree = tree_in(&base);
        let mut sandbox = Sandbox {
            root: base.clone(),
            base,
            git_top: None,
        };
        match top {
            Some(top) if has_head(&top) => {
                sandbox.git_top = Some(top.clone());
                worktree(&top, &tree)?;
                sandbox.root = match root.strip_prefix(&top) {
                    Ok(prefix) if !prefix.as_os_str().is_empty() => tree.join(prefix),
                    _ => tree,
                };
                link_dependencies(&root, &sandbox.root)?;
            }
            _ => {
                copy_tree(&root, &tree)?;
                sandbox.root = tree;
            }
        }
        tracing::debug!(copy = %sandbox.root.display(), "sandbox ready");
        Ok(sandbox)
    }

    /// The project root in the copy: where the tests run.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// A directory for the runs' reports and logs beside the copy (not in
    /// it: the tests must not see them), removed with it.
    pub fn scratch(&self) -> io::Result<PathBuf> {
        let dir = self.base.join("runs");
        std::fs::create_dir_all(&dir)?;
        Ok(dir)
    }

    /// Whether the copy is a git worktree (else a plain copy).
    pub fn is_worktree(&self) -> bool {
        self.git_top.is_some()
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        remove(&self.base, self.git_top.as_deref());
        live().retain(|(base, _)| *base != self.base);
    }
}

/// The interrupt cleanup: every live sandbox, once its owner had the time
/// to drop it ([`crate::scratch::remove_after_owners`]).
fn remove_all() {
    crate::scratch::remove_after_owners(&LIVE, |(base, top)| remove(base, top.as_deref()));
}

/// Where the copy goes in the sandbox's directory. Named after that
/// (unique) directory, because git names a worktree's administrative entry
/// (`.git/worktrees/NAME`) after its last path component: copies made at
/// the same time for groups verified at once must not reach for the same
/// name (`failed to read .git/worktrees/tree/commondir` in CI).
fn tree_in(base: &Path) -> PathBuf {
    let name = base
        .file_name()
        .map_or_else(|| "tree".into(), |n| n.to_string_lossy().into_owned());
    base.join(name)
}

/// Held while git changes the repository's list of worktrees (`add`,
/// `remove`, `prune`): two at once race in `.git/worktrees`, and a `prune`
/// can take the entry of a worktree another thread is still adding.
static WORKTREES: Mutex<()> = Mutex::new(());

/// [`WORKTREES`], waited for at most 5 s: the interrupt cleanup must not
/// hang on it (what holds it is a git command that ends by itself).
fn worktrees_lock() -> Option<std::sync::MutexGuard<'static, ()>> {
    for _ in 0..500 {
        match WORKTREES.try_lock() {
            Ok(guard) => return Some(guard),
            Err(TryLockError::Poisoned(p)) => return Some(p.into_inner()),
            Err(TryLockError::WouldBlock) => std::thread::sleep(Duration::from_millis(10)),
        }
    }
    None
}

fn remove(base: &Path, git_top: Option<&Path>) {
    let _worktrees = git_top.and_then(|_| worktrees_lock());
    if let Some(top) = git_top {
        let tree = tree_in(base);
        if tree.exists() {
            let _ = git(
                top,
                &["worktree", "remove", "--force", "--force"],
                Some(&tree),
            );
        }
    }
    // Again if it is still there: a process of a killed run dying only now
    // can have made a file in a folder already emptied (ENOTEMPTY).
    for _ in 0..3 {
        if std::fs::remove_dir_all(base).is_ok() || !base.exists() {
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    if let Some(top) = git_top {
        // The worktree's administrative entry, should its removal have failed.
        let _ = git(top, &["worktree", "prune"], None);
    }
}

/// Runs git in `dir`; its stdout, or the failure.
fn git(dir: &Path, args: &[&str], path_arg: Option<&Path>) -> Result<Vec<u8>, SandboxError> {
    let mut command = Command::new("git");
    command.arg("-C").arg(dir).args(args);
    if let Some(path) = path_arg {
        command.arg(path);
    }
    let output = command
        .stdin(Stdio::null())
        .output()
        .map_err(io_error("cannot run git"))?;
    if !output.status.success() {
        return Err(SandboxError::Git {
            args: args.join(" "),
            stderr: crate::escape::control_chars(String::from_utf8_lossy(&output.stderr).trim())
                .into_owned(),
        });
    }
    Ok(output.stdout)
}

fn git_top(root: &Path) -> Option<PathBuf> {
    let out = git(root, &["rev-parse", "--show-toplevel"], None).ok()?;
    let top = String::from_utf8(out).ok()?;
    PathBuf::from(top.trim()).canonicalize().ok()
}

fn has_head(top: &Path) -> bool {
    git(top, &["rev-parse", "--verify", "--quiet", "HEAD"], None).is_ok()
}

/// A detached worktree at HEAD in `tree`, plus the uncommitted changes and
/// the untracked files of `top`.
fn worktree(top: &Path, tree: &Path) -> Result<(), SandboxError> {
    // With no commit named, `worktree add` checks out HEAD.
    {
        let _worktrees = worktrees_lock();
        git(top, &["worktree", "add", "--detach", "--quiet"], Some(tree))?;
    }
    let diff = git(top, &["diff", "HEAD", "--binary"], None)?;
    if !diff.is_empty() {
        let mut apply = Command::new("git")
            .arg("-C")
            .arg(tree)
            .args(["apply", "--whitespace=nowarn", "-"])
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(io_error("cannot run git apply"))?;
        if let Some(mut stdin) = apply.stdin.take() {
            stdin
                .write_all(&diff)
                .map_err(io_error("writing the uncommitted changes to git apply"))?;
        }
        let output = apply
            .wait_with_output()
            .map_err(io_error("waiting for git apply"))?;
        if !output.status.success() {
            return Err(SandboxError::Git {
                args: "apply (the uncommitted changes)".into(),
                stderr: crate::escape::control_chars(
                    String::from_utf8_lossy(&output.stderr).trim(),
                )
                .into_owned(),
            });
        }
    }
    let untracked = git(
        top,
        &["ls-files", "--others", "--exclude-standard", "-z"],
        None,
    )?;
    for name in untracked.split(|b| *b == 0).filter(|n| !n.is_empty()) {
        let Ok(name) = std::str::from_utf8(name) else {
            continue;
        };
        copy_entry(&top.join(name), &tree.join(name))?;
    }
    Ok(())
}

/// Links the ignored dependency directories of `root` into `copy`.
fn link_dependencies(root: &Path, copy: &Path) -> Result<(), SandboxError> {
    for name in LINKED_DEPENDENCIES {
        let (from, to) = (root.join(name), copy.join(name));
        if from.is_dir() && std::fs::symlink_metadata(&to).is_err() {
            symlink(&from, &to).map_err(io_error(format!("linking {name}")))?;
        }
    }
    Ok(())
}

/// A plain recursive copy (symlinks stay symlinks); `.git` is skipped.
fn copy_tree(from: &Path, to: &Path) -> Result<(), SandboxError> {
    for entry in walkdir::WalkDir::new(from)
        .follow_links(false)
        .into_iter()
        .filter_entry(|e| e.file_name() != ".git")
    {
        let entry = entry.map_err(|e| SandboxError::Io {
            context: format!("reading {}", from.display()),
            source: e.into(),
        })?;
        let relative = entry.path().strip_prefix(from).unwrap_or(Path::new(""));
        let target = to.join(relative);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target)
                .map_err(io_error(format!("creating {}", target.display())))?;
        } else {
            copy_entry(entry.path(), &target)?;
        }
    }
    Ok(())
}

/// Copies one file or symlink, creating its directory.
fn copy_entry(from: &Path, to: &Path) -> Result<(), SandboxError> {
    if let Some(parent) = to.parent() {
        std::fs::create_dir_all(parent)
            .map_err(io_error(format!("creating {}", parent.display())))?;
    }
    let meta =
        std::fs::symlink_metadata(from).map_err(io_error(format!("reading {}", from.display())))?;
    if meta.file_type().is_symlink() {
        let target =
            std::fs::read_link(from).map_err(io_error(format!("reading {}", from.display())))?;
        symlink(&target, to).map_err(io_error(format!("linking {}", to.display())))?;
    } else if meta.is_file() {
        std::fs::copy(from, to).map_err(io_error(format!("copying {}", from.display())))?;
    }
    Ok(())
}

#[cfg(unix)]
fn symlink(target: &Path, link: &Path) -> io::Result<()> {
    std::os::unix::fs::symlink(target, link)
}

#[cfg(windows)]
fn symlink(target: &Path, link: &Path) -> io::Result<()> {
    if target.is_dir() {
        std::os::windows::fs::symlink_dir(target, link)
    } else {
        std::os::windows::fs::symlink_file(target, link)
    }
}

#[cfg(test)]
#[path = "sandbox_tests.rs"]
pub(crate) mod tests;
