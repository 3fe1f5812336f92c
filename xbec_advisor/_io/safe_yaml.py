"""Safe YAML reading: no object construction, a size limit, and errors with line numbers."""

from __future__ import annotations

import functools
import re
from pathlib import Path
from types import ModuleType
from typing import Any

from .._errors import InputError
from .cache import load_cached, store_cached

__all__ = ["MAX_INPUT_BYTES", "load_rule_file", "load_yaml_file", "load_yaml_text"]

#: Largest file the advisor reads (profiles, scenario lists, rule files): 2 MiB.
MAX_INPUT_BYTES = 2 * 1024 * 1024


@functools.cache
def _yaml() -> tuple[ModuleType, Any]:
    """PyYAML and the loader class, imported on first use: when every rule file comes from the
    cache and the profiles are JSON, YAML is never parsed (and the import costs about 10 ms)."""
    import yaml

    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when PyYAML was built with it

    class Loader(base):  # type: ignore[valid-type,misc]
        """Safe loading with YAML 1.2 booleans: only true/false, so `NO` (Norway) stays text."""

    Loader.yaml_implicit_resolvers = {
        key: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:bool"]
        for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    Loader.add_implicit_resolver(
        "tag:yaml.org,2002:bool",
        re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
        list("tTfF"),
    )
    return yaml, Loader


def load_yaml_text(text: str, source: str) -> tuple[object, list[int]]:
    """Parse YAML safely: (data, 1-based line of each top-level list item, if a list)."""
    yaml, loader_class = _yaml()
    loader = loader_class(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"{source}:{mark.line + 1}" if mark else source
        problem = exc.problem or exc.context or "invalid YAML"
        if "could not determine a constructor" in str(exc):
            problem = f"{problem}; tags that build objects are not allowed, write plain values"
        raise InputError(f"{where}: {problem}") from None
    except yaml.YAMLError as exc:
        raise InputError(f"{source}: invalid YAML: {exc}") from None
    except RecursionError:
        raise InputError(f"{source}: the document nests too deeply") from None
    finally:
        loader.dispose()
    lines = (
        [item.start_mark.line + 1 for item in node.value]
        if isinstance(node, yaml.SequenceNode)
        else []
    )
    return data, lines


def read_text(path: Path, limit: int = MAX_INPUT_BYTES) -> str:
    """Read a UTF-8 text file, refusing large, binary and undecodable files."""
    try:
        size = path.stat().st_size
        if size > limit:
            raise InputError(f"{path}: file is {size:,} bytes; the limit is {limit:,} bytes")
        raw = path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a directory, expected a file") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror}") from None
    return decode(raw, str(path), limit)


def decode(raw: bytes, source: str, limit: int = MAX_INPUT_BYTES) -> str:
    if len(raw) > limit:
        raise InputError(f"{source}: input is {len(raw):,} bytes; the limit is {limit:,} bytes")
    if b"\x00" in raw:
        raise InputError(f"{source}: looks like a binary file; expected YAML or JSON text")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"{source}: not UTF-8 text (bad byte at offset {exc.start})") from None


def load_yaml_file(path: Path) -> tuple[object, list[int]]:
    """Read and parse a YAML (or JSON) file safely; see :func:`load_yaml_text`."""
    return load_yaml_text(read_text(path), str(path))


def load_rule_file(path: Path) -> tuple[object, list[int]]:
    """:func:`load_yaml_file` for the rule base's own files,
    through the parse cache (``_cache.py``).
    """
    text = read_text(path)
    hit = load_cached(text)
    if hit is not None:
        return hit
    data, lines = load_yaml_text(text, str(path))
    store_cached(text, data, lines)
    return data, lines
