"""Run by the reference interpreter (TF 1.15, or TF 2.x's compat.v1): TF1 signatures and default names.

Reads JSON ``{"apis": [...], "naming": [...steps...]}`` on stdin, writes one JSON line on stdout:
``{"signatures": {api: [[param, default] ...] or null}, "naming": [variable scope of each layer step]}``.
A default is ``["literal", repr]`` or ``["object", descriptor]``. Standard library + TensorFlow only.
"""
import inspect
import json
import sys

import tensorflow.compat.v1 as tf

tf.disable_v2_behavior()
try:
    import tensorflow.contrib  # noqa: F401  (TF 1.15 only)
    import tensorflow as tf_root
    HAS_CONTRIB = True
except ImportError:
    tf_root = None
    HAS_CONTRIB = False


def resolve(api):
    if api.startswith("tf.contrib."):
        if not HAS_CONTRIB:
            return None
        obj = tf_root
    else:
        obj = tf
    for part in api.split(".")[1:]:
        obj = getattr(obj, part, None)
        if obj is None:
            return None
    return obj


def describe(value):
    try:
        import ast
        ast.literal_eval(repr(value))
        return ["literal", repr(value)]
    except (ValueError, SyntaxError):
        pass
    if isinstance(value, tf.DType):
        return ["object", "tf." + value.name]
    name = getattr(value, "__name__", None) or type(value).__name__
    return ["object", name]


def signature(api):
    obj = resolve(api)
    if obj is None:
        return None
    function = obj.__init__ if inspect.isclass(obj) else obj
    params = []
    for param in inspect.signature(function).parameters.values():
        if param.name == "self" or param.kind in (param.VAR_POSITIONAL, param.VAR_KEYWORD):
            continue
        default = None if param.default is param.empty else describe(param.default)
        params.append([param.name, default])
    return params


def run_naming(steps):
    """Each step: ["layer", api, name or null] or ["scope", name, reuse, [steps]]; returns layer scopes.

    A custom getter on the root scope sees every variable request, reused or new, with its full name.
    """
    x = tf.placeholder(tf.float32, [2, 4])
    image = tf.placeholder(tf.float32, [2, 5, 5, 3])
    calls = {  # the layers the naming steps may use, each with the inputs and sizes it needs
        "tf.layers.dense": lambda f, kw: f(x, 3, **kw),
        "tf.layers.batch_normalization": lambda f, kw: f(x, **kw),
        "tf.contrib.layers.fully_connected": lambda f, kw: f(x, 3, **kw),
        "tf.contrib.layers.conv2d": lambda f, kw: f(image, 3, [3, 3], **kw),
        "tf.contrib.layers.batch_norm": lambda f, kw: f(image, **kw),
        "tf.contrib.layers.layer_norm": lambda f, kw: f(x, **kw),
    }
    requested = []
    found = []

    def record(getter, name, *args, **kwargs):
        requested.append(name)
        return getter(name, *args, **kwargs)

    def layer(api, name):
        start = len(requested)
        kwargs = {} if name is None else ({"name": name} if api.startswith("tf.layers.") else {"scope": name})
        calls[api](resolve(api), kwargs)
        return requested[start].rsplit("/", 1)[0]

    def walk(items):
        for step in items:
            if step[0] == "layer":
                found.append(layer(step[1], step[2]))
            else:
                with tf.variable_scope(step[1], reuse=step[2] or None):
                    walk(step[3])

    with tf.variable_scope(tf.get_variable_scope(), custom_getter=record):
        walk(steps)
    return found


def main():
    request = json.loads(sys.stdin.read())
    out = {"tf_version": tf.__version__, "has_contrib": HAS_CONTRIB}
    out["signatures"] = {api: signature(api) for api in request.get("apis", [])}
    if request.get("naming") is not None:
        steps = [s for s in request["naming"] if HAS_CONTRIB or "contrib" not in json.dumps(s)]
        out["naming_steps"] = steps
        out["naming"] = run_naming(steps)
    sys.stdout.write(json.dumps(out) + "\n")


main()
