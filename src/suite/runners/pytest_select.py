"""pitcrew's pytest plugin for selections pytest's command line cannot say.

PITCREW_DESELECT names a JSON list of node ids to leave out. pytest's own
--deselect matches node id *prefixes*, so leaving out `a.py::test_x` would
also leave out `a.py::test_x2`; this matches exactly.

PITCREW_KEEP names a JSON object {"files": [...], "whole": [...], "ids": [...]}
used when a planned path holds `[` (pytest 9 refuses such a path as an
argument, reading it as parametrization). pitcrew then passes a bracket-free
ancestor folder instead, and this plugin narrows it back to the plan:
- the conftests pytest loads before collection are those of the planned
  files, not those of the folder's `test*` subfolders (which the project
  may ignore: `collect_ignore`, `norecursedirs`);
- a path that is neither one of `files` nor a folder on the way to one is
  not collected at all (so another file's import error never enters the
  shard), whatever the project's own `pytest_ignore_collect` says;
- a collected test stays only when its file is in `whole` or it is one of
  `ids` as pytest selects by id: the test itself, its parameters
  (`::test_x` selects `::test_x[1]`) and a class's tests (`::TestK`).

Ids and paths are compared both as pytest writes them (relative to the
rootdir) and relative to the directory pytest was started in, which is how
pitcrew names tests when the two differ.
"""

import json
import os

import pytest


def _load(name):
    path = os.environ.get(name)
    if not path:
        return None
    with open(path, encoding="utf-8") as listing:
        return json.load(listing)


@pytest.hookimpl(tryfirst=True)
def pytest_load_initial_conftests(early_config):
    keep = _load("PITCREW_KEEP")
    if keep is not None:
        early_config.known_args_namespace.file_or_dir = list(keep["files"])


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


@pytest.hookimpl(tryfirst=True)
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
    kept, dropped = [], []
    for item in items:
        names = _names(item, config)
        stays = not (names & ids)
        if stays and keep is not None:
            _, _, whole, wanted = keep
            file = _relative(str(item.path), config)
            stays = file in whole or any(_selects(w, n) for w in wanted for n in names)
        (kept if stays else dropped).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept


def _selects(wanted, nodeid):
    """Whether the id `wanted` selects the test `nodeid`, as pytest's
    arguments do: itself, its parameters, the tests of a class."""
    return nodeid == wanted or nodeid.startswith((wanted + "::", wanted + "["))


def _normal(path, config):
    start = str(config.invocation_params.dir)
    return _relative(os.path.join(start, path), config)


def _relative(path, config):
    start = str(config.invocation_params.dir)
    try:
        path = os.path.relpath(path, start)
    except ValueError:  # another Windows drive
        pass
    return path.replace(os.sep, "/")


def _names(item, config):
    names = {item.nodeid}
    _, sep, rest = item.nodeid.partition("::")
    if sep:
        names.add(_relative(str(item.path), config) + "::" + rest)
    return names
