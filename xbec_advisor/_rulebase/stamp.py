"""``rules translations --stamp``: write ``of:`` (the hash of the English) into each complete
translation that lacks one, editing the YAML text in place.

Nothing else in the file changes: each ``of`` is one inserted line (a block mapping) or one
inserted ``of: "HASH", `` (a flow mapping), placed before the first key of the mapping that
holds it. The result is parsed again and must equal the old data plus the ``of`` keys, else the
file is left alone; it is written atomically (readers see the old file or the new one).
"""

from __future__ import annotations

import copy
from collections import defaultdict
from pathlib import Path
from typing import Any

import yaml

from .._errors import XbecError
from .._io.atomic import write_atomic
from .._io.bounds import MAX_INPUT_BYTES
from .._io.safe_yaml import load_yaml_text
from .translations import english_hash, unit_findings
from .units import Unit

__all__ = ["stamp_units", "stampable"]


def stampable(units: list[Unit]) -> list[Unit]:
    """The units to stamp: complete and valid Chinese, no ``of`` yet."""
    return [u for u in units if u.zh is not None and u.of is None and not unit_findings(u)]


def _child(node: Any, key: str | int) -> Any:
    if isinstance(node, yaml.SequenceNode) and isinstance(key, int):
        return node.value[key]
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            if isinstance(k, yaml.ScalarNode) and k.value == str(key):
                return v
    raise XbecError(f"cannot find '{key}' in the file's YAML")


def _insertion(text: str, holder: Any, digest: str) -> tuple[int, str]:
    """Where and what to insert so that the mapping ``holder`` gets ``of: DIGEST`` first."""
    if not isinstance(holder, yaml.MappingNode):
        raise XbecError("the Chinese is not in a mapping")
    if holder.flow_style or not holder.value:
        if not holder.value:
            return holder.start_mark.index + 1, f'of: "{digest}"'
        return holder.value[0][0].start_mark.index, f'of: "{digest}", '
    for key, _ in holder.value:
        mark = key.start_mark
        line_start = mark.index - mark.column
        if not text[line_start : mark.index].strip():
            return line_start, f'{" " * mark.column}of: "{digest}"\n'
    raise XbecError("no key of the mapping starts its own line")


def _holder(root: Any, unit: Unit) -> Any:
    node = root
    for key in unit.path:
        node = _child(node, key)
    return node if unit.entry else _child(node, "zh")


def _expected(data: object, units: list[Unit]) -> object:
    out = copy.deepcopy(data)
    for unit in units:
        node: Any = out
        for key in unit.path:
            node = node[key]
        (node if unit.entry else node["zh"])["of"] = english_hash(unit.english)
    return out


def _stamp_file(path: Path, units: list[Unit]) -> None:
    if path.stat().st_size > MAX_INPUT_BYTES:
        raise XbecError(f"{path}: larger than {MAX_INPUT_BYTES} bytes")
    text = path.read_text(encoding="utf-8")
    before, _ = load_yaml_text(text, str(path))
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    edits = sorted(
        (_insertion(text, _holder(root, u), english_hash(u.english)) for u in units), reverse=True
    )
    new = text
    for index, insert in edits:
        new = new[:index] + insert + new[index:]
    after, _ = load_yaml_text(new, str(path))
    if after != _expected(before, units):
        raise XbecError(f"{path}: stamping would change more than `of:`; the file is left alone")
    write_atomic(path, new)


def stamp_units(units: list[Unit]) -> tuple[int, list[str]]:
    """Stamp the units (see :func:`stampable`): (units stamped, problems by file)."""
    by_file: dict[Path, list[Unit]] = defaultdict(list)
    for unit in stampable(units):
        by_file[unit.file].append(unit)
    done, problems = 0, []
    for path, todo in sorted(by_file.items()):
        try:
            _stamp_file(path, todo)
        except (XbecError, OSError, yaml.YAMLError) as exc:
            problems.append(f"{path}: not stamped: {exc}")
            continue
        done += len(todo)
    return done, problems
