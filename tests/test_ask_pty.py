"""``xbec-advisor ask --lang zh`` end to end in a pseudo-terminal, answered as a Chinese owner
would.

The questionnaire runs as a real process whose standard input and output are a terminal (a pty):
the test reads until a prompt appears (with a timeout, never a fixed sleep), recognises the
question by its Chinese text, types the answer in Chinese (``中国``, ``美国``, the Chinese labels of
the choices), lets ``--save`` write the profile, then runs ``advise --lang zh`` on that file.
Skipped only where pseudo-terminals are unavailable (Windows, a sandbox without /dev/ptmx).
"""

from __future__ import annotations

import codecs
import os
import re
import select
import subprocess
import sys
import time
from pathlib import Path
from types import TracebackType

import pytest

from tests.conftest import ROOT
from xbec_advisor._profile.labels import question
from xbec_advisor._profile.load import load_profile_file
from xbec_advisor._profile.model import field_specs

if sys.platform == "win32":  # pragma: no cover
    pytest.skip("no pseudo-terminals on Windows", allow_module_level=True)
try:
    import fcntl
    import struct
    import termios

    _probe = os.openpty()
except (ImportError, OSError) as exc:  # pragma: no cover
    pytest.skip(f"pseudo-terminals unavailable: {exc}", allow_module_level=True)
else:
    for _fd in _probe:
        os.close(_fd)

#: Seconds to wait for the next prompt (the first one includes loading the rule base).
PROMPT_TIMEOUT = 180.0
#: The answer prompt: ``  >`` and the answer kept by Enter in brackets, waiting for input.
PROMPT = re.compile(r"(?:^|\n)  >(?: \[[^\n]*\])? \Z")
_CJK = re.compile(r"[\u4e00-\u9fff]")

#: What a Chinese jewellery exporter types, by question (the Chinese labels of the choices, the
#: Chinese names of countries and languages, numbers as numbers); 不知道 (don't know) for the rest.
ANSWERS: dict[str, str] = {
    "business_model": "B2B：面向企业销售",
    "trade_direction": "出口（向海外销售）",
    "home_country": "中国",
    "target_region": "北美",
    "target_countries": "美国，加拿大",  # a Chinese keyboard's full-width comma
    "product_category": "珠宝首饰",
    "brand_status": "没有品牌",
    "content_capability": "没有营销内容",
    "current_platforms": "阿里巴巴国际站",
    "firm_size": "小型企业",
    "team_languages": "中文，英语",
    "years_cross_border": "3",
    "response_time_hours": "48",
    "price_positioning": "中端",
    "supply_chain": "自有工厂",
    "cultural_adaptation": "已翻译",
    "marketing_team": "营销团队在国内",
    "logistics_modes": "国际航空快递",
    "payment_modes": "信用证",
    "risks": "知识产权纠纷",
    "primary_goal": "进入新市场",
}
#: The yes/no statements that are true for this firm (the rest of a checklist is "no").
TRUE = {"custom_orders", "product_lookalike"}
#: A first answer that matches nothing, typed before the right one: the question is asked again.
TYPO = ("home_country", "火星国")


class Terminal:
    """A process on a pseudo-terminal: read until a pattern appears, type lines."""

    def __init__(self, args: list[str], env: dict[str, str], cwd: Path) -> None:
        self.master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 50, 120, 0, 0))
        self.proc = subprocess.Popen(
            args, stdin=slave, stdout=slave, stderr=slave, env=env, cwd=cwd, start_new_session=True
        )
        os.close(slave)
        self.decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self.text = ""  # everything printed so far, line ends as "\n"
        self.closed = False

    def __enter__(self) -> Terminal:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait(timeout=30)
        os.close(self.master)

    def _read(self, timeout: float) -> bool:
        """Read what is available within ``timeout``; False at the end of the output."""
        ready, _, _ = select.select([self.master], [], [], timeout)
        if not ready:
            return True
        try:
            chunk = os.read(self.master, 65536)
        except OSError:  # EIO: the process closed the terminal
            chunk = b""
        if not chunk:
            self.closed = True
            return False
        self.text += self.decoder.decode(chunk).replace("\r\n", "\n")
        return True

    def until(self, pattern: re.Pattern[str], start: int, timeout: float) -> re.Match[str] | None:
        """Read until ``pattern`` matches the output after ``start`` (None: the output ended
        first); fail after ``timeout``."""
        deadline = time.monotonic() + timeout
        while True:
            found = pattern.search(self.text, start)
            if found:
                return found
            if self.closed:
                return None
            left = deadline - time.monotonic()
            if left <= 0:
                tail = self.text[-3000:]
                raise AssertionError(f"no {pattern.pattern!r} within {timeout}s; output:\n{tail}")
            self._read(min(left, 1.0))

    def finish(self, timeout: float) -> int:
        """Read to the end of the output; the exit code."""
        deadline = time.monotonic() + timeout
        while not self.closed and time.monotonic() < deadline:
            self._read(1.0)
        return self.proc.wait(timeout=max(1.0, deadline - time.monotonic()))

    def type(self, line: str) -> None:
        os.write(self.master, (line + "\r").encode())


def _norm(text: str) -> str:
    return " ".join(text.split())


def _recognise(block: str, questions: dict[str, str]) -> tuple[str, list[str]]:
    """The question in ``block`` (what was printed since the last answer): ``("one", [field])``
    or ``("checklist", fields in their order)``."""
    header = re.search(r"^(\d+)\. (.*)$", block, re.M)
    assert header, f"no numbered question in:\n{block}"
    asked = _norm(header.group(2))
    for field, text in questions.items():
        if asked == text:
            return "one", [field]
    items = re.findall(r"^\s+(\d+)\) (.*)$", block[header.end() :], re.M)
    fields = []
    for _, item in items:
        match = [f for f, text in questions.items() if _norm(item) == text]
        assert match, f"checklist item {item!r} is not a Chinese question; block:\n{block}"
        fields += match
    assert fields, f"not a Chinese question: {asked!r}; block:\n{block}"
    return "checklist", fields


def _env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("XBEC_LANG", "LC_ALL", "LANGUAGE")}
    env.update(
        XBEC_ADVISOR_CACHE_DIR=str(tmp_path / "cache"),  # the recovery file of this run
        PYTHONUTF8="1",
        PYTHONIOENCODING="utf-8",
        TERM="dumb",
        COLUMNS="120",
        LANG="C.UTF-8",
    )
    return env


def test_ask_in_chinese_in_a_terminal_then_advise(tmp_path: Path) -> None:
    specs = field_specs()
    questions = {f: _norm(question(f, "zh")) for f in specs}
    target = tmp_path / "我的企业.yaml"
    env = _env(tmp_path)
    command = [sys.executable, "-m", "xbec_advisor", "ask", "--lang", "zh", "--save", str(target)]
    asked: list[str] = []
    with Terminal(command, env, tmp_path) as term:
        start = 0
        typo_done = False
        while prompt := term.until(PROMPT, start, PROMPT_TIMEOUT):
            block = term.text[start : prompt.start()]
            start = prompt.end()
            if asked and not re.search(r"^\d+\. ", block, re.M):
                # the same question again, after a refused answer
                refusal = block.split("\n", 1)[-1]  # after the echo of what was typed
                assert asked[-1] == TYPO[0] and TYPO[1] in refusal, f"unexpected prompt:\n{block}"
                # the refusal is in Chinese too, beyond the answer it quotes
                assert _CJK.search(refusal.replace(TYPO[1], "")), (
                    f"refusal not in Chinese:\n{block}"
                )
                term.type(ANSWERS[TYPO[0]])
                continue
            kind, fields = _recognise(block, questions)
            asked += fields
            if kind == "checklist":
                true = [str(i) for i, f in enumerate(fields, start=1) if f in TRUE]
                answer = ",".join(true) if true else "无"  # none
            elif fields[0] == TYPO[0] and not typo_done:
                answer, typo_done = TYPO[1], True
            else:
                answer = ANSWERS.get(fields[0], "不知道")  # don't know
            term.type(answer)
            assert len(asked) <= len(specs), f"questions asked twice: {asked}"
        code = term.finish(PROMPT_TIMEOUT)
        transcript = term.text
    assert code == 0, f"exit {code}; output:\n{transcript[-3000:]}"
    assert asked[0] == "business_model" and TYPO[0] in asked and typo_done
    assert questions["business_model"] in _norm(transcript)  # the question was asked in Chinese
    assert target.is_file(), transcript[-2000:]

    profile = load_profile_file(target)
    assert profile.business_model == "B2B"
    assert profile.trade_direction == "export"
    assert profile.home_country == "CN"
    assert profile.target_countries == ["CA", "US"]
    assert profile.product_category == "jewelry_accessories"
    assert profile.current_platforms == ["alibaba_com"]
    assert profile.team_languages == ["en", "zh"]
    assert profile.custom_orders is True

    advice = subprocess.run(
        [sys.executable, "-m", "xbec_advisor", "advise", "--lang", "zh", str(target), "--detail"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        cwd=ROOT,
        timeout=PROMPT_TIMEOUT,
    )
    assert advice.returncode == 0, advice.stderr
    assert "阿里巴巴国际站" in advice.stdout  # the platform a B2B jewellery exporter is advised
    assert len(_CJK.findall(advice.stdout)) > 500, advice.stdout[:2000]
