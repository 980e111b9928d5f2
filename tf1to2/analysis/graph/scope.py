"""One graph scope: its statements classified in execution order, with the records and sites found."""
from __future__ import annotations

import dataclasses
import sys
from typing import Optional

import gast

from tf1to2.analysis.graph.apis import (
    DECAYS, FILE_WRITER, GRAPHS, GRAPH_LOOKUPS, GRAPH_ONLY, INITIALIZERS, LIBRARIES, PLACEHOLDERS, RANDOM_OPS,
    SAVER, SESSIONS, SUMMARY_OPS, VARIABLE_LISTS, api_of, assigned_value, bind_nodes, computes,
    creates_state, function_locals, is_optimizer_api, line_indent, loaded_names, mutated_names, starts_with,
    stored_names,
)
from tf1to2.analysis.graph.ir import (
    CallRecord, GradientCall, GraphScope, Kind, MOVABLE, Merge, OptimizerCall, Placeholder, Problem, Schedule,
    Site, Statement, SummaryOp, TrainOp, VariableQuery, Wrapper,
)
from tf1to2.analysis.graph.facts import Item, ModuleFacts
from tf1to2.analysis.graph.records import RecordReader
from tf1to2.analysis.graph.sites import SiteFinder


class ScopeBuilder(SiteFinder, RecordReader):
    """Classifies one scope's flattened statements and finds its sites."""

    def __init__(self, analyser: ModuleFacts, kind: str, name: str, line: int, items: list[Item]) -> None:
        self.a = analyser
        self.module = analyser.module
        self.text = analyser.text
        self.kind = kind
        self.name = name
        self.line = line
        self.items = items
        self.statements: list[Statement] = []
        self.placeholders: list[Placeholder] = []
        self.train_ops: list[TrainOp] = []
        self.optimizers: list[tuple[str, OptimizerCall, int]] = []
        self.sites: list[Site] = []
        self.problems: list[Problem] = []
        self.wrappers: list[Wrapper] = []
        self.kinds: dict[str, Kind] = {}  # name → kind of the statement that last bound it
        self.queries: list[VariableQuery] = []
        self.gradients: list[GradientCall] = []
        self.schedules: list[Schedule] = []
        self.feed_key_spans: set[tuple[int, int]] = set()
        self.handled_spans: set[tuple[int, int]] = set()  # other session uses a conversion takes care of
        self.savers: list[CallRecord] = []
        self.writers: list[CallRecord] = []
        self.summaries: list[SummaryOp] = []
        self.merges: list[Merge] = []

    def build(self) -> GraphScope:
        indent = self._indent_of(self.items[0].node)
        for item in self.items:
            if item.wrapper:
                self._wrapper(item)
                continue
            self._statement(item)
        self._nested_sessions()
        self._check_remaining_uses()
        self._check_session_uses()
        for name, call in self.a.training_classes.items():
            if any(name in s.reads for s in self.statements):
                self._problem(call, f"class {name} creates an optimizer or a train op inside (graph code in a "
                                    "layer's method is not converted)")
        return GraphScope(
            kind=self.kind, name=self.name, line=self.line, indent=indent,
            statements=tuple(self.statements), placeholders=tuple(self.placeholders),
            train_ops=tuple(self.train_ops), optimizers=tuple(self.optimizers), sites=tuple(self.sites),
            sessions=tuple(sorted(self.a.session_names)), wrappers=tuple(self.wrappers),
            problems=tuple(self.problems), protected_lines=self.a.protected,
            variable_queries=tuple(self.queries), gradient_calls=tuple(self.gradients),
            schedules=tuple(self.schedules), savers=tuple(self.savers), writers=tuple(self.writers),
            summaries=tuple(self.summaries), merges=tuple(self.merges),
        )

    # positions

    def _indent_of(self, node: gast.AST) -> str:
        return line_indent(self.module, node.lineno)

    def _line_start(self, line: int) -> int:
        return self.module.lines.starts[line - 1]

    def _line_after(self, line: int) -> int:
        starts = self.module.lines.starts
        return starts[line] if line < len(starts) else len(self.text)

    def _own_lines(self, node: gast.stmt) -> bool:
        start, end = self.module.span(node)
        before = self.text[self._line_start(node.lineno):start]
        after = self.text[end:self._line_after(node.end_lineno)].strip()
        return not before.strip() and (not after or after.startswith("#"))

    def _lead(self, node: gast.stmt) -> int:
        line = node.lineno
        lines = self.module.lines
        while line > 1 and lines.line_text(line - 1).strip().startswith("#") and (line - 1) not in self.a.protected:
            line -= 1
        return self._line_start(line)

    def _problem(self, node: gast.AST, message: str) -> None:
        line, col = self.module.position(node)
        self.problems.append(Problem(line, col, message))

    # wrappers

    def _wrapper(self, item: Item) -> None:
        node = item.node
        wrapper = self._wrapper_record(node, statement=len(self.statements))
        binds = ()
        if node.items[0].optional_vars is not None:
            binds = tuple(stored_names(node.items[0].optional_vars))
        self.statements.append(Statement(
            index=len(self.statements), kind=Kind.WRAPPER, line=node.lineno, col=self.module.position(node)[1],
            start=wrapper.start, end=wrapper.body_start, lead=wrapper.start, indent=wrapper.outer, depth=item.depth,
            binds=binds, reads=(),
        ))
        for name in binds:
            self.kinds[name] = Kind.SESSION

    def _wrapper_record(self, node: gast.With, statement: Optional[int] = None, site: Optional[int] = None) -> Wrapper:
        outer = self._indent_of(node)
        inner = self._indent_of(node.body[0])
        start = self._line_start(node.lineno)
        header_end = max(max(i.context_expr.end_lineno, getattr(i.optional_vars, "end_lineno", 0) or 0)
                         for i in node.items)
        if ":" not in self.module.lines.line_text(header_end).split("#")[0]:
            header_end += 1  # ``with (...)`` closed on a line of its own: the colon follows
        body_start = self._line_after(header_end)
        if node.body[0].lineno <= header_end:
            self._problem(node, "the with statement's body is on its header line")
            body_start = self._line_start(node.body[0].lineno)
        if self.a._is_session_call(node.items[0].context_expr):
            self._check_session_args(node.items[0].context_expr)
        wrapper = Wrapper(
            line=node.lineno, col=self.module.position(node)[1], start=start, body_start=body_start,
            body_end=self._line_after(node.body[-1].end_lineno), inner=inner, outer=outer,
            statement=statement, site=site,
        )
        self.wrappers.append(wrapper)
        return wrapper

    def _check_session_args(self, call: gast.Call) -> None:
        for keyword in call.keywords:
            if keyword.arg == "graph":
                continue  # the graph whose as_default block is flattened too
            if keyword.arg == "config":
                continue  # device and threading options have no effect on the values
            self._problem(keyword.value, f"tf.Session({keyword.arg}=...) has no eager equivalent")
        if call.args:
            self._problem(call, "tf.Session(target) (a distributed session) has no eager equivalent")

    # statements

    def _statement(self, item: Item) -> None:
        node = item.node
        index = len(self.statements)
        kind, note = self._classify(node, index)
        if isinstance(node, (gast.FunctionDef, gast.AsyncFunctionDef, gast.ClassDef)):
            binds: tuple[str, ...] = (node.name,)
        else:
            binds = tuple(dict.fromkeys(stored_names(node) + mutated_names(node)))
        if kind is Kind.TENSOR:
            self._graph_containers(binds, index)
        self._train_calls_elsewhere(node, kind)
        reads, nested = self._reads(node)
        start = self._line_start(node.lineno)
        if isinstance(node, (gast.FunctionDef, gast.AsyncFunctionDef, gast.ClassDef)) and node.decorator_list:
            start = self._line_start(node.decorator_list[0].lineno)
        statement = Statement(
            index=index, kind=kind, line=node.lineno, col=self.module.position(node)[1],
            start=start, end=self._line_after(node.end_lineno), lead=self._lead(node),
            indent=self._indent_of(node), depth=item.depth, binds=binds, reads=reads,
            creates_variables=self._creates_variables(node) or self._calls_variable_function(node),
            random=self._random(node),
            own_lines=self._own_lines(node), note=note, nested_reads=nested,
            is_def=isinstance(node, (gast.FunctionDef, gast.AsyncFunctionDef, gast.ClassDef)),
            foreign_calls=self._foreign_calls(node),
            holds_variables=kind is Kind.STATE and (
                self._creates_variables(node) or self._constructs_local_class(node)
            ),
        )
        self.statements.append(statement)
        if kind in (Kind.STATE, Kind.TENSOR):
            self._variable_queries(node, index)
        for name in binds:
            self.kinds[name] = kind
        if kind in MOVABLE and not statement.own_lines:
            self._problem(node, "a graph statement shares its line with another statement")

    def _graph_containers(self, binds: tuple[str, ...], index: int) -> None:
        """``losses = {}`` followed by ``losses[name] = tensor``: the container is graph code too."""
        for name in binds:
            for statement in reversed(self.statements[:index]):
                if name not in statement.binds:
                    continue
                if statement.kind in (Kind.PLAIN, Kind.CONST) and not statement.is_def:
                    self.statements[statement.index] = dataclasses.replace(statement, kind=Kind.TENSOR,
                                                                          note=f"holds graph tensors ({name})")
                break

    def _train_calls_elsewhere(self, node: gast.stmt, kind: Kind) -> None:
        if kind is Kind.TRAIN or isinstance(node, (gast.FunctionDef, gast.AsyncFunctionDef, gast.ClassDef)):
            return
        for call in self.a.calls_in(node):
            if self._train_call(call) is not None:
                self._problem(call, f"{call.func.attr} inside a larger statement (a train op must be assigned "
                                    "to a name on its own) is not converted")
                return

    def _foreign_calls(self, node: gast.stmt) -> tuple[str, ...]:
        """Calls of functions imported from the project's other modules (not TF, numpy or the stdlib)."""
        found = []
        for call in self.a.calls_in(node):
            binding = self.module.imports.root_binding(call.func)
            if binding is None or not isinstance(call.func, (gast.Name, gast.Attribute)):
                continue
            top = binding.target.split(".")[0]
            if top in LIBRARIES or top in sys.stdlib_module_names:
                continue
            found.append(self.module.snippet(call.func))
        return tuple(dict.fromkeys(found))

    def _calls_variable_function(self, node: gast.stmt) -> bool:
        """Calls a function of this module that creates variables (the structure pass left it as is)."""
        if isinstance(node, (gast.FunctionDef, gast.AsyncFunctionDef, gast.ClassDef)):
            return False
        return any(
            isinstance(c.func, gast.Name) and c.func.id in self.a.variable_functions for c in self.a.calls_in(node)
        )

    def _reads(self, node: gast.stmt) -> tuple[tuple[str, ...], tuple[tuple[str, int, int], ...]]:
        """Free names read, and (for later checks) every load with its span."""
        if isinstance(node, (gast.FunctionDef, gast.AsyncFunctionDef)):
            shadowed = function_locals(node)
            loads = [n for stmt in node.body for n in loaded_names(stmt) if n.id not in shadowed]
            loads += [n for d in node.decorator_list + node.args.defaults for n in loaded_names(d)]
        elif isinstance(node, gast.ClassDef):
            loads = []
            for stmt in node.body:
                if isinstance(stmt, (gast.FunctionDef, gast.AsyncFunctionDef)):
                    shadowed = function_locals(stmt)
                    loads += [n for s in stmt.body for n in loaded_names(s) if n.id not in shadowed]
                else:
                    loads += loaded_names(stmt)
        else:
            loads = loaded_names(node)
            # names of nested functions' own locals are not reads of the scope
            for sub in gast.walk(node):
                if isinstance(sub, (gast.FunctionDef, gast.AsyncFunctionDef)):
                    inner = {id(n) for n in loaded_names(sub) if n.id in function_locals(sub)}
                    loads = [n for n in loads if id(n) not in inner]
        names = tuple(dict.fromkeys(n.id for n in loads))
        nested = tuple((n.id, *self.module.span(n)) for n in loads)
        return names, nested

    def _variable_queries(self, node: gast.stmt, index: int) -> None:
        for call in self.a.calls_in(node):
            api = api_of(self.module, call.func)
            if api in ("tf.trainable_variables", "tf.global_variables", "tf.all_variables"):
                start, end = self.module.span(call)
                line, col = self.module.position(call)
                self.queries.append(VariableQuery(index, start, end, line, col, api, not (call.args or call.keywords)))

    def _creates_variables(self, node: gast.stmt) -> bool:
        for call in self.a.calls_in(node):
            api = api_of(self.module, call.func)
            if creates_state(api):
                return True
        return False

    def _random(self, node: gast.stmt) -> bool:
        return any(starts_with(api_of(self.module, c.func), RANDOM_OPS) for c in self.a.calls_in(node))

    def _reaching(self, name: str) -> Optional[Kind]:
        return self.kinds.get(name)

    def _classify(self, node: gast.stmt, index: int) -> tuple[Kind, str]:
        if isinstance(node, (gast.Import, gast.ImportFrom, gast.FunctionDef, gast.AsyncFunctionDef, gast.ClassDef)):
            self._find_sites(node, index)
            return Kind.PLAIN, ""
        if self._find_sites(node, index):
            return Kind.USES, "runs part of the graph"
        value = assigned_value(node)
        call = value if isinstance(value, gast.Call) else None
        api = api_of(self.module, call.func) if call is not None else None
        if api in PLACEHOLDERS:
            return self._placeholder(node, call, api, index)
        if api == SAVER and self._record(self.savers, node, call, api, index):
            return Kind.SAVER, api
        if api == FILE_WRITER and self._record(self.writers, node, call, api, index):
            graph = bind_nodes(call, ("logdir", "graph")).get("graph")
            if graph is not None:
                self.handled_spans.add(self.module.span(graph))  # the graph is not written in TF2
            return Kind.WRITER, api
        if api in SUMMARY_OPS:
            return self._summary(node, call, api, index)
        if api in ("tf.summary.merge_all", "tf.summary.merge"):
            return self._merge(node, call, api, index)
        if api in SESSIONS:
            return Kind.SESSION, "session"
        if api in GRAPHS or api == "tf.reset_default_graph" or self._finalizes_graph(value):
            return Kind.GRAPH, "graph"
        self._graph_only(node)
        if self.a.is_update_ops(value) and isinstance(node, gast.Assign):
            return Kind.UPDATE_OPS, "update ops"
        if self._is_initializer(value):
            return Kind.INIT, "initializer"
        if is_optimizer_api(api):
            self._optimizer(node, call, api, index)
            return Kind.OPTIMIZER, api
        train = self._train_call(value)
        if train is not None:
            return self._train(node, train, index)
        if self._gradient_calls(node, index):
            return Kind.GRADIENTS, "gradients"
        if api in DECAYS and isinstance(node, gast.Assign) and len(node.targets) == 1 \
                and isinstance(node.targets[0], gast.Name):
            start, end = self.module.span(call)
            line, col = self.module.position(call)
            args = tuple((None, self.module.snippet(a)) for a in call.args)
            args += tuple((k.arg, self.module.snippet(k.value)) for k in call.keywords)
            self.schedules.append(Schedule(node.targets[0].id, index, api, args, start, end, line, col))
            return Kind.SCHEDULE, api
        reads = [n.id for n in loaded_names(node)]
        graph_reads = [n for n in reads if self._reaching(n) in MOVABLE + (Kind.SCHEDULE, Kind.SUMMARY, Kind.MERGE)]
        state_reads = [n for n in reads if self._reaching(n) in (Kind.STATE, Kind.OPTIMIZER)]
        tf_calls = [api_of(self.module, c.func) for c in self.a.calls_in(node)]
        if graph_reads and self._is_feed_display(value):
            return Kind.PLAIN, "feed dict"  # {x: batch_x, y: batch_y}, used as feed_dict=
        if graph_reads and isinstance(node, gast.Expr) and isinstance(value, gast.Call) and api is None:
            return Kind.PLAIN, f"uses {graph_reads[0]}"  # print(y), log(y.name): Python using a graph tensor
        if graph_reads:
            return Kind.TENSOR, f"reads {graph_reads[0]}"
        if any(creates_state(a) for a in tf_calls) or self._constructs_local_class(node):
            return Kind.STATE, "creates variables"
        if any(starts_with(a, VARIABLE_LISTS) for a in tf_calls):
            return Kind.STATE, "selects variables"
        if state_reads and not computes(value, self.module):
            return Kind.STATE, "names variables"  # W = layer.kernel, d_vars = [v for v in t_vars if ...]
        if state_reads and isinstance(node, (gast.Assign, gast.AugAssign, gast.AnnAssign, gast.Expr)):
            return Kind.TENSOR, f"computes from {state_reads[0]}"
        if any(a is not None for a in tf_calls):
            return Kind.CONST, "TF call"
        if isinstance(node, gast.Assign) and computes(value, self.module) and any(
            self._reaching(n) is Kind.CONST for n in reads
        ):
            return Kind.CONST, "computes from constants"  # b = a * 3 with a = tf.constant(2)
        return Kind.PLAIN, ""

    def _finalizes_graph(self, value: Optional[gast.AST]) -> bool:
        """``graph.finalize()``, ``tf.get_default_graph().finalize()``, ``sess.graph.finalize()``: nothing
        to freeze in eager code."""
        if not (isinstance(value, gast.Call) and isinstance(value.func, gast.Attribute)
                and value.func.attr == "finalize" and not value.args):
            return False
        graph = value.func.value
        if isinstance(graph, gast.Name) and graph.id in self.a.graph_names:
            return True
        if isinstance(graph, gast.Call) and api_of(self.module, graph.func) == "tf.get_default_graph":
            return True
        if isinstance(graph, gast.Attribute) and graph.attr == "graph" and isinstance(graph.value, gast.Name) \
                and graph.value.id in self.a.session_names:
            self.handled_spans.add(self.module.span(graph))
            return True
        return False

    def _graph_only(self, node: gast.stmt) -> None:
        for call in self.a.calls_in(node):
            api = api_of(self.module, call.func)
            if api in GRAPH_ONLY:
                self._problem(call, f"{api} has no eager counterpart whose intent the conversion can tell")
                return
            if isinstance(call.func, gast.Attribute) and call.func.attr in GRAPH_LOOKUPS:
                self._problem(call, f"{call.func.attr} looks tensors up in a graph; eager code has none")
                return

    def _is_feed_display(self, value: Optional[gast.AST]) -> bool:
        if not isinstance(value, gast.Dict) or not value.keys or any(k is None for k in value.keys):
            return False
        keys_are_placeholders = all(
            isinstance(k, gast.Name) and self._reaching(k.id) is Kind.PLACEHOLDER for k in value.keys
        )
        values_are_data = not any(
            self._reaching(n.id) in MOVABLE for v in value.values for n in loaded_names(v)
        )
        return keys_are_placeholders and values_are_data

    def _constructs_local_class(self, node: gast.stmt) -> bool:
        value = assigned_value(node)
        return (
            isinstance(value, gast.Call) and isinstance(value.func, gast.Name)
            and value.func.id in self.a.local_classes
        )

    def _is_initializer(self, value: Optional[gast.AST]) -> bool:
        if not isinstance(value, gast.Call):
            return False
        api = api_of(self.module, value.func)
        if api in INITIALIZERS:
            return True
        if api == "tf.group" and value.args:
            return all(self._is_initializer(a) or (isinstance(a, gast.Name) and self._reaching(a.id) is Kind.INIT)
                       for a in value.args)
        return False
