"""Record what each ``sess.run`` site of a TF1 script returns over the script's own run.

Standalone, like ``tf1_runner.py`` (which imports it when run as a script): Python 3.7 with TensorFlow
1.15, or TensorFlow 2.x through ``tf.compat.v1``; the standard library, numpy and the ``tf`` it is given.
The converted side (``tf1to2.verify.tf2_trace``) records its replacement functions in the same format.

The original script runs as a program (``__name__ == "__main__"``, its own ``sys.argv``, absl flags
parsed afresh, in a working directory of its own) in a fresh graph, with ``BaseSession.run`` wrapped:
``Tensor.eval`` and ``Operation.run`` go through it too. A call belongs to a manifest site when the
nearest frame of the script on the stack is at a line of the site's call (a call spanning lines is
reported at its first or its last line, depending on the Python version); sites sharing a line take the
calls in turn, in column order, as Python evaluates them left to right.

The weights the converted script is given are the original's right after its variables were initialized:
taken after the first ``run`` of a variable initializer (``global_variables_initializer``, a variable's
``initializer``, a group of them), or before the first site runs when no initializer ran first.

Caveats: a site inside a ``tf.while_loop`` body or a thread other than the main one is not seen;
of two sites on one line only one of which runs (``a.eval() if c else b.eval()``), the calls are
misattributed.
"""
from __future__ import print_function

import os
import random
import sys
import traceback
import types

import numpy as np

# Bytes of fetched values a side keeps; the runs after that are counted, not compared.
MAX_TRACE_BYTES = 256 * 2 ** 20


def flatten_values(value, path=""):
    """(path, kind, value) triples of a fetched structure: ``[1]``, ``['loss']``, ``[0][2]``; kind is
    ``array`` (a numpy array), ``none`` (a train op's result) or ``opaque`` (bytes, such as a serialized
    summary, or anything numpy cannot hold: a description instead of the value)."""
    if value is None:
        return [(path, "none", None)]
    if hasattr(value, "numpy") and callable(value.numpy):  # an eager tensor or variable
        value = value.numpy()
    if isinstance(value, dict):
        triples = []
        for key in sorted(value, key=repr):
            triples.extend(flatten_values(value[key], "%s[%r]" % (path, key)))
        return triples
    if isinstance(value, (list, tuple)):
        triples = []
        for index, item in enumerate(value):
            triples.extend(flatten_values(item, "%s[%d]" % (path, index)))
        return triples
    if isinstance(value, (bytes, str)):
        return [(path, "opaque", "%s of %d characters" % (type(value).__name__, len(value)))]
    try:
        array = np.asarray(value)
    except Exception:  # noqa: BLE001 - whatever it is, it is described, not compared
        array = None
    if array is None or array.dtype == object:
        return [(path, "opaque", type(value).__name__)]
    return [(path, "array", array)]


class Trace(object):
    """Calls in the order they happened, each ``{"key": ..., "values": [[path, kind, ref]], "error": ...}``
    with arrays kept aside (``ref`` names one) until ``save``. Once ``budget`` bytes of arrays are kept,
    later calls are counted but their values are not kept (``"values": None``): a long loop fetching
    large arrays must not exhaust memory."""

    def __init__(self, budget=MAX_TRACE_BYTES):
        self.calls = []
        self.arrays = {}
        self.budget = budget

    def record(self, key, value, error=None, line=None):
        if self.budget <= 0:
            self.calls.append({"key": key, "line": line, "values": None, "error": error})
            return
        values = []
        for path, kind, item in flatten_values(value) if error is None else []:
            if kind == "array":
                ref = "a%d" % len(self.arrays)
                self.arrays[ref] = item
                self.budget -= item.nbytes
                item = ref
            values.append([path, kind, item])
        self.calls.append({"key": key, "line": line, "values": values, "error": error})

    def save(self, directory):
        """Arrays to ``<directory>/trace.npz``; returns the calls (JSON)."""
        np.savez(os.path.join(directory, "trace.npz"), **self.arrays)
        return self.calls


class SiteLines(object):
    """Which manifest site a call at a line of the script belongs to."""

    def __init__(self, sites):
        self.sites = sorted(sites, key=lambda site: (site["line"], site["col"]))
        self.turns = {}

    def site_at(self, line):
        candidates = [site for site in self.sites if site["line"] <= line <= site.get("end_line", site["line"])]
        if not candidates:
            return None
        if len(candidates) > 1:  # the innermost calls: those spanning the fewest lines
            shortest = min(site.get("end_line", site["line"]) - site["line"] for site in candidates)
            candidates = [site for site in candidates if site.get("end_line", site["line"]) - site["line"] == shortest]
        key = tuple(site["index"] for site in candidates)
        turn = self.turns.get(key, 0)
        self.turns[key] = turn + 1
        return candidates[turn % len(candidates)]


def script_frame(frame, path):
    """The nearest frame running the script's own code."""
    while frame is not None and frame.f_code.co_filename != path:
        frame = frame.f_back
    return frame


def session_classes(tf):
    """The classes whose ``run`` a site calls: ``BaseSession`` (``Session``, ``InteractiveSession``, and
    through them ``Tensor.eval``, ``Operation.run``) and ``MonitoredSession``'s base, whose ``run`` adds its
    hooks' fetches to the raw session's."""
    classes = [next(cls for cls in tf.Session.__mro__ if cls.__name__ == "BaseSession")]
    monitored = getattr(tf.train, "MonitoredSession", None)
    if monitored is not None:
        classes += [cls for cls in monitored.__mro__ if "run" in vars(cls)][:1]
    return classes


class OriginalRecorder(object):
    """Wraps the sessions' ``run`` while the original script runs. Runs nested in a run (the raw session
    under a ``MonitoredSession``, its hooks) pass through unrecorded."""

    def __init__(self, tf, path, sites):
        self.tf = tf
        self.path = path
        self.lines = SiteLines(sites)
        self.trace = Trace()
        self.weights = None  # {variable name: value} once taken
        self.weights_taken = None  # "after the initializer" or "before the first site"
        self.busy = False
        self.random = {}  # site index -> names of the random ops its first run computed with
        self.originals = [(cls, vars(cls)["run"]) for cls in session_classes(tf)]

    def install(self):
        for cls, original_run in self.originals:
            cls.run = self.wrap(original_run)

    def uninstall(self):
        for cls, original_run in self.originals:
            cls.run = original_run

    def wrap(self, original_run):
        recorder = self

        def run(session, fetches, *args, **kwargs):
            if recorder.busy:
                return original_run(session, fetches, *args, **kwargs)
            recorder.busy = True
            try:
                return recorder.run(session, original_run, fetches, args, kwargs)
            finally:
                recorder.busy = False

        return run

    def run(self, session, original_run, fetches, args, kwargs):
        frame = script_frame(sys._getframe(2), self.path)
        site = self.lines.site_at(frame.f_lineno) if frame is not None else None
        if site is not None and self.weights is None:
            self.take_weights(session, "before the first site")
        result = original_run(session, fetches, *args, **kwargs)
        if self.weights is None and self.initializes(session, fetches):
            self.take_weights(session, "after the initializer")
        if site is not None:
            self.trace.record(site["index"], result, line=frame.f_lineno)
            if site["index"] not in self.random:
                feed = kwargs.get("feed_dict", args[0] if args else None)
                self.random[site["index"]] = random_ops(session.graph, fetches, feed)
        return result

    def initializes(self, session, fetches):
        """Whether the fetches ran variable initializers (one, or a group such as
        ``global_variables_initializer``)."""
        tf = self.tf
        graph = session.graph
        variables = graph.get_collection(tf.GraphKeys.GLOBAL_VARIABLES) + graph.get_collection(
            tf.GraphKeys.LOCAL_VARIABLES)
        initializers = set(v.initializer for v in variables)
        for fetched in flatten_fetches(fetches):
            if isinstance(fetched, str):
                try:
                    fetched = graph.as_graph_element(fetched)
                except (KeyError, ValueError, TypeError):
                    continue
            if reaches(getattr(fetched, "op", fetched), initializers):
                return True
        return False

    def take_weights(self, session, when):
        """Every global variable's value, by name; one that cannot be read yet is left out. Called while
        busy: these runs pass through."""
        variables = session.graph.get_collection(self.tf.GraphKeys.GLOBAL_VARIABLES)
        self.weights, self.weights_taken = {}, when
        try:
            values = session.run(variables)
        except Exception:  # noqa: BLE001 - some are not initialized: read them one by one
            values = [read_or_none(session, variable) for variable in variables]
        for variable, value in zip(variables, values):
            if value is not None:
                self.weights[variable.op.name] = np.asarray(value)


def reaches(op, initializers):
    """Whether running ``op`` runs one of ``initializers``: itself, or through groups (``NoOp``s with
    control inputs: ``global_variables_initializer``, a ``Scaffold``'s group of it and the local one)."""
    pending, seen = [op], set()
    while pending:
        op = pending.pop()
        if op in initializers:
            return True
        if op in seen or getattr(op, "type", None) != "NoOp":
            continue
        seen.add(op)
        pending.extend(op.control_inputs)
    return False


# Ops drawing from TensorFlow's random generators, whose numbers differ between TF versions and Keras.
RANDOM_OPS = frozenset(("RandomUniform", "RandomUniformInt", "RandomStandardNormal", "TruncatedNormal",
                        "ParameterizedTruncatedNormal", "RandomShuffle", "Multinomial", "RandomGamma",
                        "RandomPoisson", "RandomPoissonV2", "RandomCrop"))


def random_ops(graph, fetches, feed):
    """Names of the random ops the fetches depend on, up to the fed tensors (a ``tf.cond`` branch counts
    whichever way it goes: dropout behind a training flag is reported)."""
    fed = set()
    for key in (feed or {}):
        try:
            element = graph.as_graph_element(key) if isinstance(key, str) else key
        except (KeyError, ValueError, TypeError):
            continue
        fed.add(getattr(element, "op", element))
    pending = []
    for fetched in flatten_fetches(fetches):
        try:
            element = graph.as_graph_element(fetched) if isinstance(fetched, str) else fetched
        except (KeyError, ValueError, TypeError):
            continue
        if hasattr(element, "op") or hasattr(element, "control_inputs"):
            pending.append(getattr(element, "op", element))
    seen, found = set(), []
    while pending:
        op = pending.pop()
        if op in seen or op in fed:
            continue
        seen.add(op)
        if op.type in RANDOM_OPS:
            found.append(op.name)
        pending.extend(tensor.op for tensor in op.inputs)
        pending.extend(op.control_inputs)
    return sorted(found)


def read_or_none(session, variable):
    try:
        return session.run(variable)
    except Exception:  # noqa: BLE001 - not initialized
        return None


def flatten_fetches(fetches):
    if isinstance(fetches, dict):
        return [item for value in fetches.values() for item in flatten_fetches(value)]
    if isinstance(fetches, (list, tuple)):
        return [item for value in fetches for item in flatten_fetches(value)]
    return [fetches]


def run_as_program(path, source, cwd):
    """Execute a script as the ``__main__`` module (``tf.app.run()`` finds ``main`` there) with
    ``sys.argv = [path]`` in ``cwd``, numpy's and Python's global generators seeded alike (unseeded numpy
    data is then the same on both sides); the error text, or None. absl flags (``tf.app.flags``) defined
    since the runner started are removed first: the module may have been executed in this process before,
    for the units, and would define them again."""
    flags = absl_flags()
    if flags:
        for name in set(flags.FLAGS) - BASE_FLAGS:
            delattr(flags.FLAGS, name)
        flags.FLAGS.unparse_flags()
    module = types.ModuleType("__main__")
    module.__file__ = path
    saved_argv, saved_cwd, saved_main = sys.argv, os.getcwd(), sys.modules["__main__"]
    sys.argv = [path]
    sys.modules["__main__"] = module
    os.chdir(cwd)
    np.random.seed(0)
    random.seed(0)
    try:
        exec(compile(source, path, "exec"), module.__dict__)
    except SystemExit as exc:  # app.run / tf.app.run exit when main returns
        if exc.code not in (None, 0):
            return "the script exited with %r" % (exc.code,)
    except BaseException:  # noqa: BLE001 - the script's own failure is reported, not raised
        return traceback.format_exc()
    finally:
        sys.argv = saved_argv
        sys.modules["__main__"] = saved_main
        os.chdir(saved_cwd)
    return None


def absl_flags():
    try:
        from absl import app, flags  # noqa: F401 - app defines absl's own flags on import
    except ImportError:
        return None
    if not BASE_FLAGS:
        BASE_FLAGS.update(flags.FLAGS)
    return flags


# absl's own flags, as first seen (before any script ran): they stay.
BASE_FLAGS = set()


def record_original(tf, job, source):
    """Run the original script with the recorder; the ``script`` part of the TF1 runner's result.
    ``absl_flags()`` must have been called before the module first ran in this process."""
    spec = job["script"]
    path = os.path.abspath(job["module"])
    recorder = OriginalRecorder(tf, path, spec["sites"])
    recorder.install()
    tf.reset_default_graph()
    try:
        error = run_as_program(path, source, spec["cwd"])
    finally:
        recorder.uninstall()
    weights_path = None
    if recorder.weights is not None:
        weights_path = os.path.join(job["out"], "script_weights.npz")
        np.savez(weights_path, **recorder.weights)
    return {"error": error, "calls": recorder.trace.save(job["out"]), "weights": weights_path,
            "random": dict((str(index), names) for index, names in recorder.random.items() if names),
            "weights_taken": recorder.weights_taken}
