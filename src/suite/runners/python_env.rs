//! The Python a pytest command runs in, to run another module (coverage)
//! in the same environment: `python -m pytest`'s interpreter, a wrapper's
//! (`uv run python`), or the interpreter of the `pytest` script itself.

use std::path::{Path, PathBuf};

use super::detect::{Kind, is_env_assignment, is_python, locate, program_name};

/// The words that start that Python, or None when the command is not
/// pytest's. Falls back to `python3` when the script's interpreter can't
/// be read.
pub(super) fn python_for(command: &[String], root: &Path) -> Option<Vec<String>> {
    let found = locate(command).filter(|f| f.kind == Kind::Pytest)?;
    let before = &command[..found.index];
    let (launcher, script) = match before.split_last() {
        // `python [options] -m pytest`, or `coverage run -m pytest`.
        Some((m, head)) if m == "-m" => {
            match head.iter().position(|w| program_name(w) == "coverage") {
                Some(at) => (&head[..at], &head[at]),
                None => return Some(head.to_vec()),
            }
        }
        // `python path/to/pytest`.
        Some((python, _)) if is_python(&program_name(python)) => return Some(before.to_vec()),
        _ => (before, &command[found.index]),
    };
    // A wrapper runs its environment's `python`; bare variables (`env`,
    // `A=b`) change nothing here.
    let plain = launcher
        .iter()
        .all(|w| is_env_assignment(w) || program_name(w) == "env");
    if !plain {
        let mut words = launcher.to_vec();
        words.push("python".into());
        return Some(words);
    }
    Some(vec![
        interpreter_of(script, root).unwrap_or_else(|| "python3".into()),
    ])
}

/// The interpreter of the script `word` names: the Python beside it (a
/// virtual environment's `bin/`), else its `#!` line's.
fn interpreter_of(word: &str, root: &Path) -> Option<String> {
    let script = std::fs::canonicalize(find(word, root)?).ok()?;
    let dir = script.parent()?;
    for name in ["python3", "python"] {
        let beside = dir.join(format!("{name}{}", std::env::consts::EXE_SUFFIX));
        if beside.is_file() {
            return beside.to_str().map(str::to_owned);
        }
    }
    let head = std::fs::read(&script).ok()?;
    let first = head.split(|b| *b == b'\n').next()?;
    let line = std::str::from_utf8(first).ok()?.strip_prefix("#!")?;
    let mut words = line.split_whitespace();
    let program = words.next()?;
    match program_name(program).as_str() {
        "env" => words.find(|w| !w.starts_with('-')).map(str::to_owned),
        _ => Some(program.to_owned()),
    }
}

/// `word` as the shell finds it: a path (relative to `root`), else on PATH.
fn find(word: &str, root: &Path) -> Option<PathBuf> {
    if word.contains(['/', '\\']) {
        return Some(root.join(word));
    }
    let exe = format!("{word}{}", std::env::consts::EXE_SUFFIX);
    std::env::split_paths(&std::env::var_os("PATH")?)
        .map(|dir| dir.join(&exe))
        .find(|path| path.is_file())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn python(words: &[&str], root: &Path) -> Option<Vec<String>> {
        let command: Vec<String> = words.iter().map(|w| (*w).to_owned()).collect();
        python_for(&command, root)
    }

    #[test]
    fn the_python_of_each_way_to_start_pytest() {
        let root = Path::new("/nowhere");
        assert_eq!(
            python(&["python3.12", "-X", "dev", "-m", "pytest", "-q"], root).unwrap(),
            ["python3.12", "-X", "dev"]
        );
        assert_eq!(
            python(&["uv", "run", "pytest", "-q"], root).unwrap(),
            ["uv", "run", "python"]
        );
        assert_eq!(
            python(&["poetry", "run", "python", "-m", "pytest"], root).unwrap(),
            ["poetry", "run", "python"]
        );
        assert_eq!(
            python(&["python", "tools/pytest", "-q"], root).unwrap(),
            ["python"]
        );
        assert_eq!(python(&["jest"], root), None);
    }

    #[cfg(unix)]
    #[test]
    fn a_scripts_python_is_the_one_beside_it_else_its_shebang() {
        let dir = tempfile::tempdir().unwrap();
        let bin = dir.path().join("venv/bin");
        std::fs::create_dir_all(&bin).unwrap();
        std::fs::write(
            bin.join("pytest"),
            "#!/opt/py/bin/python3.11\nimport pytest\n",
        )
        .unwrap();
        // No Python beside it: the shebang's.
        assert_eq!(
            python(&["venv/bin/pytest"], dir.path()).unwrap(),
            ["/opt/py/bin/python3.11"]
        );
        assert_eq!(
            python(&["A=1", "env", "venv/bin/pytest"], dir.path()).unwrap(),
            ["/opt/py/bin/python3.11"]
        );
        std::fs::write(bin.join("pytest"), "#!/usr/bin/env -S python3 -u\n").unwrap();
        assert_eq!(
            python(&["venv/bin/pytest"], dir.path()).unwrap(),
            ["python3"]
        );
        // A virtual environment's own.
        std::fs::write(bin.join("python3"), "").unwrap();
        let beside = std::fs::canonicalize(bin.join("python3")).unwrap();
        assert_eq!(
            python(&["venv/bin/pytest"], dir.path()).unwrap(),
            [beside.to_str().unwrap()]
        );
        // `coverage run -m pytest`: coverage's script's.
        std::fs::write(bin.join("coverage"), "#!/x/python\n").unwrap();
        assert_eq!(
            python(&["venv/bin/coverage", "run", "-m", "pytest"], dir.path()).unwrap(),
            [beside.to_str().unwrap()]
        );
        assert_eq!(
            python(&["missing/pytest"], dir.path()).unwrap(),
            ["python3"]
        );
    }
}
