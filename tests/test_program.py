"""The installed program (``xbec_advisor._cli.run``) around the click group: the collector."""

from __future__ import annotations

import gc
import subprocess
import sys
from collections.abc import Iterator

import pytest

from tests.conftest import ROOT
from xbec_advisor import _cli as cli
from xbec_advisor._cli import startup

SCENARIO = ROOT / "scenarios" / "jewellery-b2b-alibaba.yaml"


@pytest.fixture
def restored_collector() -> Iterator[None]:
    yield
    gc.unfreeze()
    gc.enable()
    startup._paused = False


def test_the_start_up_runs_without_the_collector_and_freezes_what_it_built(
    restored_collector: None,
) -> None:
    startup.pause()
    assert not gc.isenabled()
    garbage: list[object] = []
    garbage.append(garbage)  # a cycle, allocated during the start-up
    startup.done()
    assert gc.isenabled() and gc.get_freeze_count() > 0
    startup.done()  # a second call changes nothing
    assert gc.isenabled()


def test_an_embedders_collector_is_left_alone(restored_collector: None) -> None:
    gc.disable()  # the embedder's own choice
    startup.pause()
    startup.done()
    assert not gc.isenabled() and gc.get_freeze_count() == 0


def test_the_program_collects_again_after_start_up_and_freezes_at_exit(
    restored_collector: None, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    seen: list[bool] = []
    original = startup.done

    def watched() -> None:
        seen.append(gc.isenabled())  # still paused when the advisor is ready
        original()
        seen.append(gc.isenabled())

    monkeypatch.setattr(startup, "done", watched)
    monkeypatch.setattr(sys, "argv", ["xbec-advisor", "advise", str(SCENARIO)])
    with pytest.raises(SystemExit) as stop:
        cli.run()
    assert stop.value.code == 0
    assert seen == [False, True]
    assert gc.get_freeze_count() > 0  # the shutdown's collections will skip everything built
    assert "Alibaba.com" in capsys.readouterr().out


@pytest.mark.parametrize(
    "args, code", [(["advise", str(SCENARIO)], 0), (["advise", "missing.yaml"], 2), (["schema"], 0)]
)
def test_the_program_keeps_exit_codes_and_output(args: list[str], code: int) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "xbec_advisor", *args], capture_output=True, text=True, cwd=ROOT
    )
    assert done.returncode == code, done.stderr
    assert (done.stdout.strip() != "") == (code == 0)
