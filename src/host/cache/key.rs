//! The per-user key that authenticates cache entries: 32 random bytes in a
//! file of the user's own (0600), outside the cache directory, so that
//! whoever can write the cache (a restored `actions/cache`, a repository, a
//! shared directory) still cannot produce an entry pitcrew will load.

use std::fs;
use std::io::{Read as _, Write as _};
use std::path::{Path, PathBuf};

pub const KEY_BYTES: usize = 32;

/// Overrides where the key lives (tests, unusual setups).
pub const KEY_ENV: &str = "PITCREW_CACHE_KEY";

/// `$PITCREW_CACHE_KEY`, else `$XDG_DATA_HOME/pitcrew/cache.key`
/// (`~/.local/share/pitcrew/cache.key`): data, not cache, so that clearing
/// or restoring the cache never touches it.
pub fn default_key_path() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os(KEY_ENV).filter(|p| !p.is_empty()) {
        return Some(PathBuf::from(path));
    }
    dirs::data_local_dir().map(|dir| dir.join("pitcrew").join("cache.key"))
}

/// Why the key cannot be used; the caller names the file.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("lies inside the cache directory; it must be kept outside it")]
    InsideCache,
    #[error("cannot create its directory: {0}")]
    CreateDir(std::io::Error),
    #[error("no randomness for a new key: {0}")]
    NoRandomness(getrandom::Error),
    #[error("cannot create it: {0}")]
    Create(std::io::Error),
    #[error("cannot write it: {0}")]
    Write(std::io::Error),
    #[error("vanished while being created")]
    Vanished,
    #[error("cannot read it: {0}")]
    Read(std::io::Error),
    #[error("is not a regular file")]
    NotAFile,
    #[error("is owned by uid {0}, not this user")]
    NotOurs(u32),
    #[error("is readable or writable by others (mode {0:o}); it must be 0600")]
    NotPrivate(u32),
    #[error("is not a {KEY_BYTES}-byte key")]
    NotAKey,
}

/// Reads the key, creating it (0600, in a 0700 directory) the first time.
/// Two processes racing to create it agree: the loser reads the winner's.
pub fn load_or_create(path: &Path) -> Result<[u8; KEY_BYTES], KeyError> {
    match read(path) {
        Ok(Some(key)) => return Ok(key),
        Ok(None) => {}
        Err(why) => return Err(why),
    }
    let parent = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(parent).map_err(KeyError::CreateDir)?;
    let mut key = [0u8; KEY_BYTES];
    getrandom::fill(&mut key).map_err(KeyError::NoRandomness)?;
    // tempfile creates its files 0600 on unix.
    let mut tmp = tempfile::NamedTempFile::new_in(parent).map_err(KeyError::Create)?;
    tmp.write_all(&key)
        .and_then(|()| tmp.as_file().sync_all())
        .map_err(KeyError::Write)?;
    match tmp.persist_noclobber(path) {
        Ok(_) => Ok(key),
        Err(err) if err.error.kind() == std::io::ErrorKind::AlreadyExists => {
            read(path)?.ok_or(KeyError::Vanished)
        }
        Err(err) => Err(KeyError::Create(err.error)),
    }
}

/// The key, `None` when there is no file yet; an error when the file is not
/// one only this user can read and write, or is not a key.
fn read(path: &Path) -> Result<Option<[u8; KEY_BYTES]>, KeyError> {
    let meta = match fs::symlink_metadata(path) {
        Ok(meta) => meta,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(KeyError::Read(e)),
    };
    if !meta.file_type().is_file() {
        return Err(KeyError::NotAFile);
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt as _;
        let uid = rustix::process::getuid().as_raw();
        if meta.uid() != uid {
            return Err(KeyError::NotOurs(meta.uid()));
        }
        if meta.mode() & 0o077 != 0 {
            return Err(KeyError::NotPrivate(meta.mode() & 0o777));
        }
    }
    let mut bytes = Vec::with_capacity(KEY_BYTES);
    fs::File::open(path)
        .and_then(|f| f.take(KEY_BYTES as u64 + 1).read_to_end(&mut bytes))
        .map_err(KeyError::Read)?;
    bytes.try_into().map(Some).map_err(|_| KeyError::NotAKey)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_key_is_created_private_once_and_then_reused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub").join("cache.key");
        let first = load_or_create(&path).unwrap();
        assert_eq!(load_or_create(&path).unwrap(), first);
        assert_ne!(first, [0; KEY_BYTES]);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            let mode = fs::metadata(&path).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600);
            fs::set_permissions(&path, fs::Permissions::from_mode(0o644)).unwrap();
            let err = load_or_create(&path).unwrap_err().to_string();
            assert!(
                err.starts_with("is readable or writable by others"),
                "{err}"
            );
        }
    }

    #[test]
    fn a_file_that_is_not_a_key_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cache.key");
        fs::write(&path, b"short").unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            fs::set_permissions(&path, fs::Permissions::from_mode(0o600)).unwrap();
        }
        assert_eq!(
            load_or_create(&path).unwrap_err().to_string(),
            "is not a 32-byte key"
        );
    }
}
