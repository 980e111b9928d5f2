"""Session sites of a scope (``sess.run``, ``t.eval``, ``op.run``, ``saver.save``, nested sessions) and the
checks that the graph is used nowhere else (the ``ScopeBuilder``'s part that finds them)."""
from __future__ import annotations

from typing import Iterator, Optional

import gast

from tf1to2.analysis.graph.apis import (
    DEFAULT_SESSION, api_of, bind_nodes, is_alone, loaded_names, mutated_names,
)
from tf1to2.analysis.graph.ir import (
    Fetch, Kind, MOVABLE, Problem, Site, Statement,
)
from tf1to2.analysis.graph.facts import Item, calls_with_shadowing, walk_outside_graph_scopes


class SiteFinder:
    """Finds the sites of a scope; mixed into ``ScopeBuilder``."""

    # sites

    def _find_sites(self, node: gast.stmt, index: int) -> bool:
        found = False
        shadow_stack: list[set[str]] = []
        for call, shadowed in calls_with_shadowing(node, shadow_stack, self.a):
            site = self._site(call, node, index, shadowed)
            if site is not None:
                self.sites.append(site)
                found = True
        return found

    def _site(self, call: gast.Call, statement: gast.stmt, index: int, shadowed: set[str]) -> Optional[Site]:
        func = call.func
        if not isinstance(func, gast.Attribute):
            return None
        receiver = func.value
        receiver_name = receiver.id if isinstance(receiver, gast.Name) else None
        is_session = (
            receiver_name in self.a.session_names
            or (isinstance(receiver, gast.Call) and api_of(self.module, receiver.func) in DEFAULT_SESSION)
        )
        if func.attr == "run" and is_session:
            return self._run_site(call, statement, index, "run", call.args[0] if call.args else None, shadowed)
        if func.attr == "close" and is_session and not call.args:
            return self._simple_site(call, statement, index, "close")
        if func.attr == "run" and self._is_initializer(receiver):
            return self._run_site(call, statement, index, "op_run", receiver, shadowed)  # init_op.run()
        if receiver_name is None or receiver_name in shadowed:
            return None
        kind = self._reaching(receiver_name)
        if kind is Kind.SAVER and func.attr in ("save", "restore"):
            return self._method_site(call, statement, index, func.attr, ("sess", "save_path", "global_step"))
        if kind is Kind.WRITER and func.attr in ("add_summary", "add_graph"):
            return self._method_site(call, statement, index, func.attr, ("summary", "global_step"))
        if func.attr == "eval" and kind in MOVABLE + (Kind.STATE,):
            return self._run_site(call, statement, index, "eval", receiver, shadowed)
        if func.attr == "run" and kind in (Kind.TRAIN, Kind.INIT, Kind.TENSOR):
            return self._run_site(call, statement, index, "op_run", receiver, shadowed)
        return None

    def _simple_site(self, call: gast.Call, statement: gast.stmt, index: int, kind: str) -> Site:
        start, end = self.module.span(call)
        line, col = self.module.position(call)
        inner = self._innermost_statement(statement, call)
        return Site(
            kind=kind, line=line, col=col, start=start, end=end, text=self.module.snippet(call), fetch=None,
            feeds=(), statement=index, alone=is_alone(inner, call),
            stmt_start=self._line_start(inner.lineno), stmt_end=self._line_after(inner.end_lineno),
            sole=self._sole(inner),
        )

    def _method_site(self, call: gast.Call, statement: gast.stmt, index: int, kind: str,
                     params: tuple[str, ...]) -> Site:
        """``saver.save(sess, path, global_step=step)``, ``writer.add_summary(summary, step)``: the
        arguments are kept as (parameter, source text) pairs in ``feeds``."""
        start, end = self.module.span(call)
        line, col = self.module.position(call)
        inner = self._innermost_statement(statement, call)
        bound = bind_nodes(call, params)
        problem = "" if "__star__" not in bound else f"{kind}(*args) is not converted"
        extra = [k for k in bound if k not in params and k != "__star__"]
        ignored = {"write_meta_graph", "write_state", "meta_graph_suffix", "latest_filename", "strip_default_attrs"}
        if [k for k in extra if k not in ignored]:
            problem = problem or f"{kind}({extra[0]}=...) is not converted"
        feeds = tuple((k, self.module.snippet(v)) for k, v in bound.items() if k in params)
        return Site(
            kind=kind, line=line, col=col, start=start, end=end, text=self.module.snippet(call), fetch=None,
            feeds=feeds, statement=index, alone=is_alone(inner, call),
            stmt_start=self._line_start(inner.lineno), stmt_end=self._line_after(inner.end_lineno),
            problem=problem, sole=self._sole(inner),
        )

    def _in_loop(self, node: gast.AST) -> bool:
        parent = self.module.parents.get(id(node))
        while parent is not None:
            if isinstance(parent, (gast.For, gast.While, gast.AsyncFor)):
                return True
            if isinstance(parent, (gast.FunctionDef, gast.AsyncFunctionDef, gast.Module)):
                return False
            parent = self.module.parents.get(id(parent))
        return False

    def _sole(self, statement: gast.stmt) -> bool:
        """The only statement of a block that stays (not the scope's own, flattened sequence)."""
        if any(item.node is statement for item in self.items):
            return False
        parent = self.module.parents.get(id(statement))
        if parent is None:
            return False
        for field in ("body", "orelse", "finalbody", "handlers"):
            block = getattr(parent, field, None)
            if isinstance(block, list) and any(s is statement for s in block):
                return len(block) == 1
        return False

    def _innermost_statement(self, statement: gast.stmt, call: gast.Call) -> gast.stmt:
        best = statement
        for sub in gast.walk(statement):
            if isinstance(sub, gast.stmt) and any(n is call for n in gast.walk(sub)):
                if sub.lineno >= best.lineno and (sub.end_lineno - sub.lineno) <= (best.end_lineno - best.lineno):
                    best = sub
        return best

    def _run_site(self, call, statement, index, kind, fetch_node, shadowed) -> Site:
        start, end = self.module.span(call)
        line, col = self.module.position(call)
        problem = ""
        feeds: tuple[tuple[str, str], ...] = ()
        fetch = self._fetch(fetch_node) if fetch_node is not None else None
        if kind == "run":
            params = ("fetches", "feed_dict", "options", "run_metadata")
        elif kind == "eval":
            params = ("feed_dict", "session")
        else:
            params = ("feed_dict", "session")
        bound = bind_nodes(call, params)
        for extra in ("options", "run_metadata"):
            if extra in bound:
                problem = f"sess.run({extra}=...) has no eager equivalent"
        if fetch is None and kind == "run":
            fetch_value = bound.get("fetches")
            if fetch_value is not None:
                fetch = self._fetch(fetch_value)
            else:
                problem = "sess.run without fetches"
        feed_node = bound.get("feed_dict")
        feed_name, feed_keys = None, ()
        if feed_node is not None:
            feeds, feed_problem = self._feeds(feed_node, index)
            problem = problem or feed_problem
            if isinstance(feed_node, gast.Name) and not feed_problem:
                literal = self._feed_literal(feed_node.id, index)
                feed_name = feed_node.id
                feed_keys = tuple((*self.module.span(k), self.module.snippet(k)) for k in literal.keys)
                self.feed_key_spans.update((a, b) for a, b, _ in feed_keys)
        if "__star__" in bound:
            problem = problem or "sess.run with *args or **kwargs"
        inner = self._innermost_statement(statement, call)
        if fetch is not None:
            shadowed_fetch = [n for leaf in fetch.leaves() for n in leaf.names if n in shadowed]
            if shadowed_fetch:
                problem = problem or f"{shadowed_fetch[0]} is a local name of the function that runs it"
        return Site(
            kind=kind, line=line, col=col, start=start, end=end, text=self.module.snippet(call), fetch=fetch,
            feeds=feeds, statement=index, alone=is_alone(inner, call),
            stmt_start=self._line_start(inner.lineno), stmt_end=self._line_after(inner.end_lineno), problem=problem,
            sole=self._sole(inner), feed_name=feed_name, feed_keys=feed_keys, in_loop=self._in_loop(call),
        )

    def _fetch(self, node: gast.AST) -> Fetch:
        text = self.module.snippet(node)
        if isinstance(node, (gast.List, gast.Tuple)):
            kind = "list" if isinstance(node, gast.List) else "tuple"
            return Fetch(kind, text, tuple(self._fetch(e) for e in node.elts))
        if isinstance(node, gast.Dict) and all(k is not None for k in node.keys):
            return Fetch("dict", text, tuple(self._fetch(v) for v in node.values),
                         keys=tuple(self.module.snippet(k) for k in node.keys))
        names = tuple(dict.fromkeys(n.id for n in loaded_names(node)))
        initializer = self._is_initializer(node) or (
            isinstance(node, gast.Name) and self._reaching(node.id) is Kind.INIT
        )
        return Fetch("leaf", text, names=names, initializer=initializer)

    def _feeds(self, node: gast.AST, index: int) -> tuple[tuple[tuple[str, str], ...], str]:
        if isinstance(node, gast.Name):
            literal = self._feed_literal(node.id, index)
            if literal is None:
                return (), f"feed_dict={node.id} is not a dict display assigned once in this scope"
            node = literal
        if not isinstance(node, gast.Dict) or any(k is None for k in node.keys):
            return (), "feed_dict is not a dict display ({placeholder: value, ...})"
        feeds = tuple((self.module.snippet(k), self.module.snippet(v)) for k, v in zip(node.keys, node.values))
        return feeds, ""

    def _feed_literal(self, name: str, index: int) -> Optional[gast.Dict]:
        found = None
        for item in self.items_without_wrappers():  # a wrapper's body items come on their own
            for sub in gast.walk(item.node):
                if isinstance(sub, gast.Assign) and any(isinstance(t, gast.Name) and t.id == name for t in sub.targets):
                    if found is not None or not isinstance(sub.value, gast.Dict):
                        return None
                    found = sub.value
                elif isinstance(sub, (gast.AugAssign, gast.AnnAssign)) and getattr(sub.target, "id", None) == name:
                    return None
                elif name in mutated_names(sub) and isinstance(sub, gast.stmt):
                    return None
        return found

    # sessions opened inside kept statements (a function, a loop)

    def _nested_sessions(self) -> None:
        flattened = {id(item.node) for item in self.items}
        for statement, item in zip(self._statement_items(), self.items_without_wrappers()):
            for node in walk_outside_graph_scopes(item.node, self.a):
                if node is item.node or id(node) in flattened:
                    continue
                if isinstance(node, gast.With) and self.a._is_transparent_with(node):
                    self._nested_wrapper(node, statement)
                elif isinstance(node, gast.Assign) and self.a._is_session_call(node.value):
                    self.sites.append(self._statement_site(node, statement, "open"))

    def _statement_items(self) -> Iterator[int]:
        for statement in self.statements:
            if statement.kind is not Kind.WRAPPER:
                yield statement.index

    def items_without_wrappers(self) -> Iterator[Item]:
        return (item for item in self.items if not item.wrapper)

    def _nested_wrapper(self, node: gast.With, statement: int) -> None:
        site = len(self.sites)
        self._wrapper_record(node, site=site)
        self.sites.append(self._statement_site(node, statement, "with"))

    def _statement_site(self, node: gast.stmt, statement: int, kind: str) -> Site:
        line, col = self.module.position(node)
        start = self._line_start(node.lineno)
        end = self._line_after(node.end_lineno)
        header_end = end if kind != "with" else self._line_start(node.body[0].lineno)
        return Site(
            kind=kind, line=line, col=col, start=start, end=header_end, text=self.module.snippet(node).split("\n")[0],
            fetch=None, feeds=(), statement=statement, alone=True, stmt_start=start, stmt_end=end,
            sole=self._sole(node),
        )

    # uses of moved names outside the sites

    def _check_remaining_uses(self) -> None:
        moved = {s.index for s in self.statements if s.kind in MOVABLE + (Kind.SCHEDULE, Kind.SUMMARY, Kind.MERGE)}
        site_spans = [(s.start, s.end) for s in self.sites]
        for statement in self.statements:
            if statement.kind in MOVABLE or statement.kind in (
                Kind.INIT, Kind.WRAPPER, Kind.OPTIMIZER, Kind.SUMMARY, Kind.MERGE,
            ):
                continue  # an optimizer's arguments (a fed learning rate) are checked by the plan
            for name, start, end in statement.nested_reads:
                if any(a <= start and end <= b for a, b in site_spans) or (start, end) in self.feed_key_spans:
                    continue
                binder = self._binder(name, statement.index)
                if binder is None or binder.index not in moved:
                    continue
                line = self.module.lines.line_of(start)
                self.problems.append(Problem(
                    line, start - self.module.lines.starts[line - 1],
                    f"{name} (a graph tensor) is used outside sess.run; eager code has no symbolic tensors",
                ))

    def _check_session_uses(self) -> None:
        """The session goes away: any other use of it (``sess.graph``, passing it on) keeps graph mode."""
        spans = [(s.start, s.end) for s in self.sites] + [(w.start, w.body_start) for w in self.wrappers]
        spans += list(self.handled_spans)
        for item in self.items_without_wrappers():
            for node in walk_outside_graph_scopes(item.node, self.a):
                if not (isinstance(node, gast.Name) and isinstance(node.ctx, gast.Load)):
                    continue
                if node.id not in self.a.session_names:
                    continue
                start, end = self.module.span(node)
                if any(a <= start and end <= b for a, b in spans):
                    continue
                line, col = self.module.position(node)
                self.problems.append(Problem(line, col, f"the session {node.id} is used for more than running the "
                                                        "graph (passed on, or its graph read)"))
                return

    def _binder(self, name: str, before: int) -> Optional[Statement]:
        for statement in reversed(self.statements[:before]):
            if name in statement.binds:
                return statement
        # a def may run after the whole graph is built: look at every binding in the scope
        for statement in reversed(self.statements):
            if name in statement.binds and statement.kind in MOVABLE:
                return statement
        return None
