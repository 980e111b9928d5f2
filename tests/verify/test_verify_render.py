"""What people read: the verify table, its failures, the JSON, the checkpoint summaries."""
from __future__ import annotations

import json

from tf1to2.render import verify_report
from tf1to2.verify.report import (
    Check,
    CheckpointDiff,
    Comparison,
    ConvertedCheckpoint,
    NameProblem,
    Side,
    Tolerance,
    VerifyReport,
)

TOLERANCE = Tolerance(1e-5, 1e-6)


def report(*checks: Check) -> VerifyReport:
    return VerifyReport(
        original="model.py",
        converted="out/model.py",
        manifest="out/model.tf1to2.json",
        original_side=Side("3.7.16", "/ref/bin/python", "1.15.5"),
        converted_side=Side("3.11.7", "/venv/bin/python", "2.21.0", "3.15.1"),
        tolerance=TOLERANCE,
        steps=3,
        checks=checks,
    )


PASSING = (
    Check("Linear", Comparison.VARIABLES, "2 variables", True, detail="names, shapes, dtypes and trainable flags match"),
    Check("Linear", Comparison.FORWARD, "output", True, max_abs=0.0, max_rel=0.0, allowed=str(TOLERANCE)),
)
SIGN_FLIP = Check("Linear", Comparison.FORWARD, "output[1]", False, max_abs=7.82, max_rel=2.0, allowed=str(TOLERANCE),
                  detail="at [1, 0] original -3.910688, converted 3.910688")
LATE_DRIFT = Check("Linear", Comparison.TRAINING, "linear/w", False, step=2, max_abs=0.03, max_rel=0.4,
                   allowed=str(TOLERANCE), detail="at [4, 2] original -0.0002, converted 0.0098")


def test_an_equivalent_report_has_one_row_per_unit_and_comparison_and_says_so():
    text = verify_report.table(report(*PASSING))
    lines = text.splitlines()
    assert "original:  model.py (TensorFlow 1.15.5, Python 3.7.16)" in lines
    assert "converted: out/model.py (TensorFlow 2.21.0, Keras 3.15.1, Python 3.11.7)" in lines
    rows = [line.split() for line in lines if line.startswith("Linear")]
    assert [row[:3] for row in rows] == [["Linear", "variables", "ok"], ["Linear", "forward", "ok"]]
    assert lines[-1] == "EQUIVALENT: 2 checks passed"
    assert "Failures" not in text


def test_failures_name_unit_comparison_subject_step_and_values():
    text = verify_report.table(report(*PASSING, SIGN_FLIP, LATE_DRIFT))
    assert (
        "  Linear · forward · output[1]: at [1, 0] original -3.910688, converted 3.910688 "
        "(max abs 7.82, max rel 2; held to rtol 1e-05, atol 1e-06)"
    ) in text.splitlines()
    assert "  Linear · training · linear/w · step 2: at [4, 2] original -0.0002, converted 0.0098" in text
    forward_row = next(line for line in text.splitlines() if line.startswith("Linear") and " forward " in line)
    assert forward_row.split()[2:5] == ["FAIL", "2", "7.82"]
    assert text.splitlines()[-1] == "NOT EQUIVALENT: 2 of 4 checks failed"


def test_long_failure_lists_are_cut_with_a_pointer_to_the_json():
    many = [Check("Big", Comparison.GRADIENTS, f"weight/w{i}", False, max_abs=1.0, detail="differs") for i in range(8)]
    text = verify_report.table(report(*many))
    assert sum("Big · gradients · weight/w" in line for line in text.splitlines()) == verify_report.FAILURES_SHOWN
    assert "  ... and 3 more of Big · gradients (see --json)" in text


def test_json_has_every_check_and_the_verdict():
    data = json.loads(verify_report.to_json(report(*PASSING, SIGN_FLIP)))
    assert data["equivalent"] is False
    assert [c["comparison"] for c in data["checks"]] == ["variables", "forward", "forward"]
    assert data["checks"][2]["detail"] == SIGN_FLIP.detail
    assert data["original_side"]["tensorflow"] == "1.15.5"


def test_checkpoint_diff_explains_each_mismatch_with_the_closest_name():
    diff = CheckpointDiff(
        checkpoint="model.ckpt",
        manifest="model.tf1to2.json",
        kind="tf1",
        matched=1,
        missing=(NameProblem("d_w_1", "d_w1", expected_shape=(3, 4)),),
        unexpected=(NameProblem("d_w1", "d_w_1"),),
        wrong_shape=(NameProblem("d_b1", expected_shape=(5,), actual_shape=(4,)),),
        optimizer_state=("beta1_power", "beta2_power"),
    )
    lines = verify_report.checkpoint_diff(diff).splitlines()
    assert lines[0] == "checkpoint model.ckpt (TF1 variable names) against manifest model.tf1to2.json"
    assert "    d_w_1   shape (3, 4)   closest in the checkpoint: d_w1" in lines
    assert "    d_b1   manifest (5), checkpoint (4)" in lines
    assert "    d_w1   closest in the manifest: d_w_1" in lines
    assert "  optimizer state, not weights (2): beta1_power, beta2_power" in lines
    assert lines[-1] == "  MISMATCH"


def test_converted_checkpoint_summary_counts_slots_and_steps():
    result = ConvertedCheckpoint("model.ckpt", "out/ckpt", "Model", weights=2, optimizer="Adam", slots=4, iterations=20)
    assert verify_report.converted_checkpoint(result) == (
        "wrote out/ckpt: 2 weights of Model from model.ckpt; Adam state: 4 slots, 20 iterations\n"
    )


def test_a_trace_failure_names_the_site_fetch_and_step_and_notes_come_before_the_table():
    failing = Check("g_step (line 52)", Comparison.TRACE, "g_loss", False, step=1, max_abs=0.0292, max_rel=0.0407,
                    allowed=str(TOLERANCE), detail="original 0.7189421, converted 0.6897")
    noted = VerifyReport(**{**report(failing).__dict__, "notes": ("Dense: weights not transferred to the script's "
                                                                  "layer: its weights do not exist yet",)})
    lines = verify_report.table(noted).splitlines()
    assert lines[3] == "note: Dense: weights not transferred to the script's layer: its weights do not exist yet"
    assert ("  g_step (line 52) · sess.run trace · g_loss · step 1: original 0.7189421, converted 0.6897 "
            "(max abs 0.0292, max rel 0.0407; held to rtol 1e-05, atol 1e-06)") in lines
    assert json.loads(verify_report.to_json(noted))["notes"] == list(noted.notes)
