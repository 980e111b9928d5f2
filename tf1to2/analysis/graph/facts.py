"""Facts about the whole module (session names, functions that create variables, the census of session
calls), computed once and only when a scope needs them."""
from __future__ import annotations

import dataclasses
import functools
from typing import Iterator, Optional

import gast

from tf1to2.analysis.graph.apis import (
    DEFAULT_SESSION, GRAPHS, PLACEHOLDERS, SESSIONS, SESSION_WORD, TRAIN_METHODS, api_of, loaded_names,
    string_lines,
)
from tf1to2.analysis.graph.apis import creates_state, function_locals, is_optimizer_api
from tf1to2.analysis.graph.ir import SessionCall
from tf1to2.analysis.module import ModuleContext


@dataclasses.dataclass
class Item:
    node: gast.stmt
    depth: int
    wrapper: bool = False


class ModuleFacts:
    """Module-wide facts, each computed once and only when a scope needs it."""

    def __init__(self, module: ModuleContext) -> None:
        self.module = module
        self.text = module.text
        self._graph_functions: dict[int, bool] = {}
        self._nodes = module.nodes  # the module's one walk, reused by every module-wide fact

    def calls_in(self, node: gast.AST) -> list[gast.Call]:
        """Every call in ``node`` (a node of this module), in ``gast.walk(node)``'s order."""
        return self._calls_under.get(id(node), [])

    @functools.cached_property
    def _calls_under(self) -> dict[int, list[gast.Call]]:
        """id(node) → the calls in its subtree, from the module's one walk instead of a walk per question.

        The module's walk is breadth-first, and restricted to one subtree it is that subtree's own
        breadth-first walk: each node's calls come out in the order ``gast.walk(node)`` gives them.
        """
        parents = self.module.parents
        under: dict[int, list[gast.Call]] = {}
        for node in self._nodes:
            if isinstance(node, gast.Call):
                ancestor: Optional[gast.AST] = node
                while ancestor is not None:
                    under.setdefault(id(ancestor), []).append(node)
                    ancestor = parents.get(id(ancestor))
        return under

    @functools.cached_property
    def protected(self) -> frozenset[int]:
        return string_lines(self.module.text)

    @functools.cached_property
    def calls(self) -> list[gast.Call]:
        return [node for node in self._nodes if isinstance(node, gast.Call)]

    @functools.cached_property
    def session_names(self) -> set[str]:
        return self._session_names()

    @functools.cached_property
    def graph_names(self) -> set[str]:
        return self._graph_object_names()

    @functools.cached_property
    def update_ops_names(self) -> set[str]:
        return {
            t.id for node in self._nodes if isinstance(node, gast.Assign) and self.is_update_ops(node.value)
            for t in node.targets if isinstance(t, gast.Name)
        }

    @functools.cached_property
    def local_classes(self) -> set[str]:
        return {n.name for n in self.module.tree.body if isinstance(n, gast.ClassDef)}

    @functools.cached_property
    def variable_functions(self) -> set[str]:
        return self._variable_functions()

    @functools.cached_property
    def training_classes(self) -> dict[str, gast.AST]:
        return self._training_classes()

    def _training_classes(self) -> dict[str, gast.AST]:
        """Module-level classes with an optimizer or a train op inside (graph code that is not a layer's)."""
        found = {}
        for node in self.module.tree.body:
            if not isinstance(node, gast.ClassDef):
                continue
            for call in self.calls_in(node):
                func = call.func
                if is_optimizer_api(api_of(self.module, func)) or (
                    isinstance(func, gast.Attribute) and func.attr in TRAIN_METHODS + ("compute_gradients",)
                ):
                    found[node.name] = call
                    break
        return found

    def _variable_functions(self) -> set[str]:
        """Module-level functions that create variables, directly or through each other."""
        defs = {n.name: list(self.calls_in(n)) for n in self.module.tree.body
                if isinstance(n, (gast.FunctionDef, gast.AsyncFunctionDef))}
        found = {name for name, calls in defs.items() if any(creates_state(api_of(self.module, c.func)) for c in calls)}
        callees = {name: {c.func.id for c in calls if isinstance(c.func, gast.Name)} for name, calls in defs.items()}
        changed = True
        while changed:
            changed = False
            for name in defs:
                if name not in found and callees[name] & found:
                    found.add(name)
                    changed = True
        return found

    # module-wide facts

    def _session_names(self) -> set[str]:
        names = set()
        for node in self._nodes:
            if isinstance(node, gast.With):
                for item in node.items:
                    if self._is_session_call(item.context_expr) and isinstance(item.optional_vars, gast.Name):
                        names.add(item.optional_vars.id)
            elif isinstance(node, gast.Assign) and self._is_session_call(node.value):
                names.update(t.id for t in node.targets if isinstance(t, gast.Name))
        return names

    def _graph_object_names(self) -> set[str]:
        names = set()
        for node in self._nodes:
            if isinstance(node, gast.Assign) and isinstance(node.value, gast.Call):
                if api_of(self.module, node.value.func) in GRAPHS:
                    names.update(t.id for t in node.targets if isinstance(t, gast.Name))
        return names

    def session_calls(self) -> Iterator[SessionCall]:
        factories = self._session_factories()
        for call in self.calls:
            func = call.func
            if not (isinstance(func, gast.Attribute) and func.attr == "run"):
                continue
            receiver = func.value
            origin = detail = ""
            if isinstance(receiver, gast.Name) and receiver.id in self.session_names:
                origin, detail = "session", receiver.id
            elif isinstance(receiver, gast.Name) and receiver.id in factories:
                origin, detail = "factory", factories[receiver.id]
            elif isinstance(receiver, gast.Call) and api_of(self.module, receiver.func) in DEFAULT_SESSION:
                origin, detail = "default", self.module.snippet(receiver)
            elif isinstance(receiver, gast.Attribute) and SESSION_WORD.search(receiver.attr):
                origin, detail = "attribute", self.module.snippet(receiver)
            elif isinstance(receiver, gast.Name) and SESSION_WORD.search(receiver.id):
                origin, detail = "name", receiver.id
            if not origin:
                continue
            start, end = self.module.span(call)
            line, col = self.module.position(call)
            yield SessionCall(line, col, start, end, self.module.snippet(call), origin, detail)

    def _session_factories(self) -> dict[str, str]:
        """Names bound to sessions made by something else than tf.Session (``self.cached_session()``,
        ``tf.train.MonitoredTrainingSession(...)``, ``sv.managed_session()``)."""
        found = {}
        for node in self._nodes:
            pairs = []
            if isinstance(node, gast.With):
                pairs = [(i.context_expr, i.optional_vars) for i in node.items]
            elif isinstance(node, gast.Assign) and len(node.targets) == 1:
                pairs = [(node.value, node.targets[0])]
            for value, target in pairs:
                if isinstance(value, gast.Call) and isinstance(target, gast.Name) and not self._is_session_call(value):
                    callee = self.module.snippet(value.func)
                    if SESSION_WORD.search(callee.rsplit(".", 1)[-1]):
                        found[target.id] = self.module.snippet(value)
        return found

    def graph_mode_calls(self) -> Iterator[tuple[int, str]]:
        for call in self.calls:
            api = api_of(self.module, call.func)
            if api in ("tf.disable_eager_execution", "tf.disable_v2_behavior"):
                yield call.lineno, api

    def _is_session_call(self, node: gast.AST) -> bool:
        return isinstance(node, gast.Call) and api_of(self.module, node.func) in SESSIONS

    def is_update_ops(self, node: Optional[gast.AST]) -> bool:
        """``tf.get_collection(tf.GraphKeys.UPDATE_OPS)``: the batch-norm statistics updates."""
        return (
            isinstance(node, gast.Call) and api_of(self.module, node.func) == "tf.get_collection" and bool(node.args)
            and api_of(self.module, node.args[0]) == "tf.GraphKeys.UPDATE_OPS"
        )

    def _is_transparent_with(self, node: gast.stmt) -> bool:
        """``with tf.Session() as sess:`` / ``with g.as_default():`` / ``with tf.Graph().as_default():`` /
        ``with tf.control_dependencies(update_ops):`` (Keras layers update their statistics in call)."""
        if not isinstance(node, gast.With) or len(node.items) != 1:
            return False
        expr = node.items[0].context_expr
        if self._is_session_call(expr):
            return True
        if isinstance(expr, gast.Call) and api_of(self.module, expr.func) == "tf.control_dependencies" \
                and len(expr.args) == 1 and not expr.keywords and node.items[0].optional_vars is None:
            dependency = expr.args[0]
            return self.is_update_ops(dependency) or (
                isinstance(dependency, gast.Name) and dependency.id in self.update_ops_names)
        if isinstance(expr, gast.Call) and isinstance(expr.func, gast.Attribute) and expr.func.attr == "as_default":
            target = expr.func.value
            if isinstance(target, gast.Name) and target.id in self.graph_names | self.session_names:
                return True
            if isinstance(target, gast.Call) and api_of(self.module, target.func) in GRAPHS:
                return True
        return False

    # one scope

    def flatten(self, body: list, depth: int) -> Iterator[Item]:
        for node in body:
            if self._is_transparent_with(node):
                yield Item(node, depth, wrapper=True)
                yield from self.flatten(node.body, depth + 1)
            else:
                yield Item(node, depth)

    def is_graph_function(self, node: gast.AST) -> bool:
        """A function that builds its own graph: placeholders, or a session fetching names it binds
        (not a function that only runs the module's graph)."""
        key = id(node)
        if key not in self._graph_functions:
            items = list(self.flatten(node.body, 0))
            self._graph_functions[key] = self._has_placeholders(items) or (
                self.looks_like_graph_scope(items) and self._fetches_own_names(node)
            )
        return self._graph_functions[key]

    def _has_placeholders(self, items: list[Item]) -> bool:
        return any(
            api_of(self.module, call.func) in PLACEHOLDERS
            for item in items if not item.wrapper and not isinstance(item.node, (gast.FunctionDef, gast.ClassDef))
            for call in self.calls_in(item.node)
        )

    def _fetches_own_names(self, node: gast.AST) -> bool:
        local = function_locals(node)
        for call in self.calls_in(node):
            if isinstance(call.func, gast.Attribute) and call.func.attr == "run" and call.args \
                    and isinstance(call.func.value, gast.Name) and call.func.value.id in self.session_names:
                if any(n.id in local for n in loaded_names(call.args[0])):
                    return True
        return False

    def looks_like_graph_scope(self, items: list[Item]) -> bool:
        for item in items:
            if item.wrapper:
                continue
            node = item.node
            if isinstance(node, (gast.FunctionDef, gast.AsyncFunctionDef, gast.ClassDef)):
                continue
            for call in self.calls_in(node):
                if api_of(self.module, call.func) in PLACEHOLDERS + SESSIONS:
                    return True  # placeholders, or a session running graph code built here
        return any(item.wrapper and self._is_session_call(item.node.items[0].context_expr) for item in items)


def walk_outside_graph_scopes(node: gast.AST, analyser: "ModuleFacts") -> Iterator[gast.AST]:
    """``gast.walk`` that does not enter functions which are graph scopes of their own."""
    yield node
    for child in gast.iter_child_nodes(node):
        if isinstance(child, (gast.FunctionDef, gast.AsyncFunctionDef)) and analyser.is_graph_function(child):
            continue
        yield from walk_outside_graph_scopes(child, analyser)


def calls_with_shadowing(node: gast.AST, stack: list, analyser: "ModuleFacts") -> Iterator[tuple[gast.Call, set[str]]]:
    """Every call in ``node`` with the names that nested functions around it bind locally; functions that
    are graph scopes of their own are skipped (their sites are theirs)."""
    shadowed = set().union(*stack) if stack else set()
    if isinstance(node, gast.Call):
        yield node, shadowed
    if isinstance(node, (gast.FunctionDef, gast.AsyncFunctionDef)):
        if analyser.is_graph_function(node):
            return
        stack.append(function_locals(node))
        for child in gast.iter_child_nodes(node):
            yield from calls_with_shadowing(child, stack, analyser)
        stack.pop()
        return
    if isinstance(node, gast.Lambda):
        return
    for child in gast.iter_child_nodes(node):
        yield from calls_with_shadowing(child, stack, analyser)
