"""The interpreter that runs TF1 code for the catalog tests, and how to call a script with it.

TF 1.15 when ``TF1TO2_REFERENCE_PYTHON`` names one (contrib exists only there); otherwise this
interpreter's TensorFlow through ``tf.compat.v1`` with tf-keras, where contrib cases are skipped.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

SCRIPTS = Path(__file__).resolve().parent / "tf1"


def interpreter() -> str:
    configured = os.environ.get("TF1TO2_REFERENCE_PYTHON", "")
    if configured and os.access(configured, os.X_OK):
        return configured
    pytest.importorskip("tensorflow")
    return sys.executable


def run(script: str, request: Any, timeout: float = 300) -> dict:
    """Run ``tests/catalog/tf1/<script>`` with ``request`` as JSON on stdin; its last stdout line is JSON."""
    # Importing TensorFlow 2 in this process set TF2_BEHAVIOR=1; inherited, it would make TF 1.15 eager.
    inherited = {name: value for name, value in os.environ.items() if name != "TF2_BEHAVIOR"}
    env = {**inherited, "TF_USE_LEGACY_KERAS": "1", "TF_CPP_MIN_LOG_LEVEL": "2", "CUDA_VISIBLE_DEVICES": ""}
    done = subprocess.run(
        [interpreter(), str(SCRIPTS / script)], input=json.dumps(request), capture_output=True, text=True,
        timeout=timeout, env=env,
    )
    if done.returncode != 0:
        raise AssertionError(f"{script} failed:\n{done.stderr[-4000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])
