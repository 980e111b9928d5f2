"""One TF1 (graph mode) process runs every behavioural case's original, once per test session."""
from __future__ import annotations

import pytest

import layer_equivalence as harness

# Golden cases whose converted layers are checked against the original, with input hints.
CASES = {
    "seed004_dense_scope": {},
    "seed004_reuse_variables": {},
    "seed004_shared_weights": {},
    "layers_linear_reuse": {},
    "layers_dcgan_discriminator": {},
    "layers_gpt2": {"int_high": 16},  # token ids below n_vocab
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
