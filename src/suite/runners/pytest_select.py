"""pitcrew's pytest plugin for selections pytest's command line cannot say.

PITCREW_DESELECT names a JSON object {"ids": [...], "tests": [...]}: node
ids to leave out, and tests as pitcrew spells them ([file, classname,
name], see `tests` below); either leaves a test out. pytest's own
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
- a collected test stays only when its file is in `whole`, it is one of
  `ids` as pytest selects by id: the test itself, its parameters
  (`::test_x` selects `::test_x[1]`) and a class's tests (`::TestK`), or
  it is one of `tests`.

`tests` are spelled as pitcrew's reporter spells them ([file, classname,
name], `pitcrew_pytest.identity`). A retry names its tests' files and
keeps them by spelling: the node id pitcrew rebuilds from a classname is
wrong under a collector whose name holds a dot (`cases.v1`, mypy's
`check-x.test` items), which pytest would not find.

Ids and paths are compared both as pytest writes them (relative to the
rootdir) and relative to the directory pytest was started in, which is how
pitcrew names tests when the two differ.
"""

import json
import os
import re

import pytest

from pitcrew_pytest import identity, item_path


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
    deselect = _load("PITCREW_DESELECT") or {}
    config._pitcrew_deselect = (
        set(deselect.get("ids", [])),
        {tuple(t) for t in deselect.get("tests", [])},
    )
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
        tests = {tuple(t) for t in keep.get("tests", [])}
        keep = (files, folders, whole, set(keep["ids"]), tests)
    config._pitcrew_keep = keep


@pytest.hookimpl(tryfirst=True)
def pytest_ignore_collect(collection_path, config):
    keep = getattr(config, "_pitcrew_keep", None)
    if keep is None:
        return None
    files, folders = keep[0], keep[1]
    relative = _relative(str(collection_path), config)
    if relative in files or relative in folders:
        return None
    return True


def pytest_collection_modifyitems(config, items):
    ids, tests = config._pitcrew_deselect
    keep = config._pitcrew_keep
    if not ids and not tests and keep is None:
        return
    kept, dropped = [], []
    for item in items:
        # The item's file, found once: each lookup walks its parents.
        path = item_path(item)
        file = _relative(path, config)
        names = _names(item, file)
        spelled = _spelling(item, path, config)
        stays = not (names & ids or spelled in tests)
        if stays and keep is not None:
            _, _, whole, wanted, wanted_tests = keep
            stays = (
                file in whole
                or spelled in wanted_tests
                or any(w in wanted for n in names for w in _selectors(n))
            )
        (kept if stays else dropped).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept


def _selectors(nodeid):
    """The ids that select the test `nodeid` as pytest's arguments do: the
    test itself and every id it continues with `::` or `[` (a class, the
    test without its parameters, a plugin's collector `case[1]`). A set
    lookup each, not a scan of every wanted id for every collected item.
    The file's own path may hold `[` (`tests/[v1]/…`): only what follows
    the first `::` is cut."""
    found = [nodeid]
    head, sep, rest = nodeid.partition("::")
    if not sep:
        return found
    found.append(head)
    found.extend(head + "::" + rest[: m.start()] for m in re.finditer(r"::|\[", rest))
    return found


def _spelling(item, path, config):
    names = identity(item.nodeid, path, str(config.invocation_params.dir))
    return (names["file"], names["path"][0], names["name"])


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


def _names(item, file):
    names = {item.nodeid}
    _, sep, rest = item.nodeid.partition("::")
    if sep:
        names.add(file + "::" + rest)
    return names
