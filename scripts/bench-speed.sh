#!/usr/bin/env bash
# `pitcrew test` against the plain serial runner and the runner's own
# parallelism at the same core count, interleaved round by round on a
# machine that may be shared (the load changes from minute to minute, so
# only variants timed in the same round are compared).
#
#   scripts/bench-speed.sh --pitcrew PATH [--baseline PATH] [--suites a,b] [--rounds R] [--out DIR]
#
# Suites are the trees scripts/real-suites.sh prepared (run it once first):
# python-dateutil, find-my-way, zod (vitest), jest-mock-extended (jest), or
# any other suite it knows. Each round
# runs, in an order rotated every round:
#
#   serial     pytest -p no:cacheprovider -q       | node --test --test-concurrency=1
#              | vitest run --no-file-parallelism   | jest --runInBand
#   parallel   the same with -n 2 (pytest-xdist)   | --test-concurrency=2
#              | vitest run --maxWorkers=2          | jest --maxWorkers=2
#   first      pitcrew test --retries 0 -- CMD, no history (.pitcrew removed)
#   history    pitcrew test again, with the history `first` left
#   first-base, history-base   the same with the --baseline binary (an
#              older build, compared in the same rounds)
#
# and records each one's wall time, exit code and the 1-minute load average
# before it. The summary gives, per variant, the median wall time and the
# median over rounds of its ratio to the faster of serial and parallel in
# the same round (target: <= 1.00).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
cache=${PITCREW_REAL_SUITES_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pitcrew-real-suites}
pitcrew="" baseline="" suites=python-dateutil,find-my-way rounds=5 out=""
while [ $# -gt 0 ]; do
    case $1 in
    --pitcrew) pitcrew=${2:?}; shift 2 ;;
    --baseline) baseline=${2:?}; shift 2 ;;
    --suites) suites=${2:?}; shift 2 ;;
    --rounds) rounds=${2:?}; shift 2 ;;
    --out) out=${2:?}; shift 2 ;;
    *) sed -n '7p' "$0" >&2; exit 2 ;;
    esac
done
[ -x "$pitcrew" ] || { echo "bench-speed: --pitcrew: not an executable" >&2; exit 2; }
pitcrew=$(cd "$(dirname "$pitcrew")" && pwd)/$(basename "$pitcrew")
if [ -n "$baseline" ]; then
    [ -x "$baseline" ] || { echo "bench-speed: --baseline: not an executable" >&2; exit 2; }
    baseline=$(cd "$(dirname "$baseline")" && pwd)/$(basename "$baseline")
fi
out=${out:-$(mktemp -d /tmp/pitcrew-bench-speed.XXXXXX)}
mkdir -p "$out"

clean() { rm -rf "$1/.pitcrew" "$1/pitcrew-results.json" "$1/pitcrew-report.md"; }

# timed SUITE ROUND VARIANT DIR CMD...: one line of results.tsv.
timed() {
    local suite=$1 round=$2 variant=$3 dir=$4 start end rc=0 load
    shift 4
    load=$(cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo '?')
    start=$(date +%s.%N)
    (cd "$dir" && "$@") >"$out/$suite.$round.$variant.log" 2>&1 || rc=$?
    end=$(date +%s.%N)
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$suite" "$round" "$variant" \
        "$(python3 -c "print(f'{$end - $start:.3f}')")" "$rc" "$load" >>"$out/results.tsv"
}

IFS=, read -r -a chosen <<<"$suites"
: >"$out/results.tsv"
echo "bench-speed: $(nproc) cores, results in $out" >&2
for round in $(seq 1 "$rounds"); do
    for suite in "${chosen[@]}"; do
        tree=$(ls -d "$cache/$suite"-[0-9]* 2>/dev/null | head -1)
        [ -d "$tree" ] || { echo "bench-speed: $suite: not prepared (scripts/real-suites.sh)" >&2; exit 2; }
        kind=node
        [ -d "$tree/.venv" ] && kind=python
        [ -f "$tree/.kind" ] && kind=$(cat "$tree/.kind")
        case $kind in
        python)
            export PATH="$tree/.venv/bin:$PATH"
            base=(pytest -p no:cacheprovider -q)
            serial=("${base[@]}") parallel=("${base[@]}" -n 2) ;;
        node)
            base=(node --test)
            serial=(node --test --test-concurrency=1) parallel=(node --test --test-concurrency=2) ;;
        vitest)
            base=(node_modules/.bin/vitest run)
            serial=("${base[@]}" --no-file-parallelism) parallel=("${base[@]}" --maxWorkers=2) ;;
        jest)
            base=(node_modules/.bin/jest)
            serial=("${base[@]}" --runInBand) parallel=("${base[@]}" --maxWorkers=2) ;;
        esac
        variants=(serial parallel pitcrew)
        [ -n "$baseline" ] && variants+=(baseline)
        shift_by=$(((round - 1) % ${#variants[@]}))
        variants=("${variants[@]:shift_by}" "${variants[@]:0:shift_by}")
        for variant in "${variants[@]}"; do
            echo "bench-speed: round $round $suite $variant" >&2
            case $variant in
            serial) clean "$tree"; timed "$suite" "$round" serial "$tree" "${serial[@]}" ;;
            parallel) clean "$tree"; timed "$suite" "$round" parallel "$tree" "${parallel[@]}" ;;
            pitcrew)
                clean "$tree"
                timed "$suite" "$round" first "$tree" "$pitcrew" -v test --retries 0 -- "${base[@]}"
                timed "$suite" "$round" history "$tree" "$pitcrew" -v test --retries 0 -- "${base[@]}"
                clean "$tree" ;;
            baseline)
                clean "$tree"
                timed "$suite" "$round" first-base "$tree" "$baseline" -v test --retries 0 -- "${base[@]}"
                timed "$suite" "$round" history-base "$tree" "$baseline" -v test --retries 0 -- "${base[@]}"
                clean "$tree" ;;
            esac
        done
        [ -d "$tree/.venv" ] && export PATH=${PATH#"$tree/.venv/bin:"}
    done
done

python3 - "$out/results.tsv" <<'EOF'
import collections, os, re, statistics, sys
out = os.path.dirname(sys.argv[1])

def shards(suite, rnd, variant):
    """The shard count pitcrew chose (its -v line), "1(pool N)" for one runner process running N files at a time, or "-"."""
    try:
        text = open(os.path.join(out, f"{suite}.{rnd}.{variant}.log"), errors="replace").read()
    except OSError:
        return "-"
    pool = re.search(r"one \S+ process running (\d+) files at a time", text)
    if pool:
        return f"1(pool {pool.group(1)})"
    found = re.search(r"(\d+) shard\(s\):", text) or re.search(r"shard \d+/(\d+):", text)
    return found.group(1) if found else "-"

rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1]) if l.strip()]
by = collections.defaultdict(dict)  # (suite, round) -> variant -> (secs, rc, load)
for suite, rnd, variant, secs, rc, load in rows:
    by[(suite, rnd)][variant] = (float(secs), rc, load)
suites = sorted({s for s, _ in by}, key=lambda s: [r[0] for r in rows].index(s))
print(f"{'suite':<18} {'variant':<34} {'median s':>8} {'/ serial':>9} {'/ best':>7} {'rounds':>6} {'exit':>5} shards")
for suite in suites:
    rounds = [v for (s, _), v in sorted(by.items()) if s == suite]
    loads = [float(r[v][2]) for r in rounds for v in r if r[v][2] != "?"]
    for variant, title in [("serial", "serial runner"), ("parallel", "runner's parallelism (2)"),
                           ("first", "pitcrew test, no history"), ("history", "pitcrew test, with history"),
                           ("first-base", "baseline, no history"), ("history-base", "baseline, with history")]:
        got = [r for r in rounds if variant in r and "serial" in r and "parallel" in r]
        if not got:
            continue
        secs = statistics.median(r[variant][0] for r in got)
        vs_serial = statistics.median(r[variant][0] / r["serial"][0] for r in got)
        vs_best = statistics.median(r[variant][0] / min(r["serial"][0], r["parallel"][0]) for r in got)
        codes = ",".join(sorted({r[variant][1] for r in got}))
        chosen = ""
        if variant.startswith(("first", "history")):
            counts = collections.Counter(shards(suite, rnd, variant) for (s, rnd) in by if s == suite)
            chosen = " ".join(f"{n}x{c}" for n, c in sorted(counts.items()))
        print(f"{suite:<18} {title:<34} {secs:>8.1f} {vs_serial:>8.2f}x {vs_best:>6.2f}x {len(got):>6} {codes:>5} {chosen}")
    if loads:
        print(f"{'':<18} load average (1 min) before each variant: median {statistics.median(loads):.1f}, "
              f"{min(loads):.1f}-{max(loads):.1f}")
print("ratios: median over rounds of the ratio within each round; best = faster of serial and parallel")
EOF
