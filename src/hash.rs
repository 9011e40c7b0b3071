//! SHA-256 as pitcrew shows it: lowercase hex. One home for the digest of
//! bytes and of a file, so plugin pins, cache keys, plan checksums and job
//! file hashes are spelled the same everywhere.

use std::fmt::Write as _;
use std::fs;
use std::io::{self, Read as _};
use std::path::Path;

use sha2::{Digest as _, Sha256};

/// The lowercase hex SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// The lowercase hex SHA-256 of the regular file at `path`, read in
/// chunks (job files can be gigabytes). Anything but a regular file is an
/// error: opening a FIFO would block.
pub fn sha256_file(path: &Path) -> io::Result<String> {
    if !fs::metadata(path)?.is_file() {
        return Err(io::Error::other("not a regular file"));
    }
    let mut file = fs::File::open(path)?;
    let mut hasher = Sha256::new();
    let mut buffer = vec![0u8; 64 * 1024];
    loop {
        match file.read(&mut buffer) {
            Ok(0) => break,
            Ok(n) => hasher.update(&buffer[..n]),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(hex(&hasher.finalize()))
}

/// Lowercase hex, two digits a byte.
pub fn hex(bytes: &[u8]) -> String {
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// SHA-256 of `abc` and of nothing (FIPS 180-2 test vectors).
    const ABC_SHA: &str = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
    const EMPTY_SHA: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    #[test]
    fn bytes_and_files_hash_alike() {
        assert_eq!(sha256_hex(b"abc"), ABC_SHA);
        assert_eq!(sha256_hex(b""), EMPTY_SHA);
        assert_eq!(hex(&[0, 0xab, 0xff]), "00abff");
        let dir = tempfile::tempdir().unwrap();
        // Larger than one read chunk.
        let content: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
        let big = dir.path().join("big");
        fs::write(&big, &content).unwrap();
        assert_eq!(sha256_file(&big).unwrap(), sha256_hex(&content));
        assert!(sha256_file(dir.path()).is_err(), "a directory");
        let missing = sha256_file(&dir.path().join("missing")).unwrap_err();
        assert_eq!(missing.kind(), io::ErrorKind::NotFound);
    }
}
