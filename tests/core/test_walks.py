"""Shortcuts over the module's one walk give what a walk of their own would."""
import gast
import pytest

from tf1to2.analysis.graph.facts import ModuleFacts
from tf1to2.analysis.imports import ImportMap
from tf1to2.analysis.module import ModuleContext

SOURCE = '''
import tensorflow as tf
try:
    import tensorflow.compat.v1 as tf
except ImportError:
    from tensorflow import nn as tf
def f(x):
    import numpy as tf
    return g(h(x), [k(y) for y in m(x)], lambda z: n(z))
class C:
    def method(self):
        with a(b()) as c:
            return d(e(), f(g()))
match value:
    case 1:
        import os as tf
'''


@pytest.fixture(scope="module")
def module():
    return ModuleContext.parse(SOURCE)


def test_shared_walk_is_gast_walk(module):
    assert module.nodes == tuple(gast.walk(module.tree))


def test_import_bindings_are_those_of_a_full_walk(module):
    expected: dict = {}
    for node in gast.walk(module.tree):
        if isinstance(node, (gast.Import, gast.ImportFrom)):
            for binding in ImportMap.from_tree(gast.Module([node], [])).bindings.values():
                expected[binding.local] = binding
    assert ImportMap.from_tree(module.tree).bindings == expected


def test_calls_in_a_node_come_in_the_order_of_its_own_walk(module):
    facts = ModuleFacts(module)
    for node in module.nodes:
        expected = [sub for sub in gast.walk(node) if isinstance(sub, gast.Call)]
        assert facts.calls_in(node) == expected
