"""The argument edits of one TF1 call, from the keyword and reorder tables (used by TF416 and TF428).

Pure planning: positions in, edits out. Shared by ``api_call_arguments``; not a rule itself.
"""
from __future__ import annotations

import dataclasses
from typing import Optional

import gast

from tf1to2.analysis.module import ModuleContext
from tf1to2.rewrite.edits import Edit
from tf1to2.rules import api_calls, api_tables
from tf1to2.rules.api_calls import Argument


@dataclasses.dataclass
class Plan:
    code: str = "TF416"
    edits: list[Edit] = dataclasses.field(default_factory=list)
    notes: list[str] = dataclasses.field(default_factory=list)
    unpacked: bool = False
    needs_check: bool = False
    subject: str = ""

    @property
    def message(self) -> str:
        text = f"{self.subject}: " + ", ".join(self.notes)
        if self.unpacked:
            text += "; the call passes *args or **kwargs, which may hold arguments that need the same change"
        return text


def find(module: ModuleContext, call: gast.Call, name: str, position: Optional[int]) -> Optional[Argument]:
    return api_calls.argument(api_calls.arguments(module, call), name, position)


def accepted(node: gast.AST, what: str) -> bool:
    return api_calls.is_literal(node, what)


def upgrade(module: ModuleContext, call: gast.Call, api: Optional[str], method: Optional[str]) -> Optional[Plan]:
    tables = api_tables.arguments()
    renames = {**tables["keyword_renames"].get(api_tables.method_key(method or ""), {})}
    renames.update(tables["keyword_renames"].get(api, {}) if api else {})
    order = tables["reorders"].get(api) if api else None
    after_rename = tables["positional_after_rename"].get(api) if api else None
    added = tables["added_arguments"].get(api, {}) if api else {}
    conditional = tables["compat_unless_argument"].get(api) if api else None
    if not (renames or order or after_rename or added or conditional):
        return None
    args = api_calls.arguments(module, call)
    result = Plan(subject=api or f"*.{method}")
    removed: set[int] = set()
    if conditional:  # first: an argument removed here is not also passed by keyword
        found = api_calls.argument(args, conditional["argument"], conditional["position"])
        if found is not None and conditional["remove_if_accepted"]:
            removed.add(index_of(args, found))
            result.notes.append(f"{conditional['argument']} removed (TF2 behaves as if it were {conditional['accepted']})")
    _name_positionals(args, order, after_rename, renames, result, removed)
    for index, arg in enumerate(args):
        if arg.keyword in renames:
            _rename_keyword(index, arg, renames[arg.keyword], result, removed)
    for name, value in added.items():
        if api_calls.keyword(args, name) is None:
            result.edits.append(api_calls.append_edit(module, call, args, f"{name}={value}"))
            result.notes.append(f"{name}={value} added (TF2 requires it)")
            result.code = "TF428"
    result.edits.extend(api_calls.removal_edits(module, call, args, removed))
    result.unpacked = api_calls.has_unpacking(args) and bool(renames or order)
    result.needs_check = result.needs_check or result.unpacked
    if not result.notes:
        return None
    return result


def index_of(args: list[Argument], arg: Argument) -> int:
    return next(i for i, a in enumerate(args) if a is arg)


def _name_positionals(args, order, after_rename, renames, result: Plan, removed: set[int]) -> None:
    """Pass by keyword every positional argument from the first whose position means something else."""
    plain = api_calls.positional(args)
    names: list[Optional[str]] = []
    for position in range(len(plain)):
        if order and position < len(order) and order[position]:
            names.append(renames.get(order[position], order[position]) or "")  # "": removed in TF2
        elif after_rename and after_rename["keep"] <= position < len(after_rename["names"]):
            names.append(after_rename["names"][position])
        else:
            names.append(None)
    first = next((i for i, name in enumerate(names) if name is not None), len(names))
    if any(name is None for name in names[first:]):
        result.notes.append("more positional arguments than the TF1 signature has: check the call")
        result.needs_check = True
        return
    for position, (arg, name) in enumerate(zip(plain, names)):
        if index_of(args, arg) in removed:
            continue
        if name == "":
            removed.add(index_of(args, arg))
            result.notes.append(f"positional {order[position]} removed (not in TF2)")
        elif name is not None:
            result.edits.append(api_calls.name_positional_edit(arg, name))
            result.notes.append(f"argument {position + 1} passed as {name}=")


def _rename_keyword(index: int, arg: Argument, new: Optional[str], result: Plan, removed: set[int]) -> None:
    if new is None:
        removed.add(index)
        result.notes.append(f"{arg.keyword} removed (not in TF2)")
    elif new != arg.keyword:
        result.edits.append(api_calls.keyword_name_edit(arg, new))
        result.notes.append(f"{arg.keyword}= → {new}=")
