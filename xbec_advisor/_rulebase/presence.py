"""Where a firm sells and where each platform sells: ``regions.yaml`` and ``presence.yaml``.

A firm's *targets* are the countries it lists, when it lists any, else its target region; a
``global`` region means everywhere when the firm says it names no country (``[]``), and leaves the
targets unknown when the countries are unanswered; then only a platform whose cell names
``global`` (a paper places it in the world market as a whole) has a known presence. Each platform
has cells (a region, or a
country overriding its region) saying whether a paper places it there (``placed``), only our
knowledge does (``flagged``), neither (``not_scored``) or it does not serve the market
(``excluded``). The platform's presence for a firm is its best cell over the firm's targets.

From the same data come named conditions, so that rules test places one way: ``targets_REGION``
for each region and ``PLATFORM_market`` (placed or flagged) for each platform.
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Callable, Mapping
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from .._errors import XbecError
from .._i18n import _, current_language
from .._profile.labels import platform_label, value_label
from .._profile.model import RANKED_PLATFORMS
from .citation import Citation

__all__ = [
    "STATUS_ORDER",
    "Cell",
    "Presence",
    "PresenceView",
    "generated_conditions",
    "parse_presence",
]

#: A cell's ``assumption`` or ``reason`` in the current language: (platform, where, key) -> text.
CellText = Callable[[str, tuple[str, ...], str], str]
Status = Literal["placed", "flagged", "not_scored", "excluded"]
#: Best first: a platform's presence for a firm is the best status over its targets.
STATUS_ORDER: tuple[str, ...] = ("placed", "flagged", "not_scored", "excluded")


class Cell(BaseModel):
    """A platform's standing in some regions or countries."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    where: tuple[str, ...]
    status: Status
    citations: tuple[Citation, ...] = ()
    assumption: str = ""
    reason: str = ""
    checked: datetime.date | None = None

    @field_validator("where", mode="before")
    @classmethod
    def _one_or_many(cls, value: object) -> object:
        return [value] if isinstance(value, str) else value

    def note(self, platform: str, text: CellText | None = None) -> str:
        """What the ranking says about this cell, in the current language (``text``: the
        cell's ``assumption`` or ``reason`` in that language, by platform, cell and key)."""
        label = platform_label(platform, current_language())

        def own(key: str) -> str:
            english = str(getattr(self, key))
            return text(platform, self.where, key) if text and english and self.where else english

        if self.status == "placed":
            where = ", ".join(f"{c.paper} §{c.section}" for c in self.citations)
            return _("The papers place {platform} in your market ({where}).").format(
                platform=label, where=where
            )
        if self.status == "flagged":
            return _("{assumption} Its points count half.").format(assumption=own("assumption"))
        return own("reason") or _(
            "Not scored: the papers do not place {platform} in your market, and we know of no "
            "established marketplace of it there."
        ).format(platform=label)


class PresenceView(BaseModel):
    """A platform's presence for one firm."""

    model_config = ConfigDict(frozen=True)
    status: Status | Literal["unknown"]
    note: str
    factor: float


class Presence(BaseModel):
    """The regions' countries and every platform's cells."""

    model_config = ConfigDict(frozen=True)
    regions: dict[str, tuple[str, ...]]
    cells: dict[str, tuple[Cell, ...]]

    def region_of(self, country: str) -> str | None:
        return next((r for r, countries in self.regions.items() if country in countries), None)

    def cell(self, platform: str, where: str) -> Cell | None:
        """The cell of a region, or of a country (its own, else its region's)."""
        cells = self.cells.get(platform, ())
        found = next((c for c in cells if where in c.where), None)
        if found is None and where not in self.regions:
            region = self.region_of(where)
            found = next((c for c in cells if region in c.where), None) if region else None
        return found

    def targets(self, answers: Mapping[str, object]) -> list[str] | None:
        """The firm's targets (countries, else its region); None when they are unknown."""
        countries = answers.get("target_countries")
        if isinstance(countries, list | tuple) and countries:
            return [str(c) for c in countries]
        region = answers.get("target_region")
        if region == "global":  # everywhere if it says it names no country, else unknown
            everywhere = [*self.regions, *(c for cs in self.regions.values() for c in cs)]
            return everywhere if countries is not None else None
        return None if region is None else [str(region)]

    def of(
        self, platform: str, answers: Mapping[str, object], text: CellText | None = None
    ) -> PresenceView:
        """The platform's presence for a firm: its best cell over the firm's targets (notes in
        the current language; ``text``: as for :meth:`Cell.note`)."""
        targets = self.targets(answers)
        label = platform_label(platform, current_language())
        worldwide = self._worldwide(platform, answers) if targets is None else None
        if worldwide is not None:
            return PresenceView(status="placed", note=worldwide.note(platform, text), factor=1.0)
        if targets is None:
            note = _(
                "{platform}'s presence depends on the countries you sell to: name them."
            ).format(platform=label)
            return PresenceView(status="unknown", note=note, factor=0.0)
        default = Cell(where=(), status="not_scored")
        cells = [self.cell(platform, t) or default for t in targets]
        best = min(cells, key=lambda c: STATUS_ORDER.index(c.status))
        factor = {"placed": 1.0, "flagged": 0.5}.get(best.status, 0.0)
        return PresenceView(status=best.status, note=best.note(platform, text), factor=factor)

    def _worldwide(self, platform: str, answers: Mapping[str, object]) -> Cell | None:
        """The platform's ``global`` cell, for a firm selling worldwide in unnamed countries."""
        if answers.get("target_region") != "global":
            return None
        cells = self.cells.get(platform, ())
        return next((c for c in cells if "global" in c.where and c.status == "placed"), None)

    def citations(self) -> list[tuple[str, Citation]]:
        """Every citation of the table, with where it is written."""
        return [
            (f"presence.yaml: {p}: {'/'.join(c.where)}", cit)
            for p, cells in self.cells.items()
            for c in cells
            for cit in c.citations
        ]

    def places(self, platform: str) -> tuple[set[str], set[str]]:
        """(regions, countries) where the platform is placed or flagged."""
        good = ("placed", "flagged")
        regions = {
            r for r in self.regions if (cell := self.cell(platform, r)) and cell.status in good
        }
        countries = {
            c
            for cs in self.regions.values()
            for c in cs
            if (cell := self.cell(platform, c)) and cell.status in good
        }
        return regions, countries


def _problems_of(platform: str, cell: Cell, regions: Mapping[str, tuple[str, ...]]) -> list[str]:
    known = {"global"} | set(regions) | {c for cs in regions.values() for c in cs}
    out = [
        f"presence.yaml: {platform}: where: '{w}' is neither a region of regions.yaml "
        "nor a country listed there"
        for w in cell.where
        if w not in known
    ]
    needs = {
        "placed": cell.citations,
        "flagged": cell.assumption and cell.checked,
        "not_scored": True,
        "excluded": cell.reason,
    }
    if not needs[cell.status]:
        what = {
            "placed": "citations",
            "flagged": "an assumption and the date it was checked",
            "excluded": "a reason",
        }[cell.status]
        out.append(
            f"presence.yaml: {platform}: {'/'.join(cell.where)}: a {cell.status} cell needs {what}"
        )
    return out


def parse_presence(regions: object, cells: object, problems: list[str]) -> Presence | None:
    """The presence table from the parsed YAML of both files (``None`` when invalid)."""
    if not isinstance(regions, dict) or not isinstance(cells, dict):
        problems.append(
            "regions.yaml and presence.yaml: expected mappings (region -> countries; "
            "platform -> cells)"
        )
        return None
    try:
        table = Presence(
            regions={str(k): tuple(v) for k, v in regions.items()},
            cells={
                str(k): tuple(
                    Cell.model_validate({x: y for x, y in c.items() if x != "zh"})
                    if isinstance(c, dict)
                    else c
                    for c in v
                )
                for k, v in cells.items()
            },
        )
    except (ValidationError, TypeError) as exc:
        problems.append(f"presence.yaml: {exc}".splitlines()[0])
        return None
    for platform, platform_cells in table.cells.items():
        if platform not in RANKED_PLATFORMS:
            problems.append(
                f"presence.yaml: '{platform}' is not a ranked platform; allowed: "
                f"{', '.join(RANKED_PLATFORMS)}"
            )
        for cell in platform_cells:
            problems += _problems_of(platform, cell, table.regions)
    return table


def generated_conditions(table: Presence) -> dict[str, dict[str, Any]]:
    """Named conditions, as ``conditions.yaml`` entries: ``targets_REGION`` for each region and
    ``PLATFORM_market`` for each platform placed or flagged somewhere."""
    out: dict[str, dict[str, Any]] = {}
    regions = list(table.regions)
    for region, members in table.regions.items():
        other = next(o for o in regions if o != region)
        out[f"targets_{region}"] = {
            "meaning": f"The firm sells into {region.replace('_', ' ')} "
            "(its listed countries, else its region).",
            "zh": {
                "meaning": f"企业销往{value_label('target_region', region, 'zh')}"
                "（以其列出的国家为准，未列出时以其地区为准）。"
            },
            "when": {"field": "target_markets", "op": "contains", "value": region},
            "holds": {
                "region": {"target_region": region},
                "country": {"target_countries": [members[0]]},
            },
            "fails": {"other_region": {"target_region": other}, "unknown": {}},
        }
    for platform in table.cells:
        places, countries = table.places(platform)
        if not places and not countries:
            continue
        label = platform_label(platform)
        where = (
            {"target_region": sorted(places)[0]}
            if places
            else {"target_countries": [sorted(countries)[0]]}
        )
        outside = [r for r in regions if r not in places and not set(table.regions[r]) & countries]
        in_markets = {"field": "platform_markets", "op": "contains", "value": platform}
        worldwide = any("global" in c.where and c.status == "placed" for c in table.cells[platform])
        out[f"{platform}_market"] = {
            "meaning": f"{label} sells in one of the firm's target markets, as the papers "
            "or our flagged knowledge place it (presence.yaml)"
            + (", or the firm sells worldwide without naming countries." if worldwide else "."),
            "zh": {
                "meaning": f"{platform_label(platform, 'zh')}在企业的某个目标市场开展销售"
                "（依据论文或我们标注的知识，见 presence.yaml）"
                + ("，或企业面向全球销售且未列出具体国家。" if worldwide else "。")
            },
            "when": (
                {"any": [in_markets, {"all": [_GLOBAL, _NO_COUNTRIES]}]}
                if worldwide
                else in_markets
            ),
            "holds": {
                "there": where,
                **({"worldwide": {"target_region": "global"}} if worldwide else {}),
            },
            "fails": {
                "unknown": {},
                **({"elsewhere": {"target_region": outside[0]}} if outside else {}),
            },
        }
    return out


_GLOBAL = {"field": "target_region", "op": "eq", "value": "global"}
_NO_COUNTRIES = {"field": "target_countries", "op": "absent"}


@functools.lru_cache(maxsize=1)
def bundled_presence() -> Presence:
    """The presence table of the bundled rules (the derived fields are computed from it)."""
    from .._io.paths import default_rules_dir
    from .._io.safe_yaml import load_rule_file

    problems: list[str] = []
    regions, _ = load_rule_file(default_rules_dir() / "regions.yaml")
    cells, _ = load_rule_file(default_rules_dir() / "presence.yaml")
    table = parse_presence(regions, cells, problems)
    if table is None or problems:
        raise XbecError("the bundled presence table is invalid: " + "; ".join(problems))
    return table


@functools.lru_cache(maxsize=4096)
def _derived(
    region: object, countries: tuple[str, ...] | None
) -> tuple[tuple[str, ...] | None, tuple[str, ...] | None]:
    table = bundled_presence()
    answers = {
        "target_region": region,
        "target_countries": None if countries is None else list(countries),
    }
    targets = table.targets(answers)
    if targets is None:  # (the worldwide platforms' conditions say so themselves)
        return None, None
    markets = {t if t in table.regions else table.region_of(t) for t in targets}
    platforms = tuple(
        p for p in RANKED_PLATFORMS if table.of(p, answers).status in ("placed", "flagged")
    )
    return tuple(sorted(m for m in markets if m)), platforms


def derived_value(field: str, answers: Mapping[str, object]) -> list[str] | None:
    """A derived field's value for the answers (``target_markets``, ``platform_markets``)."""
    countries = answers.get("target_countries")
    key = tuple(countries) if isinstance(countries, list | tuple) else None
    markets, platforms = _derived(answers.get("target_region"), key)
    value = markets if field == "target_markets" else platforms
    return None if value is None else list(value)
