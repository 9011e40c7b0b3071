//! One spelling of a relative path, for comparing the forms a path list,
//! a runner or a user may write: `./a\b.py/` and `a/b.py` are one file.

/// `./a\b.py` → `a/b.py`: leading `./` and trailing `/` dropped,
/// backslashes made forward, surrounding blanks trimmed.
pub fn normalise(path: &str) -> String {
    let path = path.trim().replace('\\', "/");
    let mut path = path.as_str();
    while let Some(rest) = path.strip_prefix("./") {
        path = rest;
    }
    path.trim_end_matches('/').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spellings_of_one_path_are_one() {
        for spelling in ["a/b.py", "./a/b.py", "././a/b.py", " a\\b.py ", "a/b.py/"] {
            assert_eq!(normalise(spelling), "a/b.py", "{spelling:?}");
        }
        assert_eq!(normalise("/abs/x"), "/abs/x");
    }
}
