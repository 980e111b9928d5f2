"""Run the variables → layers rule alone on a source text (no other pass), as tests need it."""
from __future__ import annotations

import ast
import dataclasses
import textwrap

from tf1to2.analysis.module import ModuleContext
from tf1to2.rewrite.edits import apply, select_compatible
from tf1to2.rules import variables_to_layers
from tf1to2.rules.base import Finding


@dataclasses.dataclass(frozen=True)
class Result:
    text: str
    findings: tuple[Finding, ...]

    def codes(self) -> list[str]:
        return [f.code for f in self.findings]

    def messages(self, code: str) -> list[str]:
        return [f.message for f in self.findings if f.code == code]

    @property
    def units(self) -> list:
        return [u for f in self.findings for u in f.units]


def convert(source: str) -> Result:
    source = textwrap.dedent(source)
    module = ModuleContext.parse(source)
    findings = tuple(variables_to_layers.check(module))
    accepted, rejected = select_compatible(f.edits for f in findings)
    assert rejected == [], "the rule's own edits overlap"
    text = apply(source, accepted)
    ast.parse(text)
    again = tuple(variables_to_layers.check(ModuleContext.parse(text)))
    assert not any(f.edits for f in again), "converting the output again changes it"
    return Result(text, findings)


def class_source(text: str, name: str) -> str:
    """The source of one class of the converted text."""
    tree = ast.parse(text)
    node = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == name)
    return ast.get_source_segment(text, node)
