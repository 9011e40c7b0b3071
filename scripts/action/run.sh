#!/usr/bin/env bash
# Runs one pitcrew command for the GitHub Action, built from its inputs.
#
# Inputs arrive as environment variables (never `${{ }}` inside a script):
#   PITCREW_COMMAND       test | split | run | report | plan | triage | classify,
#                         or empty: `args` is then the whole command line
#   PITCREW_ARGS          extra arguments, split on whitespace (no globbing)
#   PITCREW_SHARDS        split, test: number of shards, or `auto`
#   PITCREW_SHARD         run: this job's shard, `K/N`
#   PITCREW_TEST_COMMAND  test, split, run: the test command, split on whitespace;
#                         triage: the command that verifies fixes (`args: --fix`)
#   PITCREW_TIMINGS       split: timing history globs
#   PITCREW_RESULTS       report, triage: result file globs
#   PITCREW_PLAN          split: where the shard plan goes; run, report: the
#                         shard plan to read; plan: where the launch plan goes
#   PITCREW_CONFIG_FILE   a pitcrew.toml
#   PITCREW_MODEL         triage: the model every root cause goes to (--model)
#   PITCREW_MODEL_ENDPOINT  triage: where models are asked: `github-models`
#                         (the job's token, `permissions: models: read`),
#                         `ollama`, or an OpenAI-compatible base URL such as
#                         http://127.0.0.1:11434/v1 (its token, if it needs
#                         one, from PITCREW_MODEL_TOKEN). Not an input: set
#                         it as the step's `env`. Empty: pitcrew.toml, else
#                         Ollama.
#   PITCREW_BUDGET_USD    test, report: the monthly Actions budget;
#                         triage: the most the run's model calls may cost
#   PITCREW_BIN           the binary (from install.sh)
#
# Writes `exit-code` (and for split `matrix` and `plan`, for plan `plan`) to
# $GITHUB_OUTPUT; test, report and triage write their counts there
# themselves (triage: `failed`, `summary`, `report-path` = the triage JSON,
# pitcrew-triage.json, which `report --triage` reads), and their Markdown to
# $GITHUB_STEP_SUMMARY.
# Exits with pitcrew's own exit code. Written for bash 3.2 too (macOS's
# /bin/bash): no namerefs, no `set -u` (it rejects empty arrays there).
set -eo pipefail

die() {
  echo "::error title=pitcrew::$*" >&2
  exit 2
}

# Inputs become whitespace-separated words with globbing off: never code.
set -f
read -r -a extra <<<"${PITCREW_ARGS:-}"
read -r -a test_command <<<"${PITCREW_TEST_COMMAND:-}"
read -r -a timings <<<"${PITCREW_TIMINGS:-}"
read -r -a patterns <<<"${PITCREW_RESULTS:-pitcrew-shard-*.json}"
set +f

bin="${PITCREW_BIN:-pitcrew}"
command="${PITCREW_COMMAND:-}"
plan="${PITCREW_PLAN:-}"

argv=()
if [ -n "${PITCREW_CONFIG_FILE:-}" ]; then argv+=(--config "$PITCREW_CONFIG_FILE"); fi

# The publishing inputs of `test` and `report`: the PR comment mode and the
# monthly budget (the token reaches pitcrew as GITHUB_TOKEN).
publishing() {
  if [ -n "${PITCREW_COMMENT:-}" ]; then argv+=(--comment "$PITCREW_COMMENT"); fi
  if [ -n "${PITCREW_BUDGET_USD:-}" ]; then argv+=(--budget-usd "$PITCREW_BUDGET_USD"); fi
}

# The inputs of `triage`: the JSON document goes to a file (for the report
# job and artifacts), its Markdown to the step summary.
triage_inputs() {
  argv+=(--format json -o pitcrew-triage.json)
  if [ -n "${PITCREW_MODEL:-}" ]; then argv+=(--model "$PITCREW_MODEL"); fi
  case "${PITCREW_MODEL_ENDPOINT:-}" in
    "") ;;
    http://* | https://*) argv+=(--model-url "$PITCREW_MODEL_ENDPOINT") ;;
    github-models | ollama) argv+=(--model-endpoint "$PITCREW_MODEL_ENDPOINT") ;;
    *) die "PITCREW_MODEL_ENDPOINT: not github-models, ollama or an http(s) URL" ;;
  esac
  if [ -n "${PITCREW_BUDGET_USD:-}" ]; then argv+=(--max-cost-usd "$PITCREW_BUDGET_USD"); fi
}

needs_test_command() {
  [ "${#test_command[@]}" -gt 0 ] || die "input 'test-command' is required for command '$command'"
}

case "$command" in
  "")
    [ "${#extra[@]}" -gt 0 ] || die "input 'command' (or 'args') is required"
    argv+=("${extra[@]}")
    ;;
  test)
    needs_test_command
    argv+=(test)
    if [ -n "${PITCREW_SHARDS:-}" ]; then argv+=(--shards "$PITCREW_SHARDS"); fi
    publishing
    argv+=("${extra[@]}" -- "${test_command[@]}")
    ;;
  split)
    plan="${plan:-pitcrew-plan.json}"
    argv+=(split --shards "${PITCREW_SHARDS:-auto}" --format matrix -o "$plan")
    if [ "${#timings[@]}" -gt 0 ]; then argv+=(--timings "${timings[@]}"); fi
    argv+=("${extra[@]}")
    if [ "${#test_command[@]}" -gt 0 ]; then argv+=(-- "${test_command[@]}"); fi
    ;;
  run)
    needs_test_command
    [ -n "${PITCREW_SHARD:-}" ] || die "input 'shard' (K/N) is required for command 'run'"
    argv+=(run --shard "$PITCREW_SHARD" --plan "${plan:-pitcrew-plan.json}" "${extra[@]}" -- "${test_command[@]}")
    ;;
  report | triage)
    argv+=("$command")
    if [ "$command" = report ] && [ -n "$plan" ]; then argv+=(--plan "$plan"); fi
    if [ "$command" = report ]; then publishing; fi
    if [ "$command" = triage ]; then triage_inputs; fi
    argv+=("${extra[@]}")
    # Result globs are expanded here, by bash, and only these.
    shopt -s nullglob
    shopt -s globstar 2>/dev/null || true # bash 4+; `**` is `*` before that
    results=()
    for pattern in "${patterns[@]}"; do
      # shellcheck disable=SC2206 # the expansion is the point
      matched=($pattern)
      results+=("${matched[@]}")
    done
    shopt -u nullglob
    [ "${#results[@]}" -gt 0 ] || die "input 'results': no file matches '${PITCREW_RESULTS:-pitcrew-shard-*.json}'"
    argv+=("${results[@]}")
    # triage --fix verifies candidate fixes with the test command.
    if [ "$command" = triage ] && [ "${#test_command[@]}" -gt 0 ]; then
      argv+=(-- "${test_command[@]}")
    fi
    ;;
  plan)
    plan="${plan:-pitcrew-plan.json}"
    argv+=(plan -o "$plan" "${extra[@]}")
    ;;
  classify)
    argv+=(classify "${extra[@]}")
    ;;
  *)
    die "input 'command': '$command' is not one of test, split, run, report, plan, triage, classify"
    ;;
esac

out="${GITHUB_OUTPUT:-/dev/null}"
set +e
if [ "$command" = split ]; then
  matrix_file="$(mktemp)"
  "$bin" "${argv[@]}" >"$matrix_file"
  code=$?
  # The matrix is one line of JSON, so a plain key=value line carries it.
  if [ "$code" -eq 0 ]; then
    {
      echo "matrix=$(tr -d '\n' <"$matrix_file")"
      echo "plan=$plan"
    } >>"$out"
  fi
  cat "$matrix_file"
  rm -f "$matrix_file"
else
  "$bin" "${argv[@]}"
  code=$?
  if [ "$command" = plan ] && [ -f "$plan" ]; then echo "plan=$plan" >>"$out"; fi
fi
set -e
echo "exit-code=$code" >>"$out"
exit "$code"
