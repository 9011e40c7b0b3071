//! On-disk cache of compiled components.
//!
//! `Component::deserialize` runs whatever machine code the bytes contain, so
//! an entry is only ever deserialized after it proved that this user's
//! pitcrew wrote it: every entry ends with an HMAC-SHA256, under a random
//! per-user key kept outside the cache directory (see [`key`]), of the
//! component's sha256, the engine's compatibility hash and the artifact. A
//! copied, restored, crafted or corrupted entry fails that check and is a
//! miss: the component is recompiled and the entry rewritten.
//!
//! The directory itself must belong to the user and be writable by nobody
//! else; otherwise the cache is not used at all (compiled in memory, with a
//! warning). Its location comes from the environment or the user's cache
//! directory, never from a repository's `pitcrew.toml`.

mod described;
mod identity;
mod key;
mod mapped;

use std::fs;
use std::hash::{Hash, Hasher};
use std::io::{self, Read as _, Write as _};
use std::path::{Path, PathBuf};

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};
use wasmtime::Engine;
use wasmtime::component::Component;

pub use described::DescribedRecord;
pub use identity::{FileId, SETTLE};
pub use key::{KEY_ENV, KeyError, default_key_path};

use crate::hash::{hex, sha256_hex};

type HmacSha256 = Hmac<Sha256>;

const TAG: usize = 32;

/// No compiled component comes near this; a bigger file is not read.
const MAX_ENTRY_BYTES: u64 = 1 << 30;

/// An identity record is a few lines; anything bigger is not one.
const MAX_RECORD_BYTES: u64 = 4096;

/// What an entry's identity record says once its MAC was verified.
const VERIFIED: &str = "authentic";

/// Where the cache lives, and whether to use it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CacheSetting {
    Disabled,
    /// `$PITCREW_CACHE_DIR`, or `$XDG_CACHE_HOME/pitcrew` (`~/.cache/pitcrew`).
    Default,
    /// A directory (`$PITCREW_CACHE_DIR`); the key at its default place.
    Dir(PathBuf),
    /// A directory and an explicit key file (tests, embedders).
    Keyed {
        dir: PathBuf,
        key: PathBuf,
    },
}

impl CacheSetting {
    /// The cache directory, or `None` when the cache is off. `--no-cache`
    /// wins; then `PITCREW_NO_CACHE` / `PITCREW_CACHE_DIR`; then the XDG
    /// default. (`pitcrew.toml` may only turn the cache off.)
    pub fn resolve(&self) -> Option<PathBuf> {
        match self {
            CacheSetting::Disabled => None,
            CacheSetting::Dir(dir) | CacheSetting::Keyed { dir, .. } => Some(dir.clone()),
            CacheSetting::Default => dirs::cache_dir().map(|dir| dir.join("pitcrew")),
        }
    }

    /// The key file: explicit, `$PITCREW_CACHE_KEY`, or the user's data dir.
    pub fn key_path(&self) -> Option<PathBuf> {
        match self {
            CacheSetting::Keyed { key, .. } => Some(key.clone()),
            _ => default_key_path(),
        }
    }
}

/// Why the cache is not used this time. Never fatal: the runtime logs it
/// and compiles in memory.
#[derive(Debug, thiserror::Error)]
pub enum CacheRefused {
    #[error("no cache directory or key location could be determined")]
    NoLocation,
    #[error("cache directory {0}: {1}")]
    Dir(String, DirError),
    #[error("cache key {0}: {1}")]
    Key(String, KeyError),
}

/// Why a cache directory is not one for compiled code; the caller names it.
#[derive(Debug, thiserror::Error)]
pub enum DirError {
    #[error("cannot create it: {0}")]
    Create(io::Error),
    #[error("cannot read it: {0}")]
    Read(io::Error),
    #[error("is not a directory (a symlink or a file)")]
    NotADirectory,
    #[error("is owned by uid {owner}, not by this user (uid {uid})")]
    NotOurs { owner: u32, uid: u32 },
    #[error("is writable by group or others (mode {0:o}); run `chmod go-w` on it")]
    Shared(u32),
}

pub struct Cache {
    dir: PathBuf,
    key: [u8; key::KEY_BYTES],
    engine_key: String,
}

impl Cache {
    /// Opens (creating if needed) the cache for this engine, after checking
    /// that the directory is the user's alone and loading the user's key.
    pub fn open(setting: &CacheSetting, engine: &Engine) -> Result<Option<Self>, CacheRefused> {
        let Some(root) = setting.resolve() else {
            return Ok(None);
        };
        let key_path = setting.key_path().ok_or(CacheRefused::NoLocation)?;
        let mut hasher = Sha256Hasher::default();
        engine.precompile_compatibility_hash().hash(&mut hasher);
        let engine_key = hex(&hasher.0.finalize()[..8]);
        let dir = root.join(format!("v{}-{engine_key}", env!("CARGO_PKG_VERSION")));
        if key_path.starts_with(&root) {
            return Err(CacheRefused::Key(
                key_path.display().to_string(),
                KeyError::InsideCache,
            ));
        }
        let dir_err = |path: &Path, why| CacheRefused::Dir(path.display().to_string(), why);
        for path in [&root, &dir] {
            private_dir(path).map_err(|why| dir_err(path, why))?;
        }
        let key = key::load_or_create(&key_path)
            .map_err(|why| CacheRefused::Key(key_path.display().to_string(), why))?;
        Ok(Some(Self {
            dir,
            key,
            engine_key,
        }))
    }

    fn entry(&self, sha256: &str) -> PathBuf {
        self.dir.join(format!("{sha256}.cwasm"))
    }

    /// The MAC of an entry: binds the artifact to the component it was
    /// compiled from and to this engine, so an authentic entry renamed to
    /// another component's hash is refused too.
    fn mac(&self, sha256: &str, artifact: &[u8]) -> HmacSha256 {
        let mut mac = self.keyed(b"pitcrew compiled component v1\0");
        mac.update(sha256.as_bytes());
        mac.update(b"\0");
        mac.update(self.engine_key.as_bytes());
        mac.update(b"\0");
        mac.update(artifact);
        mac
    }

    /// The cached component, or `None` when absent, stale, or not proven to
    /// be ours (anything that fails the MAC is never deserialized). An entry
    /// whose MAC was verified before, and whose identity has not changed
    /// since (see [`identity`]), is not verified again: it is mapped from
    /// the file (see [`mapped`]) instead of read and copied.
    ///
    /// The entry is opened once; what is checked (its identity, its MAC)
    /// and what is deserialized are the file behind that one descriptor,
    /// never the path opened again.
    pub fn load(&self, engine: &Engine, sha256: &str) -> Option<Component> {
        let path = self.entry(sha256);
        let (file, before) = open_regular(&path, MAX_ENTRY_BYTES)?;
        #[cfg(test)]
        tests::between_check_and_read(&path);
        if let Some(id) = FileId::of(&before)
            && mapped::mappable(&before)
            && self.recall("entry", sha256, id).as_deref() == Some(VERIFIED)
        {
            return match mapped::deserialize(engine, &file, id) {
                Ok(component) => Some(component),
                Err(why) => {
                    tracing::debug!("cache entry {} not mapped: {why}", path.display());
                    None
                }
            };
        }
        let read = read_opened(&file, before, MAX_ENTRY_BYTES)?;
        let Some(artifact) = self.verified(sha256, &read) else {
            tracing::warn!(
                "compilation cache entry {} is not authentic (copied, crafted, corrupt or changed while read); recompiling",
                path.display()
            );
            return None;
        };
        match artifact.deserialize(engine) {
            Ok(component) => Some(component),
            Err(err) => {
                tracing::debug!(
                    "cache entry {} is stale ({err}); recompiling",
                    path.display()
                );
                None
            }
        }
    }

    /// The artifact of an entry read in full, if it is proven ours: by its
    /// MAC over exactly these bytes, or by an identity record naming the
    /// file as it was both before and after these bytes were read (a write
    /// in between changes its ctime, so bytes read from a file being
    /// rewritten are never taken on the record's word).
    fn verified<'a>(&self, sha256: &str, read: &'a Read) -> Option<Verified<'a>> {
        let split = read.bytes.len().checked_sub(TAG)?;
        let unchanged = FileId::of(&read.before).filter(|id| FileId::of(&read.after) == Some(*id));
        let known = unchanged
            .is_some_and(|id| self.recall("entry", sha256, id).as_deref() == Some(VERIFIED));
        if known {
            return Some(Verified(&read.bytes[..split]));
        }
        let artifact = self.authentic(sha256, &read.bytes)?;
        if let Some(id) = FileId::settled(&read.before, &read.after) {
            self.remember("entry", sha256, id, VERIFIED);
        }
        Some(Verified(artifact))
    }

    /// The sha256 of the component file at `path`, when this cache hashed
    /// it before and the file's identity has not changed since.
    pub fn known_sha256(&self, path: &Path) -> Option<String> {
        let id = FileId::of(&fs::metadata(path).ok()?)?;
        self.recall("source", &format!("{path:?}"), id)
    }

    /// Records the sha256 of a component file read in full, for
    /// [`Cache::known_sha256`].
    pub fn remember_sha256(&self, path: &Path, id: FileId, sha256: &str) {
        self.remember("source", &format!("{path:?}"), id, sha256);
    }

    fn record_path(&self, kind: &str, subject: &str) -> PathBuf {
        let name = sha256_hex(format!("{kind}\0{subject}").as_bytes());
        self.dir.join(format!("{}.id", &name[..32]))
    }

    fn record_body(kind: &str, subject: &str, id: FileId) -> String {
        format!("{kind}\n{subject}\n{}\n", id.encode())
    }

    /// The MAC of an identity record: another domain than the entries', so
    /// neither can pass for the other.
    fn record_mac(&self, body: &[u8]) -> HmacSha256 {
        let mut mac = self.keyed(b"pitcrew file identity v1\0");
        mac.update(self.engine_key.as_bytes());
        mac.update(b"\0");
        mac.update(body);
        mac
    }

    /// The value recorded for this file, if an authentic record names this
    /// very identity.
    fn recall(&self, kind: &str, subject: &str, id: FileId) -> Option<String> {
        let read = read_regular(&self.record_path(kind, subject), MAX_RECORD_BYTES)?;
        let split = read.bytes.len().checked_sub(TAG)?;
        let (body, tag) = read.bytes.split_at(split);
        self.record_mac(body).verify_slice(tag).ok()?;
        let body = std::str::from_utf8(body).ok()?;
        let value = body.strip_prefix(&Self::record_body(kind, subject, id))?;
        Some(value.strip_suffix('\n')?.to_string())
    }

    /// Best effort, like `store`: a record not written costs a full check.
    fn remember(&self, kind: &str, subject: &str, id: FileId, value: &str) {
        let mut record = Self::record_body(kind, subject, id);
        record.push_str(value);
        record.push('\n');
        let tag = self.record_mac(record.as_bytes()).finalize().into_bytes();
        let mut bytes = record.into_bytes();
        bytes.extend_from_slice(&tag);
        if let Err(err) = self.write_atomically(&self.record_path(kind, subject), &[&bytes]) {
            tracing::debug!("could not write a cache identity record: {err}");
        }
    }

    fn authentic<'a>(&self, sha256: &str, bytes: &'a [u8]) -> Option<&'a [u8]> {
        let split = bytes.len().checked_sub(TAG)?;
        let (artifact, tag) = bytes.split_at(split);
        // `verify_slice` compares in constant time.
        self.mac(sha256, artifact)
            .verify_slice(tag)
            .ok()
            .map(|()| artifact)
    }

    /// Writes an entry atomically (temp file, then rename). Failure only
    /// costs a recompilation next time, so it is logged, not returned.
    pub fn store(&self, sha256: &str, component: &Component) {
        if let Err(err) = self.try_store(sha256, component) {
            tracing::debug!(
                "could not write the compilation cache in {}: {err}",
                self.dir.display()
            );
        }
    }

    fn try_store(&self, sha256: &str, component: &Component) -> anyhow::Result<()> {
        let artifact = component.serialize().map_err(|e| anyhow::anyhow!("{e}"))?;
        self.try_store_artifact(sha256, &artifact)?;
        Ok(())
    }

    /// Writes an entry for an artifact compiled elsewhere (by a
    /// `pitcrew __compile` child: the output of
    /// `Engine::precompile_component`, what `Component::serialize` gives),
    /// under the same MAC as [`Cache::store`]. Best effort, like it.
    pub fn store_artifact(&self, sha256: &str, artifact: &[u8]) {
        if let Err(err) = self.try_store_artifact(sha256, artifact) {
            tracing::debug!(
                "could not write the compilation cache in {}: {err}",
                self.dir.display()
            );
        }
    }

    fn try_store_artifact(&self, sha256: &str, artifact: &[u8]) -> io::Result<()> {
        let tag = self.mac(sha256, artifact).finalize().into_bytes();
        self.write_atomically(&self.entry(sha256), &[artifact, &tag])
    }

    /// An HMAC under this user's key, starting with `domain` so that no
    /// kind of record can pass for another.
    fn keyed(&self, domain: &[u8]) -> HmacSha256 {
        // `new_from_slice` accepts keys of any length; 32 bytes is fine.
        let mut mac = <HmacSha256 as Mac>::new_from_slice(&self.key)
            .unwrap_or_else(|_| unreachable!("HMAC takes keys of any length"));
        mac.update(domain);
        mac
    }

    /// Writes a file of the cache whole or not at all (a temp file, 0600,
    /// renamed into place): a reader sees the old file or the new one.
    fn write_atomically(&self, path: &Path, parts: &[&[u8]]) -> io::Result<()> {
        let mut tmp = tempfile::NamedTempFile::new_in(&self.dir)?;
        for part in parts {
            tmp.write_all(part)?;
        }
        tmp.persist(path).map_err(|err| err.error)?;
        Ok(())
    }
}

/// An artifact proven to be ours (see [`Cache::verified`]): the only thing
/// that is ever deserialized.
struct Verified<'a>(&'a [u8]);

impl Verified<'_> {
    fn deserialize(&self, engine: &Engine) -> wasmtime::Result<Component> {
        // SAFETY: `Verified` is only made by `Cache::verified`, from bytes
        // whose MAC proves they were written by `store`, from
        // `Component::serialize` of this component on this engine
        // configuration, by someone holding this user's key (kept outside
        // the cache, 0600); or from bytes read from a file that an identity
        // record under that key shows passed that check and was not written
        // to since, before or during the read. Wasmtime still checks the
        // header and refuses artifacts of another version or configuration.
        unsafe { Component::deserialize(engine, self.0) }
    }
}

/// A file read in full, with its metadata before and after the read.
struct Read {
    bytes: Vec<u8>,
    before: fs::Metadata,
    after: fs::Metadata,
}

/// A regular file, opened once without following a symlink or blocking on
/// a FIFO, with the opened file's metadata; anything else (absent, a
/// symlink, a FIFO, a device, bigger than `max`) is a miss. Its type and
/// size are those of the opened file, not of a path looked up before.
fn open_regular(path: &Path, max: u64) -> Option<(fs::File, fs::Metadata)> {
    let mut options = fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use rustix::fs::OFlags;
        use std::os::unix::fs::OpenOptionsExt as _;
        options.custom_flags((OFlags::NONBLOCK | OFlags::NOFOLLOW).bits() as i32);
    }
    let file = options.open(path).ok()?;
    let before = file.metadata().ok()?;
    if !before.file_type().is_file() || before.len() > max {
        return None;
    }
    Some((file, before))
}

/// The bytes of a file opened by [`open_regular`], bounded, with its
/// metadata after the read.
fn read_opened(file: &fs::File, before: fs::Metadata, max: u64) -> Option<Read> {
    let mut bytes = Vec::with_capacity(before.len() as usize);
    file.take(max).read_to_end(&mut bytes).ok()?;
    let after = file.metadata().ok()?;
    Some(Read {
        bytes,
        before,
        after,
    })
}

/// A small regular file read in full (see [`open_regular`]).
fn read_regular(path: &Path, max: u64) -> Option<Read> {
    let (file, before) = open_regular(path, max)?;
    read_opened(&file, before, max)
}

/// Creates `path` (0700) if needed, then checks that it is a real directory
/// owned by this user and writable by nobody else: otherwise someone else
/// could plant or swap entries (they would fail the MAC, but a shared
/// directory is not where compiled code belongs).
fn private_dir(path: &Path) -> Result<(), DirError> {
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(path).map_err(DirError::Create)?;
    let meta = fs::symlink_metadata(path).map_err(DirError::Read)?;
    if !meta.is_dir() {
        return Err(DirError::NotADirectory);
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt as _;
        let uid = rustix::process::getuid().as_raw();
        if meta.uid() != uid {
            return Err(DirError::NotOurs {
                owner: meta.uid(),
                uid,
            });
        }
        if meta.mode() & 0o022 != 0 {
            return Err(DirError::Shared(meta.mode() & 0o777));
        }
    }
    Ok(())
}

/// Feeds `Hash` output into sha256, for a key that is stable across runs
/// (std's `DefaultHasher` promises no such thing).
#[derive(Default)]
struct Sha256Hasher(Sha256);

impl Hasher for Sha256Hasher {
    fn finish(&self) -> u64 {
        let digest = self.0.clone().finalize();
        u64::from_le_bytes(digest[..8].try_into().unwrap_or_default())
    }

    fn write(&mut self, bytes: &[u8]) {
        self.0.update(bytes);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::RefCell;

    type Hook = Box<dyn FnOnce(&Path)>;

    thread_local! {
        /// Runs once, in `read_regular`, after the entry was opened and
        /// checked and before its bytes are read: an attacker's window.
        static HOOK: RefCell<Option<Hook>> = RefCell::new(None);
    }

    pub(super) fn between_check_and_read(path: &Path) {
        if let Some(hook) = HOOK.with(|hook| hook.borrow_mut().take()) {
            hook(path);
        }
    }

    /// An empty component, and one holding an empty core module.
    const EMPTY: &[u8] = b"\0asm\x0d\x00\x01\x00";

    fn with_a_module() -> Vec<u8> {
        let mut bytes = EMPTY.to_vec();
        bytes.extend([1, 8]); // a core module section of 8 bytes
        bytes.extend(b"\0asm\x01\0\0\0");
        bytes
    }

    #[test]
    fn an_entry_rewritten_between_its_check_and_its_read_is_not_deserialized() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache {
            dir: dir.path().to_path_buf(),
            key: [7; 32],
            engine_key: "e".into(),
        };
        let engine = Engine::default();
        let ours = Component::new(&engine, EMPTY).unwrap();
        let other = Component::new(&engine, with_a_module()).unwrap();
        cache.store("aa", &ours);
        let path = cache.entry("aa");
        // Recognised as verified, as a settled entry is after its first
        // check: loaded on the record's word, without a MAC check.
        let id = FileId::of(&fs::metadata(&path).unwrap()).unwrap();
        cache.remember("entry", "aa", id, VERIFIED);
        let loaded = cache.load(&engine, "aa").expect("a known entry loads");
        // Mapped from the file, so its image is the whole entry, tag included.
        let image = loaded.serialize().unwrap();
        assert!(
            image.starts_with(&ours.serialize().unwrap()),
            "another artifact"
        );

        // Rewritten in place (same inode, so the same file descriptor sees
        // it) after it was opened and its identity taken: another
        // component's artifact, which has no valid tag.
        let mut swapped = other.serialize().unwrap();
        swapped.extend_from_slice(&[0; TAG]);
        HOOK.with(|hook| {
            *hook.borrow_mut() = Some(Box::new(move |path: &Path| {
                std::thread::sleep(std::time::Duration::from_millis(20));
                fs::OpenOptions::new()
                    .write(true)
                    .truncate(true)
                    .open(path)
                    .and_then(|mut file| file.write_all(&swapped))
                    .unwrap();
            }))
        });
        assert!(
            cache.load(&engine, "aa").is_none(),
            "bytes written during the read were deserialized on the word of the old identity"
        );
        assert!(HOOK.with(|hook| hook.borrow().is_none()), "the hook ran");

        // An authentic entry of another component renamed into place is
        // refused by its MAC (it names the other component's hash).
        cache.store("bb", &other);
        fs::rename(cache.entry("bb"), &path).unwrap();
        assert!(cache.load(&engine, "aa").is_none());
    }

    /// A cache in a temp dir holding `component`'s entry as "aa", recorded
    /// as verified (as a settled entry is after its first full check).
    #[cfg(unix)]
    fn known_entry(component: &Component) -> (tempfile::TempDir, Cache) {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache {
            dir: dir.path().to_path_buf(),
            key: [7; 32],
            engine_key: "e".into(),
        };
        cache.store("aa", component);
        let id = FileId::of(&fs::metadata(cache.entry("aa")).unwrap()).unwrap();
        cache.remember("entry", "aa", id, VERIFIED);
        (dir, cache)
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn a_verified_entry_swapped_after_its_check_is_a_miss_or_the_opened_file() {
        let engine = Engine::default();
        let ours = Component::new(&engine, EMPTY).unwrap();
        let (_dir, cache) = known_entry(&ours);
        // After the entry was opened and its record matched, an authentic
        // entry of another component is renamed over the path: what is
        // loaded is still the file that was opened and checked.
        let other = Component::new(&engine, with_a_module()).unwrap();
        let mut swapped = other.serialize().unwrap();
        let tag = cache.mac("aa", &swapped).finalize().into_bytes();
        swapped.extend_from_slice(&tag);
        let dir = cache.dir.clone();
        HOOK.with(|hook| {
            *hook.borrow_mut() = Some(Box::new(move |path: &Path| {
                fs::write(dir.join("swap"), &swapped).unwrap();
                fs::rename(dir.join("swap"), path).unwrap();
            }))
        });
        let loaded = cache.load(&engine, "aa");
        assert!(HOOK.with(|hook| hook.borrow().is_none()), "the hook ran");
        // The rename changes the opened file's ctime (one link less) unless
        // it falls in the same timestamp tick: then a miss, else the opened
        // file mapped through its descriptor. Never the swapped-in entry.
        if let Some(loaded) = loaded {
            let image = loaded.serialize().unwrap();
            assert_eq!(image.len(), ours.serialize().unwrap().len() + TAG, "mapped");
            assert!(
                image.starts_with(&ours.serialize().unwrap()),
                "the opened file"
            );
        }
        // The swapped-in entry, authentic, loads on its own MAC next time.
        let next = cache.load(&engine, "aa").expect("an authentic entry loads");
        assert_eq!(next.serialize().unwrap(), other.serialize().unwrap());
    }

    #[cfg(unix)]
    #[test]
    fn an_entry_others_can_write_is_never_mapped_but_read_and_checked() {
        use std::os::unix::fs::PermissionsExt as _;
        let engine = Engine::default();
        let ours = Component::new(&engine, EMPTY).unwrap();
        let (_dir, cache) = known_entry(&ours);
        let path = cache.entry("aa");
        fs::set_permissions(&path, fs::Permissions::from_mode(0o666)).unwrap();
        let id = FileId::of(&fs::metadata(&path).unwrap()).unwrap();
        cache.remember("entry", "aa", id, VERIFIED);
        // Its MAC still holds, so it loads, from the checked bytes alone.
        let loaded = cache.load(&engine, "aa").expect("an authentic entry loads");
        assert_eq!(loaded.serialize().unwrap(), ours.serialize().unwrap());
        // Rewritten by someone else, without a valid tag: refused.
        let mut forged = Component::new(&engine, with_a_module())
            .unwrap()
            .serialize()
            .unwrap();
        forged.extend_from_slice(&[0; TAG]);
        fs::write(&path, &forged).unwrap();
        assert!(cache.load(&engine, "aa").is_none());
    }

    #[cfg(unix)]
    #[test]
    fn an_entry_that_is_a_symlink_or_a_fifo_is_a_miss_at_once() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache {
            dir: dir.path().to_path_buf(),
            key: [7; 32],
            engine_key: "e".into(),
        };
        let engine = Engine::default();
        cache.store("aa", &Component::new(&engine, EMPTY).unwrap());
        assert!(cache.load(&engine, "aa").is_some());
        // The authentic entry, reached through a symlink: not followed.
        fs::rename(cache.entry("aa"), dir.path().join("real")).unwrap();
        std::os::unix::fs::symlink(dir.path().join("real"), cache.entry("aa")).unwrap();
        assert!(cache.load(&engine, "aa").is_none());
        // A FIFO: refused without blocking.
        let made = std::process::Command::new("mkfifo")
            .arg(cache.entry("bb"))
            .status();
        assert!(made.unwrap().success(), "mkfifo");
        assert!(cache.load(&engine, "bb").is_none());
    }

    fn cache(key: [u8; key::KEY_BYTES]) -> Cache {
        Cache {
            dir: PathBuf::from("/nonexistent"),
            key,
            engine_key: "e".into(),
        }
    }

    #[test]
    fn only_an_entry_tagged_with_our_key_for_this_component_is_authentic() {
        let ours = cache([7; 32]);
        let mut entry = b"artifact".to_vec();
        entry.extend_from_slice(&ours.mac("aa", b"artifact").finalize().into_bytes());
        assert_eq!(ours.authentic("aa", &entry), Some(&b"artifact"[..]));

        // Another component's name, another user's key, any flipped bit,
        // a truncation: all refused.
        assert_eq!(ours.authentic("bb", &entry), None);
        assert_eq!(cache([8; 32]).authentic("aa", &entry), None);
        let mut flipped = entry.clone();
        flipped[2] ^= 1;
        assert_eq!(ours.authentic("aa", &flipped), None);
        assert_eq!(ours.authentic("aa", &entry[..entry.len() - 1]), None);
        assert_eq!(ours.authentic("aa", b"short"), None);

        // The old format (a plain sha256 trailer anyone can recompute).
        let mut checksummed = b"artifact".to_vec();
        checksummed.extend_from_slice(&Sha256::digest(b"artifact"));
        assert_eq!(ours.authentic("aa", &checksummed), None);
    }

    #[cfg(unix)]
    #[test]
    fn a_directory_writable_by_others_is_refused() {
        use std::os::unix::fs::PermissionsExt as _;
        let dir = tempfile::tempdir().unwrap();
        let shared = dir.path().join("shared");
        fs::create_dir(&shared).unwrap();
        fs::set_permissions(&shared, fs::Permissions::from_mode(0o777)).unwrap();
        let err = private_dir(&shared).unwrap_err().to_string();
        assert!(err.starts_with("is writable by group or others"), "{err}");
        assert!(private_dir(&dir.path().join("new")).is_ok());
        let link = dir.path().join("link");
        std::os::unix::fs::symlink(dir.path().join("new"), &link).unwrap();
        assert!(private_dir(&link).is_err(), "a symlink is refused");
    }
}
