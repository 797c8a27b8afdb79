"""The tiers come from the resources a test uses (tests/tiers.py), and a unit test cannot
reach a heavy resource: each check runs a small test file in a pytest of its own."""

from __future__ import annotations

import pytest

from tests.tiers import open_doors

CONFTEST = """
import pytest
from tests.tiers import resource

@resource("model", scope="session")
def tiers_test_model():
    return "model"

@pytest.fixture
def through_the_model(tiers_test_model):
    return tiers_test_model

@resource("process")
def tiers_test_server():
    return "server"
"""


@pytest.fixture
def inner(pytester, request):
    """A pytest run in this process with the tiers plugin; this test's own doors are
    opened first, so only the inner run's guard is measured."""
    open_doors(request.node)
    pytester.makeconftest("pytest_plugins = ['tests.tiers']\n" + CONFTEST)
    return pytester


def test_the_tier_is_the_heaviest_resource_used_even_through_other_fixtures(inner):
    inner.makepyfile(
        """
        import pytest

        def test_plain():
            pass

        def test_through(through_the_model):
            pass

        def test_both(through_the_model, tiers_test_server):
            pass

        @pytest.mark.browser
        def test_marked_heavier(tiers_test_server):
            pass
        """
    )
    for tier, expected in [
        ("unit", ["test_plain"]),
        ("model", ["test_through"]),
        ("process", ["test_both"]),
        ("browser", ["test_marked_heavier"]),
    ]:
        run = inner.runpytest_inprocess("-m", tier, "--collect-only", "-q")
        listed = [line.split("::")[-1] for line in run.outlines if "::" in line]
        assert listed == expected, (tier, run.outlines)


def test_a_unit_marker_on_a_test_that_uses_the_model_fails_the_collection(inner):
    inner.makepyfile(
        """
        import pytest

        @pytest.mark.unit
        def test_claims_unit(through_the_model):
            pass
        """
    )
    run = inner.runpytest_inprocess("-q")
    assert run.ret == pytest.ExitCode.USAGE_ERROR
    assert "marked unit but uses {'tiers_test_model': 'model'}" in "\n".join(run.errlines)


def test_a_unit_test_cannot_start_a_process_or_open_the_model(inner):
    inner.makepyfile(
        """
        import os, subprocess, sys
        import pytest
        import confsearch.embedding.modelcache as modelcache
        from confsearch.settings import Settings
        from confsearch.embedding.model import load_query_embedder
        from tests.tiers import TierError

        def test_process():
            with pytest.raises(TierError, match="started a process"):
                subprocess.run([sys.executable, "-c", "pass"])
            with pytest.raises(TierError, match="started a process"):
                os.system("true")

        def test_model():
            with pytest.raises(TierError, match="opened the real model"):
                load_query_embedder(Settings())

        @pytest.mark.process
        def test_doors_are_open_in_heavier_tiers():
            assert subprocess.Popen._execute_child.__name__ == "_execute_child"
            assert modelcache.ensure_default_model.__name__ == "ensure_default_model"
        """
    )
    run = inner.runpytest_inprocess("-q")
    run.assert_outcomes(passed=3)


def test_a_heavy_fixture_reached_at_run_time_fails_a_unit_test(inner):
    inner.makepyfile(
        """
        def test_sneaks(request):
            request.getfixturevalue("tiers_test_server")
        """
    )
    run = inner.runpytest_inprocess("-q")
    run.assert_outcomes(passed=1, errors=1)
    assert "used the heavy resource fixtures {'tiers_test_server': 'process'}" in run.stdout.str()
