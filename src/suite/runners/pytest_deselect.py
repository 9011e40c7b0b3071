"""pitcrew's pytest plugin: leaves out the tests whose node ids are listed
in the JSON file named by PITCREW_DESELECT.

pytest's own --deselect matches node id *prefixes*, so leaving out
`a.py::test_x` would also leave out `a.py::test_x2`; this matches exactly.
An id is compared both as pytest writes it (relative to the rootdir) and
relative to the directory pytest was started in, which is how pitcrew
names tests when the two differ.
"""

import json
import os


def pytest_collection_modifyitems(config, items):
    path = os.environ.get("PITCREW_DESELECT")
    if not path:
        return
    with open(path, encoding="utf-8") as listing:
        ids = set(json.load(listing))
    start = str(config.invocation_params.dir)
    keep, drop = [], []
    for item in items:
        (drop if _names(item, start) & ids else keep).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


def _names(item, start):
    names = {item.nodeid}
    _, sep, rest = item.nodeid.partition("::")
    if sep:
        relative = os.path.relpath(str(item.path), start).replace(os.sep, "/")
        names.add(relative + "::" + rest)
    return names
