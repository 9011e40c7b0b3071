"""After pytest shards ran side by side in one folder, each with its own
coverage data file a process (`.coverage.pitcrew-K-P`): the data joined into the
data file the project names (`coverage combine`, which removes the parts),
and pytest-cov's file reports (xml, html, json, lcov) written again from the
whole run, as each shard wrote them from its own part; then its threshold
(which pitcrew's reporter kept the shards from checking on their parts)
checked on the whole run: exit 3 with pytest-cov's message when not met.

argv[1]: JSON {"data": [data files], "notes": [what each shard's pytest-cov
was asked for, written by pitcrew's pytest reporter]}. Run in the project's
folder, with the project's Python.
"""

import io
import json
import os
import sys

from coverage import Coverage

args = json.loads(sys.argv[1])
reports, config, sources, append = {}, None, None, False
fail_under, precision = None, None
for path in args["notes"]:
    try:
        with open(path, encoding="utf-8") as f:
            note = json.load(f)
    except (OSError, ValueError):
        continue
    reports.update(note.get("reports") or {})
    config = config or note.get("config")
    sources = sources or note.get("sources")
    append = append or note.get("append", False)
    fail_under = fail_under or note.get("fail_under")
    precision = precision if precision is not None else note.get("precision")

cov = Coverage(config_file=config or True, source=sources)
try:
    # As `coverage combine` (and pytest-cov) do: the run replaces the data
    # file unless pytest-cov was asked to add to it. The file alone:
    # `cov.erase()` under `parallel = true` also removes every
    # `.coverage.*`, the shards' parts among them.
    if append:
        cov.load()
    else:
        try:
            os.remove(os.path.abspath(cov.config.data_file))
        except FileNotFoundError:
            pass
    cov.combine(args["data"], strict=True)
    cov.save()
except Exception as error:  # noqa: BLE001 - said below, in the tool's words
    if not fail_under:
        raise
    # A threshold that cannot be checked is not met: the run fails, as
    # pytest alone would have checked it.
    print(
        "Coverage failure: the shards' coverage could not be joined ({}), "
        "so fail-under={} is unchecked".format(error, fail_under)
    )
    sys.exit(3)
# A report that cannot be written (coverage's "No data to report.") is
# said, and the threshold is still checked: pytest-cov goes on too.
unwritten = None
for kind, out in sorted(reports.items()):
    try:
        if kind == "html":
            cov.html_report(directory=out, ignore_errors=True)
        elif kind == "xml":
            cov.xml_report(outfile=out, ignore_errors=True)
        elif kind == "json":
            cov.json_report(outfile=out, ignore_errors=True)
        elif kind == "lcov":
            cov.lcov_report(outfile=out, ignore_errors=True)
    except Exception as error:  # noqa: BLE001 - said on stderr, a warning
        unwritten = unwritten or "the {} report: {}".format(kind, error)
for path in args["notes"]:
    try:
        os.remove(path)
    except OSError:
        pass
# The threshold the shards did not check on their parts, on the whole run,
# rounded as pytest-cov rounds it.
if fail_under:
    from coverage.results import should_fail_under

    try:
        from coverage.results import display_covered
    except ImportError:  # coverage < 7

        def display_covered(pc, precision):
            return f"{pc:.{precision}f}"

    precision = precision or 0
    try:
        total = cov.report(file=io.StringIO(), ignore_errors=True)
    except Exception:  # noqa: BLE001 - coverage's "No data to report."
        # Nothing measured is nothing covered, as pytest-cov counts it.
        total = 0.0
    if should_fail_under(total, fail_under, precision):
        print(
            "Coverage failure: total of {} is less than fail-under={:.{}f}".format(
                display_covered(total, precision), fail_under, precision
            )
        )
        sys.exit(3)
if unwritten:
    sys.exit("could not write " + unwritten)
