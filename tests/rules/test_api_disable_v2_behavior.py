import pytest

from api_rule_testing import converted, upgrade


@pytest.mark.parametrize(
    ("before", "after"),
    [
        pytest.param(
            "import tensorflow.compat.v1 as tf\ntf.disable_v2_behavior()\ny = tf.nn.relu(tf.constant([1.0]))\n",
            "import tensorflow as tf\ny = tf.nn.relu(tf.constant([1.0]))\n",
            id="removed when nothing needs graph mode",
        ),
        pytest.param(
            "import tensorflow.compat.v1 as tf\n\ntf.disable_v2_behavior()\n\ny = tf.square(2.0)\n",
            "import tensorflow as tf\n\ny = tf.square(2.0)\n",
            id="no double blank line where it was",
        ),
        pytest.param(
            "import tensorflow as tf\ntf.compat.v1.disable_v2_behavior()\ny = tf.square(2.0)\n",
            "import tensorflow as tf\ny = tf.square(2.0)\n",
            id="the explicit compat.v1 spelling too",
        ),
        pytest.param(
            "import tensorflow.compat.v1 as tf\nif True:\n    tf.disable_v2_behavior()\n",
            "import tensorflow as tf\nif True:\n    pass\n",
            id="the only statement of a block becomes pass",
        ),
        pytest.param(
            "import tensorflow.compat.v1 as tf\ntf.disable_v2_behavior()\nx = tf.placeholder(tf.float32)\n",
            "import tensorflow as tf\ntf.compat.v1.disable_v2_behavior()\nx = tf.compat.v1.placeholder(tf.float32)\n",
            id="kept as compat.v1 while a placeholder needs graph mode",
        ),
    ],
)
def test_disable_call(before, after):
    assert converted(before) == after


def test_kept_call_names_what_needs_graph_mode():
    source = (
        "import tensorflow.compat.v1 as tf\ntf.disable_v2_behavior()\n"
        "with tf.Session() as s:\n    v = tf.get_variable('v', [2])\n"
    )
    (finding,) = [d for d in upgrade(source).diagnostics if d.code == "TF414"]
    assert finding.severity.value == "warning"
    assert "tf.compat.v1.Session" in finding.message and "tf.compat.v1.get_variable" in finding.message


def test_no_disable_call_no_finding():
    source = "import tensorflow as tf\nx = tf.placeholder(tf.float32)\n"
    assert "TF414" not in {d.code for d in upgrade(source).diagnostics}
