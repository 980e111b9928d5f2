"""Plan for module-level TF1 layer calls: which call becomes which Keras instance, under which TF1 name.

Shared by the ``layers_*`` rules (not a rule itself). It walks the statements that run once, top to
bottom — the module body and the bodies of module-level ``with`` blocks — keeping TF1's variable-scope
state: the scope path, its reuse mode and the names opened in it (``catalog.names.ScopeNames``), so
an unnamed ``tf.layers.dense`` is planned under the name TF1 gives it (``dense_1``) and a reusing call
under an existing path uses the instance already planned. Everything is positions and text.
"""
from __future__ import annotations

import ast
import dataclasses
import keyword
import re
from typing import Iterator, Optional

from tf1to2.analysis.syntax import Call, ModuleIR, Stmt
from tf1to2.catalog import layers
from tf1to2.catalog.args import Argument, bind, literal
from tf1to2.catalog.names import ScopeNames
from tf1to2.catalog.records import KerasLayer, Role

_VARIABLE_CREATORS = ("tf.get_variable", "tf.Variable")
_REPEATS = {"tf.contrib.slim.repeat": "Repeat", "tf.contrib.layers.repeat": "Repeat",
            "tf.contrib.slim.stack": "Stack", "tf.contrib.layers.stack": "Stack"}
_ARG_SCOPES = ("tf.contrib.slim.arg_scope", "tf.contrib.framework.arg_scope")
_RUNS_MANY_TIMES = {"for": "a loop", "while": "a loop"}
_RUNS_MAYBE = {"if": "a branch", "try": "a try block"}


@dataclasses.dataclass(frozen=True)
class Planned:
    """One TF1 layer call: the Keras layer, the instance that replaces it, or why it stays."""

    call: Call
    stmt: Stmt
    api: str
    tf1_path: Optional[str] = None  # ``block/dense_1``: the TF1 scope holding the layer's variables
    variable: Optional[str] = None  # the Python name of the Keras instance
    layer: Optional[KerasLayer] = None
    normalizer_variable: Optional[str] = None
    creates: bool = True  # False: reuses the instance an earlier call created
    scope_defaults: tuple[tuple[str, str], ...] = ()  # slim.arg_scope keywords added to the call's own
    repeat: tuple[int, int] = ()  # (index, count) of a layer of ``slim.repeat`` / ``slim.stack`` ``call``
    reason: str = ""  # set when the call is not converted

    @property
    def converted(self) -> bool:
        return not self.reason


@dataclasses.dataclass
class _Scope:
    path: str  # "" at the top, "block/" inside variable_scope("block")
    names: ScopeNames
    reuse: bool = False
    known: bool = True  # False inside a scope whose name is computed
    counting: bool = True  # False once layers were created a run-time number of times
    defaults: dict = dataclasses.field(default_factory=dict)  # slim.arg_scope: layer API → {keyword: text}
    defaults_known: bool = True  # False inside an arg_scope the plan cannot read


class Planner:
    def __init__(self, ir: ModuleIR, taken: set[str], resolve, tf: str = "tf") -> None:
        self.ir = ir
        self.tf = tf
        self.taken = set(taken)
        self.resolve = resolve
        self.instances: dict[str, str] = {}  # TF1 path → instance variable
        self.planned: list[Planned] = []
        self.dicts = _single_dict_assignments(ir)

    def plan(self) -> list[Planned]:
        self._body(self.ir.body, _Scope("", ScopeNames()))
        return self.planned

    def _body(self, body: tuple[Stmt, ...], scope: _Scope) -> None:
        for stmt in body:
            if stmt.kind in ("def", "class"):
                continue  # functions are the variable-graph converter's (or stay compat.v1)
            if stmt.kind == "with":
                self._with(stmt, scope)
            elif stmt.kind == "if" and _is_main_guard(stmt):
                self._body(stmt.body, scope)  # a script's main block runs once, like the module body
                self._refuse_all(stmt.orelse, scope, "a branch")
            elif stmt.kind in _RUNS_MANY_TIMES or stmt.kind in _RUNS_MAYBE:
                self._refuse_all((stmt,), scope, _RUNS_MANY_TIMES.get(stmt.kind) or _RUNS_MAYBE[stmt.kind])
            else:
                for call in sorted(_layer_calls(stmt), key=lambda c: (c.end, c.start)):
                    self._call(call, stmt, scope)
                for call in stmt.calls():
                    if call.tf_name in _REPEATS:
                        self._repeat(call, stmt, scope)

    def _refuse_all(self, body: tuple[Stmt, ...], scope: _Scope, where: str) -> None:
        for stmt in body:
            for inner in stmt.walk():
                for call in _layer_calls(inner):
                    scope.counting = False
                    self._refuse(call, inner, f"it runs inside {where}: TF1 creates a layer each time it runs")

    def _with(self, stmt: Stmt, scope: _Scope) -> None:
        inner = scope
        creators = any(c.tf_name in _VARIABLE_CREATORS for s in stmt.walk() for c in s.calls())
        if creators:
            return  # get_variable / tf.Variable blocks belong to the variable-graph converter
        for item in stmt.with_items:
            call = item.expr.calls[0] if item.expr.kind == "call" else None
            if call is not None and call.tf_name == "tf.variable_scope":
                inner = _open(call, inner)
            elif call is not None and call.tf_name in _ARG_SCOPES:
                inner = self._arg_scope(call, inner)
        self._body(stmt.body, inner)

    def _arg_scope(self, call: Call, outer: _Scope) -> _Scope:
        """``slim.arg_scope([slim.conv2d, ...], padding='VALID')``: defaults for the calls inside."""
        listed = call.positional[0].value if call.positional else None
        elements = _list_elements(listed.text) if listed is not None else None
        apis = [layers.lookup(self.resolve(text)) for text in elements or ()]
        if not elements or any(record is None for record in apis) or call.has_star_args:
            return dataclasses.replace(outer, defaults_known=False)
        defaults = {api: dict(values) for api, values in outer.defaults.items()}
        for record in apis:
            defaults.setdefault(record.api, {}).update({a.keyword: a.value.text for a in call.args if a.keyword})
        return dataclasses.replace(outer, defaults=defaults)

    def _call(self, call: Call, stmt: Stmt, scope: _Scope) -> None:
        record = layers.lookup(call.tf_name)
        if record is None or record.is_class:
            return
        arguments = self._arguments(call, record, scope)
        layer = layers.keras_constructor(record, arguments, tf=self.tf, resolve=self.resolve)
        # TF1 names the layer whether or not it converts: count first, so later default names stay right.
        name = _tf1_name(call, record, layer, scope)
        if layer.unmapped:
            reasons = "; ".join(f"{u.param}: {u.reason}" for u in layer.unmapped)
            return self._refuse(call, stmt, reasons)
        if layer.inputs is None or not _inputs_arg(call, record):
            return self._refuse(call, stmt, "its input is not a plain argument")
        if not scope.known:
            return self._refuse(call, stmt, "it is inside a variable_scope whose name is computed at run time")
        if not scope.defaults_known:
            return self._refuse(call, stmt, "it is inside a slim.arg_scope whose defaults cannot be read here")
        if name is _UNKNOWN:
            return self._refuse(call, stmt, "an earlier layer call in a loop or branch makes its TF1 default name "
                                            "unknowable (give it a name)")
        if isinstance(name, str) and "/" in name:
            return self._refuse(call, stmt, f"Keras layer names cannot contain '/' ({name})")
        path = f"{scope.path}{name}" if name else None
        # Weightless layers hold nothing to share: every call gets its own instance.
        if path is not None and record.weights and path in self.instances:
            if not (scope.reuse or _reuses(call)):
                return self._refuse(call, stmt, f"TF1 raises here: {path} already exists and reuse is off")
            self.planned.append(Planned(call, stmt, record.api, path, self.instances[path], layer, creates=False))
            return
        if name is not None:
            layer = layers.keras_constructor(record, arguments, tf=self.tf, resolve=self.resolve,
                                             name=_python_string(name))
        variable = self._variable(path or record.default_name or record.keras_class)
        normalizer = None
        if layer.normalizer is not None:
            normalizer = self._variable(f"{path or variable}/{layer.normalizer.record.default_name}")
        if path is not None and record.weights:
            self.instances[path] = variable
        added = tuple((a.keyword, a.text) for a in arguments[len(call.args):])
        self.planned.append(Planned(call, stmt, record.api, path, variable, layer, normalizer, scope_defaults=added))

    def _repeat(self, call: Call, stmt: Stmt, scope: _Scope) -> None:
        """``slim.repeat(x, 2, slim.conv2d, 64, [3, 3], scope="conv1")`` / ``slim.stack(x, slim.fully_connected,
        [32, 64], scope="fc")``: TF1 opens scope ``conv1`` and names the layers ``conv1_1``, ``conv1_2``."""
        kind = _REPEATS[call.tf_name]
        refuse = lambda reason: self.planned.append(Planned(call, stmt, call.tf_name, reason=reason))  # noqa: E731
        positional, keywords = call.positional, {a.keyword: a.value.text for a in call.args if a.keyword}
        fixed = 2 if kind == "Stack" else 3
        if call.has_star_args or len(positional) < fixed:
            return refuse("its arguments cannot be read here")
        layer_text = positional[fixed - 1 if kind == "Repeat" else 1].value.text
        record = layers.lookup(self.resolve(layer_text))
        if record is None or record.is_class:
            return refuse(f"{layer_text} is not a layer function the converter knows")
        if kind == "Repeat":
            count = literal(positional[1].value.text)
            if not isinstance(count, int) or isinstance(count, bool) or count < 1:
                return refuse("the number of repetitions is not a literal")
            rest = [Argument(None, a.value.text) for a in positional[3:]]
            layer_args = [rest] * count
        else:
            if len(positional) != 3:
                return refuse("its arguments cannot be read here")
            elements = _list_elements(positional[2].value.text)
            if not elements:
                return refuse("the stack arguments are not a literal list")
            layer_args = [[Argument(None, text) for text in (_list_elements(e) or [e])] for e in elements]
        base = literal(keywords.pop("scope", "None"))
        if (base is not None and (not isinstance(base, str) or "/" in base)) or not scope.known \
                or not scope.defaults_known or not scope.counting:
            return refuse("its scope is not a literal name, or an enclosing scope cannot be followed")
        # Without a scope TF1 opens "Repeat" / "Stack" (uniquified) and names the layers after the function.
        outer = scope.names.opened(base) if base is not None else scope.names.default(kind)
        base = base if base is not None else _function_name(record.api)
        for index, args in enumerate(layer_args):
            name = f"{base}_{index + 1}"
            arguments = [Argument(None, positional[0].value.text), *args]
            arguments += [Argument(k, self.dicts.get(v, v)) for k, v in keywords.items()]
            arguments.append(Argument(_name_param(record), _python_string(name)))
            bound = bind(record.parameter_names, arguments)
            added = [(k, v) for k, v in scope.defaults.get(record.api, {}).items() if k not in bound]
            arguments += [Argument(k, self.dicts.get(v, v)) for k, v in added]
            layer = layers.keras_constructor(record, arguments, tf=self.tf, resolve=self.resolve)
            if layer.unmapped:
                return refuse("; ".join(f"{u.param}: {u.reason}" for u in layer.unmapped))
            path = f"{scope.path}{outer}/{name}"
            variable = self._variable(path)
            normalizer = None
            if layer.normalizer is not None:
                normalizer = self._variable(f"{path}/{layer.normalizer.record.default_name}")
            self.planned.append(Planned(call, stmt, record.api, path, variable, layer, normalizer,
                                        scope_defaults=tuple(added), repeat=(index, len(layer_args))))

    def _arguments(self, call: Call, record, scope: _Scope) -> list[Argument]:
        """The call's arguments, arg_scope defaults added, dict-valued module names spelled out."""
        arguments = [Argument(a.keyword, self.dicts.get(a.value.text, a.value.text), a.star) for a in call.args]
        bound = bind(record.parameter_names, arguments)
        for keyword, text in scope.defaults.get(record.api, {}).items():
            if keyword not in bound:
                arguments.append(Argument(keyword, self.dicts.get(text, text)))
        return arguments

    def _refuse(self, call: Call, stmt: Stmt, reason: str) -> None:
        record = layers.lookup(call.tf_name)
        if record is not None and not record.is_class:
            self.planned.append(Planned(call, stmt, record.api, reason=reason))

    def _variable(self, path: str) -> str:
        base = re.sub(r"[^0-9a-zA-Z_]+", "_", path).strip("_")
        base = re.sub(r"(?<=[a-z0-9])(?=[A-Z][a-z])|(?<=[a-z])(?=[A-Z])", "_", base).lower() or "layer"
        if base[0].isdigit() or keyword.iskeyword(base):
            base = f"layer_{base}"
        name, number = base, 1
        while name in self.taken:
            name, number = f"{base}_{number}", number + 1
        self.taken.add(name)
        return name


_CONTRIB_FUNCTIONS = {"conv1d": "convolution1d", "conv2d": "convolution2d", "conv3d": "convolution3d",
                      "conv2d_transpose": "convolution2d_transpose"}


def _function_name(api: str) -> str:
    """``__name__`` of the TF1 layer function: contrib's ``conv2d`` is ``convolution2d``."""
    short = api.rsplit(".", 1)[-1]
    return _CONTRIB_FUNCTIONS.get(short, short) if api.startswith("tf.contrib.") else short


def _name_param(record) -> str:
    """The TF1 parameter naming the layer's scope (``name`` for tf.layers, ``scope`` for contrib / Slim)."""
    return next(p.tf1 for p in record.params if p.role is Role.NAME)


def _is_main_guard(stmt: Stmt) -> bool:
    """``if __name__ == "__main__":``"""
    return stmt.test is not None and re.fullmatch(
        r"""__name__\s*==\s*['"]__main__['"]|['"]__main__['"]\s*==\s*__name__""", stmt.test.text.strip()
    ) is not None


def _single_dict_assignments(ir: ModuleIR) -> dict[str, str]:
    """Module names assigned exactly once, to a dict display (``bn_params = {...}``): name → its text."""
    assignments: dict[str, list] = {}
    for stmt in ir.walk():
        for target in stmt.targets:
            assignments.setdefault(target, []).append(stmt)
    return {
        name: stmts[0].value.text
        for name, stmts in assignments.items()
        if len(stmts) == 1 and stmts[0].kind == "assign" and stmts[0].value is not None
        and (stmts[0].value.kind == "dict" or stmts[0].value.text.startswith("dict(")) and stmts[0] in ir.body
    }


def _list_elements(text: str) -> Optional[list[str]]:
    """The element texts of a list or tuple display, or None."""
    try:
        node = ast.parse(text.strip(), mode="eval").body
    except SyntaxError:
        return None
    if not isinstance(node, (ast.List, ast.Tuple)):
        return None
    return [ast.get_source_segment(text.strip(), element) or "" for element in node.elts]


def _layer_calls(stmt: Stmt) -> Iterator[Call]:
    for call in stmt.calls():
        if layers.lookup(call.tf_name) is not None:
            yield call


def _open(call: Call, outer: _Scope) -> _Scope:
    """The scope state inside ``with tf.variable_scope(...)``."""
    name_arg = call.keyword("name_or_scope") or (call.positional[0] if call.positional else None)
    default_arg = call.keyword("default_name") or (call.positional[1] if len(call.positional) > 1 else None)
    reuse_arg = call.keyword("reuse")
    reuse = outer.reuse
    if reuse_arg is not None:
        reuse = reuse_arg.value.tf_name == "tf.AUTO_REUSE" or literal(reuse_arg.value.text) is True
    name = literal(name_arg.value.text) if name_arg else None
    if isinstance(name, str) and outer.known:
        outer.names.opened(name)
        return _Scope(f"{outer.path}{name}/", ScopeNames(), reuse)
    default = literal(default_arg.value.text) if default_arg else None
    if name is None and isinstance(default, str) and outer.known:
        return _Scope(f"{outer.path}{outer.names.default(default)}/", ScopeNames(), reuse)
    return _Scope(outer.path, ScopeNames(), reuse, known=False)


_UNKNOWN = "<unknown>"


def _tf1_name(call: Call, record, layer: KerasLayer, scope: _Scope) -> Optional[str]:
    """The scope name TF1 gives the layer; None when it opens no variable scope or the name is computed."""
    if layer.name is not None:
        value = literal(layer.name)
        if not isinstance(value, str):
            return None
        return scope.names.opened(value) if record.variable_scope else value
    if record.default_name is None or not record.variable_scope:
        return None
    if not scope.counting:
        return _UNKNOWN
    if _reuses(call) and record.api.startswith("tf.layers."):
        return scope.names.reused(record.default_name)
    return scope.names.default(record.default_name)


def _reuses(call: Call) -> bool:
    arg = call.keyword("reuse")
    return arg is not None and (arg.value.tf_name == "tf.AUTO_REUSE" or literal(arg.value.text) is True)


def _inputs_arg(call: Call, record):
    """The argument holding the layer's input tensor (the first positional or its keyword)."""
    name = record.params[0].tf1
    return call.keyword(name) or next((a for a in call.args if a.keyword is None and not a.star), None)


def inputs_span(call: Call, record) -> tuple[int, int]:
    arg = _inputs_arg(call, record)
    return arg.value.start, arg.value.end


def _python_string(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
