"""One TF1 (graph mode) process runs every behavioural case's original, once per test session."""
from __future__ import annotations

import pytest

import layer_equivalence as harness
from layer_cases import CASES


@pytest.fixture(scope="session")
def cases() -> dict[str, harness.Case]:
    return {name: harness.load_case(name, **hints) for name, hints in CASES.items()}


@pytest.fixture(scope="session")
def tf1_dir(cases, tmp_path_factory):
    """Where the TF1 side wrote its results (read again by a Keras 2 process)."""
    pytest.importorskip("tensorflow")
    workdir = tmp_path_factory.mktemp("tf1")
    harness.run_tf1(list(cases.values()), workdir)
    return workdir


@pytest.fixture(scope="session")
def tf1(tf1_dir) -> dict:
    return harness.read_tf1(tf1_dir)


@pytest.fixture(scope="session")
def tf2():
    tf = pytest.importorskip("tensorflow")
    return tf
