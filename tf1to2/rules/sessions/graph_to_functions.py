"""Placeholders, ``sess.run`` and ``minimize`` → eager functions, a GradientTape step and a Keras optimizer.

Before:
    x = tf.placeholder(tf.float32, [None, 4])
    y = tf.placeholder(tf.float32, [None, 1])
    loss = tf.reduce_mean(tf.square(tf.matmul(x, W) - y))
    train_op = tf.train.AdamOptimizer(0.01).minimize(loss)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for step in range(100):
            _, loss_value = sess.run([train_op, loss], feed_dict={x: bx, y: by})

After:
    optimizer = tf.keras.optimizers.Adam(learning_rate=0.01, epsilon=1e-08)

    @numpy_results
    @tf.function(input_signature=[tf.TensorSpec([None, 4], tf.float32), tf.TensorSpec([None, 1], tf.float32)])
    def train_step(x, y):
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(tf.square(tf.matmul(x, W) - y))
        variables = tape.watched_variables()
        gradients = tape.gradient(loss, variables)
        optimizer.apply_gradients(zip(gradients, variables))
        return [None, loss]

    for step in range(100):
        _, loss_value = train_step(x=bx, y=by)

Every distinct ``sess.run`` (same fetches of the same graph code) becomes one function made of the graph
statements its fetches need, with the placeholders it needs as parameters (``placeholder_with_default``:
a parameter with that default) and the fetches returned in the same structure, as numpy values like
``Session.run``'s. A fetched train op runs a GradientTape step and returns ``None``, as in TF1. A scalar
bool placeholder used as the training mode (``training=is_training``, a ``tf.cond`` predicate) is a
Python bool parameter outside the input signature, as Keras layers want it (one trace per mode); a run in
training mode without a train op puts batch normalization's moving statistics back, as TF1 left them
without its UPDATE_OPS. The
optimizer keeps TF1's hyperparameters (Adam's epsilon 1e-8, RMSProp's epsilon 1e-10 and its accumulator
starting at 1.0, ...). Initializers, sessions and ``with graph.as_default():`` disappear.

The same rule converts the rest of the training program (docs/sessions.md has the table): ``var_list``,
``compute_gradients`` / ``apply_gradients`` and ``tf.gradients`` (TF453), the global step a train op
increments → ``optimizer.iterations`` (TF462) and its decays → Keras schedules (TF461),
``tf.trainable_variables()`` → the variables of the layers created before (TF460), ``tf.train.Saver`` →
``tf.train.Checkpoint`` with a generated ``save_checkpoint`` (TF466: restoring a checkpoint TF1 wrote
needs ``tf1to2 convert-checkpoint``), summary ops and ``FileWriter`` → TF2 summaries written by a generated
``write_summaries`` (TF467). Every session site gets TF451 (converted) or TF452 (kept, with the reason).

A model class that builds its graph in ``__init__`` (or a ``self.build_model()`` it calls) into attributes
of ``self`` and runs it through ``self.sess`` becomes a ``tf.Module`` whose methods (``train_step``,
``compute_pred``) compute the fetches; the optimizer is built once in ``__init__`` (``class_plan``).

Caveats:
    The whole file stays graph code (reported per site, TF452) when any graph scope cannot be followed:
    a graph tensor used outside ``sess.run``, feeds that are not a dict display of placeholders, a
    statement that creates variables while computing from placeholders (convert it to a layer first),
    ``sess.run(options=...)``, a session passed to other functions, graph code split across functions
    (the finding names the function building the graph and the one running it),
    initializers run again, queue runners. contrib's ``batch_norm(updates_collections=None)`` updated its
    statistics at every training-mode run; after conversion a run without a train op puts them back. Random ops in graph code draw new numbers at every call, as in
    TF1, but not the same numbers. A file that keeps graph code gets ``disable_eager_execution()`` when it
    is a script (TF457).
"""
from __future__ import annotations

from typing import Iterator

import gast

from tf1to2.analysis.graph import GraphModule, analyse
from tf1to2.analysis.graph.classes import model_classes
from tf1to2.analysis.module import ModuleContext
from tf1to2.diagnostics import Severity
from tf1to2.manifest import SessionSite
from tf1to2.rewrite import placement
from tf1to2.rewrite.edits import Edit
from tf1to2.rules.base import Finding
from tf1to2.rules.sessions import class_emit, class_plan, codes, emit, templates
from tf1to2.rules.sessions import names as sessions_names
from tf1to2.rules.sessions.plan import ScopePlan, fallback, plan_scope

CODES = dict(codes.SUMMARIES)  # TF463-TF465 are the small rules' own (random_seed, flags, app_run)
SEVERITY = Severity.INFO
HELPER_TEMPLATES = {
    "numpy_results": templates.NUMPY_RESULTS,
    "numpy_method_results": templates.NUMPY_METHOD_RESULTS,
    "RMSpropFromOne": templates.RMSPROP_FROM_ONE,
    "graph_variables": templates.GRAPH_VARIABLES,
    "save_checkpoint": templates.SAVE_CHECKPOINT,
    "write_summaries": templates.WRITE_SUMMARIES,
    "unchanged_moving_statistics": templates.UNCHANGED_MOVING_STATISTICS,
}


def check(module: ModuleContext) -> Iterator[Finding]:
    if not module.imports.imports_tensorflow():
        return
    graph = analyse(module)
    if not graph.scopes and not graph.session_calls:
        return
    classes = [class_plan.plan_class(model) for model in model_classes(module)]
    converting = [c for c in classes if c.problem is None]
    scopes = [s for s in graph.scopes if not any(c.model.start <= module.lines.starts[s.line - 1] < c.model.end
                                                 for c in classes)]
    plans = [plan_scope(scope, graph, module.text) for scope in scopes]
    others = list(_unfollowed_sessions(graph, classes))
    failed = next((p for p in plans if p.fallback), None)
    if failed is None and others and plans:
        line, _, reason = others[0]
        failed = fallback(plans[0].scope, f"a session the conversion does not follow runs at line {line}: {reason}")
    yield from _census(others)
    if failed is None and others and (converting or len(classes) > len(converting)):
        line, _, reason = others[0]
        yield from _classes_kept(converting, f"a session the conversion does not follow runs at line {line}: "
                                             f"{reason}")
        yield from _graph_mode(module, graph, plans, classes[0].model.line)
        return
    if failed is not None:
        reason = f"another graph in this file stays graph code ({failed.fallback})"
        plans = [p if p.fallback else fallback(p.scope, reason) for p in plans]
        yield from _classes_kept(converting, reason)
        yield from _notes(plans)
        yield from _graph_mode(module, graph, plans)
        return
    if not plans and not converting:
        return
    names = _names(graph, [*plans, *converting])
    helpers = _helpers(module, graph, names)
    for number, plan in enumerate(plans):
        yield from _converted(module, graph, plan, names, helpers if number == 0 else ())
    for number, plan in enumerate(converting):
        yield from _class_converted(module, graph, plan, names, helpers if number == 0 and not plans else ())


def _classes_kept(classes: list[class_plan.ClassPlan], reason: str) -> Iterator[Finding]:
    for plan in classes:
        for site in plan.model.sites:
            yield Finding(codes.SITE_KEPT, site.line, site.col, f"session site kept as graph code: {reason}",
                          severity=Severity.WARNING)


def _class_converted(module: ModuleContext, graph: GraphModule, plan: class_plan.ClassPlan, names: emit.Names,
                     helpers: tuple[Edit, ...]) -> Iterator[Finding]:
    model = plan.model
    edits = class_emit.class_edits(module.text, plan, names.tf, names.helpers, graph.indent_unit)
    for method in plan.methods:
        for number in method.sites:
            site = model.sites[number]
            yield Finding(codes.SITE_CONVERTED, site.line, site.col,
                          f"self.{model.session}.run → self.{method.name}(...)", severity=Severity.INFO)
    for train, converted, name in zip(model.trains, plan.optimizers, plan.optimizer_names):
        statement = model.statements[train.statement]
        if converted.kind == "keras":
            yield Finding(codes.OPTIMIZER, statement.line, statement.col,
                          f"{train.optimizer_api} → self.{name}, a Keras {converted.keras_class} with TF1's "
                          f"hyperparameters; {train.key} → a GradientTape step", severity=Severity.INFO)
        else:
            yield Finding(codes.OPTIMIZER_KEPT, statement.line, statement.col,
                          f"{train.optimizer_api} kept as self.{name}: {converted.reason}", severity=Severity.WARNING)
    for call in model.saver_calls:
        restore = (" (a checkpoint TF1 wrote must first go through tf1to2 convert-checkpoint)"
                   if call.method == "restore" else "")
        yield Finding(codes.SAVER, call.line, call.col,
                      f"self.{model.saver}.{call.method} → a tf.train.Checkpoint of the object (its variables and "
                      f"optimizer){restore}", severity=Severity.WARNING if restore else Severity.INFO)
    needed = {index for method in plan.methods for index in method.statements}
    for statement in model.statements:
        if statement.kind == "tensor" and model.statements.index(statement) not in needed:
            yield Finding(codes.UNUSED_GRAPH, statement.line, statement.col,
                          f"{', '.join(statement.binds)}: graph code no session site runs, removed",
                          severity=Severity.INFO)
        elif statement.kind == "initializer":
            yield Finding(codes.INITIALIZER_REMOVED, statement.line, statement.col,
                          "variable initializer removed: eager variables start initialized", severity=Severity.INFO)
        elif statement.kind == "session":
            yield Finding(codes.SESSION_REMOVED, statement.line, statement.col,
                          f"self.{model.session} removed: its methods compute the fetches eagerly",
                          severity=Severity.INFO)
    methods = ", ".join(m.name for m in plan.methods)
    base = f"a {names.tf}.Module whose" if plan.module_base else "its"
    initializer = " and its initializer run" if any(s.kind == "initializer" for s in model.statements) else ""
    yield Finding(
        codes.GRAPH_TO_FUNCTIONS, model.line, 0,
        f"graph code of class {model.name} → {base} method{'s' if len(plan.methods) > 1 else ''} {methods} "
        f"compute{'' if len(plan.methods) > 1 else 's'} the fetches eagerly; "
        f"self.{model.session}{initializer} removed", edits=helpers + edits, severity=Severity.INFO,
        units=tuple(_class_sites(plan)),
    )


def _class_sites(plan: class_plan.ClassPlan) -> Iterator[SessionSite]:
    model = plan.model
    for method in plan.methods:
        for number in method.sites:
            site = model.sites[number]
            yield SessionSite(
                line=site.line, col=site.col, kind="run", function=method.name,
                fetches=" ".join(site.fetch_text.split()), structure=site.structure,
                arguments=tuple(key[len("self."):] for key in method.params),
                train_ops=(model.trains[method.train].key,) if method.train is not None else (),
            )


def _names(graph: GraphModule, plans: list[ScopePlan]) -> emit.Names:
    used = set(graph.names)
    helpers = {}
    for plan in plans:
        for helper in sorted(plan.helpers):
            if helper in helpers:
                continue
            name = helper
            number = 2
            while name in used:
                name = f"{helper}_{number}"
                number += 1
            used.add(name)
            helpers[helper] = name
    return emit.Names(tf=graph.tf_alias or "tf", helpers=helpers, used=frozenset(used))


def _helpers(module: ModuleContext, graph: GraphModule, names: emit.Names) -> tuple[Edit, ...]:
    if not names.helpers:
        return ()
    text = module.text
    imports: tuple[Edit, ...] = ()
    if "save_checkpoint" in names.helpers and not sessions_names.binds(module, "os", "os"):
        imports = (sessions_names.import_edit(module, "import os"),)
    blocks = [
        templates.render(HELPER_TEMPLATES[canonical], {"name": name, "tf": names.tf}, unit=graph.indent_unit)
        for canonical, name in sorted(names.helpers.items())
    ]
    # after the imports other rules add (absl's), before the program's first statement
    offset = _first_statement_after_imports(module)
    before = "" if text[:offset].endswith("\n\n\n") else ("\n" if text[:offset].endswith("\n\n") else "\n\n")
    return imports + (Edit(offset, offset, before + "\n\n".join(blocks) + "\n\n"),)


def _converted(module: ModuleContext, graph: GraphModule, plan: ScopePlan, names: emit.Names,
               helpers: tuple[Edit, ...]) -> Iterator[Finding]:
    edits = emit.scope_edits(module.text, module.lines, graph, plan, names)
    scope = plan.scope
    owned = {n.statement for n in plan.notes if n.statement is not None}
    unowned = tuple(e for index, group in edits.statements.items() if index not in owned for e in group)
    functions = ", ".join(f.name for f in plan.functions) or "nothing"
    where = "module" if scope.kind == "module" else f"function {scope.name}"
    for note in plan.notes:
        own = edits.sites.get(note.site, ()) if note.site is not None else ()
        own += edits.statements.get(note.statement, ()) if note.statement is not None else ()
        yield Finding(note.code, note.line, note.col, note.message, edits=own, severity=note.severity)
    # last: an insertion of the notes' edits at the same offset (global_step = optimizer.iterations after
    # its optimizer) goes before the functions that use it
    yield Finding(
        codes.GRAPH_TO_FUNCTIONS, scope.line if scope.kind == "function" else scope.statements[0].line, 0,
        f"graph code of the {where} → eager functions: {functions}", edits=helpers + edits.functions + unowned,
        severity=Severity.INFO, units=tuple(_session_sites(plan)),
    )


def _session_sites(plan: ScopePlan) -> Iterator[SessionSite]:
    for function in plan.functions:
        for number in function.sites:
            site = plan.scope.sites[number]
            call = next(c for c in plan.calls if c.site == number)
            yield SessionSite(
                line=site.line, col=site.col, kind=site.kind, function=function.name,
                fetches=" ".join(function.fetch.text.split()), structure=function.fetch.structure,
                arguments=tuple(name for name, _ in call.arguments),
                train_ops=tuple(step.train_op for step in function.steps),
            )


def _unfollowed_sessions(graph: GraphModule, classes: list[class_plan.ClassPlan]) -> Iterator[tuple[int, int, str]]:
    """Session calls outside every graph scope, with the reason they stay (line, col, reason)."""
    covered = {(site.start, site.end) for scope in graph.scopes for site in scope.sites}
    covered.update((site.start, site.end) for c in classes if c.problem is None for site in c.model.sites)
    covered.update((s.start, s.end) for c in classes if c.problem is None for s in c.model.statements
                   if s.kind == "initializer")
    kept = {span: c for c in classes if c.problem is not None for span in c.model.runs}
    kept.update({(s.start, s.end): c for c in classes if c.problem is not None for s in c.model.statements
                 if s.kind == "initializer"})
    for call in graph.session_calls:
        if (call.start, call.end) in covered:
            continue
        if (call.start, call.end) in kept:
            plan = kept[(call.start, call.end)]
            line, _, why = plan.problem
            reason = f"class {plan.model.name} is not converted: {why} (line {line})"
        elif call.origin == "attribute" and any(call.detail.endswith(f".{c.model.session}") for c in classes):
            owner = next(c.model for c in classes if call.detail.endswith(f".{c.model.session}"))
            reason = (f"{call.detail} is probably the session of class {owner.name} (line {owner.line}), run "
                      f"outside its methods: only self.{owner.session}.run(...) inside the class is converted")
        elif call.origin == "attribute":
            reason = f"a session held by an object ({call.detail}): graph code in a class is not converted"
        elif call.origin == "factory":
            reason = f"the session comes from {call.detail}, which the conversion does not replace"
        elif call.origin == "default":
            reason = "the default session runs a graph built elsewhere"
        else:
            reason = f"{call.detail} runs a graph that is not built in the same function or module"
        yield call.line, call.col, reason


def _census(others: list[tuple[int, int, str]]) -> Iterator[Finding]:
    for line, col, reason in others:
        yield Finding(codes.SITE_KEPT, line, col, f"session site kept as graph code: {reason}",
                      severity=Severity.WARNING)


def _notes(plans: list[ScopePlan]) -> Iterator[Finding]:
    for plan in plans:
        for note in plan.notes:
            yield Finding(note.code, note.line, note.col, note.message, severity=note.severity)


def _graph_mode(module: ModuleContext, graph: GraphModule, plans: list[ScopePlan],
                line: int = 0) -> Iterator[Finding]:
    """Graph code left in a script needs graph mode: say so, and switch it on where the script starts."""
    if graph.graph_mode_calls:
        return
    module_level = any(p.scope.kind == "module" for p in plans)
    if not (module_level or graph.is_script):
        yield Finding(codes.GRAPH_MODE_KEPT, plans[0].scope.line if plans else line, 0,
                      "graph code kept: the program that uses it must call "
                      "tf.compat.v1.disable_eager_execution() at start-up", severity=Severity.WARNING)
        return
    if graph.tf_alias is None:
        return
    binding = module.imports.bindings.get(graph.tf_alias)
    call = f"{graph.tf_alias}.disable_eager_execution()" if binding and binding.target == "tensorflow.compat.v1" \
        else f"{graph.tf_alias}.compat.v1.disable_eager_execution()"
    text = templates.render(templates.DISABLE_EAGER, {"call": call})
    offset = _first_statement_after_imports(module)
    prefix = "" if offset == 0 or module.text[:offset].endswith("\n") else "\n"
    yield Finding(codes.GRAPH_MODE_KEPT, 1, 0,
                  "graph code kept in this file: tf.compat.v1.disable_eager_execution() inserted after the imports",
                  edits=(Edit(offset, offset, prefix + text),), severity=Severity.WARNING)


def _first_statement_after_imports(module: ModuleContext) -> int:
    """Where the program starts: the first statement after the imports (after any imports other rules
    add there) with the comments written above it, or the end of the imports."""
    body = module.tree.body
    last_import = max((i for i, node in enumerate(body) if isinstance(node, (gast.Import, gast.ImportFrom))),
                      default=-1)
    if last_import + 1 >= len(body):
        return len(module.text)
    first = body[last_import + 1]
    decorators = getattr(first, "decorator_list", None) or ()
    start = module.lines.starts[min([first.lineno, *(d.lineno for d in decorators)]) - 1]
    if last_import < 0:
        return start  # nothing above but a shebang, coding line or licence: never move above those
    return placement.above_comments(module.text, start, module.lines.starts[body[last_import].end_lineno - 1])
