import pytest

from api_rule_testing import dedent, upgrade


@pytest.mark.parametrize(
    ("source", "code", "severity", "words"),
    [
        pytest.param(
            "import tensorflow as tf\ne = tf.nn.embedding_lookup(p, ids, partition_strategy='div')\n",
            "TF423", "warning", "partition_strategy", id="a function warning",
        ),
        pytest.param(
            "import tensorflow as tf\ny = tf.nn.conv2d(x, w, [1, 1, 1, 1], 'SAME', use_cudnn_on_gpu=False)\n",
            "TF423", "warning", "use_cudnn_on_gpu", id="an argument warning",
        ),
        pytest.param(
            "import tensorflow as tf\ns = tf.distribute.MirroredStrategy()\n",
            "TF423", "warning", "MirroredStrategy", id="an API that changed behind the same name",
        ),
        pytest.param(
            "import tensorflow as tf\nmodel.save('m')\n", "TF423", "info", ".keras", id="the method warning, for Keras 3",
        ),
        pytest.param(
            "import tensorflow as tf\ng = tf.image.extract_glimpse(x, s, o)\n",
            "TF429", "warning", "noise", id="a special call tf1to2 leaves for a person",
        ),
        pytest.param(
            "import tensorflow as tf\nt = tf.strings.split(x, result_type='SparseTensor')\n",
            "TF429", "warning", "RaggedTensor", id="strings.split",
        ),
    ],
)
def test_warned(source, code, severity, words):
    result = upgrade(source)
    findings = [d for d in result.diagnostics if d.code == code]
    assert [d.severity.value for d in findings] == [severity]
    assert words in findings[0].message and not findings[0].fixed


@pytest.mark.parametrize(
    "source",
    [
        pytest.param("import tensorflow as tf\ny = tf.nn.relu(x)\n", id="nothing to say"),
        pytest.param("import tensorflow as tf\na = tf.assert_equal(x, y)\n", id="the remark rides on the rename"),
        pytest.param(
            "import tensorflow as tf\ny = tf.image.resize_bilinear(x, s, align_corners=True)\n",
            id="compat.v1 keeps the argument",
        ),
    ],
)
def test_not_warned(source):
    assert not {"TF423", "TF429"} & {d.code for d in upgrade(dedent(source)).diagnostics}
