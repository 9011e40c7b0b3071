#!/usr/bin/env bash
# Creates (once) the Python virtual environment the comparison scripts use
# and prints its python. Packages come from PyPI through pip; nothing else
# is fetched.
#   PITCREW_BENCH_VENV  where it lives [default: ~/.cache/pitcrew-bench-venv]
set -euo pipefail

venv="${PITCREW_BENCH_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/pitcrew-bench-venv}"
# Pinned, so the figures can be reproduced; junitparser without lxml uses
# the standard library's ElementTree, with it lxml (both are measured).
packages=(junitparser==5.0.3 pytest-split==0.11.0 lxml)

if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv" >&2
fi
if ! "$venv/bin/python" -c 'import junitparser, pytest_split, lxml' 2>/dev/null; then
    "$venv/bin/pip" install --quiet "${packages[@]}" >&2
fi
echo "$venv/bin/python"
