#!/usr/bin/env bash
# JUnit parsing, side by side in one run: pitcrew's streaming parser against
# Python's junitparser, on generated reports of 1 GiB (by default).
#
#   scripts/compare-junit.sh [MEBIBYTES]
#
# Two reports are generated under /tmp (by the `suite` bench binary, the
# same generator `cargo bench --bench suite` uses):
#   realistic  many unique tests: mostly passing, ~4% failures with 20-line
#              stack traces in CDATA, errors, skipped, system-out, nested
#              suites, a few retries;
#   bodies     2,000 unique tests repeated (as retries would be), each case
#              with 16-128 KiB of system-out, failures with larger bodies.
# On each, every case is visited and its outcome counted by:
#   pitcrew parse       junit::parse_file alone (the bench binary's
#                       `parse-junit` mode): the parser's own memory;
#   pitcrew report      `pitcrew report --format json --no-classify FILE`:
#                       parse, fold retries, merge, print every test as JSON.
#                       Its memory grows with the cases and unique tests it
#                       keeps, not with the file size;
#   junitparser         JUnitXml.fromfile, then every case of every suite,
#                       with the standard library's ElementTree (what
#                       `pip install junitparser` gives) and with lxml.
# Wall time (the whole process) and peak RSS (/usr/bin/time -v, else
# getrusage) for each; MB/s is 10^6 bytes per second. The outcome counts of
# every tool must agree, or the script exits 1.
#
# Environment: CARGO_TARGET_DIR (where pitcrew is built), PITCREW_BENCH_VENV
# (see scripts/bench-venv.sh), PITCREW_COMPARE_DIR (work directory, default
# a fresh one under /tmp, removed at the end), PITCREW_COMPARE_STRICT=1
# (exit 1 when pitcrew's parser misses 150 MB/s or 64 MB peak RSS).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
size_mib=${1:-1024}
case $size_mib in
'' | *[!0-9]*)
    echo "usage: $0 [MEBIBYTES]" >&2
    exit 2
    ;;
esac
target_dir=${CARGO_TARGET_DIR:-$root/target}
if [ -n "${PITCREW_COMPARE_DIR:-}" ]; then
    work=$PITCREW_COMPARE_DIR
    mkdir -p "$work"
else
    work=$(mktemp -d /tmp/pitcrew-compare-junit.XXXXXX)
    trap 'rm -rf "$work"' EXIT
fi

python=$(bash "$root/scripts/bench-venv.sh")

echo "building pitcrew and the suite bench (release)..." >&2
(cd "$root" && cargo build --release --quiet --bin pitcrew)
pitcrew=$target_dir/release/pitcrew
bench=$(cd "$root" && cargo bench --quiet --bench suite --no-run --message-format=json |
    python3 -c '
import json, sys
for line in sys.stdin:
    m = json.loads(line)
    if m.get("reason") == "compiler-artifact" and m["target"]["name"] == "suite" and m.get("executable"):
        print(m["executable"])
')
if ! [ -x "$pitcrew" ] || ! [ -x "$bench" ]; then
    echo "compare-junit: cannot find the built binaries ($pitcrew, $bench)" >&2
    exit 2
fi

# The junitparser side: parse, visit every case, count outcomes.
cat >"$work/junitparser_count.py" <<'EOF'
import json, sys
backend, path = sys.argv[1], sys.argv[2]
if backend == "etree":
    sys.modules["lxml"] = None  # junitparser falls back to xml.etree
from junitparser import Error, Failure, JUnitXml, Skipped
from junitparser import junitparser as impl
counts = {"cases": 0, "passed": 0, "failed": 0, "errored": 0, "skipped": 0}
for suite in JUnitXml.fromfile(path):
    for case in suite:  # nested suites included
        counts["cases"] += 1
        kinds = {type(r) for r in case.result}
        if Failure in kinds:
            counts["failed"] += 1
        elif Error in kinds:
            counts["errored"] += 1
        elif Skipped in kinds:
            counts["skipped"] += 1
        else:
            counts["passed"] += 1
counts["backend"] = impl.etree.__name__
print(json.dumps(counts))
EOF

# measure NAME OUT CMD...: runs CMD with stdout to OUT; appends
# "NAME wall_seconds peak_rss_kib exit_code" to $work/measurements.
if [ -x /usr/bin/time ] && /usr/bin/time -v true 2>/dev/null; then
    measure() {
        local name=$1 out=$2 start end status=0
        shift 2
        start=$(date +%s%N)
        /usr/bin/time -v -o "$work/time.txt" "$@" >"$out" || status=$?
        end=$(date +%s%N)
        local rss
        rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$work/time.txt")
        echo "$name $(((end - start) / 1000000)) $rss $status" >>"$work/measurements"
    }
else
    measure() {
        local name=$1 out=$2 status=0
        shift 2
        python3 - "$name" "$out" "$@" >>"$work/measurements" <<'EOF' || status=$?
import resource, subprocess, sys, time
name, out, cmd = sys.argv[1], sys.argv[2], sys.argv[3:]
start = time.perf_counter()
with open(out, "wb") as f:
    code = subprocess.run(cmd, stdout=f).returncode
ms = int((time.perf_counter() - start) * 1000)
print(name, ms, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, code)
EOF
    }
fi

: >"$work/measurements"
for profile in realistic bodies; do
    file=$work/$profile.xml
    echo "generating $profile report ($size_mib MiB)..." >&2
    "$bench" generate-junit "$file" "$size_mib" "$profile" >"$work/$profile.generated.json"
    cat "$file" >/dev/null # into the page cache, for every tool alike

    echo "  pitcrew parse" >&2
    measure "$profile:pitcrew-parse" "$work/$profile.pitcrew-parse.json" "$bench" parse-junit "$file"
    echo "  pitcrew report" >&2
    measure "$profile:pitcrew-report" "$work/$profile.pitcrew-report.json" \
        "$pitcrew" -q report --format json --no-classify "$file"
    echo "  junitparser (ElementTree)" >&2
    measure "$profile:junitparser-etree" "$work/$profile.junitparser-etree.json" \
        "$python" "$work/junitparser_count.py" etree "$file"
    echo "  junitparser (lxml)" >&2
    measure "$profile:junitparser-lxml" "$work/$profile.junitparser-lxml.json" \
        "$python" "$work/junitparser_count.py" lxml "$file"
    # Only the summary of the report's JSON is needed; the rest is every test.
    head -c 4096 "$work/$profile.pitcrew-report.json" >"$work/$profile.pitcrew-report.head"
    rm -f "$work/$profile.pitcrew-report.json" "$file"
done

python3 - "$work" "${PITCREW_COMPARE_STRICT:-0}" <<'EOF'
import json, re, sys
from pathlib import Path

work, strict = Path(sys.argv[1]), sys.argv[2] == "1"
rows = {}
for line in (work / "measurements").read_text().splitlines():
    name, ms, rss_kib, code = line.split()
    rows[name] = (int(ms) / 1000, int(rss_kib) * 1024, int(code))

def report_counts(profile):
    head = (work / f"{profile}.pitcrew-report.head").read_text()
    summary = json.loads(re.search(r'"summary":\s*(\{[^}]*\})', head).group(1))
    return {"cases": summary["cases"], "failed": summary["failures"],
            "errored": summary["errors"], "skipped": summary["skipped"]}

labels = {
    "pitcrew-parse": "pitcrew parse (junit::parse_file)",
    "pitcrew-report": "pitcrew report --format json",
    "junitparser-etree": "junitparser (ElementTree)",
    "junitparser-lxml": "junitparser (lxml)",
}
problems, misses = [], []
print()
print("| report | tool | cases | wall | MB/s | peak RSS | time vs pitcrew parse | RSS vs pitcrew parse |")
print("|---|---|---|---|---|---|---|---|")
for profile in ("realistic", "bodies"):
    generated = json.loads((work / f"{profile}.generated.json").read_text())
    size = generated["bytes"]
    base_time, base_rss, _ = rows[f"{profile}:pitcrew-parse"]
    expected = None
    for tool, label in labels.items():
        wall, rss, code = rows[f"{profile}:{tool}"]
        ok_codes = (0, 1) if tool == "pitcrew-report" else (0,)  # report: 1 = tests failed
        if code not in ok_codes:
            problems.append(f"{profile}: {label} exited {code}")
            print(f"| {profile} | {label} | — | failed (exit {code}) | | {rss / 1e6:,.0f} MB | | |")
            continue
        if tool == "pitcrew-report":
            counts = report_counts(profile)
        else:
            counts = json.loads((work / f"{profile}.{tool}.json").read_text())
        keyed = {k: counts[k] for k in ("cases", "failed", "errored", "skipped")}
        if keyed["cases"] != generated["cases"]:
            problems.append(f"{profile}: {label} saw {keyed['cases']} cases, {generated['cases']} were written")
        if expected is None:
            expected = keyed
        elif keyed != expected:
            problems.append(f"{profile}: {label} counted {keyed}, pitcrew parse {expected}")
        rate = size / wall / 1e6
        print(
            f"| {profile} ({size / 2**30:.2f} GiB) | {label} | {keyed['cases']:,} | {wall:.1f} s | {rate:,.0f} | "
            f"{rss / 1e6:,.0f} MB | {wall / base_time:.1f}× | {rss / base_rss:.1f}× |"
        )
        if tool == "pitcrew-parse":
            if rate < 150:
                misses.append(f"{profile}: pitcrew parse at {rate:.0f} MB/s (target ≥ 150)")
            if rss > 64e6:
                misses.append(f"{profile}: pitcrew parse peak RSS {rss / 1e6:.0f} MB (target ≤ 64)")
print()
print(f"counts per tool (cases, failed, errored, skipped) agree: {'yes' if not problems else 'NO'}")
for miss in misses:
    print(f"target missed: {miss}")
if not misses:
    print("targets (pitcrew parse ≥ 150 MB/s, ≤ 64 MB peak RSS): met")
for problem in problems:
    print(f"ERROR: {problem}", file=sys.stderr)
sys.exit(1 if problems or (strict and misses) else 0)
EOF
