//! Whether Vitest runs its test files without isolation (`isolate:
//! false`): then one worker runs file after file with the same globals,
//! modules and timers, and what a file leaves behind (a timer throwing
//! later, a global it set) fails another. A retry runs that file alone, so
//! its passing says nothing of flakiness (round 58: an unhandled error of
//! `a.test.js`'s timer, blamed on `b.test.js`, read flaky, exit 0, where
//! Vitest fails every run).

use std::path::{Path, PathBuf};

use super::argv;

/// The configuration files Vitest looks for, in its order, where no
/// `--config` names one.
const CONFIG_NAMES: [&str; 12] = [
    "vitest.config.ts",
    "vitest.config.mts",
    "vitest.config.cts",
    "vitest.config.js",
    "vitest.config.mjs",
    "vitest.config.cjs",
    "vite.config.ts",
    "vite.config.mts",
    "vite.config.cts",
    "vite.config.js",
    "vite.config.mjs",
    "vite.config.cjs",
];

/// Whether `command`, run in `dir`, turns Vitest's isolation off: on its
/// command line (`--no-isolate`, `--isolate=false`, a pool's
/// `--poolOptions.threads.isolate=false`; the last one wins), else in its
/// configuration file (`isolate: false` anywhere in it, a pool's options
/// or a project's included). The file is code, not data: it is read as
/// text, so `isolate: false` in a comment counts too, which only turns
/// retries off.
pub(super) fn isolation_off(command: &[String], dir: &Path) -> bool {
    let end = command
        .iter()
        .position(|w| w == "--")
        .unwrap_or(command.len());
    let own = &command[..end];
    if let Some(isolated) = on_command_line(own) {
        return !isolated;
    }
    config_file(own, dir).is_some_and(|file| {
        std::fs::read_to_string(file).is_ok_and(|text| says_isolate_false(&text))
    })
}

/// What the command line says of isolation, its last word on it.
fn on_command_line(words: &[String]) -> Option<bool> {
    let mut said = None;
    let mut rest = words.iter().peekable();
    while let Some(word) = rest.next() {
        let Some(option) = word.strip_prefix("--") else {
            continue;
        };
        let (name, value) = match option.split_once('=') {
            Some((name, value)) => (name, Some(value.to_owned())),
            None => (option, None),
        };
        let negated = name == "no-isolate" || name.ends_with(".no-isolate");
        if negated {
            said = Some(false);
            continue;
        }
        if name != "isolate" && !name.ends_with(".isolate") {
            continue;
        }
        let value = value.or_else(|| {
            rest.next_if(|next| *next == "true" || *next == "false")
                .cloned()
        });
        said = Some(value.as_deref() != Some("false"));
    }
    said
}

/// The configuration file Vitest reads: `--config`/`-c`, else the first
/// of its default names in its root (`--root`/`-r`, else `dir`).
fn config_file(words: &[String], dir: &Path) -> Option<PathBuf> {
    let root = argv::option_values(words, &["--root", "-r", "--dir"])
        .pop()
        .map_or_else(|| dir.to_path_buf(), |root| dir.join(root));
    if let Some(named) = argv::option_values(words, &["--config", "-c"]).pop() {
        return Some(dir.join(named));
    }
    CONFIG_NAMES
        .iter()
        .map(|name| root.join(name))
        .find(|path| path.is_file())
}

/// Whether a configuration's text sets `isolate` to `false`.
fn says_isolate_false(text: &str) -> bool {
    // `isolate: false`, `"isolate": false`, `isolate:false`.
    let pattern = regex::Regex::new(r#"\b["']?isolate["']?\s*:\s*false\b"#);
    pattern.is_ok_and(|p| p.is_match(text))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::suite::runners::test_support::argv as words;

    #[test]
    fn the_command_line_turns_isolation_off_or_on() {
        let dir = tempfile::tempdir().unwrap();
        let off = [
            &["vitest", "run", "--no-isolate"][..],
            &["vitest", "run", "--isolate=false"],
            &["vitest", "run", "--isolate", "false"],
            &["vitest", "run", "--poolOptions.threads.isolate=false"],
            &["npx", "vitest", "run", "--isolate", "--no-isolate"],
        ];
        for command in off {
            assert!(isolation_off(&words(command), dir.path()), "{command:?}");
        }
        let on = [
            &["vitest", "run"][..],
            &["vitest", "run", "--isolate"],
            &["vitest", "run", "--no-isolate", "--isolate"],
            &["vitest", "run", "--isolate=true"],
            // The tests' own words.
            &["vitest", "run", "--", "--no-isolate"],
        ];
        for command in on {
            assert!(!isolation_off(&words(command), dir.path()), "{command:?}");
        }
    }

    #[test]
    fn the_configuration_file_turns_isolation_off() {
        let dir = tempfile::tempdir().unwrap();
        let run = words(&["vitest", "run"]);
        assert!(!isolation_off(&run, dir.path()));
        std::fs::write(
            dir.path().join("vite.config.ts"),
            "export default { test: { isolate: true } };\n",
        )
        .unwrap();
        assert!(!isolation_off(&run, dir.path()));
        // vitest.config.* comes before vite.config.*.
        std::fs::write(
            dir.path().join("vitest.config.mjs"),
            "export default { test: { poolOptions: { threads: { isolate:false } } } };\n",
        )
        .unwrap();
        assert!(isolation_off(&run, dir.path()));
        // The command line wins; `--config` names another file.
        let on = words(&["vitest", "run", "--isolate"]);
        assert!(!isolation_off(&on, dir.path()));
        std::fs::create_dir(dir.path().join("cfg")).unwrap();
        std::fs::write(
            dir.path().join("cfg/ci.mjs"),
            "export default { test: { \"isolate\": false } };\n",
        )
        .unwrap();
        let named = words(&["vitest", "run", "--config", "cfg/ci.mjs"]);
        assert!(isolation_off(&named, dir.path()));
        let elsewhere = words(&["vitest", "run", "-c", "vite.config.ts"]);
        assert!(!isolation_off(&elsewhere, dir.path()));
    }
}
