"""A model class that builds its graph in ``__init__`` and runs it through ``self.sess`` → a ``tf.Module``
whose methods compute the fetches eagerly.

Before:
    class Model:
        def __init__(self, lr):
            self.x = tf.placeholder(tf.float32, [None, 4])
            self.y = tf.placeholder(tf.float32, [None, 1])
            w = tf.get_variable("w", [4, 1])
            self.pred = tf.matmul(self.x, w)
            self.loss = tf.reduce_mean(tf.square(self.pred - self.y))
            self.train_op = tf.train.AdamOptimizer(lr).minimize(self.loss)
            self.sess = tf.Session()
            self.sess.run(tf.global_variables_initializer())

        def train(self, bx, by):
            _, l = self.sess.run([self.train_op, self.loss], feed_dict={self.x: bx, self.y: by})
            return l

After:
    class Model(tf.Module):
        def __init__(self, lr):
            super().__init__()
            self.w = tf.get_variable("w", [4, 1])
            self.optimizer = tf.keras.optimizers.Adam(learning_rate=lr, ..., epsilon=1e-08)

        @numpy_method_results
        @tf.function(input_signature=[tf.TensorSpec([None, 4], tf.float32), tf.TensorSpec([None, 1], tf.float32)])
        def train_step(self, x, y):
            with tf.GradientTape() as tape:
                pred = tf.matmul(x, self.w)
                loss = tf.reduce_mean(tf.square(pred - y))
            ...
            return [None, loss]

        def train(self, bx, by):
            _, l = self.train_step(x=bx, y=by)
            return l

The placeholders become parameters of the methods, the tensor statements of ``__init__`` move into each
method whose fetches need them (an attribute ``self.pred`` becomes a local ``pred``), a local of ``__init__``
holding state that they read (``w``) becomes an attribute, the optimizer is built once in ``__init__`` with
TF1's hyperparameters (the same table as the functions of a script), and the session, its initializer run
and ``self.sess.close()`` disappear. A class without bases becomes a ``tf.Module`` so its variables are
tracked (``model.trainable_variables``, checkpoints).

Caveats: only the shape above is converted; anything else in the class keeps the whole file in graph mode
with a TF452 finding that says what (a block statement building graph code in ``__init__``, a graph built
in another method, ``minimize`` with a ``var_list``, a tensor attribute read outside ``sess.run``, the
session passed on or saved, ``placeholder_with_default``, ...).
"""
from __future__ import annotations

import dataclasses
from typing import Optional

from tf1to2.analysis.graph.classes import ClassSite, ModelClass
from tf1to2.rules.sessions import optimizers

HELPER = "numpy_method_results"
# tf.Module's own attributes: a class assigning one of them keeps its bases
MODULE_RESERVED = {"name", "variables", "trainable_variables", "submodules", "name_scope", "non_trainable_variables"}


@dataclasses.dataclass(frozen=True)
class Method:
    name: str
    sites: tuple[int, ...]
    params: tuple[str, ...]  # placeholder keys, in declaration order
    statements: tuple[int, ...]
    train: Optional[int]  # index into model.trains


@dataclasses.dataclass(frozen=True)
class ClassPlan:
    model: ModelClass
    methods: tuple[Method, ...] = ()
    promoted: frozenset[str] = frozenset()  # locals of __init__ that become attributes
    optimizer_names: tuple[str, ...] = ()
    optimizers: tuple[optimizers.Converted, ...] = ()
    module_base: bool = False
    problem: Optional[tuple[int, int, str]] = None

    @property
    def helpers(self) -> frozenset[str]:
        found = {HELPER} if self.methods else set()
        if any(call.step is not None for call in self.model.saver_calls):
            found.add("save_checkpoint")
        found.update(c.helper for c in self.optimizers if c.helper)
        return frozenset(found)


def plan_class(model: ModelClass) -> ClassPlan:
    if model.problems:
        return ClassPlan(model, problem=model.problems[0])
    if not model.sites:
        return ClassPlan(model, problem=(model.line, 0, f"class {model.name} holds a session no method runs"))
    binding: dict[str, int] = {}
    for index, statement in enumerate(model.statements):
        for key in statement.binds:
            if key in binding and statement.kind in ("tensor", "placeholder", "train"):
                return ClassPlan(model, problem=(statement.line, statement.col,
                                                 f"{key} is assigned twice in __init__"))
            binding[key] = index
    methods: dict[tuple, Method] = {}
    used = set(model.method_names) | {a for a in model.attributes}
    promoted: set[str] = set()
    for number, site in enumerate(model.sites):
        needed: set[int] = set()
        trains = [i for i, t in enumerate(model.trains) for r in site.fetch_references if r.key == t.key]
        if len(trains) > 1:
            return ClassPlan(model, problem=(site.line, site.col, "a sess.run of several train ops in a class is "
                                                                  "not converted"))
        pending = [r.key for r in site.fetch_references if not any(r.key == model.trains[i].key for i in trains)]
        pending += [model.trains[i].loss for i in trains]
        while pending:
            key = pending.pop()
            index = binding.get(key)
            if index is None or index in needed:
                continue
            statement = model.statements[index]
            if statement.kind == "tensor":
                needed.add(index)
                pending.extend(statement.reads)
                promoted.update(r.key for r in statement.references if _is_local_state(r.key, model, binding))
        params = tuple(p.key for p in model.placeholders
                       if any(k in model.statements[i].reads for i in needed for k in (p.key,)))
        fed = {key for key, _ in site.feeds}
        missing = [p for p in params if p not in fed]
        if missing:
            return ClassPlan(model, problem=(site.line, site.col, f"sess.run does not feed {missing[0]}, which its "
                                                                  "fetches need"))
        identity = (" ".join(site.fetch_text.split()), params)
        if identity in methods:
            old = methods[identity]
            methods[identity] = dataclasses.replace(old, sites=old.sites + (number,))
            continue
        name = _fresh(_method_name(site, model, trains), used)
        used.add(name)
        methods[identity] = Method(name, (number,), params, tuple(sorted(needed)), trains[0] if trains else None)
    problem = _name_clashes(model, list(methods.values()), promoted)
    if problem:
        return ClassPlan(model, problem=problem)
    converted = tuple(optimizers.convert(t.optimizer_api, t.optimizer_args) for t in model.trains)
    names = []
    for train, statement in zip(model.trains, (model.statements[t.statement] for t in model.trains)):
        if train.optimizer_statement is not None and model.statements[train.optimizer_statement].binds[0].startswith(
                "self."):
            names.append(model.statements[train.optimizer_statement].binds[0][len("self."):])
            continue
        stem = _stem(train.key[len("self."):]) if len(model.trains) > 1 else ""
        name = _fresh(f"{stem}_optimizer" if stem else "optimizer", used)
        used.add(name)
        names.append(name)
    module_base = (not model.bases or model.bases == ("object",)) and not (model.attributes & MODULE_RESERVED)
    return ClassPlan(model, tuple(methods.values()), frozenset(promoted), tuple(names), converted, module_base)


def _is_local_state(key: str, model: ModelClass, binding: dict[str, int]) -> bool:
    return not key.startswith("self.") and key in binding and model.statements[binding[key]].kind in ("state", "other")


def _name_clashes(model: ModelClass, methods: list[Method], promoted: set[str]) -> Optional[tuple[int, int, str]]:
    for name in promoted:
        if name in model.attributes:
            return model.line, 0, f"local {name} of __init__ would become self.{name}, which the class already has"
    for method in methods:
        bound = {local_name(key) for key in method.params} | {
            local_name(r.key) for index in method.statements for r in model.statements[index].references
            if r.key not in promoted}
        for index in method.statements:
            statement = model.statements[index]
            free = set(statement.names) - {r.key for r in statement.references}
            if free & bound:
                return statement.line, statement.col, (f"{sorted(free & bound)[0]} is read by a statement of __init__ "
                                                       "and would be shadowed by a local of the same name")
        names: dict[str, str] = {}
        for index in method.statements:
            for reference in model.statements[index].references:
                if reference.key in promoted:
                    continue
                renamed = local_name(reference.key)
                if names.setdefault(renamed, reference.key) != reference.key:
                    return model.line, 0, f"{reference.key} and {names[renamed]} would both become {renamed}"
    return None


def local_name(key: str) -> str:
    return key[len("self."):] if key.startswith("self.") else key


def _method_name(site: ClassSite, model: ModelClass, trains: list[int]) -> str:
    if trains:
        return f"{_stem(local_name(model.trains[trains[0]].key))}_step"
    words = [local_name(r.key) for r in site.fetch_references]
    return "compute_" + "_and_".join(words[:3])


def _stem(train_op: str) -> str:
    for suffix in ("_op", "_optim", "_opt", "_step"):
        if train_op.endswith(suffix) and len(train_op) > len(suffix):
            return train_op[: -len(suffix)]
    return train_op


def _fresh(base: str, used: set[str]) -> str:
    name, number = base, 2
    while name in used:
        name, number = f"{base}_{number}", number + 1
    return name
