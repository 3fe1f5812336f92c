"""Helpers shared by the text renderers."""

from __future__ import annotations

from ..advice import Advice, PlatformScore

CATEGORY_TITLES = {
    "platform": "Platform choice", "localization": "Localization", "logistics": "Logistics",
    "payment": "Payment", "marketing": "Marketing", "compliance": "Compliance", "trust": "Trust and credit",
    "team": "Team and talent", "supply_chain": "Supply chain", "product": "Product",
    "customer_service": "Customer service",
}


def platform_rows(advice: Advice) -> list[list[object]]:
    return [[p.rank, p.platform, p.score, "yes" if p.eligible else "no", _basis(p)] for p in advice.platforms]


def _basis(p: PlatformScore) -> str:
    if p.excluded_by:
        return "; ".join(f"{e.reason} [{e.rule_id}]" for e in p.excluded_by)
    parts = [f"{c.rule_id} {c.points:+d}" for c in p.contributions]
    return ", ".join(parts) if parts else "no rule applies"


def summary(advice: Advice) -> str:
    n = len(advice.recommendations)
    cats = len(advice.by_category())
    top = advice.top_platform
    lead = f"Best-suited platform: {top}." if top else "No platform stands out for this profile."
    return f"{n} recommendation(s) in {cats} categor{'y' if cats == 1 else 'ies'}. {lead}"
