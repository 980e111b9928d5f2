"""TF1 API names as the source spells them, and how to spell a TF2 name in the same module.

Shared by the ``api_*`` rules (not a rule itself). Names are resolved through imports: ``tf.nn.relu``
under ``import tensorflow.compat.v1 as tf``, ``tf2.nn.relu`` under ``import tensorflow as tf2`` and
``relu`` under ``from tensorflow.nn import relu`` all name the TF1 API symbol ``tf.nn.relu``. A name
spelled ``tf.compat.v1.X`` (or ``compat.v2``) in the source is explicit and is never upgraded.

Spelling assumes the import rewrites of the pass: ``import tensorflow.compat.v1 as tf`` becomes
``import tensorflow as tf`` (TF413) and ``from tensorflow import placeholder`` becomes
``from tensorflow.compat.v1 import placeholder`` (TF415).
"""
from __future__ import annotations

import dataclasses
import functools
from typing import Iterator, Optional

import gast

from tf1to2.analysis.imports import Binding, is_tensorflow, tf1_api_name
from tf1to2.analysis.module import ModuleContext
from tf1to2.rules import api_tables

COMPAT_V1 = "tensorflow.compat.v1"


@dataclasses.dataclass(frozen=True)
class TFName:
    """A loaded name (``Name`` or ``Attribute`` chain) that is TF1 API."""

    node: gast.AST
    api: str  # tf.nn.relu
    binding: Binding
    bound_parts: int  # leading parts of ``api`` that the import binding itself names

    def prefixes(self) -> Iterator[str]:
        """The API name and its prefixes longer than the binding, longest first."""
        parts = self.api.split(".")
        for length in range(len(parts), self.bound_parts, -1):
            yield ".".join(parts[:length])


def api_of_target(target: str) -> Optional[str]:
    """The TF1 API name of a qualified import target, or None when it is not TF1 API."""
    if target == COMPAT_V1 or target.startswith(COMPAT_V1 + "."):
        api = "tf" + target[len(COMPAT_V1):]
    elif not is_tensorflow(target):
        return None
    else:
        api = tf1_api_name(target)
    if api is None or api == "tf.compat" or api.startswith("tf.compat."):
        return None  # spelled explicitly: stays as written
    return api


def tf_name(module: ModuleContext, node: gast.AST) -> Optional[TFName]:
    binding = module.imports.root_binding(node)
    qualified = module.imports.qualified_name(node)
    if binding is None or qualified is None:
        return None
    bound_api = api_of_target(binding.target)
    if bound_api is None or _spells_compat(binding.target, qualified):
        return None
    api = api_of_target(qualified)
    if api is None:
        return None
    return TFName(node, api, binding, bound_api.count(".") + 1)


def _spells_compat(target: str, qualified: str) -> bool:
    """``tf.compat.v1.X`` written out under ``import tensorflow as tf``: explicit, left alone."""
    under_compat_v1 = target == COMPAT_V1 or target.startswith(COMPAT_V1 + ".")
    return not under_compat_v1 and (qualified == "tensorflow.compat" or qualified.startswith("tensorflow.compat."))


def nodes(module: ModuleContext) -> tuple[gast.AST, ...]:
    """Every node of the module, walked once for all the rules that read the same parse."""
    return module.nodes


@functools.lru_cache(maxsize=8)
def calls_by_func(module: ModuleContext) -> dict[int, gast.Call]:
    """id(node) → the call that calls it (cheaper than the module's full parent map)."""
    return {id(node.func): node for node in nodes(module) if isinstance(node, gast.Call)}


def called(module: ModuleContext, node: gast.AST) -> Optional[gast.Call]:
    """The call whose callee is ``node``, if any."""
    return calls_by_func(module).get(id(node))


@functools.lru_cache(maxsize=8)
def chains(module: ModuleContext) -> tuple[gast.AST, ...]:
    """Every loaded Name/Attribute that is not itself the ``.value`` of an attribute (whole chains)."""
    inner = {id(node.value) for node in nodes(module) if isinstance(node, gast.Attribute)}
    return tuple(
        node for node in nodes(module)
        if isinstance(node, (gast.Name, gast.Attribute)) and isinstance(node.ctx, gast.Load) and id(node) not in inner
    )


@functools.lru_cache(maxsize=8)
def tf_names(module: ModuleContext) -> tuple[TFName, ...]:
    """Every maximal loaded chain that names TF1 API (``tf.nn.relu`` once, not ``tf.nn`` too)."""
    return tuple(name for name in (tf_name(module, node) for node in chains(module)) if name is not None)


def upgraded(name: TFName) -> str:
    """The TF2 (or compat.v1) name the pass gives ``name``: its longest renamed prefix, renamed."""
    parts = name.api.split(".")
    for length in range(len(parts), 1, -1):
        prefix = ".".join(parts[:length])
        target = api_tables.import_target(prefix)
        if target != prefix:
            return target + name.api[len(prefix):]
    return name.api


def rewritten_target(binding: Binding) -> str:
    """What a binding's local name refers to once the pass has rewritten the imports."""
    if binding.target == COMPAT_V1:
        return "tensorflow"
    api = api_of_target(binding.target)
    if api is None or binding.target.count(".") == 0:
        return binding.target
    return "tensorflow" + api_tables.import_target(api)[len("tf"):]


def tf_alias(module: ModuleContext) -> Optional[str]:
    """A local name bound to the ``tensorflow`` package after the rewrites (``tf`` preferred)."""
    aliases = sorted(
        (b.local != "tf", b.local) for b in module.imports.bindings.values() if rewritten_target(b) == "tensorflow"
    )
    return aliases[0][1] if aliases else None


def spell(module: ModuleContext, binding: Binding, api: str) -> Optional[str]:
    """Source text naming TF2 ``api`` (``tf.compat.v1.placeholder``) in this module, or None."""
    qualified = "tensorflow" + api[len("tf"):]
    base = rewritten_target(binding)
    if qualified == base:
        return binding.local
    if qualified.startswith(base + "."):
        return binding.local + qualified[len(base):]
    alias = tf_alias(module)
    return alias + api[len("tf"):] if alias else None


def call_name(module: ModuleContext, call: gast.Call) -> Optional[TFName]:
    """The TF1 API name a call calls, if any."""
    if not isinstance(call.func, (gast.Name, gast.Attribute)):
        return None
    return tf_name(module, call.func)


@functools.lru_cache(maxsize=8)
def tf_calls(module: ModuleContext) -> tuple[tuple[gast.Call, TFName], ...]:
    found = []
    for node in nodes(module):
        if isinstance(node, gast.Call):
            name = call_name(module, node)
            if name is not None:
                found.append((node, name))
    return tuple(found)


@functools.lru_cache(maxsize=16)
def looks_like_tf1(module: ModuleContext) -> bool:
    """Whether the module uses any TF1-only API (a name TF2 lacks, compat.v1, contrib, estimator).

    Some TF1 names are also TF2 names with other defaults (``tf.random_normal_initializer``): in a module
    with no TF1-only API at all they are taken as TF2 code, reported and left alone.
    """
    targets = [b.target for b in module.imports.bindings.values()]
    if any(t.startswith((COMPAT_V1, "tensorflow.contrib", "tensorflow.estimator")) for t in targets):
        return True
    for node in nodes(module):
        if isinstance(node, gast.Attribute) and isinstance(node.ctx, gast.Load):
            if (module.imports.qualified_name(node) or "").startswith(COMPAT_V1 + "."):
                return True
    for name in tf_names(module):
        if name.api.startswith(("tf.contrib", "tf.estimator", "tf.layers")):
            return True
        if upgraded(name) != name.api:
            return True
    return False
