import pytest

from api_rule_testing import converted, dedent, upgrade


@pytest.mark.parametrize(
    ("before", "after"),
    [
        pytest.param(
            "import tensorflow as tf\nh = tf.layers.dense(x, 64, activation=tf.nn.relu)\n",
            "import tensorflow as tf\nh = tf.compat.v1.layers.dense(x, 64, activation=tf.nn.relu)\n",
            id="tf.layers function",
        ),
        pytest.param(
            "import tensorflow.compat.v1 as tf\nbn = tf.layers.BatchNormalization()\n",
            "import tensorflow as tf\nbn = tf.compat.v1.layers.BatchNormalization()\n",
            id="tf.layers class under the compat alias",
        ),
        pytest.param(
            "import tensorflow as tf\nspec = tf.layers.InputSpec(ndim=2)\n",
            "import tensorflow as tf\nspec = tf.keras.layers.InputSpec(ndim=2)\n",
            id="InputSpec has a TF2 name",
        ),
    ],
)
def test_tf_layers_kept_as_compat(before, after):
    assert converted(before) == after


def test_every_use_warns_about_tf_keras():
    source = "from tensorflow import layers\nh = layers.conv2d(x, 8, 3)\n"
    result = upgrade(source)
    assert result.text == "from tensorflow.compat.v1 import layers\nh = layers.conv2d(x, 8, 3)\n"
    (finding,) = [d for d in result.diagnostics if d.code == "TF419"]
    assert (finding.line, finding.severity.value, finding.fixed) == (2, "warning", False)
    assert "TF_USE_LEGACY_KERAS=1" in finding.message


def test_fixed_use_is_reported_too():
    (finding,) = upgrade("import tensorflow as tf\nh = tf.layers.flatten(x)\n").diagnostics
    assert (finding.code, finding.fixed) == ("TF419", True)


@pytest.mark.parametrize(
    "source",
    [
        pytest.param("import tensorflow as tf\nh = tf.keras.layers.Dense(3)(x)\n", id="keras layers"),
        pytest.param("import tensorflow as tf\nh = tf.compat.v1.layers.dense(x, 3)\n", id="explicit compat.v1"),
    ],
)
def test_unchanged(source):
    result = upgrade(source)
    assert result.text == dedent(source)
    assert "TF419" not in {d.code for d in result.diagnostics}
