"""``tf.set_random_seed(seed)`` → ``tf.random.set_seed(seed)``.

Before:
    tf.set_random_seed(1234)

After:
    tf.random.set_seed(1234)

The graph-level seed keeps its meaning: ops without a seed of their own derive theirs from it, eagerly and
inside ``tf.function`` alike.

Caveats:
    The numbers each op draws for a given seed differ between TensorFlow versions and between graph and
    eager execution (NUMERICS.md, "Randomness"): the converted script is as deterministic as the original,
    but it does not repeat TF1's random numbers. To compare a model across versions, transfer its weights
    (``tf1to2 verify``) instead of relying on seeds. A ``set_random_seed`` imported by name
    (``from tensorflow import set_random_seed``) is left to the API upgrade.
"""
from __future__ import annotations

from typing import Iterator

import gast

from tf1to2.analysis.graph import api_of
from tf1to2.analysis.module import ModuleContext
from tf1to2.diagnostics import Severity
from tf1to2.rewrite.edits import Edit
from tf1to2.rules.base import Finding
from tf1to2.rules.sessions.names import tensorflow_root

CODE = "TF463"
SUMMARY = "tf.set_random_seed → tf.random.set_seed (same seeding; the random numbers differ from TF1's)"
SEVERITY = Severity.WARNING
SEEDS = ("tf.set_random_seed", "tf.random.set_random_seed")


def check(module: ModuleContext) -> Iterator[Finding]:
    for node in module.nodes:
        if not isinstance(node, gast.Call) or api_of(module, node.func) not in SEEDS:
            continue
        root = tensorflow_root(module, node.func)
        if root is None:
            continue
        start, end = module.span(node.func)
        line, col = module.position(node)
        yield Finding(
            CODE, line, col,
            f"{module.snippet(node.func)} → {root}.random.set_seed: the same seeding, but TF2 draws other "
            "numbers than TF1 for a given seed (compare converted models by transferring weights)",
            edits=(Edit(start, end, f"{root}.random.set_seed"),),
        )
