"""pitcrew's pytest reporter: one JSON object per line, written to the file
named by PITCREW_EVENTS as the tests run (the format of pitcrew's
`runners/events.rs`).

Why not pytest's JUnit: with xunit1 a testcase's `file` is where the test
method is *defined* (a base class in tests/mixins.py), not the module it was
collected from; xunit2 drops `file` altogether; and a JUnit file is written
only at exit, so a timeout loses every result and `-x`/`--maxfail` leaves no
trace of the tests that never ran. Here every test is named by its node id
(the collected module's path, its classes, its name), every collected test
is listed as `planned`, and each result is written when the test finishes.

How long the test files ran: a last record `files` with `time`, the seconds
from the start of collection (where the test modules are imported) to the
end of the session. Collecting and running a file is that file's cost in
any shard; the rest of the process's wall time (the interpreter, pytest and
the plugins it loads at start, the exit) is what one more pytest process
costs, and pitcrew bounds the runner's start-up by it.

The session's own verdict: a `verdict` record when something other than a
test failed the session, a plugin counting a failure no test reported
(pytest-cov's `--cov-fail-under`) or a hook setting the exit status in
`pytest_sessionfinish`. pytest's exit status is 1 with or without it, so a
failed test (flaky, passing on its retry) would hide it otherwise.

A last record `written` with `count`, the records written before it: a
test that cut or rewrote this file took results with it (a failure among
them perhaps, which pytest's exit status alone cannot name), and pitcrew,
finding fewer, fails the shard.
"""

import json
import os
import time

import pytest

_MAX_DETAILS = 64 * 1024
_MAX_MESSAGE = 16 * 1024
# Under pitcrew's line limit (1 MiB), with room for names and reruns.
_MAX_LINE = 768 * 1024


class _Reporter:
    def __init__(self, path, start, rootdir):
        self.out = open(path, "a", encoding="utf-8")
        self.start = start
        self.rootdir = rootdir
        self.names = {}
        # The keys of the tests started and not finished, by node id: a
        # report is filed under its test's key, whatever location it says
        # (a plugin may point a report at a helper's file).
        self.running = {}
        self.phases = {}
        # pytest-rerunfailures runs a failed test again in the same session,
        # each run ending with logfinish: the failed runs ("rerun") are kept
        # here and go with the last run's case, as runs of one test.
        self.reruns = {}
        self.collecting = None
        # The modules whose own result (skipped, not collected) is written.
        self.modules = set()
        # Reports pytest counts in `session.testsfailed`, counted the same
        # way (failed, not an expected failure).
        self.failed_reports = 0
        # `--setup-only` and `--setup-plan` (perhaps in addopts or
        # PYTEST_ADDOPTS) run no test, only the set-up of its fixtures or
        # not even that; pytest says "no tests ran".
        self.runs_no_test = False
        # Records written: the last one says how many came before it, so
        # that pitcrew can tell a file a test cut or rewrote (results lost,
        # a failure among them perhaps) from a whole one.
        self.records = 0
        # The plan a pytest-xdist worker sent is written (once); the node
        # ids in it that name no file (files outside the rootdir) cannot
        # be planned by name, and are checked off as they start instead.
        self.planned_by_worker = False
        self.unplanned = set()

    def count(self, report):
        if report.failed and not hasattr(report, "wasxfail"):
            self.failed_reports += 1

    def write(self, record):
        line = json.dumps(record)
        # Escaped, a character can take 12 bytes: texts are cut further
        # until the line fits the reader's limit, so no record is lost; the
        # messages of a test's reruns too (pytest-rerunfailures: `--reruns
        # 11` with long messages went past it).
        texts = [record, *record.get("reruns", ())]
        while len(line) > _MAX_LINE and any(t.get(k) for t in texts for k in ("details", "message")):
            for text in texts:
                for key in ("details", "message"):
                    if text.get(key):
                        text[key] = text[key][: len(text[key]) // 2]
            line = json.dumps(record)
        self.out.write(line + "\n")
        self.out.flush()
        self.records += 1

    def identity(self, item):
        return self.identity_of(item.nodeid, item_path(item))

    def identity_of(self, nodeid, path):
        return identity(nodeid, path, self.start)

    def planned(self, items):
        for item in items:
            names = self.identity(item)
            self.names[_key(item.nodeid, item.location)] = names
            self.write(dict(event="planned", **names))

    def names_of(self, key):
        names = self.names.get(key)
        nodeid = key[0]
        if names is None and "::" in nodeid:
            # Not collected here (pytest-xdist collects in its workers):
            # the node id's path is relative to the rootdir, unless it has
            # none (files outside the rootdir, see `_key`), where pytest's
            # location is the file's.
            module = nodeid.partition("::")[0] or key[1] or ""
            path = os.path.join(self.rootdir, module)
            names = self.names[key] = self.identity_of(nodeid, path)
        return names

    def logstart(self, key):
        self.running.setdefault(key[0], []).append(key)
        self.unplanned.discard(key[0])
        names = self.names_of(key)
        if names:
            self.write(dict(event="start", **names))

    def logreport(self, report):
        # A report whose location names no test started under its node id
        # goes with the one started.
        key = _key(report.nodeid, getattr(report, "location", None))
        started = self.running.get(report.nodeid) or []
        if key not in started and started:
            key = started[0]
        self.phases.setdefault(key, []).append(report)
        # pytest-xdist's report of a worker that crashed under the test
        # (`when` "???") is the last of that run: xdist calls no logfinish
        # for it. Where pytest-rerunfailures runs the test again ("rerun"),
        # that run is over, one of the test's reruns, and the test's result
        # is its last run's, as pytest says; a crash not run again stays a
        # start with no end, the runner's death.
        if report.when == "???" and report.outcome == "rerun" and key in started:
            self.logfinish(key)

    def logfinish(self, key):
        started = self.running.get(key[0])
        if started and key in started:
            started.remove(key)
            if not started:
                del self.running[key[0]]
        names = self.names_of(key)
        reports = self.phases.pop(key, [])
        if not names:
            return
        self.write(dict(event="end", **names))
        if any(r.outcome == "rerun" for r in reports):
            message, _ = _why(next(r for r in reports if r.outcome == "rerun"))
            time = sum(getattr(r, "duration", 0.0) or 0.0 for r in reports)
            self.reruns.setdefault(key, []).append({"message": message, "time": time})
            return
        record = dict(event="case", **names)
        record.update(_outcome(reports))
        if self.runs_no_test and record["outcome"] == "passed":
            # Its set-up passed and its body never ran: no pass.
            record["outcome"] = "skipped"
            record["message"] = "not run: pytest ran no test (--setup-only, --setup-plan)"
        reruns = self.reruns.pop(key, None)
        if reruns:
            record["reruns"] = reruns
        self.write(record)


def item_path(item):
    """The file a collected item belongs to: its `pytest.File` collector's
    (the module, a doctest file, a plugin's own file). An item may point
    its own path at a data file (PyYAML's legacy tests set `fspath` to
    `data/x.canonical`), which pytest cannot select it by: it was planned
    under that file, and a flaky one was never retried (round 70)."""
    collector = item.getparent(pytest.File)
    return str((collector or item).path)


def identity(nodeid, path, start):
    """file (relative to `start`), describe path (module dotted plus
    classes) and name: how pitcrew names a test. The select plugin spells
    each item so to find the tests it is asked for."""
    try:
        relative = os.path.relpath(path, start)
    except ValueError:
        relative = path
    relative = relative.replace(os.sep, "/")
    # As pytest's JUnit does: parameters may contain "::". The file's
    # own path may contain "[" too (`tests/[v1]/test_x.py`).
    head, sep, rest = nodeid.partition("::")
    parts = [head]
    if sep:
        address, bracket, params = rest.partition("[")
        parts += address.split("::")
        parts[-1] += bracket + params
    module = relative[:-3] if relative.endswith(".py") else relative
    classes = [p for p in parts[1:-1] if p and p != "()"]
    classname = ".".join([module.replace("/", ".")] + classes)
    return {"file": relative, "path": [classname], "name": parts[-1]}


def _key(nodeid, location):
    """A test's key in this process: its node id and the file pytest
    locates it in. Given files outside its rootdir (`-c ../ci/pytest.ini`,
    `--rootdir=../ci`), pytest 9 names every test `::test_x` with no file,
    so two files' `test_one` share a node id; their locations differ (and
    pytest-xdist's workers may run both at once)."""
    return (nodeid, location[0] if location else None)


def _outcome(reports):
    time = sum(getattr(r, "duration", 0.0) or 0.0 for r in reports)
    outcome, deciding = "passed", None
    also = None
    for r in reports:
        xfail = hasattr(r, "wasxfail")
        if r.failed and r.when != "call":
            if outcome == "failed":
                # The test failed, then its teardown: the test's failure is
                # the news, the teardown's goes along in the details.
                also = r
                break
            outcome, deciding = "errored", r
            break
        if r.failed and outcome != "failed":
            # The first failure is the news: after a failed subtest (pytest
            # 9, pytest-subtests) pytest fails the test itself too, saying
            # only that it `contains 1 failed subtest`.
            outcome, deciding = "failed", r
        elif r.skipped and outcome == "passed" and not hasattr(r, "context"):
            # A subtest's skip (its report has a `context`) leaves the
            # test as it is: pytest says PASSED for a test that passed.
            outcome, deciding = "skipped", r
        elif xfail and r.passed and outcome == "passed":
            # xpass (not strict): pytest's JUnit calls it passed.
            pass
    record = {"outcome": outcome, "time": time}
    if deciding is not None:
        line = getattr(deciding, "location", None)
        if line and isinstance(line[1], int):
            record["line"] = line[1] + 1  # pytest counts from 0
        message, details = _why(deciding)
        if also is not None:
            _, more = _why(also)
            if more:
                details = (details or "") + "\n\nthen in teardown:\n" + more
        if message:
            record["message"] = message
        if details:
            record["details"] = details[:_MAX_DETAILS]
        if outcome in ("failed", "errored"):
            record["type"] = "setup" if deciding.when == "setup" else (
                "teardown" if deciding.when == "teardown" else "failure")
            if outcome == "errored" and getattr(deciding, "pitcrew_scope_end", False):
                record["type"] = "scope teardown"
    return record


def _why(report):
    longrepr = report.longrepr
    if report.skipped and isinstance(longrepr, tuple) and len(longrepr) == 3:
        return str(longrepr[2]), None
    if hasattr(report, "wasxfail") and report.skipped:
        return "xfail: " + str(report.wasxfail), None
    crash = getattr(longrepr, "reprcrash", None)
    message = getattr(crash, "message", None)
    try:
        details = report.longreprtext
    except Exception:  # noqa: BLE001 - a report we can't render is still a result
        details = str(longrepr)
    # A missing fixture's report has no crash line, and its text ends with
    # the test's location: pytest's own words are its `errorstring`.
    errorstring = getattr(longrepr, "errorstring", None)
    if not message and isinstance(errorstring, str) and errorstring.strip():
        message = errorstring.strip().splitlines()[0]
    if not message and details:
        message = details.strip().splitlines()[-1] if details.strip() else None
    # As pitcrew keeps a message: a record past its line limit is lost
    # (an assertion diff of two long lists under -vv is megabytes).
    return (message[:_MAX_MESSAGE] if message else message), details


_reporter = None


# First, before pytest-randomly draws its seed: a replay of a shard's
# first process after a retry (pitcrew's exec/replay.rs) runs its tests in
# that process's order, so it takes that process's seed.
@pytest.hookimpl(tryfirst=True)
def pytest_configure(config):
    global _reporter
    seed = os.environ.get("PITCREW_RANDOMLY_SEED", "")
    if seed.isdigit() and getattr(config.option, "randomly_seed", None) == "default":
        config.option.randomly_seed = int(seed)
    path = os.environ.get("PITCREW_EVENTS")
    if path and _reporter is None and not hasattr(config, "workerinput"):
        _reporter = _Reporter(
            path, str(config.invocation_params.dir), str(config.rootpath)
        )
        # The JUnit report the user asked for, wherever they asked (the
        # command, addopts, PYTEST_ADDOPTS), resolved as pytest's junitxml
        # plugin resolves it: every process of the run writes it over the
        # last one's, so pitcrew writes it again with the whole run.
        _note_coverage(config)
        _reporter.runs_no_test = bool(
            getattr(config.option, "setuponly", False)
            or getattr(config.option, "setupplan", False)
        )
        xmlpath = getattr(config.option, "xmlpath", None)
        if xmlpath:
            resolved = os.path.expanduser(os.path.expandvars(xmlpath))
            _reporter.write(
                dict(event="report", format="junit", file=os.path.abspath(resolved))
            )


# pytest-cov's reports that pitcrew writes again from the whole run's data
# when shards ran side by side (each shard writes them from its own part).
_COVERAGE_REPORTS = ("xml", "html", "json", "lcov")


def _note_coverage(config):
    """Where pitcrew asks (shards side by side), what pytest-cov was asked
    for, wherever it was asked (the command, addopts, its configuration):
    the reports, the configuration file, the sources, the threshold.
    Written once, by the controller.

    The threshold (`--cov-fail-under`, `fail_under`) is taken from this
    shard's pytest-cov, which would check it against this shard's part of
    the run: pitcrew checks it against the whole run's data instead."""
    path = os.environ.get("PITCREW_COVERAGE_NOTE")
    option = config.option
    sources = getattr(option, "cov_source", None)
    if not path or not sources or getattr(option, "no_cov", False):
        return
    reports = getattr(option, "cov_report", None) or {}
    rcfile = getattr(option, "cov_config", None) or ".coveragerc"
    # pytest-cov's own options (parsed before this hook, with its
    # configuration's fail_under filled in): the ones it checks.
    cov_options = getattr(config.pluginmanager.getplugin("_cov"), "options", None)
    fail_under = getattr(cov_options, "cov_fail_under", None)
    if fail_under:
        cov_options.cov_fail_under = None
    # The file reports are written once, from the whole run: shards writing
    # one `htmlcov` at once could also trip over each other.
    files = dict(reports)
    if isinstance(getattr(cov_options, "cov_report", None), dict):
        cov_options.cov_report = {
            kind: out
            for kind, out in cov_options.cov_report.items()
            if kind not in _COVERAGE_REPORTS
        }
    note = dict(
        fail_under=fail_under,
        precision=getattr(cov_options, "cov_precision", None),
        reports={
            kind: (os.path.abspath(out) if out else None)
            for kind, out in files.items()
            if kind in _COVERAGE_REPORTS
        },
        config=os.path.abspath(rcfile) if os.path.exists(rcfile) else None,
        sources=[s for s in sources if isinstance(s, str)] or None,
        append=bool(getattr(option, "cov_append", False)),
    )
    # Never the run's failure: without the note pitcrew still joins the data.
    _write_note(path, note)


def _write_note(path, note):
    """Writes a note for pitcrew; never the run's failure."""
    try:
        os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
        with open(path, "w", encoding="utf-8") as out:
            json.dump(note, out)
    except OSError:
        pass


def pytest_sessionstart(session):
    """Where pitcrew asks (shards side by side in one folder), the record of
    failed tests that `--lf` reads, as this process found it before any
    test ran: where it is, the rootdir its node ids are relative to, and
    when it was last written. Each shard's pytest writes the whole record
    at its end, the last over the others'; pitcrew writes it again after
    the run from the one read before anything was written."""
    path = os.environ.get("PITCREW_LASTFAILED_NOTE")
    config = session.config
    cachedir = getattr(getattr(config, "cache", None), "_cachedir", None)
    if not path or cachedir is None or hasattr(config, "workerinput"):
        return
    record = os.path.join(str(cachedir), "v", "cache", "lastfailed")
    # Read between two looks at its time: another shard may be writing it.
    for _ in range(5):
        written = _written(record)
        try:
            with open(record, encoding="utf-8") as f:
                before = json.load(f)
        except (OSError, ValueError):
            before = None
        if _written(record) == written:
            break
    else:
        return
    note = dict(
        record=os.path.abspath(record),
        rootdir=str(config.rootpath),
        written_ns=written,
        before=before if isinstance(before, dict) else None,
    )
    # Without the note the record stays as pytest leaves it.
    _write_note(path, note)


def _written(path):
    try:
        return os.stat(path).st_mtime_ns
    except OSError:
        return None


def pytest_unconfigure(config):
    # Closed, not left to the interpreter's exit: under
    # `-W error::ResourceWarning` an unclosed file is an error of its own.
    global _reporter
    if _reporter is not None and not hasattr(config, "workerinput"):
        _reporter.out.close()
        _reporter = None


def pytest_collectstart(collector):
    if _reporter is not None and _reporter.collecting is None:
        _reporter.collecting = time.monotonic()


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session, exitstatus):
    # Last of the sessionfinish hooks: a conftest's that set the exit
    # status has run.
    if _reporter is None:
        return
    if _reporter.collecting is not None:
        _reporter.write(
            dict(event="files", time=time.monotonic() - _reporter.collecting)
        )
    unreported = session.testsfailed - _reporter.failed_reports
    final = int(session.exitstatus)
    never_started = len(_reporter.unplanned)
    if unreported > 0 or (final != int(exitstatus) and final != 0) or never_started:
        if unreported > 0:
            why = f"{unreported} failure(s) that no test reported (a plugin's check, as pytest-cov's --cov-fail-under)"
        elif never_started:
            # `-x`, `--maxfail` or a crash left them: pitcrew cannot name
            # them to run them again, and a flaky failure before the stop
            # would otherwise leave a green run that never ran them.
            why = f"{never_started} test(s) that pytest-xdist's workers collected never ran, and their node ids name no file to run them again by"
        else:
            why = f"a pytest_sessionfinish hook set the exit status to {final}"
        _reporter.write(dict(event="verdict", message=why))
    _reporter.write(dict(event="written", count=_reporter.records))


def pytest_collection_finish(session):
    if _reporter is not None:
        _reporter.planned(session.items)
        # pytest-randomly's seed, which ordered these items.
        seed = getattr(session.config.option, "randomly_seed", None)
        if isinstance(seed, int) and not isinstance(seed, bool):
            _reporter.write(dict(event="seed", message=str(seed)))


# pytest-xdist collects in its workers, never in this process: each worker
# says what it collected (every worker the same list, or xdist stops), and
# that list is the run's plan. Without it a test that `-x` or `--maxfail`
# left unrun under `-n 2` would go unnoticed, its file's other results in.
@pytest.hookimpl(optionalhook=True)
def pytest_xdist_node_collection_finished(node, ids):
    if _reporter is None or _reporter.planned_by_worker:
        return
    _reporter.planned_by_worker = True
    for nodeid in ids:
        # A node id with no file (files outside the rootdir) is named by
        # the location its start gives, unknown here: unplanned, and if it
        # never starts, the session's verdict says how many never ran.
        names = _reporter.names_of((nodeid, None)) if nodeid.partition("::")[0] else None
        if names:
            _reporter.write(dict(event="planned", **names))
        else:
            _reporter.unplanned.add(nodeid)


def pytest_collectreport(report):
    # A module skipped as it is collected (`pytest.skip(...,
    # allow_module_level=True)`) is one skipped test to pytest, and one that
    # cannot be collected (an import or syntax error) one errored test:
    # both named as its JUnit names them, no class, the module's dotted
    # path. The collection error is what failed, so it is what triage reads.
    # Once per module: pytest collects a module twice when it is named and
    # doctested (`--doctest-modules`), and reports each.
    # A class that cannot be collected (`file.py::TestSuite`: a decorator or
    # a warning raised as an error while pytest reads it) is one errored
    # test too, named by its node id, or pytest's failure is no test's.
    if _reporter is None:
        return
    _reporter.count(report)
    if not report.nodeid:
        return
    if report.nodeid in _reporter.modules:
        return
    in_module = "::" in report.nodeid
    if report.skipped and report.nodeid.endswith(".py"):
        outcome = "skipped"
    elif report.failed:
        outcome = "errored"
    else:
        return
    _reporter.modules.add(report.nodeid)
    module_id = report.nodeid.split("::")[0]
    path = os.path.join(_reporter.rootdir, module_id)
    names = _reporter.identity_of(report.nodeid, path)
    if in_module:
        record = dict(event="case", outcome=outcome, **names)
    else:
        module = names["path"][0]
        record = dict(event="case", file=names["file"], path=[], name=module, outcome=outcome)
    message, details = _why(report)
    if message:
        record["message"] = message
    if outcome == "errored":
        record["type"] = "collection"
        if details:
            record["details"] = details[:_MAX_DETAILS]
    _reporter.write(record)


def pytest_runtest_logstart(nodeid, location):
    if _reporter is not None:
        _reporter.logstart(_key(nodeid, location))


# A wider fixture (class, module, package or session scope) finalized in
# the phase under way. pytest pins such a fixture's teardown error on the
# test whose setup or teardown ended its scope (the last test of a module,
# or the first test of a module fixture's next parameter), which may not
# even use it: that test run again alone passes, and a teardown failing
# every run would read as flaky. The phase's report says so
# (`pitcrew_scope_end`, which pytest-xdist carries from its workers to the
# reporter), and such an error is not retried (`scope teardown`).
_wider_finalized = False


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    global _wider_finalized
    _wider_finalized = False


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_teardown(item, nextitem):
    global _wider_finalized
    _wider_finalized = False


def pytest_fixture_post_finalizer(fixturedef, request):
    global _wider_finalized
    if getattr(fixturedef, "scope", "function") != "function":
        _wider_finalized = True


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    if call.when in ("setup", "teardown") and _wider_finalized:
        report = outcome.get_result()
        if report.failed:
            report.pitcrew_scope_end = True


def pytest_runtest_logreport(report):
    if _reporter is not None:
        _reporter.count(report)
        _reporter.logreport(report)


def pytest_runtest_logfinish(nodeid, location):
    if _reporter is not None:
        _reporter.logfinish(_key(nodeid, location))
