//! Writing output files so that nothing partial is ever left behind.

use std::io::Write as _;
use std::path::Path;

use anyhow::Context as _;

/// Writes `bytes` to a temporary file next to `path`, then renames it over
/// `path`: readers see the old file or the whole new one, never a part.
/// A path that is no file (`/dev/null`, `/dev/stdout`, a named pipe) is
/// written to as it is: renamed over, a device would be replaced by a
/// file, for every program on the machine when run as root.
///
/// Once Ctrl-C or termination is being handled nothing is written: the
/// work behind the bytes was cut short by the interrupt (its commands
/// killed), and the handler is about to exit with 130.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    not_interrupted(path)?;
    if std::fs::metadata(path).is_ok_and(|m| !m.is_file() && !m.is_dir()) {
        let mut special = std::fs::OpenOptions::new()
            .write(true)
            .open(path)
            .with_context(|| format!("writing {}", path.display()))?;
        return special
            .write_all(bytes)
            .with_context(|| format!("writing {}", path.display()));
    }
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    let mut tmp = new_file_in(dir).with_context(|| format!("writing {}", path.display()))?;
    tmp.write_all(bytes)
        .with_context(|| format!("writing {}", path.display()))?;
    // Checked again at the last moment: an unpersisted file is removed.
    not_interrupted(path)?;
    tmp.persist(path)
        .with_context(|| format!("writing {}", path.display()))?;
    Ok(())
}

fn not_interrupted(path: &Path) -> anyhow::Result<()> {
    if crate::process_group::interrupted() {
        anyhow::bail!("interrupted: {} not written", path.display());
    }
    Ok(())
}

/// A temporary file with the mode any new file gets (0666 less the umask),
/// not tempfile's private 0600: a plan or a report is for the team to read.
fn new_file_in(dir: &Path) -> std::io::Result<tempfile::NamedTempFile> {
    #[cfg(unix)]
    return tempfile::Builder::new()
        .permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666))
        .tempfile_in(dir);
    #[cfg(not(unix))]
    tempfile::NamedTempFile::new_in(dir)
}

#[cfg(all(test, unix))]
mod tests {
    use std::os::unix::fs::PermissionsExt as _;

    #[test]
    fn a_path_that_is_no_file_is_written_to_not_replaced() {
        // As root, renaming a file over /dev/null replaced the device for
        // every process (each then read what others wrote to it). A named
        // pipe stands for it here: a reader gets the bytes, and the pipe
        // is still a pipe.
        use std::os::unix::fs::FileTypeExt as _;
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("out");
        let made = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap();
        assert!(made.success());
        let reader = {
            let fifo = fifo.clone();
            std::thread::spawn(move || std::fs::read(fifo).unwrap())
        };
        super::write_atomic(&fifo, b"{}").unwrap();
        let kind = std::fs::symlink_metadata(&fifo).unwrap().file_type();
        assert!(kind.is_fifo(), "the pipe was replaced by a file");
        assert_eq!(reader.join().unwrap(), b"{}");
    }

    #[test]
    fn output_files_get_the_umask_mode_not_0600() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("plan.json");
        super::write_atomic(&path, b"{}").unwrap();
        // The mode a plain new file gets here, whatever this umask is.
        let probe = dir.path().join("probe");
        std::fs::write(&probe, b"").unwrap();
        let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&path), mode(&probe));
        assert_eq!(std::fs::read(&path).unwrap(), b"{}");
    }
}
