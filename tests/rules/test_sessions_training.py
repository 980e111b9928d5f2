"""The sessions pass alone on training code: optimizers, var_list, gradients, global steps and decays."""
from __future__ import annotations

import inspect
import textwrap
from unittest import mock

import pytest

from tf1to2 import ConvertResult, Status, convert_source
from tf1to2 import rules as registry
from tf1to2.catalog import optimizers as catalog
from tf1to2.rules.sessions import optimizers, schedules

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


def script(text: str) -> str:
    return HEADER + MODEL + textwrap.dedent(text)


def function(result: ConvertResult, name: str) -> str:
    """The generated function ``name`` (decorators to return), dedented."""
    text = result.text
    start = text.index(f"def {name}(")
    start = text.rindex("@numpy_results", 0, start)
    end = text.index("\n\n", start)
    return textwrap.dedent(text[start:end + 1])


def kept_reasons(result: ConvertResult) -> list[str]:
    return [d.message for d in result.diagnostics if d.code == "TF452"]


# optimizers


@pytest.mark.parametrize(
    ("tf1", "keras"),
    [
        pytest.param("tf.train.GradientDescentOptimizer(0.1)", "tf.keras.optimizers.SGD(learning_rate=0.1)",
                     id="gradient descent"),
        pytest.param("tf.train.AdamOptimizer()", "tf.keras.optimizers.Adam(\n    learning_rate=0.001, "
                     "beta_1=0.8999999761581421, beta_2=0.9990000128746033, epsilon=1e-08\n)",
                     id="Adam with TF1's defaults written"),
        pytest.param("tf.train.AdamOptimizer(1e-4, beta1=0.5)", "tf.keras.optimizers.Adam(\n    learning_rate=1e-4, "
                     "beta_1=0.5, beta_2=0.9990000128746033, epsilon=1e-08\n)", id="Adam beta1=0.5 is exact"),
        pytest.param("tf.train.MomentumOptimizer(0.1, 0.9, use_nesterov=True)",
                     "tf.keras.optimizers.SGD(learning_rate=0.1, momentum=0.9, nesterov=True)",
                     id="momentum with a constant rate"),
        pytest.param("tf.train.RMSPropOptimizer(0.01)",
                     "RMSpropFromOne(learning_rate=0.01, rho=0.8999999761581421, epsilon=1e-10)",
                     id="RMSProp starts its accumulator at 1"),
        pytest.param("tf.train.AdagradOptimizer(0.5)",
                     "tf.keras.optimizers.Adagrad(\n"
                     "    learning_rate=0.5, initial_accumulator_value=0.1, epsilon=0.0\n)",
                     id="Adagrad without epsilon (a long line is wrapped)"),
        pytest.param("tf.train.AdadeltaOptimizer(1.0, rho=0.9)",
                     "tf.keras.optimizers.Adadelta(learning_rate=1.0, rho=0.8999999761581421, epsilon=1e-08)",
                     id="Adadelta epsilon 1e-8"),
    ],
)
def test_optimizer_keeps_tf1_hyperparameters(tf1, keras):
    result = sessions(script(f"""\
        train_op = {tf1}.minimize(loss)
        with tf.Session() as sess:
            sess.run(train_op, {{x: bx, y: by}})
        """))
    assert f"\noptimizer = {keras}\n" in result.text


def test_rmsprop_helper_is_written_once():
    result = sessions(script("""\
        a = tf.train.RMSPropOptimizer(0.01).minimize(loss)
        b = tf.train.RMSPropOptimizer(0.02).minimize(loss * 2.0)
        with tf.Session() as sess:
            sess.run(a, {x: bx, y: by})
            sess.run(b, {x: bx, y: by})
        """))
    assert result.text.count("class RMSpropFromOne(tf.keras.optimizers.RMSprop):") == 1
    assert "velocity.assign(tf.ones(velocity.shape, velocity.dtype))" in result.text


def test_named_optimizer_is_rewritten_in_place():
    result = sessions(script("""\
        opt = tf.train.GradientDescentOptimizer(learning_rate=0.5)
        train_op = opt.minimize(loss)
        with tf.Session() as sess:
            sess.run(train_op, {x: bx, y: by})
        """))
    assert "\nopt = tf.keras.optimizers.SGD(learning_rate=0.5)\n" in result.text
    assert "opt.apply_gradients(zip(gradients, variables))" in result.text


def test_optimizer_without_keras_counterpart_runs_as_tf1_eagerly():
    result = sessions(script("""\
        train_op = tf.train.ProximalAdagradOptimizer(0.1).minimize(loss)
        with tf.Session() as sess:
            sess.run(train_op, {x: bx, y: by})
        """))
    assert "\noptimizer = tf.train.ProximalAdagradOptimizer(0.1)\n" in result.text
    assert "optimizer.apply_gradients(zip(gradients, variables))" in result.text
    (warning,) = [d for d in result.diagnostics if d.code == "TF454"]
    assert "no exact Keras counterpart" in warning.message


def test_ftrl_becomes_keras_ftrl_as_the_catalog_says():
    """The catalog's record (checked against TF 1.15 in tests/behaviour/test_catalog_numerics.py)."""
    result = sessions(script("""\
        train_op = tf.train.FtrlOptimizer(0.1, l1_regularization_strength=0.01).minimize(loss)
        with tf.Session() as sess:
            sess.run(train_op, {x: bx, y: by})
        """))
    assert "optimizer = tf.keras.optimizers.Ftrl(learning_rate=0.1, l1_regularization_strength=0.01, beta=0.0)" \
        in result.text


@pytest.mark.requires_tf
@pytest.mark.parametrize("api", [api for api, record in catalog.RECORDS.items() if record.same_default])
def test_parameters_left_out_have_keras_default_equal_to_tf1(api):
    """What the sessions pass does not write (``same_default``) is Keras' default too, in the installed Keras."""
    tf = pytest.importorskip("tensorflow")
    record = catalog.RECORDS[api]
    signature = inspect.signature(getattr(tf.keras.optimizers, record.keras_class))
    for param in record.params:
        if param.tf1 in record.same_default:
            keras_default = signature.parameters[param.keras].default
            assert float(keras_default) == float(param.default), f"{api} {param.tf1}"


def test_optimizer_shared_by_two_train_ops_stays_tf1():
    result = sessions(script("""\
        opt = tf.train.AdamOptimizer(0.1)
        a = opt.minimize(loss, var_list=[W])
        b = opt.minimize(2.0 * loss, var_list=[W])
        with tf.Session() as sess:
            sess.run(a, {x: bx, y: by})
            sess.run(b, {x: bx, y: by})
        """))
    assert "\nopt = tf.train.AdamOptimizer(0.1)\n" in result.text
    assert any("serves 2 train ops" in d.message for d in result.diagnostics if d.code == "TF454")


def test_var_list_is_differentiated_as_written():
    result = sessions(script("""\
        train_op = tf.train.GradientDescentOptimizer(0.1).minimize(loss, var_list=[W])
        with tf.Session() as sess:
            sess.run(train_op, {x: bx, y: by})
        """))
    assert function(result, "train_step") == textwrap.dedent('''\
        @numpy_results
        @tf.function(input_signature=[
            tf.TensorSpec([None, 4], tf.float32),
            tf.TensorSpec([None, 1], tf.float32),
        ])
        def train_step(x, y):
            """Computes what sess.run(train_op) fetched."""
            with tf.GradientTape() as tape:
                loss = tf.reduce_mean(tf.square(tf.matmul(x, W) - y))
            gradients = tape.gradient(loss, [W])
            optimizer.apply_gradients(zip(gradients, [W]))
            return None
        ''')


def test_loss_written_as_an_expression_is_named_under_the_tape():
    result = sessions(script("""\
        train_op = tf.train.GradientDescentOptimizer(0.1).minimize(loss + 0.01 * tf.nn.l2_loss(W))
        with tf.Session() as sess:
            sess.run(train_op, {x: bx, y: by})
        """))
    assert "        loss_value = loss + 0.01 * tf.nn.l2_loss(W)\n" in function(result, "train_step")
    assert "gradients = tape.gradient(loss_value, variables)" in result.text


def test_two_train_ops_in_one_run_share_a_persistent_tape():
    result = sessions(script("""\
        V = tf.Variable(np.zeros((4, 1), np.float32))
        other = tf.reduce_mean(tf.square(tf.matmul(x, V) - y))
        a = tf.train.GradientDescentOptimizer(0.1).minimize(loss)
        b = tf.train.GradientDescentOptimizer(0.2).minimize(other)
        with tf.Session() as sess:
            sess.run([a, b], {x: bx, y: by})
        """))
    generated = function(result, "a_and_b_step")
    assert "with tf.GradientTape(persistent=True) as tape:" in generated
    assert "if g is not None" in generated  # each optimizer updates the variables its loss reaches


# gradients


def test_compute_and_apply_gradients():
    result = sessions(script("""\
        opt = tf.train.GradientDescentOptimizer(0.1)
        grads_and_vars = opt.compute_gradients(loss, var_list=[W])
        capped = [(tf.clip_by_value(g, -1.0, 1.0), v) for g, v in grads_and_vars]
        train_op = opt.apply_gradients(capped)
        with tf.Session() as sess:
            sess.run(train_op, {x: bx, y: by})
        """))
    assert function(result, "train_step") == textwrap.dedent('''\
        @numpy_results
        @tf.function(input_signature=[
            tf.TensorSpec([None, 4], tf.float32),
            tf.TensorSpec([None, 1], tf.float32),
        ])
        def train_step(x, y):
            """Computes what sess.run(train_op) fetched."""
            with tf.GradientTape() as tape:
                loss = tf.reduce_mean(tf.square(tf.matmul(x, W) - y))
            grads_and_vars = list(zip(tape.gradient(loss, [W]), [W]))
            capped = [(tf.clip_by_value(g, -1.0, 1.0), v) for g, v in grads_and_vars]
            opt.apply_gradients(capped)
            return None
        ''')


def test_tf_gradients_with_global_norm_clipping():
    result = sessions(script("""\
        tvars = tf.trainable_variables()
        grads, norm = tf.clip_by_global_norm(tf.gradients(loss, tvars), 5.0)
        train_op = tf.train.AdamOptimizer(0.1).apply_gradients(zip(grads, tvars))
        with tf.Session() as sess:
            _, n = sess.run([train_op, norm], {x: bx, y: by})
        """))
    assert "\ntvars = graph_variables(W)\n" in result.text
    generated = function(result, "train_step")
    assert "    grads, norm = tf.clip_by_global_norm(tape.gradient(loss, tvars), 5.0)\n" in generated
    assert "    optimizer.apply_gradients(zip(grads, tvars))\n    return [None, norm]\n" in generated


def test_gradient_with_respect_to_an_input_watches_it():
    result = sessions(script("""\
        saliency = tf.gradients(loss, x)[0]
        with tf.Session() as sess:
            print(sess.run(saliency, {x: bx, y: by}))
        """))
    generated = function(result, "compute_saliency")
    assert "with tf.GradientTape() as tape:\n        tape.watch(x)\n" in generated
    assert "saliency = tape.gradient(loss, x)[0]" in generated


def test_gradients_of_gradients_stay_graph_code():
    result = sessions(script("""\
        g = tf.gradients(loss, W)[0]
        penalty = tf.reduce_sum(tf.square(g))
        train_op = tf.train.GradientDescentOptimizer(0.1).minimize(loss + penalty)
        with tf.Session() as sess:
            sess.run(train_op, {x: bx, y: by})
        """))
    assert any("gradients of gradients" in reason for reason in kept_reasons(result))


# global steps and decays


def test_global_step_becomes_the_optimizer_iterations_and_decay_a_schedule():
    result = sessions(script("""\
        global_step = tf.train.get_or_create_global_step()
        lr = tf.train.exponential_decay(0.1, global_step, 100, 0.96, staircase=True)
        train_op = tf.train.GradientDescentOptimizer(lr).minimize(loss, global_step=global_step)
        with tf.Session() as sess:
            _, step, rate = sess.run([train_op, global_step, lr], {x: bx, y: by})
        """))
    assert textwrap.dedent("""\
        lr = tf.keras.optimizers.schedules.ExponentialDecay(
            initial_learning_rate=0.1, decay_steps=100, decay_rate=0.96, staircase=True
        )
        optimizer = tf.keras.optimizers.SGD(learning_rate=lr)
        global_step = optimizer.iterations
        """) in result.text
    generated = function(result, "train_step")
    # the decayed rate is the one this step used; the step is read after the update, as TF1 returned it
    assert "    results = [None, global_step, lr(optimizer.iterations)]\n" in generated
    assert generated.endswith("    return results\n")
    assert {"TF461", "TF462"} <= {d.code for d in result.diagnostics}


def test_momentum_with_a_decay_keeps_tf1_semantics():
    result = sessions(script("""\
        global_step = tf.train.get_or_create_global_step()
        lr = tf.train.exponential_decay(0.1, global_step, 100, 0.96)
        train_op = tf.train.MomentumOptimizer(lr, 0.9).minimize(loss, global_step=global_step)
        with tf.Session() as sess:
            sess.run(train_op, {x: bx, y: by})
        """))
    assert "\nlr = tf.train.exponential_decay(0.1, global_step, 100, 0.96)\n" in result.text
    assert "\noptimizer = tf.train.MomentumOptimizer(lr, 0.9)\n" in result.text
    assert "optimizer.apply_gradients(zip(gradients, variables), global_step=global_step)" in result.text
    assert any("decays" in d.message for d in result.diagnostics if d.code == "TF454")


def test_fed_learning_rate_is_assigned_before_the_update():
    result = sessions(script("""\
        rate = tf.placeholder(tf.float32, [])
        train_op = tf.train.AdamOptimizer(rate).minimize(loss)
        with tf.Session() as sess:
            sess.run(train_op, {x: bx, y: by, rate: 0.01})
        """))
    assert "learning_rate=0.0," in result.text
    generated = function(result, "train_step")
    assert "def train_step(x, y, rate):" in generated
    assert "    optimizer.learning_rate = rate\n    gradients = tape.gradient(loss, variables)\n" in generated
    assert "train_step(x=bx, y=by, rate=0.01)" in result.text


@pytest.mark.parametrize(
    ("graph", "reason"),
    [
        pytest.param("""\
            step = tf.train.get_or_create_global_step()
            lr = tf.train.exponential_decay(0.1, step, 10, 0.5)
            train_op = tf.train.AdamOptimizer(lr).minimize(loss)
            """, "which is not the step optimizer counts", id="a decay whose step nothing increments"),
        pytest.param("""\
            train_ops = [tf.train.AdamOptimizer(0.1).minimize(loss)]
            train_op = train_ops[0]
            """, "a train op must be assigned to a name on its own", id="train ops in a list"),
        pytest.param("""\
            step = tf.train.get_or_create_global_step()
            lr = tf.train.natural_exp_decay(0.1, step, 10, 0.5)
            train_op = tf.train.AdamOptimizer(lr).minimize(loss, global_step=step)
            """, "has no Keras schedule", id="a decay Keras lacks"),
    ],
)
def test_training_code_that_stays_graph_code(graph, reason):
    source = script(graph) + "with tf.Session() as sess:\n    sess.run(train_op, {x: bx, y: by})\n"
    reasons = kept_reasons(sessions(source))
    assert reasons and all(reason in r for r in reasons), reasons


# the tables


def test_optimizer_table_binds_positional_and_keyword_arguments():
    converted = optimizers.convert("tf.train.MomentumOptimizer", ((None, "0.1"), ("momentum", "0.9")))
    assert (converted.kind, converted.keras_class) == ("keras", "SGD")
    assert converted.keywords == (("learning_rate", "0.1"), ("momentum", "0.9"))


@pytest.mark.parametrize(
    ("args", "reason"),
    [
        pytest.param(((None, "0.1"), ("use_locking", "True")), "has no Keras counterpart", id="use_locking=True"),
        pytest.param(((None, "*args"),), "cannot be bound", id="star arguments"),
        pytest.param((), "missing its learning_rate", id="no learning rate"),
    ],
)
def test_optimizer_table_refuses_what_it_cannot_carry(args, reason):
    converted = optimizers.convert("tf.train.GradientDescentOptimizer", args)
    assert converted.kind == "compat" and reason in converted.reason


@pytest.mark.parametrize(
    ("literal", "written"),
    [
        pytest.param("0.9", "0.8999999761581421", id="0.9 is not a float32"),
        pytest.param("0.5", "0.5", id="0.5 is"),
        pytest.param("beta", "beta", id="an expression stays"),
        pytest.param("1", "1", id="an integer"),
    ],
)
def test_decay_rates_are_written_as_float32(literal, written):
    assert optimizers.float32_literal(literal) == written


def test_schedule_table_drops_the_step():
    arguments = ((None, "step"), (None, "[10]"), (None, "[0.1, 0.01]"))
    converted = schedules.convert("tf.train.piecewise_constant", arguments)
    assert converted.keras_class == "PiecewiseConstantDecay"
    assert converted.keywords == (("boundaries", "[10]"), ("values", "[0.1, 0.01]"))
    assert converted.step == "step"
