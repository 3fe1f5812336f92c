"""The papers' frameworks and figures as data: PEST, SWOT, operation and marketing models,
the grounded-theory model (``rules/frameworks/``) and dated figures (``rules/figures.yaml``).
"""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .._errors import XbecError, did_you_mean
from .._io.safe_yaml import load_rule_file
from .._profile.model import field_specs
from .citation import Citation

__all__ = [
    "FRAMEWORK_FILES",
    "FRAMEWORK_GROUPS",
    "Figure",
    "FrameworkItem",
    "GroundedModel",
    "load_frameworks",
]

#: Framework files (stem of rules/frameworks/<stem>.yaml) and the groups their items may use.
FRAMEWORK_GROUPS: dict[str, tuple[str, ...]] = {
    "pest": ("political", "economic", "social", "technological"),
    "swot": ("strength", "weakness", "opportunity", "threat", "SO", "WO", "ST", "WT"),
    "operation_models": ("fulfilment", "platform_model"),
    "marketing_models": ("marketing_model",),
}


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
    citation: Citation
    source: str = ""


class Figure(BaseModel):
    """A number from a paper, with the year it describes and the rules whose advice uses it."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str
    statement: str
    value: float | None = None
    unit: str = ""
    year: int = Field(ge=1990, le=2030)
    citation: Citation
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
    citation: Citation
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


def _grounded(root: Path, problems: list[str]) -> GroundedModel | None:
    path = root / "frameworks" / "grounded_model.yaml"
    if not path.is_file():
        return None
    data, _ = _load(path, problems)
    try:
        return GroundedModel.model_validate(data)
    except ValidationError as exc:
        problems.append(f"{path}: {_err(exc)}")
        return None


def _item(raw: object, stem: str, where: str, problems: list[str]) -> FrameworkItem | None:
    try:
        item = FrameworkItem.model_validate(
            {**raw, "framework": stem, "source": where} if isinstance(raw, dict) else raw
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
                {**raw, "id": str(fid)} if isinstance(raw, dict) else raw
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
