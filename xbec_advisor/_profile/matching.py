"""Matching what people write in spreadsheets and answers to the profile's ids.

Columns match fields by id, by label (``rules/vocabulary.yaml``) or by question text (the
field's description); choices match by id or label; yes/no by the usual words; countries by
ISO alpha-2 or alpha-3 code or by English or Chinese name; languages by code or English or
Chinese name (names from Babel's CLDR data). Case, spaces and punctuation are ignored
(:func:`normalise`). What does not match raises :class:`ValueError` naming the closest matches.

Every alias of a field or a value comes from :func:`field_aliases` and :func:`value_aliases`,
which read the labels and questions of every language the tool speaks (``rules/vocabulary.yaml``,
English and Chinese): columns, choices and the questionnaire accept them all.
"""

from __future__ import annotations

import difflib
import functools
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping

from .._errors import shown
from .._i18n import _, current_language
from .iso import COUNTRIES, LANGUAGES
from .labels import field_label, question, value_label

__all__ = [
    "META_ALIASES",
    "closest",
    "closest_choices",
    "column_suggestions",
    "field_aliases",
    "hint",
    "match_bool",
    "match_choice",
    "match_column",
    "match_country",
    "match_language",
    "normalise",
    "quoted",
    "split_list",
    "value_aliases",
]

#: Columns that name the firm rather than answer a question, with the headers they go by.
META_ALIASES: dict[str, tuple[str, ...]] = {
    "id": (
        "id",
        "client id",
        "firm id",
        "company id",
        "identifier",
        "ref",
        "reference",
        "编号",
        "客户编号",
    ),
    "name": (
        "name",
        "firm",
        "firm name",
        "company",
        "company name",
        "client",
        "client name",
        "名称",
        "企业名称",
        "客户名称",
    ),
}
#: Yes/no words of a table cell (``ask`` keeps its menu numbers: 1 yes, 2 no).
_BOOLS = {
    **dict.fromkeys(("yes", "y", "true", "1", "是"), True),
    **dict.fromkeys(("no", "n", "false", "0", "否"), False),
}


@functools.lru_cache(maxsize=4096)
def normalise(text: str) -> str:
    """``text`` compared loosely: Unicode-normalised, case-folded, letters and digits only
    (``"Business model"``, ``"business_model"`` and ``"BUSINESS-MODEL"`` are one). The last
    texts are remembered: a sheet's cells repeat the same few values."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return "".join(ch for ch in folded if ch.isalnum())


def field_aliases(name: str) -> list[str]:
    """Every header a column of field ``name`` goes by: its id, and its label and question in
    every language of the tool (English and Chinese)."""
    from .._i18n import LANGUAGES as SPOKEN
    from .model import condition_specs

    out = [name, *META_ALIASES.get(name, ())]
    if name not in condition_specs():
        return out
    for lang in SPOKEN:
        out += [field_label(name, lang), question(name, lang)]
    return out


def value_aliases(field: str, value: str) -> list[str]:
    """Every way a cell may give ``value`` of ``field``: its id and its label in every language
    of the tool (``B2C: selling to consumers``, ``B2C：面向消费者销售``)."""
    from .._i18n import LANGUAGES as SPOKEN

    return [value, *(value_label(field, value, lang) for lang in SPOKEN)]


def closest(word: str, options: Iterable[str], n: int = 3) -> list[str]:
    """The ``options`` closest to ``word`` (compared normalised), best first."""
    by_key: dict[str, str] = {}
    for option in options:
        by_key.setdefault(normalise(option), option)
    key = normalise(word)[:100]  # difflib is quadratic in the length
    found = difflib.get_close_matches(key, list(by_key), n=n, cutoff=0.5)
    return [by_key[k] for k in found]


def quoted(text: str) -> str:
    """What a person typed, as an error message quotes it: 'text' in English, “text” in
    Chinese (on one line, control characters escaped, long texts cut)."""
    if current_language() == "en":
        return shown(text)
    return f"“{shown(text, quote=False)}”"


def hint(near: list[str]) -> str:
    """`` (did you mean 'a' or 'b'?)`` in the current language (Chinese quotes in Chinese), or
    ''."""
    if not near:
        return ""
    return _(" (did you mean {choices}?)").format(choices=_(" or ").join(quoted(o) for o in near))


def _did_you_mean(word: str, options: Iterable[str]) -> str:
    return hint(closest(word, options))


def _nearest_shown(
    word: str, aliases: Mapping[str, str], label: Callable[[str], str], n: int = 3
) -> list[str]:
    """The ids whose aliases (``alias: id``, every language) are closest to ``word``, each
    shown by ``label`` (its name in the current language), best first, without repeats."""
    out: list[str] = []
    for alias in closest(word, aliases, n=2 * n):
        shown_as = label(aliases[alias])
        if shown_as not in out:
            out.append(shown_as)
    return out[:n]


def closest_choices(field: str, values: tuple[str, ...], text: str) -> list[str]:
    """The choices of ``field`` closest to ``text`` (by id or label in any language), as
    people of the current language read them: English keeps the alias that matched."""
    aliases = {alias: v for v in values for alias in value_aliases(field, v)}
    lang = current_language()
    if lang == "en":
        return closest(text, aliases)
    return _nearest_shown(text, aliases, lambda v: value_label(field, v, lang))


@functools.lru_cache(maxsize=1)
def _columns() -> dict[str, str]:
    from .model import field_specs

    index: dict[str, str] = {}
    for name in (*META_ALIASES, *field_specs()):
        for alias in field_aliases(name):
            index.setdefault(normalise(alias), name)
    return index


def match_column(header: str) -> str | None:
    """The field (or ``id``/``name``) a column header stands for, or None."""
    return _columns().get(normalise(header)) if normalise(header) else None


def column_suggestions(header: str) -> list[str]:
    """The field ids closest to an unmatched header (by id, label or question)."""
    from .model import field_specs

    names = [*META_ALIASES, *field_specs()]
    aliases = {alias: name for name in names for alias in field_aliases(name)}
    out: list[str] = []
    for alias in closest(header, aliases, n=6):
        if aliases[alias] not in out:
            out.append(aliases[alias])
    return out[:3]


_HEAD = re.compile(r"^(.+?)\s*[(（:：]")
_CJK = re.compile(r"[\u3400-\u9fff]")


@functools.lru_cache(maxsize=64)
def _choices(field: str, values: tuple[str, ...]) -> dict[str, str]:
    """Normalised alias -> value: ids and labels, and a label's head before its explanation
    (``出口`` for ``出口（向海外销售）``, ``Export`` for ``Export (selling abroad)``) where that
    head names one value only."""
    index: dict[str, str] = {}
    heads: dict[str, set[str]] = {}
    for value in values:
        for alias in value_aliases(field, value):
            index.setdefault(normalise(alias), value)
            found = _HEAD.match(alias)
            if found and normalise(found.group(1)):
                heads.setdefault(normalise(found.group(1)), set()).add(value)
    for short, named in heads.items():
        if len(named) == 1:
            index.setdefault(short, next(iter(named)))
    return index


def _by_prefix(index: dict[str, str], key: str) -> str | None:
    """The one value whose Chinese alias starts with ``key`` (``珠宝`` for ``珠宝首饰``), if
    exactly one does: Chinese answers are often the first characters of the label."""
    if len(key) < 2 or not _CJK.search(key):
        return None
    found = {value for alias, value in index.items() if alias.startswith(key)}
    return next(iter(found)) if len(found) == 1 else None


def match_choice(field: str, values: tuple[str, ...], text: str) -> str:
    """The value of ``field`` (one of ``values``) that ``text`` gives by id or label."""
    key = normalise(text)
    index = _choices(field, values)
    found = index.get(key) or _by_prefix(index, key)
    if found is not None and key:
        return found
    raise ValueError(
        _("{text} is not one of the choices{hint}; allowed: {allowed}").format(
            text=quoted(text),
            hint=hint(closest_choices(field, values, text)),
            allowed=", ".join(values),
        )
    )


def match_bool(text: str) -> bool:
    """yes/no, y/n, true/false, 1/0 (any case)."""
    found = _BOOLS.get(normalise(text))
    if found is None:
        raise ValueError(
            _("{text} is not yes or no; allowed: yes, no, true, false, 1, 0").format(
                text=quoted(text)
            )
        )
    return found


@functools.lru_cache(maxsize=1)
def _countries() -> dict[str, str]:
    from babel import Locale
    from babel.core import get_global

    index = {normalise(code): code for code in COUNTRIES}
    for alias, targets in get_global("territory_aliases").items():
        if len(targets) == 1 and targets[0] in COUNTRIES and (len(alias) == 3 or alias == "UK"):
            index.setdefault(normalise(alias), targets[0])
    for locale in ("en", "zh"):
        for code, name in Locale(locale).territories.items():
            if code in COUNTRIES:
                index.setdefault(normalise(name), code)
    return index


@functools.lru_cache(maxsize=1)
def _languages() -> dict[str, str]:
    from babel import Locale

    index = {normalise(code): code for code in LANGUAGES}
    for locale in ("en", "zh"):
        for code, name in Locale(locale).languages.items():
            base = code.split("_")[0]
            if base in LANGUAGES:
                index.setdefault(normalise(name), base)
    return index


def match_country(text: str) -> str:
    """An ISO 3166-1 alpha-2 code from a code (``US``, ``USA``) or a name (``United States``,
    ``美国``)."""
    found = _countries().get(normalise(text))
    if found is None or not normalise(text):
        raise ValueError(
            _(
                "{text} is not a country{hint}: give an ISO code (CN, USA) or a name "
                "(China, United States)"
            ).format(text=quoted(text), hint=_near_names(text, "countries", COUNTRIES))
        )
    return found


def match_language(text: str) -> str:
    """An ISO 639-1 code from a code (``zh``, ``zh-Hans``) or a name (``Chinese``, ``中文``)."""
    key = normalise(text)
    found = _languages().get(key)
    if found is None and ("-" in text or "_" in text):
        found = _languages().get(normalise(text.replace("_", "-").split("-")[0]))
    if found is None or not key:
        raise ValueError(
            _(
                "{text} is not a language{hint}: give an ISO code (en, zh) or a name "
                "(English, Chinese)"
            ).format(text=quoted(text), hint=_near_names(text, "languages", LANGUAGES))
        )
    return found


def _near_names(text: str, kind: str, codes: frozenset[str]) -> str:
    """The " (did you mean ...?)" of a country or language: English names in English; in
    Chinese, the closest by English or Chinese name, shown by their Chinese names."""
    from babel import Locale

    lang = current_language()

    def names(locale: str) -> dict[str, str]:
        table = Locale(locale).territories if kind == "countries" else Locale(locale).languages
        return {n: c for c, n in table.items() if c in codes}

    if lang == "en":
        return _did_you_mean(text, list(names("en")))
    aliases = {**names("en"), **names("zh")}
    field = "home_country" if kind == "countries" else "team_languages"
    return hint(_nearest_shown(text, aliases, lambda code: value_label(field, code, lang)))


def split_list(text: str) -> list[str]:
    """The items of a list cell: separated by ';', or by ',' when there is no ';' (the
    full-width ；，and the enumeration comma 、 of Chinese text count as ; and ,)."""
    text = text.replace("；", ";").replace("，", ",").replace("、", ",")
    sep = ";" if ";" in text else ","
    return [part.strip() for part in text.split(sep) if part.strip()]
