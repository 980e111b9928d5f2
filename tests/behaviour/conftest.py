"""One TF1 (graph mode) process runs every behavioural case's original, once per test session."""
from __future__ import annotations

import pytest

import layer_equivalence as harness
from tf1to2.manifest import Example, TensorSpec

# Golden cases whose converted layers are checked against the original, with input hints.
CASES = {
    "seed004_dense_scope": {},
    "seed004_reuse_variables": {},
    "seed004_shared_weights": {},
    "layers_linear_reuse": {},
    "layers_dcgan_discriminator": {},
    "layers_gpt2": {"int_high": 16},  # token ids below n_vocab
    "layers_siamese": {},
    "layers_mlp_dicts": {},
    "layers_actor_critic": {
        # The policy's "model" scope is built inside MlpPolicy.__init__, once per policy: fetch both
        # policies' outputs, feeding each one's own observation placeholder (graph names Ob and Ob_1).
        "examples": {
            "Model": Example(
                inputs=(TensorSpec("Ob", (4, 6)), TensorSpec("Ob_1", (20, 6))),
                original="((step_model.pi, step_model.vf), (train_model.pi, train_model.vf))",
                construct="Model(ac_space.n)",
                call="(unit(Ob), unit(Ob_1))",
                uses_module_placeholders=True,
            )
        }
    },
}


@pytest.fixture(scope="session")
def cases() -> dict[str, harness.Case]:
    return {name: harness.load_case(name, **hints) for name, hints in CASES.items()}


@pytest.fixture(scope="session")
def tf1(cases, tmp_path_factory) -> dict:
    pytest.importorskip("tensorflow")
    return harness.tf1_results(list(cases.values()), tmp_path_factory.mktemp("tf1"))


@pytest.fixture(scope="session")
def tf2():
    tf = pytest.importorskip("tensorflow")
    return tf
