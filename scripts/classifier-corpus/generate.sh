#!/usr/bin/env bash
# Regenerates tests/corpus/classifier/corpus.jsonl by running real tools on
# small broken inputs (see cases.py). Installs the tools it needs, pinned, into
# a cache directory from the package registries only (npm, PyPI; crates.io for
# the insta cases); go, javac, cargo, node, ruby (with ruby-rspec and
# ruby-minitest) and perl come from the machine (apt: golang-go,
# default-jdk-headless, ruby, ruby-rspec, ruby-minitest; for b10 chromium,
# bats and elixir; for b12 junit5, maven and openssl).
# Re-runnable: the same cases give the same records, up to durations and pids.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
tools="${CORPUS_TOOLS:-${XDG_CACHE_HOME:-$HOME/.cache}/pitcrew-classifier-corpus-tools}"
mkdir -p "$tools"
if [ ! -x "$tools/node_modules/.bin/vitest" ]; then
  (cd "$tools" && [ -f package.json ] || (cd "$tools" && npm init -y >/dev/null))
  (cd "$tools" && npm install --no-audit --no-fund \
    typescript@5 jest@30.5.2 vitest@4.1.12 eslint@9 @eslint/js@9 \
    react@18 react-dom@18 @testing-library/react@16 @testing-library/dom@10 jsdom@26)
fi
if [ ! -x "$tools/node_modules/.bin/mocha" ]; then
  (cd "$tools" && npm install --no-audit --no-fund mocha@12.0.3 pnpm@9.15.9 yarn@1.22.22)
fi
if [ ! -x "$tools/venv/bin/ruff" ]; then
  python3 -m venv "$tools/venv"
  "$tools/venv/bin/pip" install -q pytest pytest-timeout syrupy==7.0.2 ruff flake8 mypy
fi
if [ ! -x "$tools/node_modules/.bin/tsx" ]; then
  # For the b9 cases: ts-jest inside jest, esbuild and tsx transforms, React's
  # and jest's types for tsc.
  (cd "$tools" && npm install --no-audit --no-fund ts-jest@29.4.15 tsx@4.23.15 esbuild@0.28.2 \
    @types/react@18.3.32 @types/jest@30.0.0)
fi
if [ ! -x "$tools/venv-plugins/bin/pytest" ]; then
  # pytest with plugins, for the b6 cases only: installed beside the other
  # pytest so that its plugins do not change the other cases' output.
  python3 -m venv "$tools/venv-plugins"
  "$tools/venv-plugins/bin/pip" install -q pytest==9.2.0 hypothesis==6.170.17 pytest-asyncio==1.5.0
fi
if [ ! -x "$tools/node_modules/.bin/playwright" ]; then
  # For the b10 cases: Playwright Test (run with the machine's chromium, apt
  # `chromium`; no browser download), prettier, webpack.
  (cd "$tools" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm install --no-audit --no-fund \
    @playwright/test@1.65.1 prettier@3.10.1 webpack@5.113.0 webpack-cli@6.0.1)
fi
if [ ! -x "$tools/venv-b10/bin/uv" ]; then
  # The b10 Python tools, in a venv of their own so that pytest-cov does not
  # change the other pytest cases.
  python3 -m venv "$tools/venv-b10"
  "$tools/venv-b10/bin/pip" install -q django==5.2.19 black==26.10.1 isort==9.0.2 coverage==7.17.5 \
    pytest==9.2.0 pytest-cov==7.1.0 tox==4.67.15 nox==2026.10.20 uv==0.13.9
fi
if [ ! -x "$tools/node_modules/.bin/pyright" ]; then
  # For the b11 cases: pyright on Python, stylelint, ava.
  (cd "$tools" && npm install --no-audit --no-fund pyright@1.1.414 stylelint@17.16.0 \
    stylelint-config-standard@40.0.0 ava@7.0.0)
fi
if [ ! -x "$tools/venv-b11/bin/pylint" ]; then
  # The b11 Python tools, in a venv of their own so that pytest-xdist and
  # pylint do not change the other cases. cargo-nextest (0.9.143 here) comes
  # from the machine (`cargo install cargo-nextest --locked`).
  python3 -m venv "$tools/venv-b11"
  "$tools/venv-b11/bin/pip" install -q pytest==9.2.0 pylint==4.1.4 pytest-xdist==3.8.0 \
    hypothesis==6.170.17 pytest-timeout==2.4.0
fi
if [ ! -x "$tools/venv-b12/bin/pytest" ]; then
  # The b12 Python tools, in a venv of their own so that pytest-timeout does
  # not change the other cases. JUnit 5's console launcher comes from the
  # machine (apt: junit5), docker's client, openssl and mvn too.
  python3 -m venv "$tools/venv-b12"
  "$tools/venv-b12/bin/pip" install -q pytest==9.2.0 pytest-timeout==2.4.0
fi
if [ ! -x "$tools/node_modules/.bin/vue-tsc" ]; then
  # For the b13 cases: ts-node, ts-loader under webpack, vue-tsc (with vue).
  (cd "$tools" && npm install --no-audit --no-fund ts-node@10.9.2 ts-loader@9.6.2 vue-tsc@3.3.14 vue@3.5.45 @types/node@20.19.43)
fi
if [ ! -x "$tools/venv-b13/bin/pytest" ]; then
  # The b13 Python tools: syrupy and pytest-snapshot both define a
  # `snapshot` fixture, so each b13 case turns the other one off (`-p no:`).
  python3 -m venv "$tools/venv-b13"
  "$tools/venv-b13/bin/pip" install -q pytest==9.2.0 syrupy==7.0.2 pytest-snapshot==0.9.0
fi
if [ ! -x "$tools/node_modules/.bin/tsup" ]; then
  # For the b14 cases: tsup (its esbuild step and its declaration build). The
  # b14 Python cases use b13's venv.
  (cd "$tools" && npm install --no-audit --no-fund tsup@8.5.0)
fi
exec python3 "$here/generate.py" --tools "$tools" --out "$repo/tests/corpus/classifier/corpus.jsonl" "$@"
