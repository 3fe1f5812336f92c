"""Turning user data (mappings, files, stdin) into validated :class:`Profile` objects."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from .._errors import InputError, ProfileError, did_you_mean, shown
from .._i18n import N_, _
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


#: pydantic's errors said plainly.
_FRIENDLY = {
    "list_type": N_("expected a list, e.g. [a, b]"),
    "bool_parsing": N_("expected true or false"),
    "bool_type": N_("expected true or false"),
    "int_parsing": N_("expected a whole number"),
    "int_type": N_("expected a whole number"),
    "float_parsing": N_("expected a number"),
    "int_from_float": N_("expected a whole number"),
}


def _describe(error: ErrorDetails) -> str:
    loc = [str(p) for p in error["loc"]]
    field = loc[0] if loc else "profile"
    specs = field_specs()
    spec = specs.get(field)
    where = shown(".".join(loc), quote=False)
    kind = str(error["type"])
    value = error.get("input")
    if kind == "extra_forbidden":
        return _("{where}: unknown field{hint}; `xbec-advisor schema` lists the fields").format(
            where=where, hint=did_you_mean(field, specs)
        )
    if (
        spec is not None
        and spec.values
        and kind in ("literal_error", "enum")
        and isinstance(value, list | dict)
    ):
        return _("{where}: expected one value, got a {kind}; allowed: {allowed}").format(
            where=where, kind=type(value).__name__, allowed=", ".join(spec.values)
        )
    if spec is not None and spec.values and kind in ("literal_error", "enum"):
        return _("{where}: {value} is not allowed{hint}; allowed: {allowed}").format(
            where=where,
            value=shown(value),
            hint=did_you_mean(value, spec.values),
            allowed=", ".join(spec.values),
        )
    if kind in ("less_than_equal", "greater_than_equal"):
        ctx = error.get("ctx") or {}
        bound = ctx.get("le", ctx.get("ge"))
        text = (
            _("{where}: at most {bound} (got {value})")
            if kind == "less_than_equal"
            else _("{where}: at least {bound} (got {value})")
        )
        return text.format(where=where, bound=f"{bound:,}", value=shown(value))
    if kind == "too_long":
        ctx = error.get("ctx") or {}
        return _("{where}: at most {limit} items, got {count}").format(
            where=where, limit=ctx.get("max_length"), count=ctx.get("actual_length")
        )
    msg = _(_FRIENDLY[kind]) if kind in _FRIENDLY else str(error["msg"])
    msg = shown(msg.removeprefix("Value error, "), 200, quote=False)  # it may quote the value
    got = shown(value)
    if kind == "missing":
        return f"{where}: {msg}"
    return _("{where}: {problem} (got {value})").format(where=where, problem=msg, value=got)


def profile_from_data(data: object, source: str = "profile") -> Profile:
    """Validate a mapping of answers; raise :class:`ProfileError` naming each bad field."""
    if isinstance(data, Profile):
        return data
    if not isinstance(data, Mapping):
        raise ProfileError(
            [_("expected a mapping of field: answer, got {kind}").format(kind=type(data).__name__)],
            source,
        )
    bad_keys = [k for k in data if not isinstance(k, str)]
    if bad_keys:
        raise ProfileError(
            [_("field names must be text, got {key}").format(key=shown(bad_keys[0], quote=False))],
            source,
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
                [
                    _("{key}: expected a text of at most {limit} characters").format(
                        key=key, limit=_MAX_META
                    )
                ],
                source,
            )
        meta[key] = str(value)
    return meta, {k: v for k, v in data.items() if k not in META_KEYS}


def load_profile_document(text: str, source: str) -> tuple[Profile, dict[str, str]]:
    """A profile and its ``id``/``name`` from YAML or JSON text."""
    data, _lines = load_yaml_text(text, source)
    if data is None:
        raise InputError(
            _("{source}: empty document; expected a mapping of field: answer").format(source=source)
        )
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
