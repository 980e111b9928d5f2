"""The original on real TensorFlow 1.15 (Python 3.7), the converted code on this interpreter's TF 2.x.

Skipped unless TF1TO2_REFERENCE_PYTHON names an interpreter with TensorFlow 1.15 (tools/make_reference_venv.sh).
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from tf1to2.cli import cli

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "verify"
pytestmark = pytest.mark.requires_tf


def test_function_units_with_reuse_regularizer_and_adam_match_real_tf_1_15(reference_python, tmp_path):
    case = FIXTURES / "linear_reuse"
    report = tmp_path / "report.json"
    result = CliRunner().invoke(cli, [
        "verify", str(case / "original.py"), str(case / "converted.py"), "--manifest", str(case / "manifest.json"),
        "--reference-python", str(reference_python), "--json", str(report),
    ])
    assert result.exit_code == 0, result.output
    data = json.loads(report.read_text())
    assert data["original_side"]["tensorflow"].startswith("1.15")
    assert data["original_side"]["python"].startswith("3.7")
    compared = {(c["unit"], c["comparison"]) for c in data["checks"]}
    for unit in ("Linear", "Siamese"):
        for comparison in ("variables", "forward", "gradients", "regularization", "training", "training, small gradients",
                           "initializers"):
            assert (unit, comparison) in compared
    assert "EQUIVALENT" in result.stdout
