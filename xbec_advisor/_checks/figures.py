"""Figures: linked only where a text uses them; forecasts read as forecasts; dates explained."""

from __future__ import annotations

import re

from .._rulebase.models import RuleBase

__all__ = ["check_figures"]

#: Words that mark a quote as a forecast rather than a measurement.
_FORECAST = re.compile(r"\b(expected|will|forecasts?|predict\w*|projected|estimated to)\b", re.I)


def check_figures(rulebase: RuleBase) -> tuple[list[str], list[str]]:
    """(errors, warnings) about the figures of ``figures.yaml``."""
    errors: list[str] = []
    warnings: list[str] = []
    rules = {r.id for r in rulebase.rules}
    for fig in rulebase.figures.values():
        where = f"figures.yaml: {fig.id}"
        errors += [f"{where}: {problem}" for problem in fig.problems()]
        marker = _FORECAST.search(fig.citation.quote)
        if fig.kind != "forecast" and marker:
            errors.append(
                f"{where}: the quote is a forecast ('{marker.group(0)}'); "
                "mark it kind: forecast with the year forecast and when it was made"
            )
        unused = sorted(set(fig.used_by) - set(fig.cited_by))
        if unused:
            errors.append(
                f"{where}: used_by: {', '.join(unused)} do not cite the figure in their text; "
                "cite it as {figure: "
                + fig.id
                + "} where the advice relies on it, or drop the link"
            )
        if not fig.used_by:
            warnings.append(f"{where}: no rule's text cites this figure")
        errors += [f"{where}: used_by: no rule '{rid}'" for rid in fig.used_by if rid not in rules]
    return errors, warnings
