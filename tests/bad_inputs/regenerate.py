"""Rewrite tests/bad_inputs/expected.yaml from the current messages
(read them before committing).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from tests.test_bad_inputs import CASES, HERE, run_case

expected = {}
for case in CASES:
    with tempfile.TemporaryDirectory() as folder:
        code, stderr = run_case(case, Path(folder))
    expected[case["name"]] = {"exit": code, "stderr": stderr}
    print(f"--- {case['name']} (exit {code})\n{stderr}")
(HERE / "expected.yaml").write_text(
    yaml.safe_dump(expected, sort_keys=False, allow_unicode=True, width=1000)
)
