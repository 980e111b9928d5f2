"""``convert-checkpoint`` and ``diff-checkpoint`` on checkpoints trained in TF1.

tests/fixtures/verify/trained_checkpoint/train_tf1.py trains seed 004's dense layer with Adam, Momentum,
RMSProp and Adagrad, saves a checkpoint, and records the weights after one more step. The converted
model (dense_scope/converted.py) resumed from the converted checkpoint must take the same step.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from tf1to2.cli import cli
from tf1to2.manifest import Manifest
from tf1to2.verify import binding as bind

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "verify"
MANIFEST = FIXTURES / "dense_scope" / "manifest.json"
pytestmark = [
    pytest.mark.requires_tf,
    # Keras 3 warns when a layer without build() is called after its sublayers made weights in __init__.
    pytest.mark.filterwarnings("ignore:`build\\(\\)` was called on layer:UserWarning"),
]

# The Keras optimizer the converter writes for each TF1 optimizer of train_tf1.py, TF1 defaults explicit.
KERAS_OPTIMIZERS = {
    "Adam": ("0.01", lambda tf: tf.keras.optimizers.Adam(learning_rate=0.01, epsilon=1e-8)),
    "Momentum": ("0.01", lambda tf: tf.keras.optimizers.SGD(learning_rate=0.01, momentum=0.9)),
    "RMSProp": ("0.01", lambda tf: tf.keras.optimizers.RMSprop(learning_rate=0.01, rho=0.9, momentum=0.5, epsilon=1e-10)),
    "Adagrad": ("0.1", lambda tf: tf.keras.optimizers.Adagrad(learning_rate=0.1, initial_accumulator_value=0.1, epsilon=1e-10)),
}


@pytest.fixture(scope="module")
def trained(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("trained")
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="2")
    subprocess.run([sys.executable, str(FIXTURES / "trained_checkpoint" / "train_tf1.py"), str(out)], check=True, env=env,
                   capture_output=True)
    return out


@pytest.fixture(scope="module")
def converted_module() -> dict:
    return bind.load_module(FIXTURES / "dense_scope" / "converted.py").namespace


def invoke(*args: str):
    return CliRunner().invoke(cli, list(args))


def fresh_model(converted_module: dict):
    unit = Manifest.from_json(MANIFEST.read_text()).units[0]
    return eval(unit.example.construct, dict(converted_module))


def one_step(tf, model, optimizer, data) -> np.ndarray:
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean(tf.square(model(data["inputs"]) - data["targets"]))
    gradients = tape.gradient(loss, model.trainable_variables)
    optimizer.apply_gradients(zip(gradients, model.trainable_variables))
    return np.concatenate([model.my_dense_layer.weights_.numpy().ravel(), model.my_dense_layer.biases.numpy().ravel()])


@pytest.mark.parametrize("optimizer", list(KERAS_OPTIMIZERS))
def test_training_resumes_where_tf1_stopped_only_with_the_slots(optimizer, tf, trained, converted_module, tmp_path):
    learning_rate, make_optimizer = KERAS_OPTIMIZERS[optimizer]
    output = tmp_path / "converted"
    result = invoke("convert-checkpoint", str(trained / optimizer / "model.ckpt"), "--manifest", str(MANIFEST),
                    "-o", str(output), "--with-optimizer", "--learning-rate", learning_rate)
    assert result.exit_code == 0, result.output
    assert f"{optimizer} state" in result.output
    data = np.load(trained / optimizer / "next.npz")
    expected = np.concatenate([data["weights"].ravel(), data["biases"].ravel()])

    model, keras_optimizer = fresh_model(converted_module), make_optimizer(tf)
    keras_optimizer.build(model.trainable_variables)
    tf.train.Checkpoint(model=model, optimizer=keras_optimizer).read(str(output)).assert_consumed()
    np.testing.assert_allclose(one_step(tf, model, keras_optimizer, data), expected, rtol=1e-6, atol=1e-6)

    # The same weights without the optimizer state: the first step after resuming goes elsewhere.
    model, keras_optimizer = fresh_model(converted_module), make_optimizer(tf)
    tf.train.Checkpoint(model=model).read(str(output)).expect_partial()
    assert np.abs(one_step(tf, model, keras_optimizer, data) - expected).max() > 1e-3


def test_adam_step_count_comes_from_beta1_power(tf, trained, tmp_path):
    result = invoke("convert-checkpoint", str(trained / "Adam" / "model.ckpt"), "--manifest", str(MANIFEST),
                    "-o", str(tmp_path / "converted"), "--with-optimizer")
    assert result.exit_code == 0, result.output
    assert result.stdout.endswith("Adam state: 4 slots, 20 iterations\n")


def test_weights_h5_loads_into_the_converted_model(tf, trained, converted_module, tmp_path):
    output = tmp_path / "model.weights.h5"
    result = invoke("convert-checkpoint", str(trained / "Adam" / "model.ckpt"), "--manifest", str(MANIFEST), "-o", str(output))
    if not bind.keras_version(tf).startswith("3."):
        # Keras 2 (TF <= 2.15, tf-keras) saves .weights.h5 for Models only; the unit here is a Layer.
        assert result.exit_code == 2
        assert "write a checkpoint prefix instead" in result.output
        return
    assert result.exit_code == 0, result.output
    model = fresh_model(converted_module)
    model(np.zeros((1, 10), np.float32))  # Keras loads .weights.h5 into built layers only
    from tf1to2.verify.checkpoints import load_weights

    load_weights(model, str(output))
    reader = tf.train.load_checkpoint(str(trained / "Adam" / "model.ckpt"))
    np.testing.assert_array_equal(model.my_dense_layer.weights_.numpy(), reader.get_tensor("my_dense_layer/weights"))


def test_weights_h5_cannot_carry_optimizer_state(tf, trained, tmp_path):
    result = invoke("convert-checkpoint", str(trained / "Adam" / "model.ckpt"), "--manifest", str(MANIFEST),
                    "-o", str(tmp_path / "model.weights.h5"), "--with-optimizer")
    assert result.exit_code == 2
    assert "holds weights only" in result.output


def test_a_tf1_checkpoint_of_the_same_model_diffs_clean_with_its_optimizer_state_set_aside(tf, trained):
    result = invoke("diff-checkpoint", str(trained / "Adam" / "model.ckpt"), "--manifest", str(MANIFEST))
    assert result.exit_code == 0, result.output
    assert "  2 weights match" in result.output
    assert "optimizer state, not weights (6): beta1_power, beta2_power, my_dense_layer/biases/Adam" in result.output


def test_a_converted_checkpoint_diffs_clean_by_attribute_path(tf, trained, tmp_path):
    output = tmp_path / "converted"
    assert invoke("convert-checkpoint", str(trained / "Adam" / "model.ckpt"), "--manifest", str(MANIFEST), "-o", str(output),
                  "--with-optimizer").exit_code == 0
    result = invoke("diff-checkpoint", str(output), "--manifest", str(MANIFEST))
    assert result.exit_code == 0, result.output
    assert "tf.train.Checkpoint attribute paths" in result.output


def save_tf1_style(tf, prefix: Path, shapes: dict[str, tuple[int, ...]]) -> None:
    """A name-based checkpoint, as TF1's Saver writes it, without building a graph."""
    names = sorted(shapes)
    tensors = [tf.zeros(shapes[name]) for name in names]
    tf.raw_ops.SaveV2(prefix=str(prefix), tensor_names=names, shape_and_slices=[""] * len(names), tensors=tensors)


def test_seed_002_mismatches_are_explained_in_one_screen(tf, tmp_path):
    """A renamed layer, a changed shape, a layer the optimizer never saw, and a leftover variable."""
    manifest = Manifest.from_json(MANIFEST.read_text())
    from tf1to2.manifest import Weight

    weights = (Weight("d_w_1", "w1", (3, 4)), Weight("d_b1", "b1", (5,)), Weight("out/w", "w2", (4, 1)))
    unit = manifest.units[0].__class__(**{**manifest.units[0].__dict__, "weights": weights})
    manifest_path = tmp_path / "model.tf1to2.json"
    manifest_path.write_text(manifest.__class__(manifest.source, manifest.converted, (unit,)).to_json())
    save_tf1_style(tf, tmp_path / "model.ckpt", {
        "d_w1": (3, 4), "d_w1/Adam": (3, 4), "d_w1/Adam_1": (3, 4),
        "d_b1": (4,), "d_b1/Adam": (4,), "d_b1/Adam_1": (4,),
        "out/w": (4, 1), "g_w1": (4, 2), "beta1_power": (), "beta2_power": (),
    })
    result = invoke("diff-checkpoint", str(tmp_path / "model.ckpt"), "--manifest", str(manifest_path))
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert "  1 weight match" in lines
    assert "    d_w_1          shape (3, 4)   closest in the checkpoint: d_w1" in lines
    # The optimizer never trained out/w: restoring its Adam state would say "Variable out/w/Adam does not exist".
    assert "    out/w/Adam     (the optimizer in the checkpoint keeps no Adam slot for out/w)" in lines
    assert "    out/w/Adam_1   (the optimizer in the checkpoint keeps no Adam_1 slot for out/w)" in lines
    assert "    d_b1   manifest (5), checkpoint (4)" in lines
    assert "    d_w1   closest in the manifest: d_w_1" in lines
    assert any(line.startswith("    g_w1") for line in lines)


def test_convert_checkpoint_refuses_mismatched_names_and_points_to_diff(tf, tmp_path):
    save_tf1_style(tf, tmp_path / "model.ckpt", {"my_dense_layer/weight": (10, 5), "my_dense_layer/biases": (5,)})
    result = invoke("convert-checkpoint", str(tmp_path / "model.ckpt"), "--manifest", str(MANIFEST), "-o", str(tmp_path / "out"))
    assert result.exit_code == 2
    assert "my_dense_layer/weights: not in the checkpoint" in result.output
    assert "tf1to2 diff-checkpoint" in result.output
