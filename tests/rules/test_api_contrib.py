import pytest

from api_rule_testing import dedent, upgrade


@pytest.mark.parametrize(
    ("source", "line", "replacement"),
    [
        pytest.param("import tensorflow.contrib.slim as slim\n", 1, "tf-slim", id="slim import"),
        pytest.param("from tensorflow.contrib import layers\n", 1, "tf.keras.layers", id="from-import of a contrib module"),
        pytest.param(
            "import tensorflow as tf\nh = tf.contrib.layers.fully_connected(x, 8)\n",
            2,
            "tf.keras.layers.Dense(activation='relu')",
            id="a contrib layer names its Keras class and the default that differs",
        ),
        pytest.param(
            "import tensorflow.contrib.slim as slim\nh = slim.conv2d(x, 8, 3)\n",
            2,
            "tf.keras.layers.Conv2D",
            id="a slim function is named like its contrib.layers twin",
        ),
        pytest.param(
            "import tensorflow as tf\ncell = tf.contrib.rnn.LSTMBlockCell(8)\n", 2, "tf.keras.layers.LSTMCell", id="contrib rnn"
        ),
        pytest.param(
            "import tensorflow as tf\nd = tf.contrib.distributions.Normal(0., 1.)\n",
            2,
            "TensorFlow Probability",
            id="a module without a TF replacement",
        ),
        pytest.param(
            "import tensorflow as tf\nopt = tf.contrib.opt.AdamWOptimizer(1e-4, 1e-3)\n",
            2,
            "tfa.optimizers.AdamW",
            id="tf_upgrade_v2's own addons message",
        ),
    ],
)
def test_contrib_reported_with_replacement(source, line, replacement):
    result = upgrade(source)
    assert result.text == dedent(source)
    findings = [d for d in result.diagnostics if d.code == "TF420" and d.line == line]
    assert findings, result.diagnostics
    assert all(d.severity.value == "error" and not d.fixed for d in findings)
    assert replacement in findings[0].message


def test_every_use_is_reported():
    source = "import tensorflow.contrib.slim as slim\na = slim.flatten(x)\nb = slim.flatten(y)\n"
    assert [d.line for d in upgrade(source).diagnostics if d.code == "TF420"] == [1, 2, 3]


@pytest.mark.parametrize(
    "source",
    [
        pytest.param("import tf_slim as slim\nh = slim.conv2d(x, 8, 3)\n", id="the tf-slim package"),
        pytest.param("import tensorflow as tf\nn = tf.contrib.framework.nest.flatten(x)\n", id="renamed by TF410 instead"),
    ],
)
def test_not_reported(source):
    assert "TF420" not in {d.code for d in upgrade(source).diagnostics}
