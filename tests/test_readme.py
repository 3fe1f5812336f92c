"""The README's examples run as written: every command of the tour and the library snippet."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import ROOT
from xbec_advisor._cli import main

README = (ROOT / "README.md").read_text()
TOUR = re.search(r"## A short tour\n\n```bash\n(.*?)```", README, re.S)
assert TOUR is not None
COMMANDS = [line.split("  #")[0].strip() for line in TOUR.group(1).splitlines() if line.strip()]


@pytest.mark.parametrize("line", COMMANDS, ids=[c[:60] for c in COMMANDS])
def test_tour_command(line: str, tmp_path: Path) -> None:
    stdin = None
    if "|" in line:
        producer, line = (part.strip() for part in line.split("|", 1))
        stdin = shlex.split(producer)[1]  # echo '...'
    words = shlex.split(line)
    if words[0] == "python":  # python -m xbec_advisor ...
        words = words[2:]
    assert words[0] in ("xbec-advisor", "xbec_advisor")
    args = [str(ROOT / w) if w.startswith("scenarios/") else w for w in words[1:]]
    if args[0] == "ask":
        pytest.skip("the questionnaire is driven by tests/test_ask.py")
    old = Path.cwd()
    (tmp_path / "docs").mkdir()
    (tmp_path / "my-rules").mkdir()  # the consultant's own rule folder of the tour
    os.chdir(tmp_path)  # output files of the tour land in a scratch folder
    try:
        result = CliRunner().invoke(main, args, input=stdin)
    finally:
        os.chdir(old)
    assert result.exit_code == 0, result.output + result.stderr


def test_library_snippet_runs() -> None:
    match = re.search(r"### As a library\n\n```python\n(.*?)```", README, re.S)
    assert match is not None
    proc = subprocess.run(
        [sys.executable, "-c", match.group(1)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    assert proc.returncode == 0, proc.stderr
    assert "southeast" not in proc.stderr and proc.stdout.count("\n") >= 3


def test_summary_excerpt_is_real_output() -> None:
    found = re.search(r"<!-- summary: (\S+) .*?-->\n```text\n(.*?)```", README, re.S)
    assert found is not None
    result = CliRunner().invoke(main, ["advise", str(ROOT / found.group(1))])
    assert result.exit_code == 0
    assert result.output == found.group(2), "README summary is stale: paste the real output"


WORKFLOW = re.search(r"from an empty sheet to the deliverables:\n\n```bash\n(.*?)```", README, re.S)


def test_consultant_workflow_runs_as_written(tmp_path: Path) -> None:
    """The consultant's workflow (template, then the workbook and the portfolio of the filled
    sheet): the template's example row stands for a filled sheet."""
    assert WORKFLOW is not None
    steps = [
        shlex.split(line.split("  #")[0])
        for line in WORKFLOW.group(1).splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert [words[1] for words in steps] == ["template", "score", "score"]
    old = Path.cwd()
    os.chdir(tmp_path)
    try:
        for words in steps:
            result = CliRunner().invoke(main, words[1:])
            assert result.exit_code == 0, result.output + result.stderr
    finally:
        os.chdir(old)
    assert {"clients.xlsx", "scores.xlsx", "portfolio.html", "portfolio_files"} <= {
        p.name for p in tmp_path.iterdir()
    }


LANGUAGE = re.search(r"## Language / 语言\n(.*?)\n## ", README, re.S)
assert LANGUAGE is not None
#: The commands of the language section and of the Chinese quick start, with their environment.
LANGUAGE_COMMANDS = [
    line.split("  #")[0].strip()
    for block in re.findall(r"```bash\n(.*?)```", LANGUAGE.group(1), re.S)
    for line in block.splitlines()
    if line.strip()
]
_CJK = re.compile(r"[\u4e00-\u9fff]")


def test_language_section_is_in_both_languages() -> None:
    text = LANGUAGE.group(1)
    for needed in ("--lang zh", "XBEC_LANG", "LC_ALL", "LANG", "快速上手", "引文", "中国"):
        assert needed in text, needed
    paragraphs = text.split("\n\n")
    english = [p for p in paragraphs if len(re.findall("[A-Za-z]", p)) > 10 * len(_CJK.findall(p))]
    chinese = [p for p in paragraphs if len(_CJK.findall(p)) > 40]
    assert len(english) >= 2 and len(chinese) >= 3


@pytest.mark.parametrize("line", LANGUAGE_COMMANDS, ids=[c[:60] for c in LANGUAGE_COMMANDS])
def test_language_command(line: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each command runs and prints (or writes) Chinese; ``VAR=value`` prefixes set the
    environment. The quick start's profile (saved by ``ask``, which tests/test_ask_pty.py runs in
    a terminal) stands in as the jewellery scenario."""
    words = shlex.split(line)
    env = {"XBEC_LANG": "", "LC_ALL": "", "LC_MESSAGES": "", "LANG": "C.UTF-8"}
    while "=" in words[0] and not words[0].startswith("-"):
        name, value = words.pop(0).split("=", 1)
        env[name] = value
    if words[0] != "xbec-advisor":
        pytest.skip("installation, not the tool")
    args = [str(ROOT / w) if w.startswith("scenarios/") else w for w in words[1:]]
    if args[0] == "ask":
        pytest.skip("the questionnaire is driven by tests/test_ask_pty.py")
    monkeypatch.chdir(tmp_path)
    (tmp_path / "我的企业.yaml").write_text(
        (ROOT / "scenarios" / "jewellery-b2b-alibaba.yaml").read_text(encoding="utf-8"), "utf-8"
    )
    result = CliRunner().invoke(main, args, env=env)
    assert result.exit_code == 0, result.output
    written = [tmp_path / a for a in args if a.endswith(".html")]
    shown = written[0].read_text("utf-8") if written else result.output
    assert len(_CJK.findall(shown)) > 100, shown[:1000]
