"""``tf.app.run()`` → ``absl.app.run(main)``.

Before:
    def main(argv):
        ...

    if __name__ == "__main__":
        tf.app.run()

After:
    from absl import app

    def main(argv):
        ...

    if __name__ == "__main__":
        app.run(main)

``tf.app.run`` was absl's ``app.run`` with ``main`` defaulting to the ``main`` of the ``__main__`` module:
both parse the flags, call ``main(argv)`` and exit with its result.

Caveats:
    ``tf.app.run()`` without a ``main`` in this module (the script's ``main`` lives elsewhere) is left to the
    API upgrade (``tf.compat.v1.app.run``) and reported.
"""
from __future__ import annotations

from typing import Iterator

import gast

from tf1to2.analysis.graph import api_of
from tf1to2.analysis.module import ModuleContext
from tf1to2.diagnostics import Severity
from tf1to2.rewrite.edits import Edit
from tf1to2.rules.base import Finding
from tf1to2.rules.sessions import names

CODE = "TF465"
SUMMARY = "tf.app.run → absl.app.run(main)"
SEVERITY = Severity.INFO
RUN = "tf.app.run"


def runs(module: ModuleContext) -> list[gast.Call]:
    return [n for n in module.nodes if isinstance(n, gast.Call) and api_of(module, n.func) == RUN]


def check(module: ModuleContext) -> Iterator[Finding]:
    calls = runs(module)
    if not calls:
        return
    app, import_edit = app_module(module)
    for number, call in enumerate(calls):
        line, col = module.position(call)
        main = _main(module, call)
        if main is None or names.tensorflow_root(module, call.func) is None:
            yield Finding(CODE, line, col, "tf.app.run() with no main in this module: left to the API upgrade",
                          severity=Severity.WARNING)
            continue
        argv = next((module.snippet(k.value) for k in call.keywords if k.arg == "argv"), None)
        if argv is None and len(call.args) > 1:
            argv = module.snippet(call.args[1])
        arguments = main + (f", argv={argv}" if argv else "")
        start, end = module.span(call)
        edits = (Edit(start, end, f"{app}.run({arguments})"),)
        if number == 0 and import_edit is not None:
            edits = (import_edit,) + edits
        yield Finding(CODE, line, col, f"{module.snippet(call)} → {app}.run({arguments}) (absl parses the flags and "
                                       "calls main(argv) as tf.app.run did)", edits=edits)


def app_module(module: ModuleContext) -> tuple[str, Edit | None]:
    """The local name of ``absl.app`` and the import that binds it, when one is needed."""
    for local in ("app", "absl_app"):
        if names.binds(module, local, "absl.app"):
            return local, None
    local = "app" if names.name_is_free(module, "app") else "absl_app"
    statement = "from absl import app" if local == "app" else "from absl import app as absl_app"
    return local, names.import_edit(module, statement)


def _main(module: ModuleContext, call: gast.Call) -> str | None:
    given = call.args[0] if call.args else next((k.value for k in call.keywords if k.arg == "main"), None)
    if given is not None:
        return module.snippet(given)
    defined = any(isinstance(n, (gast.FunctionDef, gast.AsyncFunctionDef)) and n.name == "main"
                  for n in module.tree.body)
    return "main" if defined else None
