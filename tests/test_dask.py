"""Scoring on a Dask cluster: each worker builds its engine once per rule base, not once per run."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from typing import Any

import pytest
from click.testing import CliRunner

from tests.conftest import ROOT, in_process_cluster
from xbec_advisor._batch import cluster as scoring
from xbec_advisor._cli import main
from xbec_advisor._rulebase.load import bundled_rulebase

runner = CliRunner()


@pytest.fixture()
def cluster() -> Iterator[Any]:
    with in_process_cluster(1) as running:
        yield running


@pytest.fixture(autouse=True)
def _unfrozen() -> Iterator[None]:
    """An in-process worker freezes this process's objects: undone after each test."""
    yield
    scoring._REMOTE.clear()
    gc.unfreeze()


def test_a_cluster_keeps_its_engine_between_runs(cluster: Any) -> None:
    scoring._REMOTE.clear()
    args = ["score", str(ROOT / "scenarios"), "--dask", cluster.scheduler_address, "-f", "csv"]
    first = runner.invoke(main, args)
    assert first.exit_code == 0, first.stderr
    engines = dict(scoring._REMOTE)
    assert len(engines) == 1
    second = runner.invoke(main, args)
    assert second.exit_code == 0 and second.stdout == first.stdout
    # the same rule base: the engine the first run built, not a new one
    assert engines == scoring._REMOTE
    assert all(scoring._REMOTE[key] is engine for key, engine in engines.items())


def test_a_changed_rule_base_gets_its_own_engine() -> None:
    base = bundled_rulebase()
    changed = base.model_copy(update={"rules": base.rules[1:]})
    assert scoring.fingerprint(base) == scoring.fingerprint(bundled_rulebase())
    assert scoring.fingerprint(changed) != scoring.fingerprint(base)
    scoring._REMOTE.clear()
    one = scoring._remote_advisor(scoring.fingerprint(base), base)
    other = scoring._remote_advisor(scoring.fingerprint(changed), changed)
    assert one is not other and len(other.rulebase.rules) == len(base.rules) - 1
    # bounded: a worker keeps the engines of the last two rule bases only
    for k in range(scoring._REMOTE_KEEP + 1):
        scoring._remote_advisor(f"other-{k}", base)
    assert len(scoring._REMOTE) == scoring._REMOTE_KEEP
