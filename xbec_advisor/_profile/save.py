"""Writing a profile's answers to a file, keeping what the file already says.

``ask --from F --save F`` must not lose anything F holds: answers to questions that were
skipped as irrelevant, the comments, the order of the keys. Rather than re-emitting the whole
document (PyYAML drops comments; a round-trip library would be one more dependency for this one
use), the original text is kept and only the values that changed are rewritten in place: each
changed answer's value is replaced where it stands (as a flow value, ``[a, b]``), an answer
changed to "don't know" is removed with its lines, a new answer is appended. The result is read
back and compared with the answers; if it differs (a layout this editor does not handle), the
whole profile is written afresh, with a note that the comments could not be kept.
"""

from __future__ import annotations

import datetime
import json
import re
from typing import Any

from .._errors import XbecError
from .._io.safe_yaml import load_yaml_text
from .load import profile_from_data

__all__ = ["profile_text"]

_PLAIN = re.compile(r"^[A-Za-z][A-Za-z0-9_.-]*$")
_RESERVED = {"true", "false", "null", "yes", "no", "on", "off", "y", "n", "~"}


def _flow(value: object) -> str:
    """A value as YAML flow text (also valid JSON for numbers, booleans and quoted text)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_flow(v) for v in value) + "]"
    text = str(value)
    if _PLAIN.match(text) and text.lower() not in _RESERVED:
        return text
    return json.dumps(text, ensure_ascii=False)


def _fresh(answers: dict[str, object], note: str = "") -> str:
    stamp = datetime.date.today().isoformat()
    head = f"# Firm profile saved by `xbec-advisor ask` on {stamp}.\n{note}"
    return head + "".join(f"{key}: {_flow(value)}\n" for key, value in answers.items())


def _last_end(node: Any) -> int:
    """Where a node's own text ends (a block collection's end mark lies past its comments)."""
    while isinstance(node.value, list) and node.value and not node.flow_style:
        last = node.value[-1]
        node = last[1] if isinstance(last, tuple) else last
    return int(node.end_mark.index)


def _line_start(text: str, index: int) -> int:
    return text.rfind("\n", 0, index) + 1


def _line_end(text: str, index: int) -> int:
    end = text.find("\n", index)
    return len(text) if end < 0 else end + 1


def _edits(text: str, answers: dict[str, object]) -> list[tuple[int, int, str]] | None:
    """(start, end, replacement) for each changed answer of a block mapping, else None."""
    import yaml

    node = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    if not isinstance(node, yaml.MappingNode) or node.flow_style:
        return None
    data, _ = load_yaml_text(text, "profile")
    original = profile_from_data(data).answered()  # as validated: [zh, en] is [en, zh]
    edits = []
    for key_node, value_node in node.value:
        key = key_node.value
        if key not in answers:  # answered "don't know": the entry goes, with its lines
            edits.append(
                (
                    _line_start(text, key_node.start_mark.index),
                    _line_end(text, _last_end(value_node)),
                    "",
                )
            )
        elif answers[key] != original.get(key):
            edits.append((value_node.start_mark.index, _last_end(value_node), _flow(answers[key])))
    return edits


def _keys(text: str) -> set[str]:
    data, _ = load_yaml_text(text, "profile")
    return set(data) if isinstance(data, dict) else set()


def profile_text(answers: dict[str, object], original: str | None = None) -> str:
    """The text of a profile file holding ``answers`` (known answers only, in order), made from
    ``original`` (the file's current text) when there is one: its comments, layout and key
    order kept, only what changed rewritten. A JSON file stays JSON."""
    if not original or not original.strip():
        return _fresh(answers)
    if original.lstrip().startswith("{"):
        return json.dumps(answers, indent=2, ensure_ascii=False) + "\n"
    try:
        edits = _edits(original, answers)
    except (XbecError, ValueError, ImportError):
        edits = None
    if edits is None:
        return _fresh(answers, "# (the comments of the previous file could not be kept)\n")
    text = original
    for start, end, replacement in sorted(edits, reverse=True):
        text = text[:start] + replacement + text[end:]
    added = [key for key in answers if key not in _keys(original)]
    if added:
        text = (text if text.endswith("\n") or not text else text + "\n") + "".join(
            f"{key}: {_flow(answers[key])}\n" for key in added
        )
    try:
        result: dict[str, object] | None = profile_from_data(
            load_yaml_text(text, "profile")[0]
        ).answered()
    except XbecError:
        result = None
    if result != answers:
        return _fresh(answers, "# (the comments of the previous file could not be kept)\n")
    return text
