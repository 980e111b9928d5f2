import pytest

from api_rule_testing import converted, dedent, upgrade

TF1 = "import tensorflow as tf\nx = tf.placeholder(tf.float32)\n"  # a TF1-only API: this is TF1 code
TF1_AFTER = "import tensorflow as tf\nx = tf.compat.v1.placeholder(tf.float32)\n"


@pytest.mark.parametrize(
    ("before", "after"),
    [
        pytest.param(
            "i = tf.random_normal_initializer()", "i = tf.random_normal_initializer(stddev=1.0)", id="normal stddev"
        ),
        pytest.param(
            "i = tf.random_uniform_initializer(seed=1)",
            "i = tf.random_uniform_initializer(seed=1, minval=0.0, maxval=1.0)",
            id="uniform range",
        ),
        pytest.param(
            "i = tf.random_uniform_initializer(-1.0)",
            "i = tf.random_uniform_initializer(-1.0, maxval=1.0)",
            id="a default given by position is not repeated",
        ),
        pytest.param(
            "i = tf.truncated_normal_initializer(0.0, 0.02)",
            "i = tf.keras.initializers.TruncatedNormal(0.0, 0.02)",
            id="truncated normal has a Keras TF2 form",
        ),
        pytest.param(
            "i = tf.truncated_normal_initializer()",
            "i = tf.keras.initializers.TruncatedNormal(stddev=1.0)",
            id="truncated normal default",
        ),
        pytest.param(
            "i = tf.initializers.random_normal(mean=1.0)",
            "i = tf.initializers.random_normal(mean=1.0, stddev=1.0)",
            id="the tf.initializers spelling",
        ),
        pytest.param(
            "i = tf.zeros_initializer(dtype=tf.float32)", "i = tf.zeros_initializer()", id="dtype removed"
        ),
        pytest.param(
            "i = tf.random_normal_initializer(0.0, 0.1, 7, tf.float64)",
            "i = tf.random_normal_initializer(0.0, 0.1, 7)",
            id="positional dtype removed",
        ),
        pytest.param(
            "i = tf.random_normal_initializer(dtype=tf.float32)",
            "i = tf.random_normal_initializer(stddev=1.0)",
            id="dtype removed and the default written",
        ),
        pytest.param(
            "i = tf.glorot_uniform_initializer(seed=3)",
            "i = tf.keras.initializers.GlorotUniform(seed=3)",
            id="glorot has a Keras TF2 form",
        ),
        pytest.param(
            "i = tf.constant_initializer(0.5, tf.float32, False)",
            "i = tf.constant_initializer(0.5)",
            id="constant: dtype and verify_shape removed",
        ),
    ],
)
def test_tf1_defaults_written(before, after):
    assert converted(TF1 + before + "\n") == TF1_AFTER + after + "\n"


@pytest.mark.parametrize(
    "source",
    [
        pytest.param(TF1 + "i = tf.random_normal_initializer(stddev=0.02)\n", id="the differing default is given"),
        pytest.param(TF1 + "i = tf.keras.initializers.RandomNormal()\n", id="keras initializer with equal defaults"),
        pytest.param(TF1 + "i = tf.zeros_initializer()\n", id="no dtype"),
    ],
)
def test_unchanged(source):
    result = upgrade(source)
    assert "TF418" not in {d.code for d in result.diagnostics}


def test_dtype_removal_is_a_warning():
    (finding,) = [d for d in upgrade(TF1 + "i = tf.ones_initializer(tf.float32)\n").diagnostics if d.code == "TF418"]
    assert finding.severity.value == "warning" and "dtype removed" in finding.message


def test_tf2_code_is_reported_not_changed():
    source = "import tensorflow as tf\nlayer = tf.keras.layers.Dense(3, kernel_initializer=tf.random_normal_initializer())\n"
    result = upgrade(source)
    assert result.text == source
    (finding,) = result.diagnostics
    assert (finding.code, finding.severity.value, finding.fixed) == ("TF418", "warning", False)
    assert "stddev=1.0" in finding.message


def test_uncalled_initializer_is_reported():
    result = upgrade(TF1 + "make = tf.random_normal_initializer\n")
    (finding,) = [d for d in result.diagnostics if d.code == "TF418"]
    assert finding.severity.value == "warning" and not finding.fixed
