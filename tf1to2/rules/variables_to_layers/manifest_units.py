"""Manifest entries (``tf1to2.manifest.Unit``) for converted classes.

Every TF1 variable a unit holds is listed with its attribute path from the unit instance: its own
weights (``w``, ``weights_['h1']``), its sublayers' (``fc1.w``), lists of sublayers (``h[0].attn.w``).
TF1 names are those the unit's ``Example`` creates: for a function, the scope its example call gives
(``fc1/w``); for module-level code, the module's own scopes (``my_layer/weights``). When a list's length
is not known statically, one entry stands for every element: ``{i}`` in both the TF1 name and the
attribute, named by ``Weight.repeat``.
"""
from __future__ import annotations

import dataclasses
from typing import Optional

from tf1to2.analysis.module import ModuleContext
from tf1to2.analysis.syntax import MISSING, Call
from tf1to2.manifest import Example, TensorSpec, Unit, Weight
from tf1to2.rules.variables_to_layers import names
from tf1to2.rules.variables_to_layers.blocks import BlockUnit, _application_line
from tf1to2.rules.variables_to_layers.model import ClassPlan, SublayerPlan, WeightPlan
from tf1to2.rules.variables_to_layers.plan import FunctionUnit, ModulePlan
from tf1to2.rules.variables_to_layers.signature import CONFIG, TENSOR, bind, constructor_arguments
from tf1to2.rules.variables_to_layers import shapes as shapes_mod
from tf1to2.rules.variables_to_layers.dataflow import Body, Unsupported, is_shape_helper
from tf1to2.rules.variables_to_layers.method_examples import method_block_example, method_env


class Builder:
    def __init__(self, module: ModuleContext, plan: ModulePlan) -> None:
        self.module = module
        self.plan = plan
        self.by_function = {u.signature.function: u for u in plan.functions}
        self.placeholders = _module_placeholders(plan)

    # -- units ---------------------------------------------------------------------------------------
    def function_units(self, unit: FunctionUnit) -> tuple[Unit, ...]:
        example, scope, call = self._function_example(unit)
        prefix = scope if scope is not None else unit.plan.default_scope
        env, shapes = self._example_env(unit, call)
        weights = self._weights(unit.plan, prefix, "", env=env, shapes=shapes, function=unit.signature.function)
        return (
            Unit(
                kind="layer",
                source=unit.signature.function,
                line=unit.plan.line,
                class_name=unit.plan.class_name,
                init_params=tuple(p.name for p in unit.signature.of(CONFIG)) + ("name",),
                call_params=tuple(p.name if p.name != unit.signature.training else "training"
                                  for p in unit.signature.of(TENSOR)),
                weights=tuple(weights),
                example=example,
            ),
        )

    def block_units(self, block: BlockUnit) -> tuple[Unit, ...]:
        weights: list[Weight] = []
        constants = self._module_constants()
        for foreign in block.foreign:
            other = next((b for b in self.plan.blocks if b.variable == foreign), None)
            if other is not None:
                weights.extend(self._weights(other.plan, other.scope, f"{foreign}.", env=constants))
        env = method_env(self.plan.graph, block) if block.context != "<module>" else None
        weights.extend(self._weights(block.plan, block.scope, "", env=constants if env is None else env))
        return (
            Unit(
                kind="model",
                source="<module>",
                line=block.line,
                class_name=block.plan.class_name,
                init_params=tuple(block.foreign),
                call_params=tuple(block.applications[0].inputs) if block.applications and not block.weights_only else (),
                weights=tuple(weights),
                example=self._block_example(block),
            ),
        )

    def class_units(self, unit) -> tuple[Unit, ...]:
        """A class that became a layer: its weights, and an example from a module-level instance."""
        weights = []
        example, scope, env = self._class_example(unit)
        for weight in unit.weights:
            shape = shapes_mod.evaluate_shape(text_of_argument(weight.spec, "shape"), env, {})
            weights.append(
                Weight(
                    tf1_name=_join(scope, weight.tf1_name),
                    attribute=weight.attr,
                    shape=shape,
                    dtype=weight.spec.dtype,
                    trainable=weight.spec.trainable,
                    initializer=weight.spec.initializer or None,
                )
            )
        init = self.plan.graph.contexts.get(f"{unit.name}.__init__")
        init_params = tuple(p.name for p in init.stmt.params[1:]) if init is not None else ()
        return (
            Unit(kind="layer", source=unit.name, line=unit.line, class_name=unit.name, init_params=init_params,
                 call_params=(), weights=tuple(weights), example=example),
        )

    def _class_example(self, unit) -> tuple[Optional[Example], Optional[str], dict]:
        """``model = C(784, 10)`` then ``y = model(x)`` (or ``model.method(x)``) with x a placeholder.

        Also the scope and configuration that instance gives (for the TF1 names and shapes).
        """
        graph = self.plan.graph
        init = graph.contexts[f"{unit.name}.__init__"].stmt
        params = [p for p in init.params[1:]]
        env = dict(self._module_constants())
        for param in params:
            if param.default is not None and param.default.literal is not MISSING:
                env[param.name] = param.default.literal
        instances = {}
        for stmt in graph.module.body:
            if stmt.kind == "assign" and len(stmt.targets) == 1 and stmt.value is not None and stmt.value.kind == "call":
                call = stmt.value.calls[0]
                if call.callee == unit.name and all(a.value.literal is not MISSING for a in call.args):
                    instances[stmt.targets[0]] = call
        for stmt in graph.module.body:
            if stmt.kind != "assign" or stmt.value is None or stmt.value.kind != "call":
                continue
            call = stmt.value.calls[0]
            owner = call.callee or call.method_of
            if owner not in instances or any(a.keyword or a.star for a in call.args):
                continue
            method = None if call.callee else call.method
            if method is not None and method not in unit.methods:
                continue
            if any(a.value.kind != "name" or a.value.name not in self.placeholders for a in call.args):
                continue
            inputs = []
            for arg in call.args:
                shape, dtype = self.placeholders[arg.value.name]
                if shape is None:
                    break
                inputs.append(TensorSpec(arg.value.name, shape, dtype))
            else:
                created = instances[owner]
                construct = _call_text(created)
                names_ = ", ".join(a.value.name for a in call.args)
                target = "" if method is None else f".{'call' if method == '__call__' else method}"
                original = f"{construct}{'' if method is None else '.' + method}({names_})"
                for index, arg in enumerate(created.args):
                    param = next((p for p in params if p.name == arg.keyword), None) if arg.keyword else (
                        params[index] if index < len(params) else None)
                    if param is not None:
                        env[param.name] = arg.value.literal
                scope = env.get(unit.scope_param, unit.scope) if unit.scope_param else unit.scope
                example = Example(inputs=tuple(inputs), original=original, construct=construct, call=f"unit{target}({names_})")
                return example, scope, env
        return None, unit.scope, env

    def instance_weights(self, instance) -> list[Weight]:
        """The TF1 variables a module-level instance of a converted function holds, reached from the module."""
        unit = self.by_function[instance.function]
        prefix = instance.scope_name if instance.scope_name is not None else unit.plan.default_scope
        env, shapes = self._example_env(unit, instance.uses[0].call)
        return self._weights(
            unit.plan, prefix or None, f"{instance.variable}.", env=env, shapes=shapes, function=unit.signature.function
        )

    def block_weights(self, block) -> list[Weight]:
        """The TF1 variables a module-level block's layer holds itself, reached from the module."""
        own = self._weights(block.plan, block.scope, "", env=self._module_constants())
        return [dataclasses.replace(w, attribute=f"{block.variable}.{w.attribute}") for w in own]

    # -- weights -------------------------------------------------------------------------------------
    def _weights(
        self, plan: ClassPlan, prefix: Optional[str], path: str, repeat: Optional[str] = None,
        env: Optional[dict] = None, shapes: Optional[dict] = None, function: Optional[str] = None,
    ) -> list[Weight]:
        out: list[Weight] = []
        env, shapes = dict(env or {}), dict(shapes or {})
        for weight in sorted(plan.weights, key=lambda w: w.order):
            shape = self._shape(weight, env, shapes, function)
            made = self._weight(weight, prefix, path, repeat, env)
            out.extend(dataclasses.replace(w, shape=shape) for w in (made if isinstance(made, list) else [made]))
        for sub in sorted(plan.sublayers, key=lambda s: s.order):
            out.extend(self._sublayer_weights(sub, prefix, path, repeat, env, function))
        return out

    def _shape(self, weight: WeightPlan, env: dict, shapes: dict, function: Optional[str]) -> Optional[tuple]:
        """The weight's shape evaluated with the example's configuration (None where unknown)."""
        site = next((v for v in self.plan.graph.variables if v.call.start == weight.order), None)
        shape_text = dict(weight.arguments).get("shape", "")
        if site is None or not shape_text:
            return None
        local = dict(env)
        if function is not None and function in self.plan.graph.functions:
            stmt = self.plan.graph.functions[function]
            body = Body(stmt.body, [p.name for p in stmt.params], self._helpers())
            try:
                needs = body.needs([e for e in site.args.values()], site.call.start)
            except Unsupported:
                needs = None
            for dependency in needs.statements if needs else []:
                if len(dependency.targets) == 1 and dependency.value is not None and dependency.target_exprs[0].kind == "name":
                    try:
                        local[dependency.targets[0]] = shapes_mod.evaluate(dependency.value.text, local, shapes, self._helpers())
                    except shapes_mod.NotStatic:
                        pass
        shape_expr = site.arg("shape")
        text = shape_expr.text if site.kind == "get_variable" and shape_expr is not None else shape_text
        if text.endswith(".shape"):
            return initial_value_shape(site, local)
        return shapes_mod.evaluate_shape(text, local, shapes, self._helpers())

    def _helpers(self) -> set[str]:
        return {name for name, stmt in self.plan.graph.functions.items() if is_shape_helper(stmt)}

    def _module_constants(self) -> dict:
        constants: dict = {}
        for stmt in self.plan.graph.module.body:
            if stmt.kind == "assign" and len(stmt.targets) == 1 and stmt.value is not None and stmt.value.literal is not MISSING:
                constants[stmt.targets[0]] = stmt.value.literal
        return constants

    def _example_env(self, unit: FunctionUnit, call: Optional[Call]) -> tuple[dict, dict]:
        env: dict = dict(self._module_constants())
        shapes: dict = {}
        for param in unit.signature.params:
            if param.default is not None and param.default.literal is not MISSING:
                env[param.name] = param.default.literal
        if call is None:
            return env, shapes
        bound = bind(unit.signature, call)
        for name, arg in bound.args.items():
            if unit.signature.roles.get(name) == TENSOR and arg.value.name in self.placeholders:
                shapes[name] = self.placeholders[arg.value.name][0]
            elif arg.value.literal is not MISSING:
                env[name] = arg.value.literal
            else:
                try:
                    env[name] = shapes_mod.evaluate(arg.value.text, self._module_constants(), {})
                except shapes_mod.NotStatic:
                    pass
        return env, shapes

    def _weight(self, weight: WeightPlan, prefix: Optional[str], path: str, repeat: Optional[str], env: dict) -> Weight:
        known = {k: ("const", v) for k, v in env.items() if isinstance(v, (str, int)) and not isinstance(v, bool)}
        relative = "/".join(names.describe(names.substitute(c, known)) for c in weight.key if c[0] != "unique")
        tf1 = _join(prefix, relative)
        attribute = path + weight.attr
        if weight.loop is not None:
            tf1, attribute, repeat = _repeated(tf1, attribute, weight.loop, repeat)
            values = _loop_values(weight.loop, env)
            if values is not None:
                return [
                    Weight(_fill(tf1, weight.loop.index, v), _fill_attribute(attribute, weight.loop, v),
                           weight.shape, weight.dtype, weight.trainable, weight.initializer or None,
                           repeat=_without(repeat, weight.loop.index))
                    for v in values
                ]
        return Weight(
            tf1_name=tf1,
            attribute=attribute,
            shape=weight.shape,
            dtype=weight.dtype,
            trainable=weight.trainable,
            initializer=weight.initializer or None,
            repeat=repeat,
        )

    def _sublayer_weights(
        self, sub: SublayerPlan, prefix: Optional[str], path: str, repeat: Optional[str], env: dict, function: Optional[str]
    ) -> list[Weight]:
        if sub.keras is not None:
            # A TF1 layer call's Keras layer: its variables under the scope TF1 opened for it.
            scope = _join(prefix, sub.scope_name)
            return [Weight(tf1_name=f"{scope}/{tf1}", attribute=f"{path}{sub.attr}.{keras}", shape=None,
                           trainable=keras not in ("moving_mean", "moving_variance"), repeat=repeat)
                    for tf1, keras in sub.keras_weights] if sub.scope_name is not None else []
        callee = self.by_function.get(sub.unit)
        if callee is None:
            return []
        child_env = self._child_env(sub, callee, env, function)
        scope = sub.scope_name
        if scope is None:
            scope = callee.plan.default_scope
        attribute = f"{path}{sub.attr}"
        if sub.loop is not None:
            scope, attribute, repeat = _repeated(_join(prefix, scope), attribute, sub.loop, repeat)
            values = _loop_values(sub.loop, env)
            if values is None:
                return self._weights(callee.plan, scope, attribute + ".", repeat, env=child_env, function=sub.unit)
            # The list's length is known from the configuration: one entry per element.
            out = []
            for value in values:
                element_env = self._child_env(sub, callee, {**env, sub.loop.index: value}, function)
                out.extend(self._weights(
                    callee.plan, _fill(scope, sub.loop.index, value), _fill_attribute(attribute, sub.loop, value) + ".",
                    _without(repeat, sub.loop.index), env=element_env, function=sub.unit,
                ))
            return out
        return self._weights(callee.plan, _join(prefix, scope), attribute + ".", repeat, env=child_env, function=sub.unit)

    def _child_env(self, sub: SublayerPlan, callee: FunctionUnit, env: dict, function: Optional[str]) -> dict:
        """The callee's configuration, evaluated from the arguments the parent passes."""
        child: dict = dict(self._module_constants())
        for param in callee.signature.params:
            if param.default is not None and param.default.literal is not MISSING:
                child[param.name] = param.default.literal
        site = next((s for s in self.plan.graph.calls if s.call.start == sub.order), None)
        if site is None:
            return child
        try:
            bound = bind(callee.signature, site.call)
        except Unsupported:
            return child
        for name, arg in bound.args.items():
            if callee.signature.roles.get(name) != CONFIG:
                continue
            try:
                child[name] = shapes_mod.evaluate(arg.value.text, env, {})
            except shapes_mod.NotStatic:
                child.pop(name, None)
        return child

    # -- examples ------------------------------------------------------------------------------------
    def _function_example(self, unit: FunctionUnit) -> tuple[Optional[Example], Optional[str], Optional[Call]]:
        """Module-level calls with literal configuration and placeholder inputs show how to run both.

        When TF1 called the function several times on one scope (reuse), the example makes every call,
        so the shared variables are exercised the way the module used them.
        """
        graph = self.plan.graph
        for site in graph.calls:
            if site.call.callee != unit.signature.function or site.location.context != "<module>" or site.location.scopes:
                continue
            found = self._example_for_call(unit, site.call)
            if found is None:
                continue
            example, scope = found
            instance = next((i for i in self.plan.instances if any(u.call.start == site.call.start for u in i.uses)), None)
            if instance is not None and len(instance.uses) > 1:
                others = [self._example_for_call(unit, use.call) for use in instance.uses]
                if all(o is not None for o in others):
                    inputs: list[TensorSpec] = []
                    for other, _ in others:
                        inputs.extend(i for i in other.inputs if i not in inputs)
                    example = Example(
                        inputs=tuple(inputs),
                        original="(" + ", ".join(o.original for o, _ in others) + ")",
                        construct=example.construct,
                        call="(" + ", ".join(o.call for o, _ in others) + ")",
                    )
            return example, scope, site.call
        return None, None, None

    def _example_for_call(self, unit: FunctionUnit, call: Call) -> Optional[tuple[Example, Optional[str]]]:
        try:
            bound = bind(unit.signature, call)
        except Unsupported:
            return None
        inputs = []
        for arg in bound.tensors:
            if isinstance(arg.value.literal, bool):
                continue  # a training flag, given as written
            if arg.value.kind != "name" or arg.value.name not in self.placeholders:
                return None
            shape, dtype = self.placeholders[arg.value.name]
            if shape is None:
                return None
            inputs.append(TensorSpec(arg.value.name, shape, dtype))
        for arg in bound.config:
            if arg.value.names and arg.value.literal is MISSING:
                pass  # module-level configuration objects are available in both namespaces
        scope = None
        if bound.scope is not None:
            if not isinstance(bound.scope.value.literal, str):
                return None
            scope = bound.scope.value.literal
        elif unit.signature.own_scope is not None:
            scope = unit.signature.default_scope
        positional = ", ".join(a.value.text if a.keyword is None else f"{a.keyword}={a.value.text}" for a in bound.tensors)
        original = _call_text(call)
        construct = f"{unit.plan.class_name}({', '.join(constructor_arguments(unit.signature, bound))})"
        return Example(inputs=tuple(inputs), original=original, construct=construct, call=f"unit({positional})"), scope

    def _block_example(self, block: BlockUnit) -> Optional[Example]:
        if block.context != "<module>":
            return method_block_example(self.plan.graph, block, _placeholder_dtype)
        if block.weights_only or not block.applications:
            return None
        inputs: list[TensorSpec] = []
        for app in block.applications:
            for name in app.inputs:
                if name not in self.placeholders or self.placeholders[name][0] is None:
                    return None
                if all(i.name != name for i in inputs):
                    shape, dtype = self.placeholders[name]
                    inputs.append(TensorSpec(name, shape, dtype))
        fetched = [", ".join(a.outputs) if len(a.outputs) == 1 else "(" + ", ".join(a.outputs) + ")" for a in block.applications]
        calls = [_application_line(a, "unit").split(" = ")[-1] for a in block.applications]
        if len(block.applications) == 1:
            original, call = fetched[0], calls[0]
        else:
            original, call = "(" + ", ".join(fetched) + ")", "(" + ", ".join(calls) + ")"
        if not all(a.outputs for a in block.applications):
            return None
        return Example(
            inputs=tuple(inputs), original=original, construct=block.constructor, call=call, uses_module_placeholders=True
        )


def _constants(graph) -> dict:
    """Module-level names bound once to a literal (``n_input = 784``)."""
    constants: dict = {}
    counts: dict = {}
    for stmt in graph.module.body:
        for target in stmt.targets:
            counts[target] = counts.get(target, 0) + 1
        if stmt.kind == "assign" and len(stmt.targets) == 1 and stmt.value is not None and stmt.value.literal is not MISSING:
            constants[stmt.targets[0]] = stmt.value.literal
    return {k: v for k, v in constants.items() if counts.get(k) == 1}


def _module_placeholders(plan: ModulePlan) -> dict[str, tuple]:
    graph = plan.graph
    found: dict[str, tuple] = {}
    from tf1to2.analysis.scopes import bind as bind_params

    for marker in graph.markers:
        if marker.kind != "placeholder" or marker.location.context != "<module>" or marker.call.tf_name != "tf.placeholder":
            continue
        stmt = graph.stmts[marker.location.stmt_id]
        if stmt.kind != "assign" or len(stmt.targets) != 1 or stmt.value.start != marker.call.start:
            continue
        args = bind_params(marker.call, ("dtype", "shape", "name"))
        shape, dtype = args.get("shape"), args.get("dtype")
        shape_value = None
        if shape is not None:
            shape_value = shapes_mod.evaluate_shape(shape.text, _constants(graph), {})
            if shape_value is not None and not isinstance(shape.literal, (list, tuple)) and shape.kind not in ("list", "tuple"):
                shape_value = None
        found[stmt.targets[0]] = (shape_value, _dtype(dtype))
    return found


_DTYPE_SPELLINGS = {"float": "float32", "double": "float64", "half": "float16", "int": "int32", "long": "int64"}


def _placeholder_dtype(call: Call) -> str:
    from tf1to2.analysis.scopes import bind as bind_params

    return _dtype(bind_params(call, ("dtype", "shape", "name")).get("dtype"))


def _dtype(expr) -> str:
    """A placeholder's dtype as a name: ``tf.int32`` → int32, ``"float"`` → float32."""
    if expr is None:
        return "float32"
    if expr.tf_name:
        return expr.tf_name.rsplit(".", 1)[-1]
    if isinstance(expr.literal, str):
        return _DTYPE_SPELLINGS.get(expr.literal, expr.literal)
    return "float32"


def _join(prefix: Optional[str], name: Optional[str]) -> str:
    parts = [p for p in (prefix, name) if p]
    return "/".join(parts)


def _loop_values(loop, env: dict) -> Optional[list]:
    """The loop variable's values when the configuration makes them known (``range(3)``, a literal list)."""
    try:
        values = shapes_mod.evaluate(loop.iterable, env, {})
    except shapes_mod.NotStatic:
        return None
    if not isinstance(values, (list, tuple)):
        return None
    if loop.kind == "list" and values and isinstance(values[0], tuple):  # enumerate(...)
        values = [index for index, _ in values]
    if all(isinstance(v, (int, str)) and not isinstance(v, bool) for v in values):
        return list(values)
    return None


def _fill(text: Optional[str], field: str, value) -> Optional[str]:
    return None if text is None else text.replace("{" + field + "}", str(value))


def _fill_attribute(attribute: str, loop, value) -> str:
    marker = "{" + loop.index + "}"
    if loop.kind == "dict":
        return attribute.replace(f"'{marker}'", repr(value))
    return attribute.replace(marker, str(value))


def _without(repeat: Optional[str], field: str) -> Optional[str]:
    remaining = [f for f in (repeat or "").split(",") if f and f != field]
    return ",".join(remaining) or None


def _repeated(tf1: str, attribute: str, loop, repeat: Optional[str]) -> tuple[str, str, str]:
    """One entry for every element of a list (or dict): ``{index}`` marks the element in both names."""
    index = loop.index
    placeholder = "{" + index + "}"
    if placeholder not in tf1:
        tf1 = tf1 + placeholder
    key = f"'{placeholder}'" if loop.kind == "dict" else placeholder
    return tf1, f"{attribute}[{key}]", index if repeat is None else f"{repeat},{index}"


def initial_value_shape(site, env: dict) -> Optional[tuple]:
    """The shape of the value a variable starts from (``tf.Variable(np.zeros(n))``), None when unknown."""
    value = site.arg("initial_value") if site.kind == "Variable" else site.arg("initializer")
    if value is None:
        return None
    functions = {(c.start, c.end): c.tf_name or c.qualified for c in value.calls}
    return shapes_mod.value_shape(value.text, value.start, functions, env)


def text_of_argument(spec, keyword: str) -> str:
    from tf1to2.rules.variables_to_layers.weights import text_of

    return next((text_of(v) for k, v in spec.arguments if k == keyword), "")


def _call_text(call: Call) -> str:
    return call.func.text + "(" + ", ".join(_arg_text(a) for a in call.args) + ")"


def _arg_text(arg) -> str:
    prefix = arg.star or (f"{arg.keyword}=" if arg.keyword else "")
    return prefix + arg.value.text


def _is_reuse(unit: FunctionUnit, arg) -> bool:
    roles = unit.signature.roles
    if arg.keyword is not None:
        return roles.get(arg.keyword) == "reuse"
    return False


def expand(weights: list[Weight], names_in_graph: list[str]) -> list[tuple[str, str]]:
    """(TF1 name, attribute) pairs, repeated entries matched against the names a TF1 run created."""
    import re

    pairs: list[tuple[str, str]] = []
    for weight in weights:
        if not weight.repeat:
            pairs.append((weight.tf1_name, weight.attribute))
            continue
        fields = weight.repeat.split(",")
        pattern = re.escape(weight.tf1_name)
        for field in fields:
            pattern = pattern.replace(re.escape("{" + field + "}"), f"(?P<{field}>[^/]+)", 1)
        for name in names_in_graph:
            match = re.fullmatch(pattern, name)
            if match:
                attribute = weight.attribute
                for field in fields:
                    attribute = attribute.replace("{" + field + "}", match.group(field))
                pairs.append((name, attribute))
    return pairs
