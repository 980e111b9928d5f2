"""The API tables in tf1to2/data are what tools/gen_api_tables.py makes from the installed TensorFlow,
and what they name exists there.

These tests import TensorFlow (the converter never does). Rename targets that are not in the installed
TensorFlow with Keras 3 are the documented exceptions of the generator: ``renames_needing_tf_keras``
(present only with tf-keras and ``TF_USE_LEGACY_KERAS=1``; the generator checks that in a child process)
and ``renames_unavailable`` (present nowhere; the converter reports them instead of applying them).
"""
from __future__ import annotations

import importlib.util
import os
from pathlib import Path

import pytest

from tf1to2.rules import api_tables

pytestmark = [
    pytest.mark.requires_tf,
    pytest.mark.skipif(
        os.environ.get("TF_USE_LEGACY_KERAS", "").lower() in ("1", "true", "yes"),
        reason="the tables are checked against Keras 3; this run uses tf-keras",
    ),
]
ROOT = Path(__file__).resolve().parent.parent


def load_generator():
    spec = importlib.util.spec_from_file_location("gen_api_tables", ROOT / "tools" / "gen_api_tables.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def generator(tf):
    module = load_generator()
    built_with = api_tables.symbols()["header"]["tensorflow"]
    if tf.__version__ != built_with:
        pytest.skip(f"the tables were generated with TensorFlow {built_with}; this run has {tf.__version__}")
    return module


@pytest.fixture(scope="module")
def resolves(generator, tf):
    return lambda name: generator.resolves(tf, name)


def test_committed_tables_are_what_the_generator_makes(generator):
    for name, table in generator.build_tables().items():
        committed = (ROOT / "tf1to2" / "data" / name).read_text(encoding="utf-8")
        assert generator.render(table) == committed, f"{name} is stale: run python tools/gen_api_tables.py"


def test_every_applied_rename_target_exists(resolves):
    missing = {s: t for s, t in api_tables.symbols()["renames"].items() if not resolves(t)}
    assert missing == {}


@pytest.mark.parametrize("section", ["renames_needing_tf_keras", "renames_unavailable"])
def test_the_exceptions_are_really_missing_under_keras_3(section, resolves):
    targets = api_tables.symbols()[section].values()
    assert targets, f"{section} is empty: drop it from the documented exceptions"
    assert [t for t in targets if resolves(t)] == []


def test_what_a_kept_name_is_imported_as_exists(resolves):
    kept = api_tables.symbols()["kept"]
    expected_missing = {s for s in kept if s.startswith(("tf.layers.", "tf.estimator."))}
    absent = {s for s, entry in kept.items() if not resolves(entry["import_as"])}
    assert absent == expected_missing


def test_removed_modules_live_on_in_compat_v1(resolves):
    for module in api_tables.symbols()["removed_modules"]:
        assert not resolves(module) and resolves("tf.compat.v1." + module[len("tf."):]), module


def test_initializer_tf2_forms_exist(resolves):
    assert [n for n, e in api_tables.initializers().items() if not resolves(e["tf2"])] == []


def test_contrib_replacements_exist(resolves):
    table = api_tables.load("api_contrib.json")
    named = [n for section in ("modules", "symbols") for entry in table[section].values() for n in entry["names"]]
    assert named and [n for n in named if not resolves(n)] == []
    # The keys are contrib names tf_upgrade_v2 knows, or modules of them.
    assert all(key.startswith("tf.contrib") for section in ("modules", "symbols") for key in table[section])


@pytest.mark.parametrize(
    "name",
    sorted(n for n, e in api_tables.initializers().items() if e["explicit"]),
)
def test_tf2_form_with_the_written_defaults_draws_the_tf1_distribution(name, tf, resolves, generator):
    """The converted call (TF2 form, TF1 defaults written out) samples like the TF1 initializer."""
    import numpy as np  # with TensorFlow, like the tf fixture
    entry = api_tables.initializers()[name]
    tf1 = generator.resolve(tf, "tf.compat.v1." + name[len("tf."):])()
    kwargs = {p: eval(v, {"tf": tf}) for p, v in entry["explicit"].items()}  # noqa: S307 (table literals)
    tf2 = generator.resolve(tf, entry["tf2"])(**kwargs)
    shape = (400, 250)
    old = np.asarray(tf1(shape, dtype=tf.float32))
    new = np.asarray(tf2(shape, dtype=tf.float32))
    for statistic in (np.mean, np.std, lambda a: np.percentile(a, 1), lambda a: np.percentile(a, 99)):
        assert statistic(new) == pytest.approx(statistic(old), abs=0.05)
    naive = np.asarray(generator.resolve(tf, entry["tf2"])()(shape, dtype=tf.float32))
    assert abs(np.std(naive) - np.std(old)) > 0.1, "the TF2 defaults would have given the same numbers"
