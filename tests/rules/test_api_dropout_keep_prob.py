import pytest

from api_rule_testing import converted, dedent, upgrade


@pytest.mark.parametrize(
    ("before", "after"),
    [
        pytest.param("h = tf.nn.dropout(h, 0.8)", "h = tf.nn.dropout(h, rate=1 - 0.8)", id="positional keep_prob"),
        pytest.param("h = tf.nn.dropout(h, keep_prob=kp)", "h = tf.nn.dropout(h, rate=1 - kp)", id="keyword keep_prob"),
        pytest.param(
            "h = tf.nn.dropout(h, keep_prob=1.0 - drop)",
            "h = tf.nn.dropout(h, rate=1 - (1.0 - drop))",
            id="an expression is parenthesized",
        ),
        pytest.param(
            "h = tf.nn.dropout(h, self.keep_prob)", "h = tf.nn.dropout(h, rate=1 - self.keep_prob)", id="an attribute"
        ),
        pytest.param(
            "h = tf.nn.dropout(h, kp, [1, 5], 3, 'drop')",
            "h = tf.nn.dropout(h, rate=1 - kp, noise_shape=[1, 5], seed=3, name='drop')",
            id="later positional arguments are passed by keyword",
        ),
        pytest.param(
            "h = tf.nn.dropout(h, keep_prob=tf.placeholder_with_default(1.0, []))",
            "h = tf.nn.dropout(h, rate=1 - tf.compat.v1.placeholder_with_default(1.0, []))",
            id="a keep_prob whose own names are upgraded",
        ),
        pytest.param(
            "h = tf.nn.dropout(h, (a + b))", "h = tf.nn.dropout(h, rate=1 - (a + b))", id="already parenthesized"
        ),
    ],
)
def test_keep_prob_becomes_rate(before, after):
    assert converted("import tensorflow as tf\n" + before + "\n") == "import tensorflow as tf\n" + after + "\n"


@pytest.mark.parametrize(
    "source",
    [
        pytest.param("import tensorflow as tf\nh = tf.nn.dropout(h, rate=0.2)\n", id="rate already"),
        pytest.param("import tensorflow as tf\nh = tf.keras.layers.Dropout(0.2)(h)\n", id="keras dropout"),
        pytest.param("import tensorflow as tf\nh = tf.compat.v1.nn.dropout(h, 0.8)\n", id="explicit compat.v1"),
    ],
)
def test_unchanged(source):
    result = upgrade(source)
    assert result.text == dedent(source)
    assert "TF417" not in {d.code for d in result.diagnostics}


def test_dropout_without_keep_prob_is_an_error():
    result = upgrade("import tensorflow as tf\nh = tf.nn.dropout(h)\n")
    assert [(d.code, d.severity.value, d.fixed) for d in result.diagnostics] == [("TF417", "error", False)]
