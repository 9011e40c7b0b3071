//! On-disk cache of compiled components.
//!
//! Key: the component's sha256, under a directory named after pitcrew's
//! version and the engine's compatibility hash (wasmtime version, target,
//! compiler settings). Each entry ends with the sha256 of the artifact in
//! front of it, checked before the artifact is loaded: a truncated or
//! corrupted entry is recompiled, never executed and never fatal.

use std::fs;
use std::hash::{Hash, Hasher};
use std::io::Write as _;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};
use wasmtime::Engine;
use wasmtime::component::Component;

const TRAILER: usize = 32;

/// Where the cache lives, and whether to use it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CacheSetting {
    Disabled,
    /// `$PITCREW_CACHE_DIR`, or `$XDG_CACHE_HOME/pitcrew` (`~/.cache/pitcrew`).
    Default,
    Dir(PathBuf),
}

impl CacheSetting {
    /// `--no-cache` wins; then `PITCREW_NO_CACHE` / `PITCREW_CACHE_DIR`; then
    /// `pitcrew.toml`; then the XDG default.
    pub fn resolve(&self) -> Option<PathBuf> {
        match self {
            CacheSetting::Disabled => None,
            CacheSetting::Dir(dir) => Some(dir.clone()),
            CacheSetting::Default => dirs::cache_dir().map(|dir| dir.join("pitcrew")),
        }
    }
}

pub struct Cache {
    dir: PathBuf,
}

impl Cache {
    pub fn new(root: &Path, engine: &Engine) -> Self {
        let mut hasher = Sha256Hasher::default();
        engine.precompile_compatibility_hash().hash(&mut hasher);
        let engine_key = hex(&hasher.0.finalize()[..8]);
        let dir = root.join(format!("v{}-{engine_key}", env!("CARGO_PKG_VERSION")));
        Self { dir }
    }

    fn entry(&self, sha256: &str) -> PathBuf {
        self.dir.join(format!("{sha256}.cwasm"))
    }

    /// The cached component, or `None` when absent, stale or corrupt.
    pub fn load(&self, engine: &Engine, sha256: &str) -> Option<Component> {
        let path = self.entry(sha256);
        let bytes = fs::read(&path).ok()?;
        let Some(artifact) = verified_artifact(&bytes) else {
            tracing::debug!("cache entry {} is corrupt; recompiling", path.display());
            return None;
        };
        // SAFETY: the artifact was written by `store` below from
        // `Component::serialize` and its checksum matches, so these are
        // bytes this engine configuration produced. Wasmtime still checks
        // the header and refuses artifacts from another version or config.
        match unsafe { Component::deserialize(engine, artifact) } {
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
        let mut artifact = component.serialize().map_err(|e| anyhow::anyhow!("{e}"))?;
        let checksum = Sha256::digest(&artifact);
        artifact.extend_from_slice(&checksum);
        fs::create_dir_all(&self.dir)?;
        let mut tmp = tempfile::NamedTempFile::new_in(&self.dir)?;
        tmp.write_all(&artifact)?;
        tmp.persist(self.entry(sha256))?;
        Ok(())
    }
}

fn verified_artifact(bytes: &[u8]) -> Option<&[u8]> {
    let split = bytes.len().checked_sub(TRAILER)?;
    let (artifact, checksum) = bytes.split_at(split);
    (Sha256::digest(artifact).as_slice() == checksum).then_some(artifact)
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
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

    #[test]
    fn checksum_trailer_rejects_truncation_and_corruption() {
        let mut entry = b"artifact".to_vec();
        entry.extend_from_slice(&Sha256::digest(b"artifact"));
        assert_eq!(verified_artifact(&entry), Some(&b"artifact"[..]));

        let mut flipped = entry.clone();
        flipped[2] ^= 1;
        assert_eq!(verified_artifact(&flipped), None);
        assert_eq!(verified_artifact(&entry[..entry.len() - 1]), None);
        assert_eq!(verified_artifact(b"short"), None);
    }

    #[test]
    fn sha256_is_lowercase_hex() {
        assert_eq!(
            sha256_hex(b""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }
}
