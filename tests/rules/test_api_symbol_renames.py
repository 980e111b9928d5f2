import pytest

from api_rule_testing import codes, converted, dedent, messages, upgrade


@pytest.mark.parametrize(
    ("before", "after"),
    [
        pytest.param(
            "import tensorflow as tf\nx = tf.placeholder(tf.float32, [None, 3])\n",
            "import tensorflow as tf\nx = tf.compat.v1.placeholder(tf.float32, [None, 3])\n",
            id="a name TF2 lacks goes to tf.compat.v1",
        ),
        pytest.param(
            "import tensorflow as tf\nr = tf.random_normal([3])\n",
            "import tensorflow as tf\nr = tf.random.normal([3])\n",
            id="a name with a TF2 equivalent gets the TF2 name",
        ),
        pytest.param(
            "import tensorflow as tf2\nx = tf2.placeholder(tf2.float32)\n",
            "import tensorflow as tf2\nx = tf2.compat.v1.placeholder(tf2.float32)\n",
            id="any alias of tensorflow",
        ),
        pytest.param(
            "import tensorflow as tf\nflags = tf.app.flags\nFLAGS = tf.app.flags.FLAGS\n",
            "import tensorflow as tf\nflags = tf.compat.v1.app.flags\nFLAGS = tf.compat.v1.app.flags.FLAGS\n",
            id="a renamed module renames what is under it",
        ),
        pytest.param(
            "import tensorflow as tf\nf = tf.gfile.Exists(p)\ng = tf.gfile.FastGFile(p)\n",
            "import tensorflow as tf\nf = tf.io.gfile.exists(p)\ng = tf.compat.v1.gfile.FastGFile(p)\n",
            id="members of a module TF2 dropped go to tf.compat.v1 unless renamed",
        ),
        pytest.param(
            "import tensorflow as tf\ntf.flags.DEFINE_string('a', 'b', 'c')\n",
            "import tensorflow as tf\ntf.compat.v1.flags.DEFINE_string('a', 'b', 'c')\n",
            id="tf.flags lives on in tf.compat.v1",
        ),
        pytest.param(
            "import tensorflow as tf\nc = tf.nn.rnn_cell.LSTMCell(8)\n",
            "import tensorflow as tf\nc = tf.compat.v1.nn.rnn_cell.LSTMCell(8)\n",
            id="a target that needs tf-keras is still applied",
        ),
        pytest.param(
            "import tensorflow as tf\nloss = tf.nn.softmax_cross_entropy_with_logits_v2(labels=y, logits=z)\n",
            "import tensorflow as tf\n"
            "loss = tf.compat.v1.nn.softmax_cross_entropy_with_logits_v2(labels=y, logits=z)\n",
            id="a rename whose target is rewritten again as a TF1 name goes to compat.v1",
        ),
        pytest.param(
            "import tensorflow as tf\ny = tf.image.resize_images(x, [8, 8])\n",
            "import tensorflow as tf\ny = tf.compat.v1.image.resize_images(x, [8, 8])\n",
            id="resize_images keeps TF1 pixel centers instead of tf.image.resize",
        ),
        pytest.param(
            "from tensorflow import nn\ny = nn.max_pool(x, [1, 2, 2, 1], [1, 2, 2, 1], 'SAME')\n",
            "from tensorflow import nn\n"
            "y = nn.max_pool2d(input=x, ksize=[1, 2, 2, 1], strides=[1, 2, 2, 1], padding='SAME')\n",
            id="through a from-imported module, with its reordered arguments",
        ),
    ],
)
def test_renames(before, after):
    assert converted(before) == after


@pytest.mark.parametrize(
    "source",
    [
        pytest.param("import tensorflow as tf\nx = tf.compat.v1.placeholder(tf.float32)\n", id="explicit compat.v1 stays"),
        pytest.param("import tensorflow as tf\nopt = tf.keras.optimizers.Adam(1e-3)\n", id="keras Adam is never made legacy"),
        pytest.param("import tensorflow as tf\ny = tf.nn.relu(x)\n", id="a name that is the same in TF2"),
        pytest.param("import numpy as np\nx = np.placeholder(3)\n", id="not tensorflow"),
        pytest.param("import tensorflow as tf\ndef f(tf):\n    tf = 3\n", id="assignments and parameters"),
        pytest.param("import tensorflow.compat.v2 as tf\nx = tf.random.normal([3])\n", id="compat.v2 is TF2"),
    ],
)
def test_unchanged(source):
    result = upgrade(source)
    assert result.text == dedent(source)
    assert not {"TF410", "TF411", "TF412"} & {d.code for d in result.diagnostics}


def test_rename_is_an_exact_info_finding():
    (diagnostic,) = upgrade("import tensorflow as tf\nx = tf.random_normal([3])\n").diagnostics
    assert (diagnostic.code, diagnostic.severity.value, diagnostic.fixed) == ("TF410", "info", True)
    assert (diagnostic.line, diagnostic.col) == (2, 4)


def test_tf_keras_only_target_is_a_warning():
    (diagnostic,) = upgrade("import tensorflow as tf\nc = tf.nn.rnn_cell.GRUCell(8)\n").diagnostics
    assert (diagnostic.code, diagnostic.severity.value) == ("TF411", "warning")
    assert "TF_USE_LEGACY_KERAS=1" in diagnostic.message


def test_unavailable_target_is_reported_not_applied():
    source = "import tensorflow as tf\nagg = tf.contrib.data.StatsAggregator()\n"
    result = upgrade(source)
    assert result.text == source
    assert [(d.code, d.severity.value, d.fixed) for d in result.diagnostics] == [("TF412", "error", False)]


def test_tf_upgrade_v2_remark_rides_on_the_rename():
    (message,) = messages("import tensorflow as tf\nv = tf.get_variable('v', [3])\n", "TF410")
    assert "ResourceVariables" in message


def test_every_use_is_renamed_once():
    source = "import tensorflow as tf\na = tf.placeholder(tf.float32)\nb = tf.placeholder(tf.int32)\n"
    assert codes(source) == ["TF410", "TF410"]


def test_the_listed_severity_of_each_code_is_the_one_it_reports():
    from tf1to2.rules import api_symbol_renames
    from tf1to2.rules.base import rules_of

    listed = {rule.code: rule.severity.value for rule in rules_of(api_symbol_renames)}
    assert listed == {"TF410": "info", "TF411": "warning", "TF412": "error"}


def test_no_rename_in_the_tables_renames_a_name_to_itself():
    from tf1to2.rules import api_tables

    assert [s for s, t in api_tables.applied_renames().items() if s == t] == []
    assert "tf.keras.optimizers.Adam" not in api_tables.applied_renames()
