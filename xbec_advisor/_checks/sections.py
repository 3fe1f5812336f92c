"""Which sections of which papers the rule base cites, and the advice-giving ones it misses."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from .._rulebase.load import RuleBase

__all__ = ["SectionCoverage", "coverage"]


class SectionCoverage(BaseModel):
    model_config = ConfigDict(frozen=True, defer_build=True)
    paper: str
    section: str
    title: str
    gives_advice: bool
    rules: list[str]
    other: list[str]

    @property
    def gap(self) -> bool:
        """An advice-giving section that no rule cites."""
        return self.gives_advice and not self.rules


def coverage(rulebase: RuleBase) -> list[SectionCoverage]:
    """One row per section of every paper, in the bibliography's order."""
    cited: dict[tuple[str, str], set[str]] = {}
    for rule in rulebase.rules:
        for c in rule.citations:
            cited.setdefault((c.paper, c.section), set()).add(rule.id)
    other: dict[tuple[str, str], set[str]] = {}
    for item in rulebase.frameworks:
        other.setdefault((item.citation.paper, item.citation.section), set()).add(
            f"{item.framework}:{item.id}"
        )
    for fig in rulebase.figures.values():
        other.setdefault((fig.citation.paper, fig.citation.section), set()).add(f"figure:{fig.id}")
    if rulebase.grounded is not None:
        gc = rulebase.grounded.citation
        other.setdefault((gc.paper, gc.section), set()).add("grounded_model")
    return [
        SectionCoverage(
            paper=key,
            section=sec,
            title=title,
            gives_advice=sec not in paper.no_advice,
            rules=sorted(cited.get((key, sec), ())),
            other=sorted(other.get((key, sec), ())),
        )
        for key, paper in rulebase.papers.items()
        for sec, title in paper.sections.items()
    ]
