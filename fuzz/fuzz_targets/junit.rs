//! The streaming JUnit parser on arbitrary bytes: it returns cases or an
//! error naming a line, and never panics, loops or grows without bound.
//!
//! cargo fuzz run junit -- -max_len=65536

#![no_main]

use libfuzzer_sys::fuzz_target;
use pitcrew::suite::fold::Folder;
use pitcrew::suite::junit;

fuzz_target!(|data: &[u8]| {
    let mut folder = Folder::default();
    let result = junit::parse_reader(data, "fuzz.xml", |case| folder.add(case));
    let (counts, merged, tests) = folder.finish();
    assert!(counts.failures + counts.errors + counts.skipped <= counts.cases);
    assert_eq!(merged.tests as usize, tests.len());
    if let Err(err) = result {
        assert!(err.to_string().starts_with("fuzz.xml:"), "{err}");
    }
});
