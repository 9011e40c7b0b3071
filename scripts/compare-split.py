#!/usr/bin/env python3
"""Shard balance: `pitcrew split` against the splitters people use today.

For each row, heavy-tailed log-normal file durations (fixed seeds) are written
as a JUnit timing report and a test list; `pitcrew split --test-list ...
--timings ... --shards N --format json` plans the shards, and on the same
durations (read back exactly as pitcrew reads them: the JUnit `time`
attributes, 3 decimals, summed per file) the script also runs:

  - pytest-split's `least_duration` and `duration_based_chunks` (its
    default), the real package, through `pytest_split.algorithms`;
  - jest's and vitest's default `--shard`: files sorted by the SHA-1 of their
    path, cut into slices of ceil(n / N) files (durations ignored);
  - round-robin by count over the path-sorted list.

Each cell is makespan / lower bound, where the lower bound is
max(total / N, longest file): 1.000 is optimal. Exits 1 if pitcrew's
makespan is worse than any baseline's on any row, or above 1.02 times the
bound; 2 on a usage or setup error.

Usage: scripts/compare-split.py [--pitcrew PATH] [--items 2000]
       [--shards 8,32,128] [--sigmas 0.5,1.0,1.5,2.0] [--seed 7]

The pytest-split and junitparser venv is made by scripts/bench-venv.sh; this
script re-runs itself under that venv's python when pytest_split is missing.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parent.parent
TOLERANCE = 1e-9  # relative; float sums taken in a different order


def ensure_pytest_split() -> None:
    try:
        import pytest_split.algorithms  # noqa: F401
    except ImportError:
        if os.environ.get("PITCREW_BENCH_REEXEC"):
            sys.exit("compare-split: pytest_split is not importable even in the bench venv")
        python = subprocess.run(
            ["bash", str(ROOT / "scripts" / "bench-venv.sh")],
            check=True,
            stdout=subprocess.PIPE,
            text=True,
        ).stdout.strip()
        os.environ["PITCREW_BENCH_REEXEC"] = "1"
        os.execv(python, [python, __file__, *sys.argv[1:]])


def default_pitcrew() -> str:
    target = os.environ.get("CARGO_TARGET_DIR") or str(ROOT / "target")
    return str(Path(target) / "release" / "pitcrew")


class Case(NamedTuple):
    file: str
    name: str
    time: str  # as written in the report


class PytestItem(NamedTuple):
    """What pytest-split reads from a pytest item: its `nodeid` (and its
    `str()`, for the name sort; a NamedTuple's repr sorts by nodeid)."""

    nodeid: str


def suite(seed: int, n: int, sigma: float) -> list[Case]:
    """`n` files, each with a log-normal total (median 2 s) spread over 1 to 8
    test cases, every time written with 3 decimals."""
    rng = random.Random(seed)
    cases = []
    for i in range(n):
        total = 2.0 * math.exp(sigma * rng.gauss(0.0, 1.0))
        parts = [rng.random() + 0.05 for _ in range(rng.randint(1, 8))]
        scale = total / sum(parts)
        file = f"tests/pkg_{i // 40:03d}/test_{i:05d}.py"
        for k, part in enumerate(parts):
            cases.append(Case(file, f"test_{k:02d}", f"{part * scale:.3f}"))
    return cases


def durations(cases: list[Case]) -> dict[str, float]:
    """Seconds per file, summed as pitcrew sums them: per test, in test-name
    order within a file (one attempt each)."""
    out: dict[str, float] = {}
    for case in sorted(cases, key=lambda c: (c.file, c.name)):
        out[case.file] = out.get(case.file, 0.0) + float(case.time)
    return out


def write_junit(path: Path, cases: list[Case]) -> None:
    with path.open("w", encoding="utf-8") as f:
        f.write('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites>\n')
        f.write(f'  <testsuite name="pytest" tests="{len(cases)}">\n')
        for c in cases:
            f.write(
                f'    <testcase classname="bench" name="{c.name}" file="{c.file}" time="{c.time}"/>\n'
            )
        f.write("  </testsuite>\n</testsuites>\n")


def makespan(groups: list[list[str]], seconds: dict[str, float]) -> float:
    return max((sum(seconds[f] for f in g) for g in groups), default=0.0)


def run_pitcrew(pitcrew: str, workdir: Path, shards: int) -> tuple[list[list[str]], dict]:
    proc = subprocess.run(
        [
            pitcrew,
            "-q",
            "split",
            "--test-list",
            "tests.txt",
            "--timings",
            "timings.xml",
            "--shards",
            str(shards),
            "--format",
            "json",
        ],
        cwd=workdir,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    if proc.returncode != 0:
        sys.exit(f"compare-split: pitcrew split exited {proc.returncode}: {proc.stderr.strip()}")
    plan = json.loads(proc.stdout)
    if plan.get("split_files"):
        sys.exit("compare-split: pitcrew split files into single tests; the baselines can't, so the rows would not compare like with like")
    return [s["items"] for s in plan["shards"]], plan


def run_pytest_split(algorithm: str, files: list[str], seconds: dict[str, float], shards: int) -> list[list[str]]:
    from pytest_split.algorithms import Algorithms

    items = [PytestItem(f) for f in files]
    groups = Algorithms[algorithm].value(shards, items, dict(seconds))
    return [[item.nodeid for item in g.selected] for g in groups]


def sha1_slices(files: list[str], shards: int) -> list[list[str]]:
    ordered = sorted(files, key=lambda f: hashlib.sha1(f.encode()).hexdigest())
    size = math.ceil(len(ordered) / shards)
    return [ordered[k * size : (k + 1) * size] for k in range(shards)]


def round_robin(files: list[str], shards: int) -> list[list[str]]:
    ordered = sorted(files)
    return [ordered[k::shards] for k in range(shards)]


def check_partition(name: str, groups: list[list[str]], files: list[str], shards: int) -> None:
    flat = [f for g in groups for f in g]
    if len(groups) != shards or sorted(flat) != sorted(files):
        sys.exit(f"compare-split: {name} did not return {shards} groups covering every file once")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pitcrew", default=default_pitcrew())
    parser.add_argument("--items", type=int, default=2000)
    parser.add_argument("--shards", default="8,32,128")
    parser.add_argument("--sigmas", default="0.5,1.0,1.5,2.0")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    shard_counts = [int(s) for s in args.shards.split(",")]
    sigmas = [float(s) for s in args.sigmas.split(",")]
    if not os.access(args.pitcrew, os.X_OK):
        print(
            f"compare-split: {args.pitcrew} is not an executable; build it with "
            "`cargo build --release` or pass --pitcrew",
            file=sys.stderr,
        )
        return 2
    ensure_pytest_split()
    from importlib.metadata import version

    baselines = [
        ("pytest-split least_duration", lambda f, s, n: run_pytest_split("least_duration", f, s, n)),
        ("pytest-split duration_based_chunks", lambda f, s, n: run_pytest_split("duration_based_chunks", f, s, n)),
        ("jest/vitest sha1 slices", lambda f, s, n: sha1_slices(f, n)),
        ("round-robin", lambda f, s, n: round_robin(f, n)),
    ]
    print(
        f"{args.items} files, log-normal durations (median 2 s), seed {args.seed}; "
        f"pytest-split {version('pytest-split')}"
    )
    print("cells: makespan / lower bound, lower bound = max(total / N, longest file)")
    print()
    header = ["sigma", "shards", "files/shard", "LB = longest", "pitcrew"] + [b[0] for b in baselines]
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    failures = []
    worst = 0.0
    pitcrew_seconds = 0.0
    with tempfile.TemporaryDirectory(prefix="pitcrew-compare-split-") as tmp:
        workdir = Path(tmp)
        for row, sigma in enumerate(sigmas):
            for shards in shard_counts:
                seed = args.seed * 1_000_003 + row * 1000 + shards
                cases = suite(seed, args.items, sigma)
                seconds = durations(cases)
                files = sorted(seconds)
                write_junit(workdir / "timings.xml", cases)
                (workdir / "tests.txt").write_text("\n".join(files) + "\n", encoding="utf-8")
                longest = max(seconds.values())
                bound = max(sum(seconds[f] for f in files) / shards, longest)

                start = time.perf_counter()
                groups, plan = run_pitcrew(args.pitcrew, workdir, shards)
                pitcrew_seconds += time.perf_counter() - start
                check_partition("pitcrew", groups, files, shards)
                ours = makespan(groups, seconds)
                if not math.isclose(ours, max(s["estimated_seconds"] for s in plan["shards"]), rel_tol=1e-9):
                    sys.exit("compare-split: pitcrew's estimated makespan differs from the report's durations")
                if not math.isclose(bound, plan["lower_bound_seconds"], rel_tol=1e-9):
                    sys.exit("compare-split: pitcrew's lower bound differs from max(total / N, longest)")
                ratio = ours / bound
                worst = max(worst, ratio)
                if ratio > 1.02:
                    failures.append(f"sigma {sigma}, {shards} shards: pitcrew at {ratio:.4f} of the bound (> 1.02)")
                cells = []
                for name, split in baselines:
                    g = split(files, seconds, shards)
                    check_partition(name, g, files, shards)
                    theirs = makespan(g, seconds)
                    if ours > theirs * (1 + TOLERANCE):
                        failures.append(
                            f"sigma {sigma}, {shards} shards: pitcrew {ours:.3f} s worse than {name} {theirs:.3f} s"
                        )
                    digits = 6 if "least_duration" in name else 3
                    cells.append(f"{theirs / bound:.{digits}f}")
                print(
                    f"| {sigma} | {shards} | {args.items / shards:.1f} | "
                    f"{'yes' if bound == longest else 'no'} | **{ratio:.6f}** | " + " | ".join(cells) + " |"
                )
    runs = len(sigmas) * len(shard_counts)
    print()
    print(f"pitcrew: worst {worst:.6f} of the lower bound; mean `pitcrew split` process time {pitcrew_seconds / runs * 1e3:.0f} ms")
    for failure in failures:
        print(f"FAIL: {failure}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
