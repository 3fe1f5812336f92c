"""The language people read: English (the source texts) or Simplified Chinese.

Interface strings (messages, headings, table headers, errors) are marked in the code with
:func:`_` (translated where they are used) or :func:`N_` (marked only: constants translated
later with :func:`_`), extracted into a gettext catalogue with Babel, and translated in
``xbec_advisor/locale/zh/LC_MESSAGES/xbec_advisor.po`` (docs/translating.md). The compiled
``.mo`` is built with the package (``hatch_build.py``); a source tree without it compiles the
``.po`` in memory once.

The rule base's own texts (titles, advice, labels...) are not in the catalogue: they sit
beside their English in ``rules/`` (docs/rule-format.md, Translations).

The language of a piece of work is a context variable: :func:`using` sets it for a block
(the command line sets it once from ``--lang`` or the environment), so that libraries
embedding the advisor in threads or tasks keep their own.
"""

from __future__ import annotations

import difflib
import gettext
import io
import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache
from pathlib import Path

__all__ = [
    "DOMAIN",
    "LANGUAGES",
    "N_",
    "_",
    "current_language",
    "language_from_environment",
    "ngettext",
    "normalise_language",
    "using",
]

#: The languages of the interface and of the rule base's texts; English is the source.
LANGUAGES = ("en", "zh")
DOMAIN = "xbec_advisor"
LOCALE_DIR = Path(__file__).parent / "locale"
#: The environment variables that choose the language, in order (the first set one wins).
ENVIRONMENT = ("XBEC_LANG", "LC_ALL", "LC_MESSAGES", "LANG")

_current: ContextVar[str] = ContextVar("xbec_advisor_language", default="en")
_ALIASES = {
    "en": "en",
    "english": "en",
    "c": "en",
    "posix": "en",
    "zh": "zh",
    "chinese": "zh",
    "中文": "zh",
    "简体中文": "zh",
    "zh-hans": "zh",
    "zh-cn": "zh",
    "zh-sg": "zh",
}


def normalise_language(text: str) -> str:
    """``en`` or ``zh`` from a language name or locale (``zh_CN.UTF-8``, ``zh-Hans``, ``C``);
    :class:`ValueError` with the allowed values otherwise."""
    raw = text.strip()
    key = raw.split(".")[0].split("@")[0].replace("_", "-").lower()
    if key in _ALIASES:
        return _ALIASES[key]
    if key.split("-")[0] in LANGUAGES:
        return key.split("-")[0]
    close = difflib.get_close_matches(key, list(_ALIASES), n=1)
    hint = f" (did you mean {_ALIASES[close[0]]}?)" if close else ""
    raise ValueError(f"unknown language {raw!r}{hint}: use one of {', '.join(LANGUAGES)}")


def language_from_environment(environ: Mapping[str, str] | None = None) -> str:
    """The language the environment asks for: ``XBEC_LANG``, then ``LC_ALL``, ``LC_MESSAGES``
    and ``LANG`` as POSIX orders them; a locale of another language, or none, means English."""
    env = os.environ if environ is None else environ
    for name in ENVIRONMENT:
        value = env.get(name, "").strip()
        if not value:
            continue
        try:
            return normalise_language(value)
        except ValueError as exc:
            if name == "XBEC_LANG":
                raise ValueError(f"XBEC_LANG: {exc}") from None
            return "en"  # a locale in a language the tool does not speak
    return "en"


def current_language() -> str:
    """The language of the texts being produced (``en`` unless set by :func:`using`)."""
    return _current.get()


@contextmanager
def using(lang: str | None) -> Iterator[str]:
    """Produce texts in ``lang`` inside the block (``None``: keep the current language)."""
    chosen = current_language() if lang is None else normalise_language(lang)
    token = _current.set(chosen)
    try:
        yield chosen
    finally:
        _current.reset(token)


@lru_cache(maxsize=len(LANGUAGES))
def _translations(lang: str) -> gettext.NullTranslations:
    if lang == "en":
        return gettext.NullTranslations()
    compiled = LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.mo"
    source = compiled.with_suffix(".po")
    if compiled.is_file() and not _older(compiled, source):
        with compiled.open("rb") as handle:
            return gettext.GNUTranslations(handle)
    if not source.is_file():
        return gettext.NullTranslations()
    return gettext.GNUTranslations(io.BytesIO(compile_catalogue(source, lang)))


def _older(compiled: Path, source: Path) -> bool:
    """Whether the ``.mo`` predates its ``.po`` (an editable install compiled it before the
    translations changed): the ``.po`` is then compiled in memory instead."""
    try:
        return compiled.stat().st_mtime < source.stat().st_mtime
    except OSError:
        return False


def compile_catalogue(source: Path, lang: str) -> bytes:
    """The ``.mo`` bytes of a ``.po`` file (Babel), fuzzy entries left out."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with source.open("rb") as handle:
        catalogue = read_po(handle, locale=lang, domain=DOMAIN)
    out = io.BytesIO()
    write_mo(out, catalogue, use_fuzzy=False)
    return out.getvalue()


def _(message: str) -> str:
    """``message`` in the current language (the English itself when it has no translation)."""
    lang = _current.get()
    return message if lang == "en" else _translations(lang).gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    """The singular or plural of a message for ``count``, in the current language."""
    lang = _current.get()
    if lang == "en":
        return singular if count == 1 else plural
    return _translations(lang).ngettext(singular, plural, count)


def N_(message: str) -> str:
    """Mark ``message`` for the catalogue without translating it now (a constant)."""
    return message
