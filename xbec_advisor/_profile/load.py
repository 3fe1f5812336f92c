"""Turning user data (mappings, files, stdin) into validated :class:`Profile` objects."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from .._errors import InputError, ProfileError, did_you_mean, shown
from .._io.bounds import MAX_INPUT_BYTES, check_data, node_budget
from .._io.safe_yaml import decode, load_yaml_text, read_text
from .model import Profile, field_specs

__all__ = [
    "META_KEYS",
    "load_profile_document",
    "load_profile_file",
    "load_profile_text",
    "load_profile_with_meta",
    "profile_from_data",
    "split_meta",
]


def _describe(error: ErrorDetails) -> str:
    loc = [str(p) for p in error["loc"]]
    field = loc[0] if loc else "profile"
    specs = field_specs()
    spec = specs.get(field)
    where = shown(".".join(loc), quote=False)
    kind = str(error["type"])
    value = error.get("input")
    if kind == "extra_forbidden":
        return (
            f"{where}: unknown field{did_you_mean(field, specs)}; "
            "`xbec-advisor schema` lists the fields"
        )
    if (
        spec is not None
        and spec.values
        and kind in ("literal_error", "enum")
        and isinstance(value, list | dict)
    ):
        return (
            f"{where}: expected one value, got a {type(value).__name__}; "
            f"allowed: {', '.join(spec.values)}"
        )
    if spec is not None and spec.values and kind in ("literal_error", "enum"):
        return (
            f"{where}: {shown(value)} is not allowed{did_you_mean(value, spec.values)}; "
            f"allowed: {', '.join(spec.values)}"
        )
    friendly = {
        "list_type": "expected a list, e.g. [a, b]",
        "bool_parsing": "expected true or false",
        "bool_type": "expected true or false",
        "int_parsing": "expected a whole number",
        "int_type": "expected a whole number",
        "float_parsing": "expected a number",
        "int_from_float": "expected a whole number",
    }
    if kind in ("less_than_equal", "greater_than_equal"):
        ctx = error.get("ctx") or {}
        bound = ctx.get("le", ctx.get("ge"))
        word = "at most" if kind == "less_than_equal" else "at least"
        return f"{where}: {word} {bound:,} (got {shown(value)})"
    if kind == "too_long":
        ctx = error.get("ctx") or {}
        return f"{where}: at most {ctx.get('max_length')} items, got {ctx.get('actual_length')}"
    msg = friendly.get(kind) or str(error["msg"]).removeprefix("Value error, ")
    msg = shown(msg, 200, quote=False)  # a validator's message may quote the value
    got = shown(value)
    return f"{where}: {msg} (got {got})" if kind != "missing" else f"{where}: {msg}"


def profile_from_data(data: object, source: str = "profile") -> Profile:
    """Validate a mapping of answers; raise :class:`ProfileError` naming each bad field."""
    if isinstance(data, Profile):
        return data
    if not isinstance(data, Mapping):
        raise ProfileError(
            [f"expected a mapping of field: answer, got {type(data).__name__}"], source
        )
    bad_keys = [k for k in data if not isinstance(k, str)]
    if bad_keys:
        raise ProfileError(
            [f"field names must be text, got {shown(bad_keys[0], quote=False)}"], source
        )
    try:
        return Profile.model_validate(dict(data))
    except ValidationError as exc:
        raise ProfileError([_describe(e) for e in exc.errors()], source) from None


#: Keys a profile file may carry besides the answers: who the firm is (never read by the rules).
META_KEYS = ("id", "name")
_MAX_META = 200


def split_meta(data: object, source: str = "profile") -> tuple[dict[str, str], object]:
    """(the firm's ``id`` and ``name``, the answers) of a profile mapping."""
    if not isinstance(data, Mapping):
        return {}, data
    meta: dict[str, str] = {}
    for key in META_KEYS:
        value = data.get(key)
        if value is None or value == "":
            continue
        if (
            not isinstance(value, str | int)
            or isinstance(value, bool)
            or len(str(value)) > _MAX_META
        ):
            raise ProfileError(
                [f"{key}: expected a text of at most {_MAX_META} characters"], source
            )
        meta[key] = str(value)
    return meta, {k: v for k, v in data.items() if k not in META_KEYS}


def load_profile_document(text: str, source: str) -> tuple[Profile, dict[str, str]]:
    """A profile and its ``id``/``name`` from YAML or JSON text."""
    data, _ = load_yaml_text(text, source)
    if data is None:
        raise InputError(f"{source}: empty document; expected a mapping of field: answer")
    meta, answers = split_meta(data, source)
    return profile_from_data(answers, source), meta


def load_profile_text(text: str, source: str) -> Profile:
    return load_profile_document(text, source)[0]


def load_profile_file(path: Path | str) -> Profile:
    """Load one profile from a YAML or JSON file (its ``id`` and ``name`` are set aside)."""
    path = Path(path)
    return load_profile_text(read_text(path), str(path))


def load_profile_with_meta(path: Path | str) -> tuple[Profile, dict[str, str]]:
    """:func:`load_profile_file`, with the file's ``id`` and ``name``."""
    path = Path(path)
    return load_profile_document(read_text(path), str(path))


def check_profile_data(data: object, source: str, size: int = MAX_INPUT_BYTES) -> None:
    """The limits of a profile read from a file, for one that comes from elsewhere (a row of a
    batch, a library call): nesting, size (aliases expanded) and valid text."""
    check_data(data, source, node_budget(size))


def load_profile_bytes(raw: bytes, source: str) -> Profile:
    return load_profile_text(decode(raw, source), source)
