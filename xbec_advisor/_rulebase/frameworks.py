"""The papers' frameworks and figures as data: PEST, SWOT, operation and marketing models,
the grounded-theory model (``rules/frameworks/``) and dated figures (``rules/figures.yaml``).
"""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .._errors import XbecError, did_you_mean
from .._io.safe_yaml import load_rule_file
from .._profile.model import field_specs

__all__ = ["FRAMEWORK_GROUPS", "Figure", "FrameworkItem", "GroundedModel", "SourceQuote", "load_frameworks"]

#: Framework files (stem of rules/frameworks/<stem>.yaml) and the groups their items may use.
FRAMEWORK_GROUPS: dict[str, tuple[str, ...]] = {
    "pest": ("political", "economic", "social", "technological"),
    "swot": ("strength", "weakness", "opportunity", "threat", "SO", "WO", "ST", "WT"),
    "operation_models": ("fulfilment", "platform_model"),
    "marketing_models": ("marketing_model",),
}


class SourceQuote(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    paper: str
    section: str
    quote: str = Field(min_length=10, max_length=300)


class FrameworkItem(BaseModel):
    """One element of a framework; it applies to a profile when its region and rule gates hold."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str
    framework: str = ""
    group: str
    name: str = ""
    text: str
    regions: tuple[str, ...] = ()
    rules: tuple[str, ...] = ()
    citation: SourceQuote
    source: str = ""


class Figure(BaseModel):
    """A number from a paper, with the year it describes and the rules whose advice uses it."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str
    statement: str
    value: float | None = None
    unit: str = ""
    year: int = Field(ge=1990, le=2030)
    citation: SourceQuote
    used_by: tuple[str, ...] = ()


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
    citation: SourceQuote
    dimensions: dict[str, Dimension]
    categories: dict[str, ModelCategory]

    def dimension_of(self, category: str) -> str:
        return next(code for code, dim in self.dimensions.items() if category in dim.categories)


def _err(exc: ValidationError) -> str:
    e = exc.errors()[0]
    return f"{'.'.join(map(str, e['loc']))}: {e['msg']}"


def _load(path: Path, problems: list[str]) -> tuple[object, list[int]]:
    try:
        return load_rule_file(path)
    except XbecError as exc:
        problems.append(str(exc))
        return None, []


def load_frameworks(root: Path, problems: list[str]) -> tuple[GroundedModel | None, list[FrameworkItem], dict[str, Figure]]:
    """Load the framework and figure files of a rule directory (all optional)."""
    grounded = None
    path = root / "frameworks" / "grounded_model.yaml"
    if path.is_file():
        data, _ = _load(path, problems)
        try:
            grounded = GroundedModel.model_validate(data)
        except ValidationError as exc:
            problems.append(f"{path}: {_err(exc)}")
    items: list[FrameworkItem] = []
    regions = field_specs()["target_region"].values
    for stem, groups in FRAMEWORK_GROUPS.items():
        path = root / "frameworks" / f"{stem}.yaml"
        if not path.is_file():
            continue
        data, lines = _load(path, problems)
        if not isinstance(data, list):
            problems.append(f"{path}: expected a YAML list of items")
            continue
        for i, raw in enumerate(data):
            where = f"{path}:{lines[i] if i < len(lines) else '?'}"
            try:
                item = FrameworkItem.model_validate({**raw, "framework": stem, "source": where} if isinstance(raw, dict) else raw)
            except ValidationError as exc:
                problems.append(f"{where}: {_err(exc)}")
                continue
            if item.group not in groups:
                problems.append(f"{where}: {item.id}: group: '{item.group}' is not allowed{did_you_mean(item.group, groups)}; allowed: {', '.join(groups)}")
            for region in item.regions:
                if region not in regions:
                    problems.append(f"{where}: {item.id}: regions: '{region}' is not a target region{did_you_mean(region, regions)}")
            items.append(item)
    figures: dict[str, Figure] = {}
    path = root / "figures.yaml"
    if path.is_file():
        data, _ = _load(path, problems)
        if not isinstance(data, dict):
            problems.append(f"{path}: expected a mapping of figure id to figure")
        else:
            for fid, raw in data.items():
                try:
                    figures[str(fid)] = Figure.model_validate({**raw, "id": str(fid)} if isinstance(raw, dict) else raw)
                except ValidationError as exc:
                    problems.append(f"{path}: {fid}: {_err(exc)}")
    seen: set[str] = set()
    for item in items:
        if item.id in seen:
            problems.append(f"{item.source}: {item.id}: duplicate framework item id")
        seen.add(item.id)
    return grounded, items, figures
