"""Batch scoring: inputs of every kind, errors that never stop the batch, outputs, parallelism."""

from __future__ import annotations

import csv
import io
import json
import random
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import ROOT, in_process_cluster
from xbec_advisor._cli import main
from xbec_advisor._profile.generate import random_answers

runner = CliRunner()


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(main, ["score", *args])
    return result.exit_code, result.stdout, result.stderr


def test_scenarios_folder() -> None:
    code, out, err = run(str(ROOT / "scenarios"), "-j", "1", "-f", "json")
    rows = json.loads(out)
    assert code == 0 and len(rows) == len(list((ROOT / "scenarios").glob("*.yaml")))
    assert all(r["status"] == "ok" and r["platform_1"] for r in rows)
    assert err.strip().endswith(f"scored {len(rows)} profile(s), 0 failed")


@pytest.fixture()
def mixed(tmp_path: Path) -> Path:
    (tmp_path / "one.yaml").write_text("business_model: B2B\ntrade_direction: export\n")
    (tmp_path / "list.yaml").write_text(
        "- {business_model: B2C, target_region: southeast_asia}\n"
        "- {business_model: B2X}\n"
        "- {id: acme, business_model: B2B}\n"
    )
    (tmp_path / "broken.yaml").write_text("business_model: [B2B\n")
    (tmp_path / "firms.csv").write_text(
        "id,business_model,payment_modes,custom_orders,monthly_orders\n"
        "c1,B2C,paypal;alipay,yes,120\n,B2B,,no,\nc3,B2C,paypal;bitcoin,,\n"
    )
    (tmp_path / "firms.jsonl").write_text(
        '{"business_model": "B2B"}\n{"business_model": \n["not a profile"]\n'
    )
    return tmp_path


def test_mixed_inputs_report_each_error_and_score_the_rest(mixed: Path) -> None:
    code, out, err = run(str(mixed), "-j", "1", "-f", "json")
    rows = {r["id"]: r for r in json.loads(out)}
    assert code == 1
    assert rows[str(mixed / "one.yaml")]["status"] == "ok"
    assert rows[f"{mixed / 'list.yaml'}#1"]["status"] == "ok" and rows["acme"]["status"] == "ok"
    assert rows["c1"]["status"] == "ok" and rows[f"{mixed / 'firms.csv'}:3"]["status"] == "ok"
    assert rows[f"{mixed / 'firms.jsonl'}:1"]["status"] == "ok"
    expected_errors = {
        f"{mixed / 'list.yaml'}#2": "business_model: 'B2X' is not allowed",
        str(mixed / "broken.yaml"): "broken.yaml:2:",
        "c3": "column 'payment_modes': 'bitcoin' is not one of the choices",
        f"{mixed / 'firms.jsonl'}:2": "invalid JSON",
        f"{mixed / 'firms.jsonl'}:3": "expected a JSON object (a profile), got list",
    }
    for rid, message in expected_errors.items():
        assert rows[rid]["status"] == "error" and message in rows[rid]["error"], rid
        assert any(line.startswith("error: ") and message in line for line in err.splitlines()), rid
    assert err.strip().endswith(f"scored {len(rows) - 5} profile(s), 5 failed")


def test_json_lines_are_read_line_by_line_and_a_bad_line_fails_alone(tmp_path: Path) -> None:
    from xbec_advisor._batch import read_items

    source = tmp_path / "firms.jsonl"
    source.write_bytes(
        b'\xef\xbb\xbf{"business_model": "B2B"}\r\n\n{"business_model": "\xff"}\n'
        b'{"id": "acme", "business_model": "B2C"}\n{"x": "\x00"}\n'
    )
    items = [item.resolved() for item in read_items(source)]
    assert [(i.id, i.data, i.error) for i in items] == [
        (f"{source}:1", {"business_model": "B2B"}, None),  # a BOM and a CRLF line ending are fine
        (f"{source}:3", None, f"{source}:3: not UTF-8 text (bad byte at column 21)"),
        ("acme", {"business_model": "B2C"}, None),
        (f"{source}:5", None, f"{source}:5: a NUL byte; expected JSON text"),
    ]
    binary = tmp_path / "data.jsonl"
    binary.write_bytes(b"\x00\x01\x02\n{}\n")
    assert [(i.id, i.error) for i in read_items(binary)] == [
        (str(binary), f"{binary}: looks like a binary file; expected JSON Lines text")
    ]


def test_a_large_json_lines_file_is_not_read_whole_before_its_first_profile(tmp_path: Path) -> None:
    from xbec_advisor._batch import read_items

    source = tmp_path / "firms.jsonl"
    source.write_text(
        "".join(
            json.dumps({"id": f"f{i}", **random_answers(random.Random(i))}) + "\n"
            for i in range(2000)
        )
    )
    items = read_items(source)
    assert next(items).resolved().id == "f0"
    with source.open(
        "a"
    ) as more:  # appended after the first row was handed out: a reader of the whole file misses it
        more.write(json.dumps({"id": "late"}) + "\n")
    assert [item.resolved().id for item in items][-2:] == ["f1999", "late"]


def test_parquet_and_globs(tmp_path: Path) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    pa = pytest.importorskip("pyarrow")
    pq.write_table(
        pa.table(
            {
                "id": ["p1", "p2"],
                "business_model": ["B2B", "B2C"],
                "payment_modes": ["paypal", "paypal;alipay"],
            }
        ),
        tmp_path / "firms.parquet",
    )
    (tmp_path / "a.yaml").write_text("business_model: B2C\n")
    code, out, _ = run(
        str(tmp_path / "*.parquet"), str(tmp_path / "*.yaml"), "-j", "1", "-f", "jsonl"
    )
    ids = [json.loads(line)["id"] for line in out.splitlines()]
    assert code == 0 and ids == ["p1", "p2", str(tmp_path / "a.yaml")]


@pytest.mark.parametrize("fmt", ["table", "csv", "json", "jsonl", "markdown"])
def test_formats(fmt: str) -> None:
    code, out, _ = run(str(ROOT / "scenarios" / "jewellery-b2b-alibaba.yaml"), "-j", "1", "-f", fmt)
    assert code == 0
    if fmt in ("table", "markdown"):  # for people: the platform's name, headers in words
        assert "Alibaba.com" in out and "alibaba_com" not in out and "platform 1" in out
    else:  # for machines: ids, each platform and its score in a column of its own
        assert "alibaba_com" in out
    if fmt == "csv":
        row = next(csv.DictReader(io.StringIO(out)))
        assert (row["platform_1"], row["score_1"]) == ("alibaba_com", "2")
        assert "localization" in row and "loc" not in row


def test_matrix_and_full(tmp_path: Path) -> None:
    scenario = str(ROOT / "scenarios" / "jewellery-b2b-alibaba.yaml")
    code, out, _ = run(scenario, "-j", "1", "--matrix", "-f", "csv")
    row = next(csv.DictReader(io.StringIO(out)))
    assert (
        code == 0
        and row["PLAT-102"] == "1"
        and all(v in ("0", "1") for k, v in row.items() if k != "id")
    )
    code, out, _ = run(scenario, "-j", "1", "--full")
    line = json.loads(out.splitlines()[0])
    assert line["id"] == scenario and line["status"] == "ok"
    advice = line["advice"]
    assert advice["platforms"][0]["platform"] == "alibaba_com" and advice["recommendations"]


def test_full_keeps_failed_rows_and_refuses_other_formats(mixed: Path) -> None:
    code, out, err = run(str(mixed), "-j", "1", "--full")
    lines = [json.loads(line) for line in out.splitlines()]
    assert code == 1 and {line["status"] for line in lines} == {"ok", "error"}
    failed = [line for line in lines if line["status"] == "error"]
    assert failed and all(line["id"] and line["error"] for line in failed)
    assert len(lines) == int(err.split("scored ")[1].split()[0]) + len(failed)
    code, _, err = run(str(mixed), "-j", "1", "--full", "-f", "csv")
    assert code == 2 and "--full writes the complete advice as JSON Lines, not csv" in err


def test_sensitivity_column() -> None:
    code, out, _ = run(
        str(ROOT / "scenarios" / "beauty-live-indonesia.yaml"),
        "-j",
        "1",
        "--sensitivity",
        "-f",
        "json",
    )
    assert code == 0 and json.loads(out)[0]["most_influential_answers"]


def test_parallel_output_keeps_the_order() -> None:
    serial = run(str(ROOT / "scenarios"), "-j", "1", "-f", "csv")[1]
    parallel = run(str(ROOT / "scenarios"), "-j", "2", "-f", "csv")[1]
    assert parallel == serial


def test_ten_thousand_profiles_with_one_percent_broken(tmp_path: Path) -> None:
    rng = random.Random(2024)
    lines = []
    for i in range(10_000):
        answers = random_answers(rng)
        if i % 100 == 99:
            answers["business_model"] = "B2X"  # 100 broken profiles
        lines.append(json.dumps({"id": f"firm-{i:05d}", **answers}))
    source = tmp_path / "firms.jsonl"
    source.write_text("\n".join(lines) + "\n")
    target = tmp_path / "scores.csv"
    code, out, err = run(str(source), "-j", "2", "-f", "csv", "-o", str(target))
    assert code == 1 and out == ""
    rows = list(csv.DictReader(target.open()))
    assert len(rows) == 10_000 and [r["id"] for r in rows] == [
        f"firm-{i:05d}" for i in range(10_000)
    ]
    assert sum(r["status"] == "ok" for r in rows) == 9_900
    errors = [line for line in err.splitlines() if line.startswith("error: ")]
    assert len(errors) == 100 and all("business_model: 'B2X' is not allowed" in e for e in errors)
    assert err.strip().endswith("scored 9900 profile(s), 100 failed")
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "firms.jsonl",
        "scores.csv",
    ]  # no temporary file left


def test_usage_errors_exit_2() -> None:
    assert run()[0] == 2
    code, _, err = run("no-such-folder")
    assert code == 2 and "no-such-folder: no such file or folder" in err
    code, _, err = run("nothing-*.yaml")
    assert code == 2 and "no file matches this pattern" in err


def test_dask_local_cluster() -> None:
    with in_process_cluster(2) as cluster:
        code, out, err = run(
            str(ROOT / "scenarios"), "--dask", cluster.scheduler_address, "-f", "csv"
        )
    assert code == 0, err
    assert out == run(str(ROOT / "scenarios"), "-j", "1", "-f", "csv")[1]


@pytest.mark.parametrize("fmt", ["csv", "table"])
def test_an_interrupted_run_leaves_the_previous_output_untouched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str
) -> None:
    from xbec_advisor._batch import scoring

    target = tmp_path / "scores.csv"
    target.write_text("previous scores\n")
    original = scoring.score_chunk

    def failing(chunk: list[object], *args: object) -> object:
        if any(str(getattr(item, "id", "")).endswith("#3") for item in chunk):
            raise KeyboardInterrupt  # the user stops the run after some rows were written
        return original(chunk, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(scoring, "LOCAL_CHUNK", 2)
    monkeypatch.setattr(scoring, "score_chunk", failing)
    source = tmp_path / "firms.yaml"
    source.write_text(json.dumps([random_answers(random.Random(k)) for k in range(5)]))
    result = runner.invoke(main, ["score", str(source), "-j", "1", "-f", fmt, "-o", str(target)])
    assert result.exit_code != 0
    assert target.read_text() == "previous scores\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["firms.yaml", "scores.csv"]


def test_streamed_and_collected_summaries_agree() -> None:
    from xbec_advisor._batch import expand_paths, read_items, score_items
    from xbec_advisor._batch.outputs import summary_table, write_summary

    results = list(
        score_items(
            item for path in expand_paths((str(ROOT / "scenarios"),)) for item in read_items(path)
        )
    )
    for fmt in ("csv", "jsonl"):
        for influential in (False, True):
            out = io.StringIO()
            write_summary(iter(results), fmt, out, influential)
            assert out.getvalue() == summary_table(results, fmt, influential)


@pytest.mark.parametrize("jobs", [2, 3])
def test_chunks_scored_here_and_in_workers_keep_the_order(
    monkeypatch: pytest.MonkeyPatch, jobs: int
) -> None:
    from xbec_advisor._batch import expand_paths, processes, read_items, score_items

    monkeypatch.setattr(
        processes, "CHUNK", 2
    )  # 16 scenarios: shared between this process and the workers
    items = [item for path in expand_paths((str(ROOT / "scenarios"),)) for item in read_items(path)]
    serial = list(score_items(iter(items), jobs=1))
    assert list(score_items(iter(items), jobs=jobs)) == serial and len(serial) == 16


def test_spawned_workers_give_the_same_results(monkeypatch: pytest.MonkeyPatch) -> None:
    from xbec_advisor._batch import expand_paths, processes, read_items, score_items

    monkeypatch.setattr(
        processes.threading, "active_count", lambda: 2
    )  # another thread: forking is unsafe, spawn
    assert processes.context().get_start_method() == "spawn"
    monkeypatch.setattr(processes, "CHUNK", 4)
    items = [item for path in expand_paths((str(ROOT / "scenarios"),)) for item in read_items(path)]
    assert list(score_items(iter(items), jobs=2)) == list(score_items(iter(items), jobs=1))


def test_an_engine_failure_is_not_a_profile_error(monkeypatch: pytest.MonkeyPatch) -> None:
    # issue 13, item 15: an engine error was reported as the profile's; it stops the command
    # with exit code 3 and names the rules involved
    from xbec_advisor._advice.advisor import Advisor
    from xbec_advisor._errors import EngineError

    def failing(self: Advisor, profiles: object) -> object:
        raise EngineError("durable-rules failed on ruleset 1 of pass 1 (rules from packs/x): 303")

    monkeypatch.setattr(Advisor, "evaluate_many", failing)
    code, _, err = run(str(ROOT / "scenarios"), "-j", "1", "-f", "csv")
    assert code == 3
    assert "the rule engine failed" in err and "packs/x" in err and "invalid profile" not in err


def test_tables_are_streamed_without_a_file_size_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from xbec_advisor._batch import sources, tables

    monkeypatch.setattr(sources, "MAX_LIST_BYTES", 10)  # only list files are read whole
    monkeypatch.setattr(tables, "MAX_INPUT_BYTES", 200)  # rows keep their own limit
    (tmp_path / "firms.csv").write_text("id,business_model\na,B2C\nb,B2B\n")
    jsonl = '{"id": "a", "business_model": "B2C"}\n{"id": "big", "x": "' + "y" * 500 + '"}\n{}\n'
    (tmp_path / "firms.jsonl").write_text(jsonl)
    rows = list(sources.read_items(tmp_path / "firms.csv"))
    assert [(r.id, r.data) for r in rows] == [
        ("a", {"business_model": "B2C"}),
        ("b", {"business_model": "B2B"}),
    ]
    lines = [item.resolved() for item in sources.read_items(tmp_path / "firms.jsonl")]
    assert lines[0].id == "a" and lines[1].error is not None
    assert "longer than 200 bytes" in lines[1].error
    (tmp_path / "list.yaml").write_text("- {business_model: B2C}\n")
    assert "the limit is 10 bytes" in str(next(sources.read_items(tmp_path / "list.yaml")).error)
