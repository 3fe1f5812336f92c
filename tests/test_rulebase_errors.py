"""Bad rule files are refused at load time with messages naming file, line, rule and field."""

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
    "category": "payment",
    "title": "Offer local e-wallets",
    "advice": "Add the e-wallets your buyers use.",
    "rationale": "Buyers abandon orders when their payment method is missing.",
    "when": {"all": [{"field": "target_region", "op": "eq", "value": "southeast_asia"},
                     {"not": {"field": "payment_modes", "op": "contains", "value": "local_ewallet"}}]},
    "citations": [{"paper": "zou-live-sea", "section": "table-2", "quote": "The payment system is not perfect"}],
    "examples": {
        "fires_card_only": {"expect": "fire", "profile": {"target_region": "southeast_asia", "payment_modes": ["credit_card"]}},
        "silent_with_wallet": {"expect": "silent", "profile": {"target_region": "southeast_asia", "payment_modes": ["local_ewallet"]}},
    },
}


def make_base(tmp_path: Path, *rules: dict[str, Any], category: str = "payment") -> Path:
    root = tmp_path / "rules"
    (root / "derived").mkdir(parents=True)
    shutil.copy(default_rules_dir() / "papers.yaml", root / "papers.yaml")
    shutil.copy(default_rules_dir() / "derived" / "common.yaml", root / "derived" / "common.yaml")
    (root / category).mkdir()
    (root / category / "test.yaml").write_text(yaml.safe_dump(list(rules), sort_keys=False))
    return root


def errors_for(tmp_path: Path, *rules: dict[str, Any], category: str = "payment") -> str:
    with pytest.raises(RuleBaseError) as info:
        load_rulebase(make_base(tmp_path, *rules, category=category))
    return str(info.value)


def with_(**changes: Any) -> dict[str, Any]:
    return {**GOOD, **changes}


def test_good_rule_loads(tmp_path: Path) -> None:
    rb = load_rulebase(make_base(tmp_path, GOOD))
    assert [r.id for r in rb.rules] == ["PAY-901"]
    assert rb.rules[0].source.endswith("payment/test.yaml:1")


BAD_CASES = {
    "unknown_field": (with_(when={"field": "target_regoin", "op": "eq", "value": "europe"}),
                      "PAY-901: when.field: unknown profile field 'target_regoin' (did you mean 'target_region'?)"),
    "unknown_value": (with_(when={"field": "target_region", "op": "eq", "value": "south_east_asia"}),
                      "'south_east_asia' is not a value of 'target_region' (did you mean 'southeast_asia'?)"),
    "unknown_operator": (with_(when={"field": "target_region", "op": "equals", "value": "europe"}),
                         "when.op: unknown operator 'equals'"),
    "operator_wrong_kind": (with_(when={"field": "payment_modes", "op": "gt", "value": 3}),
                            "operator 'gt' does not apply to list field 'payment_modes'"),
    "missing_citation": ({k: v for k, v in GOOD.items() if k != "citations"}, "PAY-901: citations: missing"),
    "empty_citations": (with_(citations=[]), "citations: at least one citation"),
    "unknown_paper": (with_(citations=[{"paper": "zou-live", "section": "1", "quote": "some long enough quote"}]),
                      "citations[0].paper: unknown paper 'zou-live' (did you mean 'zou-live-sea'?)"),
    "unknown_section": (with_(citations=[{"paper": "zou-live-sea", "section": "4.3.9", "quote": "some long enough quote"}]),
                        "citations[0].section: '4.3.9' is not a section of zou-live-sea"),
    "wrong_prefix": (with_(id="LOG-901"), "id: expected PAY-NNN for category 'payment'"),
    "unknown_category": (with_(category="payments"), "category: 'payments' is not a category (did you mean 'payment'?)"),
    "unknown_key": (with_(advise="typo"), "advise: unknown rule key (did you mean 'advice'?)"),
    "no_silent_example": (with_(examples={"fires": GOOD["examples"]["fires_card_only"]}), "needs at least one 'fire' and one 'silent'"),
    "bad_example_profile": (with_(examples={**GOOD["examples"], "fires_x": {"expect": "fire", "profile": {"paymnt_modes": []}}}),
                            "examples.fires_x.profile: paymnt_modes: unknown field (did you mean 'payment_modes'?)"),
    "fact_under_any": (with_(when={"any": [{"fact": "payment_friction"}, {"field": "firm_size", "op": "eq", "value": "small"}]}),
                       "derived facts may only appear"),
    "undeclared_fact": (with_(derives=["payment_frictoin"]), "fact 'payment_frictoin' is not declared in rules/derived/ (did you mean 'payment_friction'?)"),
    "underived_fact": (with_(when={"fact": "trust_gap"}), "no rule derives fact 'trust_gap', so this rule can never fire"),
    "bad_platform": (with_(platforms={"tiktok": 2}), "platforms.tiktok: not a ranked platform (did you mean 'tiktok_shop'?)"),
    "bad_points": (with_(platforms={"amazon": 7}), "platforms.amazon: points must be a non-zero integer from -3 to 3"),
    "bool_in_numeric": (with_(when={"field": "monthly_orders", "op": "gt", "value": True}), "True is not valid for 'monthly_orders'"),
    "short_quote": (with_(citations=[{"paper": "zou-live-sea", "section": "1.1", "quote": "short"}]), "quote"),
    "not_a_mapping": ("just text", "each rule must be a mapping"),
}


@pytest.mark.parametrize("case", list(BAD_CASES))
def test_bad_rule_is_refused_with_a_precise_message(tmp_path: Path, case: str) -> None:
    rule, expected = BAD_CASES[case]
    message = errors_for(tmp_path, rule)  # type: ignore[arg-type]
    assert expected in message
    assert "test.yaml:" in message  # the file and line are named


def test_duplicate_ids_are_refused(tmp_path: Path) -> None:
    message = errors_for(tmp_path, GOOD, GOOD)
    assert "PAY-901: id: duplicate id, already defined at" in message


def test_rule_in_the_wrong_folder(tmp_path: Path) -> None:
    message = errors_for(tmp_path, GOOD, category="logistics")
    assert "'payment' rules belong in rules/payment/" in message


def test_chaining_cycle_is_refused(tmp_path: Path) -> None:
    a = with_(id="PAY-901", when={"fact": "trust_gap"}, derives=["payment_friction"])
    b = with_(id="PAY-902", when={"fact": "payment_friction"}, derives=["trust_gap"])
    assert "chaining cycle: PAY-901 -> PAY-902" in errors_for(tmp_path, a, b)


def test_python_tags_are_refused(tmp_path: Path) -> None:
    root = make_base(tmp_path, GOOD)
    (root / "payment" / "evil.yaml").write_text("- !!python/object/apply:os.system ['echo pwned']\n")
    with pytest.raises(RuleBaseError, match=r"evil.yaml:1: .*tags that build objects are not allowed"):
        load_rulebase(root)


def test_yaml_syntax_error_names_the_line(tmp_path: Path) -> None:
    root = make_base(tmp_path, GOOD)
    (root / "payment" / "broken.yaml").write_text("- id: PAY-903\n  title: [unclosed\n")
    with pytest.raises(RuleBaseError, match=r"broken.yaml:\d+"):
        load_rulebase(root)


def test_all_problems_are_reported_at_once(tmp_path: Path) -> None:
    with pytest.raises(RuleBaseError) as info:
        load_rulebase(make_base(tmp_path, with_(id="PAY-901", category="payments"), with_(id="PAY-902", advise="x")))
    assert len(info.value.problems) == 2


def test_extra_rule_directory_merges_and_refuses_clashes(tmp_path: Path) -> None:
    extra = tmp_path / "mine"
    (extra / "payment").mkdir(parents=True)
    (extra / "payment" / "mine.yaml").write_text(yaml.safe_dump([with_(id="PAY-990")], sort_keys=False))
    rb = load_rulebase(default_rules_dir(), extra)
    assert "PAY-990" in {r.id for r in rb.rules}
    clash = with_(id=rb.rules[0].id, category=rb.rules[0].category)
    (extra / rb.rules[0].category).mkdir(exist_ok=True)
    (extra / rb.rules[0].category / "clash.yaml").write_text(yaml.safe_dump([clash], sort_keys=False))
    with pytest.raises(RuleBaseError, match="duplicate id"):
        load_rulebase(default_rules_dir(), extra)


def test_contradictory_condition_is_refused(tmp_path: Path) -> None:
    rule = with_(when={"all": [{"field": "target_region", "op": "eq", "value": "europe"},
                               {"field": "target_region", "op": "eq", "value": "china"}]})
    assert "PAY-901: the condition contradicts itself, so the rule can never fire" in errors_for(tmp_path, rule)


def test_rules_check_reports_contradictory_platform_advice(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from xbec_advisor._cli import main

    extra = tmp_path / "mine"
    (extra / "platform").mkdir(parents=True)
    recommend = with_(id="PLAT-990", category="platform", platforms={"shopee": 3},
                      when={"field": "target_region", "op": "eq", "value": "europe"},
                      examples={"fires_eu": {"expect": "fire", "profile": {"target_region": "europe"}},
                                "silent_cn": {"expect": "silent", "profile": {"target_region": "china"}}})
    (extra / "platform" / "mine.yaml").write_text(yaml.safe_dump([recommend], sort_keys=False))
    result = CliRunner().invoke(main, ["rules", "check", "--rules", str(extra), "--search", "50"])
    assert result.exit_code == 1
    assert "PLAT-990: recommends shopee (+3) while PLAT-501 excludes it" in result.stderr


def test_check_reports_unrankable_platforms_and_unused_facts(tmp_path: Path) -> None:
    from xbec_advisor._advice.advisor import Advisor
    from xbec_advisor._checks.run import check_rulebase

    lonely = with_(derives=["payment_friction"])  # derives a fact that no rule uses
    errors, warnings = check_rulebase(Advisor(load_rulebase(make_base(tmp_path, lonely))), None, search=50)
    assert "platform 'amazon' is ranked first for no profile searched: no rule can make it the best choice" in errors
    assert "fact 'payment_friction' is derived but no rule uses it (add a rule that needs it, or drop it)" in warnings
    assert "fact 'trust_gap' is declared but no rule derives it" in warnings


def test_alias_bomb_condition_is_refused_quickly() -> None:
    from xbec_advisor._rulebase.conditions import ConditionError, parse_condition

    node: Any = {"field": "firm_size", "op": "eq", "value": "small"}
    for _ in range(8):  # what YAML aliases build: 10**8 leaves from a few lines
        node = {"all": [node] * 10}
    with pytest.raises(ConditionError, match="more than 400 parts"):
        parse_condition(node)
