"""Bad rule files are refused at load time with messages naming file, rule and field."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from xbec_advisor._errors import RuleBaseError
from xbec_advisor._rulebase.load import default_rules_dir, load_rulebase

GOOD: dict[str, Any] = {
    "id": "PAY-901",
    "title": "Offer local e-wallets",
    "advice": "Add the e-wallets your buyers use.",
    "rationale": "Buyers abandon orders when their payment method is missing.",
    "when": {"field": "target_region", "op": "eq", "value": "southeast_asia"},
    "unless": {"field": "payment_modes", "op": "contains", "value": "local_ewallet"},
    "citations": [
        {
            "paper": "zou-live-sea",
            "section": "table-2",
            "quote": "The payment system is not perfect",
        }
    ],
    "fires": {"card_only": {"target_region": "southeast_asia", "payment_modes": ["credit_card"]}},
    "silent": {
        "with_wallet": {"target_region": "southeast_asia", "payment_modes": ["local_ewallet"]}
    },
}


def make_base(tmp_path: Path, *rules: object, category: str = "payment") -> Path:
    root = tmp_path / "rules"
    (root / "derived").mkdir(parents=True)
    shutil.copy(default_rules_dir() / "papers.yaml", root / "papers.yaml")
    for name in ("conditions.yaml", "regions.yaml", "presence.yaml"):
        shutil.copy(default_rules_dir() / name, root / name)
    shutil.copy(default_rules_dir() / "derived" / "common.yaml", root / "derived" / "common.yaml")
    (root / category).mkdir()
    for i, rule in enumerate(rules):
        name = (
            rule["id"] if isinstance(rule, dict) and isinstance(rule.get("id"), str) else f"rule{i}"
        )
        path = root / category / f"{name}.yaml"
        path = path if not path.exists() else root / category / f"{name}-{i}.yaml"
        path.write_text(yaml.safe_dump(rule, sort_keys=False))
    return root


def errors_for(tmp_path: Path, *rules: object, category: str = "payment") -> str:
    with pytest.raises(RuleBaseError) as info:
        load_rulebase(make_base(tmp_path, *rules, category=category))
    return str(info.value)


def with_(**changes: Any) -> dict[str, Any]:
    return {**GOOD, **changes}


def test_good_rule_loads(tmp_path: Path) -> None:
    rb = load_rulebase(make_base(tmp_path, GOOD))
    assert [r.id for r in rb.rules] == ["PAY-901"]
    assert rb.rules[0].source.endswith("payment/PAY-901.yaml")
    assert rb.rules[0].category == "payment"  # from the folder


BAD_CASES = {
    "unknown_field": (
        with_(when={"field": "target_regoin", "op": "eq", "value": "europe"}),
        "PAY-901: when.field: unknown profile field 'target_regoin' "
        "(did you mean 'target_region'?)",
    ),
    "unknown_value": (
        with_(when={"field": "target_region", "op": "eq", "value": "south_east_asia"}),
        "'south_east_asia' is not a value of 'target_region' (did you mean 'southeast_asia'?)",
    ),
    "unknown_operator": (
        with_(when={"field": "target_region", "op": "equals", "value": "europe"}),
        "when.op: unknown operator 'equals'",
    ),
    "ne_operator": (
        with_(when={"field": "target_region", "op": "ne", "value": "europe"}),
        "'ne' is not an operator in rule format 2: write {not: {field, op: eq, value}}",
    ),
    "operator_wrong_kind": (
        with_(when={"field": "payment_modes", "op": "gt", "value": 3}),
        "operator 'gt' does not apply to list field 'payment_modes'",
    ),
    "unknown_name": (
        with_(when={"is": "exporters"}),
        "when.is: no named condition 'exporters' (did you mean 'exporter'?)",
    ),
    "bad_unless": (
        with_(unless={"field": "payment_modes", "op": "contains", "value": "cash"}),
        "unless.value: 'cash' is not a value of 'payment_modes'",
    ),
    "missing_citation": (
        {k: v for k, v in GOOD.items() if k != "citations"},
        "PAY-901: citations: missing",
    ),
    "empty_citations": (with_(citations=[]), "citations: at least one citation"),
    "unknown_paper": (
        with_(citations=[{"paper": "zou-live", "section": "1", "quote": "some long enough quote"}]),
        "citations[0].paper: unknown paper 'zou-live' (did you mean 'zou-live-sea'?)",
    ),
    "unknown_section": (
        with_(
            citations=[
                {"paper": "zou-live-sea", "section": "4.3.9", "quote": "some long enough quote"}
            ]
        ),
        "citations[0].section: '4.3.9' is not a section of zou-live-sea",
    ),
    "wrong_prefix": (with_(id="LOG-901"), "id: expected PAY-NNN for a rule in rules/payment/"),
    "category_key": (
        with_(category="payment"),
        "category: unknown rule key (the folder gives the category)",
    ),
    "unknown_key": (with_(advise="typo"), "advise: unknown rule key (did you mean 'advice'?)"),
    "no_silent_example": (
        with_(silent={}),
        "silent: expected a mapping of example name to profile, with at least one example",
    ),
    "old_examples": (
        with_(examples={"fires_x": {"expect": "fire", "profile": {}}}),
        "examples: unknown rule key",
    ),
    "bad_example_profile": (
        with_(fires={**GOOD["fires"], "x": {"paymnt_modes": []}}),
        "fires.x: paymnt_modes: unknown field (did you mean 'payment_modes'?)",
    ),
    "undeclared_fact": (
        with_(derives=["payment_frictoin"]),
        "fact 'payment_frictoin' is not declared in rules/derived/ "
        "(did you mean 'payment_friction'?)",
    ),
    "underived_fact": (
        with_(when={"fact": "trust_gap"}),
        "no rule derives fact 'trust_gap', so it never holds",
    ),
    "bad_platform": (
        with_(platforms={"tiktok": 2}),
        "platforms.tiktok: not a ranked platform (did you mean 'tiktok_shop'?)",
    ),
    "bad_points": (
        with_(platforms={"amazon": 7}),
        "platforms.amazon: points must be a non-zero integer from -3 to 3",
    ),
    "bad_weight_entry": (
        with_(platforms={"amazon": {"points": 1, "reason": "x"}}),
        "platforms.amazon: expected points, or {points: N, why: reason for the weight}",
    ),
    "bool_in_numeric": (
        with_(when={"field": "monthly_orders", "op": "gt", "value": True}),
        "True is not valid for 'monthly_orders'",
    ),
    "short_quote": (
        with_(citations=[{"paper": "zou-live-sea", "section": "1.1", "quote": "short"}]),
        "quote",
    ),
    "not_a_mapping": ("just text", "a rule file holds one rule, a mapping"),
    "file_name": (with_(id="PAY-902"), "id: the file is named"),
    "replaces_live_id": (
        with_(replaces=["PAY-301"]),
        "replaces: 'PAY-301' is a rule of the rule base",
    ),
}


@pytest.mark.parametrize("case", list(BAD_CASES))
def test_bad_rule_is_refused_with_a_precise_message(tmp_path: Path, case: str) -> None:
    rule, expected = BAD_CASES[case]
    if case == "file_name":  # written under another rule's name
        root = make_base(tmp_path)
        (root / "payment" / "PAY-901.yaml").write_text(yaml.safe_dump(rule, sort_keys=False))
        with pytest.raises(RuleBaseError) as info:
            load_rulebase(root)
        message = str(info.value)
    elif case == "replaces_live_id":  # a bundled rule's id, in a pack merged with the bundled base
        pack = make_base(tmp_path, rule)
        with pytest.raises(RuleBaseError) as info:
            load_rulebase(default_rules_dir(), pack)
        message = str(info.value)
    else:
        message = errors_for(tmp_path, rule)
    assert expected in message
    assert "payment/" in message  # the file is named


def test_duplicate_ids_are_refused(tmp_path: Path) -> None:
    first = make_base(tmp_path / "a", GOOD)
    second = tmp_path / "b"
    (second / "payment").mkdir(parents=True)
    (second / "payment" / "PAY-901.yaml").write_text(yaml.safe_dump(GOOD, sort_keys=False))
    with pytest.raises(RuleBaseError, match="PAY-901: id: duplicate id, already defined at"):
        load_rulebase(first, second)


def test_rule_in_the_wrong_folder(tmp_path: Path) -> None:
    message = errors_for(tmp_path, GOOD, category="logistics")
    assert "id: expected LOG-NNN for a rule in rules/logistics/" in message


def test_chaining_cycle_is_refused(tmp_path: Path) -> None:
    a = with_(id="PAY-901", when={"fact": "trust_gap"}, derives=["payment_friction"])
    b = with_(id="PAY-902", when={"fact": "payment_friction"}, derives=["trust_gap"])
    assert "chaining cycle: PAY-901 -> PAY-902" in errors_for(tmp_path, a, b)


def test_python_tags_are_refused(tmp_path: Path) -> None:
    root = make_base(tmp_path, GOOD)
    (root / "payment" / "evil.yaml").write_text("!!python/object/apply:os.system ['echo pwned']\n")
    with pytest.raises(
        RuleBaseError, match=r"evil.yaml:1: .*tags that build objects are not allowed"
    ):
        load_rulebase(root)


def test_yaml_syntax_error_names_the_line(tmp_path: Path) -> None:
    root = make_base(tmp_path, GOOD)
    (root / "payment" / "PAY-903.yaml").write_text("id: PAY-903\ntitle: [unclosed\n")
    with pytest.raises(RuleBaseError, match=r"PAY-903.yaml:\d+"):
        load_rulebase(root)


def test_all_problems_are_reported_at_once(tmp_path: Path) -> None:
    with pytest.raises(RuleBaseError) as info:
        load_rulebase(
            make_base(
                tmp_path, with_(id="PAY-901", category="payments"), with_(id="PAY-902", advise="x")
            )
        )
    assert len(info.value.problems) == 2


def test_extra_rule_directory_merges_and_refuses_clashes(tmp_path: Path) -> None:
    extra = tmp_path / "mine"
    (extra / "payment").mkdir(parents=True)
    (extra / "payment" / "PAY-990.yaml").write_text(
        yaml.safe_dump(with_(id="PAY-990"), sort_keys=False)
    )
    rb = load_rulebase(default_rules_dir(), extra)
    assert "PAY-990" in {r.id for r in rb.rules}
    (extra / "payment" / "PAY-301.yaml").write_text(
        yaml.safe_dump(with_(id="PAY-301"), sort_keys=False)
    )
    with pytest.raises(RuleBaseError, match="duplicate id"):
        load_rulebase(default_rules_dir(), extra)


def test_contradictory_condition_is_refused(tmp_path: Path) -> None:
    rule = with_(
        when={
            "all": [
                {"field": "target_region", "op": "eq", "value": "europe"},
                {"field": "target_region", "op": "eq", "value": "china"},
            ]
        }
    )
    assert "PAY-901: the condition contradicts itself, so the rule can never fire" in errors_for(
        tmp_path, rule
    )


def test_rules_check_reports_contradictory_platform_advice(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from xbec_advisor._cli import main

    extra = tmp_path / "mine"
    (extra / "platform").mkdir(parents=True)
    recommend = with_(
        id="PLAT-990",
        platforms={"jd_worldwide": 3},
        when={"field": "target_region", "op": "eq", "value": "europe"},
        unless=None,
        fires={"eu": {"target_region": "europe"}},
        silent={"cn": {"target_region": "china"}},
    )
    (extra / "platform" / "PLAT-990.yaml").write_text(yaml.safe_dump(recommend, sort_keys=False))
    result = CliRunner().invoke(main, ["rules", "check", "--rules", str(extra), "--search", "50"])
    assert result.exit_code == 1
    assert "PLAT-990: recommends jd_worldwide (+3) while PLAT-303 excludes it" in result.stderr


def test_check_reports_unrankable_platforms_and_unused_facts(tmp_path: Path) -> None:
    from xbec_advisor._advice.advisor import Advisor
    from xbec_advisor._checks.run import check_rulebase

    lonely = with_(derives=["payment_friction"])  # derives a fact that no rule uses
    report = check_rulebase(Advisor(load_rulebase(make_base(tmp_path, lonely))), None, search=50)
    assert (
        "platform 'amazon' gets points on no profile searched: no rule can recommend it"
        in report.errors
    )
    assert (
        "fact 'payment_friction' is derived but no rule uses it "
        "(add a rule that needs it, or drop it)" in report.warnings
    )
    assert "fact 'trust_gap' is declared but no rule derives it" in report.warnings


def test_alias_bomb_condition_is_refused_quickly() -> None:
    from xbec_advisor._rulebase.conditions import ConditionError, parse_condition

    node: Any = {"field": "firm_size", "op": "eq", "value": "small"}
    for _ in range(8):  # what YAML aliases build: 10**8 leaves from a few lines
        node = {"all": [node] * 10}
    with pytest.raises(ConditionError, match="more than 400 parts"):
        parse_condition(node)
