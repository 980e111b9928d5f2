import pytest

from api_rule_testing import converted, dedent, upgrade


@pytest.mark.parametrize(
    ("before", "after"),
    [
        pytest.param(
            "import tensorflow.compat.v1 as tf\nx = tf.placeholder(tf.float32)\ny = tf.nn.relu(x)\n",
            "import tensorflow as tf\nx = tf.compat.v1.placeholder(tf.float32)\ny = tf.nn.relu(x)\n",
            id="the alias now names tensorflow and the uses are upgraded",
        ),
        pytest.param(
            "import numpy as np, tensorflow.compat.v1 as tf\nr = tf.random_normal([2])\n",
            "import numpy as np, tensorflow as tf\nr = tf.random.normal([2])\n",
            id="one alias among several",
        ),
        pytest.param(
            "import tensorflow.compat.v1 as tfv1\ns = tfv1.Session()\n",
            "import tensorflow as tfv1\ns = tfv1.compat.v1.Session()\n",
            id="any alias name",
        ),
        pytest.param(
            "import tensorflow.compat.v1 as tf\nx = tf.compat.v1.placeholder(tf.float32)\n",
            "import tensorflow as tf\nx = tf.compat.v1.placeholder(tf.float32)\n",
            id="explicit compat.v1 under the compat alias",
        ),
        pytest.param(
            "def build():\n    import tensorflow.compat.v1 as tf\n    return tf.Session()\n",
            "def build():\n    import tensorflow as tf\n    return tf.compat.v1.Session()\n",
            id="an import inside a function",
        ),
    ],
)
def test_compat_import_rewritten(before, after):
    assert converted(before) == after


@pytest.mark.parametrize(
    "source",
    [
        pytest.param("import tensorflow.compat.v1\nx = tensorflow.compat.v1.placeholder(3)\n", id="without an alias it is explicit"),
        pytest.param("import tensorflow.compat.v2 as tf\n", id="compat.v2"),
        pytest.param("import tensorflow as tf\n", id="plain tensorflow"),
    ],
)
def test_other_imports_unchanged(source):
    result = upgrade(source)
    assert result.text == dedent(source)
    assert "TF413" not in {d.code for d in result.diagnostics}


def test_bare_use_of_the_alias_is_a_warning():
    result = upgrade("import tensorflow.compat.v1 as tf\nop = getattr(tf, 'placeholder')\n")
    warnings = [d for d in result.diagnostics if d.severity.value == "warning"]
    assert [(d.code, d.line, d.col) for d in warnings] == [("TF413", 2, 13)]
