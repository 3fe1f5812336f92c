"""Every bundled scenario's decisions match its golden file (tests/golden/<scenario>.json).

The golden files hold what the advisor decided, not its prose: the rules that fired, the facts
derived, the platform ranking with every point's rule, the framework entries shown, the weak
points of the grounded model and the unknown answers. Texts are tested where they are written
(the rules' own examples, the catalogue, the renderers' tests). After an intended change to the
rules, regenerate with ``python -m pytest tests/test_golden.py --update-golden`` and review the
diff of tests/golden/ like any other change.
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


def decisions(advice: Advice) -> dict[str, object]:
    """What the advisor decided for a profile, without its prose."""
    return {
        "recommendations": [r.rule_id for r in advice.recommendations],
        "derived_facts": {f.name: f.derived_by for f in advice.derived_facts},
        "platforms": [
            {
                "platform": p.platform,
                "rank": p.rank,
                "score": p.score,
                "eligible": p.eligible,
                "points": {c.rule_id: c.points for c in p.contributions},
                "excluded_by": [e.rule_id for e in p.excluded_by],
            }
            for p in advice.platforms
        ],
        "top_platform": advice.top_platform,
        "conflicts": [
            [c.kind, [(s.platform, s.stance, [r.rule_id for r in s.rules]) for s in c.sides]]
            for c in advice.conflicts
        ],
        "frameworks": {
            name: [e.id for e in getattr(advice, name)]
            for name in ("pest", "swot", "operation_models", "marketing_models")
        },
        "weak_points": {
            c.code: c.weaknesses
            for d in advice.grounded_model
            for c in d.categories
            if c.weaknesses
        },
        "figures": sorted({f.id for r in advice.recommendations for f in r.figures}),
        "unknown_fields": advice.unknown_fields,
    }


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[p.stem for p in SCENARIOS])
def test_scenario_matches_golden(advisor: Advisor, scenario: Path, update_golden: bool) -> None:
    advice = advisor.advise(load_profile_file(scenario), as_of=GOLDEN_YEAR)
    decided = json.loads(json.dumps(decisions(advice)))
    golden = GOLDEN / f"{scenario.stem}.json"
    if update_golden:
        GOLDEN.mkdir(exist_ok=True)
        golden.write_text(json.dumps(decided, indent=1) + "\n")
    assert golden.is_file(), f"no golden file for {scenario.name}: run pytest with --update-golden"
    expected = json.loads(golden.read_text())
    assert decided["platforms"] == expected["platforms"], "platform ranking changed"
    assert decided["recommendations"] == expected["recommendations"], "recommendations changed"
    assert decided == expected


def test_every_golden_file_has_a_scenario() -> None:
    stems = {p.stem for p in SCENARIOS}
    assert all(g.stem in stems for g in GOLDEN.glob("*.json"))


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_frameworks_appear_in_every_format(advisor: Advisor, fmt: str) -> None:
    sea = advisor.advise(
        load_profile_file(Path(GOLDEN).parent.parent / "scenarios" / "beauty-live-indonesia.yaml"),
        as_of=GOLDEN_YEAR,
    )
    assert sea.pest and sea.swot and sea.grounded_model
    out = render(sea, fmt)
    flat = " ".join(out.split())
    for entry in (sea.pest[0], sea.swot[0]):
        assert " ".join(entry.text.split())[:40] in flat
    assert "B8" in out and "Segmenting" in out
