import pytest

from api_rule_testing import converted, dedent, upgrade


@pytest.mark.parametrize(
    ("before", "after"),
    [
        pytest.param("n = x.shape[1].value", "n = x.shape[1]", id="shape subscript"),
        pytest.param("n = x.get_shape()[-1].value", "n = x.shape[-1]", id="get_shape subscript"),
        pytest.param("n = self.inputs.shape[i + 1].value", "n = self.inputs.shape[i + 1]", id="attribute receiver"),
        pytest.param(
            "n = tf.placeholder(tf.float32, [3]).get_shape()[0].value",
            "n = tf.compat.v1.placeholder(tf.float32, [3]).shape[0]",
            id="a receiver whose names are upgraded",
        ),
    ],
)
def test_value_removed(before, after):
    assert converted("import tensorflow as tf\n" + before + "\n") == "import tensorflow as tf\n" + after + "\n"


@pytest.mark.parametrize(
    "source",
    [
        pytest.param("import numpy as np\nn = x.shape[1].value\n", id="module without tensorflow"),
        pytest.param("import tensorflow as tf\nn = x.shape[1]\n", id="TF2 already"),
        pytest.param("import tensorflow as tf\nv = d[1].value\n", id="another subscript"),
        pytest.param("import tensorflow as tf\nn = x.get_shape(3)[1].value\n", id="get_shape with arguments"),
    ],
)
def test_unchanged(source):
    result = upgrade(source)
    assert result.text == dedent(source)
    assert "TF421" not in {d.code for d in result.diagnostics}
