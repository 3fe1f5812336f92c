"""The interface's gettext catalogue: up to date with the code, and translated in full."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from tests.conftest import ROOT
from xbec_advisor import _i18n

LOCALE = ROOT / "xbec_advisor" / "locale"
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}
_FIELD = re.compile(r"\{[A-Za-z_][A-Za-z0-9_.]*(?:![rsa])?(?::[^{}]*)?\}")


def _scanned(folder: str) -> bool:
    """The folders Babel reads: the private subpackages (``_cli``...) too, which its default
    filter skips (as ``pybabel extract --ignore-dirs`` does in docs/translating.md)."""
    name = os.path.basename(folder)
    return not (name.startswith(".") or name == "__pycache__")


def test_extraction_reaches_the_subpackages() -> None:
    assert "Page {page} of {pages}" in _in_code()


def _in_code() -> set[str]:
    found: set[str] = set()
    method_map = [("**.py", "python")]
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(ROOT / "xbec_advisor"), method_map, keywords=KEYWORDS, directory_filter=_scanned
    ):
        found.add(message[0] if isinstance(message, tuple) else message)
    return found


def _catalogue(path: Path, lang: str | None = None) -> dict[str, object]:
    with path.open("rb") as handle:
        catalogue = read_po(handle, locale=lang)
    return {m.id if isinstance(m.id, str) else m.id[0]: m for m in catalogue if m.id}


def test_the_subpackages_are_read() -> None:
    """The interface's messages live in the private subpackages: they must be extracted."""
    assert "error: {message}" in _in_code()


def test_the_template_lists_every_message_of_the_code() -> None:
    template = set(_catalogue(LOCALE / "xbec_advisor.pot"))
    code = _in_code()
    assert code - template == set(), (
        "messages missing from the catalogue template: run the extract and update commands of "
        "docs/translating.md"
    )
    assert template - code == set(), "messages no longer in the code: extract and update again"


@pytest.mark.parametrize("lang", [lang for lang in _i18n.LANGUAGES if lang != "en"])
def test_every_message_is_translated(lang: str) -> None:
    po = LOCALE / lang / "LC_MESSAGES" / "xbec_advisor.po"
    messages = _catalogue(po, lang)
    assert set(messages) >= _in_code(), f"{po}: run `pybabel update` (docs/translating.md)"
    for msgid, message in messages.items():
        strings = message.string if isinstance(message.string, tuple) else (message.string,)  # type: ignore[attr-defined]
        assert all(strings), f"{po}: no translation of {msgid!r}"
        assert not message.fuzzy, f"{po}: fuzzy translation of {msgid!r}: check it"  # type: ignore[attr-defined]
        for text in strings:
            # every {placeholder} of the English is kept, and no other is added
            assert sorted(_FIELD.findall(text)) == sorted(_FIELD.findall(msgid)), (msgid, text)


def test_language_from_the_environment() -> None:
    env = _i18n.language_from_environment
    assert env({}) == "en"
    assert env({"LANG": "zh_CN.UTF-8"}) == "zh"
    assert env({"LANG": "zh_CN.UTF-8", "LC_ALL": "en_US.UTF-8"}) == "en"
    assert env({"LC_MESSAGES": "zh_TW.UTF-8", "LANG": "C"}) == "zh"
    assert env({"LANG": "fr_FR.UTF-8"}) == "en"  # a language the tool does not speak
    assert env({"XBEC_LANG": "zh", "LC_ALL": "C"}) == "zh"
    with pytest.raises(ValueError, match="did you mean zh"):
        env({"XBEC_LANG": "zhh"})


def test_using_sets_the_language_for_a_block_only() -> None:
    assert _i18n.current_language() == "en"
    with _i18n.using("zh-Hans"):
        assert _i18n.current_language() == "zh"
        with _i18n.using(None):
            assert _i18n.current_language() == "zh"
    assert _i18n.current_language() == "en"
    with pytest.raises(ValueError, match="use one of en, zh"):
        _i18n.normalise_language("klingon")


def test_a_source_tree_without_the_compiled_catalogue_still_translates(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    messages = _catalogue(LOCALE / "zh" / "LC_MESSAGES" / "xbec_advisor.po", "zh")
    if not messages:
        pytest.skip("the catalogue has no message yet")
    msgid, message = next(iter(messages.items()))
    target = tmp_path / "zh" / "LC_MESSAGES"
    target.mkdir(parents=True)
    (target / "xbec_advisor.po").write_bytes(
        (LOCALE / "zh" / "LC_MESSAGES" / "xbec_advisor.po").read_bytes()
    )
    monkeypatch.setattr(_i18n, "LOCALE_DIR", tmp_path)
    _i18n._translations.cache_clear()
    try:
        with _i18n.using("zh"):
            wanted = message.string if isinstance(message.string, str) else message.string[0]  # type: ignore[attr-defined]
            assert _i18n._(msgid) == wanted
    finally:
        _i18n._translations.cache_clear()
