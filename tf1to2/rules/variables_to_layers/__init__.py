"""Variable graphs → Keras layers: ``variable_scope``, ``get_variable``, ``tf.Variable`` and ``reuse``.

Before:
    def linear(x, size, scope, reuse=False):
        with tf.variable_scope(scope, reuse=reuse):
            w = tf.get_variable("w", [x.get_shape()[1], size],
                                initializer=tf.random_normal_initializer(stddev=0.02))
            b = tf.get_variable("b", [size], initializer=tf.zeros_initializer())
            return tf.matmul(x, w) + b

    h = linear(x, 10, "fc")
    h2 = linear(x2, 10, "fc", reuse=True)

After:
    class Linear(tf.keras.layers.Layer):
        def __init__(self, size, name=None, **kwargs):
            super().__init__(name=name, **kwargs)
            self.size = size
            self.b = self.add_weight(name="b", shape=[size], initializer=tf.keras.initializers.Zeros())

        def build(self, input_shape):
            x_shape = tf.TensorShape(input_shape)
            self.w = self.add_weight(name="w", shape=[x_shape[1], self.size],
                                     initializer=tf.keras.initializers.RandomNormal(mean=0.0, stddev=0.02))

        def call(self, x):
            return tf.matmul(x, self.w) + self.b

    fc = Linear(10, name="fc")
    h = fc(x)
    h2 = fc(x2)

A function that creates variables (directly or through other such functions) becomes a Layer subclass:
configuration parameters go to ``__init__``, tensors to ``call``, the scope parameter becomes the layer
name and ``reuse`` parameters disappear. Calls inside other converted functions become sublayers created
once; a scope name computed in a loop gives a list of sublayers. ``tf.layers`` / ``tf.contrib.layers`` /
Slim calls inside a function are sublayers too: the layer catalog's Keras layer (TF1 defaults written
out), created once in ``__init__`` under the name TF1 gave its scope (``encoder/dense_1/kernel`` is
``dense_1.kernel``), and a parameter read only as their ``training=`` becomes ``call``'s ``training``. Reuse is object identity: every site
that addresses the same TF1 variables (same scope path) uses the same instance or weight, and the reuse
switches (``scope.reuse_variables()``, ``variable_scope(get_variable_scope(), reuse=True)``) go. Weights
whose shape is known from configuration are created in ``__init__`` (complete ``trainable_variables``
right after construction); those needing an input's shape in ``build``.

Graph code keeps its shape: ``with tf.variable_scope(...)`` blocks (at module level or in a
graph-building method) and module-level variables become layers holding those weights, and the
statements computing with them become calls of one instance (``y1 = my_layer(x1)``) when every reuse
computes the same thing. A scope a class builds once per instance with ``reuse=reuse`` becomes a layer
the class holds and shares, and so do the layers its methods call with ``reuse=reuse``. Training code
(optimizers, ``minimize``, gradients, learning-rate schedules) stays where it is and reads the weights. Module-level dicts of ``tf.Variable`` read by one function become a layer
replacing that function; a plain class holding variables as attributes becomes a Layer subclass.
Initializers and regularizers keep their TF1 defaults explicitly (``L2(s / 2)`` for
``l2_regularizer(s)``), ``trainable=False``, dtypes and constraints stay. ``tf.losses.
get_regularization_loss()`` becomes the sum of the layers' ``losses``; variables selected by name
(``tf.trainable_variables("d")``, ``[v for v in t_vars if 'd_' in v.name]``) become the matching
layers' variables. Every converted unit is recorded in the manifest (docs/manifest.md) with each TF1
variable's name, attribute path, shape, dtype and trainability, and an example to verify it by.

Caveats:
    A construct that cannot be followed stays TF1 code (upgraded by the API pass to ``tf.compat.v1``)
    with a finding naming it: a scope or variable name computed at run time from data, a
    ``custom_getter`` or ``partitioner``, ``tf.make_template``, a layer call inside a function that runs
    in a loop or branch, takes an argument Keras cannot take, applies a contrib ``normalizer_fn`` or is
    configured from an input's shape, layers named by TF1's counter in a function without a variable
    scope of its own that runs more than once (or shares its caller's scope with other layer calls),
    RNN cells and ``tf.keras`` objects built in a function, a function whose weight shapes depend on the
    shape of a tensor other than its first input, and a call inside a caller's ``variable_scope`` whose
    default initializer or regularizer would apply to the callee's variables. Functions of other modules
    (a library's ``variable()`` factory) are not followed across files. Selections and regularization
    losses are converted only when every variable of the module is held by a layer, and read the layers'
    variables when evaluated: a layer whose weights are made in ``build`` must have been called first.
"""
from __future__ import annotations

from typing import Iterator

from tf1to2.analysis.module import ModuleContext
from tf1to2.diagnostics import Severity
from tf1to2.rules.base import Finding
from tf1to2.rules.variables_to_layers import emit_module
from tf1to2.rules.variables_to_layers.plan import plan_module

CODES = {
    "TF430": "variable-creating function converted to a Keras layer",
    "TF431": "module-level variables and the computations using them converted to a Keras layer",
    "TF432": "shared variables (reuse) converted to one layer instance used several times",
    "TF433": "initializer or regularizer without an exact Keras equivalent",
    "TF434": "variables selected by name converted to the matching layers' variables",
    "TF435": "regularization losses collected from the layers' losses",
    "TF436": "class holding variables converted to a Keras layer subclass",
    "TF440": "variable-creating construct that cannot be followed (left as TF1 code)",
    "TF443": "variable-creating function left as TF1 code",
}
SEVERITY = Severity.INFO


def check(module: ModuleContext) -> Iterator[Finding]:
    plan = plan_module(module)
    yield from emit_module.findings(module, plan)
