"""``tf1to2 verify`` on hand-written conversions, and on the same conversions with bugs planted in them.

A checker that passes everything proves nothing: every planted bug must make verify fail and name the
comparison (and the output or weight) that shows it. To keep TensorFlow start-ups few, each fixture case
is verified once: the converted side is a module holding the clean conversion and each mutant as
separate modules, and the manifest lists the case's units once per variant.
"""
from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from tf1to2.cli import cli

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "verify"
pytestmark = pytest.mark.requires_tf


@dataclasses.dataclass(frozen=True)
class Mutant:
    """A bug planted in a case's converted.py: ``edits`` replace text that occurs exactly once; or in its
    manifest: ``transforms`` give weights (by attribute) another re-layout."""

    case: str
    name: str
    edits: tuple[tuple[str, str], ...]
    unit: str  # the case's unit (class name) the mutant runs as
    must_fail: frozenset[tuple[str, str]]  # (comparison, subject or "*") pairs that must be among the failures
    only: frozenset[str] = frozenset()  # when set: exactly these comparisons fail
    transforms: tuple[tuple[str, str], ...] = ()  # (attribute, transform id)

    @property
    def label(self) -> str:
        return f"{self.unit} [{self.name}]"


MUTANTS = (
    Mutant("dense_scope", "sign flipped in call",
           (("        y = tf.matmul(", "        y = -tf.matmul("),),
           "Model", frozenset({("forward", "output"), ("gradients", "input/x"), ("training", "my_dense_layer/weights")})),
    Mutant("dense_scope", "initializer stddev changed",
           (("stddev=1.0", "stddev=0.05"),),
           "Model", frozenset({("initializers", "my_dense_layer/weights")}), only=frozenset({"initializers"})),
    Mutant("dense_scope", "call raises",
           (("+ self.my_dense_layer.biases\n", "+ self.my_dense_layer.bias\n"),),
           "Model", frozenset({("run", "converted unit (call)")}), only=frozenset({"run"})),
    Mutant("shared_weights", "shared weight split in two",
           (('        self.layer2 = Biases(name="layer2")\n',
             '        self.layer2 = Biases(name="layer2")\n'
             '        self.shared_weights_2 = SharedWeights(name="shared_weights_2")\n'),
            ("tf.matmul(x2, self.shared_weights.shared_weights)", "tf.matmul(x2, self.shared_weights_2.shared_weights)")),
           # The extra weight's Keras name differs between Keras 2 and 3, hence "*".
           "Model", frozenset({("variables", "*"), ("forward", "output[1]")})),
    Mutant("linear_reuse", "regularizer dropped",
           (("            regularizer=tf.keras.regularizers.L2(0.005),\n", ""),),
           "Linear", frozenset({("regularization", "total regularization loss"), ("gradients", "weight/linear/w")})),
    Mutant("linear_reuse", "Adam epsilon changed",
           (("epsilon=1e-08", "epsilon=1e-07"),),
           "Linear", frozenset({("training, small gradients", "linear/w")}), only=frozenset({"training, small gradients"})),
    Mutant("linear_reuse", "learning rate changed",
           (("learning_rate=0.01,", "learning_rate=0.02,"),),
           "Siamese", frozenset({("training", "tower/w"), ("training", "tower/b")})),
    # The manifest loads TF1's LSTM bias without adding the forget bias TF1 adds at run time.
    Mutant("lstm_dynamic_rnn", "forget bias not folded", (), "Encoder",
           frozenset({("forward", "output"), ("gradients", "input/x"), ("gradients", "weight/rnn/lstm_cell/kernel"),
                      ("training", "rnn/lstm_cell/bias"), ("initializers", "rnn/lstm_cell/bias")}),
           transforms=(("lstm.cell.bias", "tf1_lstm.bias(forget_bias=0.0)"),)),
    # Loading is right, but a fresh unit starts with a forget bias of 0 where TF1's runs with 1.
    Mutant("lstm_dynamic_rnn", "forget bias not set at construction",
           (("            unit_forget_bias=True,\n", "            unit_forget_bias=False,\n"),),
           "Encoder", frozenset({("initializers", "rnn/lstm_cell/bias")}), only=frozenset({"initializers"})),
    # Dropout masks come from one deterministic source on both sides, so a wrong rate or mask shape shows.
    Mutant("dropout_training", "dropout rate is keep_prob",
           (("rate=1 - keep_prob)", "rate=keep_prob)"),),
           "Mlp", frozenset({("forward", "output"), ("gradients", "weight/mlp/w1"), ("training", "mlp/w2")})),
    Mutant("dropout_training", "noise_shape dropped",
           (("tf.keras.layers.Dropout(rate=0.3, noise_shape=(1, 16))", "tf.keras.layers.Dropout(rate=0.3)"),),
           "Mlp", frozenset({("forward", "output"), ("gradients", "input/x")})),
    Mutant("dropout_training", "input and output keep_prob swapped",
           (("sequence[:, step], rate=1 - 0.7)", "sequence[:, step], rate=1 - 0.6)"),
            ("tf.nn.dropout(state, rate=1 - 0.6)", "tf.nn.dropout(state, rate=1 - 0.7)")),
           "Rnn", frozenset({("forward", "output[0]"), ("forward", "output[1]"), ("training", "rnn/basic_rnn_cell/kernel")})),
)
CASES = sorted({mutant.case for mutant in MUTANTS})

COMBINED_PRELUDE = '''\
import types


def module(name, source):
    namespace = types.ModuleType(name)
    exec(compile(source, name, "exec"), namespace.__dict__)
    return namespace


def in_module(namespace, expression):
    return eval(expression, vars(namespace))

'''


def plant(source: str, mutant: Mutant) -> str:
    for old, new in mutant.edits:
        assert source.count(old) == 1, f"{mutant.name}: {old!r} must occur once in {mutant.case}/converted.py"
        source = source.replace(old, new)
    return source


def variant_unit(unit: dict, module: str, label: str, transforms: tuple[tuple[str, str], ...] = ()) -> dict:
    """The manifest unit, constructed (and its optimizer taken) from one variant module."""
    unit = json.loads(json.dumps(unit))
    for attribute, transform in transforms:
        [weight] = [w for w in unit["weights"] if w["attribute"] == attribute]
        weight["transform"] = transform
    unit["class_name"] = label
    example = unit["example"]
    example["construct"] = f"in_module({module}, {example['construct']!r})"
    if unit.get("optimizer"):
        unit["optimizer"]["converted"] = f"in_module({module}, {unit['optimizer']['converted']!r})"
    return unit


def combined_case(case: str, directory: Path) -> tuple[Path, Path]:
    """converted.py holding the clean conversion and every mutant of ``case``, and their manifest."""
    clean = (FIXTURES / case / "converted.py").read_text(encoding="utf-8")
    manifest = json.loads((FIXTURES / case / "manifest.json").read_text(encoding="utf-8"))
    mutants = [mutant for mutant in MUTANTS if mutant.case == case]
    lines = [COMBINED_PRELUDE, f"clean = module('clean', {clean!r})"]
    units = [variant_unit(unit, "clean", unit["class_name"]) for unit in manifest["units"]]
    for index, mutant in enumerate(mutants):
        lines.append(f"mutant_{index} = module('mutant_{index}', {plant(clean, mutant)!r})")
        unit = next(u for u in manifest["units"] if u["class_name"] == mutant.unit)
        units.append(variant_unit(unit, f"mutant_{index}", mutant.label, mutant.transforms))
    converted = directory / "converted.py"
    converted.write_text("\n".join(lines) + "\n", encoding="utf-8")
    manifest_path = directory / "converted.tf1to2.json"
    manifest_path.write_text(json.dumps({**manifest, "units": units}, indent=2), encoding="utf-8")
    return converted, manifest_path


_RUNS: dict[str, tuple[int, dict]] = {}


def verified(case: str, tmp_path_factory: pytest.TempPathFactory) -> tuple[int, dict]:
    """The case verified once per session through the CLI: (exit code, JSON report)."""
    if case not in _RUNS:
        directory = tmp_path_factory.mktemp(case)
        converted, _ = combined_case(case, directory)
        report = directory / "report.json"
        # No --manifest: verify finds it next to the converted file, where convert writes it. The original
        # runs on TF1TO2_REFERENCE_PYTHON when that is set (tox's tf115), else through tf.compat.v1.
        result = CliRunner().invoke(
            cli, ["verify", str(FIXTURES / case / "original.py"), str(converted), "--json", str(report)]
        )
        assert report.exists(), result.output
        _RUNS[case] = (result.exit_code, json.loads(report.read_text(encoding="utf-8")))
    return _RUNS[case]


def failures(report: dict, unit: str) -> set[tuple[str, str]]:
    return {(c["comparison"], c["subject"]) for c in report["checks"] if c["unit"] == unit and not c["passed"]}


@pytest.mark.parametrize("case", CASES)
def test_clean_conversions_are_equivalent(case, tmp_path_factory):
    exit_code, report = verified(case, tmp_path_factory)
    clean_units = {u["class_name"] for u in json.loads((FIXTURES / case / "manifest.json").read_text())["units"]}
    clean_checks = [c for c in report["checks"] if c["unit"] in clean_units]
    assert {c["unit"] for c in clean_checks} == clean_units
    assert [c for c in clean_checks if not c["passed"]] == []
    compared = {c["comparison"] for c in clean_checks}
    assert {"variables", "forward", "gradients", "training", "training, small gradients", "initializers"} <= compared
    assert exit_code == 1  # the mutants verified in the same run fail


@pytest.mark.parametrize("mutant", [pytest.param(m, id=m.name) for m in MUTANTS])
def test_a_planted_bug_fails_and_names_the_comparison(mutant, tmp_path_factory):
    _, report = verified(mutant.case, tmp_path_factory)
    found = failures(report, mutant.label)
    found_any_subject = found | {(comparison, "*") for comparison, _ in found}
    assert mutant.must_fail <= found_any_subject, f"{mutant.name}: failures were {sorted(found)}"
    if mutant.only:
        assert {comparison for comparison, _ in found} == mutant.only
    assert all(c["detail"] for c in report["checks"] if c["unit"] == mutant.label and not c["passed"])


def test_a_converted_unit_that_raises_says_what_it_raised(tmp_path_factory):
    _, report = verified("dense_scope", tmp_path_factory)
    [check] = [c for c in report["checks"] if c["unit"] == "Model [call raises]"]
    assert check["detail"] == "AttributeError: 'MyDenseLayer' object has no attribute 'bias'"


def test_masks_drawn_in_other_shapes_are_noted(tmp_path_factory):
    _, report = verified("dropout_training", tmp_path_factory)
    forward, training = [n for n in report["notes"] if "Mlp [noise_shape dropped]" in n]
    assert forward.startswith("dropout masks differ in Mlp [noise_shape dropped] (forward, gradients): the original "
                           "drew 2 masks ([4, 16], [1, 16]), the converted code 2 masks ([4, 16], [4, 16]); "
                           "draw 2 is [1, 16] against [4, 16]")
    assert training.startswith("dropout masks differ in Mlp [noise_shape dropped] (training): the original drew 6 masks")
    # The clean conversions draw alike; the swapped keep_probs draw the same shapes, so nothing is noted.
    assert not [n for n in report["notes"] if "in Mlp (" in n or "Rnn" in n]
