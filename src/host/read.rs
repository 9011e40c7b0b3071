//! Reading a file someone named (a `.wasm` plugin, a failures file): a
//! regular file only (a FIFO would block for ever, `/dev/zero` would never
//! end), and never more than a bound; standard input bounded the same way.

use std::fs::{self, File};
use std::io::{self, Read};
use std::path::Path;

/// Interpreters built as components (Python, JavaScript) weigh tens of
/// MiB; nothing legitimate comes near this.
pub const MAX_COMPONENT_BYTES: u64 = 256 * 1024 * 1024;

pub fn component_file(path: &Path) -> io::Result<Vec<u8>> {
    component_file_with_metadata(path).map(|(bytes, ..)| bytes)
}

/// The bytes, and the opened file's metadata before and after reading them
/// (the compilation cache remembers a file that did not change meanwhile).
pub fn component_file_with_metadata(
    path: &Path,
) -> io::Result<(Vec<u8>, fs::Metadata, fs::Metadata)> {
    regular_file(path, MAX_COMPONENT_BYTES).map_err(|err| match err.kind() {
        io::ErrorKind::FileTooLarge => io::Error::new(
            io::ErrorKind::FileTooLarge,
            format!("{err}, more than any plugin"),
        ),
        _ => err,
    })
}

/// A regular file's bytes, at most `max` of them, with the opened file's
/// metadata before and after the read. Anything else (a FIFO, a device, a
/// directory) is refused without blocking; a bigger file is
/// `ErrorKind::FileTooLarge`.
pub fn regular_file(path: &Path, max: u64) -> io::Result<(Vec<u8>, fs::Metadata, fs::Metadata)> {
    let file = open_nonblocking(path)?;
    // The opened file's own type: no window between a check and the open.
    let meta = file.metadata()?;
    if !meta.file_type().is_file() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("not a regular file ({})", kind(&meta.file_type())),
        ));
    }
    if meta.len() > max {
        return Err(too_big(max));
    }
    let bytes = read_at_most(&file, max, meta.len() as usize)?;
    let after = file.metadata()?;
    Ok((bytes, meta, after))
}

/// All of `reader`, refused past `max` bytes: at most `max + 1` bytes are
/// ever read (standard input fed from `/dev/zero` ends there).
pub fn bounded(reader: impl Read, max: u64) -> io::Result<Vec<u8>> {
    read_at_most(reader, max, 0)
}

fn read_at_most(reader: impl Read, max: u64, expected: usize) -> io::Result<Vec<u8>> {
    let mut bytes = Vec::with_capacity(expected);
    reader.take(max.saturating_add(1)).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > max {
        return Err(too_big(max));
    }
    Ok(bytes)
}

fn too_big(max: u64) -> io::Error {
    io::Error::new(
        io::ErrorKind::FileTooLarge,
        format!("larger than {}", super::limits::human_bytes(max)),
    )
}

/// Opening a FIFO for reading blocks until a writer appears, unless
/// non-blocking; for a regular file the flag changes nothing.
fn open_nonblocking(path: &Path) -> io::Result<File> {
    let mut options = fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.custom_flags(rustix::fs::OFlags::NONBLOCK.bits() as i32);
    }
    options.open(path)
}

fn kind(file_type: &fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt as _;
        if file_type.is_fifo() {
            return "a FIFO";
        }
        if file_type.is_char_device() || file_type.is_block_device() {
            return "a device";
        }
        if file_type.is_socket() {
            return "a socket";
        }
    }
    if file_type.is_dir() {
        "a directory"
    } else {
        "not a file"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_regular_files_are_read() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.wasm");
        fs::write(&file, b"\0asm").unwrap();
        assert_eq!(component_file(&file).unwrap(), b"\0asm");
        let err = component_file(dir.path()).unwrap_err();
        assert!(err.to_string().starts_with("not a regular file"), "{err}");
        #[cfg(unix)]
        {
            let err = component_file(Path::new("/dev/zero")).unwrap_err();
            assert_eq!(err.to_string(), "not a regular file (a device)");
        }
    }
}
