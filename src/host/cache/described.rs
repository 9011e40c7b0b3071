//! What a component said in `describe`, kept so that a start which only
//! needs it (`pitcrew plugin list`, loading a plugin before its first call)
//! neither deserializes nor instantiates the component. Instantiating a
//! Python component and running its `describe` costs more than the rest of
//! `plugin list` together.
//!
//! A record is keyed by the component's sha256 and, through its MAC, bound
//! to this user's key, this engine configuration, this pitcrew version and
//! the contract versions it serves: a record copied from another machine or
//! another build, crafted, or renamed to another component's hash fails the
//! MAC and is a miss (the component is then described again). It is only
//! written after the component loaded, linked and answered `describe`
//! within the contract; what it says is checked again when it is used.

use std::path::PathBuf;

use hmac::Mac as _;

use super::{Cache, HmacSha256, TAG, read_regular};
use crate::host::inspect::World;

/// A description bigger than this (a huge config schema) is not kept.
const MAX_RECORD_BYTES: u64 = 1 << 20;

/// `describe`'s answer and what loading the component established.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct DescribedRecord {
    pub world: World,
    /// The contract version whose bindings serve the component.
    pub contract: String,
    pub name: String,
    pub version: String,
    pub description: String,
    pub config_schema: Option<String>,
    /// A phase's owned keys and `after` entries.
    pub phase: Option<(Vec<String>, Vec<String>)>,
}

impl Cache {
    fn described_path(&self, sha256: &str) -> PathBuf {
        self.dir.join(format!("{sha256}.describe"))
    }

    fn described_mac(&self, sha256: &str, body: &[u8]) -> HmacSha256 {
        let mut mac = self.keyed(b"pitcrew describe v1\0");
        for part in [
            self.engine_key.as_str(),
            env!("CARGO_PKG_VERSION"),
            &crate::host::bindings::supported(),
            sha256,
        ] {
            mac.update(part.as_bytes());
            mac.update(b"\0");
        }
        mac.update(body);
        mac
    }

    /// The description recorded for the component with this sha256, if an
    /// authentic record holds one.
    pub fn described(&self, sha256: &str) -> Option<DescribedRecord> {
        let read = read_regular(&self.described_path(sha256), MAX_RECORD_BYTES)?;
        let split = read.bytes.len().checked_sub(TAG)?;
        let (body, tag) = read.bytes.split_at(split);
        if self.described_mac(sha256, body).verify_slice(tag).is_err() {
            tracing::debug!("describe record of {sha256} is not authentic; describing again");
            return None;
        }
        serde_json::from_slice(body).ok()
    }

    /// Best effort: a record not written costs one `describe` next time.
    pub fn remember_described(&self, sha256: &str, record: &DescribedRecord) {
        let Ok(mut bytes) = serde_json::to_vec(record) else {
            return;
        };
        if bytes.len() as u64 + TAG as u64 > MAX_RECORD_BYTES {
            return;
        }
        let tag = self.described_mac(sha256, &bytes).finalize().into_bytes();
        bytes.extend_from_slice(&tag);
        if let Err(err) = self.write_atomically(&self.described_path(sha256), &[&bytes]) {
            tracing::debug!("could not write a describe record: {err}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cache(dir: &std::path::Path, key: u8) -> Cache {
        Cache {
            dir: dir.to_path_buf(),
            key: [key; 32],
            engine_key: "e".into(),
        }
    }

    fn record() -> DescribedRecord {
        DescribedRecord {
            world: World::Classifier,
            contract: "0.1.0".into(),
            name: "py-classifier".into(),
            version: "0.1.0".into(),
            description: "labels".into(),
            config_schema: None,
            phase: None,
        }
    }

    #[test]
    fn only_our_record_for_this_component_is_recalled() {
        let dir = tempfile::tempdir().unwrap();
        let ours = cache(dir.path(), 7);
        assert_eq!(ours.described("aa"), None, "nothing recorded yet");
        ours.remember_described("aa", &record());
        assert_eq!(ours.described("aa"), Some(record()));

        // Written under another user's key (copied from another machine,
        // restored from a shared cache): a miss.
        assert_eq!(cache(dir.path(), 8).described("aa"), None);
        // Under another engine configuration: a miss.
        let other_engine = Cache {
            engine_key: "f".into(),
            ..cache(dir.path(), 7)
        };
        assert_eq!(other_engine.described("aa"), None);

        // Renamed to another component's hash: a miss.
        std::fs::copy(ours.described_path("aa"), ours.described_path("bb")).unwrap();
        assert_eq!(ours.described("bb"), None);

        // Edited (another name, same length), tag kept: a miss.
        let path = ours.described_path("aa");
        let bytes = std::fs::read(&path).unwrap();
        let (body, tag) = bytes.split_at(bytes.len() - TAG);
        let mut forged = std::str::from_utf8(body)
            .unwrap()
            .replacen("py-classifier", "xx-classifier", 1)
            .into_bytes();
        assert_ne!(forged, body);
        forged.extend_from_slice(tag);
        std::fs::write(&path, &forged).unwrap();
        assert_eq!(ours.described("aa"), None);

        // Crafted from scratch with a tag anyone can compute: a miss.
        let mut crafted = serde_json::to_vec(&record()).unwrap();
        crafted.extend_from_slice(&[0; TAG]);
        std::fs::write(&path, &crafted).unwrap();
        assert_eq!(ours.described("aa"), None);
    }
}
