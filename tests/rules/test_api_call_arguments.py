import pytest

from api_rule_testing import converted, dedent, upgrade


@pytest.mark.parametrize(
    ("before", "after"),
    [
        pytest.param(
            "import tensorflow as tf\ns = tf.reduce_sum(x, 1, keep_dims=True)\n",
            "import tensorflow as tf\ns = tf.reduce_sum(x, 1, keepdims=True)\n",
            id="keep_dims becomes keepdims",
        ),
        pytest.param(
            "import tensorflow as tf\nm = tf.reduce_mean(x, reduction_indices=[1])\n",
            "import tensorflow as tf\nm = tf.reduce_mean(x, axis=[1])\n",
            id="reduction_indices becomes axis",
        ),
        pytest.param(
            "import tensorflow as tf\ne = tf.expand_dims(x, dim=0)\n",
            "import tensorflow as tf\ne = tf.expand_dims(x, axis=0)\n",
            id="dim becomes axis",
        ),
        pytest.param(
            "import tensorflow as tf\ni = tf.argmax(x, dimension=1)\n",
            "import tensorflow as tf\ni = tf.argmax(x, axis=1)\n",
            id="dimension becomes axis",
        ),
        pytest.param(
            "import tensorflow as tf\ns = tf.reduce_sum(x, None, None, 'total', [1], True)\n",
            "import tensorflow as tf\ns = tf.reduce_sum(x, None, None, 'total', axis=[1], keepdims=True)\n",
            id="positional arguments whose position moved are passed by renamed keyword",
        ),
        pytest.param(
            "import tensorflow as tf\ny = tf.nn.conv2d(x, w, [1, 1, 1, 1], 'SAME', use_cudnn_on_gpu=True)\n",
            "import tensorflow as tf\ny = tf.nn.conv2d(x, filters=w, strides=[1, 1, 1, 1], padding='SAME')\n",
            id="conv2d: filter by keyword, use_cudnn_on_gpu removed",
        ),
        pytest.param(
            "import tensorflow as tf\ny = tf.nn.conv2d(x, w, [1, 1, 1, 1], 'SAME', True)\n",
            "import tensorflow as tf\ny = tf.nn.conv2d(x, filters=w, strides=[1, 1, 1, 1], padding='SAME')\n",
            id="a removed argument passed by position",
        ),
        pytest.param(
            "import tensorflow as tf\nr = tf.cond(p, fn1=a, fn2=b, strict=True)\n",
            "import tensorflow as tf\nr = tf.cond(p, true_fn=a, false_fn=b)\n",
            id="several renames and a removal in one call",
        ),
        pytest.param(
            "import tensorflow as tf\nop = opt.minimize(loss, colocate_gradients_with_ops=True)\n",
            "import tensorflow as tf\nop = opt.minimize(loss)\n",
            id="a method table applies to any object",
        ),
        pytest.param(
            "import tensorflow as tf\ne = tf.nn.embedding_lookup(p, ids, partition_strategy='div')\n",
            "import tensorflow as tf\ne = tf.nn.embedding_lookup(p, ids)\n",
            id="partition_strategy 'div' is what TF2 always does: removed",
        ),
        pytest.param(
            "import tensorflow as tf\ne = tf.nn.embedding_lookup(p, ids, 'div', 'lookup')\n",
            "import tensorflow as tf\ne = tf.nn.embedding_lookup(p, ids, name='lookup')\n",
            id="a removed positional argument is not also passed by keyword",
        ),
        pytest.param(
            "import tensorflow as tf\ne = tf.nn.embedding_lookup(p, ids, partition_strategy='mod')\n",
            "import tensorflow as tf\ne = tf.compat.v1.nn.embedding_lookup(p, ids, partition_strategy='mod')\n",
            id="partition_strategy 'mod' keeps the TF1 call",
        ),
        pytest.param(
            "import tensorflow as tf\nz = tf.zeros_like(x, optimize=False)\n",
            "import tensorflow as tf\nz = tf.compat.v1.zeros_like(x, optimize=False)\n",
            id="an argument TF2 would ignore sends the call to compat.v1",
        ),
        pytest.param(
            "import tensorflow as tf\nz = tf.zeros_like(x, optimize=True)\n",
            "import tensorflow as tf\nz = tf.zeros_like(x)\n",
            id="an argument TF2 behaves as is removed",
        ),
        pytest.param(
            "import tensorflow as tf\ny = tf.nn.dilation2d(x, f, [1, 1, 1, 1], [1, 1, 1, 1], 'SAME')\n",
            "import tensorflow as tf\n"
            "y = tf.nn.dilation2d(x, f, [1, 1, 1, 1], [1, 1, 1, 1], 'SAME', data_format='NHWC')\n",
            id="an argument TF2 requires is added",
        ),
        pytest.param(
            "import tensorflow as tf\nb = tf.batch_to_space_nd(x, s, c)\n",
            "import tensorflow as tf\nb = tf.batch_to_space(x, block_shape=s, crops=c)\n",
            id="renamed to a TF2 name that is reordered as a TF1 name: passed by TF2 keyword",
        ),
        pytest.param(
            "import tensorflow as tf\ns = tf.reduce_sum(\n    x,\n    keep_dims=True,  # keep\n)\n",
            "import tensorflow as tf\ns = tf.reduce_sum(\n    x,\n    keepdims=True,  # keep\n)\n",
            id="formatting and comments survive",
        ),
    ],
)
def test_arguments_upgraded(before, after):
    assert converted(before) == after


@pytest.mark.parametrize(
    "source",
    [
        pytest.param("import tensorflow as tf\ns = tf.reduce_sum(x, axis=1, keepdims=True)\n", id="TF2 keywords"),
        pytest.param("import tensorflow as tf\ns = tf.reduce_sum(x, 1)\n", id="positions that did not move"),
        pytest.param("import tensorflow as tf\nt = tf.transpose(x, [1, 0])\n", id="transpose perm"),
        pytest.param("import tensorflow as tf\nz = tf.compat.v1.zeros_like(x, optimize=False)\n", id="explicit compat.v1"),
        pytest.param("import numpy as np\ns = np.sum(x, keep_dims=True)\n", id="not tensorflow"),
        pytest.param("import tensorflow as tf\nz = tf.zeros_like(x)\n", id="no argument to check"),
    ],
)
def test_unchanged(source):
    result = upgrade(source)
    assert result.text == dedent(source)
    assert not {"TF416", "TF428"} & {d.code for d in result.diagnostics}


def test_unpacked_arguments_warn():
    result = upgrade("import tensorflow as tf\ns = tf.reduce_sum(x, keep_dims=True, **extra)\n")
    assert result.text.endswith("tf.reduce_sum(x, keepdims=True, **extra)\n")
    (finding,) = [d for d in result.diagnostics if d.code == "TF416"]
    assert finding.severity.value == "warning" and "**kwargs" in finding.message
