"""Variables selected by TF1 name select the same variables once converted (TF434).

TF1 code picks each player's variables by name (``[v for v in t_vars if 'd_' in v.name]``); the
converted code names the layers instead. After building the module's layers, each converted selection
must hold exactly the variables TF1 selected, mapped through the manifest.
"""
from __future__ import annotations

import pytest

import layer_equivalence as harness
from tf1to2.rules.variables_to_layers.manifest_units import expand

pytestmark = pytest.mark.requires_tf


@pytest.mark.parametrize("selection", ["t_vars", "d_vars", "g_vars"])
def test_gan_players_select_the_same_variables(selection, cases, tf1, tf2):
    case = cases["layers_dcgan_discriminator"]
    names, _ = tf1["layers_dcgan_discriminator#selections"]
    assert "error" not in names, names
    namespace, unexpected = harness.load_converted(case.converted)
    assert unexpected == []
    # Build the module's layers (their input-shaped weights exist once called), as the graph code did.
    namespace["discriminator"](tf2.zeros([1, 32, 32, 3]))
    namespace["generator"](tf2.zeros([1, 16]))
    selected = eval(harness.assignments(case.converted)[selection], dict(namespace))
    tf1_name_of = {}
    for unit_name, weights in _module_weights(case, namespace):
        for tf1_name, attribute in expand(weights, names["t_vars"]):
            tf1_name_of[id(harness.resolve(namespace[unit_name], attribute))] = tf1_name
    assert sorted(tf1_name_of[id(v)] for v in selected) == sorted(names[selection])
    assert len({id(v) for v in selected}) == len(selected)


def _module_weights(case, namespace):
    """The manifest weights of the module-level instances ``discriminator`` and ``generator``."""
    from tf1to2.engine import convert_source

    units = {u.class_name: u for u in convert_source(case.source, "input.py").units}
    for variable in ("discriminator", "generator"):
        unit = units[type(namespace[variable]).__name__]
        yield variable, [w for w in unit.weights]
