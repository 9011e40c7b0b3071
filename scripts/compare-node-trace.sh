#!/usr/bin/env bash
# What pitcrew's trace module (src/suite/runners/node_trace.cjs) costs a
# `node --test` run, side by side in one run: the same suite with and
# without `--require` of the module, alternating, ROUNDS times each.
#
#   scripts/compare-node-trace.sh DIR [ROUNDS]
#
# DIR is a project whose tests `node --test` finds by itself (for example
# fast-json-stringify from `npm pack`, with `npm install` run in it).
# Prints each run's wall time, the medians and their ratio (trace / plain).
# Needs node >= 20.6 and python3.
set -euo pipefail
dir="$(realpath "$1")"
rounds="${2:-5}"
runners="$(realpath "$(dirname "$0")/../src/suite/runners")"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# Under the names pitcrew writes them with: the trace loads the tree
# from beside it.
module="$work/pitcrew-node-trace.cjs"
cp "$runners/node_trace.cjs" "$module"
cp "$runners/node_tree.cjs" "$work/pitcrew-node-tree.cjs"
cd "$dir"
run() {
  local start end
  start=$(date +%s.%N)
  "$@" --test --test-reporter=dot >/dev/null 2>&1 || true
  end=$(date +%s.%N)
  python3 -c "print(f'{$end - $start:.3f}')"
}
plain=()
trace=()
for _ in $(seq 1 "$rounds"); do
  plain+=("$(run node)")
  rm -f "$work/trace.jsonl"
  trace+=("$(PITCREW_NODE_TRACE="$work/trace.jsonl" run node --require "$module")")
done
echo "plain: ${plain[*]}"
echo "trace: ${trace[*]} ($(wc -l < "$work/trace.jsonl") records in the last)"
python3 - "${plain[*]}" "${trace[*]}" <<'PY'
import statistics, sys
plain = statistics.median(map(float, sys.argv[1].split()))
trace = statistics.median(map(float, sys.argv[2].split()))
print(f"median plain {plain:.2f} s, trace {trace:.2f} s, ratio {trace / plain:.3f}")
PY
