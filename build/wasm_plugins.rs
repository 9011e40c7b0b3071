//! Builds plugin crates for `wasm32-wasip2` from a build script.
//!
//! Shared by the host's `build.rs` (built-in plugins, embedded) and the test
//! fixtures' `build.rs` (hostile plugins, never shipped). One nested cargo
//! invocation per build script, with its own target directory so it never
//! waits on the outer cargo's lock, then exact `rerun-if-changed` lines taken
//! from the dep-info files rustc wrote for each plugin.

use std::env;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

pub const TARGET: &str = "wasm32-wasip2";
const PROFILE: &str = "plugin";

/// A plugin crate: its package name and its directory.
pub struct PluginCrate {
    pub name: String,
    pub dir: PathBuf,
}

/// Every component crate directly under `dir` (a folder whose `Cargo.toml`
/// builds a `cdylib`), sorted by name. Plain libraries there (shared guest
/// code) are linked into the plugins, not built on their own.
pub fn crates_under(dir: &Path) -> Vec<PluginCrate> {
    let mut crates: Vec<PluginCrate> = fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| {
            fs::read_to_string(path.join("Cargo.toml")).is_ok_and(|m| m.contains("\"cdylib\""))
        })
        .map(|path| PluginCrate {
            name: package_name(&path.join("Cargo.toml")),
            dir: path,
        })
        .collect();
    crates.sort_by(|a, b| a.name.cmp(&b.name));
    crates
}

fn package_name(manifest: &Path) -> String {
    let text = fs::read_to_string(manifest)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", manifest.display()));
    text.lines()
        .map(str::trim)
        .find_map(|line| {
            let rest = line.strip_prefix("name")?.trim_start().strip_prefix('=')?;
            Some(rest.trim().trim_matches('"').to_string())
        })
        .unwrap_or_else(|| panic!("{}: no package name", manifest.display()))
}

/// Builds `crates` and returns the path of each one's `.wasm`, in order.
pub fn build(workspace_root: &Path, crates: &[PluginCrate]) -> Vec<PathBuf> {
    if crates.is_empty() {
        return Vec::new();
    }
    require_wasm_target();
    let target_dir = nested_target_dir();
    let cargo = env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut cmd = Command::new(cargo);
    cmd.current_dir(workspace_root)
        .args([
            "build",
            "--target",
            TARGET,
            "--profile",
            PROFILE,
            "--target-dir",
        ])
        .arg(&target_dir);
    for krate in crates {
        cmd.args(["-p", &krate.name]);
    }
    // The outer cargo's settings are for the host, not for wasm: flags,
    // wrappers (clippy-driver under `cargo clippy`) and target overrides.
    // SIMD128 is on in every wasmtime we support and lets memchr and
    // aho-corasick scan 16 bytes at a time, as they do natively.
    cmd.env("CARGO_ENCODED_RUSTFLAGS", "-Ctarget-feature=+simd128");
    for var in [
        "RUSTFLAGS",
        "CARGO_TARGET_DIR",
        "CARGO_BUILD_TARGET",
        "RUSTC_WORKSPACE_WRAPPER",
        "CARGO_BUILD_RUSTC_WORKSPACE_WRAPPER",
        "CARGO_LLVM_COV",
        "RUSTC_WRAPPER",
    ] {
        cmd.env_remove(var);
    }
    let output = cmd
        .output()
        .unwrap_or_else(|e| panic!("cannot run cargo to build the wasm plugins: {e}"));
    if !output.status.success() {
        panic!(
            "building the wasm plugins failed ({}):\n{}",
            output.status,
            String::from_utf8_lossy(&output.stderr)
        );
    }

    let out = target_dir.join(TARGET).join(PROFILE);
    crates
        .iter()
        .map(|krate| {
            let stem = krate.name.replace('-', "_");
            let wasm = out.join(format!("{stem}.wasm"));
            assert!(wasm.is_file(), "{} was not produced", wasm.display());
            track_dep_info(&out.join(format!("{stem}.d")), workspace_root);
            println!(
                "cargo:rerun-if-changed={}",
                krate.dir.join("Cargo.toml").display()
            );
            wasm
        })
        .collect()
}

/// Fails the build with the one command that fixes it.
fn require_wasm_target() {
    let rustc = env::var("RUSTC").unwrap_or_else(|_| "rustc".into());
    let libdir = Command::new(rustc)
        .args(["--print", "target-libdir", "--target", TARGET])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| PathBuf::from(String::from_utf8_lossy(&o.stdout).trim()));
    let installed = libdir
        .and_then(|dir| fs::read_dir(dir).ok())
        .is_some_and(|mut entries| {
            entries.any(|e| e.is_ok_and(|e| e.file_name().to_string_lossy().starts_with("libstd-")))
        });
    if !installed {
        panic!(
            "the {TARGET} target is not installed; pitcrew builds its plugins for it. \
             Run: rustup target add {TARGET}"
        );
    }
}

/// `<target>/wasm-plugins`, shared by debug and release host builds (the
/// plugins are always built with the `plugin` profile), found from OUT_DIR:
/// `<target>[/<triple>]/<profile>/build/<pkg>-<hash>/out`.
fn nested_target_dir() -> PathBuf {
    let out_dir = PathBuf::from(env::var("OUT_DIR").expect("OUT_DIR is set for build scripts"));
    out_dir
        .ancestors()
        .nth(4)
        .map(|target| target.join("wasm-plugins"))
        .unwrap_or_else(|| out_dir.join("wasm-plugins"))
}

/// Emits `rerun-if-changed` for every source file rustc read that lives in
/// the workspace (registry sources only change with Cargo.lock).
fn track_dep_info(dep_info: &Path, workspace_root: &Path) {
    println!(
        "cargo:rerun-if-changed={}",
        workspace_root.join("Cargo.lock").display()
    );
    let Ok(text) = fs::read_to_string(dep_info) else {
        return;
    };
    let Some((_, deps)) = text.lines().next().and_then(|line| line.split_once(": ")) else {
        return;
    };
    for dep in split_escaped_spaces(deps) {
        if Path::new(&dep).starts_with(workspace_root) {
            println!("cargo:rerun-if-changed={dep}");
        }
    }
}

/// Dep-info separates paths by spaces and escapes spaces inside paths as `\ `.
fn split_escaped_spaces(deps: &str) -> Vec<String> {
    let mut paths = Vec::new();
    let mut current = String::new();
    let mut chars = deps.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek() == Some(&' ') => {
                current.push(' ');
                chars.next();
            }
            ' ' => {
                if !current.is_empty() {
                    paths.push(std::mem::take(&mut current));
                }
            }
            _ => current.push(c),
        }
    }
    if !current.is_empty() {
        paths.push(current);
    }
    paths
}
