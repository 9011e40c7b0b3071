//! `pitcrew plugin new`: a plugin project for one world in one language
//! that builds with one command and passes its own test.
//!
//! - Rust: a cargo project on the guest SDK (`plugins/sdk`, written next to
//!   it as `sdk/`, so it builds offline and needs nothing unpublished);
//!   `cargo build --release --target wasm32-wasip2`, `cargo test`.
//! - Python: componentize-py (pip); `python3 test_plugin.py`.
//! - JavaScript: componentize-js (npm); `npm run build`, `npm test`.
//!
//! Every project also has `test/input.json` and `test/expected.json`, the
//! input `pitcrew plugin run` takes and the fields its answer must have.

use std::fs;
use std::path::{Path, PathBuf};

use serde_json::json;

use crate::host::World;
use crate::host::bindings::Contract;

/// The languages a project can be written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Lang {
    Rust,
    Python,
    Js,
}

/// The componentize-js release the JavaScript projects pin (the one CI
/// installs and tests).
pub const COMPONENTIZE_JS: &str = "0.23.0";
/// The componentize-py release the docs and CI use.
pub const COMPONENTIZE_PY: &str = "0.25.1";

#[derive(Debug, thiserror::Error)]
pub enum ScaffoldError {
    #[error(
        "NAME: `{0}` is not a plugin name (lowercase letters, digits and dashes, starting with a letter, at most 64)"
    )]
    Name(String),
    #[error("{0}: already exists; choose another NAME or --dir")]
    Exists(String),
    #[error("{0}: cannot write the project: {1}")]
    Write(String, std::io::Error),
}

/// What a project is made of: files, relative path and contents.
pub struct Project {
    pub files: Vec<(PathBuf, String)>,
    /// The command that builds it and where the component lands.
    pub build: &'static str,
    pub wasm: String,
    pub test: &'static str,
}

const SDK_MANIFEST: &str = include_str!("../../plugins/sdk/Cargo.toml");
const SDK_LIB: &str = include_str!("../../plugins/sdk/src/lib.rs");

fn valid_name(name: &str) -> bool {
    name.len() <= 64
        && name.starts_with(|c: char| c.is_ascii_lowercase())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !name.ends_with('-')
}

/// The files of a `world` plugin called `name` in `lang`.
pub fn project(
    name: &str,
    world: World,
    lang: Lang,
    contract: &Contract,
) -> Result<Project, ScaffoldError> {
    if !valid_name(name) {
        return Err(ScaffoldError::Name(name.to_string()));
    }
    let snake = name.replace('-', "_");
    let fill = |template: &str, wasm: &str| {
        template
            .replace("{{name}}", name)
            .replace("{{key}}", &snake)
            .replace("{{world}}", &world.to_string())
            .replace("{{contract}}", contract.version)
            .replace("{{wasm}}", wasm)
            .replace("{{componentize_js}}", COMPONENTIZE_JS)
    };
    let (input, expected) = test_case(world, &snake);
    let mut files = vec![
        (PathBuf::from("test/input.json"), pretty(&input)),
        (PathBuf::from("test/expected.json"), pretty(&expected)),
    ];
    let project = match lang {
        Lang::Rust => {
            let wasm = format!("target/wasm32-wasip2/release/{snake}.wasm");
            let code = match world {
                World::Phase => include_str!("templates/rust/phase.rs"),
                World::Classifier => include_str!("templates/rust/classifier.rs"),
                World::Router => include_str!("templates/rust/router.rs"),
            };
            files.extend([
                (
                    "Cargo.toml".into(),
                    fill(include_str!("templates/rust/Cargo.toml"), &wasm),
                ),
                ("src/lib.rs".into(), fill(code, &wasm)),
                ("sdk/Cargo.toml".into(), SDK_MANIFEST.to_string()),
                ("sdk/src/lib.rs".into(), SDK_LIB.to_string()),
                ("sdk/wit/plugin.wit".into(), contract.wit.to_string()),
                (".gitignore".into(), "/target\n".into()),
            ]);
            Project {
                files,
                build: "cargo build --release --target wasm32-wasip2",
                wasm,
                test: "cargo test",
            }
        }
        Lang::Python => {
            let wasm = "plugin.wasm".to_string();
            let code = match world {
                World::Phase => include_str!("templates/python/phase.py"),
                World::Classifier => include_str!("templates/python/classifier.py"),
                World::Router => include_str!("templates/python/router.py"),
            };
            files.extend([
                ("app.py".into(), fill(code, &wasm)),
                (
                    "test_plugin.py".into(),
                    fill(include_str!("templates/python/test_plugin.py"), &wasm),
                ),
                ("wit/plugin.wit".into(), contract.wit.to_string()),
                (
                    "requirements.txt".into(),
                    format!("componentize-py=={COMPONENTIZE_PY}\n"),
                ),
                (".gitignore".into(), "/plugin.wasm\n__pycache__/\n".into()),
            ]);
            Project {
                files,
                build: "componentize-py -d wit -w WORLD componentize app -o plugin.wasm",
                wasm,
                test: "python3 test_plugin.py",
            }
        }
        Lang::Js => {
            let wasm = "plugin.wasm".to_string();
            let code = match world {
                World::Phase => include_str!("templates/js/phase.js"),
                World::Classifier => include_str!("templates/js/classifier.js"),
                World::Router => include_str!("templates/js/router.js"),
            };
            files.extend([
                ("app.js".into(), fill(code, &wasm)),
                (
                    "test.mjs".into(),
                    fill(include_str!("templates/js/test.mjs"), &wasm),
                ),
                (
                    "package.json".into(),
                    fill(include_str!("templates/js/package.json"), &wasm),
                ),
                ("wit/plugin.wit".into(), contract.wit.to_string()),
                (".gitignore".into(), "/plugin.wasm\n/node_modules\n".into()),
            ]);
            Project {
                files,
                build: "npm install && npm run build",
                wasm,
                test: "npm test",
            }
        }
    };
    let mut project = project;
    let build = project.build_command(world);
    project.files.push((
        "README.md".into(),
        readme(name, world, lang, &build, &project.wasm, project.test),
    ));
    Ok(project)
}

impl Project {
    /// The one command that builds the component.
    pub fn build_command(&self, world: World) -> String {
        self.build.replace("WORLD", &world.to_string())
    }
}

fn pretty(value: &serde_json::Value) -> String {
    let mut text = crate::json::to_string_pretty(value).unwrap_or_default();
    text.push('\n');
    text
}

/// The input of the project's test, and what the answer must contain.
fn test_case(world: World, key: &str) -> (serde_json::Value, serde_json::Value) {
    match world {
        World::Phase => (
            json!({"facts": {"workers": [], "spec": {}}, "document": {}, "config": {"min_facts": 2}}),
            json!({"keys": {key: {"facts": 2}}, "checks": [{"status": "pass"}]}),
        ),
        World::Classifier => (
            json!([
                {"test_name": "slow", "message": "Error: Timeout of 2000ms exceeded"},
                {"test_name": "math", "message": "expected 2, got 3"}
            ]),
            json!([{"category": "timeout"}, {"category": "unknown"}]),
        ),
        World::Router => (
            json!({
                "failure": {"test_name": "adds", "message": "expected 2"},
                "classification": {"category": "assertion", "language": "other", "specialty": "test"},
                "group_size": 3,
                "config": {"model": "qwen2.5:0.5b"}
            }),
            json!({"model": "qwen2.5:0.5b", "max_tokens": 1024}),
        ),
    }
}

fn readme(name: &str, world: World, lang: Lang, build: &str, wasm: &str, test: &str) -> String {
    let lang_doc = match lang {
        Lang::Rust => "rust",
        Lang::Python => "python",
        Lang::Js => "javascript",
    };
    format!(
        "# {name}\n\nA pitcrew {world} plugin. See pitcrew's `docs/plugins/{lang_doc}.md`.\n\n\
         ```sh\n{build}        # builds {wasm}\n{test}\n\
         pitcrew plugin check {wasm}\n\
         pitcrew plugin run {wasm} --input test/input.json\n```\n"
    )
}

/// Writes the project into `dir`, which must not exist: into a temporary
/// directory beside it first, renamed at the end, so a failure leaves
/// nothing behind.
pub fn write(project: &Project, dir: &Path) -> Result<(), ScaffoldError> {
    let shown = dir.display().to_string();
    if dir.exists() {
        return Err(ScaffoldError::Exists(shown));
    }
    let err = |e| ScaffoldError::Write(shown.clone(), e);
    let parent = dir
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    fs::create_dir_all(parent).map_err(err)?;
    let staging = tempfile::Builder::new()
        .prefix(".pitcrew-new-")
        .tempdir_in(parent)
        .map_err(err)?;
    for (path, text) in &project.files {
        let path = staging.path().join(path);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(err)?;
        }
        fs::write(&path, text).map_err(err)?;
    }
    fs::rename(staging.keep(), dir).map_err(err)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_checked_and_every_project_names_its_plugin() {
        let contract = crate::host::bindings::current();
        for bad in ["", "My", "1x", "a b", "x-", "a/b", "../x"] {
            assert!(
                project(bad, World::Phase, Lang::Rust, contract).is_err(),
                "{bad}"
            );
        }
        for world in World::ALL {
            for lang in [Lang::Rust, Lang::Python, Lang::Js] {
                let p = project("my-plugin", world, lang, contract).unwrap();
                let all: String = p.files.iter().map(|(_, t)| t.as_str()).collect();
                assert!(!all.contains("{{"), "{world} {lang:?}: a placeholder left");
                assert!(all.contains("my-plugin"));
            }
        }
    }

    #[test]
    fn an_existing_directory_is_never_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        let contract = crate::host::bindings::current();
        let p = project("x", World::Router, Lang::Js, contract).unwrap();
        let err = write(&p, dir.path()).unwrap_err().to_string();
        assert!(
            err.ends_with("already exists; choose another NAME or --dir"),
            "{err}"
        );
        write(&p, &dir.path().join("x")).unwrap();
        assert!(dir.path().join("x/package.json").is_file());
        let left: Vec<_> = fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(left.len(), 1, "no staging directory left behind");
    }
}
