//! Temporary folders of a run (its shards' reports, a listing's output,
//! the reporters pitcrew writes for the runners): removed when dropped, and
//! when Ctrl-C or termination ends the process, where nothing is dropped
//! (the interrupt handler exits with 130). Named `pitcrew-…`, so that one
//! a `kill -9` left is recognisable.

use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, Once, TryLockError};
use std::time::{Duration, Instant};

/// The folders alive in this process, for the interrupt cleanup.
static LIVE: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());
static CLEANUP: Once = Once::new();

fn live() -> std::sync::MutexGuard<'static, Vec<PathBuf>> {
    LIVE.lock().unwrap_or_else(|p| p.into_inner())
}

/// A temporary folder, removed on drop and at an interrupt.
#[derive(Debug)]
pub struct Scratch {
    dir: Option<tempfile::TempDir>,
    path: PathBuf,
}

/// A new temporary folder. None is made once an interrupt is being
/// handled: made and listed under the lock the cleanup reads, so every
/// folder is either in its list or never made.
pub fn tempdir() -> io::Result<Scratch> {
    CLEANUP.call_once(|| crate::process_group::at_interrupt(remove_all));
    let mut live = live();
    if crate::process_group::interrupted() {
        return Err(io::Error::new(io::ErrorKind::Interrupted, "interrupted"));
    }
    let dir = tempfile::Builder::new().prefix("pitcrew-").tempdir()?;
    let path = dir.path().to_owned();
    live.push(path.clone());
    Ok(Scratch {
        dir: Some(dir),
        path,
    })
}

impl Scratch {
    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        // Removed first, then forgotten: the cleanup waits for this.
        drop(self.dir.take());
        live().retain(|p| *p != self.path);
    }
}

fn remove_all() {
    remove_after_owners(&LIVE, |path| {
        let _ = std::fs::remove_dir_all(path);
    });
}

/// How long an interrupt cleanup waits for the threads that own temporary
/// folders to drop them.
const OWNERS_STOP_WITHIN: Duration = Duration::from_secs(3);

/// The interrupt cleanup of the entries `live` lists: their owners are
/// left to remove them first. Once the interrupt killed their commands
/// (and no new one starts) they unwind and drop their folders within
/// moments; removing a folder under a thread still working in it races
/// with that thread, which can recreate parts of it (its next run's logs)
/// just before the process exits. Whatever is still listed after
/// [`OWNERS_STOP_WITHIN`] (an owner waiting for a model, say) is removed
/// here, with `remove`.
pub fn remove_after_owners<T: Clone>(live: &Mutex<Vec<T>>, remove: impl Fn(&T)) {
    let until = Instant::now() + OWNERS_STOP_WITHIN;
    loop {
        // try_lock: the lock is only ever held for a push or a retain, and
        // a handler that hangs on it would never exit.
        let entries = match live.try_lock() {
            Ok(live) => Some(live.clone()),
            Err(TryLockError::Poisoned(p)) => Some(p.into_inner().clone()),
            Err(TryLockError::WouldBlock) => None,
        };
        match entries {
            Some(entries) if entries.is_empty() => return,
            Some(entries) if Instant::now() >= until => {
                for entry in &entries {
                    remove(entry);
                }
                return;
            }
            None if Instant::now() >= until => return,
            _ => std::thread::sleep(Duration::from_millis(10)),
        }
    }
}
