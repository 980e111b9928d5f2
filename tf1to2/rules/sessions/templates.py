"""The code the sessions pass generates, as templates with ``$holes``.

Templates are written at indentation 0 with four-space levels; ``render`` fills the holes, puts block
values (several lines) at the hole's column, and indents the result. ``$tf`` is the module's own name
for TensorFlow.
"""
from __future__ import annotations

import dataclasses
import re
from typing import Mapping, Union

NUMPY_RESULTS = '''
def $name(function):
    """Session.run returned numpy values; so do the functions that replace it."""

    def call(*args, **kwargs):
        results = function(*args, **kwargs)
        return $tf.nest.map_structure(lambda value: value.numpy() if hasattr(value, "numpy") else value, results)

    return call
'''

NUMPY_METHOD_RESULTS = '''
def $name(method):
    """Session.run returned numpy values; so do the methods that replace it."""

    def call(self, *args, **kwargs):
        results = method.__get__(self, type(self))(*args, **kwargs)
        return $tf.nest.map_structure(lambda value: value.numpy() if hasattr(value, "numpy") else value, results)

    return call
'''

RMSPROP_FROM_ONE = '''
class $name($tf.keras.optimizers.RMSprop):
    """RMSprop whose mean-square accumulator starts at 1.0, as TF1's RMSPropOptimizer's does."""

    def build(self, var_list):
        fresh = not (getattr(self, "built", False) or getattr(self, "_built", False))
        super().build(var_list)
        if fresh:
            with $tf.init_scope():
                for velocity in self._velocities:
                    velocity.assign($tf.ones(velocity.shape, velocity.dtype))
'''

GRAPH_VARIABLES = '''
def $name(*holders, trainable=True):
    """What tf.trainable_variables() (tf.global_variables() with trainable=False) listed in TF1: the
    variables of these layers and variables, in the order given."""
    found = []
    for holder in $tf.nest.flatten(list(holders)):
        variables = getattr(holder, "trainable_variables" if trainable else "variables", None)
        for variable in [holder] if variables is None else variables:
            if (variable.trainable or not trainable) and all(variable is not seen for seen in found):
                found.append(variable)
    return found
'''

SAVE_CHECKPOINT = '''
def $name(checkpoint, path, step=None, max_to_keep=5):
    """saver.save(sess, path, global_step=step) of TF1: writes path (path-step with a step, then recorded as
    the latest checkpoint of its directory, the newest max_to_keep kept) and returns what it wrote."""
    if step is None:
        return checkpoint.write(path)
    directory, name = os.path.split(path)
    manager = $tf.train.CheckpointManager(checkpoint, directory or ".", max_to_keep, checkpoint_name=name)
    return manager.save(checkpoint_number=int(step))
'''

WRITE_SUMMARIES = '''
def $name(writer, summaries, step):
    """writer.add_summary(summary, step) of TF1: the fetched summaries, {(kind, tag): value}, written with
    TF2's tf.summary.scalar / histogram / image / text / audio at that step."""
    with writer.as_default():
        for (kind, tag), value in summaries.items():
            getattr($tf.summary, kind)(tag, value, step=int(step))
'''

UNCHANGED_MOVING_STATISTICS = '''
class $name:
    """TF1 updated batch normalization's moving statistics only when the UPDATE_OPS ran (with the train op);
    Keras updates them at every call in training mode. Around a run in training mode without the update
    ops, this puts them back as they were (at their initial values for a layer built by the run)."""

    def __init__(self, *layers, training=True):
        self.layers = list(layers) if training else []

    def __enter__(self):
        self.saved = [(layer, [$tf.identity(v) for v in (layer.moving_mean, layer.moving_variance)])
                      for layer in self.layers if layer.built]
        self.unbuilt = [layer for layer in self.layers if not layer.built]

    def __exit__(self, *exc_info):
        for layer, values in self.saved:
            for variable, value in zip((layer.moving_mean, layer.moving_variance), values):
                variable.assign(value)
        for layer in self.unbuilt:
            for variable, initializer in ((layer.moving_mean, layer.moving_mean_initializer),
                                          (layer.moving_variance, layer.moving_variance_initializer)):
                variable.assign(initializer(variable.shape, variable.dtype))
'''

KEEP_STATISTICS = '''
with $helper($layers, training=$flag):
    $body
'''

FUNCTION = '''
$decorators
def $name($params):
    """$doc"""
    $body
    return $result
'''

TAPE = '''
with $tf.GradientTape($persistent) as $tape:
    $watch
    $forward
$variables
$after
$results
$updates
'''

# A training mode is a Python bool (Keras layers take training= as one), so no input signature: tf.function
# traces once per value, and reduce_retracing keeps new batch shapes from tracing again.
FLAG_COMMENT = "# $names: a Python bool (Keras' training=), not a tensor: two traces, one per mode"
WATCH = "$tape.watch($name)"
CONVERT = "$name = $tf.cast($name, $dtype)"
WATCHED_VARIABLES = "$variables = $tape.watched_variables()"
LOSS_VALUE = "$name = $loss"
RESULTS = "$results = $value"
GRADIENT = "$gradients = $tape.gradient($loss, $variables)"
APPLY = "$optimizer.apply_gradients(zip($gradients, $variables)$extra)"
# the tape watched several models' variables: each optimizer updates those its loss has gradients for
APPLY_PRESENT = "$optimizer.apply_gradients([(g, v) for g, v in zip($gradients, $variables) if g is not None]$extra)"
APPLY_GIVEN = "$optimizer.apply_gradients($grads_and_vars$extra)"
SET_LEARNING_RATE = "$optimizer.learning_rate = $rate"
STEP_ALIAS = "$name = $optimizer.iterations"
SCHEDULE = "$tf.keras.optimizers.schedules.$cls($keywords)"
TF_GRADIENTS = "$tape.gradient($ys, $xs)"
COMPUTE_GRADIENTS = "list(zip($tape.gradient($ys, $xs), $xs))"

DISABLE_EAGER = '''
$call  # graph-mode code is left in this file (see the report)
'''

_HOLE = re.compile(r"\$(\w+)")
_UNIT = "    "


@dataclasses.dataclass(frozen=True)
class Block:
    """Lines for a block hole, at indentation 0; ``protected`` lines (1-based) continue a multi-line
    string and are inserted exactly as they are."""

    text: str
    protected: frozenset[int] = frozenset()


def render(template: str, values: Mapping[str, Union[str, Block]], indent: str = "", unit: str = _UNIT) -> str:
    """Fill ``template`` and indent it by ``indent``; a hole alone on its line takes a block of lines."""
    return render_block(template, values, indent, unit).text


def render_block(template: str, values: Mapping[str, Union[str, Block]], indent: str = "",
                 unit: str = _UNIT) -> Block:
    """``render``, keeping track of the lines that continue a multi-line string (to nest the result)."""
    out: list[str] = []
    protected: set[int] = set()
    for line in template.strip("\n").splitlines():
        stripped = line.strip()
        column = line[: len(line) - len(line.lstrip())]
        column = unit * (len(column) // len(_UNIT)) + " " * (len(column) % len(_UNIT))
        hole = _HOLE.fullmatch(stripped)
        if hole:
            value = values[hole.group(1)]
            block = value if isinstance(value, Block) else Block(value)
            for number, inner in enumerate(block.text.splitlines(), start=1):
                if number in block.protected:
                    protected.add(len(out) + 1)
                    out.append(inner)
                else:
                    out.append(indent + column + inner if inner.strip() else "")
            continue
        filled = _HOLE.sub(lambda m: str(values[m.group(1)]), stripped)
        out.append(indent + column + filled if filled else "")
    return Block("\n".join(out) + "\n", frozenset(protected))


def lines(*rendered: str) -> str:
    """One-line templates already filled, as a block."""
    return "".join(line + "\n" for line in rendered if line)


def indent_block(lines: str, old: str, new: str, protected: frozenset[int] = frozenset(), first_line: int = 1) -> str:
    """Move whole lines from indentation ``old`` to ``new``; lines numbered in ``protected`` (inside a
    multi-line string, counted from ``first_line``) keep their exact text."""
    out = []
    for number, line in enumerate(lines.splitlines(keepends=True), start=first_line):
        if number in protected:
            out.append(line)
        elif not line.strip():
            out.append(line.lstrip(" \t"))
        elif line.startswith(old):
            out.append(new + line[len(old):])
        else:
            out.append(new + line.lstrip(" \t"))
    return "".join(out)
