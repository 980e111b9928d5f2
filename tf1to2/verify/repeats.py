"""Manifest weights that stand for every element of a list (``Weight.repeat``), made concrete.

``model/h{layer}/attn/w`` ↔ ``h[{layer}].attn.w`` with ``repeat="layer"``: the converter could not know how
many blocks there are. The converted side expands such an entry by the lists it finds on the unit; the
original side and checkpoints by the TF1 names that match the pattern. No TensorFlow here.
"""
from __future__ import annotations

import dataclasses
import re
from typing import Any, Callable, Iterable, Mapping, Sequence

from tf1to2.manifest import Weight
from tf1to2.verify.paths import CheckpointError, resolve_attribute


def fields(weight: Weight) -> list[str]:
    return [field.strip() for field in (weight.repeat or "").split(",") if field.strip()]


def _fill(text: str, values: Mapping[str, int]) -> str:
    for field, value in values.items():
        text = text.replace("{" + field + "}", str(value))
    return text


def concrete(weight: Weight, values: Mapping[str, int]) -> Weight:
    return dataclasses.replace(
        weight, tf1_name=_fill(weight.tf1_name, values), attribute=_fill(weight.attribute, values), repeat=None
    )


def expand_on_unit(instance: Any, weights: Sequence[Weight]) -> tuple[list[Weight], list[tuple[str, str]]]:
    """Concrete weights for the lists the unit has; (tf1 name, problem) for lists it lacks."""
    expanded: list[Weight] = []
    problems: list[tuple[str, str]] = []
    for weight in weights:
        if not weight.repeat:
            expanded.append(weight)
            continue
        try:
            expanded.extend(_expand(instance, weight, fields(weight), {}))
        except CheckpointError as exc:
            problems.append((weight.tf1_name, f"attribute {weight.attribute!r}: {exc}"))
    return expanded, problems


def _expand(instance: Any, weight: Weight, remaining: list[str], values: dict[str, int]) -> list[Weight]:
    if not remaining:
        return [concrete(weight, values)]
    field, marker = remaining[0], "[{" + remaining[0] + "}]"
    attribute = _fill(weight.attribute, values)
    if marker not in attribute:
        raise CheckpointError(f"repeat field {field!r} does not appear as {marker} in the attribute path")
    container = resolve_attribute(instance, attribute.split(marker, 1)[0])
    expanded = []
    for index in range(len(container)):
        expanded.extend(_expand(instance, weight, remaining[1:], {**values, field: index}))
    return expanded


def pattern(text: str, weight: Weight) -> re.Pattern:
    """``model/h{layer}/w`` → a regex whose named groups are the repeat fields."""
    regex = re.escape(text)
    for field in fields(weight):
        regex = regex.replace(re.escape("{" + field + "}"), f"(?P<{field}>[0-9]+)", 1)
        regex = regex.replace(re.escape("{" + field + "}"), f"(?P={field})")
    return re.compile(regex + r"\Z")


def expand_by_names(weights: Iterable[Weight], names: Iterable[str],
                    name_of: Callable[[Weight], str] = lambda weight: weight.tf1_name) -> list[Weight]:
    """Concrete weights for the names (TF1 variables, checkpoint keys) that match each repeated entry.

    An entry no name matches stays as it is, so it is reported as missing under its pattern.
    """
    names = sorted(names)
    expanded: list[Weight] = []
    for weight in weights:
        if not weight.repeat:
            expanded.append(weight)
            continue
        regex = pattern(name_of(weight), weight)
        matches = [found.groupdict() for found in map(regex.match, names) if found]
        unique = sorted({tuple(sorted((k, int(v)) for k, v in m.items())) for m in matches})
        if unique:
            expanded.extend(concrete(weight, dict(values)) for values in unique)
        else:
            expanded.append(weight)
    return expanded
