import pytest

from api_rule_testing import converted, dedent, upgrade

TF1 = "import tensorflow as tf\nx = tf.placeholder(tf.float32)\n"
TF1_AFTER = "import tensorflow as tf\nx = tf.compat.v1.placeholder(tf.float32)\n"


@pytest.mark.parametrize(
    ("before", "after"),
    [
        pytest.param("with tf.name_scope(None, 'block', [x]):", "with tf.name_scope('block'):", id="default_name"),
        pytest.param("with tf.name_scope('block', values=[x]):", "with tf.name_scope('block'):", id="values dropped"),
        pytest.param(
            "with tf.name_scope(name=None, default_name='b'):", "with tf.name_scope(name='b'):", id="keyword default_name"
        ),
        pytest.param("with tf.name_scope(scope):", "with tf.compat.v1.name_scope(scope):", id="a name that may be None"),
        pytest.param("with tf.name_scope('outer/'):", "with tf.compat.v1.name_scope('outer/'):", id="re-entering"),
    ],
)
def test_name_scope(before, after):
    assert converted(TF1 + before + "\n    pass\n") == TF1_AFTER + after + "\n    pass\n"


@pytest.mark.parametrize(
    "source",
    [
        pytest.param(TF1 + "with tf.name_scope('block'):\n    pass\n", id="a plain string name"),
        pytest.param("import tensorflow as tf\nwith tf.name_scope(self.name):\n    pass\n", id="TF2 code"),
    ],
)
def test_unchanged(source):
    assert "TF427" not in {d.code for d in upgrade(source).diagnostics}
