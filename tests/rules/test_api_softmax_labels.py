import pytest

from api_rule_testing import converted, dedent, upgrade

TF1 = "import tensorflow as tf\nx = tf.placeholder(tf.float32)\n"
TF1_AFTER = "import tensorflow as tf\nx = tf.compat.v1.placeholder(tf.float32)\n"


@pytest.mark.parametrize(
    ("before", "after"),
    [
        pytest.param(
            "l = tf.nn.softmax_cross_entropy_with_logits(labels=y, logits=z)",
            "l = tf.nn.softmax_cross_entropy_with_logits(labels=tf.stop_gradient(y), logits=z)",
            id="labels stop the gradient",
        ),
        pytest.param(
            "l = tf.nn.softmax_cross_entropy_with_logits(logits=z, labels=tf.one_hot(y, 3), dim=1)",
            "l = tf.nn.softmax_cross_entropy_with_logits(logits=z, labels=tf.stop_gradient(tf.one_hot(y, 3)), axis=1)",
            id="an expression, with dim renamed",
        ),
    ],
)
def test_labels_wrapped(before, after):
    assert converted(TF1 + before + "\n") == TF1_AFTER + after + "\n"


@pytest.mark.parametrize(
    "source",
    [
        pytest.param(
            TF1 + "l = tf.nn.softmax_cross_entropy_with_logits(labels=tf.stop_gradient(y), logits=z)\n",
            id="already stopped",
        ),
        pytest.param(TF1 + "l = tf.nn.sigmoid_cross_entropy_with_logits(labels=y, logits=z)\n", id="sigmoid"),
    ],
)
def test_unchanged(source):
    assert "TF426" not in {d.code for d in upgrade(source).diagnostics}


def test_tf2_code_is_reported_not_changed():
    source = "import tensorflow as tf\nl = tf.nn.softmax_cross_entropy_with_logits(labels=y, logits=z)\n"
    result = upgrade(source)
    assert result.text == source
    assert [(d.code, d.severity.value) for d in result.diagnostics] == [("TF426", "warning")]
