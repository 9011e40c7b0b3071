"""Runs the built plugin on test/input.json with `pitcrew plugin run` and
checks the answer against test/expected.json (every field named there must
match; others may be anything). `python3 test_plugin.py` or `pytest`."""

import json
import os
import subprocess
from pathlib import Path

HERE = Path(__file__).parent


def contains(actual, expected):
    if isinstance(expected, dict):
        return isinstance(actual, dict) and all(
            k in actual and contains(actual[k], v) for k, v in expected.items())
    if isinstance(expected, list):
        return isinstance(actual, list) and len(actual) == len(expected) and all(
            contains(a, e) for a, e in zip(actual, expected))
    return actual == expected


def test_plugin():
    pitcrew = os.environ.get("PITCREW", "pitcrew")
    out = subprocess.run(
        [pitcrew, "plugin", "run", str(HERE / "{{wasm}}"), "--input", str(HERE / "test/input.json")],
        capture_output=True, text=True, check=False)
    assert out.returncode == 0, out.stdout + out.stderr
    answer = json.loads(out.stdout)["answer"]
    expected = json.loads((HERE / "test/expected.json").read_text())
    assert contains(answer, expected), f"answer {answer} does not match {expected}"


if __name__ == "__main__":
    test_plugin()
    print("ok")
