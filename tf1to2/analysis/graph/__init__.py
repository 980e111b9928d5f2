"""TF1 graph-and-session code as plain data: placeholders, graph statements, train ops, session sites.

A TF1 script builds a dataflow graph statement by statement and runs pieces of it with
``sess.run(fetches, feed_dict)``. This module reads one module and describes, for every *graph scope*
(the module body or a function body that creates placeholders or runs a session on its own tensors):

- its statements in execution order, with the wrappers that have no eager meaning flattened away
  (``with tf.Session() as sess:``, ``with graph.as_default():``), each classified by what it does
  (``Kind``): a placeholder, a tensor computation, state (variables, layers, optimizers), a train op...;
- the placeholders, the train ops (``opt.minimize(loss)``) and the optimizers;
- every session site (``sess.run``, ``tensor.eval``, ``op.run``, initializer runs, ``sess.close()``) with
  its fetch structure and feeds;
- the problems that keep the scope in graph mode, each with a position and a reason.

Everything is keyed by character offsets into the module text; no AST node leaves this module.
"""
from __future__ import annotations
from __future__ import annotations

from typing import Optional

import gast

from tf1to2.analysis.graph.apis import (
    DECAYS, GRAPH_ONLY, INITIALIZERS, PLACEHOLDERS, SESSIONS, api_of, candidate_bodies, creates_state, identifiers,
    imports_end, indent_unit, is_optimizer_api, is_script, loaded_names, stored_names, string_lines, tf_alias,
)
from tf1to2.analysis.graph.facts import ModuleFacts
from tf1to2.analysis.graph.ir import (
    MOVABLE, CallRecord, Fetch, GradientCall, GraphModule, GraphScope, Kind, Merge, OptimizerCall, Placeholder,
    Problem, Schedule, SessionCall, Site, Statement, SummaryOp, TrainOp, VariableQuery, Wrapper,
)
from tf1to2.analysis.graph.scope import ScopeBuilder
from tf1to2.analysis.module import ModuleContext

__all__ = [
    "analyse", "api_of", "creates_state", "is_optimizer_api", "loaded_names", "stored_names", "string_lines",
    "DECAYS", "GRAPH_ONLY", "INITIALIZERS", "PLACEHOLDERS", "SESSIONS", "MOVABLE", "CallRecord", "Fetch",
    "GradientCall", "GraphModule", "GraphScope", "Kind", "Merge", "OptimizerCall", "Placeholder", "Problem",
    "Schedule", "SessionCall", "Site", "Statement", "SummaryOp", "TrainOp", "VariableQuery", "Wrapper",
]

def analyse(module: ModuleContext) -> GraphModule:
    """Describe every graph scope of ``module``."""
    facts = ModuleFacts(module)
    scopes = []
    for kind, name, line, body, node in candidate_bodies(module):
        scope = _scope(facts, kind, name, line, body, node)
        if scope is not None:
            scopes.append(scope)
    return GraphModule(
        scopes=tuple(scopes),
        tf_alias=tf_alias(module),
        imports_end=imports_end(module),
        indent_unit=indent_unit(module),
        graph_mode_calls=tuple(facts.graph_mode_calls()),
        names=frozenset(identifiers(module)),
        is_script=is_script(module.tree),
        session_calls=tuple(facts.session_calls()),
    )


def _scope(facts: ModuleFacts, kind: str, name: str, line: int, body: list,
           node: Optional[gast.AST] = None) -> Optional[GraphScope]:
    items = list(facts.flatten(body, 0))
    if not facts.looks_like_graph_scope(items):
        return None
    if node is not None and not facts.is_graph_function(node):
        return None  # it runs a graph built elsewhere: its sites are the enclosing scope's
    return ScopeBuilder(facts, kind, name, line, items).build()
