//! A big component is hashed, and its compiled entry MAC-checked, once: the
//! cache then recognises both files by their identity (inode, size, times,
//! ctime). Anything written to either file since is a full check again, so a
//! swapped entry is still never loaded and a changed component is rehashed.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::Duration;

use pitcrew::host::cache::SETTLE;
use pitcrew::host::{CacheSetting, Limits, LoadError, Plugin, PluginSpec, Runtime, Source};

fn setting(dir: &Path, key: &Path) -> CacheSetting {
    CacheSetting::Keyed {
        dir: dir.to_path_buf(),
        key: key.join("cache.key"),
    }
}

fn spec(path: &Path, pin: Option<&str>) -> PluginSpec {
    PluginSpec {
        source: Source::File(path.to_path_buf()),
        sha256: pin.map(str::to_string),
        limits: Limits::default(),
        config: None,
    }
}

fn load(setting: &CacheSetting, spec: &PluginSpec) -> Result<Plugin, LoadError> {
    Plugin::load(&Runtime::new(setting).unwrap(), spec, "slot", None)
}

fn files(dir: &Path, suffix: &str) -> Vec<PathBuf> {
    let mut found = Vec::new();
    for entry in walkdir::WalkDir::new(dir).into_iter().flatten() {
        if entry.file_type().is_file() && entry.path().to_string_lossy().ends_with(suffix) {
            found.push(entry.into_path());
        }
    }
    found
}

/// Past the point where a file's last change counts as settled.
fn settle() {
    std::thread::sleep(SETTLE + Duration::from_millis(200));
}

#[test]
fn a_recognised_file_or_entry_that_changes_is_checked_again() {
    let (cache, key, work) = (tempdir(), tempdir(), tempdir());
    let setting = setting(cache.path(), key.path());
    let wasm = work.path().join("plugin.wasm");
    let summary = pitcrew::host::builtin::get("summary").unwrap();
    fs::write(&wasm, summary).unwrap();
    let pin = pitcrew::hash::sha256_hex(summary);

    // First run: compiled, entry written; nothing settled yet, so no record.
    assert_eq!(
        load(&setting, &spec(&wasm, None)).unwrap().info.name,
        "summary"
    );
    assert!(
        files(cache.path(), ".id").is_empty(),
        "nothing fresh is recorded"
    );
    settle();
    // Second run: hashed and MAC-checked in full, both recorded (the
    // entry when the plugin is linked: its description is recorded).
    load(&setting, &spec(&wasm, Some(&pin)))
        .unwrap()
        .link()
        .unwrap();
    assert_eq!(
        files(cache.path(), ".id").len(),
        2,
        "the file and its entry"
    );
    // Third run: from the records; the pin still holds.
    assert_eq!(
        load(&setting, &spec(&wasm, Some(&pin))).unwrap().sha256,
        pin
    );

    // The entry swapped for another authentic entry of ours (another
    // component's): its identity changed, so it is MAC-checked, refused
    // and rewritten.
    let entry = files(cache.path(), &format!("{pin}.cwasm")).remove(0);
    let genuine = fs::read(&entry).unwrap();
    let router = work.path().join("router.wasm");
    fs::write(
        &router,
        pitcrew::host::builtin::get("router-default").unwrap(),
    )
    .unwrap();
    load(&setting, &spec(&router, None)).unwrap();
    let router_entry = files(cache.path(), ".cwasm")
        .into_iter()
        .find(|p| *p != entry)
        .unwrap();
    fs::copy(&router_entry, &entry).unwrap();
    let plugin = load(&setting, &spec(&wasm, None)).unwrap();
    assert_eq!(plugin.info.name, "summary");
    plugin.link().unwrap();
    assert_eq!(
        fs::read(&entry).unwrap(),
        genuine,
        "recompiled and rewritten"
    );

    // The component itself rewritten with other code of the same size
    // class, its modification time set back: rehashed, so the pin catches it.
    let mtime = fs::metadata(&wasm).unwrap().modified().unwrap();
    fs::write(
        &wasm,
        pitcrew::host::builtin::get("router-default").unwrap(),
    )
    .unwrap();
    fs::File::options()
        .write(true)
        .open(&wasm)
        .unwrap()
        .set_modified(mtime)
        .unwrap();
    let err = load(&setting, &spec(&wasm, Some(&pin))).err().unwrap();
    assert!(matches!(err, LoadError::Sha256Mismatch { .. }), "{err}");
    assert_eq!(
        load(&setting, &spec(&wasm, None)).unwrap().info.name,
        "router-default"
    );
}

#[test]
fn a_record_from_another_key_is_ignored() {
    let (cache, mine, theirs, work) = (tempdir(), tempdir(), tempdir(), tempdir());
    let wasm = work.path().join("plugin.wasm");
    fs::write(&wasm, pitcrew::host::builtin::get("summary").unwrap()).unwrap();
    settle();
    let theirs_setting = setting(cache.path(), theirs.path());
    load(&theirs_setting, &spec(&wasm, None)).unwrap();
    settle();
    load(&theirs_setting, &spec(&wasm, None))
        .unwrap()
        .link()
        .unwrap();
    let records = files(cache.path(), ".id");
    assert_eq!(records.len(), 2);
    let before: Vec<Vec<u8>> = records.iter().map(|p| fs::read(p).unwrap()).collect();

    // Under my key their records and entry are not authentic: everything is
    // checked in full, and (once settled) recorded again under my key.
    let mine_setting = setting(cache.path(), mine.path());
    assert_eq!(
        load(&mine_setting, &spec(&wasm, None)).unwrap().info.name,
        "summary"
    );
    settle();
    load(&mine_setting, &spec(&wasm, None))
        .unwrap()
        .link()
        .unwrap();
    let after: Vec<Vec<u8>> = records.iter().map(|p| fs::read(p).unwrap()).collect();
    assert_ne!(before, after, "rewritten under my key");
}

#[test]
fn a_described_plugin_is_linked_at_its_first_call_and_only_if_unchanged() {
    let (cache, key, work) = (tempdir(), tempdir(), tempdir());
    let setting = setting(cache.path(), key.path());
    let wasm = work.path().join("plugin.wasm");
    let summary = pitcrew::host::builtin::get("summary").unwrap();
    fs::write(&wasm, summary).unwrap();
    settle();
    let first = load(&setting, &spec(&wasm, None)).unwrap();
    assert_eq!(files(cache.path(), ".describe").len(), 1, "described once");

    // From the record: the same plugin, and it links.
    let again = load(&setting, &spec(&wasm, None)).unwrap();
    assert_eq!(again.info, first.info);
    assert_eq!(again.phase, first.phase);
    assert_eq!(again.contract_version(), first.contract_version());
    again.link().unwrap();

    // Its compiled entry gone and the file replaced after it was loaded:
    // the first call compiles what is there now, which is not what it
    // described, and refuses it.
    let stale = load(&setting, &spec(&wasm, None)).unwrap();
    for entry in files(cache.path(), ".cwasm") {
        fs::remove_file(entry).unwrap();
    }
    fs::write(
        &wasm,
        pitcrew::host::builtin::get("router-default").unwrap(),
    )
    .unwrap();
    let err = stale.link().unwrap_err().to_string();
    assert!(
        err.contains("cannot be loaded") && err.contains("sha256"),
        "{err}"
    );
}

#[test]
fn a_describe_record_not_written_for_this_component_is_not_believed() {
    let (cache, key, work) = (tempdir(), tempdir(), tempdir());
    let ours = setting(cache.path(), key.path());
    let summary = work.path().join("summary.wasm");
    let router = work.path().join("router.wasm");
    fs::write(&summary, pitcrew::host::builtin::get("summary").unwrap()).unwrap();
    fs::write(
        &router,
        pitcrew::host::builtin::get("router-default").unwrap(),
    )
    .unwrap();
    load(&ours, &spec(&summary, None)).unwrap();
    let summary_record = files(cache.path(), ".describe").remove(0);
    load(&ours, &spec(&router, None)).unwrap();
    let router_record = files(cache.path(), ".describe")
        .into_iter()
        .find(|p| *p != summary_record)
        .unwrap();

    // The router's authentic record copied over the summary's: it names
    // another component, so the summary is described again.
    fs::copy(&router_record, &summary_record).unwrap();
    let plugin = load(&ours, &spec(&summary, None)).unwrap();
    assert_eq!(plugin.info.name, "summary");
    assert_eq!(plugin.world, pitcrew::host::World::Phase);

    // A record written under another key (another machine, a restored
    // cache), claiming another name: not believed either.
    let theirs = tempdir();
    load(&setting(cache.path(), theirs.path()), &spec(&summary, None)).unwrap();
    let mut crafted = fs::read(&summary_record).unwrap();
    let at = crafted
        .windows(9)
        .position(|w| w == b"\"summary\"")
        .unwrap();
    crafted[at + 1] = b'S';
    fs::write(&summary_record, &crafted).unwrap();
    assert_eq!(
        load(&ours, &spec(&summary, None)).unwrap().info.name,
        "summary"
    );
}

fn tempdir() -> tempfile::TempDir {
    tempfile::tempdir().unwrap()
}
