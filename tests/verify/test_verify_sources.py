"""What verify reads from a source before running it: tf.layers / tf.keras use, and graph-mode switches."""
from __future__ import annotations

import pytest

from tf1to2.verify import sources


@pytest.mark.parametrize(
    "source",
    [
        pytest.param("import tensorflow as tf\ny = tf.layers.dense(x, 3)\n", id="tf.layers"),
        pytest.param("import tensorflow.compat.v1 as tf1\ny = tf1.layers.conv2d(x, 3, 3)\n", id="compat.v1 alias"),
        pytest.param("from tensorflow import layers\ny = layers.dense(x, 3)\n", id="from-import of layers"),
        pytest.param("import tensorflow as tf\nm = tf.keras.Sequential()\n", id="tf.keras"),
    ],
)
def test_originals_using_tf_layers_or_keras_need_legacy_keras(source):
    assert sources.uses_legacy_keras(source)


@pytest.mark.parametrize(
    "source",
    [
        pytest.param("import tensorflow as tf\ny = tf.nn.relu(x)\n", id="no layers"),
        pytest.param("import tensorflow as tf\n# tf.layers.dense is not used\ns = 'tf.keras'\n", id="only mentioned in text"),
        pytest.param("import layers\ny = layers.dense(x)\n", id="another package's layers"),
        pytest.param("def f(:\n", id="not Python"),
    ],
)
def test_other_originals_do_not(source):
    assert not sources.uses_legacy_keras(source)


@pytest.mark.parametrize(
    ("source", "switches"),
    [
        pytest.param("import tensorflow as tf\ntf.compat.v1.disable_eager_execution()\n", True, id="disable_eager_execution"),
        pytest.param("import tensorflow.compat.v1 as tf\ntf.disable_v2_behavior()\n", True, id="disable_v2_behavior"),
        pytest.param("from tensorflow.compat.v1 import disable_eager_execution\ndisable_eager_execution()\n", True,
                     id="from-imported switch"),
        pytest.param("import tensorflow as tf\n# tf.compat.v1.disable_eager_execution()\n", False, id="commented out"),
        pytest.param("import tensorflow as tf\nf = tf.compat.v1.disable_eager_execution\n", False, id="named, not called"),
    ],
)
def test_modules_that_switch_to_graph_mode_are_recognised(source, switches):
    assert sources.disables_eager(source) is switches


@pytest.mark.parametrize(
    ("source", "contrib"),
    [
        pytest.param("import tensorflow as tf\ny = tf.contrib.layers.fully_connected(x, 3)\n", True, id="tf.contrib"),
        pytest.param("import tensorflow.contrib.slim as slim\n", True, id="import of a contrib module"),
        pytest.param("from tensorflow.contrib import layers\n", True, id="from tensorflow.contrib import"),
        pytest.param("from tensorflow import contrib\n", True, id="from tensorflow import contrib"),
        pytest.param("import tf_slim as slim\ny = slim.fully_connected(x, 3)\n", False, id="tf_slim is its own package"),
        pytest.param("import tensorflow as tf\ny = tf.layers.dense(x, 3)\n", False, id="no contrib"),
    ],
)
def test_originals_using_tf_contrib_are_recognised(source, contrib):
    assert sources.uses_contrib(source) is contrib
