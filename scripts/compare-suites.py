#!/usr/bin/env python3
"""Compares real suites run directly and through pitcrew, test by test.

Reads the directory scripts/real-suites.sh filled (one folder per suite) and
prints one table; standard library only.

Usage: compare-suites.py [--mode compare|bench] [--shards N] DIR SUITE...

Test identity, normalised the same way on both sides:

  pytest  `classname::name` from the xunit `<testcase>` (classname is the
          node id's module path and classes, dotted; name the function with
          its parameters). The direct run writes JUnit with the same
          `junit_family=xunit1` pitcrew asks for, so both sides derive it from
          one pytest code path; `file` is ignored (xunit1 gives the file where
          a method is defined, not the test's).
  jest,   the same `FILE > DESCRIBE > ... > NAME`; the direct side from the
  vitest  runner's own JSON report (`ancestorTitles` and `title`).
  node    `FILE > DESCRIBE > ... > NAME`, FILE relative to the suite root. The
          direct side comes from node's own reporter events (our reporter,
          real-suites/node-ids.mjs: the file and the enclosing describe blocks
          and parent tests); the pitcrew side is `key.file > key.classname >
          key.name`, with classname left out when it is node's placeholder
          `test` or empty, so a describe path kept in either the classname or
          the name (joined with " > ") matches.

Names are compared exactly (no whitespace or entity normalisation: a name
that JUnit mangled is a mismatch, as it would be to a user). Each side is a
multiset: two tests with one id are two tests. Tests left unmatched by id are
paired, where possible, by (file, last name) only: those count as "id
differs" (e.g. a describe path dropped), the rest as missing or extra.
Outcomes are passed, failed (pytest failure or error), skipped (pytest skip or
xfail, node skip or todo); pitcrew's "flaky" never matches, since the runs
use --retries 0 and the direct run ran each test once.

Exit codes must agree: the runner's nonzero is pitcrew's nonzero and the
other way round. Exits 1 on any mismatch, 2 on unreadable input.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import xml.etree.ElementTree as ET
from collections import Counter, defaultdict
from pathlib import Path
from typing import NamedTuple

EXAMPLES = 5  # per kind of mismatch, per row


class Test(NamedTuple):
    id: str
    loose: tuple[str, str]  # (file or "", last name): the fallback pairing
    outcome: str


def escape(text: str, limit: int = 160) -> str:
    """Test names are untrusted: no control characters reach the terminal."""
    out = []
    for ch in text:
        if ch == "\\":
            out.append("\\\\")
        elif ch.isprintable():
            out.append(ch)
        else:
            out.append(ch.encode("unicode_escape").decode("ascii"))
    joined = "".join(out)
    return joined if len(joined) <= limit else joined[: limit - 1] + "…"


def rel(path: str, root: str) -> str:
    if os.path.isabs(path):
        path = os.path.relpath(path, root)
    return path[2:] if path.startswith("./") else path


# ---- the direct side --------------------------------------------------------


def junit_outcome(case: ET.Element) -> str:
    if case.find("failure") is not None or case.find("error") is not None:
        return "failed"
    if case.find("skipped") is not None:
        return "skipped"
    return "passed"


def direct_pytest(path: Path) -> list[Test]:
    tests = []
    for case in ET.parse(path).getroot().iter("testcase"):
        classname = case.get("classname", "")
        name = case.get("name", "")
        tests.append(Test(f"{classname}::{name}", ("", name), junit_outcome(case)))
    return tests


def direct_nextest(path: Path) -> list[Test]:
    """nextest's JUnit: each case's classname is its test binary's id
    (`semver::test_version`), its name the test's path in the binary."""
    tests = []
    for case in ET.parse(path).getroot().iter("testcase"):
        binary, name = case.get("classname", ""), case.get("name", "")
        tests.append(Test(f"{binary} {name}", (binary, name), junit_outcome(case)))
    return tests


def direct_node(path: Path, root: str) -> list[Test]:
    tests = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            row = json.loads(line)
            file = rel(row["file"], root)
            name = row["name"]
            # A file node reports as a test of its own (it declares no tests,
            # or failed to load) is named by its absolute path; ids use
            # paths relative to the suite root, on both sides.
            if not row["path"] and name == row["file"]:
                name = file
            parts = [file, *row["path"], name]
            tests.append(Test(" > ".join(parts), (file, name), row["outcome"]))
    return tests


def node_summary_count(path: Path) -> int | None:
    """The `# tests N` of node's TAP summary (its last: a test's own output
    is written as `# …` lines too), or None without one."""
    count = None
    try:
        with open(path, encoding="utf-8") as f:
            for line in f:
                if line.startswith("# tests "):
                    count = int(line.split()[2])
    except (OSError, ValueError, IndexError):
        return None
    return count


def direct_json_report(path: Path, root: str) -> list[Test]:
    """Jest's `--json` report, or vitest's `--reporter=json` (the same
    shape): per test file its assertion results, each with the describe
    path (`ancestorTitles`), the title and a status."""
    with open(path, encoding="utf-8") as f:
        report = json.load(f)
    statuses = {"passed": "passed", "failed": "failed"}
    tests = []
    for result in report["testResults"]:
        file = rel(result["name"], root)
        for case in result["assertionResults"]:
            name = case["title"]
            parts = [file, *case.get("ancestorTitles", []), name]
            # skipped, pending, todo, disabled: not run
            outcome = statuses.get(case["status"], "skipped")
            tests.append(Test(" > ".join(parts), (file, name), outcome))
    return tests


# ---- the pitcrew side -------------------------------------------------------


def pitcrew_tests(path: Path, kind: str, root: str) -> list[Test]:
    with open(path, encoding="utf-8") as f:
        merged = json.load(f)
    tests = []
    for test in merged.get("tests", []):
        key = test["key"]
        classname = key.get("classname") or ""
        name = key.get("name") or ""
        outcome = test.get("outcome", "?")
        if kind == "python":
            tests.append(Test(f"{classname}::{name}", ("", name), outcome))
        elif kind == "rust":
            tests.append(Test(f"{classname} {name}", (classname, name), outcome))
        else:
            file = rel(key.get("file") or "", root)
            parts = [file] + ([classname] if classname not in ("", "test") else []) + [name]
            last = name.split(" > ")[-1]
            tests.append(Test(" > ".join(parts), (file, last), outcome))
    return tests


def problems_of(path: Path) -> list[str]:
    try:
        with open(path, encoding="utf-8") as f:
            merged = json.load(f)
    except (OSError, ValueError):
        return []
    return list(merged.get("problems", []))


# ---- the comparison ---------------------------------------------------------


class Diff(NamedTuple):
    missing: list[Test]
    extra: list[Test]
    id_differs: list[tuple[Test, Test]]
    outcome: list[tuple[Test, Test]]


def pair(direct: list[Test], via: list[Test], key) -> tuple[list, list[Test], list[Test]]:
    """Pairs tests with equal key(t), as multisets; same outcomes paired
    first so a duplicated id with mixed outcomes is not a false mismatch."""
    left: dict = defaultdict(list)
    right: dict = defaultdict(list)
    for t in direct:
        left[key(t)].append(t)
    for t in via:
        right[key(t)].append(t)
    pairs, rest_left, rest_right = [], [], []
    for k in left.keys() | right.keys():
        ls = sorted(left.get(k, []), key=lambda t: t.outcome)
        rs = sorted(right.get(k, []), key=lambda t: t.outcome)
        by_outcome = Counter(t.outcome for t in rs)
        same, ls_other = [], []
        for t in ls:
            if by_outcome[t.outcome] > 0:
                by_outcome[t.outcome] -= 1
                same.append(t)
            else:
                ls_other.append(t)
        rs_pool: dict = defaultdict(list)
        for t in rs:
            rs_pool[t.outcome].append(t)
        for t in same:
            pairs.append((t, rs_pool[t.outcome].pop()))
        rs_other = [t for ts in rs_pool.values() for t in ts]
        n = min(len(ls_other), len(rs_other))
        pairs.extend(zip(ls_other[:n], rs_other[:n]))
        rest_left.extend(ls_other[n:])
        rest_right.extend(rs_other[n:])
    return pairs, rest_left, rest_right


def compare(direct: list[Test], via: list[Test]) -> Diff:
    strict, left, right = pair(direct, via, lambda t: t.id)
    loose, missing, extra = pair(left, right, lambda t: t.loose)
    outcome = [(d, v) for d, v in strict + loose if d.outcome != v.outcome]
    return Diff(missing, extra, loose, outcome)


def read_text(path: Path, default: str = "?") -> str:
    try:
        return path.read_text().strip()
    except OSError:
        return default


def secs(path: Path) -> float | None:
    try:
        return float(path.read_text())
    except (OSError, ValueError):
        return None


def fmt_secs(value: float | None) -> str:
    return "?" if value is None else f"{value:.1f}"


def ratio(a: float | None, b: float | None) -> str:
    return "?" if a is None or not b else f"{a / b:.2f}x"


def compare_mode(out: Path, suites: list[str], shards: int) -> int:
    header = (
        f"{'suite':<28} {'run':<17} {'tests':>6} {'missing':>7} {'extra':>6} "
        f"{'id diff':>7} {'outcome':>7} {'exit':>5} {'agree':>5} {'wall s':>7} {'ratio':>6}"
    )
    rows, notes = [header, "-" * len(header)], []
    bad = False
    for suite in suites:
        d = out / suite
        kind, root, version = (read_text(d / n) for n in ("kind", "root", "version"))
        label = f"{suite} {version}"
        try:
            if kind == "python":
                direct = direct_pytest(d / "direct.xml")
            elif kind in ("jest", "vitest"):
                direct = direct_json_report(d / "direct.json", root)
            elif kind == "rust":
                direct = direct_nextest(d / "direct.xml")
            else:
                direct = direct_node(d / "direct.jsonl", root)
        except (OSError, ValueError, KeyError, TypeError, ET.ParseError) as e:
            print(f"compare-suites: {suite}: no reference from the direct run: {e}", file=sys.stderr)
            print(f"  (see {d / 'direct.log'})", file=sys.stderr)
            return 2
        direct_rc = read_text(d / "direct.rc")
        if kind == "node":
            # Our reporter counts what node's own summary does (`# tests N`).
            cases = node_summary_count(d / "direct.tap")
            if cases != len(direct):
                bad = True
                notes.append(
                    f"{suite}: the reference has {len(direct)} tests, node's own summary "
                    f"{cases}: the reference is not trustworthy"
                )
        # A test run's codes: 0, or a test failed (nextest: 100).
        ran = ("0", "100") if kind == "rust" else ("0", "1")
        if direct_rc not in ran:
            # pytest 2-5, node's crashes, nextest's build failure: the
            # reference itself is broken.
            bad = True
            notes.append(
                f"{suite}: the direct run exited {direct_rc} (not {' or '.join(ran)}): the "
                f"reference is not a test run; see {d / 'direct.log'}"
            )
        direct_secs = secs(d / "direct.secs")
        rows.append(
            f"{label:<28} {'direct':<17} {len(direct):>6} {'':>7} {'':>6} {'':>7} {'':>7} "
            f"{direct_rc:>5} {'':>5} {fmt_secs(direct_secs):>7} {'1.00x':>6}"
        )
        for mode, title in (
            ("test", f"test --shards {shards}"),
            ("auto", "test (its choice)"),
            ("flow", "split/run/report"),
        ):
            rc = read_text(d / f"{mode}.rc")
            wall = secs(d / f"{mode}.secs")
            agree = rc != "?" and direct_rc != "?" and (rc == "0") == (direct_rc == "0")
            try:
                via = pitcrew_tests(d / f"{mode}.json", kind, root)
            except (OSError, ValueError, KeyError, TypeError) as e:
                bad = True
                rows.append(
                    f"{'':<28} {title:<17} {'none':>6}  no results ({type(e).__name__}); "
                    f"exit {rc}, see {d / mode}*.log"
                )
                continue
            diff = compare(direct, via)
            counts = [len(diff.missing), len(diff.extra), len(diff.id_differs), len(diff.outcome)]
            if any(counts) or not agree:
                bad = True
            rows.append(
                f"{'':<28} {title:<17} {len(via):>6} {counts[0]:>7} {counts[1]:>6} {counts[2]:>7} "
                f"{counts[3]:>7} {rc:>5} {'yes' if agree else 'NO':>5} {fmt_secs(wall):>7} "
                f"{'serial' if mode == 'flow' else ratio(wall, direct_secs):>6}"
            )
            notes.extend(details(f"{suite} / {title}", diff, problems_of(d / f"{mode}.json")))
    print("\n".join(rows))
    if notes:
        print()
        print("\n".join(notes))
    print()
    print(
        "exit: the process's exit code (flow: report's); agree: runner nonzero <=> pitcrew "
        "nonzero; ratio: wall time / direct (flow runs its shards one after the other)"
    )
    print("RESULT:", "MISMATCH" if bad else "every test counted, same outcomes, same verdicts")
    return 1 if bad else 0


def details(title: str, diff: Diff, problems: list[str]) -> list[str]:
    lines = []

    def section(name: str, items: list[str], total: int) -> None:
        if total:
            lines.append(f"{title}: {name} ({total}):")
            lines.extend(f"    {escape(i)}" for i in items[:EXAMPLES])
            if total > EXAMPLES:
                lines.append(f"    … and {total - EXAMPLES} more")

    section("missing", [t.id for t in diff.missing], len(diff.missing))
    section("extra", [t.id for t in diff.extra], len(diff.extra))
    section(
        "id differs (direct  =>  pitcrew)",
        [f"{d.id}  =>  {v.id}" for d, v in diff.id_differs],
        len(diff.id_differs),
    )
    section(
        "outcome differs (direct => pitcrew)",
        [f"{d.id}: {d.outcome} => {v.outcome}" for d, v in diff.outcome],
        len(diff.outcome),
    )
    section("pitcrew's own problems", problems, len(problems))
    return lines


def bench_counts(d: Path, name: str) -> list[int]:
    """Tests each repetition of a variant counted: JUnit test cases for the
    plain runner, pitcrew's own results for pitcrew."""
    found = []
    for path in d.glob(f"{name}.*.xml"):
        try:
            found.append(sum(1 for _ in ET.parse(path).getroot().iter("testcase")))
        except ET.ParseError:
            pass
    for path in d.glob(f"{name}.*.json"):
        try:
            report = json.loads(path.read_text())
        except (OSError, ValueError):
            continue
        if "testResults" in report:  # jest's or vitest's own JSON report
            found.append(sum(len(r.get("assertionResults", [])) for r in report["testResults"]))
        else:
            found.append(len(report.get("tests", [])))
    return found


def bench_mode(out: Path, suites: list[str]) -> int:
    variants = [
        ("serial", "serial runner"),
        ("parallel", "runner's parallelism"),
        ("pitcrew", "pitcrew test"),
        ("pitcrew-history", "pitcrew test (history)"),
    ]
    header = (
        f"{'suite':<28} {'variant':<24} {'tests':>6} {'median s':>8} {'min-max s':>11} {'runs':>4} {'exit':>5} "
        f"{'/ serial':>8} {'/ best':>7}"
    )
    rows = [header, "-" * len(header)]
    for suite in suites:
        d = out / suite
        label = f"{suite} {read_text(d / 'version')}"
        medians, codes, runs, spread, counts = {}, {}, {}, {}, {}
        for name, _ in variants:
            times = sorted(d.glob(f"{name}.*.secs"))
            values = [v for v in (secs(p) for p in times) if v is not None]
            medians[name] = statistics.median(values) if values else None
            runs[name] = len(values)
            spread[name] = f"{min(values):.1f}-{max(values):.1f}" if values else "?"
            counts[name] = "/".join(sorted({str(n) for n in bench_counts(d, name)})) or "?"
            codes[name] = ",".join(
                sorted({read_text(p) for p in d.glob(f"{name}.*.rc")})
            ) or "?"
        plain = [medians[n] for n in ("serial", "parallel") if medians[n] is not None]
        best = min(plain) if plain else None
        for name, title in variants:
            rows.append(
                f"{label:<28} {title:<24} {counts[name]:>6} {fmt_secs(medians[name]):>8} "
                f"{spread[name]:>11} {runs[name]:>4} "
                f"{codes[name]:>5} {ratio(medians[name], medians['serial']):>8} "
                f"{ratio(medians[name], best):>7}"
            )
            label = ""
    print("\n".join(rows))
    print()
    print(
        "tests: counted per repetition (JUnit test cases; pitcrew's results), several values "
        "when they differ; median of the repetitions (order rotated each time); / best: "
        "against the faster of the serial runner and its own parallelism (target: <= 1.00x)"
    )
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mode", choices=["compare", "bench"], default="compare")
    parser.add_argument("--shards", type=int, default=2)
    parser.add_argument("dir", type=Path)
    parser.add_argument("suites", nargs="+")
    args = parser.parse_args()
    if args.mode == "bench":
        return bench_mode(args.dir, args.suites)
    return compare_mode(args.dir, args.suites, args.shards)


if __name__ == "__main__":
    sys.exit(main())
