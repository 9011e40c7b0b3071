#!/usr/bin/env python3
"""Tests of compare-suites.py on small hand-made runs (no runner, no network).

    python3 scripts/test_compare_suites.py
"""

from __future__ import annotations

import importlib.util
import io
import json
import tempfile
import unittest
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

_spec = importlib.util.spec_from_file_location(
    "compare_suites", Path(__file__).with_name("compare-suites.py")
)
assert _spec and _spec.loader
cs = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(cs)

ROOT = "/suite"


def node_line(file: str, path: list[str], name: str, outcome: str = "passed") -> str:
    return json.dumps({"file": f"{ROOT}/{file}", "path": path, "name": name, "outcome": outcome})


def pitcrew_test(file, classname, name, outcome="passed") -> dict:
    return {"key": {"file": file, "classname": classname, "name": name}, "outcome": outcome}


class Suite:
    """A suite folder as real-suites.sh leaves it."""

    def __init__(self, out: Path, name: str, kind: str):
        self.dir = out / name
        self.dir.mkdir(parents=True)
        for key, value in (("kind", kind), ("root", ROOT), ("version", "1.0")):
            (self.dir / key).write_text(value + "\n")

    def direct(self, reference: str, rc: int = 0, node_count: int | None = None) -> None:
        if reference.lstrip().startswith("{"):
            (self.dir / "direct.jsonl").write_text(reference)
            # node's own TAP summary, written alongside: the same count.
            cases = reference.count("\n") + 1 if node_count is None else node_count
            (self.dir / "direct.tap").write_text(f"TAP version 13\n1..1\n# tests {cases}\n# suites 0\n")
        else:
            (self.dir / "direct.xml").write_text(reference)
        (self.dir / "direct.rc").write_text(f"{rc}\n")
        (self.dir / "direct.secs").write_text("2.0\n")

    def via(self, mode: str, tests: list[dict], rc: int = 0, problems=()) -> None:
        merged = {"tests": tests, "problems": list(problems)}
        (self.dir / f"{mode}.json").write_text(json.dumps(merged))
        (self.dir / f"{mode}.rc").write_text(f"{rc}\n")
        (self.dir / f"{mode}.secs").write_text("3.0\n")


def run_compare(out: Path, *suites: str) -> tuple[int, str]:
    stdout, stderr = io.StringIO(), io.StringIO()
    with redirect_stdout(stdout), redirect_stderr(stderr):
        code = cs.compare_mode(out, list(suites), 2)
    return code, stdout.getvalue() + stderr.getvalue()


NODE_REFERENCE = "\n".join(
    [
        node_line("test/a.test.js", ["GET"], "returns 200"),
        node_line("test/a.test.js", ["POST"], "returns 200", "failed"),
        node_line("test/a.test.js", [], "loop"),
        node_line("test/a.test.js", [], "loop"),
    ]
)
NODE_EXACT = [
    pitcrew_test("test/a.test.js", "GET", "returns 200"),
    pitcrew_test("./test/a.test.js", "test", "POST > returns 200", "failed"),
    pitcrew_test("test/a.test.js", "test", "loop"),
    pitcrew_test("test/a.test.js", "test", "loop"),
]


class CompareTests(unittest.TestCase):
    def setUp(self) -> None:
        self._tmp = tempfile.TemporaryDirectory()
        self.out = Path(self._tmp.name)

    def tearDown(self) -> None:
        self._tmp.cleanup()

    def node_suite(self, via: list[dict], rc: int = 1, direct_rc: int = 1) -> tuple[int, str]:
        suite = Suite(self.out, "s", "node")
        suite.direct(NODE_REFERENCE, direct_rc)
        suite.via("test", via, rc)
        suite.via("flow", NODE_EXACT, 1)
        suite.via("auto", NODE_EXACT, 1)
        return run_compare(self.out, "s")

    def test_exact_results_pass_whichever_field_holds_the_describe_path(self):
        code, text = self.node_suite(NODE_EXACT)
        self.assertEqual(code, 0, text)
        self.assertIn("every test counted", text)

    def test_folded_describe_blocks_are_an_id_difference_and_a_lost_test(self):
        # Today's node adapter: classname "test", no describe path, and the
        # two `returns 200` folded into one "flaky" test.
        folded = [
            pitcrew_test("test/a.test.js", "test", "returns 200", "flaky"),
            pitcrew_test("test/a.test.js", "test", "loop"),
        ]
        code, text = self.node_suite(folded, rc=0)
        self.assertEqual(code, 1)
        row = next(line for line in text.splitlines() if "test --shards" in line)
        # tests, missing, extra, id diff, outcome, exit, agree
        self.assertEqual(row.split()[3:10], ["2", "2", "0", "1", "1", "0", "NO"], row)

    def test_an_invented_test_is_extra(self):
        code, text = self.node_suite(NODE_EXACT + [pitcrew_test("test/b.test.js", "test", "new")])
        self.assertEqual(code, 1)
        self.assertIn("extra (1)", text)
        self.assertIn("test/b.test.js > new", text)

    def test_exit_codes_must_agree_both_ways(self):
        code, text = self.node_suite(NODE_EXACT, rc=0, direct_rc=1)
        self.assertEqual(code, 1)
        self.assertIn(" NO ", text)
        passing = [dict(t, outcome="passed") for t in NODE_EXACT]
        (self.out / "s").rename(self.out / "old")
        suite = Suite(self.out, "s", "node")
        suite.direct(NODE_REFERENCE.replace('"failed"', '"passed"'), 0)
        suite.via("test", passing, 1)
        suite.via("flow", passing, 0)
        suite.via("auto", passing, 0)
        code, text = run_compare(self.out, "s")
        self.assertEqual(code, 1)

    def test_pytest_ids_are_classname_and_name_and_file_is_ignored(self):
        suite = Suite(self.out, "p", "python")
        suite.direct(
            '<testsuites><testsuite name="pytest">'
            '<testcase classname="tests.test_a.TestX" name="test_1[a]" file="tests/mixins.py"/>'
            '<testcase classname="tests.test_a.TestX" name="test_2"><skipped/></testcase>'
            '<testcase classname="tests.test_b" name="test_3"><error message="boom"/></testcase>'
            "</testsuite></testsuites>",
            rc=1,
        )
        good = [
            pitcrew_test("tests/test_a.py", "tests.test_a.TestX", "test_1[a]"),
            pitcrew_test(None, "tests.test_a.TestX", "test_2", "skipped"),
            pitcrew_test("tests/test_b.py", "tests.test_b", "test_3", "failed"),
        ]
        suite.via("test", good, 1)
        suite.via("flow", good[:2], 1)
        suite.via("auto", good[:2], 1)
        code, text = run_compare(self.out, "p")
        self.assertEqual(code, 1)
        rows = [line for line in text.splitlines() if "test --shards" in line or "split/run" in line]
        self.assertEqual(rows[0].split()[3:8], ["3", "0", "0", "0", "0"], rows[0])
        self.assertEqual(rows[1].split()[1:6], ["2", "1", "0", "0", "0"], rows[1])
        self.assertIn("tests.test_b::test_3", text)

    def test_a_broken_reference_fails_the_run(self):
        suite = Suite(self.out, "p", "python")
        suite.direct('<testsuite><testcase classname="c" name="n"/></testsuite>', rc=3)
        suite.via("test", [pitcrew_test("f", "c", "n")], 3)
        suite.via("flow", [pitcrew_test("f", "c", "n")], 3)
        suite.via("auto", [pitcrew_test("f", "c", "n")], 3)
        code, text = run_compare(self.out, "p")
        self.assertEqual(code, 1)
        self.assertIn("reference is not a test run", text)

    def test_a_node_reference_that_disagrees_with_nodes_summary_fails_the_run(self):
        suite = Suite(self.out, "s", "node")
        suite.direct(NODE_REFERENCE, 1, node_count=5)
        suite.via("test", NODE_EXACT, 1)
        suite.via("flow", NODE_EXACT, 1)
        suite.via("auto", NODE_EXACT, 1)
        code, text = run_compare(self.out, "s")
        self.assertEqual(code, 1)
        self.assertIn("node's own summary 5", text)

    def test_missing_results_are_a_mismatch_not_a_crash(self):
        suite = Suite(self.out, "s", "node")
        suite.direct(NODE_REFERENCE, 1)
        suite.via("test", NODE_EXACT, 1)
        suite.via("auto", NODE_EXACT, 1)
        (self.out / "s" / "flow.rc").write_text("2\n")
        code, text = run_compare(self.out, "s")
        self.assertEqual(code, 1)
        self.assertIn("no results", text)

    def test_pitcrews_own_choice_is_compared_too(self):
        suite = Suite(self.out, "s", "node")
        suite.direct(NODE_REFERENCE, 1)
        suite.via("test", NODE_EXACT, 1)
        suite.via("flow", NODE_EXACT, 1)
        suite.via("auto", NODE_EXACT[:3], 1)
        code, text = run_compare(self.out, "s")
        self.assertEqual(code, 1)
        row = next(line for line in text.splitlines() if "its choice" in line)
        self.assertEqual(row.split()[3:5], ["3", "1"], row)

    def test_jest_and_vitest_references_are_their_own_json_reports(self):
        report = {
            "testResults": [
                {
                    "name": f"{ROOT}/src/a.test.ts",
                    "assertionResults": [
                        {"ancestorTitles": ["outer", "inner"], "title": "same", "status": "passed"},
                        {"ancestorTitles": [], "title": "same", "status": "failed"},
                        {"ancestorTitles": ["outer"], "title": "later", "status": "todo"},
                    ],
                }
            ]
        }
        exact = [
            pitcrew_test("src/a.test.ts", "outer > inner", "same"),
            pitcrew_test("src/a.test.ts", "", "same", "failed"),
            pitcrew_test("src/a.test.ts", "outer", "later", "skipped"),
        ]
        for kind in ("jest", "vitest"):
            suite = Suite(self.out / kind, "j", kind)
            (suite.dir / "direct.json").write_text(json.dumps(report))
            (suite.dir / "direct.rc").write_text("1\n")
            (suite.dir / "direct.secs").write_text("2.0\n")
            suite.via("test", exact, 1)
            suite.via("auto", exact, 1)
            # The describe path dropped: an id difference, not a match.
            suite.via("flow", [pitcrew_test("src/a.test.ts", "", "same")] + exact[1:], 1)
            code, text = run_compare(self.out / kind, "j")
            self.assertEqual(code, 1, text)
            rows = [line for line in text.splitlines() if "test --shards" in line or "split/run" in line]
            self.assertEqual(rows[0].split()[3:8], ["3", "0", "0", "0", "0"], rows[0])
            self.assertEqual(rows[1].split()[1:6], ["3", "0", "0", "1", "0"], rows[1])

    def test_names_are_escaped_before_they_are_printed(self):
        code, text = self.node_suite(
            NODE_EXACT + [pitcrew_test("test/a.test.js", "test", "evil\x1b[2J\nname")]
        )
        self.assertEqual(code, 1)
        self.assertNotIn("\x1b", text)
        self.assertIn("evil\\x1b[2J\\nname", text)


if __name__ == "__main__":
    unittest.main()
