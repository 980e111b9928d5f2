"""The sessions pass alone on the rest of a TF1 program: eval/run, interactive sessions, seeds, flags,
app.run, savers, summaries and UPDATE_OPS."""
from __future__ import annotations

import textwrap
from unittest import mock

import pytest

from tf1to2 import ConvertResult, Status, convert_source
from tf1to2 import rules as registry

HEADER = "import numpy as np\nimport tensorflow as tf\n"
MODEL = """\
x = tf.placeholder(tf.float32, [None, 4])
y = tf.placeholder(tf.float32, [None, 1])
W = tf.Variable(np.zeros((4, 1), np.float32))
loss = tf.reduce_mean(tf.square(tf.matmul(x, W) - y))
"""


def sessions(source: str) -> ConvertResult:
    passes = [registry.Pass("sessions", tuple(registry.SESSIONS_PASS))]
    with mock.patch.object(registry, "passes", lambda: passes):
        result = convert_source(source, "script.py")
    assert result.status is not Status.FAILED, result.reason
    return result


def script(text: str, model: str = MODEL) -> str:
    return HEADER + model + textwrap.dedent(text)


def tail(result: ConvertResult, marker: str) -> str:
    return result.text[result.text.index(marker):]


def codes(result: ConvertResult) -> set[str]:
    return {d.code for d in result.diagnostics}


def test_interactive_session_with_eval_and_run():
    result = sessions(script("""\
        train_op = tf.train.GradientDescentOptimizer(0.1).minimize(loss)
        sess = tf.InteractiveSession()
        tf.global_variables_initializer().run()
        for i in range(3):
            train_op.run(feed_dict={x: bx, y: by})
        print(loss.eval(feed_dict={x: bx, y: by}), W.eval())
        sess.close()
        """))
    assert tail(result, "for i in range(3):") == textwrap.dedent("""\
        for i in range(3):
            train_step(x=bx, y=by)
        print(compute_loss(x=bx, y=by), compute_W())
        """)
    assert '"""Runs what train_op.run() ran."""' in result.text
    assert '"""Computes what loss.eval() returned."""' in result.text


def test_set_random_seed():
    result = sessions(HEADER + "tf.set_random_seed(42)\n")
    assert result.text == HEADER + "tf.random.set_seed(42)\n"
    (finding,) = result.diagnostics
    assert (finding.code, finding.severity.value) == ("TF463", "warning")
    assert "draws other numbers" in finding.message


def test_set_random_seed_of_another_alias():
    source = "import tensorflow.compat.v1 as tf1\ntf1.random.set_random_seed(1)\n"
    assert sessions(source).text == "import tensorflow.compat.v1 as tf1\ntf1.random.set_seed(1)\n"


FLAGS_PROGRAM = HEADER + textwrap.dedent("""\

    flags = tf.app.flags
    flags.DEFINE_integer("steps", 10, "Steps.")
    FLAGS = flags.FLAGS


    def main(_):
        print(FLAGS.steps)


    if __name__ == "__main__":
        tf.app.run()
    """)


def test_flags_and_app_run_become_absl():
    result = sessions(FLAGS_PROGRAM)
    assert result.text == HEADER + textwrap.dedent("""\
        from absl import flags
        from absl import app

        flags.DEFINE_integer("steps", 10, "Steps.")
        FLAGS = flags.FLAGS


        def main(_):
            print(FLAGS.steps)


        if __name__ == "__main__":
            app.run(main)
        """)
    assert {"TF464", "TF465"} <= codes(result)


def test_tf_flags_used_directly_get_an_import():
    source = FLAGS_PROGRAM.replace('flags = tf.app.flags\nflags.DEFINE', 'tf.flags.DEFINE').replace(
        "FLAGS = flags.FLAGS", "FLAGS = tf.flags.FLAGS")
    result = sessions(source)
    assert 'from absl import flags\n' in result.text
    assert 'flags.DEFINE_integer("steps", 10, "Steps.")\nFLAGS = flags.FLAGS\n' in result.text


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        pytest.param(("tf.app.run()", "main(None)"), "not started by tf.app.run", id="no app.run"),
        pytest.param(('FLAGS = flags.FLAGS\n', 'FLAGS = flags.FLAGS\nSTEPS = FLAGS.steps\n'),
                     "reads a flag at module level", id="a flag read at import time"),
    ],
)
def test_flags_stay_tf1_where_absl_would_not_have_parsed_them(change, reason):
    result = sessions(FLAGS_PROGRAM.replace(*change))
    assert "tf.app.flags" in result.text
    (warning,) = [d for d in result.diagnostics if d.code == "TF464"]
    assert reason in warning.message


def test_app_run_with_explicit_main_and_argv():
    source = HEADER + "def start(argv):\n    pass\n\n\ntf.app.run(main=start, argv=['x'])\n"
    assert "app.run(start, argv=['x'])" in sessions(source).text


def test_app_run_without_a_main_is_reported():
    result = sessions(HEADER + "tf.app.run()\n")
    assert result.text == HEADER + "tf.app.run()\n"
    assert [d.severity.value for d in result.diagnostics if d.code == "TF465"] == ["warning"]


SAVER = """\
train_op = tf.train.GradientDescentOptimizer(0.1).minimize(loss)
saver = tf.train.Saver(max_to_keep=3)
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    for step in range(10):
        sess.run(train_op, {x: bx, y: by})
        saver.save(sess, "ckpt/model", global_step=step)
    saver.restore(sess, "ckpt/model-9")
"""


def test_saver_becomes_a_checkpoint_of_the_variables_and_optimizers():
    result = sessions(script(SAVER))
    assert "\nsaver = tf.train.Checkpoint(W=W, optimizer=optimizer)\n" in result.text
    expected = '    save_checkpoint(saver, "ckpt/model", step, max_to_keep=3)\nsaver.restore("ckpt/model-9")\n'
    assert expected in result.text
    assert "\nimport os\n" in result.text  # save_checkpoint splits the path
    assert "manager = tf.train.CheckpointManager(" in result.text
    restore = [d for d in result.diagnostics if d.code == "TF466" and "restore" in d.message]
    assert restore and "tf1to2 convert-checkpoint" in restore[0].message


SUMMARIES = """\
tf.summary.scalar("loss", loss)
tf.summary.histogram("weights", W)
merged = tf.summary.merge_all()
train_op = tf.train.GradientDescentOptimizer(0.1).minimize(loss)
with tf.Session() as sess:
    writer = tf.summary.FileWriter("logs", sess.graph)
    for step in range(10):
        summary, _ = sess.run([merged, train_op], {x: bx, y: by})
        writer.add_summary(summary, step)
    writer.add_graph(sess.graph)
    writer.close()
"""


def test_summaries_are_returned_and_written_with_the_tf2_api():
    result = sessions(script(SUMMARIES))
    # computed before the update, as TF1's summary ops ran in the same run as the train op
    assert '    results = [{("scalar", "loss"): loss, ("histogram", "weights"): W}, None]\n' in result.text
    assert tail(result, 'writer = ') == textwrap.dedent("""\
        writer = tf.summary.create_file_writer("logs")
        for step in range(10):
            summary, _ = train_step(x=bx, y=by)
            write_summaries(writer, summary, step)
        writer.close()
        """)
    assert "getattr(tf.summary, kind)(tag, value, step=int(step))" in result.text


def test_update_ops_control_dependencies_disappear():
    result = sessions(script("""\
        update_ops = tf.get_collection(tf.GraphKeys.UPDATE_OPS)
        with tf.control_dependencies(update_ops):
            train_op = tf.train.GradientDescentOptimizer(0.1).minimize(loss)
        with tf.Session() as sess:
            sess.run(train_op, {x: bx, y: by})
        """))
    assert "update_ops" not in result.text and "control_dependencies" not in result.text
    assert "\noptimizer = tf.keras.optimizers.SGD(learning_rate=0.1)\n" in result.text


def test_other_control_dependencies_stay_in_the_graph_code():
    result = sessions(script("""\
        bump = tf.assign_add(W, tf.ones_like(W))
        with tf.control_dependencies([bump]):
            bumped = tf.identity(loss)
        with tf.Session() as sess:
            sess.run(bumped, {x: bx, y: by})
        """))
    assert "    with tf.control_dependencies([bump]):\n        bumped = tf.identity(loss)\n" in result.text


@pytest.mark.parametrize(
    ("program", "reason"),
    [
        pytest.param("""\
            with tf.Session() as sess:
                print(sess.run(loss, {x: bx, y: by}))
                tf.train.write_graph(sess.graph, "logs", "graph.pbtxt")
            """, "the session sess is used for more than running the graph", id="the session's graph"),
        pytest.param("""\
            merged = tf.summary.merge_all(key="extra")
            with tf.Session() as sess:
                print(sess.run(merged, {x: bx, y: by}))
            """, "merge_all(key or scope) is not converted", id="merge_all of another collection"),
        pytest.param("""\
            tf.summary.scalar("loss", loss)
            merged = tf.summary.merge_all()
            with tf.Session() as sess:
                writer = tf.summary.FileWriter("logs")
                writer.add_summary(sess.run(merged, {x: bx, y: by}))
            """, "add_summary without a step", id="a summary written without a step"),
    ],
)
def test_programs_that_stay_graph_code(program, reason):
    result = sessions(script(program))
    reasons = [d.message for d in result.diagnostics if d.code == "TF452"]
    assert reasons and all(reason in r for r in reasons), reasons
