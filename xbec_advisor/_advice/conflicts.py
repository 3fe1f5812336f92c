"""Where the fired rules pull in different directions,
and the figures a recommendation relies on.
"""

from __future__ import annotations

from .._i18n import _, current_language
from .._profile.labels import platform_label
from .._rulebase.frameworks import Figure
from .models import Citation, ConflictSide, FigureUse, PlatformConflict, PlatformScore

__all__ = ["RIVAL_MARGIN", "conflicts", "figure_uses"]


#: Two eligible platforms this close in score are shown as rivals (an assumption of ours).
RIVAL_MARGIN = 1.0


def conflicts(platforms: list[PlatformScore]) -> list[PlatformConflict]:
    """Where the fired rules pull in different directions:
    within a platform, and between the top two.
    """
    out = []
    for p in platforms:
        plus = [c for c in p.contributions if c.points > 0]
        minus = [c for c in p.contributions if c.points < 0]
        if p.eligible and plus and minus:
            out.append(
                PlatformConflict.model_construct(
                    kind="mixed",
                    summary=_(
                        "Some findings favour {platform} for this firm "
                        "and others advise against it."
                    ).format(platform=platform_label(p.platform, current_language())),
                    sides=[
                        ConflictSide.model_construct(platform=p.platform, stance="for", rules=plus),
                        ConflictSide.model_construct(
                            platform=p.platform, stance="against", rules=minus
                        ),
                    ],
                )
            )
    scored = [(p, p.score) for p in platforms if p.eligible and p.score is not None and p.score > 0]
    if len(scored) >= 2 and scored[0][1] - scored[1][1] <= RIVAL_MARGIN:
        first, second = scored[0][0], scored[1][0]
        out.insert(
            0,
            PlatformConflict.model_construct(
                kind="rivals",
                summary=(
                    _(
                        "{first} ({first_score}) and {second} ({second_score}) are tied: "
                        "the papers give reasons for each; weigh both sides."
                    )
                    if first.score == second.score
                    else _(
                        "{first} ({first_score}) and {second} ({second_score}) are close: "
                        "the papers give reasons for each; weigh both sides."
                    )
                ).format(
                    first=platform_label(first.platform, current_language()),
                    first_score=f"{first.score:g}",
                    second=platform_label(second.platform, current_language()),
                    second_score=f"{second.score:g}",
                ),
                sides=[
                    ConflictSide.model_construct(
                        platform=q.platform,
                        stance="for",
                        rules=[c for c in q.contributions if c.points > 0],
                    )
                    for q in (first, second)
                ],
            ),
        )
    return out


def figure_uses(
    figures: dict[str, Figure], as_of: int, lang: str = "en"
) -> dict[str, list[FigureUse]]:
    """For each rule id, the figures its advice relies on, with their age in ``as_of``
    (statement and caveat in ``lang``)."""
    uses: dict[str, list[FigureUse]] = {}
    for fig in sorted(figures.values(), key=lambda f: f.id):
        c = fig.citation
        dated = fig.year is not None and fig.kind != "forecast"
        use = FigureUse(
            id=fig.id,
            statement=fig.text_in("statement", lang),
            kind=fig.kind,
            year=fig.year,
            age_years=max(0, as_of - fig.year) if dated and fig.year is not None else None,
            made=fig.made,
            dating=fig.dating,
            caveat=fig.text_in("caveat", lang) if fig.caveat else "",
            citation=Citation(paper=c.paper, section=c.section, quote=c.quote),
        )
        for rid in fig.used_by:
            uses.setdefault(rid, []).append(use)
    return uses
