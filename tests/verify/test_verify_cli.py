"""``tf1to2 verify`` exit codes: 0 equivalent, 1 a comparison failed (tests/verify/test_verify_cases.py),
2 when verification cannot run."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from tf1to2.cli import cli

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "verify"


def verify(*args: str):
    return CliRunner().invoke(cli, ["verify", *args], env={"TF1TO2_REFERENCE_PYTHON": ""})


def test_without_a_manifest_next_to_the_converted_file_it_is_a_usage_error(tmp_path):
    shutil.copy(FIXTURES / "dense_scope" / "converted.py", tmp_path / "converted.py")
    result = verify(str(FIXTURES / "dense_scope" / "original.py"), str(tmp_path / "converted.py"))
    assert result.exit_code == 2
    assert f"no manifest at {tmp_path / 'converted.tf1to2.json'}; pass --manifest" in result.output


@pytest.mark.parametrize(
    ("manifest", "message"),
    [
        pytest.param("{not json", "cannot read the manifest", id="not JSON"),
        pytest.param('{"format": "other"}', "not a tf1to2 manifest", id="another format"),
        pytest.param(json.dumps({"format": "tf1to2.manifest", "version": 1, "source": "a.py", "converted": "b.py", "units": []}),
                     "has no unit with an example and no sess.run site to run", id="no units"),
    ],
)
def test_a_manifest_verify_cannot_use_exits_2_with_the_reason(tmp_path, manifest, message):
    (tmp_path / "converted.tf1to2.json").write_text(manifest)
    shutil.copy(FIXTURES / "dense_scope" / "converted.py", tmp_path / "converted.py")
    result = verify(str(FIXTURES / "dense_scope" / "original.py"), str(tmp_path / "converted.py"))
    assert result.exit_code == 2
    assert message in result.output


@pytest.mark.requires_tf
def test_an_original_that_raises_exits_2_with_its_error():
    case = FIXTURES / "original_raises"
    result = verify(str(case / "original.py"), str(case / "converted.py"), "--manifest", str(case / "manifest.json"))
    assert result.exit_code == 2
    assert "the original code raised, so there is nothing to compare against" in result.output
    assert "NameError: name 'dense' is not defined" in result.output


def test_an_original_using_tf_contrib_needs_the_reference_interpreter(tmp_path):
    original = tmp_path / "model.py"
    original.write_text("import tensorflow as tf\ny = tf.contrib.layers.fully_connected(x, 3)\n")
    manifest = FIXTURES / "dense_scope" / "manifest.json"
    result = verify(str(original), str(FIXTURES / "dense_scope" / "converted.py"), "--manifest", str(manifest))
    assert result.exit_code == 2
    assert "uses tf.contrib, which only TensorFlow 1.x has: pass --reference-python" in result.output
