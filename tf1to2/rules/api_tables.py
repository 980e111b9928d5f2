"""The API upgrade tables (``tf1to2/data/api_*.json``), read once per process.

They are generated from the installed TensorFlow by ``tools/gen_api_tables.py`` and checked against it
by ``tests/test_api_tables.py``; nothing here imports TensorFlow. This module is shared by the
``api_*`` rules and is not a rule itself.
"""
from __future__ import annotations

import functools
import json
from importlib import resources
from typing import Any, Optional


@functools.cache
def load(name: str) -> dict[str, Any]:
    text = resources.files("tf1to2").joinpath("data", name).read_text(encoding="utf-8")
    return json.loads(text)


def symbols() -> dict[str, Any]:
    return load("api_symbols.json")


def arguments() -> dict[str, Any]:
    return load("api_arguments.json")


def initializers() -> dict[str, Any]:
    return load("api_initializers.json")["initializers"]


def warnings() -> dict[str, Any]:
    return load("api_warnings.json")


@functools.cache
def applied_renames() -> dict[str, str]:
    """Every rename the converter applies (exact, compat.v1, and those needing tf-keras)."""
    table = symbols()
    return {**table["renames"], **table["renames_needing_tf_keras"]}


def rename_of(api: str) -> Optional[str]:
    """The TF2 name of a TF1 name (or module) the converter renames, or None."""
    renamed = applied_renames().get(api)
    if renamed is None and api in symbols()["removed_modules"] and api != "tf.layers":
        # A TF1 module with no TF2 counterpart (tf.flags, tf.gfile, ...): its remaining members live on
        # in tf.compat.v1. tf.layers is left to its own rule (TF419), which warns about tf-keras.
        renamed = "tf.compat.v1." + api[len("tf."):]
    return renamed


def import_target(api: str) -> str:
    """The TF2 name an imported TF1 name becomes (``tf.placeholder`` → ``tf.compat.v1.placeholder``)."""
    kept = symbols()["kept"].get(api)
    if kept:
        return kept["import_as"]
    if api.startswith("tf.layers."):
        return "tf.compat.v1." + api[len("tf."):]
    return rename_of(api) or ("tf.compat.v1.layers" if api == "tf.layers" else api)


def needs_tf_keras(api: str) -> bool:
    """True when a name exists under TF >= 2.16 only with tf-keras and TF_USE_LEGACY_KERAS=1."""
    return api.startswith(("tf.compat.v1.layers", "tf.compat.v1.nn.rnn_cell")) or (
        api in symbols()["renames_needing_tf_keras"].values()
    )


def method_key(name: str) -> str:
    """Tables key method-call entries by ``*.<method>`` (for example ``*.minimize``)."""
    return "*." + name


def remark(source: str) -> Optional[dict[str, str]]:
    """tf_upgrade_v2's notes on a renamed TF1 name, as one {severity, message}, or None.

    The rename itself makes the code run, so an "error" note counts as a warning.
    """
    tables = warnings()
    special = tables["special_cases"].get(source, {})
    notes = [
        note for note in (
            tables["function_warnings"].get(source),
            tables["module_deprecations"].get(source),
            special if special.get("handled_by") == "TF429" else None,
        ) if note
    ]
    if not notes:
        return None
    severity = "warning" if any(n["severity"] != "info" for n in notes) else "info"
    return {"severity": severity, "message": " ".join(n["message"] for n in notes)}
