#!/usr/bin/env bash
# What a flaky test costs a `pitcrew test` run on a real pytest suite: the
# retry by name, then the whole run that confirms it (for pytest, all the
# shard's whole files, as its first run ran them: see README "Retries").
# Interleaved round by round on a machine that may be shared; only
# variants timed in the same round are compared.
#
#   scripts/bench-retry-cost.sh --pitcrew PATH [--baseline PATH] [--suite NAME] [--rounds R] [--out DIR]
#
# The suite is a tree scripts/real-suites.sh prepared (python-dateutil by
# default). Each round runs, in an order rotated every round, with no
# history (.pitcrew removed) and `--shards 2 --retries 1`:
#
#   clean        the suite as it is
#   flaky        the suite with one test added that fails on its first
#                attempt only (PITCREW_ATTEMPT=1), in a file of its own
#                collected last
#   flaky-base   the same with the --baseline binary (an older build)
#
# The summary gives each variant's median wall time and the median over
# rounds of its ratio to `clean` in the same round.
set -euo pipefail

cache=${PITCREW_REAL_SUITES_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pitcrew-real-suites}
pitcrew="" baseline="" suite=python-dateutil rounds=5 out=""
while [ $# -gt 0 ]; do
    case $1 in
    --pitcrew) pitcrew=${2:?}; shift 2 ;;
    --baseline) baseline=${2:?}; shift 2 ;;
    --suite) suite=${2:?}; shift 2 ;;
    --rounds) rounds=${2:?}; shift 2 ;;
    --out) out=${2:?}; shift 2 ;;
    *) sed -n '7p' "$0" >&2; exit 2 ;;
    esac
done
absolute() { echo "$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"; }
[ -x "$pitcrew" ] || { echo "bench-retry-cost: --pitcrew: not an executable" >&2; exit 2; }
pitcrew=$(absolute "$pitcrew")
if [ -n "$baseline" ]; then
    [ -x "$baseline" ] || { echo "bench-retry-cost: --baseline: not an executable" >&2; exit 2; }
    baseline=$(absolute "$baseline")
fi
tree=$(ls -d "$cache/$suite"-[0-9]* 2>/dev/null | head -1)
[ -d "$tree/.venv" ] || { echo "bench-retry-cost: $suite: no prepared pytest suite (scripts/real-suites.sh)" >&2; exit 2; }
export PATH="$tree/.venv/bin:$PATH"
tests=""
for folder in tests test; do
    [ -d "$tree/$folder" ] && { tests=$folder; break; }
done
[ -n "$tests" ] || { echo "bench-retry-cost: $suite: no tests/ folder" >&2; exit 2; }
flaky="$tree/$tests/test_zz_pitcrew_flaky.py"
trap 'rm -f "$flaky"' EXIT
out=${out:-$(mktemp -d /tmp/pitcrew-bench-retry.XXXXXX)}
mkdir -p "$out"
: >"$out/results.tsv"

clean() { rm -rf "$tree/.pitcrew" "$tree/pitcrew-results.json" "$tree/pitcrew-report.md"; }

# timed ROUND VARIANT BINARY: one line of results.tsv.
timed() {
    local round=$1 variant=$2 binary=$3 start end rc=0
    clean
    start=$(date +%s.%N)
    (cd "$tree" && "$binary" test --shards 2 --retries 1 --no-github -- pytest -p no:cacheprovider -q) \
        >"$out/$round.$variant.log" 2>&1 || rc=$?
    end=$(date +%s.%N)
    printf '%s\t%s\t%s\t%s\n' "$round" "$variant" \
        "$(python3 -c "print(f'{$end - $start:.3f}')")" "$rc" >>"$out/results.tsv"
}

echo "bench-retry-cost: $(nproc) cores, $suite, results in $out" >&2
variants=(clean flaky)
[ -n "$baseline" ] && variants+=(flaky-base)
for round in $(seq 1 "$rounds"); do
    shift_by=$(((round - 1) % ${#variants[@]}))
    order=("${variants[@]:shift_by}" "${variants[@]:0:shift_by}")
    for variant in "${order[@]}"; do
        echo "bench-retry-cost: round $round $variant" >&2
        case $variant in
        clean) rm -f "$flaky"; timed "$round" clean "$pitcrew" ;;
        flaky | flaky-base)
            printf 'import os\n\n\ndef test_pitcrew_flaky():\n    assert os.environ.get("PITCREW_ATTEMPT") != "1"\n' >"$flaky"
            binary=$pitcrew
            [ "$variant" = flaky-base ] && binary=$baseline
            timed "$round" "$variant" "$binary"
            rm -f "$flaky" ;;
        esac
    done
done
clean

python3 - "$out/results.tsv" <<'EOF'
import collections, statistics, sys
by = collections.defaultdict(dict)
for line in open(sys.argv[1]):
    rnd, variant, secs, rc = line.split()
    by[rnd][variant] = (float(secs), rc)
print(f"{'variant':<12} {'median s':>9} {'/ clean':>8} {'rounds':>6} exit")
for variant in ["clean", "flaky", "flaky-base"]:
    rows = [r[variant] for r in by.values() if variant in r]
    if not rows:
        continue
    ratios = [r[variant][0] / r["clean"][0] for r in by.values() if variant in r and "clean" in r]
    exits = ",".join(sorted({rc for _, rc in rows}))
    print(f"{variant:<12} {statistics.median(s for s, _ in rows):>9.2f} "
          f"{statistics.median(ratios):>8.2f} {len(rows):>6} {exits}")
EOF
