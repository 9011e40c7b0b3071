#!/usr/bin/env python3
"""Runs every case of cases.py and writes the labelled corpus as JSON lines.

Each case writes a few files into a fresh temporary directory, runs a real
tool there, and must fail (a case that passes is a broken case: the generator
says so and exits 1). Its output becomes several records, the shapes a
failure reaches the classifier in:

- ``raw``: the console output as pasted into an issue (message only);
- ``gha``: the same inside a GitHub Actions log (timestamps, ``##[group]``,
  ``##[error]`` annotations, the exit-code line);
- ``junit``: one record per failed test case of the runner's JUnit or JSON
  report (test name, file, message, details), what ``pitcrew`` reads;
- ``npm6``: npm's output as npm 6-9 printed it (``npm ERR!``).

The split is fixed by a rule decided before any tuning: a case is held out
when the SHA-256 of its id, read as a number, is divisible by 5. All shapes of
one case share its split, so a held-out failure is never seen in another
shape.

A case may name the marker its output must contain (``expect``, a regular
expression written before the case is first run): a case whose tool fails
without it failed for another reason than the one its label says, and is
refused like a case that passes. A held-out case's output is never printed,
not even when the case is broken.
"""

import argparse
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

import cases as case_table

# Where a GitHub-hosted runner checks the repository out: temp paths become it.
WORKSPACE = "/home/runner/work/app/app"
# Where setup-python installs Python there: the tools' venv becomes it.
PYTHON_HOME = "/opt/hostedtoolcache/Python/3.11.9/x64"
# A Windows runner's checkout and Python, for a case run with `windows=True`
# (batch b14): the Linux run's absolute paths under the checkout and the
# Python install become these, with backslashes. Paths the tool printed
# relative stay as printed.
WIN_WORKSPACE = "D:\\a\\app\\app"
WIN_PYTHON_HOME = "C:\\hostedtoolcache\\windows\\Python\\3.11.9\\x64"
ANSI = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]")
# Where the tools are installed (set by main).
TOOLS = ""
# The most a pasted record keeps: people paste the end of a long log.
MAX_LINES = 150


def split_of(case_id):
    return "heldout" if int(hashlib.sha256(case_id.encode()).hexdigest(), 16) % 5 == 0 else "dev"


def normalise(text, tmp, case=None):
    """Plain text with the machine's paths replaced by a CI runner's: the
    checkout for the temp dir, the checkout's node_modules for the tools.
    A case with `ansi=True` keeps its colour codes (a raw log as GitHub
    Actions stores it); one with `windows=True` gets a Windows runner's
    paths."""
    case = case or {}
    if not case.get("ansi"):
        text = ANSI.sub("", text)
    text = text.replace("\r\n", "\n")
    tools_modules = os.path.join(TOOLS, "node_modules")
    for path in {tools_modules, os.path.realpath(tools_modules)}:
        text = text.replace(path, WORKSPACE + "/node_modules")
        text = text.replace(os.path.relpath(path, tmp), "node_modules")
    # venv-plugins and venv-b10 to venv-b13 first: venv is a prefix of them.
    for name in ("venv-plugins", "venv-b10", "venv-b11", "venv-b12", "venv-b13", "venv"):
        venv = os.path.join(TOOLS, name)
        for path in {venv, os.path.realpath(venv)}:
            text = text.replace(path, PYTHON_HOME)
            text = text.replace(os.path.relpath(path, tmp), PYTHON_HOME)
    for path in {tmp, os.path.realpath(tmp)}:
        text = text.replace(path, WORKSPACE)
    if case.get("windows"):
        for linux, win in ((WORKSPACE, WIN_WORKSPACE), (PYTHON_HOME, WIN_PYTHON_HOME)):
            text = re.sub(re.escape(linux) + r"((?:/[^\s/:'\"()\[\]`,]+)*)",
                          lambda m, win=win: win + m.group(1).replace("/", "\\"), text)
    lines = text.rstrip().split("\n")
    if len(lines) > MAX_LINES:
        lines = lines[-MAX_LINES:]
    return "\n".join(lines)


def gha(text, command, code, seed):
    """The output as a GitHub Actions step log: timestamped, with the step
    header, the first error line annotated and the exit-code line."""
    minute, out = int(seed[:2], 16) % 50, []

    def stamp(i):
        return f"2026-11-30T14:{minute + i // 600:02d}:{(i // 10) % 60:02d}.{(i * 7919) % 10**7:07d}Z "

    head = [f"##[group]Run {command}", command, "shell: /usr/bin/bash -e {0}", "##[endgroup]"]
    annotated = False
    body = []
    for line in text.split("\n"):
        if not annotated and re.search(r"\berror\b|Error:|FAIL|failed|panicked", line):
            body.append("##[error]" + line.strip())
            annotated = True
        body.append(line)
    tail = [f"##[error]Process completed with exit code {code}."]
    for i, line in enumerate(head + body + tail):
        out.append(stamp(i) + line)
    return "\n".join(out)


def junit_records(path, tmp, case=None):
    """One (test_name, file, message, details) per failed test case."""
    try:
        root = ET.parse(path).getroot()
    except (ET.ParseError, OSError):
        return []
    found = []
    for tc in root.iter("testcase"):
        for tag in ("failure", "error"):
            node = tc.find(tag)
            if node is None:
                continue
            cls, name = tc.get("classname", ""), tc.get("name", "")
            test_name = normalise(f"{cls} > {name}" if cls and cls != name else name, tmp, case)
            message = normalise(node.get("message", ""), tmp, case)
            details = normalise(node.text or "", tmp, case)
            # PHPUnit writes the absolute path: the checkout's, like the text.
            file = tc.get("file") and normalise(tc.get("file"), tmp, case)
            # A failure with no text (nextest's timeout: only `type="test
            # timeout"`, which pitcrew keeps apart) gives the classifier
            # nothing but a name: no record.
            if message or details:
                found.append((test_name, file, message, details))
            break
    return found


def jest_records(path, tmp, case=None):
    try:
        with open(path) as f:
            report = json.load(f)
    except (OSError, ValueError):
        return []
    found = []
    for suite in report.get("testResults", []):
        file = os.path.relpath(suite.get("name", ""), tmp) if suite.get("name") else None
        failed = [a for a in suite.get("assertionResults", []) if a.get("status") == "failed"]
        for a in failed:
            text = normalise("\n".join(a.get("failureMessages", [])), tmp, case)
            message, _, details = text.partition("\n")
            found.append((a.get("fullName", ""), file, message, details))
        if not failed and suite.get("message"):
            # A suite that failed to run (syntax, missing module).
            text = normalise(suite["message"], tmp, case)
            found.append((file or "", file, text, ""))
    return found


def run_case(case, tools):
    tmp = tempfile.mkdtemp(prefix="corpus-")
    try:
        for name, body in case["files"].items():
            path = os.path.join(tmp, name)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w") as f:
                f.write(body)
        if case.get("node_modules"):
            os.symlink(os.path.join(tools, "node_modules"), os.path.join(tmp, "node_modules"))
        env = dict(os.environ)
        env.update(CI="1", NO_COLOR="1", FORCE_COLOR="0", TERM="dumb", PYTHONDONTWRITEBYTECODE="1")
        env["PATH"] = os.pathsep.join(
            [os.path.join(tools, "node_modules", ".bin"), os.path.join(tools, "venv", "bin"), env["PATH"]]
        )
        env["CARGO_TARGET_DIR"] = os.path.join(tools, "cargo-target")
        env["GOFLAGS"] = "-mod=mod"
        env["GOPATH"] = os.path.join(tools, "gopath")
        env["GOCACHE"] = os.path.join(tools, "gocache")
        env["GOPROXY"] = "off"
        env["PLUGINS_VENV"] = os.path.join(tools, "venv-plugins")
        env["B10_VENV"] = os.path.join(tools, "venv-b10")
        env["B11_VENV"] = os.path.join(tools, "venv-b11")
        env["B12_VENV"] = os.path.join(tools, "venv-b12")
        env["B13_VENV"] = os.path.join(tools, "venv-b13")
        if case.get("ansi"):
            # Colour as a terminal, or GitHub Actions with FORCE_COLOR, gets it.
            del env["NO_COLOR"]
            env.update(FORCE_COLOR="1", TERM="xterm-256color")
        env.update(case.get("env", {}))
        try:
            proc = subprocess.run(
                ["bash", "-c", case["cmd"]], cwd=tmp, env=env, capture_output=True,
                text=True, errors="replace", timeout=case.get("timeout", 180),
            )
            output, code = proc.stdout + proc.stderr, proc.returncode
        except subprocess.TimeoutExpired as e:
            return None, f"timed out: {e}"
        # A held-out case's output is never shown, not even when it is broken.
        shown = output[-2000:] if split_of(case["id"]) == "dev" else "(held out: output not shown)"
        if code == 0:
            return None, "the tool succeeded: the case is broken\n" + shown
        # The marker written with the case before it was first run: the tool
        # must have failed for the intended reason.
        if case.get("expect") and not re.search(case["expect"], ANSI.sub("", output)):
            return None, f"exit {code} without the expected marker /{case['expect']}/\n" + shown
        text = normalise(output, tmp, case)
        structured = []
        report = case.get("report")
        if report:
            kind, name = report
            path = os.path.join(tmp, name)
            structured = junit_records(path, tmp, case) if kind == "junit" else jest_records(path, tmp, case)
            if not structured:
                return None, f"no failed test case in the {kind} report {name}\n" + shown
        return (text, code, structured), None
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def records_for(case, text, code, structured):
    cid = case["id"]
    expected = {k: case[k] for k in ("category", "specialty", "language")}
    base = {"case": cid, "split": split_of(cid), "tool": case["tool"], "expected": expected}
    seed = hashlib.sha256(cid.encode()).hexdigest()
    out = []

    def add(shape, message, test_name="", file=None, details=""):
        out.append({"id": f"{cid}#{shape}", "shape": shape, **base, "test_name": test_name,
                    "file": file, "message": message, "details": details})

    add("raw", text)
    add("gha", gha(text, case.get("shown_cmd", case["cmd"]), code, seed))
    if "npm error" in text:
        add("npm6", re.sub(r"^npm error", "npm ERR!", text, flags=re.M))
    for i, (test_name, file, message, details) in enumerate(structured[:2]):
        add("junit" if i == 0 else f"junit{i + 1}", message, test_name, file, details)
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tools", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--only", help="run only the cases whose id contains this")
    args = ap.parse_args()
    global TOOLS
    TOOLS = os.path.abspath(args.tools)
    selected = [c for c in case_table.CASES if not args.only or args.only in c["id"]]
    records, broken = [], []
    for case in selected:
        result, error = run_case(case, args.tools)
        if error:
            broken.append(case["id"])
            print(f"BROKEN {case['id']}: {error}", file=sys.stderr)
            continue
        recs = records_for(case, *result)
        records.extend(recs)
        print(f"ok {case['id']} ({len(recs)} records, {split_of(case['id'])})", file=sys.stderr)
    if args.only and os.path.exists(args.out):
        # Regenerate some cases: keep the others' records, in case order.
        with open(args.out) as f:
            kept = [json.loads(line) for line in f if line.strip()]
        fresh = {c["id"] for c in selected}
        records = [r for r in kept if r["case"] not in fresh] + records
        order = {c["id"]: i for i, c in enumerate(case_table.CASES)}
        records.sort(key=lambda r: order.get(r["case"], len(order)))
    with open(args.out, "w") as f:
        for r in records:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    dev = sum(r["split"] == "dev" for r in records)
    print(f"{len(records)} records ({dev} dev, {len(records) - dev} held out), "
          f"{len(broken)} broken cases", file=sys.stderr)
    sys.exit(1 if broken else 0)


if __name__ == "__main__":
    main()
