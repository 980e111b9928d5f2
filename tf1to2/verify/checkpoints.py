"""``convert-checkpoint`` and ``diff-checkpoint``: TF1 checkpoints against the manifest and the converted unit.

A TF1 checkpoint names weights by TF1 variable name; the converted unit loads a ``tf.train.Checkpoint``
(``tf.train.Checkpoint(model=unit, optimizer=optimizer).read(path)``) or a Keras ``.weights.h5``. The
manifest pairs the names. TensorFlow is imported inside the functions.
"""
from __future__ import annotations

import difflib
import re
from pathlib import Path
from typing import Any, Optional, Sequence

import numpy as np

from tf1to2.manifest import Manifest, Unit
from tf1to2.verify import binding as bind
from tf1to2.verify import layouts, repeats, slots
from tf1to2.verify.binding import CheckpointError
from tf1to2.verify.report import CheckpointDiff, ConvertedCheckpoint, NameProblem

OBJECT_SUFFIX = "/.ATTRIBUTES/VARIABLE_VALUE"
H5_SUFFIX = ".weights.h5"


def read_manifest(path: Path) -> Manifest:
    try:
        return Manifest.from_json(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise CheckpointError(f"cannot read the manifest {path}: {exc}") from None


def select_unit(manifest: Manifest, name: Optional[str]) -> Unit:
    """The unit named by class or TF1 source name; the only unit when no name is given."""
    if name is not None:
        for unit in manifest.units:
            if name in (unit.class_name, unit.source):
                return unit
        known = ", ".join(unit.class_name for unit in manifest.units) or "none"
        raise CheckpointError(f"the manifest has no unit {name!r} (units: {known})")
    if len(manifest.units) != 1:
        known = ", ".join(unit.class_name for unit in manifest.units) or "none"
        raise CheckpointError(f"the manifest has {len(manifest.units)} units ({known}); choose one with --unit")
    return manifest.units[0]


def converted_module(manifest_path: Path, manifest: Manifest, override: Optional[Path]) -> Path:
    """The converted file: --converted, else the manifest's ``converted`` relative to the manifest or cwd."""
    if override is not None:
        return override
    recorded = Path(manifest.converted)
    for candidate in (recorded, manifest_path.parent / recorded, manifest_path.parent / recorded.name):
        if candidate.is_file():
            return candidate
    raise CheckpointError(f"cannot find the converted module {manifest.converted!r} the manifest names; pass --converted")


def load_reader(checkpoint: str) -> Any:
    import tensorflow as tf

    try:
        return tf.train.load_checkpoint(checkpoint)
    except (ValueError, tf.errors.OpError) as exc:
        raise CheckpointError(f"cannot read checkpoint {checkpoint}: {exc}") from None


def _listed(problems: Sequence[tuple[str, str]]) -> str:
    return "; ".join(f"{name}: {problem}" for name, problem in problems)


def convert_checkpoint(
    tf1_checkpoint: str,
    manifest_path: Path,
    output: str,
    *,
    unit_name: Optional[str] = None,
    converted: Optional[Path] = None,
    with_optimizer: bool = False,
    settings: slots.OptimizerSettings = slots.OptimizerSettings(),
) -> ConvertedCheckpoint:
    """Load the TF1 values into the converted unit through the manifest and save them for it.

    The result is read back into a freshly constructed unit and compared, so a checkpoint that would not
    load (Keras 3 does not track lists of layers for ``tf.train.Checkpoint``) is an error, not a surprise.
    """
    import tensorflow as tf

    manifest = read_manifest(manifest_path)
    unit = select_unit(manifest, unit_name)
    reader = load_reader(tf1_checkpoint)
    names = sorted(reader.get_variable_to_shape_map())
    namespace = bind.load_module(converted_module(manifest_path, manifest, converted)).namespace
    inputs = bind.example_tensors(unit.example) if unit.example else {}
    instance = bind.construct_unit(namespace, unit, inputs, call=True)
    binding = bind.bind_weights(instance, unit.weights)
    if binding.problems:
        mismatch = _listed(binding.problems)
        raise CheckpointError(f"the manifest does not match the converted unit {unit.class_name}: {mismatch}")
    problems = bind.assign_from_reader(binding, reader)
    if problems:
        explain = f"tf1to2 diff-checkpoint {tf1_checkpoint} --manifest {manifest_path}"
        raise CheckpointError(f"{_listed(problems)} ({explain} explains)")
    optimizer_name, copied, iterations, objects = None, 0, None, {"model": instance}
    if with_optimizer:
        if output.endswith(H5_SUFFIX):
            raise CheckpointError(f"{H5_SUFFIX} holds weights only; write a checkpoint prefix for optimizer state")
        trainable = bind.trainable_variables(instance)
        optimizer_name = slots.detect_optimizer(names, [binding.tf1_name_of(v) or "" for v in trainable])
        if optimizer_name is None:
            raise CheckpointError("the checkpoint has no Adam, Momentum, RMSProp or Adagrad slots for every weight")
        optimizer, copied, iterations = slots.assign_optimizer_state(
            optimizer_name, settings, binding, trainable, reader, names
        )
        objects["optimizer"] = optimizer
    try:
        if output.endswith(H5_SUFFIX):
            save_weights_h5(instance, output)
        else:
            output = tf.train.Checkpoint(**objects).write(output)
    except (ValueError, OSError) as exc:
        raise CheckpointError(f"cannot write {output}: {exc}") from None
    _check_round_trip(namespace, unit, inputs, binding, output)
    return ConvertedCheckpoint(
        tf1_checkpoint, output, unit.class_name, len(binding.bound), optimizer_name, copied, iterations
    )


def keras3_saving(instance: Any) -> Optional[Any]:
    """Keras 3's ``keras.saving`` when ``instance`` is a Keras 3 object (it saves layers, not only models)."""
    if not any(cls.__module__.startswith("keras.") for cls in type(instance).__mro__):
        return None
    import keras

    saving = getattr(keras, "saving", None)
    return saving if hasattr(saving, "save_weights") else None  # Keras 2's keras.saving cannot


def save_weights_h5(instance: Any, output: str) -> None:
    saving = keras3_saving(instance)
    if saving is not None:
        saving.save_weights(instance, output)
    elif hasattr(instance, "save_weights"):
        instance.save_weights(output)
    else:
        raise CheckpointError("this Keras saves .weights.h5 for models only; write a checkpoint prefix instead")


def load_weights(instance: Any, path: str) -> None:
    """Read what ``convert_checkpoint`` wrote back into a unit (a ``.weights.h5`` or a checkpoint prefix)."""
    import tensorflow as tf

    if not path.endswith(H5_SUFFIX):
        tf.train.Checkpoint(model=instance).read(path).expect_partial()
        return
    saving = keras3_saving(instance)
    if saving is not None:
        saving.load_weights(instance, path)
    else:
        instance.load_weights(path)


def _check_round_trip(namespace: dict, unit: Unit, inputs: dict, binding: bind.Binding, output: str) -> None:
    fresh = bind.construct_unit(namespace, unit, inputs, call=True)
    load_weights(fresh, output)
    fresh_binding = bind.bind_weights(fresh, unit.weights)
    lost = [
        weight.tf1_name
        for (weight, saved), (_, loaded) in zip(binding.bound, fresh_binding.bound)
        if not np.array_equal(np.asarray(saved.numpy()), np.asarray(loaded.numpy()))
    ]
    if lost:
        raise CheckpointError(
            f"{output} does not restore {len(lost)} weight(s) of {unit.class_name} ({', '.join(lost[:5])}); "
            f"Keras 3 does not track lists of layers for tf.train.Checkpoint: write a {H5_SUFFIX} instead"
        )


# --- diff-checkpoint ------------------------------------------------------------------------------------


def _closest(name: str, candidates: Sequence[str]) -> Optional[str]:
    found = difflib.get_close_matches(name, candidates, n=1, cutoff=0.5)
    return found[0] if found else None


def _public(path: str) -> str:
    # Keras keeps some weights as private attributes behind properties: Dense's ``kernel`` is ``_kernel``.
    return "/".join(part.lstrip("_") for part in path.split("/"))


def _object_name(key: str) -> str:
    """``model/d/_kernel/.ATTRIBUTES/VARIABLE_VALUE`` → ``d/kernel``."""
    return _public(key[: -len(OBJECT_SUFFIX)].split("/", 1)[1])


def diff_checkpoint(checkpoint: str, manifest_path: Path, unit_name: Optional[str] = None) -> CheckpointDiff:
    """Missing, unexpected and wrongly shaped weights, each with the closest name on the other side.

    A TF1 checkpoint is matched by TF1 variable name, optimizer state set aside (but a trainable weight
    whose slot another weight has is reported missing: seed 002's ``Variable d_w1/Adam does not exist``).
    A ``tf.train.Checkpoint`` is matched by the manifest's attribute paths.
    """
    import tensorflow as tf

    manifest = read_manifest(manifest_path)
    units = [select_unit(manifest, unit_name)] if unit_name else list(manifest.units)
    weights = [weight for unit in units for weight in unit.weights]
    try:
        listed = dict(tf.train.list_variables(checkpoint))
    except (ValueError, tf.errors.OpError) as exc:
        raise CheckpointError(f"cannot read checkpoint {checkpoint}: {exc}") from None
    object_based = any(key.endswith(OBJECT_SUFFIX) for key in listed)
    if object_based:
        shapes = {_object_name(k): v for k, v in listed.items() if k.endswith(OBJECT_SUFFIX) and k.startswith("model/")}
        optimizer_state = sorted(k for k in listed if k.startswith("optimizer/"))
        weights = repeats.expand_by_names(weights, shapes, lambda weight: _public(_object_text(weight.attribute)))
    else:
        optimizer_state = sorted(name for name in listed if slots.is_optimizer_state(name))
        shapes = {k: v for k, v in listed.items() if k not in optimizer_state and k != "_CHECKPOINTABLE_OBJECT_GRAPH"}
        weights = repeats.expand_by_names(weights, shapes)
    # By TF1 name, a re-laid out weight needs every TF1 variable its transform reads (a GRU kernel: gates and
    # candidate); its manifest shape is the converted one, so only its presence is checked.
    candidates = [(weight, _object_names(weight) if object_based else [weight.tf1_name]) for weight in weights]
    siblings = {id(weight): [] if object_based else layouts.source_names(weight)[1:] for weight in weights}
    claimed = {name for _, names in candidates for name in names if name in shapes}
    claimed |= {name for names in siblings.values() for name in names if name in shapes}
    unclaimed = sorted(shapes.keys() - claimed)
    missing, wrong_shape, matched = [], [], 0
    for weight, names in sorted(candidates, key=lambda pair: pair[1][0]):
        found = next((name for name in names if name in shapes), None)
        absent = next((name for name in siblings[id(weight)] if name not in shapes), None)
        if found is None or absent is not None:
            name = names[0] if found is None else absent
            missing.append(NameProblem(name, _closest(name, unclaimed), expected_shape=weight.shape))
        elif weight.transform is not None and not object_based:
            matched += 1
        elif not _same_shape(weight.shape, shapes[found]):
            wrong_shape.append(NameProblem(found, expected_shape=weight.shape, actual_shape=tuple(shapes[found])))
        else:
            matched += 1
    unfound = [names[0] for _, names in candidates if not any(name in shapes for name in names)]
    unexpected = [NameProblem(name, _closest(name, unfound)) for name in unclaimed]
    if not object_based:
        missing += _missing_slots(weights, set(listed), optimizer_state)
    return CheckpointDiff(checkpoint, str(manifest_path), "object" if object_based else "tf1", matched, tuple(missing),
                          tuple(unexpected), tuple(wrong_shape), tuple(optimizer_state))


def _object_text(attribute: str) -> str:
    """``h[{layer}].attn.w`` → ``h/{layer}/attn/w``, also for attribute paths with repeat placeholders."""
    return re.sub(r"\[['\"]?([^\]'\"]+)['\"]?\]", r".\1", attribute).replace(".", "/")


def _object_names(weight: Any) -> list[str]:
    """Where ``tf.train.Checkpoint`` may keep the weight: Keras 3 tracks the attribute (``dense/weights_``),
    Keras 2 a weight made by ``add_weight`` under its name, taken to be the TF1 short name (``dense/weights``)."""
    path = _public(_object_text(weight.attribute))
    parent = path.rsplit("/", 1)[0] + "/" if "/" in path else ""
    by_name = parent + weight.tf1_name.rsplit("/", 1)[-1]
    return [path] if by_name == path else [path, by_name]


def _same_shape(recorded: Optional[Sequence[Optional[int]]], actual: Sequence[int]) -> bool:
    if recorded is None:  # the converter could not know the shape: any will do
        return True
    return len(recorded) == len(actual) and all(r is None or r == a for r, a in zip(recorded, actual))


def _missing_slots(weights: Sequence[Any], names: set[str], optimizer_state: Sequence[str]) -> list[NameProblem]:
    """Slots the optimizer in the checkpoint keeps for some trainable weights but not for these."""
    suffixes = sorted({name.rsplit("/", 1)[1] for name in optimizer_state if "/" in name})
    suffixes = [suffix for suffix in suffixes if suffix.split("_")[0] in slots.SLOT_LAYOUTS]
    problems = []
    for weight in weights:
        if not weight.trainable or weight.tf1_name not in names:
            continue
        for suffix in suffixes:
            slot = f"{weight.tf1_name}/{suffix}"
            if slot not in names:
                note = f"the optimizer in the checkpoint keeps no {suffix} slot for {weight.tf1_name}"
                problems.append(NameProblem(slot, note=note))
    return problems
