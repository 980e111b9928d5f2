"""The sessions pass alone: session scripts in, eager functions out (TF450–TF459).

These tests switch the other passes off, so they show exactly what the sessions pass does; the engine's
gates (the output parses, converting it again changes nothing) stay on.
"""
from __future__ import annotations

import textwrap
from unittest import mock

import pytest

from tf1to2 import ConvertResult, Status, convert_source
from tf1to2 import rules as registry

HEADER = "import numpy as np\nimport tensorflow as tf\n"


def sessions(source: str) -> ConvertResult:
    passes = [registry.Pass("sessions", tuple(registry.SESSIONS_PASS))]
    with mock.patch.object(registry, "passes", lambda: passes):
        result = convert_source(textwrap.dedent(source), "script.py")
    assert result.status is not Status.FAILED, result.reason
    return result


def script(text: str) -> str:
    return HEADER + textwrap.dedent(text)


def body(result: ConvertResult) -> str:
    """The converted text after the generated helper (``numpy_results``) that every conversion adds."""
    text = result.text
    marker = "    return call\n"
    return text[text.index(marker) + len(marker):].lstrip("\n") if marker in text else text


def codes(result: ConvertResult) -> list[str]:
    return [d.code for d in result.diagnostics]


REGRESSION = HEADER + """\
x = tf.placeholder(tf.float32, [None, 4])
y = tf.placeholder(tf.float32, [None, 1])
W = tf.Variable(np.zeros((4, 1), np.float32))
prediction = tf.matmul(x, W)
loss = tf.reduce_mean(tf.square(prediction - y))
train_op = tf.train.AdamOptimizer(0.01).minimize(loss)
init = tf.global_variables_initializer()
with tf.Session() as sess:
    sess.run(init)
    for step in range(10):
        _, loss_value = sess.run([train_op, loss], feed_dict={x: bx, y: by})
    print(sess.run(prediction, feed_dict={x: bx}))
"""


def test_training_script_becomes_functions():
    assert body(sessions(REGRESSION)) == textwrap.dedent('''\
        W = tf.Variable(np.zeros((4, 1), np.float32))
        optimizer = tf.keras.optimizers.Adam(
            learning_rate=0.01, beta_1=0.8999999761581421, beta_2=0.9990000128746033, epsilon=1e-08
        )


        @numpy_results
        @tf.function(input_signature=[
            tf.TensorSpec([None, 4], tf.float32),
            tf.TensorSpec([None, 1], tf.float32),
        ])
        def train_step(x, y):
            """Computes what sess.run([train_op, loss]) fetched."""
            with tf.GradientTape() as tape:
                prediction = tf.matmul(x, W)
                loss = tf.reduce_mean(tf.square(prediction - y))
            variables = tape.watched_variables()
            gradients = tape.gradient(loss, variables)
            optimizer.apply_gradients(zip(gradients, variables))
            return [None, loss]


        @numpy_results
        @tf.function(input_signature=[tf.TensorSpec([None, 4], tf.float32)])
        def compute_prediction(x):
            """Computes what sess.run(prediction) fetched."""
            prediction = tf.matmul(x, W)
            return prediction


        for step in range(10):
            _, loss_value = train_step(x=bx, y=by)
        print(compute_prediction(x=bx))
    ''')


def test_numpy_results_helper_follows_the_imports():
    text = sessions(REGRESSION).text
    assert text.startswith(HEADER + "\n\ndef numpy_results(function):\n")
    assert "tf.nest.map_structure" in text


def test_every_site_and_statement_is_reported():
    result = sessions(REGRESSION)
    found = {(d.line, d.code) for d in result.diagnostics}
    assert {(3, "TF458"), (4, "TF458"), (8, "TF453"), (9, "TF455"), (10, "TF456"), (11, "TF455"), (13, "TF451"),
            (14, "TF451")} <= found
    assert all(d.fixed for d in result.diagnostics)


def test_manifest_records_each_site():
    sites = [u for u in sessions(REGRESSION).units]
    assert [(s.line, s.function, s.structure, s.arguments, s.train_ops) for s in sites] == [
        (13, "train_step", "list[2]", ("x", "y"), ("train_op",)),
        (14, "compute_prediction", "single", ("x",), ()),
    ]


@pytest.mark.parametrize(
    ("fetches", "returned"),
    [
        pytest.param("loss", "return loss", id="a single tensor"),
        pytest.param("[loss, prediction]", "return [loss, prediction]", id="a list"),
        pytest.param("(loss, prediction)", "return (loss, prediction)", id="a tuple"),
        pytest.param("(loss,)", "return (loss,)", id="a one-element tuple"),
        pytest.param("{'l': loss, 'p': prediction}", "return {'l': loss, 'p': prediction}", id="a dict"),
        pytest.param("[train_op, [loss]]", "return [None, [loss]]", id="nested, with a train op"),
        pytest.param("train_op", "return None", id="only the train op"),
        pytest.param("tf.argmax(prediction, 1)", "return tf.argmax(prediction, 1)", id="an expression"),
    ],
)
def test_fetch_structure_is_returned_as_written(fetches, returned):
    source = REGRESSION.replace("sess.run([train_op, loss], feed_dict={x: bx, y: by})",
                                f"sess.run({fetches}, feed_dict={{x: bx, y: by}})")
    assert f"    {returned}\n" in sessions(source).text


def test_same_fetches_and_feeds_share_one_function():
    source = script("""\
    x = tf.placeholder(tf.float32, [None, 2])
    total = tf.reduce_sum(x)
    sess = tf.Session()
    a = sess.run(total, feed_dict={x: first})
    b = sess.run(total, {x: second})
    sess.close()
    """)
    converted = body(sessions(source))
    assert converted.count("def compute_total(x):") == 1
    assert converted.endswith("a = compute_total(x=first)\nb = compute_total(x=second)\n")


def test_placeholder_with_default_becomes_a_default_argument():
    source = script("""\
    x = tf.placeholder(tf.float32, [None, 2])
    scale = tf.placeholder_with_default(2.0, [])
    scaled = x * scale
    with tf.Session() as sess:
        print(sess.run(scaled, feed_dict={x: data}))
        print(sess.run(scaled, feed_dict={x: data, scale: 3.0}))
    """)
    converted = body(sessions(source))
    # the default's dtype is TF1's for a float literal: float32, a tensor like the other arguments
    assert "tf.TensorSpec([], tf.float32)" in converted
    assert "def compute_scaled(x, scale=2.0):" in converted
    assert "print(compute_scaled(x=data))\nprint(compute_scaled(x=data, scale=3.0))\n" in converted


def test_default_without_a_dtype_to_write_casts_the_other_arguments():
    source = script("""\
    x = tf.placeholder(tf.float32, [None, 2])
    offset = tf.placeholder_with_default(tf.zeros([2]), [2])
    shifted = x + offset
    with tf.Session() as sess:
        print(sess.run(shifted, feed_dict={x: data}))
    """)
    converted = body(sessions(source))
    assert "input_signature" not in converted
    assert "    x = tf.cast(x, tf.float32)\n    shifted = x + offset\n" in converted  # as feed_dict converted it


def test_graph_inside_a_function_becomes_nested_functions():
    source = script("""\
    def main():
        x = tf.placeholder(tf.float32, [None, 2])
        doubled = 2.0 * x
        with tf.Session() as sess:
            print(sess.run(doubled, feed_dict={x: np.ones((1, 2))}))
    """)
    assert body(sessions(source)) == textwrap.dedent('''\
        def main():
            @numpy_results
            @tf.function(input_signature=[tf.TensorSpec([None, 2], tf.float32)])
            def compute_doubled(x):
                """Computes what sess.run(doubled) fetched."""
                doubled = 2.0 * x
                return doubled

            print(compute_doubled(x=np.ones((1, 2))))
    ''')


def test_session_in_a_function_runs_module_graph():
    source = script("""\
    x = tf.placeholder(tf.float32, [None, 2])
    doubled = 2.0 * x


    def main():
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            print(sess.run(doubled, feed_dict={x: np.ones((1, 2))}))
    """)
    converted = body(sessions(source))
    assert "def compute_doubled(x):" in converted
    assert converted.endswith("def main():\n    print(compute_doubled(x=np.ones((1, 2))))\n")


def test_initializer_alone_in_a_block_leaves_pass():
    source = script("""\
    x = tf.placeholder(tf.float32, [None])
    y = x + 1.0
    with tf.Session() as sess:
        if fresh:
            sess.run(tf.global_variables_initializer())
        print(sess.run(y, {x: [1.0]}))
    """)
    assert "if fresh:\n    pass\nprint(compute_y(x=[1.0]))\n" in body(sessions(source))


def test_multiline_strings_in_a_session_block_keep_their_text():
    source = script('''\
    x = tf.placeholder(tf.float32, [None])
    y = x + 1.0
    with tf.Session() as sess:
        note = """first
    second"""
        print(sess.run(y, {x: [1.0]}), note)
    ''')
    assert 'note = """first\nsecond"""\nprint(compute_y(x=[1.0]), note)\n' in body(sessions(source))


def test_graph_and_session_contexts_are_flattened():
    source = script("""\
    graph = tf.Graph()
    with graph.as_default():
        x = tf.placeholder(tf.float32, [None])
        y = x * 3.0
    with tf.Session(graph=graph) as sess:
        print(sess.run(y, {x: [1.0]}))
    """)
    converted = body(sessions(source))
    assert "graph" not in converted.replace("tf.function", "")
    assert converted.endswith("print(compute_y(x=[1.0]))\n")


def test_unfetched_graph_code_is_removed_and_reported():
    source = script("""\
    x = tf.placeholder(tf.float32, [None])
    y = x + 1.0
    unused = tf.reduce_max(x)
    with tf.Session() as sess:
        print(sess.run(y, {x: [1.0]}))
    """)
    result = sessions(source)
    assert "unused" not in result.text
    assert "TF459" in codes(result)


@pytest.mark.parametrize(
    "source",
    [
        pytest.param(HEADER + "x = tf.constant(1.0)\nprint(x)\n", id="no graph code"),
        pytest.param(HEADER + "@tf.function\ndef f(x):\n    return x + 1\n", id="already TF2"),
        pytest.param("sess.run(loss)\n", id="no TensorFlow import"),
    ],
)
def test_unchanged(source):
    result = sessions(source)
    assert result.text == source
    assert not result.diagnostics


# Fallbacks: the file stays graph code, every site says why.


@pytest.mark.parametrize(
    ("source", "reason"),
    [
        pytest.param(script("""\
            x = tf.placeholder(tf.float32, [None])
            y = x + 1.0
            print(y.shape)
            with tf.Session() as sess:
                print(sess.run(y, {x: [1.0]}))
            """), "y (a graph tensor) is used outside sess.run", id="a tensor used outside sess.run"),
        pytest.param(script("""\
            x = tf.placeholder(tf.float32, [None])
            y = tf.layers.dense(x[:, None], 3)
            with tf.Session() as sess:
                print(sess.run(y, {x: [1.0]}))
            """), "creates variables while computing from placeholders", id="variables created from placeholders"),
        pytest.param(script("""\
            x = tf.placeholder(tf.float32, [None])
            y = x + 1.0
            with tf.Session() as sess:
                print(sess.run(y, {x: [1.0]}, options=run_options))
            """), "options", id="run options"),
        pytest.param(script("""\
            x = tf.placeholder(tf.float32, [None])
            y = x + 1.0
            feed = {}
            feed[x] = [1.0]
            with tf.Session() as sess:
                print(sess.run(y, feed_dict=feed))
            """), "feed_dict=feed is not a dict display", id="a feed dict built item by item"),
        pytest.param(script("""\
            x = tf.placeholder(tf.float32, [None])
            y = x + 1.0
            with tf.Session() as sess:
                print(sess.run(y))
            """), "placeholder x is not fed", id="a placeholder not fed"),
        pytest.param(script("""\
            x = tf.placeholder(tf.float32, [None])
            y = x + 1.0
            z = y * 2.0
            with tf.Session() as sess:
                print(sess.run(z, {y: [1.0]}))
            """), "feeds y, which is not a placeholder", id="feeding an intermediate tensor"),
        pytest.param(script("""\
            x = tf.placeholder(tf.float32, [None])
            v = tf.Variable(1.0)
            y = x * v
            with tf.Session() as sess:
                sess.run(tf.global_variables_initializer())
                print(sess.run(y, {x: [1.0]}))
            with tf.Session() as sess:
                sess.run(tf.global_variables_initializer())
                print(sess.run(y, {x: [1.0]}))
            """), "the variables are initialized again", id="a second session initializing again"),
    ],
)
def test_fallback_keeps_graph_code_and_says_why(source, reason):
    result = sessions(source)
    kept = [d for d in result.diagnostics if d.code == "TF452"]
    assert kept and all(reason in d.message and d.severity.value == "warning" for d in kept)
    assert "tf.compat.v1.disable_eager_execution()" in result.text
    assert result.text.replace("tf.compat.v1.disable_eager_execution()  # graph-mode code is left in this file "
                               "(see the report)\n", "") == textwrap.dedent(source)


def test_fallback_in_a_library_function_only_reports():
    source = script("""\
    def evaluate(data):
        x = tf.placeholder(tf.float32, [None])
        y = x + 1.0
        print(y.name)
        with tf.Session() as sess:
            return sess.run(y, {x: data})
    """)
    result = sessions(source)
    assert result.text == textwrap.dedent(source)
    assert {"TF452", "TF457"} <= set(codes(result))


def test_existing_graph_mode_switch_is_not_repeated():
    source = script("""\
    tf.disable_eager_execution()
    x = tf.placeholder(tf.float32, [None])
    y = x + 1.0
    print(y)
    with tf.Session() as sess:
        print(sess.run(y, {x: [1.0]}))
    """)
    result = sessions(source)
    assert result.text == textwrap.dedent(source)
    assert "TF452" in codes(result) and "TF457" not in codes(result)


def test_one_fallback_keeps_every_graph_of_the_file():
    source = script("""\
    def good():
        x = tf.placeholder(tf.float32, [None])
        y = x + 1.0
        with tf.Session() as sess:
            return sess.run(y, {x: [1.0]})


    def bad():
        x = tf.placeholder(tf.float32, [None])
        y = x + 1.0
        print(y.shape)
        with tf.Session() as sess:
            return sess.run(y, {x: [1.0]})
    """)
    result = sessions(source)
    assert "numpy_results" not in result.text
    messages = [d.message for d in result.diagnostics if d.code == "TF452"]
    assert len(messages) == 2 and any("another graph in this file" in m for m in messages)


def test_manifest_keeps_session_sites_apart_and_reads_them_back():
    from tf1to2.manifest import Manifest, SessionSite, Unit

    site = SessionSite(line=13, col=24, kind="run", function="train_step", fetches="[train_op, loss]",
                       structure="list[2]", arguments=("x", "y"), train_ops=("train_op",))
    unit = Unit(kind="model", source="<module>", line=3, class_name="Model")
    manifest = Manifest("script.py", "out.py", units=(unit, site))
    assert manifest.units == (unit,) and manifest.session_sites == (site,)
    again = Manifest.from_json(manifest.to_json())
    assert again.session_sites == (site,) and again.units == (unit,)


def test_manifest_written_before_session_sites_still_reads():
    from tf1to2.manifest import Manifest

    old = '{"format": "tf1to2.manifest", "version": 1, "source": "a.py", "converted": "b.py", "units": []}'
    assert Manifest.from_json(old).session_sites == ()


SIMPLE_RUN = """\
x = tf.placeholder(tf.float32, [None, 2])
y = x * 2
with tf.Session() as sess:
    print(sess.run(y, feed_dict={x: [[1.0, 2.0]]}))
"""


@pytest.mark.parametrize(
    "first_statement",
    [
        pytest.param("# Parameters\nscale = 2\n", id="a comment above the first statement stays with it"),
        pytest.param("@decorate\nclass Thing:\n    pass\n", id="a decorated class stays with its decorator"),
        pytest.param("\n# Section\n\n@decorate\ndef f():\n    pass\n", id="a section header above a decorated function"),
    ],
)
def test_the_generated_helper_goes_above_the_first_statement_and_its_comments(first_statement):
    result = sessions(script("\n" + first_statement + "\n\n" + SIMPLE_RUN))
    helper_end = result.text.index("    return call\n")
    assert result.text.index(first_statement.strip().splitlines()[0]) > helper_end
    assert first_statement.strip() in result.text
