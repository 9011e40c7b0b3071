//! Recognising a file already hashed or verified, without reading it again.
//!
//! Hashing an 18 MB Python component and MAC-checking its 35 MB compiled
//! entry on every start cost more than everything else `pitcrew plugin
//! list` does. So once a file has been read in full (and hashed, or its MAC
//! verified), the cache records the file's identity: device, inode, size,
//! modification and status-change times. The record is authenticated with
//! the user's key like the entries themselves, so nobody without the key can
//! write one. A later start that finds the same identity reuses the result.
//!
//! Why that is safe: any write to a file, a rename over it, a restore from an
//! archive (`actions/cache`) or a copy gives it a new status-change time
//! (ctime), which no unprivileged process can set back; a new file gets a new
//! ctime and usually a new inode. A file is only recorded when its ctime is
//! [`SETTLE`] old and its identity did not change while it was read, so a
//! second write within the same timestamp tick cannot go unnoticed (git's
//! "racy clean" problem). Where no ctime exists (not unix), nothing is
//! recorded and every start reads and checks in full.

use std::fs::Metadata;
use std::time::{Duration, SystemTime};

/// How old a file's last change must be before its identity is trusted:
/// far above the coarsest filesystem timestamp granularity.
pub const SETTLE: Duration = Duration::from_secs(2);

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FileId {
    dev: u64,
    ino: u64,
    size: u64,
    mtime_ns: i128,
    ctime_ns: i128,
}

impl FileId {
    /// The identity of a regular file, `None` for anything else or where
    /// the platform has no ctime.
    pub fn of(meta: &Metadata) -> Option<Self> {
        if !meta.file_type().is_file() {
            return None;
        }
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt as _;
            let ns = |secs: i64, nanos: i64| i128::from(secs) * 1_000_000_000 + i128::from(nanos);
            Some(Self {
                dev: meta.dev(),
                ino: meta.ino(),
                size: meta.len(),
                mtime_ns: ns(meta.mtime(), meta.mtime_nsec()),
                ctime_ns: ns(meta.ctime(), meta.ctime_nsec()),
            })
        }
        #[cfg(not(unix))]
        {
            None
        }
    }

    /// The identity of a file read in full: `Some` only if it was the same
    /// before and after the read, and its last change is settled.
    pub fn settled(before: &Metadata, after: &Metadata) -> Option<Self> {
        let id = Self::of(before)?;
        if Self::of(after)? != id {
            return None;
        }
        let changed =
            SystemTime::UNIX_EPOCH + Duration::from_nanos(u64::try_from(id.ctime_ns).ok()?);
        let age = SystemTime::now().duration_since(changed).ok()?;
        (age >= SETTLE).then_some(id)
    }

    /// One line, as stored in a record.
    pub fn encode(&self) -> String {
        format!(
            "{} {} {} {} {}",
            self.dev, self.ino, self.size, self.mtime_ns, self.ctime_ns
        )
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn a_file_just_written_is_not_settled_and_a_rewrite_changes_its_identity() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.wasm");
        std::fs::write(&path, b"one").unwrap();
        let first = std::fs::metadata(&path).unwrap();
        assert_eq!(FileId::settled(&first, &first), None, "too fresh");
        let id = FileId::of(&first).unwrap();

        // Same size, same mtime set back: the ctime still moves.
        std::thread::sleep(Duration::from_millis(20));
        std::fs::write(&path, b"two").unwrap();
        let mtime = first.modified().unwrap();
        std::fs::File::options()
            .write(true)
            .open(&path)
            .unwrap()
            .set_modified(mtime)
            .unwrap();
        let second = std::fs::metadata(&path).unwrap();
        assert_eq!(second.modified().unwrap(), mtime);
        assert_ne!(FileId::of(&second).unwrap(), id);
        assert_eq!(FileId::settled(&first, &second), None, "changed while read");
        assert_eq!(FileId::of(&dir.path().metadata().unwrap()), None);
    }
}
