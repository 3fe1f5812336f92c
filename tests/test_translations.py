"""Chinese texts beside the English (issue 19): the `zh:` format, `rules check`'s findings
(missing and empty: errors; stale: warnings), `rules translations --stamp`, and the accessors."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from tests.test_rulebase_errors import GOOD, make_base, with_
from xbec_advisor._checks.translations import check_translations
from xbec_advisor._cli import main
from xbec_advisor._errors import RuleBaseError
from xbec_advisor._rulebase.load import load_rulebase
from xbec_advisor._rulebase.translations import english_hash
from xbec_advisor._rulebase.units import english_of

ZH = {
    "title": "提供本地电子钱包",
    "advice": "添加买家使用的电子钱包。",
    "rationale": "缺少买家的支付方式时，买家会放弃订单。",
}
WEIGHTED = with_(
    id="PAY-902",
    platforms={"shopee": {"points": 2, "why": "Shopee is where the wallets matter most."}},
    excludes={"tmall_global": "Tmall Global only admits merchants with retail qualifications."},
    assumptions=["The e-wallet names are ours.", "The paper names no wallet."],
)
WEIGHTED_ZH = {
    **ZH,
    "assumptions": ["电子钱包的名称是我们举的例子。", "论文没有提到任何钱包。"],
    "platforms": {"shopee": "电子钱包在 Shopee（虾皮）上最重要。"},
    "excludes": {"tmall_global": "天猫国际只接受具备零售资质的商家。"},
}


def _rule_errors(tmp_path: Path, rule: dict[str, Any]) -> tuple[list[str], list[str]]:
    """(errors, warnings) of the translations of a base holding only this rule's file."""
    root = tmp_path / "rules"
    (root / "payment").mkdir(parents=True)
    (root / "payment" / f"{rule['id']}.yaml").write_text(
        yaml.safe_dump(rule, sort_keys=False, allow_unicode=True), encoding="utf-8"
    )
    return check_translations([root])


def test_a_missing_translation_is_an_error(tmp_path: Path) -> None:
    errors, warnings = _rule_errors(tmp_path, GOOD)
    assert errors == [
        "translation: rules/payment/PAY-901.yaml: PAY-901: zh: no Chinese translation; "
        "add `zh:` (see docs/rule-format.md)"
    ]
    assert warnings == []


def test_a_missing_text_of_the_block_is_an_error(tmp_path: Path) -> None:
    errors, _ = _rule_errors(tmp_path, with_(zh={"title": ZH["title"], "advice": ZH["advice"]}))
    assert errors == [
        "translation: rules/payment/PAY-901.yaml: PAY-901: zh.rationale: no Chinese text; "
        "translate the English beside it"
    ]


def test_an_empty_translation_is_an_error(tmp_path: Path) -> None:
    errors, _ = _rule_errors(tmp_path, with_(zh={**ZH, "advice": "  "}))
    assert errors == [
        "translation: rules/payment/PAY-901.yaml: PAY-901: zh.advice: the Chinese text is "
        "empty; translate the English"
    ]


def test_a_complete_translation_is_accepted_and_read_in_both_languages(tmp_path: Path) -> None:
    assert _rule_errors(tmp_path, with_(zh=ZH)) == ([], [])
    rule = load_rulebase(make_base(tmp_path / "b", with_(zh=ZH))).rules[0]
    assert rule.text_in("title", "zh") == ZH["title"]
    assert rule.text_in("title", "en") == GOOD["title"] == rule.text_in("title")


def test_weights_exclusions_and_assumptions_are_translated(tmp_path: Path) -> None:
    rule = load_rulebase(make_base(tmp_path, {**WEIGHTED, "zh": WEIGHTED_ZH})).rules[0]
    assert rule.written_assumptions_in("zh") == tuple(WEIGHTED_ZH["assumptions"])
    assert rule.why("shopee", "zh") == WEIGHTED_ZH["platforms"]["shopee"]
    assert rule.why("shopee") == "Shopee is where the wallets matter most."
    assert rule.exclude_reason("tmall_global", "zh").startswith("天猫国际")
    assert rule.why("amazon", "zh") == ""


def test_english_is_the_fallback_only_where_no_chinese_exists(tmp_path: Path) -> None:
    rule = load_rulebase(make_base(tmp_path, with_(zh={"title": ZH["title"]}))).rules[0]
    assert rule.text_in("title", "zh") == ZH["title"]
    assert rule.text_in("advice", "zh") == GOOD["advice"]


@pytest.mark.parametrize(
    ("zh", "message"),
    [
        (
            {**WEIGHTED_ZH, "assumptions": ["只有一条。"]},
            "PAY-902: zh.assumptions: expected a list of 2 text(s), one per English item in the "
            "same order, got 1 item(s)",
        ),
        (
            {**WEIGHTED_ZH, "titel": "标题"},
            "PAY-902: zh.titel: not a text of this rule (did you mean 'title'?)",
        ),
        (
            {**WEIGHTED_ZH, "platforms": {"amazon": "亚马逊"}},
            "PAY-902: zh.platforms.amazon: no English text to translate here",
        ),
        ({**WEIGHTED_ZH, "title": ["标题"]}, "PAY-902: zh.title: expected a text, got list"),
        ({**WEIGHTED_ZH, "of": "not a hash"}, "PAY-902: zh.of: 'not a hash' is not a hash"),
    ],
    ids=["assumption_count", "unknown_key", "unweighted_platform", "not_text", "bad_hash"],
)
def test_a_translation_in_the_wrong_shape_is_refused_when_loading(
    tmp_path: Path, zh: dict[str, Any], message: str
) -> None:
    with pytest.raises(RuleBaseError) as info:
        load_rulebase(make_base(tmp_path, {**WEIGHTED, "zh": zh}))
    assert message in str(info.value)
    assert "payment/PAY-902.yaml" in str(info.value)


def test_a_figure_placeholder_must_be_kept(tmp_path: Path) -> None:
    rule = with_(advice="Plan for {figure: sea_gmv_indonesia}.", zh={**ZH, "advice": "请规划。"})
    errors, _ = _rule_errors(tmp_path, rule)
    assert "zh.advice: the figure placeholders must be the English ones" in errors[0]


def test_the_hash_normalises_whitespace_and_follows_the_order() -> None:
    one = english_hash({"title": "Offer  local\n e-wallets", "advice": "Add them."})
    assert one == english_hash({"title": "Offer local e-wallets", "advice": " Add them. "})
    assert one != english_hash({"title": "Add them.", "advice": "Offer local e-wallets"})
    assert len(one) == 10 and int(one, 16) >= 0


def _write(root: Path, name: str, text: str) -> Path:
    path = root / "payment" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


RULE_FILE = (
    yaml.safe_dump(WEIGHTED, sort_keys=False)
    + "# a comment the stamp keeps\n"
    + "zh:\n"
    + "".join(f'  {k}: "{v}"\n' for k, v in ZH.items())
    + '  assumptions:\n    - "电子钱包的名称是我们举的例子。"\n    - "论文没有提到任何钱包。"\n'
    + '  platforms: {shopee: "电子钱包在 Shopee（虾皮）上最重要。"}\n'
    + '  excludes:\n    tmall_global: "天猫国际只接受具备零售资质的商家。"\n'
)


def _translations(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["rules", "translations", *args])
    return result.exit_code, result.stdout, result.stderr


def test_stamp_writes_the_hash_in_place_and_is_idempotent(tmp_path: Path) -> None:
    root = tmp_path / "rules"
    path = _write(root, "PAY-902.yaml", RULE_FILE)
    code, out, err = _translations("--rules", str(root))
    assert code == 0, out + err
    assert "1 translation(s) without `of:`: run with --stamp" in err
    code, out, err = _translations("--rules", str(root), "--stamp")
    assert code == 0 and "stamped 1 translation(s)" in err, out + err
    digest = english_hash(
        {
            "title": WEIGHTED["title"],
            "advice": WEIGHTED["advice"],
            "rationale": WEIGHTED["rationale"],
            "assumptions": tuple(WEIGHTED["assumptions"]),
            "platforms": {"shopee": WEIGHTED["platforms"]["shopee"]["why"]},
            "excludes": dict(WEIGHTED["excludes"]),
        }
    )
    stamped = RULE_FILE.replace("zh:\n", f'zh:\n  of: "{digest}"\n')
    assert path.read_text(encoding="utf-8") == stamped  # one line inserted, nothing else
    code, _, err = _translations("--rules", str(root), "--stamp")
    assert code == 0 and "stamped 0 translation(s)" in err
    assert path.read_text(encoding="utf-8") == stamped


def test_a_changed_english_makes_the_translation_stale(tmp_path: Path) -> None:
    root = tmp_path / "rules"
    path = _write(root, "PAY-902.yaml", RULE_FILE)
    _translations("--rules", str(root), "--stamp")
    path.write_text(
        path.read_text(encoding="utf-8").replace("Add the e-wallets", "Add the wallets"),
        encoding="utf-8",
    )
    errors, warnings = check_translations([root])
    assert errors == []
    assert len(warnings) == 1
    assert (
        "rules/payment/PAY-902.yaml: PAY-902: zh.of: the English changed after the Chinese"
        in (warnings[0])
    )
    assert "English texts: title, advice, rationale, assumptions[0]" in warnings[0]
    code, out, _ = _translations("--rules", str(root))
    assert code == 1 and "stale: rules/payment/PAY-902.yaml: PAY-902: zh.of" in out


def test_stamp_handles_flow_mappings_and_entries(tmp_path: Path) -> None:
    root = tmp_path / "rules"
    (root / "derived").mkdir(parents=True)
    facts = (
        "# facts\n"
        'trust_gap: {en: "Buyers doubt the seller.", zh: "买家怀疑卖家。"}\n'
        "payment_friction:\n"
        "  en: Buyers abandon orders at the payment step.\n"
        '  zh: "买家在支付环节放弃订单。"\n'
        "content_ready: The firm can produce short videos.\n"
    )
    (root / "derived" / "common.yaml").write_text(facts, encoding="utf-8")
    changes = (
        "changes:\n"
        "  easy_returns: {kind: obtain, cost: 1, as: offer simple returns,"
        ' zh: {as: "提供简便退货"}}\n'
    )
    (root / "changes.yaml").write_text(changes, encoding="utf-8")
    code, out, err = _translations("--rules", str(root), "--stamp")
    assert "stamped 3 translation(s)" in err
    assert code == 1  # content_ready has no Chinese
    assert "missing: rules/derived/common.yaml: content_ready: zh: no Chinese translation" in out
    text = (root / "derived" / "common.yaml").read_text(encoding="utf-8")
    gap = english_hash({"text": "Buyers doubt the seller."})
    friction = english_hash({"text": "Buyers abandon orders at the payment step."})
    assert f'trust_gap: {{of: "{gap}", en: "Buyers doubt the seller."' in text
    assert f'payment_friction:\n  of: "{friction}"\n  en: Buyers' in text
    assert f'zh: {{of: "{english_hash({"as": "offer simple returns"})}", as: "提供简便退货"}}' in (
        (root / "changes.yaml").read_text(encoding="utf-8")
    )
    assert [f for f in check_translations([root])[0] if "content_ready" not in f] == []


def test_data_files_accept_entries_with_their_chinese(tmp_path: Path) -> None:
    root = make_base(tmp_path, GOOD)
    common = root / "derived" / "common.yaml"
    data = yaml.safe_load(common.read_text(encoding="utf-8"))
    data = {name: english_of(entry) for name, entry in data.items()}  # English only
    data["trust_gap"] = {"en": data["trust_gap"], "zh": "买家有理由怀疑卖家。"}
    common.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    rb = load_rulebase(root)
    assert rb.fact_meaning("trust_gap", "zh") == "买家有理由怀疑卖家。"
    assert rb.fact_meaning("trust_gap") == data["trust_gap"]["en"]
    assert rb.fact_meaning("payment_friction", "zh") == rb.facts["payment_friction"]
    assert "买" not in rb.facts["payment_friction"]


def test_an_unknown_language_is_refused() -> None:
    from xbec_advisor._errors import XbecError
    from xbec_advisor._profile.labels import field_label

    with pytest.raises(XbecError, match="unknown language 'fr'; allowed: en, zh"):
        field_label("business_model", "fr")


def test_countries_and_languages_have_chinese_names_from_babel() -> None:
    from xbec_advisor._profile.labels import value_label

    assert value_label("home_country", "CN", "zh") == "中国"
    assert value_label("target_countries", "US", "zh") == "美国"
    assert value_label("team_languages", "en", "zh") == "英语"
    assert value_label("home_country", "CN") == "China"
    assert value_label("custom_orders", True, "zh") == "是"


def _english_only(data: Any) -> Any:
    """The data without its Chinese (``zh`` keys), at any depth."""
    if isinstance(data, dict):
        return {k: _english_only(v) for k, v in data.items() if k != "zh"}
    if isinstance(data, list):
        return [_english_only(v) for v in data]
    return data


def test_frameworks_accept_chinese_wherever_an_english_text_sits(tmp_path: Path) -> None:
    import shutil

    from xbec_advisor._rulebase.load import default_rules_dir

    root = tmp_path / "rules"
    shutil.copytree(default_rules_dir(), root)
    grounded = root / "frameworks" / "grounded_model.yaml"
    model = _english_only(yaml.safe_load(grounded.read_text(encoding="utf-8")))
    model["dimensions"]["A1"]["zh"] = {"name": "产品", "role": "基础条件"}
    model["categories"]["B1"]["zh"] = {
        "name": "产品设计",
        "concepts": ["C1 产品质量", "C2 差异化产品", "C3 产品定位"],
    }
    grounded.write_text(yaml.safe_dump(model, allow_unicode=True), encoding="utf-8")
    pest = root / "frameworks" / "pest.yaml"
    items = _english_only(yaml.safe_load(pest.read_text(encoding="utf-8")))
    items[0]["zh"] = {"name": "TikTok 面临政治阻力", "text": "多国政府反对 TikTok。"}
    pest.write_text(yaml.safe_dump(items, allow_unicode=True), encoding="utf-8")
    rb = load_rulebase(root)
    assert rb.grounded_text("A1", "role", "zh") == "基础条件"
    assert rb.grounded_text("A2", "name", "zh") == "Management"  # not translated: English
    assert rb.grounded_concepts("B1", "zh")[1] == "C2 差异化产品"
    item = next(i for i in rb.frameworks if i.id == items[0]["id"])
    assert item.text_in("name", "zh") == "TikTok 面临政治阻力"
    assert item.text_in("text", "en") == items[0]["text"]
    _translations("--rules", str(root), "--stamp")
    stamped = grounded.read_text(encoding="utf-8")
    assert stamped.count("  of: ") == 2
    assert load_rulebase(root).grounded_text("A1", "name", "zh") == "产品"
    bad = yaml.safe_load(stamped)
    bad["categories"]["B1"]["zh"]["concepts"].pop()
    grounded.write_text(yaml.safe_dump(bad, allow_unicode=True), encoding="utf-8")
    with pytest.raises(RuleBaseError, match=r"B1: zh.concepts: expected a list of 3 text\(s\)"):
        load_rulebase(root)


def test_vocabulary_entries_and_questions_are_checked(tmp_path: Path) -> None:
    root = tmp_path / "rules"
    root.mkdir()
    (root / "vocabulary.yaml").write_text(
        "fields:\n"
        '  business_model: {en: Business model, zh: "商业模式", off: "1"}\n'
        '  trade_direction: {zh: "贸易方向"}\n'
        "questions:\n"
        '  busines_model: {zh: "您面向谁销售？"}\n'
        '  business_model: {zh: "您是面向企业销售（B2B）还是面向消费者销售（B2C）？"}\n',
        encoding="utf-8",
    )
    errors, _ = check_translations([root])
    assert (
        'translation: rules/vocabulary.yaml: business_model: expected {en: TEXT, zh: "..."} '
        "(and of:), got the key(s) off" in errors
    )
    assert (
        'translation: rules/vocabulary.yaml: trade_direction: expected {en: TEXT, zh: "..."}: '
        "the English (en) is missing" in errors
    )
    assert (
        "translation: rules/vocabulary.yaml: busines_model: not a question of the profile "
        "(did you mean 'business_model'?)" in errors
    )
    missing = [e for e in errors if "zh: no Chinese translation" in e]
    assert len(missing) == 30  # every question but business_model (31 in the profile)
    assert "translation: rules/vocabulary.yaml: risks: zh: no Chinese translation" in " ".join(
        missing
    )


def test_a_new_rule_has_chinese_placeholders_that_check_refuses(tmp_path: Path) -> None:
    pack = tmp_path / "pack"
    pack.mkdir()
    result = CliRunner().invoke(
        main, ["rules", "new", "payment", "--paper", "gong-tmall-global", "--dir", str(pack)]
    )
    assert result.exit_code == 0, result.output
    errors, _ = check_translations([pack])
    assert [e.split(": ", 3)[-1] for e in errors] == [
        "zh.title: still a placeholder (TODO); translate the English",
        "zh.advice: still a placeholder (TODO); translate the English",
        "zh.rationale: still a placeholder (TODO); translate the English",
    ]
