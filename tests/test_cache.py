"""The parse cache of rule files: same data as parsing, JSON only, and never in the way."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from xbec_advisor._errors import InputError
from xbec_advisor._io import cache as _cache
from xbec_advisor._io import safe_yaml
from xbec_advisor._io.safe_yaml import load_rule_file, load_yaml_text
from xbec_advisor._rulebase.load import default_rules_dir, load_rulebase

RULE_TEXT = (
    "- id: X-001\n  title: 'NO'\n  when: {field: a, op: eq, value: 1}\n- id: X-002\n  when: {}\n"
)


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("XBEC_ADVISOR_CACHE_DIR", str(folder))
    return folder


def test_a_cached_file_gives_what_parsing_gives(cache: Path, tmp_path: Path) -> None:
    path = tmp_path / "rules.yaml"
    path.write_text(RULE_TEXT)
    parsed = load_yaml_text(RULE_TEXT, str(path))
    assert load_rule_file(path) == parsed
    entries = list((cache / "yaml").glob("*.json"))
    assert len(entries) == 1
    entry = json.loads(entries[0].read_text())
    assert (entry["data"], entry["lines"]) == parsed
    assert entries[0].stem == entry["source"]
    assert (
        load_rule_file(path)
        == parsed
        == (
            [
                {"id": "X-001", "title": "NO", "when": {"field": "a", "op": "eq", "value": 1}},
                {"id": "X-002", "when": {}},
            ],
            [1, 4],
        )
    )


def test_an_entry_is_used_rather_than_parsing(
    cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "rules.yaml"
    path.write_text(RULE_TEXT)
    parsed = load_rule_file(path)

    def no_parsing(text: str, source: str) -> None:
        raise AssertionError("parsed instead of read from the cache")

    monkeypatch.setattr(safe_yaml, "load_yaml_text", no_parsing)
    assert load_rule_file(path) == parsed
    path.write_text(RULE_TEXT + "# edited\n")  # another text: another entry, parsed afresh
    with pytest.raises(AssertionError, match="parsed instead"):
        load_rule_file(path)


def _tampered(entry: dict[str, object], how: str) -> dict[str, object]:
    if how == "data":  # another document, the digest left as it was
        return {**entry, "data": [{"id": "X-001", "title": "tampered"}]}
    if how == "digest":  # another document with its digest recomputed, but for another text
        key = "0" * 64
        data: object = [{"id": "X-001", "title": "tampered"}]
        return {**entry, "source": key, "data": data, "digest": _cache._digest(key, data, [1])}
    # an alias bomb's expansion, stored as JSON with a valid digest
    key = str(entry["source"])
    bomb: object = [["x"] * 200] * 200
    return {**entry, "data": bomb, "lines": [], "digest": _cache._digest(key, bomb, [])}


@pytest.mark.parametrize("how", ["data", "digest", "bomb"])
def test_a_tampered_entry_is_not_trusted(cache: Path, tmp_path: Path, how: str) -> None:
    path = tmp_path / "rules.yaml"
    path.write_text(RULE_TEXT)
    parsed = load_rule_file(path)
    (entry_file,) = (cache / "yaml").glob("*.json")
    entry_file.write_text(json.dumps(_tampered(json.loads(entry_file.read_text()), how)))
    assert load_rule_file(path) == parsed


def test_a_folder_others_can_write_is_not_used(cache: Path, tmp_path: Path) -> None:
    path = tmp_path / "rules.yaml"
    path.write_text(RULE_TEXT)
    parsed = load_rule_file(path)
    (entry_file,) = (cache / "yaml").glob("*.json")
    entry = json.loads(entry_file.read_text())
    data: object = ["from the cache"]
    entry.update(data=data, lines=[7], digest=_cache._digest(entry["source"], data, [7]))
    entry_file.write_text(json.dumps(entry))
    assert load_rule_file(path) == (["from the cache"], [7])  # a valid entry is used...
    (cache / "yaml").chmod(0o777)
    assert load_rule_file(path) == parsed  # ...unless anyone could have written it


def test_an_alias_bomb_is_refused_before_it_is_built_or_cached(cache: Path, tmp_path: Path) -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [
        f"a{i}: &a{i} [*a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}]" for i in range(1, 30)
    ]
    path = tmp_path / "bomb.yaml"
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(InputError, match="alias bomb"):
        load_rule_file(path)
    assert not list(cache.rglob("*.json"))


@pytest.mark.parametrize(
    "damage",
    [
        "{not json",
        json.dumps({"data": 1}),
        json.dumps({"data": 1, "lines": ["x"]}),
        "[]",
        "[" * 5000,
    ],
)
def test_a_damaged_entry_is_ignored(cache: Path, tmp_path: Path, damage: str) -> None:
    path = tmp_path / "rules.yaml"
    path.write_text(RULE_TEXT)
    load_rule_file(path)
    (entry,) = (cache / "yaml").glob("*.json")
    entry.write_text(damage)
    assert load_rule_file(path) == load_yaml_text(RULE_TEXT, str(path))


def test_documents_json_cannot_hold_are_not_cached(cache: Path, tmp_path: Path) -> None:
    for name, text in {
        "dates.yaml": "when: !!timestamp 2024-05-01\n",
        "keys.yaml": "1: one\n",
    }.items():
        (tmp_path / name).write_text(text)
        assert load_rule_file(tmp_path / name) == load_yaml_text(text, name)
    assert not list((cache / "yaml").glob("*.json"))


def test_an_unwritable_or_disabled_cache_is_not_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "rules.yaml"
    path.write_text(RULE_TEXT)
    blocker = tmp_path / "file"
    blocker.write_text("")
    monkeypatch.setenv(
        "XBEC_ADVISOR_CACHE_DIR", str(blocker / "cache")
    )  # below a file: cannot be created
    assert load_rule_file(path) == load_yaml_text(RULE_TEXT, str(path))
    monkeypatch.setenv("XBEC_ADVISOR_CACHE_DIR", "")
    assert _cache.cache_dir() is None and load_rule_file(path)[1] == [1, 4]


def test_default_folder_follows_xdg(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("XBEC_ADVISOR_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert _cache.cache_dir() == tmp_path / "xbec-advisor"


def test_the_cache_is_pruned(cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_cache, "MAX_ENTRIES", 4)
    for k in range(6):
        (tmp_path / f"r{k}.yaml").write_text(f"- id: X-{k:03d}\n")
        load_rule_file(tmp_path / f"r{k}.yaml")
    assert 2 <= len(list((cache / "yaml").glob("*.json"))) <= 4


def test_the_bundled_rule_base_loads_the_same_through_the_cache(cache: Path) -> None:
    cold = load_rulebase(default_rules_dir())
    warm = load_rulebase(default_rules_dir())
    assert len(list((cache / "yaml").glob("*.json"))) >= 60
    assert (
        warm.rules == cold.rules
        and warm.frameworks == cold.frameworks
        and warm.figures == cold.figures
    )
    assert os.environ["XBEC_ADVISOR_CACHE_DIR"] == str(cache)
