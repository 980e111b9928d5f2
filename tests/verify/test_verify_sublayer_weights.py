"""The original's weights reach sublayers that make their weights on the first call of a parent layer.

Keras 3 builds a layer without ``build`` by tracing its ``call`` in a stateless scope: the sublayers'
variables get their values later, from their initializers, so an assignment made when they are created is
lost. Without the transfer, the script's first training step starts from other weights and every later
``sess.run`` value differs.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from tf1to2 import convert_source
from tf1to2.cli import cli

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "verify" / "sublayers_built_in_call" / "original.py"
pytestmark = pytest.mark.requires_tf


def test_a_script_whose_sublayers_are_built_in_a_traced_call_verifies(tmp_path):
    original = tmp_path / "original.py"
    original.write_text(FIXTURE.read_text(encoding="utf-8"), encoding="utf-8")
    result = convert_source(original.read_text(encoding="utf-8"), str(original))
    converted = tmp_path / "converted.py"
    converted.write_text(result.text, encoding="utf-8")
    (tmp_path / "converted.tf1to2.json").write_text(result.manifest("converted.py").to_json(), encoding="utf-8")
    report = tmp_path / "report.json"
    outcome = CliRunner().invoke(cli, ["verify", str(original), str(converted), "--json", str(report)])
    checks = json.loads(report.read_text())["checks"]
    traced = [c for c in checks if c["comparison"] == "sess.run trace"]
    assert traced and all(c["passed"] for c in traced), outcome.output
    assert outcome.exit_code == 0, outcome.output
