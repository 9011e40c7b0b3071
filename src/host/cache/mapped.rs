//! Loading a verified cache entry by mapping it instead of reading it.
//!
//! Reading a 35 MB entry into memory and handing it to
//! `Component::deserialize` copies it twice (read, then wasmtime's own
//! aligned copy) and makes wasmtime build each linear memory's initial image
//! in a fresh memfd at the first instantiation: together most of the start
//! of a big Python plugin. `Component::deserialize_file` maps the file
//! instead, and wasmtime then maps memory images copy-on-write straight from
//! it.
//!
//! Only an entry already proven ours is mapped: one whose identity (device,
//! inode, size, mtime, ctime) matches an authenticated record written when
//! its MAC was verified (see `identity`). Why the mapped bytes are the
//! verified ones:
//!
//! - The file is the one behind the descriptor the cache opened (no
//!   symlink followed): wasmtime opens `/proc/self/fd/N`, which names that
//!   very file even if the path was renamed over or deleted since (a swap
//!   after the check maps the old, verified file). Its device and inode are
//!   compared with the descriptor's before wasmtime opens it.
//! - Its identity is taken again just before and just after the mapping;
//!   any write in between changes its ctime, and the component is dropped
//!   unused.
//! - A write after that would show through the mapping, so only an entry
//!   that nobody but this user can write is mapped (owned by this user, not
//!   writable by group or others, in a directory that is the user's alone).
//!   Whoever can still write it (this user, root) can also read the key and
//!   forge an authentic entry: the MAC never protected against them.
//!
//! Everywhere else (no `/proc`, not Linux, an entry not yet verified) the
//! entry is read and MAC-checked in full and the checked bytes deserialized.

use std::fs::{File, Metadata};

use wasmtime::Engine;
use wasmtime::component::Component;

use super::FileId;

/// Why a verified entry was not mapped (it is then a miss).
#[derive(Debug, thiserror::Error)]
pub enum MapError {
    #[cfg(target_os = "linux")]
    #[error("it changed since it was opened")]
    Changed,
    #[cfg(target_os = "linux")]
    #[error("/proc/self/fd does not name the opened file")]
    NoProc,
    #[cfg(target_os = "linux")]
    #[error("stale or unreadable: {0}")]
    Deserialize(String),
    #[cfg(not(target_os = "linux"))]
    #[error("mapping entries is not supported on this platform")]
    Unsupported,
}

/// Whether an entry may be mapped: owned by this user and writable by
/// nobody else (see the module's documentation).
pub fn mappable(meta: &Metadata) -> bool {
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::fs::MetadataExt as _;
        meta.uid() == rustix::process::getuid().as_raw() && meta.mode() & 0o022 == 0
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = meta;
        false
    }
}

/// Deserializes the entry open as `file`, whose identity `id` an
/// authenticated record vouches for, by mapping it.
#[cfg(target_os = "linux")]
pub fn deserialize(engine: &Engine, file: &File, id: FileId) -> Result<Component, MapError> {
    use std::os::fd::AsRawFd as _;
    let unchanged =
        |meta: std::io::Result<Metadata>| meta.ok().and_then(|meta| FileId::of(&meta)) == Some(id);
    if !unchanged(file.metadata()) {
        return Err(MapError::Changed);
    }
    let by_fd = std::path::PathBuf::from(format!("/proc/self/fd/{}", file.as_raw_fd()));
    if !unchanged(std::fs::metadata(&by_fd)) {
        return Err(MapError::NoProc);
    }
    // SAFETY: `by_fd` names the file open as `file` (its identity was just
    // compared, and the descriptor stays open, so the name cannot come to
    // mean another file), whose identity matches a record authenticated
    // with this user's key, written only after that file's MAC proved it
    // was written by `Cache::store` from `Component::serialize` on this
    // engine configuration. It is writable by nobody but this user (see
    // `mappable`), and unchanged just before this call. Wasmtime checks the
    // header and refuses another version or configuration; it ignores the
    // MAC after the artifact.
    let component = unsafe { Component::deserialize_file(engine, &by_fd) }
        .map_err(|err| MapError::Deserialize(crate::host::error::first_line(&err)))?;
    if !unchanged(file.metadata()) {
        return Err(MapError::Changed);
    }
    Ok(component)
}

#[cfg(not(target_os = "linux"))]
pub fn deserialize(_: &Engine, _: &File, _: FileId) -> Result<Component, MapError> {
    Err(MapError::Unsupported)
}
