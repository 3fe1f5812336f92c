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


def run_case(case: dict[str, Any], folder: Path) -> tuple[int, str]:
    for name, content in (case.get("files") or {}).items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content.encode("utf-8"))
    if case.get("make_papers"):
        (folder / "papers").mkdir()
    old = Path.cwd()
    os.chdir(folder)
    try:
        result = CliRunner().invoke(
            main, case["args"], input=case.get("stdin"), prog_name="xbec-advisor"
        )
    finally:
        os.chdir(old)
    return result.exit_code, result.stderr


def test_catalogue_has_at_least_thirty_cases() -> None:
    assert len(CASES) >= 30
    assert len({c["name"] for c in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_bad_input(case: dict[str, Any], tmp_path: Path) -> None:
    code, stderr = run_case(case, tmp_path)
    expected = EXPECTED[case["name"]]
    assert code == expected["exit"] and code != 0
    assert stderr == expected["stderr"]
    assert "Traceback" not in stderr
