"""Run the converted script as a program and record what each replacement function returns.

The replacement functions (``SessionSite.function``) may be module-level or local to ``main``, and are
wrapped (``numpy_results``, ``tf.function``), so they are recognised by their call sites, not by their
code: the driver lists every call of a replacement function by name in the converted script, and a
``sys.settrace`` hook sees each new frame called from one of those lines. The frame belongs to the call
when it runs the object the name holds in the calling frame (its code and closure cells, or its class's
``__call__`` with the object as first argument); its return value is recorded in the format of ``session_trace``.

Weights are transferred, never seeded: on the first call of a replacement function, before it runs, the
script's layers get the original's values right after its initialization (``script_weights``).
"""
from __future__ import annotations

import inspect
import json
import os
import sys
import time
from typing import Any, Callable, Optional

from tf1to2.verify import script_weights, session_trace


class ConvertedRecorder:
    """The ``sys.settrace`` hook: records calls of replacement functions from the listed lines."""

    def __init__(self, path: str, calls: list[dict[str, Any]], before_first_call: Callable[[Any], None]):
        self.path = path
        self.names: dict[int, list[tuple[str, Optional[str]]]] = {}  # line → (function, receiver)
        for call in calls:
            for line in range(call["line"], call["end_line"] + 1):
                self.names.setdefault(line, []).append((call["function"], call.get("receiver")))
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
    def called(frame: Any, caller: Any, names: list[tuple[str, Optional[str]]]) -> Optional[str]:
        """Which replacement function (if any) this new frame is the call of."""
        caller_locals = caller.f_locals
        for name, receiver in dict.fromkeys(names):
            if receiver is not None:
                target = getattr(caller_locals.get(receiver), name, None)
            else:
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
    weights = original_script.get("weights")
    transfer = script_weights.WeightTransfer(tf, spec["units"], script_weights.NpzReader(weights) if weights else None)
    recorder = ConvertedRecorder(path, spec["calls"], transfer.start)
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
    return {"error": error, "calls": recorder.trace.save(job["out"]), "notes": transfer.finish()}


def wait_for_original_script(job: dict[str, Any]) -> Optional[dict[str, Any]]:
    return wait_for_original_result(job).get("script")


def wait_for_original_result(job: dict[str, Any]) -> dict[str, Any]:
    """The TF1 runner's result.json, once it exists (written last, atomically)."""
    path = os.path.join(job["original_out"], "result.json")
    deadline = time.monotonic() + job["timeout"]
    while not os.path.exists(path):
        if time.monotonic() > deadline:
            raise TimeoutError(f"the original side wrote no result within {job['timeout']} s")
        time.sleep(0.05)
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)
