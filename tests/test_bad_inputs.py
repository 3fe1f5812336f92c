"""The catalogue of bad inputs (tests/bad_inputs/cases.yaml): exit code and exact message."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from xbec_advisor._cli import main

HERE = Path(__file__).parent / "bad_inputs"
CASES: list[dict[str, Any]] = yaml.safe_load((HERE / "cases.yaml").read_text())
EXPECTED: dict[str, dict[str, Any]] = (
    yaml.safe_load((HERE / "expected.yaml").read_text())
    if (HERE / "expected.yaml").is_file()
    else {}
)


#: The rule file that ``rule:`` cases change: each key of ``rule`` replaces (or adds) a line.
BASE_RULE = {
    "id": "PAY-990",
    "title": "T",
    "advice": "A",
    "rationale": "R",
    "when": "{field: payment_modes, op: contains, value: paypal}",
    "citations": "[{paper: zou-live-sea, section: table-2, "
    "quote: The payment system is not perfect}]",
    "fires": "{x: {payment_modes: [paypal]}}",
    "silent": "{y: {}}",
}
RULE_CHECK = ["rules", "check", "--rules", "mine", "--search", "0"]


def _contents(case: dict[str, Any]) -> dict[str, bytes]:
    """The files of a case: ``files`` (text), ``hex`` (bytes), ``generate`` (large files, as
    [head, repeated, times, tail]) and ``rule`` (the base rule file with lines changed)."""
    out = {name: text.encode("utf-8") for name, text in (case.get("files") or {}).items()}
    out.update({name: bytes.fromhex(text) for name, text in (case.get("hex") or {}).items()})
    for name, (head, repeated, times, tail) in (case.get("generate") or {}).items():
        out[name] = (head + repeated * times + tail).encode("utf-8")
    if "rule" in case:
        lines = {**BASE_RULE, **case["rule"]}
        text = "".join(f"{k}: {v}\n" for k, v in lines.items() if v is not None)
        out[case.get("rule_file", "mine/payment/PAY-990.yaml")] = text.encode("utf-8")
    return out


def run_case(case: dict[str, Any], folder: Path) -> tuple[int, str]:
    for name, content in _contents(case).items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    for name in case.get("folders") or []:
        (folder / name).mkdir(parents=True, exist_ok=True)
    for name in case.get("fifos") or []:
        os.mkfifo(folder / name)
    for name, target in (case.get("symlinks") or {}).items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        os.symlink(target, folder / name)
    if case.get("make_papers"):
        (folder / "papers").mkdir()
    stdin = case.get("stdin")
    if "stdin_generate" in case:
        head, repeated, times, tail = case["stdin_generate"]
        stdin = head + repeated * times + tail
    old = Path.cwd()
    os.chdir(folder)
    try:
        result = CliRunner().invoke(
            main,
            case.get("args", RULE_CHECK),
            input=stdin,
            prog_name="xbec-advisor",
            env=case.get("env"),
        )
    finally:
        os.chdir(old)
    return result.exit_code, result.stderr


def test_catalogue_has_at_least_150_cases() -> None:
    assert len(CASES) >= 150
    assert len({c["name"] for c in CASES}) == len(CASES)
    assert set(EXPECTED) == {c["name"] for c in CASES}


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_bad_input(case: dict[str, Any], tmp_path: Path) -> None:
    code, stderr = run_case(case, tmp_path)
    expected = EXPECTED[case["name"]]
    assert code == expected["exit"] and code != 0
    assert stderr == expected["stderr"]
    assert "Traceback" not in stderr
