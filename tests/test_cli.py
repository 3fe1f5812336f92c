"""The command line, driven through click's CliRunner."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import ROOT, SCENARIOS
from xbec_advisor import Advice
from xbec_advisor._cli import main

runner = CliRunner()


def run(*args: str, input: str | None = None) -> tuple[int, str, str]:
    result = runner.invoke(main, list(args), input=input)
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[p.stem for p in SCENARIOS])
def test_every_scenario_gives_json_advice_that_validates(scenario: Path) -> None:
    code, out, err = run("advise", str(scenario), "--format", "json")
    assert code == 0, err
    advice = Advice.model_validate_json(out)
    assert len(advice.platforms) == 7
    for rec in advice.recommendations:
        assert rec.citations and all(c.quote for c in rec.citations)


@pytest.mark.parametrize("fmt", ["table", "markdown"])
def test_text_formats_show_ranking_and_citations(fmt: str) -> None:
    code, out, _ = run(
        "advise",
        str(ROOT / "scenarios" / "jewellery-b2b-alibaba.yaml"),
        "--format",
        fmt,
        *(["--detail"] if fmt == "table" else []),
    )
    assert code == 0
    assert "Alibaba.com" in out and "PLAT-102" in out and "xu-tiktok-b2b" in out
    assert "alibaba_com" not in out and "tiktok_shop" not in out  # labels, not ids
    assert ("PLATFORM RANKING" in out) if fmt == "table" else ("## Platform ranking" in out)


def test_stdin_profile() -> None:
    code, out, _ = run(
        "advise",
        "-",
        "--format",
        "json",
        input='{"business_model": "B2B", "trade_direction": "export", "target_region": "global"}',
    )
    assert code == 0
    assert Advice.model_validate_json(out).platforms[0].platform == "alibaba_com"


def test_output_file_is_written_whole(tmp_path: Path) -> None:
    target = tmp_path / "advice.md"
    code, _, err = run(
        "advise",
        str(ROOT / "scenarios" / "beauty-live-indonesia.yaml"),
        "-f",
        "markdown",
        "-o",
        str(target),
    )
    assert code == 0 and "wrote" in err
    assert target.read_text().startswith("# Cross-border e-commerce advice")
    assert [p.name for p in tmp_path.iterdir()] == ["advice.md"]  # no temporary file left behind


def test_bad_profile_exits_2_with_the_field_named(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("business_model: B2X\ntarget_regoin: europe\n")
    code, out, err = run("advise", str(bad))
    assert code == 2 and out == ""
    assert "bad.yaml: invalid profile" in err
    assert "business_model: 'B2X' is not allowed" in err
    assert "target_regoin: unknown field (did you mean 'target_region'?)" in err


def test_bad_output_file_leaves_nothing(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("business_model: B2X\n")
    target = tmp_path / "out.json"
    code, _, _ = run("advise", str(bad), "-o", str(target))
    assert code == 2 and not target.exists()


def test_missing_profile_file() -> None:
    code, _, err = run("advise", "no-such-file.yaml")
    assert code == 2 and "no-such-file.yaml: no such file" in err


def test_unknown_format_is_a_usage_error() -> None:
    code, _, err = run("advise", str(ROOT / "scenarios" / "b2b-no-content.yaml"), "--format", "xml")
    assert code == 2 and "'xml' is not one of" in err


def test_rules_list_and_filters() -> None:
    code, out, _ = run("rules", "list")
    assert code == 0 and "PLAT-102" in out and "rule(s)" in out
    code, out, _ = run("rules", "list", "--category", "payment", "--format", "json")
    rows = json.loads(out)
    assert rows and all(r["category"] == "payment" for r in rows)
    code, out, _ = run("rules", "list", "--paper", "zou-live-sea", "--format", "json")
    assert all("zou-live-sea" in r["papers"] for r in json.loads(out))
    code, _, err = run("rules", "list", "--paper", "zou")
    assert code == 2 and "unknown paper 'zou'" in err


def test_rules_show() -> None:
    code, out, _ = run("rules", "show", "plat-102")
    assert code == 0
    for part in ("PLAT-102", "Advice:", "Rationale:", "When:", "Citations:", "Examples (fires):"):
        assert part in out


def test_rules_show_unknown_id_suggests() -> None:
    code, _, err = run("rules", "show", "PLAT-1020")
    assert code == 2 and "no rule with id 'PLAT-1020' (did you mean" in err


def test_rules_check_passes_on_the_bundled_base() -> None:
    code, out, err = run("rules", "check")
    assert code == 0, err
    assert "0 error(s)" in out


def test_rules_option_merges_a_folder(tmp_path: Path) -> None:
    import yaml

    from tests.test_rulebase_errors import GOOD

    (tmp_path / "payment").mkdir()
    (tmp_path / "payment" / "PAY-990.yaml").write_text(
        yaml.safe_dump({**GOOD, "id": "PAY-990"}, sort_keys=False)
    )
    code, out, _ = run(
        "advise",
        str(ROOT / "scenarios" / "beauty-live-indonesia.yaml"),
        "-f",
        "json",
        "--rules",
        str(tmp_path),
    )
    assert code == 0
    assert "PAY-990" in {r.rule_id for r in Advice.model_validate_json(out).recommendations}


def test_schema_is_json_schema() -> None:
    _, out, _ = run("schema")
    schema = json.loads(out)
    assert schema["additionalProperties"] is False
    assert "business_model" in schema["properties"]


COMMANDS = [
    [],
    ["advise"],
    ["ask"],
    ["rules"],
    ["rules", "list"],
    ["rules", "show"],
    ["rules", "check"],
    ["rules", "coverage"],
    ["rules", "catalogue"],
    ["schema"],
    ["score"],
    ["template"],
    ["why-not"],
    ["what-if"],
    ["compare"],
    ["sensitivity"],
]


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(command: list[str]) -> None:
    code, out, _ = run(*command, "--help")
    assert code == 0 and "Usage:" in out and len(out.splitlines()) > 3


def test_version() -> None:
    code, out, _ = run("--version")
    assert code == 0 and "xbec-advisor" in out
