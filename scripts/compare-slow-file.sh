#!/usr/bin/env bash
# Splitting a slow file into its tests, side by side in one run: the same
# pytest suite through `pitcrew test` with whole files (--whole-files) and
# with the slow file split, alternating, after one run that records the
# per-test history both use.
#
#   scripts/compare-slow-file.sh [ROUNDS]
#
# The suite: tests/test_slow.py with 12 tests of 0.5 s (6 s), and six
# files of two 0.5 s tests (1 s each): 12 s over 4 shards, so the ideal
# shard is 3 s and the slow file alone is twice that. Tests sleep, so the
# 2-core machine is not the limit; each shard starts one pytest per group.
# Prints, per mode, the predicted makespan (the plan's slowest shard), the
# measured wall time of `pitcrew test` (median of ROUNDS, default 3) and
# the ratio. Needs python3 with pytest; builds pitcrew in release mode.
set -euo pipefail
rounds="${1:-3}"
cd "$(dirname "$0")/.."
cargo build --release --quiet
pitcrew="${CARGO_TARGET_DIR:-target}/release/pitcrew"
pitcrew="$(realpath "$pitcrew")"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/tests"
{
  echo "import time"
  for i in $(seq -w 1 12); do printf '\ndef test_slow_%s():\n    time.sleep(0.5)\n' "$i"; done
} > "$work/tests/test_slow.py"
for f in a b c d e f; do
  printf 'import time\n\ndef test_one():\n    time.sleep(0.5)\n\ndef test_two():\n    time.sleep(0.5)\n' > "$work/tests/test_$f.py"
done

run() { # mode-flag... → prints "predicted wall"
  local start end
  start=$(date +%s.%N)
  (cd "$work" && "$pitcrew" -q test --shards 4 --jobs 4 "$@" -- python3 -m pytest -q -p no:cacheprovider >/dev/null 2>&1) \
    || { echo "pitcrew test failed" >&2; exit 1; }
  end=$(date +%s.%N)
  python3 - "$work/.pitcrew/plan.json" "$start" "$end" <<'PY'
import json, sys
plan = json.load(open(sys.argv[1]))
makespan = max(s["estimated_seconds"] for s in plan["shards"])
print(f"{makespan:.2f} {float(sys.argv[3]) - float(sys.argv[2]):.2f}")
PY
}

run --whole-files >/dev/null # history
whole=() split=()
for _ in $(seq "$rounds"); do
  whole+=("$(run --whole-files)")
  split+=("$(run)")
done
python3 - "$rounds" "${whole[@]}" "${split[@]}" <<'PY'
import statistics, sys
n = int(sys.argv[1])
rows = [r.split() for r in sys.argv[2:]]
whole, split = rows[:n], rows[n:]
def summary(rows):
    return float(rows[0][0]), statistics.median(float(r[1]) for r in rows)
(wp, ww), (sp, sw) = summary(whole), summary(split)
print("| mode | predicted makespan | wall time of `pitcrew test` (median of %d) |" % n)
print("|---|---:|---:|")
print(f"| whole files (`--whole-files`) | {wp:.2f} s | {ww:.2f} s |")
print(f"| slow file split | {sp:.2f} s | {sw:.2f} s |")
print(f"| ratio whole / split | {wp / sp:.2f}x | {ww / sw:.2f}x |")
PY
