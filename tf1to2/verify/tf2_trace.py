"""Run the converted script as a program and record what each replacement function returns.

The replacement functions (``SessionSite.function``) may be module-level or local to ``main``, and are
wrapped (``numpy_results``, ``tf.function``), so they are recognised by their call sites, not by their
code: the driver lists every call of a replacement function by name in the converted script, and a
``sys.settrace`` hook sees each new frame called from one of those lines. The frame belongs to the call
when it runs the object the name holds in the calling frame (its ``__code__``, or its ``__call__`` with
``self`` that object); its return value is recorded in the format of ``session_trace``.

Weights are transferred, never seeded: on the first call of a replacement function, before it runs,
every instance of a manifest unit's class reachable from the calling frames (their locals, the module's
globals, else any live object) gets the original's values right after its initialization, through the
manifest's attribute paths and re-layouts (as for the units). An instance is chosen when it is the only
one whose weights have the original's shapes, or the one named after the weights' TF1 scope
(``Linear(..., name="clipped")`` for ``clipped/w``); otherwise the unit is left as the script made it,
with a note. Weights a layer creates on its first call do not exist yet and are not transferred (noted).
"""
from __future__ import annotations

import gc
import inspect
import json
import os
import sys
import time
from typing import Any, Callable, Optional

import numpy as np

from tf1to2.manifest import Weight, weight_shape
from tf1to2.verify import binding as bind
from tf1to2.verify import session_trace


class NpzReader:
    """The original's weights as ``tf.train.load_checkpoint`` would give them."""

    def __init__(self, path: str):
        with np.load(path) as data:
            self.values = {name: data[name] for name in data.files}

    def has_tensor(self, name: str) -> bool:
        return name in self.values

    def get_tensor(self, name: str) -> np.ndarray:
        return self.values[name]


class ConvertedRecorder:
    """The ``sys.settrace`` hook: records calls of replacement functions from the listed lines."""

    def __init__(self, path: str, calls: list[dict[str, Any]], before_first_call: Callable[[Any], None]):
        self.path = path
        self.names: dict[int, list[str]] = {}
        for call in calls:
            for line in range(call["line"], call["end_line"] + 1):
                self.names.setdefault(line, []).append(call["function"])
        self.before_first_call: Optional[Callable[[Any], None]] = before_first_call
        self.trace = session_trace.Trace()

    def __call__(self, frame: Any, event: str, arg: Any) -> Optional[Callable]:
        if event != "call":
            return None
        caller = frame.f_back
        if caller is None or caller.f_code.co_filename != self.path:
            return None
        names = self.names.get(caller.f_lineno)
        name = self.called(frame, caller, names) if names else None
        if name is None:
            return None
        if self.before_first_call is not None:
            first, self.before_first_call = self.before_first_call, None
            first(caller)
        return self.call_tracer(name, caller.f_lineno)

    @staticmethod
    def called(frame: Any, caller: Any, names: list[str]) -> Optional[str]:
        """Which replacement function (if any) this new frame is the call of."""
        caller_locals = caller.f_locals
        for name in dict.fromkeys(names):
            target = caller_locals[name] if name in caller_locals else caller.f_globals.get(name)
            if target is None:
                continue
            if runs(frame, target):
                return name
        return None

    def call_tracer(self, name: str, line: int) -> Callable:
        """Follows the call's own frame: an exception it does not handle (no line runs after it) is the
        call's error; otherwise the returned value is recorded."""
        raised: list[Any] = [None]

        def follow(frame: Any, event: str, arg: Any) -> Callable:
            if event == "exception":
                raised[0] = arg
            elif event == "line":
                raised[0] = None
            elif event == "return":
                error = None
                if arg is None and raised[0] is not None:
                    error = f"{raised[0][0].__name__}: {raised[0][1]}"
                self.trace.record(name, arg, error=error, line=line)
            return follow

        return follow


def runs(frame: Any, target: Any) -> bool:
    """Whether a new frame is a call of ``target``: a function (its code, and for a closure such as the
    ``numpy_results`` wrapper, whose code every wrapped function shares, its cells' contents), or an
    object whose class's ``__call__`` runs in the frame with the object as first argument (a
    ``tf.function``, whose ``__call__`` is itself wrapped by a ``(*args, **kwargs)`` function)."""
    code = getattr(target, "__code__", None)
    if code is not None:
        if frame.f_code is not code:
            return False
        cells = getattr(target, "__closure__", None) or ()
        frame_locals = frame.f_locals
        return all(frame_locals.get(name) is cell.cell_contents for name, cell in zip(code.co_freevars, cells))
    call_code = getattr(getattr(type(target), "__call__", None), "__code__", None)
    return frame.f_code is call_code and first_argument(frame) is target


def first_argument(frame: Any) -> Any:
    code = frame.f_code
    if code.co_argcount:
        return frame.f_locals.get(code.co_varnames[0])
    if code.co_flags & inspect.CO_VARARGS:
        args = frame.f_locals.get(code.co_varnames[code.co_kwonlyargcount])
        return args[0] if args else None
    return None


def record_converted(tf: Any, job: dict[str, Any], original_script: Optional[dict[str, Any]]) -> dict[str, Any]:
    """Run the converted script with the recorder; the ``script`` part of the converted runner's result."""
    if original_script is None or original_script.get("error"):
        return {"error": None, "calls": [], "notes": [], "skipped": "the original script did not run through"}
    spec = job["script"]
    path = os.path.abspath(job["module"])
    notes: list[str] = []
    weights = original_script.get("weights")

    def transfer(frame: Any) -> None:
        if weights:
            notes.extend(transfer_weights(frame, spec["units"], NpzReader(weights)))

    recorder = ConvertedRecorder(path, spec["calls"], transfer)
    with open(path, "rb") as handle:
        source = handle.read()
    # The module already ran in this process for the units: what it left in the global graph's collections
    # (a global step, in eager mode too) and Keras' names must not carry over into the script's run.
    tf.compat.v1.reset_default_graph()
    tf.keras.backend.clear_session()
    sys.settrace(recorder)
    try:
        error = session_trace.run_as_program(path, source, spec["cwd"])
    finally:
        sys.settrace(None)
    return {"error": error, "calls": recorder.trace.save(job["out"]), "notes": notes}


def wait_for_original_script(job: dict[str, Any]) -> Optional[dict[str, Any]]:
    path = os.path.join(job["original_out"], "result.json")
    deadline = time.monotonic() + job["timeout"]
    while not os.path.exists(path):
        if time.monotonic() > deadline:
            raise TimeoutError(f"the original side wrote no result within {job['timeout']} s")
        time.sleep(0.05)
    with open(path, encoding="utf-8") as handle:
        return json.load(handle).get("script")


# --- weights ----------------------------------------------------------------------------------------------


def transfer_weights(frame: Any, units: list[dict[str, Any]], reader: NpzReader) -> list[str]:
    """Load the original's values into the script's unit instances; notes on what was not transferred."""
    reachable = reachable_objects(frame)
    notes = []
    wanted = {unit["class_name"] for unit in units}
    if any(not any(type(o).__name__ == name for o in reachable) for name in wanted):
        reachable += [o for o in gc.get_objects() if type(o).__name__ in wanted and all(o is not r for r in reachable)]
    for unit in units:
        weights = [Weight(**{**w, "shape": weight_shape(w["shape"])}) for w in unit["weights"]]
        if not weights:
            continue
        candidates = [o for o in reachable if type(o).__name__ == unit["class_name"]]
        instance, why = choose_instance(candidates, weights, reader)
        if instance is None:
            notes.append(f"{unit['class_name']}: weights not transferred to the script's layer: {why}")
            continue
        binding = bind.bind_weights(instance, weights)
        for tf1_name, problem in bind.assign_from_reader(binding, reader):
            notes.append(f"{unit['class_name']}: {tf1_name} not transferred: {problem}")
    return notes


def reachable_objects(frame: Any) -> list[Any]:
    """Values of the converted script's frames on the stack, innermost first, then the module's globals."""
    found: list[Any] = []
    seen: set[int] = set()
    path = frame.f_code.co_filename
    while frame is not None:
        if frame.f_code.co_filename == path:
            for scope in (frame.f_locals, frame.f_globals):
                for value in list(scope.values()):
                    if id(value) not in seen:
                        seen.add(id(value))
                        found.append(value)
        frame = frame.f_back
    return found


def choose_instance(candidates: list[Any], weights: list[Weight], reader: NpzReader) -> tuple[Optional[Any], str]:
    """The one instance the original's values fit (or the one named after their scope), and else why none."""
    if not candidates:
        return None, "no instance of it exists when the first replacement function is called"
    fitting, unbuilt = [], 0
    for candidate in candidates:
        binding = bind.bind_weights(candidate, weights)
        if binding.problems:
            unbuilt += 1
            continue
        plain = [(w, v) for w, v in binding.bound if w.transform is None]
        if all(reader.has_tensor(w.tf1_name) and reader.get_tensor(w.tf1_name).shape == tuple(v.shape)
               for w, v in plain):
            fitting.append(candidate)
    if len(fitting) == 1:
        return fitting[0], ""
    scope = weights[0].tf1_name.rsplit("/", 1)[0] if "/" in weights[0].tf1_name else None
    named = [c for c in fitting if scope is not None and getattr(c, "name", None) == scope]
    if len(named) == 1:
        return named[0], ""
    if fitting:
        return None, f"{len(fitting)} instances fit its weights and none is named {scope!r}"
    if unbuilt:
        return None, "its weights do not exist yet, the layer makes them on its first call"
    return None, "no instance has weights of the original's names and shapes"
