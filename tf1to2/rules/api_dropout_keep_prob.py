"""``tf.nn.dropout(x, keep_prob)`` becomes ``tf.nn.dropout(x, rate=1 - keep_prob)``.

Before:
    h = tf.nn.dropout(h, 0.8)
    h = tf.nn.dropout(h, keep_prob=1.0 - drop)

After:
    h = tf.nn.dropout(h, rate=1 - 0.8)
    h = tf.nn.dropout(h, rate=1 - (1.0 - drop))

Caveats:
    The expression is kept, not folded (``1 - 0.9`` is not exactly ``0.1`` in floating point).
    Positional arguments after ``keep_prob`` (noise_shape, seed, name) are passed by keyword. A call
    that already passes ``rate`` is TF2 already. A call with neither (or hiding them in ``*args`` /
    ``**kwargs``) cannot be converted and is reported.
"""
from __future__ import annotations

from typing import Iterator

from tf1to2.analysis.module import ModuleContext
from tf1to2.diagnostics import Severity
from tf1to2.rewrite.edits import Edit
from tf1to2.rules import api_calls, api_names
from tf1to2.rules.base import Finding

CODE = "TF417"
SUMMARY = "tf.nn.dropout keep_prob converted to rate = 1 - keep_prob"
SEVERITY = Severity.INFO
TF1_PARAMETERS = ("x", "keep_prob", "noise_shape", "seed", "name")


def check(module: ModuleContext) -> Iterator[Finding]:
    for call, name in api_names.tf_calls(module):
        if name.api != "tf.nn.dropout":
            continue
        args = api_calls.arguments(module, call)
        if api_calls.keyword(args, "rate") is not None:
            continue
        line, col = module.position(call)
        keep = api_calls.argument(args, "keep_prob", 1)
        if len(api_calls.positional(args)) > len(TF1_PARAMETERS):
            yield Finding(CODE, line, col, "tf.nn.dropout: more positional arguments than TF1's signature has", severity=Severity.ERROR)
            continue
        if keep is None:
            severity = Severity.WARNING if api_calls.has_unpacking(args) else Severity.ERROR
            message = "tf.nn.dropout without a visible keep_prob or rate: TF2's second argument is the drop rate"
            yield Finding(CODE, line, col, message, severity=severity)
            continue
        value = f"1 - {api_calls.operand(module, keep.value)}"
        edits = _wrap(module, keep)
        if keep.keyword is None:
            later = api_calls.positional(args)[2:]
            edits += [api_calls.name_positional_edit(a, n) for a, n in zip(later, TF1_PARAMETERS[2:])]
        message = f"tf.nn.dropout: keep_prob {module.snippet(keep.value)} → rate={value}"
        yield Finding(CODE, line, col, message, tuple(edits))


def _wrap(module: ModuleContext, keep: api_calls.Argument) -> list[Edit]:
    """Insertions only, so edits other rules make inside the value still apply."""
    needs_parens = api_calls.operand(module, keep.value) != module.snippet(keep.value)
    if keep.keyword is None:
        start, end, prefix = keep.start, keep.end, "rate="
        needs_parens = needs_parens and module.text[start] != "("
        edits = []
    else:
        start, end = module.span(keep.value)
        prefix = ""
        edits = [api_calls.keyword_name_edit(keep, "rate")]
    edits.append(Edit(start, start, prefix + ("1 - (" if needs_parens else "1 - ")))
    if needs_parens:
        edits.append(Edit(end, end, ")"))
    return edits
