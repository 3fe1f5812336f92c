"""Shared fixtures: the bundled advisor and the folder of paper texts."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

# The rule-file parse cache (xbec_advisor/_cache.py) of this test run, away from the user's own;
# subprocesses started by the tests inherit it.
os.environ["XBEC_ADVISOR_CACHE_DIR"] = tempfile.mkdtemp(prefix="xbec-advisor-cache-")

from xbec_advisor._advice.advisor import Advisor, default_advisor
from xbec_advisor._checks.quotes import find_papers_dir

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = sorted((ROOT / "scenarios").glob("*.yaml"))


GOLDEN = ROOT / "tests" / "golden"
#: The year golden outputs are computed as of (figure ages),
#: so they do not change with the calendar.
GOLDEN_YEAR = 2026


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden", action="store_true", help="rewrite tests/golden/ from the current advice"
    )


@pytest.fixture(scope="session")
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


@pytest.fixture(scope="session")
def advisor() -> Advisor:
    return default_advisor()


@pytest.fixture(scope="session")
def papers_dir() -> Path:
    found = find_papers_dir(ROOT)
    if found is None or not found.is_dir():
        if os.environ.get("CI"):
            pytest.fail("the paper texts (../shared/papers) must be present in CI to verify quotes")
        pytest.skip("paper texts not found; set XBEC_PAPERS_DIR to verify quotes")
    return found


@contextlib.contextmanager
def in_process_cluster(workers: int) -> Iterator[Any]:
    """A Dask LocalCluster of ``workers`` in-process workers (one thread each); skipped where
    dask is not installed, a failure in CI (where the extra must be there)."""
    try:
        from dask.distributed import LocalCluster
    except ImportError:
        if os.environ.get("CI"):
            pytest.fail("the dask extra must be installed in CI")
        pytest.skip("dask not installed")
    with LocalCluster(
        n_workers=workers, threads_per_worker=1, processes=False, dashboard_address=None
    ) as cluster:
        yield cluster
