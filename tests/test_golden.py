"""Every bundled scenario's advice matches its golden output (tests/golden/<scenario>.json).

After an intended change to the rules, regenerate with ``python -m pytest tests/test_golden.py
--update-golden`` and review the diff of tests/golden/ like any other change.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import GOLDEN, GOLDEN_YEAR, SCENARIOS
from xbec_advisor import Advice
from xbec_advisor._advice.advisor import Advisor
from xbec_advisor._profile.load import load_profile_file
from xbec_advisor._render import FORMATS, render


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[p.stem for p in SCENARIOS])
def test_scenario_matches_golden(advisor: Advisor, scenario: Path, update_golden: bool) -> None:
    advice = advisor.advise(load_profile_file(scenario), as_of=GOLDEN_YEAR)
    text = advice.model_dump_json(indent=2) + "\n"
    golden = GOLDEN / f"{scenario.stem}.json"
    if update_golden:
        GOLDEN.mkdir(exist_ok=True)
        golden.write_text(text)
    assert golden.is_file(), f"no golden output for {scenario.name}: run pytest with --update-golden"
    expected = Advice.model_validate_json(golden.read_text())
    assert advice.platforms == expected.platforms, "platform ranking changed"
    assert [r.rule_id for r in advice.recommendations] == [r.rule_id for r in expected.recommendations]
    assert json.loads(text) == json.loads(golden.read_text())


def test_every_golden_file_has_a_scenario() -> None:
    stems = {p.stem for p in SCENARIOS}
    assert all(g.stem in stems for g in GOLDEN.glob("*.json"))


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_frameworks_appear_in_every_format(advisor: Advisor, fmt: str) -> None:
    sea = advisor.advise(load_profile_file(Path(GOLDEN).parent.parent / "scenarios" / "beauty-live-indonesia.yaml"), as_of=GOLDEN_YEAR)
    assert sea.pest and sea.swot and sea.grounded_model
    out = render(sea, fmt)
    flat = " ".join(out.split())
    for entry in (sea.pest[0], sea.swot[0]):
        assert " ".join(entry.text.split())[:40] in flat
    assert "B8" in out and "Segmenting" in out
