"""Safe YAML reading: no object construction, bounded documents, errors with line numbers.

A document is parsed into nodes, checked (nesting, and the number of values once aliases are
expanded: an "alias bomb" of a few lines is refused before anything is built from it), and only
then turned into Python data. YAML 1.2 scalars: only true/false are booleans (``NO`` is
Norway) and dates stay text (``2024-13-01`` is an id, not an invalid date). A duplicate key is
an error, never a silent overwrite. A bad value behind a tag (``!!int "abc"``) is an error on
its line. The cache of parsed rule files (:mod:`.cache`) only ever sees checked data.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

from .._errors import InputError, shown
from .bounds import MAX_DEPTH, MAX_INPUT_BYTES, check_data, node_budget
from .cache import load_cached, store_cached
from .reading import decode, read_text

__all__ = [
    "MAX_INPUT_BYTES",
    "decode",
    "load_rule_file",
    "load_yaml_file",
    "load_yaml_items",
    "load_yaml_text",
    "read_text",
]

_DROPPED = ("tag:yaml.org,2002:bool", "tag:yaml.org,2002:timestamp")
#: What to do about libyaml's terser messages.
_HINTS = {
    "undefined alias": " (an alias *NAME needs an anchor &NAME before it)",
    "cannot start any token": "; indent with spaces, not tabs, and quote text that starts "
    "with @, ` or %",
    "another document": ": a file holds one document; remove the '---' line and what follows",
    "invalid Unicode character escape": " (a lone surrogate such as \\ud800); write the "
    "character itself, or a valid pair of \\u escapes",
}
_TAG_WANTS = {
    "bool": "true or false",
    "int": "a whole number",
    "float": "a number",
    "timestamp": "a date such as 2024-05-01",
    "binary": "base64 text",
}


@functools.cache
def _yaml() -> tuple[ModuleType, Any]:
    """PyYAML and the loader class, imported on first use: when every rule file comes from the
    cache and the profiles are JSON, YAML is never parsed (and the import costs about 10 ms)."""
    import yaml

    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when PyYAML was built with it

    class Loader(base):  # type: ignore[valid-type,misc]
        """Safe loading, YAML 1.2 scalars, duplicate keys refused, bad tagged values located."""

        def construct_object(self, node: Any, deep: bool = False) -> Any:
            try:
                return super().construct_object(node, deep)
            except yaml.YAMLError:
                raise
            except (ValueError, KeyError, TypeError, OverflowError, ArithmeticError):
                tag = str(node.tag).rpartition(":")[2]
                wants = _TAG_WANTS.get(tag, "a plain value")
                got = shown(node.value) if isinstance(node.value, str) else "this value"
                raise yaml.constructor.ConstructorError(
                    None,
                    None,
                    f"{got} is not valid for the tag !!{tag}: expected {wants}",
                    node.start_mark,
                ) from None

        def construct_mapping(self, node: Any, deep: bool = False) -> Any:
            if isinstance(node, yaml.MappingNode):
                _refuse_duplicates(self, node, yaml)
            return super().construct_mapping(node, deep)

    Loader.yaml_implicit_resolvers = {
        key: [(tag, rx) for tag, rx in resolvers if tag not in _DROPPED]
        for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    Loader.add_implicit_resolver(
        "tag:yaml.org,2002:bool",
        re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
        list("tTfF"),
    )
    return yaml, Loader


def _refuse_duplicates(loader: Any, node: Any, yaml: ModuleType) -> None:
    seen: dict[object, int] = {}
    for key_node, _ in node.value:
        if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == "tag:yaml.org,2002:merge":
            continue
        key = loader.construct_object(key_node)
        line = key_node.start_mark.line + 1
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None,
                None,
                f"duplicate key {shown(key)} (first at line {seen[key]}); "
                "give each key once: a second one would silently replace the first",
                key_node.start_mark,
            )
        seen[key] = line


def _located(exc: Exception, source: str, yaml: ModuleType) -> InputError:
    if isinstance(exc, yaml.MarkedYAMLError):
        mark = exc.problem_mark or exc.context_mark
        where = f"{source}:{mark.line + 1}" if mark else source
        problem = exc.problem or exc.context or "invalid YAML"
        if "maximum nesting depth" in problem:
            problem = f"nested too deeply (the limit is {MAX_DEPTH} levels)"
        problem += next((hint for text, hint in _HINTS.items() if text in problem), "")
        if "could not determine a constructor" in str(exc):
            problem = f"{problem}; tags that build objects are not allowed, write plain values"
        return InputError(f"{where}: {problem}")
    if isinstance(exc, RecursionError):
        return InputError(f"{source}: the document nests too deeply")
    return InputError(f"{source}: invalid YAML: {exc}")


def _check_nodes(node: Any, source: str, budget: int, yaml: ModuleType) -> None:
    """Nesting and size of a node graph, aliases expanded, without building anything."""
    stack = [(node, 0)]
    count = 0
    while stack:
        current, depth = stack.pop()
        count += 1
        if count > budget:
            raise InputError(
                f"{source}:{node.start_mark.line + 1}: more than {budget:,} values once aliases "
                "are expanded; the document multiplies itself through aliases (an alias bomb) "
                "or is too large"
            )
        if isinstance(current, yaml.ScalarNode):
            continue
        if depth >= MAX_DEPTH:
            raise InputError(
                f"{source}:{current.start_mark.line + 1}: nested more than {MAX_DEPTH} levels "
                "deep (or an alias refers to itself)"
            )
        if isinstance(current, yaml.MappingNode):
            for key, value in current.value:
                stack += [(key, depth + 1), (value, depth + 1)]
        else:
            stack += [(item, depth + 1) for item in current.value]


def _compose(text: str, source: str) -> tuple[ModuleType, Any, Any]:
    yaml, loader_class = _yaml()
    loader = loader_class(text)
    try:
        node = loader.get_single_node()
    except (yaml.YAMLError, RecursionError) as exc:
        loader.dispose()
        raise _located(exc, source, yaml) from None
    return yaml, loader, node


def _build(loader: Any, node: Any, source: str, budget: int, yaml: ModuleType) -> object:
    _check_nodes(node, source, budget, yaml)
    try:
        data = loader.construct_document(node)
    except (yaml.YAMLError, RecursionError) as exc:
        raise _located(exc, source, yaml) from None
    check_data(data, f"{source}:{node.start_mark.line + 1}", budget)
    return data


def load_yaml_text(text: str, source: str) -> tuple[object, list[int]]:
    """Parse YAML safely: (data, 1-based line of each top-level list item, if a list)."""
    yaml, loader, node = _compose(text, source)
    try:
        if node is None:
            return None, []
        data = _build(loader, node, source, node_budget(len(text)), yaml)
    finally:
        loader.dispose()
    lines = (
        [item.start_mark.line + 1 for item in node.value]
        if isinstance(node, yaml.SequenceNode)
        else []
    )
    return data, lines


def load_yaml_items(
    text: str, source: str, item_limit: int = MAX_INPUT_BYTES
) -> Iterator[tuple[int, object, InputError | None]]:
    """A list document entry by entry: (line, data, None), or (line, None, error) for an entry
    that cannot be read (an alias bomb, a bad tagged value, too large): one bad entry fails
    alone. A document that is not a list is one entry (line 0)."""
    yaml, loader, node = _compose(text, source)
    try:
        if not isinstance(node, yaml.SequenceNode):
            data = (
                None if node is None else _build(loader, node, source, node_budget(len(text)), yaml)
            )
            yield 0, data, None
            return
        for item in node.value:
            line = item.start_mark.line + 1
            size = item.end_mark.index - item.start_mark.index
            try:
                if size > item_limit:
                    raise InputError(
                        f"{source}:{line}: this entry is {size:,} characters; "
                        f"a profile is at most {item_limit:,}"
                    )
                data = _build(loader, item, source, node_budget(size), yaml)
            except InputError as exc:
                yield line, None, exc
                continue
            yield line, data, None
    finally:
        loader.dispose()


def load_yaml_file(path: Path) -> tuple[object, list[int]]:
    """Read and parse a YAML (or JSON) file safely; see :func:`load_yaml_text`."""
    return load_yaml_text(read_text(path), str(path))


def load_rule_file(path: Path) -> tuple[object, list[int]]:
    """:func:`load_yaml_file` for the rule base's own files, through the parse cache
    (:mod:`.cache`): only a document that was parsed and checked here is stored, and an entry
    read back is checked again."""
    text = read_text(path)
    hit = load_cached(text)
    if hit is not None:
        return hit
    data, lines = load_yaml_text(text, str(path))
    store_cached(text, data, lines)
    return data, lines
