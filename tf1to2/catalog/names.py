"""TF1's default layer names: ``dense``, ``dense_1``, ... and when the count starts again.

An unnamed TF1 layer opens ``variable_scope(None, default_name=base)``; TF1 names it ``base`` when no scope
of that name was opened yet *in the current opening of the enclosing scope*, else ``base_N`` with the
smallest N ≥ 1 not yet opened. Every opened scope counts, named or not (``variable_scope("dense")``,
``tf.layers.dense(..., name="dense")``), and leaving a named scope forgets the counts inside it, so
two separate ``with tf.variable_scope("block"):`` blocks both start again at ``dense``.
(``tensorflow/python/ops/variable_scope.py``: ``_get_unique_variable_scope``, ``close_variable_subscopes``.)

Under ``reuse=True`` an unnamed ``tf.layers`` layer opens ``base`` itself (no suffix): ``reused``.
"""
from __future__ import annotations

import collections


class ScopeNames:
    """The scope names opened so far directly inside one opening of one variable scope."""

    def __init__(self) -> None:
        self._counts: collections.Counter[str] = collections.Counter()

    def opened(self, name: str) -> str:
        """Record a scope opened by name (``variable_scope("fc")`` or a layer given ``name="fc"``)."""
        self._counts[name] += 1
        return name

    def default(self, base: str) -> str:
        """The name TF1 gives the next unnamed layer whose default name is ``base``, and record it."""
        name = base
        if self._counts[base]:
            index = 1
            while self._counts[f"{base}_{index}"]:
                index += 1
            name = f"{base}_{index}"
        return self.opened(name)

    def reused(self, base: str) -> str:
        """An unnamed layer under ``reuse=True`` opens ``base`` as it is."""
        return self.opened(base)
