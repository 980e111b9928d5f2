"""Plan → code. Classes come from templates; moved statements are re-rendered from the original text.

Nothing here decides anything: every name, placement and rewrite is in the plan.
"""
from __future__ import annotations

from typing import Optional

from tf1to2.analysis.syntax import ModuleIR
from tf1to2.rewrite import templates
from tf1to2.rules.variables_to_layers.model import Block, ClassPlan, Moved, Rewrite

_CLASS = '''\
class $class_name($base):
    $docstring

    def __init__(self, $init_signature):
        super().__init__(name=$super_name, **kwargs)
        $init_body
$build
$call'''

_BUILD = '''
    def build(self, input_shape):
        $body
'''

_CALL = '''
    def call(self, $signature):
        $body
'''

_LINE_LIMIT = 100


class Emitter:
    def __init__(self, ir: ModuleIR, tf: str, unit: str) -> None:
        self.ir = ir
        self.tf = tf
        self.unit = unit

    def layer_class(self, plan: ClassPlan, indent: str = "") -> str:
        body_indent = self.unit * 2
        build = ""
        if plan.build is not None:
            build = templates.render(_BUILD, {"body": self.block(plan.build, "")}, unit=self.unit).rstrip("\n") + "\n"
        call = ""
        if plan.call is not None:
            call = templates.render(
                _CALL, {"signature": plan.call_signature, "body": self.block(plan.call, "")}, unit=self.unit
            ).rstrip("\n") + "\n"
        values = {
            "class_name": plan.class_name,
            "base": f"{self.tf}.keras.layers.Layer",
            "docstring": self.docstring(plan),
            "init_signature": plan.init_signature,
            "super_name": plan.super_name,
            "init_body": self.block(plan.init, ""),
            "build": build,
            "call": call,
        }
        del body_indent
        text = templates.render(_CLASS, values, indent=indent, unit=self.unit)
        return text.rstrip("\n") + "\n"

    def docstring(self, plan: ClassPlan) -> str:
        if plan.docstring:
            return plan.docstring
        if plan.kind == "model":
            return f'"""Keras layer holding the TF1 variables of scope ``{plan.source}`` and the computations using them."""'
        return f'"""Keras layer converted from the TF1 function ``{plan.source}``."""'

    def block(self, block: Block, indent: str) -> str:
        """A method body at ``indent`` (generated statements and moved original ones); ``pass`` if empty."""
        chunks: list[str] = []
        for part in block.parts:
            if isinstance(part, str):
                chunks.append(templates.reindent(wrap_long(part, self.unit) + "\n", "", indent))
            else:
                chunks.append(self.moved(part, indent, block.rewrites, first=not chunks))
        text = "".join(chunks)
        if not text.strip():
            return indent + "pass\n"
        return text.lstrip("\n")

    def moved(self, moved: Moved, indent: str, rewrites: tuple[Rewrite, ...], first: bool = False) -> str:
        if moved.action == "drop":
            return ""
        if moved.action == "unwrap":
            out = ""
            for child in moved.children:
                out += self.moved(child, indent, rewrites, first=first and not out)
            if out and not first and self._blank_before(moved.lead) and not out.startswith("\n"):
                out = "\n" + out
            return out
        text = self.ir.text
        end = moved.end
        rest_end = self.ir.line_end(end)
        rest = text[end:rest_end]
        if rest.strip() == "" or rest.strip().startswith("#"):
            end = rest_end
        chunk = text[moved.lead:end]
        if not chunk.endswith("\n"):
            chunk += "\n"
        local = [_as_edit(r) for r in moved.inner]
        covered = [(e.start, e.end) for e in local if e.start != e.end]
        outer = [_as_edit(r) for r in rewrites if not any(s <= r.start < e for s, e in covered)]
        chunk = templates.splice(chunk, moved.lead, local + outer)
        rendered = templates.reindent(chunk, moved.indent, indent)
        if not first and self._blank_before(moved.lead):
            rendered = "\n" + rendered
        return rendered

    def _blank_before(self, lead: int) -> bool:
        if lead == 0:
            return False
        previous = self.ir.line_start(lead - 1)
        return not self.ir.text[previous:lead].strip()


def _as_edit(rewrite: Rewrite):
    from tf1to2.rewrite.edits import Edit

    return Edit(rewrite.start, rewrite.end, rewrite.text)


def wrap_long(statement: str, unit: str, limit: int = _LINE_LIMIT) -> str:
    """Break ``target = f(a=1, b=2, ...)`` after its opening parenthesis when the line is too long."""
    if "\n" in statement or len(statement) + 8 <= limit:
        return statement
    opening = statement.find("(")
    if opening < 0 or not statement.endswith(")"):
        return statement
    head, inner = statement[: opening + 1], statement[opening + 1:-1]
    arguments = split_arguments(inner)
    if len(arguments) < 2:
        return statement
    lines = [head] + [f"{unit}{argument.strip()}," for argument in arguments] + [")"]
    return "\n".join(lines)


def split_arguments(text: str) -> list[str]:
    """Split at top-level commas (not inside brackets or strings)."""
    parts: list[str] = []
    depth = 0
    quote: Optional[str] = None
    current = []
    index = 0
    while index < len(text):
        char = text[index]
        if quote:
            current.append(char)
            if char == "\\" and index + 1 < len(text):
                current.append(text[index + 1])
                index += 2
                continue
            if text.startswith(quote, index):
                current.extend(quote[1:])
                index += len(quote)
                quote = None
                continue
        elif char in "\"'":
            quote = text[index:index + 3] if text[index:index + 3] in ('"""', "'''") else char
            current.append(quote)
            index += len(quote)
            continue
        elif char in "([{":
            depth += 1
            current.append(char)
        elif char in ")]}":
            depth -= 1
            current.append(char)
        elif char == "," and depth == 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
        index += 1
    if "".join(current).strip():
        parts.append("".join(current))
    return parts
