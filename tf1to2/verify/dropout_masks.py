"""Dropout masks from one deterministic source, the same on the original and the converted side.

Standalone, like ``tf1_runner.py`` and ``session_trace.py``: Python 3.7 with TensorFlow 1.15, or TensorFlow
2.x (``tf.compat.v1`` or eager); the standard library, numpy and the ``tf`` it is given.

TensorFlow's random numbers differ between versions and Keras, so anything computed with dropout in
training mode could not be compared. ``install(tf)`` replaces the uniform draw every dropout entry point
makes with a ``tf.numpy_function`` reading one numpy generator (``MaskStream``), so the k-th mask the
original draws is the k-th mask the converted code draws: same values, so the same keep/drop pattern for
the same rate, and the same 1/keep scaling (TensorFlow's own code still applies the mask).

- TensorFlow 1.15: ``nn_ops.dropout_v2`` is wrapped, and ``nn_ops.random_ops`` (used there only) becomes a
  proxy whose ``random_uniform`` is the deterministic draw. ``tf.nn.dropout`` (keep_prob or rate),
  ``tf.layers.dropout``, ``tf.keras.layers.Dropout``, contrib/slim ``dropout`` and the RNN
  ``DropoutWrapper`` all end there.
- TensorFlow 2.x: ``nn_ops._dropout``, which ``tf.nn.dropout``, ``tf.nn.experimental.stateless_dropout``
  (Keras 3's ``keras.random.dropout`` on the TensorFlow backend, tf-keras' ``Dropout``) and the v1
  ``tf.compat.v1.nn.dropout`` share, is given the deterministic sampler.

Masks are drawn in program order. Eager code and ``tf.function`` (stateful ops run in program order)
draw them so; in a graph (TF1, ``tf.compat.v1``), which runs ops in dataflow order, a draw takes the
dropout's input as an (unused) argument and waits for the mask made before it in the same loop body or
branch, and graph-mode while loops (``dynamic_rnn``) run one iteration at a time: an RNN with input and
output dropout draws input, output, input, output as eager code does. Each phase (a unit's forward pass,
a training regime, the script's run) restarts the generator from the phase's name (``reset``) and logs
the shapes drawn, so a difference in the number, order or shape of the masks can be named.

Caveats: masks in different ``tf.cond`` branches or loop bodies of one TF1 ``session.run`` are drawn in
TensorFlow's scheduling order; a mask chained before a fetched one is drawn although nothing fetched
needs it; a mask drawn in another shape (``DropoutWrapper`` draws one per time step, ``tf.nn.dropout``
over a whole sequence one) cannot match; other random ops (``tf.random_normal``) are not made
deterministic.
"""
from __future__ import print_function

import threading
import types
import zlib

import numpy as np

# Shapes logged per phase; the draws after that are counted only.
MAX_LOGGED_DRAWS = 1000
MASK_OP_NAME = "tf1to2_dropout_mask"


class MaskStream(object):
    """The uniform numbers of every dropout mask, from a generator restarted per phase."""

    def __init__(self):
        self.lock = threading.Lock()
        self.phase = None
        self.generator = np.random.RandomState(0)
        self.draws = {}  # phase -> {"count": n, "shapes": [[d, ...], ...]}

    def reset(self, phase):
        with self.lock:
            self.phase = phase
            self.generator = np.random.RandomState(zlib.crc32(phase.encode("utf-8")) & 0xFFFFFFFF)
            self.draws[phase] = {"count": 0, "shapes": []}

    def stop(self):
        """Out of any phase: masks drawn now (the module's own code running) are not logged."""
        with self.lock:
            self.phase = None

    def draw(self, shape):
        shape = tuple(int(d) for d in np.asarray(shape).ravel())
        with self.lock:
            if self.phase is not None:
                log = self.draws[self.phase]
                log["count"] += 1
                if len(log["shapes"]) < MAX_LOGGED_DRAWS:
                    log["shapes"].append(list(shape))
            # float64 draws rounded to float32: [0, 1) stays [0, 1) except for values within 2**-25 of 1.
            return np.minimum(self.generator.random_sample(shape), 1.0 - 2.0 ** -24).astype(np.float32)


STREAM = MaskStream()
_installed = []


def reset(phase):
    """Start a phase: the generator restarts from its name, and its masks are logged under it."""
    STREAM.reset(phase)


def stop():
    STREAM.stop()


def draws():
    """The masks drawn so far per phase (JSON): ``{phase: {"count": n, "shapes": [...]}}``."""
    return dict((phase, {"count": log["count"], "shapes": list(log["shapes"])}) for phase, log in STREAM.draws.items())


def deterministic_uniform(tf, shape, dtype, x):
    """Uniform [0, 1) numbers of ``shape`` from ``STREAM``, drawn once ``x`` (the dropout's input, when
    known) exists, and in graph mode after the mask made before it in the same loop body or branch."""
    shape_tensor = tf.cast(tf.convert_to_tensor(shape), tf.int64)
    arguments = [shape_tensor] if x is None else [shape_tensor, tf.stop_gradient(tf.convert_to_tensor(x))]
    if tf.executing_eagerly():
        values = tf.numpy_function(lambda s, *_: STREAM.draw(s), arguments, tf.float32, name=MASK_OP_NAME)
    else:
        values = _ordered_draw(tf, arguments)
    values = tf.reshape(values, shape_tensor)
    return tf.cast(values, dtype) if dtype != tf.float32 else values


def _ordered_draw(tf, arguments):
    """The draw as a graph op that runs after the previous mask op of its graph and control-flow context.

    A graph runs ops in dataflow order, not in the order the code made them: the input masks of every step
    of an unrolled RNN would all be drawn before the first output mask, where eager code alternates. The
    chain restores the program's order. It is made only when the previous mask needs no placeholder this
    one does not (a chained mask the fetches do not need is run for the later one, and must be computable
    from the same feeds: a second network fed through its own placeholders is not chained); masks in
    another loop body or ``tf.cond`` branch are not chained (an op cannot wait on one in another frame).
    """
    graph = tf.compat.v1.get_default_graph() if hasattr(tf, "compat") else tf.get_default_graph()
    context = graph._get_control_flow_context()  # noqa: SLF001 - no public accessor in TF 1.15 or 2.x
    key = (id(graph), id(context))
    previous = _LAST_MASK_OP.get(key)
    needed = placeholders_of([a.op for a in arguments])
    dependencies = []
    if previous is not None and previous[0].graph is graph and previous[1] <= needed:
        dependencies = [previous[0]]
    with tf.control_dependencies(dependencies):
        values = tf.numpy_function(lambda s, *_: STREAM.draw(s), arguments, tf.float32, name=MASK_OP_NAME)
    _LAST_MASK_OP[key] = (values.op, needed)
    return values


def placeholders_of(ops):
    """The placeholders (that must be fed) the ops depend on, through data and control inputs."""
    pending, seen, found = list(ops), set(), set()
    while pending:
        op = pending.pop()
        if op in seen:
            continue
        seen.add(op)
        if op.type == "Placeholder":
            found.add(op)
        pending.extend(t.op for t in op.inputs)
        pending.extend(op.control_inputs)
    return found


# (graph, control-flow context) -> (the last mask op made there, the placeholders it needs). A runner's
# graphs live as long as its process; the op's graph is checked, so a reused id chains nothing.
_LAST_MASK_OP = {}


def install(tf):
    """Make every dropout of this process draw its masks from ``STREAM``. Idempotent."""
    if _installed:
        return
    from tensorflow.python.ops import nn_ops

    if hasattr(nn_ops, "_dropout"):
        _install_shared_dropout(tf, nn_ops)
    else:
        _install_dropout_v2(tf, nn_ops)
    _serialize_while_loops()
    _installed.append(True)


def _serialize_while_loops():
    """Graph-mode while loops (``dynamic_rnn``) run one iteration at a time: a step's masks are then drawn
    before the next step's, as eager code draws them. Results do not change, only the loop's parallelism."""
    try:
        from tensorflow.python.ops import while_loop as module  # TensorFlow >= 2.13
    except ImportError:
        from tensorflow.python.ops import control_flow_ops as module
    original = module.while_loop

    def while_loop(*args, **kwargs):
        if len(args) > 4:  # cond, body, loop_vars, shape_invariants, parallel_iterations, ...
            args = args[:4] + (1,) + args[5:]
        else:
            kwargs["parallel_iterations"] = 1
        return original(*args, **kwargs)

    module.while_loop = while_loop


def _install_shared_dropout(tf, nn_ops):
    """TensorFlow 2.x: every dropout goes through ``_dropout(..., uniform_sampler=...)``."""
    original = nn_ops._dropout

    def _dropout(*args, **kwargs):
        names = ("x", "rate", "noise_shape", "uniform_sampler", "dummy_rng_step", "name", "default_name")
        bound = dict(zip(names, args))
        bound.update(kwargs)
        x = bound["x"]
        bound["uniform_sampler"] = lambda shape, dtype: deterministic_uniform(tf, shape, dtype, x)
        return original(**bound)

    nn_ops._dropout = _dropout


def _install_dropout_v2(tf, nn_ops):
    """TensorFlow 1.15: ``dropout_v2`` draws with ``random_ops.random_uniform``, its only use in nn_ops."""
    original = nn_ops.dropout_v2
    inputs = []

    def dropout_v2(x, rate, noise_shape=None, seed=None, name=None):
        inputs.append(x)
        try:
            return original(x, rate, noise_shape=noise_shape, seed=seed, name=name)
        finally:
            inputs.pop()

    random_ops = nn_ops.random_ops
    proxy = types.ModuleType(random_ops.__name__)
    proxy.__dict__.update(random_ops.__dict__)

    def random_uniform(shape, minval=0, maxval=None, dtype=tf.float32, seed=None, name=None):
        if minval != 0 or maxval not in (None, 1):
            return random_ops.random_uniform(shape, minval=minval, maxval=maxval, dtype=dtype, seed=seed, name=name)
        # Without an input: dropout_v2 reached through a reference taken before the wrapping.
        return deterministic_uniform(tf, shape, dtype, inputs[-1] if inputs else None)

    proxy.random_uniform = random_uniform
    nn_ops.random_ops = proxy
    nn_ops.dropout_v2 = dropout_v2
    from tensorflow.python.ops import nn  # keras.backend.dropout calls nn.dropout_v2

    if getattr(nn, "dropout_v2", None) is original:
        nn.dropout_v2 = dropout_v2
