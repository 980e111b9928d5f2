"""The converted layers checked under Keras 2 (tf-keras): ``python keras2_side.py TF1_DIR OUT.json``.

Run in its own process, since ``TF_USE_LEGACY_KERAS`` must be set before TensorFlow is imported. Reads
the TF1 results the test session already computed and writes, per unit, the problems found.
"""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path

os.environ["TF_USE_LEGACY_KERAS"] = "1"
sys.path.insert(0, str(Path(__file__).resolve().parent))

import layer_equivalence as harness  # noqa: E402
from layer_cases import CASES, UNITS  # noqa: E402


def main(argv: list[str]) -> int:
    import tensorflow as tf

    tf1 = harness.read_tf1(Path(argv[1]))
    import tf_keras

    # tf.keras must be tf-keras here: its layers are what the converted classes subclass.
    keras = tf_keras.__version__ if tf.keras.layers.Layer is tf_keras.layers.Layer else "not tf-keras"
    report: dict[str, object] = {"keras": keras}
    loaded: dict[str, tuple] = {}
    for name, index in UNITS:
        case = harness.load_case(name, **CASES[name])
        if name not in loaded:
            loaded[name] = harness.load_converted(case.converted)
        namespace, unexpected = loaded[name]
        record, arrays = tf1[f"{name}#{index}"]
        try:
            check = harness.check_unit(tf, namespace, case.units[index], case.inputs[index], record, arrays)
            problems = unexpected + check.problems
        except Exception as exc:  # noqa: BLE001 - reported as a problem of this unit
            problems = unexpected + [f"{type(exc).__name__}: {exc}"]
        report[f"{name}#{index}"] = problems
    Path(argv[2]).write_text(json.dumps(report, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
