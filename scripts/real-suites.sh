#!/usr/bin/env bash
# Real suites that nobody here wrote, run directly and through pitcrew, and
# compared test by test (scripts/compare-suites.py does the comparing).
#
#   scripts/real-suites.sh [--pitcrew PATH] [--suites a,b | --quick]
#                          [--shards N] [--split-args 'ARGS'] [--bench [--reps R]]
#                          [--out DIR]
#
# Each suite is a pinned release from its registry (PyPI sdist, npm
# tarball or crates.io crate, all ship their tests), prepared once under the cache
# ($PITCREW_REAL_SUITES_CACHE, default ~/.cache/pitcrew-real-suites): a venv
# per Python suite with pinned test dependencies, `npm install` of pinned
# dependencies for a node suite. Then, per suite, in its prepared tree:
#
#   direct   the runner alone, writing the reference: JUnit for pytest
#            (ids = xunit classname::name), a JSON-lines reporter of ours for
#            node (scripts/real-suites/node-ids.mjs: file, describe path,
#            name), since node's junit reporter names no file and no
#            describe path;
#   test     pitcrew test --shards N --retries 0 -- CMD   (pitcrew-results.json)
#   auto     pitcrew test --retries 0 -- CMD: pitcrew's own choice of shards
#            (for node, one process running files with node's own pool)
#   flow     pitcrew split --runner R --shards N [ARGS], then pitcrew run for
#            each shard one after the other, then pitcrew report --plan
#            --format json. --split-args adds words to split, e.g. the
#            README's own --tests 'tests/**/*.py' (default: none, so
#            pitcrew's own discovery).
#
# and the comparer prints one table: tests counted on each side, missing,
# extra, ids that differ, outcome mismatches, exit codes (the runner's
# nonzero must be pitcrew's nonzero and the other way round), wall times.
# Exits 1 on any mismatch, 2 on a usage or setup error.
#
# --bench instead times, side by side in one run (order rotated per
# repetition, median of R): the serial runner, the runner's own parallelism
# (pytest-xdist -n 2, node --test --test-concurrency=2) and pitcrew test
# (first run with no history, then a second one with the history the first
# left), and prints ratios against the faster of serial and parallel.
#
# --pitcrew defaults to $CARGO_TARGET_DIR/debug/pitcrew; when several
# worktrees share that target dir, copy the binary you built and pass the
# copy. Direct dependencies are pinned; what they pull in is resolved when a
# suite is prepared and recorded in its tree's .versions file.
#
# Network: only PyPI (pip), npm (npm) and crates.io (curl, cargo), at
# pinned versions.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
cache=${PITCREW_REAL_SUITES_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pitcrew-real-suites}
all_suites=more-itertools,python-dateutil,jinja2,attrs,packaging,toolz,cachetools,find-my-way,fast-json-stringify,process-warning,zod,jest-mock-extended,semver
quick_suites=python-dateutil,find-my-way,semver

# Test tooling, the same in every Python venv.
pytest_pins=(pytest==8.3.5 pytest-xdist==3.6.1)

usage() {
    sed -n '5,7p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 2
}

pitcrew=""
suites=$all_suites
shards=2
bench=0
reps=1
out=""
split_args=()
while [ $# -gt 0 ]; do
    case $1 in
    --pitcrew) pitcrew=${2:?--pitcrew needs a path}; shift 2 ;;
    --suites) suites=${2:?--suites needs a list}; shift 2 ;;
    --quick) suites=$quick_suites; shift ;;
    --shards) shards=${2:?--shards needs a number}; shift 2 ;;
    --split-args) read -r -a split_args <<<"${2?--split-args needs words}"; shift 2 ;;
    --bench) bench=1; shift ;;
    --reps) reps=${2:?--reps needs a number}; shift 2 ;;
    --out) out=${2:?--out needs a directory}; shift 2 ;;
    -h | --help) usage ;;
    *) echo "real-suites: unknown argument: $1" >&2; usage ;;
    esac
done
for number in "$shards" "$reps"; do
    case $number in '' | *[!0-9]* | 0) echo "real-suites: --shards and --reps take a positive integer" >&2; exit 2 ;; esac
done

if [ -z "$pitcrew" ]; then
    pitcrew=${CARGO_TARGET_DIR:-$root/target}/debug/pitcrew
fi
if [ ! -x "$pitcrew" ]; then
    echo "real-suites: --pitcrew: $pitcrew is not an executable (cargo build first)" >&2
    exit 2
fi
pitcrew=$(cd "$(dirname "$pitcrew")" && pwd)/$(basename "$pitcrew")
for tool in python3 node npm; do
    command -v "$tool" >/dev/null || {
        echo "real-suites: $tool is not on PATH" >&2
        exit 2
    }
done

if [ -z "$out" ]; then
    out=$(mktemp -d /tmp/pitcrew-real-suites.XXXXXX)
fi
mkdir -p "$out" "$cache/downloads"
out=$(cd "$out" && pwd)
log() { printf '%s\n' "real-suites: $*" >&2; }

# ---- the suites: kind, version, download, preparation ---------------------

# suite_info NAME: sets kind, version, and for Python the test pins.
suite_info() {
    test_pins=()
    npm_deps=()
    npm_self=0
    case $1 in
    more-itertools)
        kind=python version=10.7.0 dist=more_itertools ;;
    python-dateutil)
        kind=python version=2.9.0.post0 dist=python-dateutil
        # pytest-cov: its conftest marks tests `no_cover`, unknown without it.
        test_pins=(freezegun==1.5.1 hypothesis==6.131.9 six==1.17.0 pytest-cov==6.1.1) ;;
    jinja2)
        kind=python version=3.1.6 dist=jinja2
        # trio: tests/test_async*.py import it at module level.
        test_pins=(MarkupSafe==3.0.2 trio==0.30.0) ;;
    attrs)
        kind=python version=25.3.0 dist=attrs
        test_pins=(hypothesis==6.131.9 cloudpickle==3.1.1 Pympler==1.1) ;;
    packaging)
        # tests/ at the root; 26948 parametrized ids, thousands holding
        # quotes, braces and spaces, some escaped control characters and
        # non-ASCII (pytest writes \t, \xe1); skips by platform (none on
        # Linux). The sdist ships a stale tests/.pytest_cache. Of
        # tests/requirements.txt only pretend is imported (coverage and
        # pip are not).
        kind=python version=25.0 dist=packaging
        test_pins=(pretend==1.0.9) ;;
    toolz)
        # Tests inside the package (toolz/tests, no __init__.py), doctests
        # driven from a test module, no test dependencies.
        kind=python version=1.0.0 dist=toolz ;;
    cachetools)
        # unittest.TestCase classes sharing mixins: one test method defined
        # once, collected under many classes (xunit1 names the class);
        # test_fifo.py and test_lru.py both name their class LRUCacheTest.
        kind=python version=5.5.2 dist=cachetools ;;
    find-my-way)
        # What its tests require (runtime dependencies plus the two
        # devDependencies the tests load); linters, tsd and borp left out.
        kind=node version=9.3.0
        npm_deps=(fast-deep-equal@3.1.3 fast-querystring@1.1.2 safe-regex2@5.0.0
            proxyquire@2.1.3 rfdc@1.4.1) ;;
    fast-json-stringify)
        # Its standalone-mode tests load the package by its own name (its
        # devDependencies list itself as "."): a link does the same.
        kind=node version=6.0.1 npm_self=1
        npm_deps=(@fastify/merge-json-schemas@0.2.1 ajv@8.17.1 ajv-formats@3.0.1
            fast-uri@3.0.6 json-schema-ref-resolver@2.0.1 rfdc@1.4.1
            @sinclair/typebox@0.34.33 is-my-json-valid@2.20.6 webpack@5.99.9) ;;
    process-warning)
        # `node --test` with no file arguments, as its own script runs it:
        # node's default patterns also pick test/jest.test.js (declares no
        # node test: reported as a test of its own) and test/promise.js (a
        # helper, likewise). No dependencies.
        kind=node version=5.0.0 ;;
    zod)
        # Vitest: 196 TypeScript test files, no config (vitest's defaults).
        # The runner is installed into the tree; the tests import zod by its
        # own name (the package's exports resolve it), and four files need
        # a test dependency of their own.
        kind=vitest version=4.6.7
        npm_deps=(vitest@4.1.12 esbuild@0.28.2 ts-morph@28.0.0 recheck@4.5.0
            @web-std/file@3.0.3 @seriousme/openapi-schema-validator@2.11.0) ;;
    jest-mock-extended)
        # Jest: the compiled specs in lib/ (the tarball's .spec.js), jest's
        # default testMatch, no config; a short suite of two files.
        kind=jest version=4.0.1
        npm_deps=(jest@30.5.2 @jest/globals@30.5.2 lodash.isequal@4.5.0) ;;
    semver)
        # cargo nextest: five test binaries (the library's unit tests and
        # tests/*.rs), no dependency; the crate as crates.io serves it.
        kind=rust version=1.0.26 ;;
    *)
        echo "real-suites: --suites: unknown suite \`$1\` (known: $all_suites)" >&2
        exit 2 ;;
    esac
}

# prepare NAME: the suite's tree, ready to test (once; a marker file says so).
prepare() {
    local name=$1 tree="$cache/$1-$version"
    # The marker holds what was installed: other pins, a fresh tree.
    local recipe="${pytest_pins[*]} ${test_pins[*]} ${npm_deps[*]} self=$npm_self"
    if [ -f "$tree/.prepared" ] && [ "$(cat "$tree/.prepared")" = "$recipe" ]; then
        printf '%s\n' "$tree"
        return
    fi
    rm -rf "$tree"
    mkdir -p "$tree"
    if [ "$kind" = python ]; then
        log "$name $version: pip download (sdist) and a venv"
        python3 -m pip download --quiet --no-deps --no-binary :all: -d "$cache/downloads" "$dist==$version" >&2
        local sdist
        local sdist="" candidate
        for candidate in "$cache/downloads"/*-"$version".tar.gz; do
            case ${candidate##*/} in
            "$dist-$version.tar.gz" | "${dist//-/_}-$version.tar.gz") sdist=$candidate ;;
            esac
        done
        [ -n "$sdist" ] || { log "$name: no sdist for $version in $cache/downloads"; exit 2; }
        tar xzf "$sdist" -C "$tree" --strip-components=1
        python3 -m venv "$tree/.venv" >&2
        "$tree/.venv/bin/pip" install --quiet "${pytest_pins[@]}" "${test_pins[@]}" >&2
        "$tree/.venv/bin/pip" install --quiet --no-deps "$tree" >&2
        "$tree/.venv/bin/pip" freeze >"$tree/.versions"
    elif [ "$kind" = rust ]; then
        log "$name $version: the crate from crates.io"
        local crate="$cache/downloads/$name-$version.crate"
        [ -f "$crate" ] || curl -sSfL -o "$crate" "https://static.crates.io/crates/$name/$name-$version.crate"
        tar xzf "$crate" -C "$tree" --strip-components=1
        # The direct run's JUnit (under target/nextest/reference/); pitcrew
        # uses a profile of its own.
        mkdir -p "$tree/.config"
        printf '[profile.reference.junit]\npath = "junit.xml"\n' >"$tree/.config/nextest.toml"
        (cd "$tree" && CARGO_TARGET_DIR="$tree/target" cargo fetch --locked --quiet >&2)
        { cargo --version; cargo nextest --version | head -n 1; } >"$tree/.versions"
    else
        log "$name $version: npm pack and npm install"
        (cd "$cache/downloads" && npm pack --silent "$name@$version" >/dev/null)
        tar xzf "$cache/downloads/$name-$version.tgz" -C "$tree" --strip-components=1
        # Only what the tests load, at pinned versions: the package's own
        # dependency lists are replaced so npm installs nothing else.
        python3 - "$tree/package.json" <<'EOF'
import json, sys
path = sys.argv[1]
with open(path) as f:
    package = json.load(f)
for key in ("dependencies", "devDependencies", "optionalDependencies", "peerDependencies"):
    package.pop(key, None)
package.pop("scripts", None)
with open(path, "w") as f:
    json.dump(package, f, indent=2)
EOF
        (cd "$tree" && npm install --silent --no-save --no-package-lock --ignore-scripts \
            --no-audit --no-fund "${npm_deps[@]}" >&2)
        if [ "$npm_self" = 1 ]; then
            ln -s .. "$tree/node_modules/$name"
        fi
        (cd "$tree" && npm ls --depth=0 >"$tree/.versions" 2>&1 || true)
    fi
    printf '%s\n' "$kind" >"$tree/.kind"
    printf '%s\n' "$recipe" >"$tree/.prepared"
    printf '%s\n' "$tree"
}

# ---- commands per kind ----------------------------------------------------

# Sets runner, the base command (the one pitcrew gets), the direct command
# that also writes the reference into $1, and for --bench the serial and
# parallel commands.
commands() {
    local ref=$1
    case $kind in
    python)
        runner=pytest
        base=(pytest -p no:cacheprovider -q)
        direct=("${base[@]}" "--junitxml=$ref/direct.xml" -o junit_family=xunit1)
        serial=("${base[@]}")
        parallel=("${base[@]}" -n 2) ;;
    node)
        runner=node
        base=(node --test)
        direct=(node --test
            --test-reporter=tap "--test-reporter-destination=$ref/direct.tap"
            "--test-reporter=$here/real-suites/node-ids.mjs" "--test-reporter-destination=$ref/direct.jsonl")
        serial=(node --test --test-concurrency=1)
        parallel=(node --test --test-concurrency=2) ;;
    vitest)
        # The reference is vitest's own JSON report (file, describe path,
        # title, status per test).
        runner=vitest
        base=(node_modules/.bin/vitest run)
        direct=("${base[@]}" --reporter=json "--outputFile=$ref/direct.json")
        serial=("${base[@]}" --no-file-parallelism)
        parallel=("${base[@]}" --maxWorkers=2) ;;
    rust)
        # nextest writes JUnit only under its target dir: the direct run
        # copies it to the reference.
        runner=nextest
        base=(cargo nextest run)
        direct=(bash -c 'cargo nextest run --no-fail-fast --profile reference; rc=$?
            cp target/nextest/reference/junit.xml "$0" && exit $rc' "$ref/direct.xml")
        serial=("${base[@]}" -j 1)
        parallel=("${base[@]}" -j 2) ;;
    jest)
        runner=jest
        base=(node_modules/.bin/jest)
        direct=("${base[@]}" --json "--outputFile=$ref/direct.json")
        serial=("${base[@]}" --runInBand)
        parallel=("${base[@]}" --maxWorkers=2) ;;
    esac
}

# junit_args FILE: sets `junit` to the words that make the runner also
# write JUnit to FILE (node: its default spec output kept on stdout), or for
# jest and vitest their JSON report beside it.
junit_args() {
    case $kind in
    python) junit=("--junitxml=$1") ;;
    node)
        junit=(--test-reporter=spec --test-reporter-destination=stdout
            --test-reporter=junit "--test-reporter-destination=$1") ;;
    # The runner's JSON report instead (FILE with .json for .xml).
    vitest) junit=(--reporter=default --reporter=json "--outputFile.json=${1%.xml}.json") ;;
    jest) junit=(--json "--outputFile=${1%.xml}.json") ;;
    # nextest writes JUnit only under its target dir: no count in the bench.
    rust) junit=() ;;
    esac
}

# Leaves nothing of an earlier pitcrew run in the tree.
clean() {
    rm -rf "$1/.pitcrew" "$1/pitcrew-results.json" "$1/pitcrew-report.md" "$1"/pitcrew-shard-*.json
}

now() { date +%s.%N; }

# timed DIR NAME CMD...: runs CMD in DIR, stdout+stderr to $dest/NAME.log,
# exit code to NAME.rc, wall seconds to NAME.secs.
timed() {
    local dir=$1 name=$2 start end rc=0
    shift 2
    start=$(now)
    (cd "$dir" && "$@") >"$dest/$name.log" 2>&1 || rc=$?
    end=$(now)
    echo "$rc" >"$dest/$name.rc"
    python3 -c "print(f'{$end - $start:.3f}')" >"$dest/$name.secs"
    return 0
}

run_compare() {
    local name=$1 tree=$2
    dest=$out/$name
    rm -rf "$dest"
    mkdir -p "$dest/flow"
    commands "$dest"
    printf '%s\n' "$kind" >"$dest/kind"
    printf '%s\n' "$tree" >"$dest/root"
    printf '%s\n' "$version" >"$dest/version"

    log "$name: direct: ${direct[*]}"
    clean "$tree"
    timed "$tree" direct "${direct[@]}"

    log "$name: pitcrew test --shards $shards --retries 0 -- ${base[*]}"
    clean "$tree"
    timed "$tree" test "$pitcrew" test --shards "$shards" --retries 0 -- "${base[@]}"
    cp "$tree/pitcrew-results.json" "$dest/test.json" 2>/dev/null || true

    # As a user runs it: pitcrew chooses (node: one process, node's own pool).
    log "$name: pitcrew test --retries 0 -- ${base[*]}"
    clean "$tree"
    timed "$tree" auto "$pitcrew" test --retries 0 -- "${base[@]}"
    cp "$tree/pitcrew-results.json" "$dest/auto.json" 2>/dev/null || true

    log "$name: pitcrew split --runner $runner --shards $shards ${split_args[*]}, run x$shards, report"
    clean "$tree"
    local start end rc=0 k
    start=$(now)
    (cd "$tree" && "$pitcrew" split --runner "$runner" --shards "$shards" "${split_args[@]}" \
        -o "$dest/flow/plan.json") \
        >"$dest/flow/split.log" 2>&1 || rc=$?
    echo "$rc" >"$dest/flow/split.rc"
    if [ "$rc" = 0 ]; then
        for k in $(seq 1 "$shards"); do
            rc=0
            (cd "$tree" && "$pitcrew" run --shard "$k/$shards" --plan "$dest/flow/plan.json" \
                --retries 0 -o "$dest/flow/shard-$k.json" -- "${base[@]}") \
                >"$dest/flow/run-$k.log" 2>&1 || rc=$?
            echo "$rc" >"$dest/flow/run-$k.rc"
        done
        rc=0
        (cd "$tree" && "$pitcrew" report --plan "$dest/flow/plan.json" --format json --no-classify \
            "$dest"/flow/shard-*.json) >"$dest/flow.json" 2>"$dest/flow/report.log" || rc=$?
    fi
    end=$(now)
    echo "$rc" >"$dest/flow.rc"
    python3 -c "print(f'{$end - $start:.3f}')" >"$dest/flow.secs"
    clean "$tree"
}

run_bench() {
    local name=$1 tree=$2 rep variant
    dest=$out/$name
    rm -rf "$dest"
    mkdir -p "$dest"
    commands "$dest"
    printf '%s\n' "$kind" >"$dest/kind"
    printf '%s\n' "$version" >"$dest/version"
    local variants=(serial parallel pitcrew)
    for rep in $(seq 1 "$reps"); do
        for variant in "${variants[@]}"; do
            log "$name: bench rep $rep: $variant"
            case $variant in
            serial | parallel)
                # JUnit too, so the table shows how many tests each variant
                # ran: a faster run that ran fewer tests is no win.
                local cmd=("${serial[@]}")
                [ "$variant" = parallel ] && cmd=("${parallel[@]}")
                junit_args "$dest/$variant.$rep.xml"
                clean "$tree"
                timed "$tree" "$variant.$rep" "${cmd[@]}" "${junit[@]}" ;;
            pitcrew)
                # jobs = shards = cores, pitcrew's own default, fresh history;
                # then again with the history the first run recorded.
                clean "$tree"
                timed "$tree" "pitcrew.$rep" "$pitcrew" test --retries 0 -- "${base[@]}"
                cp "$tree/pitcrew-results.json" "$dest/pitcrew.$rep.json" 2>/dev/null || true
                timed "$tree" "pitcrew-history.$rep" "$pitcrew" test --retries 0 -- "${base[@]}"
                cp "$tree/pitcrew-results.json" "$dest/pitcrew-history.$rep.json" 2>/dev/null || true
                clean "$tree" ;;
            esac
        done
        # Rotate the order so no variant always runs first (cold caches).
        variants=("${variants[@]:1}" "${variants[0]}")
    done
}

IFS=, read -r -a chosen <<<"$suites"
[ ${#chosen[@]} -gt 0 ] || usage
for name in "${chosen[@]}"; do
    suite_info "$name"
done
log "pitcrew: $pitcrew ($("$pitcrew" --version 2>/dev/null || echo '?')); results in $out"
for name in "${chosen[@]}"; do
    suite_info "$name"
    tree=$(prepare "$name")
    export PATH="$tree/.venv/bin:$PATH"
    # A crate builds into its own tree, not into a CARGO_TARGET_DIR set for
    # pitcrew's own build (the direct run reads its JUnit there).
    saved_target=${CARGO_TARGET_DIR-}
    export CARGO_TARGET_DIR="$tree/target"
    if [ "$bench" = 1 ]; then
        run_bench "$name" "$tree"
    else
        run_compare "$name" "$tree"
    fi
    if [ -n "$saved_target" ]; then export CARGO_TARGET_DIR=$saved_target; else unset CARGO_TARGET_DIR; fi
    export PATH=${PATH#"$tree/.venv/bin:"}
done

mode=compare
[ "$bench" = 1 ] && mode=bench
exec python3 "$here/compare-suites.py" --mode "$mode" --shards "$shards" "$out" "${chosen[@]}"
