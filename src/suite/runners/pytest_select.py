"""pitcrew's pytest plugin for selections pytest's command line cannot say.

PITCREW_DESELECT names a JSON list of node ids to leave out. pytest's own
--deselect matches node id *prefixes*, so leaving out `a.py::test_x` would
also leave out `a.py::test_x2`; this matches exactly.

PITCREW_KEEP names a JSON object {"files": [...], "whole": [...], "ids": [...]}
used when a planned path holds `[` (pytest 9 refuses such a path as an
argument, reading it as parametrization). pitcrew then passes a bracket-free
ancestor folder instead, and this plugin narrows it back to the plan: a path
that is neither one of `files` nor a folder on the way to one is not
collected at all (so another file's import error never enters the shard),
and a collected test stays only when its file is in `whole` or its id is in
`ids`.

Ids and paths are compared both as pytest writes them (relative to the
rootdir) and relative to the directory pytest was started in, which is how
pitcrew names tests when the two differ.
"""

import json
import os


def _load(name):
    path = os.environ.get(name)
    if not path:
        return None
    with open(path, encoding="utf-8") as listing:
        return json.load(listing)


def pytest_configure(config):
    config._pitcrew_deselect = set(_load("PITCREW_DESELECT") or [])
    keep = _load("PITCREW_KEEP")
    if keep is not None:
        files = {_normal(f, config) for f in keep["files"]}
        whole = {_normal(f, config) for f in keep["whole"]}
        folders = set()
        for file in files:
            parent = os.path.dirname(file)
            while parent:
                folders.add(parent)
                parent = os.path.dirname(parent)
        keep = (files, folders, whole, set(keep["ids"]))
    config._pitcrew_keep = keep


def pytest_ignore_collect(collection_path, config):
    keep = getattr(config, "_pitcrew_keep", None)
    if keep is None:
        return None
    files, folders, _, _ = keep
    relative = _relative(str(collection_path), config)
    if relative in files or relative in folders:
        return None
    return True


def pytest_collection_modifyitems(config, items):
    ids = config._pitcrew_deselect
    keep = config._pitcrew_keep
    if not ids and keep is None:
        return
    start = str(config.invocation_params.dir)
    kept, dropped = [], []
    for item in items:
        names = _names(item, start)
        stays = not (names & ids)
        if stays and keep is not None:
            _, _, whole, wanted = keep
            file = _relative(str(item.path), config)
            stays = file in whole or bool(names & wanted)
        (kept if stays else dropped).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept


def _normal(path, config):
    start = str(config.invocation_params.dir)
    return _relative(os.path.join(start, path), config)


def _relative(path, config):
    start = str(config.invocation_params.dir)
    return os.path.relpath(path, start).replace(os.sep, "/")


def _names(item, start):
    names = {item.nodeid}
    _, sep, rest = item.nodeid.partition("::")
    if sep:
        relative = os.path.relpath(str(item.path), start).replace(os.sep, "/")
        names.add(relative + "::" + rest)
    return names
