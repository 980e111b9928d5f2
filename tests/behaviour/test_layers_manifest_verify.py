"""The manifest units of module-level layers run through ``tf1to2 verify``: TF1 (TF 1.15 with
TF1TO2_REFERENCE_PYTHON, else ``tf.compat.v1`` with tf-keras) against the converted Keras layers, weights
transferred by the manifest's TF1 names and attribute paths; forward, gradients and training steps."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from tf1to2.cli import cli

pytestmark = pytest.mark.requires_tf

TF1_15 = bool(os.environ.get("TF1TO2_REFERENCE_PYTHON"))
SCRIPT = '''"""Module-level layers on one placeholder."""
import tensorflow as tf

x = tf.placeholder(tf.float32, [None, 6, 6, 2], name="x")
h = tf.layers.conv2d(x, 3, 3, padding="same", activation=tf.nn.relu)
h = tf.layers.max_pooling2d(h, 2, 2)
h = tf.layers.flatten(h)
h = tf.layers.dense(h, 5, activation=tf.nn.tanh, name="fc1")
logits = tf.layers.dense(h, 2)
'''
CONTRIB = '''z = tf.placeholder(tf.float32, [None, 4], name="z")
c = tf.contrib.layers.fully_connected(z, 3)
c = tf.contrib.layers.fully_connected(c, 2, activation_fn=None, scope="out")
'''
BATCH_NORM = '''y = tf.placeholder(tf.float32, [None, 4], name="y")
n = tf.layers.batch_normalization(y, training=False)
'''


def verify(tmp_path: Path, source: str) -> dict:
    original, converted = tmp_path / "model.py", tmp_path / "model_tf2.py"
    original.write_text(source, encoding="utf-8")
    result = CliRunner().invoke(cli, ["convert", "-q", str(original), "-o", str(converted)])
    assert result.exit_code in (0, 1), result.output
    report = tmp_path / "report.json"
    result = CliRunner().invoke(cli, ["verify", str(original), str(converted), "--json", str(report)])
    assert result.exit_code in (0, 1), result.output
    return json.loads(report.read_text(encoding="utf-8"))


def test_module_level_layers_verify_through_their_units(tmp_path: Path) -> None:
    report = verify(tmp_path, SCRIPT + (CONTRIB if TF1_15 else ""))
    failing = [check for check in report["checks"] if not check["passed"]]
    compared = {(check["unit"], check["comparison"]) for check in report["checks"]}
    assert not failing, failing
    assert {("Conv2D", "forward"), ("Dense", "forward"), ("Dense", "training")} <= compared


def test_batch_normalization_unit_verifies(tmp_path: Path) -> None:
    report = verify(tmp_path, '"""BN."""\nimport tensorflow as tf\n\n' + BATCH_NORM)
    compared = {(check["unit"], check["comparison"]) for check in report["checks"]}
    assert ("BatchNormalization", "forward") in compared
    assert all(check["passed"] for check in report["checks"]), [c for c in report["checks"] if not c["passed"]]
