"""Rule format 2: the exact conversion from format 1, migration, loading old folders, layout, names.

``tests/format1/`` holds rule files as they were written in format 1 (the bundled rules with the
most negations, ``ne`` and ``absent``), evaluated here with format 1's own semantics.
"""

from __future__ import annotations

import random
import shutil
import warnings
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from xbec_advisor._cli import main
from xbec_advisor._engine.oracle import rule_truth
from xbec_advisor._errors import RuleBaseError
from xbec_advisor._io.safe_yaml import load_yaml_file
from xbec_advisor._profile.generate import random_answers
from xbec_advisor._rulebase.conditions import parse_condition
from xbec_advisor._rulebase.format1 import convert_rule
from xbec_advisor._rulebase.load import bundled_rulebase, default_rules_dir, load_rulebase
from xbec_advisor._rulebase.models import Rule
from xbec_advisor._rulebase.writer import dump_rule

FORMAT1 = Path(__file__).parent / "format1"
OLD_RULES = [rule for path in sorted(FORMAT1.glob("*/*.yaml")) for rule in load_yaml_file(path)[0]]  # type: ignore[union-attr]
FACTS = sorted(bundled_rulebase().facts)


def _same(a: object, b: object) -> bool:
    return a is b if isinstance(a, bool) or isinstance(b, bool) else a == b


def old_semantics(node: Any, answers: dict[str, object], facts: set[str]) -> bool:
    """Format 1: a comparison on an unanswered field is false; ``not`` is plain negation."""
    if "all" in node:
        return all(old_semantics(n, answers, facts) for n in node["all"])
    if "any" in node:
        return any(old_semantics(n, answers, facts) for n in node["any"])
    if "not" in node:
        return not old_semantics(node["not"], answers, facts)
    if "fact" in node:
        return node["fact"] in facts
    op, value, actual = node["op"], node.get("value"), answers.get(node["field"])
    if op in ("present", "absent"):
        return (actual is None) == (op == "absent")
    if actual is None:
        return False
    tests = {
        "eq": lambda: _same(actual, value),
        "ne": lambda: not _same(actual, value),
        "in": lambda: actual in value,
        "contains": lambda: value in actual,  # type: ignore[operator]
        "contains_any": lambda: any(v in actual for v in value),  # type: ignore[operator]
        "gt": lambda: actual > value,  # type: ignore[operator]
        "gte": lambda: actual >= value,  # type: ignore[operator]
        "lt": lambda: actual < value,  # type: ignore[operator]
        "lte": lambda: actual <= value,  # type: ignore[operator]
    }
    return bool(tests[op]())


def _converted(raw: dict[str, Any]) -> Rule:
    named = {name: n.when.to_data() for name, n in bundled_rulebase().conditions.items()}
    data = convert_rule(raw, named)
    conditions = {name: n.when for name, n in bundled_rulebase().conditions.items()}
    when = parse_condition(data["when"], "when", conditions)
    unless = parse_condition(data["unless"], "unless", conditions) if "unless" in data else None
    return (
        bundled_rulebase()
        .rules[0]
        .model_copy(update={"id": raw["id"], "when": when, "unless": unless})
    )


@pytest.mark.parametrize("raw", OLD_RULES, ids=[r["id"] for r in OLD_RULES])
def test_conversion_fires_on_exactly_the_same_profiles(raw: dict[str, Any]) -> None:
    rule = _converted(raw)
    rng = random.Random(raw["id"])
    for _ in range(1500):
        answers = {
            name: None for name in bundled_rulebase().rules[0].examples[0].profile.model_dump()
        }
        answers.update(random_answers(rng, unknown_rate=rng.choice((0.1, 0.5, 0.9))))
        facts = {f for f in FACTS if rng.random() < 0.3}
        assert (rule_truth(rule, answers, facts) is True) == old_semantics(
            raw["when"], answers, facts
        ), answers


def test_conversion_moves_examples_history_and_weights() -> None:
    pay301 = next(r for r in OLD_RULES if r["id"] == "PAY-301")
    data = convert_rule(pay301)
    assert data["replaces"] == ["PAY-401", "PAY-501"] and data["notes"][0].startswith("Merged from")
    assert "china_import_cards_only" in data["fires"] and "b2b" in data["silent"]
    assert data["unless"] == {
        "field": "business_model",
        "op": "eq",
        "value": "B2B",
    }  # a top-level `not`
    weighted = convert_rule(
        {
            **pay301,
            "platforms": {"amazon": 2},
            "assumptions": [
                "The weight of +2 for Amazon is ours; the paper gives no weight. Kept small."
            ],
        }
    )
    assert (
        weighted["platforms"] == {"amazon": {"points": 2, "why": "Kept small."}}
        and "assumptions" not in weighted
    )


def test_named_conditions_replace_equal_subtrees() -> None:
    named = {
        "exporter": {"field": "trade_direction", "op": "eq", "value": "export"},
        "cn_exporter": {
            "all": [
                {"field": "trade_direction", "op": "eq", "value": "export"},
                {"field": "home_country", "op": "eq", "value": "CN"},
            ]
        },
    }
    when = {
        "all": [
            {"field": "home_country", "op": "eq", "value": "CN"},
            {"field": "firm_size", "op": "eq", "value": "small"},
            {"field": "trade_direction", "op": "eq", "value": "export"},
        ]
    }
    data = convert_rule({"id": "X-101", "when": when, "citations": [], "examples": {}}, named)
    assert data["when"] == {
        "all": [{"is": "cn_exporter"}, {"field": "firm_size", "op": "eq", "value": "small"}]
    }


def _old_pack(tmp_path: Path) -> Path:
    pack = tmp_path / "pack"
    (pack / "payment").mkdir(parents=True)
    shutil.copy(
        FORMAT1 / "payment" / "gong-tmall-global.yaml", pack / "payment" / "gong-tmall-global.yaml"
    )
    return pack


def test_an_old_format_folder_loads_with_a_warning_and_the_same_decisions(tmp_path: Path) -> None:
    pack = _old_pack(tmp_path)
    base = tmp_path / "base"
    shutil.copytree(default_rules_dir(), base)
    for path in (base / "payment").glob("PAY-30[123].yaml"):  # the pack defines these
        path.unlink()
    old_file = pack / "payment" / "gong-tmall-global.yaml"  # a fact the rule base retired
    old_file.write_text(old_file.read_text().replace("import_into_china", "payment_friction"))
    with pytest.warns(DeprecationWarning, match="rule format 1"):
        old = load_rulebase(base, pack)
    assert any("rules migrate" in w for w in old.warnings)
    migrated = tmp_path / "migrated"
    shutil.copytree(pack, migrated)
    result = CliRunner().invoke(main, ["rules", "migrate", str(migrated)])
    assert result.exit_code == 0, result.output
    new = load_rulebase(base, migrated)
    assert not any("rule format 1" in w for w in new.warnings)
    from xbec_advisor._engine.oracle import run_rules

    rng = random.Random(3)
    for _ in range(500):
        answers = random_answers(rng)
        assert run_rules(old.rules, answers)[0] == run_rules(new.rules, answers)[0]


def test_migrate_command_rewrites_a_folder_one_rule_per_file(tmp_path: Path) -> None:
    pack = _old_pack(tmp_path)
    result = CliRunner().invoke(main, ["rules", "migrate", str(pack), "--dry-run"])
    assert (
        result.exit_code == 0
        and "would write" in result.output
        and (pack / "payment" / "gong-tmall-global.yaml").exists()
    )
    result = CliRunner().invoke(main, ["rules", "migrate", str(pack)])
    assert result.exit_code == 0, result.output
    files = sorted(p.name for p in (pack / "payment").iterdir())
    assert files == ["PAY-301.yaml", "PAY-302.yaml", "PAY-303.yaml"]
    text = (pack / "payment" / "PAY-301.yaml").read_text()
    assert "{is: b2b_seller}" in text and "category:" not in text and "fires:" in text
    assert yaml.safe_load(text)["id"] == "PAY-301"


def test_bundled_rule_files_are_written_as_the_writer_writes_them() -> None:
    # every bundled file round-trips: loading it and writing it back gives the same data
    for path in sorted(default_rules_dir().glob("*/*-*.yaml")):
        data, _ = load_yaml_file(path)
        assert yaml.safe_load(dump_rule(data)) == data, path  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("notes.txt", "not part of a rule folder"),
        ("rules.yml", "rename it to rules.yaml"),
        ("payment/extra/PAY-999.yaml", "a folder not expected here"),
        ("payment/PAY-999.yml", "rename it to PAY-999.yaml"),
        ("extras/x.yaml", "not part of a rule folder"),
    ],
)
def test_anything_that_is_not_part_of_a_rule_folder_is_refused_by_name(
    tmp_path: Path, name: str, expected: str
) -> None:
    pack = tmp_path / "pack"
    (pack / "payment").mkdir(parents=True)
    target = pack / name
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text("x: 1\n")
    with pytest.raises(RuleBaseError, match=expected):
        load_rulebase(default_rules_dir(), pack)


def test_named_conditions_are_checked(tmp_path: Path) -> None:
    pack = tmp_path / "pack"
    pack.mkdir()
    (pack / "conditions.yaml").write_text(
        yaml.safe_dump(
            {
                "loop_a": {
                    "meaning": "Refers to loop_b, which refers back.",
                    "when": {"is": "loop_b"},
                    "holds": {"x": {}},
                    "fails": {"y": {}},
                },
                "loop_b": {
                    "meaning": "Refers to loop_a, which refers back.",
                    "when": {"is": "loop_a"},
                    "holds": {"x": {}},
                    "fails": {"y": {}},
                },
                "exporter": {
                    "meaning": "A different definition of a bundled name.",
                    "when": {"field": "firm_size", "op": "eq", "value": "small"},
                    "holds": {"x": {}},
                    "fails": {"y": {}},
                },
            }
        )
    )
    with pytest.raises(RuleBaseError) as info:
        load_rulebase(default_rules_dir(), pack)
    message = str(info.value)
    assert "refers to itself: loop_a -> loop_b -> loop_a" in message
    assert "exporter: named condition defined differently in two rule folders" in message


def test_a_retired_id_resolves_to_the_rule_that_replaced_it() -> None:
    result = CliRunner().invoke(main, ["rules", "show", "PAY-401"])
    assert result.exit_code == 0 and result.output.startswith(
        "PAY-401 was retired: PAY-301 replaces it."
    )
    assert bundled_rulebase().retired["COMP-501"] == "COMP-102"


def test_rules_new_scaffolds_the_next_free_id_and_check_refuses_the_placeholders(
    tmp_path: Path,
) -> None:
    pack = tmp_path / "pack"
    pack.mkdir()
    result = CliRunner().invoke(
        main, ["rules", "new", "payment", "--paper", "gong-tmall-global", "--dir", str(pack)]
    )
    assert result.exit_code == 0, result.output
    created = pack / "payment" / "PAY-305.yaml"  # PAY-301..304 are taken in the paper's block (3)
    assert created.is_file() and f"wrote {created}" in result.output
    result = CliRunner().invoke(main, ["rules", "check", "--rules", str(pack), "--search", "0"])
    assert result.exit_code == 2 and "'TODO' is not a section of gong-tmall-global" in result.output
    data = yaml.safe_load(created.read_text())
    data["citations"][0]["section"] = "3.1"
    created.write_text(yaml.safe_dump(data, sort_keys=False))
    with warnings.catch_warnings():
        result = CliRunner().invoke(main, ["rules", "check", "--rules", str(pack), "--search", "0"])
    assert result.exit_code == 1 and "still a placeholder (TODO)" in result.output
