//! Redaction throughput (figures in the README's Performance section):
//! every prompt and every report bound for GitHub passes through
//! `Redactor::redact`, and test output is untrusted, so hostile text must
//! cost linear time.
//!
//! - `hostile log`: 10 MiB of lines that almost match every rule;
//! - `hostile log, 20 values`: the same with 20 secret values known (each
//!   also matched URL-encoded, JSON-escaped and base64-encoded inside a
//!   longer text);
//! - `hostile log, 200 values` and `hex dump, 200 values`: 200 values
//!   known (every form above, plus hex, HTML entities and a line break
//!   anywhere), over the hostile log and over 10 MiB of `xxd -p` lines,
//!   where the hex forms are almost matched everywhere;
//! - `BEGIN lines without END`: 10 MiB of private-key BEGIN lines that no
//!   END closes (the rule that took quadratic time before it was found by
//!   hand).
//!
//! `cargo bench --bench redact -- --sample-size 10`

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use pitcrew::triage::redact::Redactor;

const MIB: usize = 1024 * 1024;

fn repeated(line: &str) -> String {
    line.repeat(10 * MIB / line.len() + 1)
}

fn redaction(c: &mut Criterion) {
    let hostile = repeated(
        "2024-01-01T00:00:00Z ##[error] password token secret eyJ.eyJ ghp_ AKIA -----BEGIN \
         https://host/path Authorization bearer x ghp_abcdefghijklmnopqrstuvwxyz0123456789 \
         aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n",
    );
    let begins = repeated("x_ -----BEGIN RSA PRIVATE KEY-----MIIEowIBAAKCAQEA_\n");
    let none = Redactor::with_values(["not-present-secret"]);
    let twenty = Redactor::with_values((0..20).map(|i| format!("secret-value-{i:02}-of-twenty")));
    let two_hundred =
        Redactor::with_values((0..200).map(|i| format!("Zq8vN3pLx7-{i:03}-RtY2wK9mB4")));
    // Hex of text that shares the values' heads: every line almost matches.
    let hex_dump = repeated(&format!(
        "{}\n",
        "Zq8vN3pLx7-0"
            .bytes()
            .map(|b| format!("{b:02x}"))
            .collect::<String>()
            .repeat(5)
    ));
    let mut group = c.benchmark_group("redact 10 MiB");
    group.throughput(Throughput::Bytes(hostile.len() as u64));
    group.bench_function("hostile log", |b| {
        b.iter(|| black_box(none.redact(black_box(&hostile)).len()))
    });
    group.bench_function("hostile log, 20 values", |b| {
        b.iter(|| black_box(twenty.redact(black_box(&hostile)).len()))
    });
    group.bench_function("hostile log, 200 values", |b| {
        b.iter(|| black_box(two_hundred.redact(black_box(&hostile)).len()))
    });
    group.throughput(Throughput::Bytes(hex_dump.len() as u64));
    group.bench_function("hex dump, 200 values", |b| {
        b.iter(|| black_box(two_hundred.redact(black_box(&hex_dump)).len()))
    });
    group.throughput(Throughput::Bytes(begins.len() as u64));
    group.bench_function("BEGIN lines without END", |b| {
        b.iter(|| black_box(none.redact(black_box(&begins)).len()))
    });
    group.finish();
}

criterion_group!(benches, redaction);
criterion_main!(benches);
