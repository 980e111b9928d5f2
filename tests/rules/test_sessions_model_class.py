"""The sessions pass alone on model classes: a graph built in ``__init__``, run by methods through
``self.sess``."""
from __future__ import annotations

import textwrap
from unittest import mock

import numpy as np
import pytest

from tf1to2 import ConvertResult, Status, convert_source
from tf1to2 import rules as registry

HEADER = "import numpy as np\nimport tensorflow as tf\n\n\n"
MODEL = """\
class Model:
    def __init__(self, lr):
        self.x = tf.placeholder(tf.float32, [None, 4])
        self.y = tf.placeholder(tf.float32, [None, 1])
        w = tf.Variable(np.full((4, 1), 0.5, np.float32))
        self.pred = tf.matmul(self.x, w)
        self.loss = tf.reduce_mean(tf.square(self.pred - self.y))
        self.train_op = tf.train.GradientDescentOptimizer(lr).minimize(self.loss)
        self.sess = tf.Session()
        self.sess.run(tf.global_variables_initializer())
"""
TRAIN = """\

    def train(self, bx, by):
        _, l = self.sess.run([self.train_op, self.loss], feed_dict={self.x: bx, self.y: by})
        return l
"""
PREDICT = """\

    def predict(self, bx):
        return self.sess.run(self.pred, feed_dict={self.x: bx})
"""


def sessions(source: str) -> ConvertResult:
    passes = [registry.Pass("sessions", tuple(registry.SESSIONS_PASS))]
    with mock.patch.object(registry, "passes", lambda: passes):
        result = convert_source(source, "model.py")
    assert result.status is not Status.FAILED, result.reason
    return result


def kept_reasons(result: ConvertResult) -> list[str]:
    return [d.message for d in result.diagnostics if d.code == "TF452"]


def class_text(result: ConvertResult) -> str:
    return result.text[result.text.index("class Model"):]


def test_model_class_becomes_a_module_with_eager_methods():
    result = sessions(HEADER + MODEL + TRAIN + PREDICT)
    assert kept_reasons(result) == []
    assert class_text(result) == textwrap.dedent('''\
        class Model(tf.Module):
            def __init__(self, lr):
                super().__init__()
                self.w = tf.Variable(np.full((4, 1), 0.5, np.float32))
                self.optimizer = tf.keras.optimizers.SGD(learning_rate=lr)

            @numpy_method_results
            @tf.function(input_signature=[
                tf.TensorSpec([None, 4], tf.float32),
                tf.TensorSpec([None, 1], tf.float32),
            ])
            def train_step(self, x, y):
                """Computes what self.sess.run([self.train_op, self.loss]) fetched."""
                with tf.GradientTape() as tape:
                    pred = tf.matmul(x, self.w)
                    loss = tf.reduce_mean(tf.square(pred - y))
                variables = tape.watched_variables()
                gradients = tape.gradient(loss, variables)
                self.optimizer.apply_gradients(zip(gradients, variables))
                return [None, loss]

            @numpy_method_results
            @tf.function(input_signature=[tf.TensorSpec([None, 4], tf.float32)])
            def compute_pred(self, x):
                """Computes what self.sess.run(self.pred) fetched."""
                pred = tf.matmul(x, self.w)
                return pred

            def train(self, bx, by):
                _, l = self.train_step(x=bx, y=by)
                return l

            def predict(self, bx):
                return self.compute_pred(x=bx)
        ''')
    assert "def numpy_method_results(method):" in result.text
    assert [d.code for d in result.diagnostics].count("TF451") == 2


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        pytest.param(MODEL.replace("        self.sess = tf.Session()\n", "        self.sess = tf.Session()\n"
                                   "        self.debug = True\n") + TRAIN,
                     "        self.debug = True\n", id="other statements of __init__ stay"),
        pytest.param(MODEL.replace("class Model:", "class Model(object):") + TRAIN,
                     "class Model(tf.Module):", id="object base becomes tf.Module"),
        pytest.param(MODEL.replace(
            "        self.train_op = tf.train.GradientDescentOptimizer(lr).minimize(self.loss)\n",
            "        opt = tf.train.GradientDescentOptimizer(lr)\n        self.train_op = opt.minimize(self.loss)\n")
            + TRAIN, "        self.optimizer = tf.keras.optimizers.SGD(learning_rate=lr)\n",
            id="optimizer built on its own line"),
        pytest.param(MODEL + TRAIN + "\n    def close(self):\n        self.sess.close()\n",
                     "    def close(self):\n        pass\n", id="close alone in its method becomes pass"),
        pytest.param(MODEL + TRAIN.replace("feed_dict={self.x: bx, self.y: by}", "{self.x: bx, self.y: by}"),
                     "self.train_step(x=bx, y=by)", id="positional feed_dict"),
        pytest.param(MODEL.replace("[None, 4]", "[None, n_in]").replace("(self, lr)", "(self, lr, n_in=4)") + PREDICT,
                     "x = tf.cast(x, tf.float32)", id="shape from a parameter: no signature, a cast"),
        pytest.param(MODEL + "\n    def scores(self, bx, by):\n        return self.sess.run({'p': self.pred, "
                     "'l': self.loss}, {self.x: bx, self.y: by})\n", "return {'p': pred, 'l': loss}",
                     id="dict fetches keep their structure"),
        pytest.param(MODEL + "\n    def probabilities(self, bx):\n"
                     "        return self.sess.run(tf.nn.softmax(self.pred), {self.x: bx})\n",
                     "return tf.nn.softmax(pred)", id="a fetch computed at the site"),
    ],
)
def test_model_class_forms(source, expected):
    result = sessions(HEADER + source)
    assert kept_reasons(result) == []
    assert expected in result.text


BUILD = """\
class Model(object):
    def __init__(self, lr):
        self.lr = lr
        self.build_model()
        self.sess = tf.Session()
        self.sess.run(tf.global_variables_initializer())

    def build_model(self):
        \"\"\"Placeholders, weights, loss and train op.\"\"\"
        self.x = tf.placeholder(tf.float32, [None, 4])
        w = tf.Variable(np.full((4, 1), 0.5, np.float32))
        self.loss = tf.reduce_mean(tf.square(tf.matmul(self.x, w)))
        self.train_op = tf.train.GradientDescentOptimizer(self.lr).minimize(self.loss)

    def train(self, bx):
        return self.sess.run([self.train_op, self.loss], feed_dict={self.x: bx})[1]
"""


def test_graph_built_in_a_method_that_init_calls():
    result = sessions(HEADER + BUILD)
    assert kept_reasons(result) == []
    text = class_text(result)
    assert text.startswith(textwrap.dedent('''\
        class Model(tf.Module):
            def __init__(self, lr):
                super().__init__()
                self.lr = lr
                self.build_model()

            @numpy_method_results
            @tf.function(input_signature=[tf.TensorSpec([None, 4], tf.float32)])
            def train_step(self, x):
        '''))
    assert textwrap.dedent('''\
            def build_model(self):
                """Placeholders, weights, loss and train op."""
                self.w = tf.Variable(np.full((4, 1), 0.5, np.float32))
                self.optimizer = tf.keras.optimizers.SGD(learning_rate=self.lr)

            def train(self, bx):
                return self.train_step(x=bx)[1]
        ''') in textwrap.dedent(text.replace("class Model(tf.Module):\n", ""))


@pytest.mark.parametrize(
    ("source", "reason"),
    [
        pytest.param(BUILD.replace("        self.build_model()\n", "        self.build_model()\n" * 2),
                     "method build_model, which builds the graph, is called more than once",
                     id="graph built twice"),
        pytest.param(MODEL + TRAIN + "\n    def loss_tensor(self):\n        return self.loss\n",
                     "graph tensor self.loss is used in method loss_tensor outside sess.run",
                     id="tensor attribute used outside sess.run"),
        pytest.param(MODEL.replace("minimize(self.loss)", "minimize(self.loss, var_list=[w])") + TRAIN,
                     "minimize with arguments other than the loss", id="minimize with var_list"),
        pytest.param(MODEL + TRAIN + "\n    def save(self, saver):\n        saver.save(self.sess, 'ckpt')\n",
                     "self.sess is used in method save for more than sess.run and close()",
                     id="session passed on"),
        pytest.param(MODEL + PREDICT.replace("feed_dict={self.x: bx}", "feed_dict=feed"),
                     "a feed_dict that is not a dict display of placeholders", id="feed_dict built elsewhere"),
        pytest.param(MODEL + TRAIN.replace(", self.y: by", ""),
                     "sess.run does not feed self.y, which its fetches need", id="placeholder not fed"),
        pytest.param(MODEL.replace("        self.pred = tf.matmul(self.x, w)\n",
                                   "        with tf.variable_scope('model'):\n"
                                   "            self.pred = tf.matmul(self.x, w)\n") + TRAIN,
                     "a block statement (with, if, for...) in __init__ that builds graph code",
                     id="graph built under a with block"),
    ],
)
def test_model_class_kept_with_its_reason(source, reason):
    result = sessions(HEADER + source)
    reasons = kept_reasons(result)
    assert reasons and all("class Model is not converted" in r for r in reasons)
    assert reason in reasons[0]
    assert "self.sess.run" in result.text


def test_converted_class_computes_the_numbers_of_its_original():
    """The converted class trains like TF1's (plain SGD: exact); both start from the same weights."""
    tf = pytest.importorskip("tensorflow")
    source = HEADER + MODEL + TRAIN + PREDICT
    converted = sessions(source).text
    namespace = {"__name__": "converted"}
    exec(compile(converted, "converted.py", "exec"), namespace)
    rng = np.random.RandomState(0)
    bx, by = rng.randn(8, 4).astype(np.float32), rng.randn(8, 1).astype(np.float32)
    model = namespace["Model"](0.1)
    losses = [model.train(bx, by) for _ in range(3)]
    # TF1 by hand: w ← w − lr · ∂loss/∂w with loss = mean((x w − y)²)
    w = np.full((4, 1), 0.5, np.float32)
    expected = []
    for _ in range(3):
        error = bx @ w - by
        expected.append(np.mean(error ** 2))
        w = w - 0.1 * (2 / len(bx)) * bx.T @ error
    np.testing.assert_allclose(losses, expected, rtol=1e-5)
    np.testing.assert_allclose(model.predict(bx[:2]), bx[:2] @ w, rtol=1e-5)
    assert len(model.trainable_variables) == 1
    assert isinstance(model, tf.Module)


SPLIT = """\
def build(lr):
    x = tf.placeholder(tf.float32, [None, 4])
    w = tf.Variable(np.zeros((4, 1), np.float32))
    loss = tf.reduce_mean(tf.square(tf.matmul(x, w)))
    train_op = tf.train.AdamOptimizer(lr).minimize(loss)
    return x, loss, train_op


def main():
    x, loss, train_op = build(0.1)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        print(sess.run([train_op, loss], feed_dict={x: np.ones([2, 4])}))
"""


def test_graph_built_in_one_function_and_run_in_another_says_where():
    result = sessions(HEADER + SPLIT)
    reasons = kept_reasons(result)
    assert any("build() returns its tensors to function main (line 14), which runs them" in r for r in reasons)
    assert any("fetches train_op, which build() returns: the graph is built in function build (line 5)" in r
               for r in reasons)
    assert "with tf.compat.v1.Session() as sess:" in result.text or "with tf.Session() as sess:" in result.text


def test_initializer_held_in_a_local_and_unused_tensors_are_reported():
    source = MODEL.replace("        self.sess.run(tf.global_variables_initializer())\n",
                           "        self.norm = tf.reduce_sum(self.pred)\n"
                           "        init = tf.global_variables_initializer()\n"
                           "        self.sess.run(init)\n") + PREDICT
    result = sessions(HEADER + source)
    assert kept_reasons(result) == []
    codes = [d.code for d in result.diagnostics]
    assert codes.count("TF455") == 2 and "TF456" in codes and "TF459" in codes
    assert "init =" not in class_text(result) and "norm" not in class_text(result)


def test_session_on_another_graph_keeps_the_class():
    source = MODEL.replace("tf.Session()", "tf.Session(graph=self.graph)") + TRAIN
    reasons = kept_reasons(sessions(HEADER + source))
    assert reasons and "names a target or a graph" in reasons[0]


GRAPH = """\
class Model:
    def __init__(self, lr):
        self.graph = tf.Graph()
        with self.graph.as_default():
            self.x = tf.placeholder(tf.float32, [None, 4])
            # weights
            w = tf.Variable(np.full((4, 1), 0.5, np.float32))
            self.loss = tf.reduce_sum(tf.matmul(self.x, w))
            self.train_op = tf.train.GradientDescentOptimizer(lr).minimize(self.loss)
            self.sess = tf.Session(graph=self.graph)
            self.sess.run(tf.global_variables_initializer())

    def train(self, bx):
        return self.sess.run([self.train_op, self.loss], {self.x: bx})[1]
"""


def test_graph_of_its_own_built_under_as_default():
    result = sessions(HEADER + GRAPH)
    assert kept_reasons(result) == []
    assert class_text(result).startswith(textwrap.dedent('''\
        class Model(tf.Module):
            def __init__(self, lr):
                super().__init__()
                # weights
                self.w = tf.Variable(np.full((4, 1), 0.5, np.float32))
                self.optimizer = tf.keras.optimizers.SGD(learning_rate=lr)

            @numpy_method_results
        '''))


def test_graph_of_its_own_used_elsewhere_keeps_the_class():
    source = GRAPH + "\n    def freeze(self):\n        self.graph.finalize()\n"
    reasons = kept_reasons(sessions(HEADER + source))
    assert reasons and "self.graph (the tf.Graph of __init__) is used for more than building" in reasons[0]


def test_continuation_lines_follow_their_bracket():
    source = MODEL.replace("        self.pred = tf.matmul(self.x, w)\n",
                           "        self.pred = tf.matmul(self.x,\n                              w)\n") + PREDICT
    result = sessions(HEADER + source)
    assert "        pred = tf.matmul(x,\n                         self.w)\n" in result.text


def test_file_writer_in_init_keeps_the_class():
    source = MODEL.replace("        self.sess = tf.Session()\n",
                           "        self.writer = tf.summary.FileWriter('logs')\n"
                           "        self.sess = tf.Session()\n") + TRAIN
    reasons = kept_reasons(sessions(HEADER + source))
    assert reasons and "tf.summary.FileWriter in __init__ has no eager counterpart" in reasons[0]


SAVING = """\

    def save(self, path, step):
        return self.saver.save(self.sess, path, global_step=step)

    def export(self, path):
        self.saver.save(self.sess, path)

    def load(self, path):
        self.saver.restore(self.sess, path)
"""


def test_saver_of_the_class_becomes_a_checkpoint_of_the_object():
    source = MODEL.replace("        self.sess = tf.Session()\n",
                           "        self.saver = tf.train.Saver(max_to_keep=2)\n"
                           "        self.sess = tf.Session()\n") + TRAIN + SAVING
    result = sessions(HEADER + source)
    assert kept_reasons(result) == []
    text = class_text(result)
    assert "saver" not in text.split("def train_step")[0]
    assert "return save_checkpoint(tf.train.Checkpoint(model=self), path, step, max_to_keep=2)" in text
    assert "        tf.train.Checkpoint(model=self).write(path)\n" in text
    assert "        tf.train.Checkpoint(model=self).restore(path)\n" in text
    assert "def save_checkpoint(" in result.text
    assert [d.code for d in result.diagnostics].count("TF466") == 3


def test_saver_used_otherwise_keeps_the_class():
    source = MODEL.replace("        self.sess = tf.Session()\n",
                           "        self.saver = tf.train.Saver()\n"
                           "        self.sess = tf.Session()\n") + TRAIN
    source += "\n    def keep(self):\n        return self.saver\n"
    reasons = kept_reasons(sessions(HEADER + source))
    assert reasons and "self.saver (a tf.train.Saver) is used in method keep" in reasons[0]


def test_session_of_a_model_run_outside_the_class_says_so():
    source = MODEL + TRAIN + "\n\nmodel = Model(0.1)\nprint(model.sess.run(model.loss, {model.x: np.ones([1, 4])}))\n"
    reasons = kept_reasons(sessions(HEADER + source))
    assert any("model.sess is probably the session of class Model (line 5), run outside its methods" in r
               for r in reasons)


def test_placeholder_named_like_a_module_keeps_the_class():
    source = MODEL.replace("self.x", "self.np").replace(
        "        self.pred = tf.matmul(self.np, w)\n",
        "        self.pred = tf.matmul(self.np, w) + np.float32(1)\n") + PREDICT.replace("self.x", "self.np")
    reasons = kept_reasons(sessions(HEADER + source))
    assert reasons and "np is read by a statement of __init__ and would be shadowed" in reasons[0]


def test_decayed_learning_rate_keeps_the_class():
    decay = "        lr = tf.train.exponential_decay(lr, 0, 10, 0.9)\n"
    source = MODEL.replace("        self.x = tf.placeholder", decay + "        self.x = tf.placeholder") + TRAIN
    reasons = kept_reasons(sessions(HEADER + source))
    assert reasons and "tf.train.exponential_decay in __init__ has no eager counterpart" in reasons[0]
