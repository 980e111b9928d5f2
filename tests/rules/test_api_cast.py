import pytest

from api_rule_testing import converted, dedent, upgrade


@pytest.mark.parametrize(
    ("before", "after"),
    [
        pytest.param("y = tf.to_float(x)", "y = tf.cast(x, tf.float32)", id="to_float is float32"),
        pytest.param("y = tf.to_double(x)", "y = tf.cast(x, tf.float64)", id="to_double is float64"),
        pytest.param("y = tf.to_int64(x, 'n')", "y = tf.cast(x, name='n', dtype=tf.int64)", id="positional name"),
        pytest.param("y = tf.to_int32(x=v)", "y = tf.cast(x=v, dtype=tf.int32)", id="keyword x"),
        pytest.param("f = tf.to_float", "f = tf.compat.v1.to_float", id="not called"),
    ],
)
def test_cast(before, after):
    assert converted("import tensorflow as tf\n" + before + "\n") == "import tensorflow as tf\n" + after + "\n"


def test_from_import_without_alias_is_reported():
    source = "from tensorflow import to_float\ny = to_float(x)\n"
    result = upgrade(source)
    assert result.text == "from tensorflow.compat.v1 import to_float\ny = to_float(x)\n"
    (finding,) = [d for d in result.diagnostics if d.code == "TF424"]
    assert (finding.severity.value, finding.fixed) == ("warning", False)


@pytest.mark.parametrize(
    "source",
    [
        pytest.param("import tensorflow as tf\ny = tf.cast(x, tf.float32)\n", id="cast already"),
        pytest.param("import tensorflow as tf\ny = tf.compat.v1.to_float(x)\n", id="explicit compat.v1"),
    ],
)
def test_unchanged(source):
    result = upgrade(source)
    assert result.text == dedent(source)
    assert "TF424" not in {d.code for d in result.diagnostics}
