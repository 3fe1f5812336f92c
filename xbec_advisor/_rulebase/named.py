"""Named conditions (``conditions.yaml``): situations defined once and used by name, ``{is: NAME}``.

```yaml
sells_to_consumers:
  meaning: The firm sells to consumers, directly (B2C) or through business partners (B2B2C).
  when: {field: business_model, op: in, value: [B2C, B2B2C]}
  holds: {b2c: {business_model: B2C}}
  fails: {b2b: {business_model: B2B}, unknown: {}}
```

A named condition may use other named conditions (not itself, directly or not). Its examples
(``holds``/``fails``) are checked like a rule's; ``fails`` may include profiles on which the
condition is unknown rather than false.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from .._errors import XbecError, did_you_mean
from .._io.safe_yaml import load_rule_file
from .conditions import Condition, ConditionError, parse_condition
from .models import NamedCondition
from .parse import parse_examples

__all__ = ["load_named"]

_KEYS = ("meaning", "when", "holds", "fails")


class _Resolver(Mapping[str, Condition]):
    """The named conditions, each parsed when first referred to
    (so they may refer to each other).
    """

    def __init__(self, raw: dict[str, tuple[object, str]], problems: list[str]) -> None:
        self.raw = raw
        self.problems = problems
        self.parsed: dict[str, Condition | None] = {}
        self.active: list[str] = []

    def __getitem__(self, name: str) -> Condition:
        if name in self.active:
            raise ConditionError(
                "is",
                f"named condition '{name}' refers to itself: {' -> '.join([*self.active, name])}",
            )
        if name not in self.parsed:
            data, where = self.raw[name]
            self.active.append(name)
            try:
                self.parsed[name] = parse_condition(
                    data.get("when") if isinstance(data, dict) else None, "when", self
                )
            except ConditionError as exc:
                self.parsed[name] = None
                self.problems.append(f"{where}: {name}: {exc}")
            finally:
                self.active.pop()
        found = self.parsed[name]
        if found is None:
            raise ConditionError("is", f"named condition '{name}' is invalid (see its own error)")
        return found

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self.raw)

    def __len__(self) -> int:
        return len(self.raw)


def _read(directories: list[Path], problems: list[str]) -> dict[str, tuple[object, str]]:
    raw: dict[str, tuple[object, str]] = {}
    for directory in directories:
        path = directory / "conditions.yaml"
        if not path.is_file():
            continue
        try:
            data, _ = load_rule_file(path)
        except XbecError as exc:
            problems.append(str(exc))
            continue
        if not isinstance(data, dict):
            problems.append(
                f"{path}: expected a mapping of condition name to {{meaning, when, holds, fails}}"
            )
            continue
        for name, entry in data.items():
            if name in raw and raw[name][0] != entry:
                problems.append(
                    f"{path}: {name}: named condition defined differently in two rule folders"
                )
                continue
            raw.setdefault(str(name), (entry, str(path)))
    return raw


def load_named(
    directories: list[Path], problems: list[str], generated: Mapping[str, object] | None = None
) -> dict[str, NamedCondition]:
    """The named conditions of the rule folders, and the ``generated`` ones, checked."""
    raw = _read(directories, problems)
    for name, entry in (generated or {}).items():
        if name in raw:
            problems.append(
                f"{raw[name][1]}: {name}: this name is generated from presence.yaml; choose another"
            )
        raw[name] = (entry, "presence.yaml (generated)")
    resolver = _Resolver(raw, problems)
    out: dict[str, NamedCondition] = {}
    for name, (entry, where) in raw.items():
        at = f"{where}: {name}"
        if not isinstance(entry, dict) or set(entry) - {"zh"} != set(_KEYS):
            keys = sorted(map(str, entry)) if isinstance(entry, dict) else type(entry).__name__
            extra = next(
                (k for k in (entry if isinstance(entry, dict) else ()) if k not in (*_KEYS, "zh")),
                "",
            )
            problems.append(
                f"{at}: expected exactly {', '.join(_KEYS)} (and zh: the Chinese); "
                f"got {keys}{did_you_mean(str(extra), _KEYS)}"
            )
            continue
        if not isinstance(entry["meaning"], str) or len(entry["meaning"]) < 10:
            problems.append(f"{at}: meaning: say in a sentence what the condition means")
        try:
            when = resolver[name]
        except ConditionError:
            continue
        examples = parse_examples(entry, ("holds", "fails"), at, problems)
        out[name] = NamedCondition(
            name=name,
            meaning=str(entry["meaning"]),
            when=when,
            examples=tuple(examples),
            source=where,
            zh=dict(entry["zh"]) if isinstance(entry.get("zh"), dict) else {},
        )
    return out
