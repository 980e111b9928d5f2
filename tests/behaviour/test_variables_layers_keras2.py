"""The same converted layers under Keras 2 (tf-keras, TF_USE_LEGACY_KERAS=1), in one extra process."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from layer_cases import UNITS

pytestmark = pytest.mark.requires_tf
HERE = Path(__file__).resolve().parent


@pytest.fixture(scope="module")
def keras2_report(tf1_dir, tmp_path_factory) -> dict:
    pytest.importorskip("tf_keras", reason="tf-keras is not installed")
    out = tmp_path_factory.mktemp("keras2") / "report.json"
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3", "TF_USE_LEGACY_KERAS": "1"}
    process = subprocess.run(
        [sys.executable, str(HERE / "keras2_side.py"), str(tf1_dir), str(out)],
        capture_output=True, text=True, timeout=900, env=env,
    )
    assert process.returncode == 0, process.stderr[-4000:]
    return json.loads(out.read_text(encoding="utf-8"))


def test_keras2_is_really_used(keras2_report):
    assert keras2_report["keras"].startswith("2.")


@pytest.mark.parametrize("name, index", [pytest.param(n, i, id=f"{n} unit {i} matches TF1 under Keras 2") for n, i in UNITS])
def test_converted_unit_matches_tf1_under_keras2(name, index, keras2_report):
    assert keras2_report[f"{name}#{index}"] == []
