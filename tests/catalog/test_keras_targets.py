"""Everything the catalog renders exists in the installed TensorFlow and builds the weights it names."""
from __future__ import annotations

from typing import Any

import pytest

from tf1to2.catalog import initializers, layers, optimizers, regularizers, rnn
from tf1to2.catalog.records import REQUIRED, Role

pytestmark = pytest.mark.requires_tf

# Values for the required arguments of a minimal call, and an input shape per Keras class.
REQUIRED_VALUES = {"units": "3", "filters": "3", "num_outputs": "3", "kernel_size": "3", "pool_size": "2",
                   "strides": "2", "vocab_size": "5", "embed_dim": "4", "learning_rate": "0.1", "momentum": "0.9",
                   "scale": "0.1", "num_units": "3"}
INPUT_SHAPES = {"1D": (2, 8, 3), "2D": (2, 8, 8, 3), "3D": (2, 6, 6, 6, 3)}


def minimal_args(params) -> list:
    # embed_sequence's sizes default to None but are needed unless reusing.
    return [(p.tf1, REQUIRED_VALUES[p.tf1]) for p in params
            if (p.default == REQUIRED or p.tf1 in ("vocab_size", "embed_dim")) and p.role is not Role.INPUT]


def input_shape(keras_class: str) -> tuple:
    for suffix, shape in INPUT_SHAPES.items():
        if keras_class.endswith(suffix) or keras_class.endswith(suffix + "Transpose"):
            return shape
    return (2, 4)


@pytest.mark.parametrize("record", [pytest.param(r, id=api) for api, r in sorted(layers.RECORDS.items())])
def test_layer_renders_a_keras_layer_with_the_named_weights(record: Any, tf: Any) -> None:
    layer = layers.keras_constructor(record, minimal_args(record.params))
    assert not layer.unmapped
    instance = eval(layer.code, {"tf": tf})
    if record.keras_class == "Embedding":
        instance(tf.zeros((2, 3), tf.int32))
    else:
        instance(tf.zeros(input_shape(record.keras_class)), **{k: eval(v) for k, v in layer.call_kwargs})
    built = {id(v) for v in instance.weights}
    for weight in layer.weights:
        assert id(getattr(instance, weight.keras)) in built, f"{weight.keras} is not a weight of {layer.code}"
    assert len(instance.weights) == len(layer.weights), "the layer has weights the catalog does not name"


@pytest.mark.parametrize("record", [pytest.param(r, id=api) for api, r in sorted(initializers.RECORDS.items())])
def test_initializer_renders_a_keras_initializer(record: Any, tf: Any) -> None:
    rendered = initializers.render(record, minimal_args(record.params))
    values = eval(rendered.code, {"tf": tf})((4, 4))
    assert tuple(values.shape) == (4, 4)


@pytest.mark.parametrize("record", [pytest.param(r, id=api) for api, r in sorted(regularizers.RECORDS.items())])
def test_regularizer_renders_a_keras_regularizer(record: Any, tf: Any) -> None:
    rendered = regularizers.render(record, minimal_args(record.params))
    assert float(eval(rendered.code, {"tf": tf})(tf.ones((2, 2)))) > 0


@pytest.mark.parametrize("record", [pytest.param(r, id=api) for api, r in sorted(optimizers.RECORDS.items())
                                    if r.keras_class is not None])
def test_optimizer_renders_a_keras_optimizer_and_its_slot_fix_runs(record: Any, tf: Any) -> None:
    rendered = optimizers.render(record, minimal_args(record.params))
    optimizer = eval(rendered.code, {"tf": tf})
    variable = tf.Variable([1.0, 2.0])
    optimizer.build([variable])
    if rendered.after_build:
        exec(rendered.after_build, {"tf": tf, "optimizer": optimizer})
        assert all(float(tf.reduce_min(v)) == 1.0 for v in optimizer._velocities)
    optimizer.apply_gradients([(tf.constant([0.5, 0.5]), variable)])


@pytest.mark.parametrize("record", [pytest.param(r, id=api) for api, r in sorted(rnn.RECORDS.items())])
def test_rnn_cell_renders_a_keras_layer_with_the_named_weights(record: Any, tf: Any) -> None:
    rendered = rnn.keras_layer(record, minimal_args(record.params) + [("forget_bias", "0.5")] * (
        record.keras_class == "LSTM"))
    instance = eval(rendered.code, {"tf": tf})
    outputs = instance(tf.zeros((2, 5, 4)))
    assert tuple(outputs[0].shape) == (2, 5, 3)
    for weight in rnn.weights(record):
        owner, attribute = weight.keras.split(".")
        assert getattr(getattr(instance, owner), attribute) is not None
    if record.keras_class == "LSTM":
        assert [float(b) for b in instance.cell.bias.numpy()] == [0.0] * 3 + [0.5] * 3 + [0.0] * 6
