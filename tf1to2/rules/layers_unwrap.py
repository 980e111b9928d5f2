"""Module-level ``with`` blocks that only served TF1 layers, removed and their bodies dedented.

Shared by the ``layers_*`` rules (not a rule itself). Two kinds, each removable only when the layer plan
makes them useless:

- ``with slim.arg_scope([...], **defaults):`` once every call it covers is converted (the defaults are
  now written in each Keras constructor) and nothing else in the block could read the scope (a call of
  a function that is not TensorFlow's may run Slim layers under it);
- ``with tf.control_dependencies(tf.get_collection(tf.GraphKeys.UPDATE_OPS)):`` once no TF1 batch norm
  is left in the module (Keras applies the moving-average updates in the layer call).

The header lines are deleted and each body line loses the block's indentation width, line by line, so
the edits never overlap the edits inside the lines. Lines inside multi-line strings keep theirs.
"""
from __future__ import annotations

import dataclasses
import functools
import io
import re
import tokenize
from typing import Iterable, Optional

from tf1to2.analysis.syntax import ModuleIR, Stmt
from tf1to2.catalog import layers
from tf1to2.rewrite.edits import Edit
from tf1to2.rules.layers_plan import Planned

_ARG_SCOPES = ("tf.contrib.slim.arg_scope", "tf.contrib.framework.arg_scope")
_BATCH_NORMS = ("tf.layers.batch_normalization", "tf.layers.BatchNormalization", "tf.contrib.layers.batch_norm")


@dataclasses.dataclass(frozen=True)
class Unwrap:
    stmt: Stmt  # the with statement
    kind: str  # "arg_scope" or "update_ops"
    width: int  # indentation its body loses
    collection: Optional[Stmt] = None  # ``update_ops = tf.get_collection(...)``, deleted too when only used here


def find(ir: ModuleIR, planned: list[Planned]) -> list[Unwrap]:
    converted = {(p.call.start, p.call.end) for p in planned if p.converted}
    found = []
    withs = list(_module_withs(ir.body))
    for stmt in withs:
        if len(stmt.with_items) != 1 or stmt.with_items[0].expr.kind != "call" or not stmt.body:
            continue
        if stmt.body[0].line == stmt.line:
            continue  # ``with x: statement`` on one line
        call = stmt.with_items[0].expr.calls[0]
        width = len(stmt.body[0].indent) - len(stmt.indent)
        if call.tf_name in _ARG_SCOPES and _arg_scope_useless(stmt, converted):
            found.append(Unwrap(stmt, "arg_scope", width))
    removed_scopes = {(u.stmt.start, u.stmt.end) for u in found}
    for stmt in withs:
        call = stmt.with_items[0].expr.calls[0] if stmt.with_items and stmt.with_items[0].expr.kind == "call" else None
        if call is None or call.tf_name != "tf.control_dependencies" or not call.positional or not stmt.body:
            continue
        collection = _update_ops(ir, call.positional[0].value)
        if collection is not False and not _batch_norms_left(ir, converted, removed_scopes):
            found.append(Unwrap(stmt, "update_ops", len(stmt.body[0].indent) - len(stmt.indent), collection))
    return found


def _module_withs(body: Iterable[Stmt]) -> Iterable[Stmt]:
    for stmt in body:
        if stmt.kind == "with":
            yield stmt
            yield from _module_withs(stmt.body)


def _arg_scope_useless(stmt: Stmt, converted: set) -> bool:
    for inner in list(stmt.walk())[1:]:
        if inner.kind in ("def", "class"):
            return False
        for c in inner.calls():
            record = layers.lookup(c.tf_name)
            if record is not None and (c.start, c.end) not in converted:
                return False  # a layer call the scope may still cover
            if c.tf_name is None and c.method is None:
                return False  # the module's own functions may run Slim layers under the scope
    return True


def _update_ops(ir: ModuleIR, value) -> "Optional[Stmt] | bool":
    """The statement binding the UPDATE_OPS collection (None: given inline); False: something else."""
    if value.kind == "call" and _is_update_ops(value.calls[0]):
        return None
    if value.kind != "name":
        return False
    bindings = [s for s in ir.walk() if value.name in s.targets]
    if len(bindings) != 1 or bindings[0] not in ir.body or bindings[0].value is None:
        return False
    binding = bindings[0]
    if binding.value.kind != "call" or not _is_update_ops(binding.value.calls[0]):
        return False
    reads = sum(1 for s in ir.walk() for ref in s.reads() if ref.name == value.name and not ref.store)
    return binding if reads == 1 else None


def _is_update_ops(call) -> bool:
    return call.tf_name == "tf.get_collection" and bool(call.positional) and (
        call.positional[0].value.tf_name == "tf.GraphKeys.UPDATE_OPS"
        or call.positional[0].value.text.strip() in ("'update_ops'", '"update_ops"')
    )


def _batch_norms_left(ir: ModuleIR, converted: set, removed_scopes: set) -> bool:
    """Whether a TF1 batch norm (which updates through UPDATE_OPS) stays after the layer rules."""
    for stmt in ir.walk():
        if stmt.kind == "with" and (stmt.start, stmt.end) in removed_scopes:
            continue  # an arg_scope whose calls are all converted: its normalizer_fn went with them
        for call in stmt.calls():
            api = layers.canonical(call.tf_name or "")
            if api == "tf.layers.BatchNormalization":  # the class form converts in place unless refused
                if layers.keras_constructor(layers.lookup(api), call).unmapped:
                    return True
            elif api in _BATCH_NORMS and (call.start, call.end) not in converted:
                return True
            if any("batch_norm" in a.value.text for a in call.args if a.keyword == "normalizer_fn") and (
                    call.start, call.end) not in converted:
                return True
    return False


# --- edits ----------------------------------------------------------------------------------------------

class Dedent:
    """How much indentation each line loses, and the edits that remove it, per unwrapped block."""

    def __init__(self, text: str, unwraps: list[Unwrap]) -> None:
        self.text = text
        self.starts = [0] + [match.end() for match in re.finditer("\n", text)]
        self.unwraps = sorted(unwraps, key=lambda u: u.stmt.start)
        self.deleted = {line for u in self.unwraps for line in self._header_lines(u)}

    @functools.cached_property
    def protected(self) -> set[int]:
        # Tokenizing the module is the costly part; most modules have nothing to unwrap and never ask.
        return _string_lines(self.text)

    def line_of(self, offset: int) -> int:
        import bisect

        return bisect.bisect_right(self.starts, offset)

    def _header_lines(self, unwrap: Unwrap) -> range:
        return range(self.line_of(unwrap.stmt.start), self.line_of(unwrap.stmt.body[0].start))

    def _body_lines(self, unwrap: Unwrap) -> range:
        return range(self.line_of(unwrap.stmt.body[0].start), self.line_of(max(unwrap.stmt.end - 1, 0)) + 1)

    def width_at(self, offset: int) -> int:
        """Indentation the line holding ``offset`` loses in total."""
        line = self.line_of(offset)
        return sum(u.width for u in self.unwraps if line in self._body_lines(u))

    def edits(self, unwrap: Unwrap) -> list[Edit]:
        header = self._header_lines(unwrap)
        edits = [Edit(self.starts[header.start - 1], self.starts[header.stop - 1], "")]
        if unwrap.collection is not None:
            start = self.starts[self.line_of(unwrap.collection.start) - 1]
            last = self.line_of(unwrap.collection.end)
            edits.append(Edit(start, self.starts[last] if last < len(self.starts) else len(self.text), ""))
        for line in self._body_lines(unwrap):
            if line in self.deleted or line in self.protected:
                continue
            start = self.starts[line - 1]
            outer = sum(u.width for u in self.unwraps if u.stmt.start < unwrap.stmt.start and line in self._body_lines(u))
            text = self.text[start:self.starts[line] if line < len(self.starts) else len(self.text)]
            spaces = len(text) - len(text.lstrip(" \t"))
            if not text.strip():
                continue
            begin, end = min(outer, spaces), min(outer + unwrap.width, spaces)
            if end > begin:
                edits.append(Edit(start + begin, start + end, ""))
        return edits


def _string_lines(text: str) -> set[int]:
    """Lines that start inside a multi-line string token."""
    protected: set[int] = set()
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            if token.type == tokenize.STRING or token.type == getattr(tokenize, "FSTRING_MIDDLE", -1):
                protected.update(range(token.start[0] + 1, token.end[0] + 1))
    except (tokenize.TokenError, IndentationError, SyntaxError):
        pass
    return protected
