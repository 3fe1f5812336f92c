"""The papers' frameworks and figures as data: PEST, SWOT, operation and marketing models,
the grounded-theory model (``rules/frameworks/``) and dated figures (``rules/figures.yaml``).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .._errors import XbecError, did_you_mean
from .._io.safe_yaml import load_rule_file
from .._profile.model import field_specs
from .citation import Citation
from .lang import Translated

__all__ = [
    "FIGURE_REF",
    "FRAMEWORK_FILES",
    "FRAMEWORK_GROUPS",
    "Figure",
    "FrameworkItem",
    "GroundedModel",
    "chinese_amount",
    "figure_refs",
    "fill_figures",
    "load_frameworks",
    "without_zh",
]

#: Framework files (stem of rules/frameworks/<stem>.yaml) and the groups their items may use.
FRAMEWORK_GROUPS: dict[str, tuple[str, ...]] = {
    "pest": ("political", "economic", "social", "technological"),
    "swot": ("strength", "weakness", "opportunity", "threat", "SO", "WO", "ST", "WT"),
    "operation_models": ("fulfilment", "platform_model"),
    "marketing_models": ("marketing_model",),
}


class FrameworkItem(Translated, BaseModel):
    """One element of a framework; it applies to a profile when its region and rule gates hold."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str
    framework: str = ""
    group: str
    name: str = ""
    text: str
    regions: tuple[str, ...] = ()
    rules: tuple[str, ...] = ()
    citation: Citation
    source: str = ""


class Figure(Translated, BaseModel):
    """A number from a paper: what it is (data, a forecast, a platform rule), when, and how sure.

    ``used_by`` is not written: it is the rules whose advice or rationale cite the figure with a
    ``{figure: ID}`` placeholder (computed when the rule base is loaded).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str
    statement: str
    value: float | None = None
    unit: str = ""
    #: data: a measurement; forecast: a prediction; platform_rule: a platform's rule as reported.
    kind: Literal["data", "forecast", "platform_rule"] = "data"
    #: The year described (for a forecast, the year forecast); None when undated.
    year: int | None = Field(default=None, ge=1990, le=2100)
    #: When a forecast was made.
    made: int | None = Field(default=None, ge=1990, le=2030)
    #: stated: the paper gives the year; inferred: we dated it (say how); undated: nobody can.
    dating: Literal["stated", "inferred", "undated"] = "stated"
    dating_note: str = ""
    #: Shown wherever the figure is: why to read it with care.
    caveat: str = ""
    citation: Citation
    #: The rules whose advice relies on the figure (computed from ``cited_by`` when not written).
    used_by: tuple[str, ...] = ()
    #: The rules whose texts cite the figure with ``{figure: ID}`` (computed when loading).
    cited_by: tuple[str, ...] = ()

    def problems(self) -> list[str]:
        """What is inconsistent in the figure's own data."""
        out = []
        if self.kind == "forecast" and (self.year is None or self.made is None):
            out.append("a forecast needs `year` (the year forecast) and `made` (when it was made)")
        if self.dating != "undated" and self.year is None:
            out.append("a dated figure needs `year`")
        if self.dating != "stated" and not self.dating_note:
            out.append(f"a figure dated '{self.dating}' needs `dating_note` (how it was dated)")
        return out

    def inline(self, lang: str = "en") -> str:
        """The figure as it reads inside advice: value and unit, then when (in ``lang``)."""
        if lang == "zh":
            return self._inline_zh()
        value = "" if self.value is None else f"{self.value:g} {self.unit}".strip()
        when = {
            "forecast": f"forecast for {self.year}, made in {self.made}",
            "platform_rule": "as the paper reports the platform's rule",
        }.get(
            self.kind,
            "undated"
            if self.year is None
            else f"{'about ' if self.dating == 'inferred' else ''}{self.year}",
        )
        return f"{value} ({when})" if value else f"({when})"

    def _inline_zh(self) -> str:
        value = "" if self.value is None else chinese_amount(self.value, self.text_in("unit", "zh"))
        when = {
            "forecast": f"{self.made} 年对 {self.year} 年的预测",
            "platform_rule": "据论文所述的平台规则",
        }.get(
            self.kind,
            "未注明年份"
            if self.year is None
            else f"{'约 ' if self.dating == 'inferred' else ''}{self.year} 年",
        )
        return f"{value}（{when}）" if value else f"（{when}）"


#: Chinese units that are a multiple written out (十亿 = a billion), and their size.
_CHINESE_MULTIPLES = (("万亿", 10**12), ("十亿", 10**9), ("百万", 10**6))
#: How Chinese groups large numbers: 亿 (10^8) and 万 (10^4).
_CHINESE_GROUPS = (("万亿", 10**12), ("亿", 10**8), ("万", 10**4))


def chinese_amount(value: float, unit: str) -> str:
    """A value with its Chinese unit as a Chinese reader writes it: ``200`` ``十亿美元`` reads
    ``2000 亿美元``, ``300000`` ``观看人数`` reads ``30 万观看人数``, ``31.7`` ``%`` reads
    ``31.7%``."""
    if unit.startswith("%"):
        return f"{value:g}{unit}"
    amount, rest = value, unit
    for prefix, size in _CHINESE_MULTIPLES:
        if unit.startswith(prefix):
            amount, rest = value * size, unit[len(prefix) :]
            break
    if amount == value and rest == unit and value < 10**5:
        return f"{value:g} {unit}".strip()
    for group, size in _CHINESE_GROUPS:
        if amount >= size:
            return f"{round(amount / size, 4):g} {group}{rest}"
    return f"{amount:g} {rest}".strip()


#: A figure cited in a rule's text: ``{figure: ID}``.
FIGURE_REF = re.compile(r"\{figure:\s*([A-Za-z0-9_]+)\s*\}")


def figure_refs(text: str) -> list[str]:
    """The ids of the figures a text cites."""
    return FIGURE_REF.findall(text)


def fill_figures(text: str, figures: dict[str, Figure], lang: str = "en") -> str:
    """The text with each ``{figure: ID}`` replaced by the figure's value and date in ``lang``."""
    return FIGURE_REF.sub(
        lambda m: figures[m.group(1)].inline(lang) if m.group(1) in figures else m.group(0), text
    )


class Dimension(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    name: str
    role: str
    categories: tuple[str, ...]


class ModelCategory(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    name: str
    concepts: tuple[str, ...]
    signals: tuple[str, ...] = ()


class GroundedModel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    citation: Citation
    dimensions: dict[str, Dimension]
    categories: dict[str, ModelCategory]

    def dimension_of(self, category: str) -> str:
        return next(code for code, dim in self.dimensions.items() if category in dim.categories)


def without_zh(raw: dict[Any, Any]) -> dict[Any, Any]:
    """A mapping without its Chinese (``zh``: read by :mod:`.units`)."""
    return {k: v for k, v in raw.items() if k != "zh"}


def _err(exc: ValidationError) -> str:
    e = exc.errors()[0]
    return f"{'.'.join(map(str, e['loc']))}: {e['msg']}"


def _load(path: Path, problems: list[str]) -> tuple[object, list[int]]:
    try:
        return load_rule_file(path)
    except XbecError as exc:
        problems.append(str(exc))
        return None, []


def _grounded(root: Path, problems: list[str]) -> GroundedModel | None:
    path = root / "frameworks" / "grounded_model.yaml"
    if not path.is_file():
        return None
    data, _ = _load(path, problems)
    if isinstance(data, dict):
        data = {
            key: {
                code: without_zh(entry) if isinstance(entry, dict) else entry
                for code, entry in value.items()
            }
            if key in ("dimensions", "categories") and isinstance(value, dict)
            else value
            for key, value in data.items()
        }
    try:
        return GroundedModel.model_validate(data)
    except ValidationError as exc:
        problems.append(f"{path}: {_err(exc)}")
        return None


def _item(raw: object, stem: str, where: str, problems: list[str]) -> FrameworkItem | None:
    try:
        item = FrameworkItem.model_validate(
            {**without_zh(raw), "framework": stem, "source": where}
            if isinstance(raw, dict)
            else raw
        )
    except ValidationError as exc:
        problems.append(f"{where}: {_err(exc)}")
        return None
    groups = FRAMEWORK_GROUPS[stem]
    if item.group not in groups:
        problems.append(
            f"{where}: {item.id}: group: '{item.group}' is not allowed"
            f"{did_you_mean(item.group, groups)}; allowed: {', '.join(groups)}"
        )
    regions = field_specs()["target_region"].values
    for region in item.regions:
        if region not in regions:
            problems.append(
                f"{where}: {item.id}: regions: '{region}' is not a target region"
                f"{did_you_mean(region, regions)}"
            )
    return item


def _items(root: Path, problems: list[str]) -> list[FrameworkItem]:
    items: list[FrameworkItem] = []
    for stem in FRAMEWORK_GROUPS:
        path = root / "frameworks" / f"{stem}.yaml"
        if not path.is_file():
            continue
        data, lines = _load(path, problems)
        if not isinstance(data, list):
            problems.append(f"{path}: expected a YAML list of items")
            continue
        for i, raw in enumerate(data):
            item = _item(raw, stem, f"{path}:{lines[i] if i < len(lines) else '?'}", problems)
            if item is not None:
                items.append(item)
    return items


def _figures(root: Path, problems: list[str]) -> dict[str, Figure]:
    figures: dict[str, Figure] = {}
    path = root / "figures.yaml"
    if not path.is_file():
        return figures
    data, _ = _load(path, problems)
    if not isinstance(data, dict):
        problems.append(f"{path}: expected a mapping of figure id to figure")
        return figures
    for fid, raw in data.items():
        try:
            figures[str(fid)] = Figure.model_validate(
                {**without_zh(raw), "id": str(fid)} if isinstance(raw, dict) else raw
            )
        except ValidationError as exc:
            problems.append(f"{path}: {fid}: {_err(exc)}")
    return figures


#: Files of ``rules/frameworks/`` (besides one per framework of :data:`FRAMEWORK_GROUPS`).
FRAMEWORK_FILES = ("grounded_model.yaml", *(f"{stem}.yaml" for stem in FRAMEWORK_GROUPS))


def load_frameworks(
    root: Path, problems: list[str]
) -> tuple[GroundedModel | None, list[FrameworkItem], dict[str, Figure]]:
    """Load the framework and figure files of a rule directory (all optional)."""
    return _grounded(root, problems), _items(root, problems), _figures(root, problems)
