"""TF1 initializers and the TF2 expressions that draw from the same distribution.

TF1 defaults that Keras does not share are written out (``RandomNormal(mean=0.0, stddev=1.0)``,
``RandomUniform(minval=0.0, maxval=1.0)``). contrib's ``variance_scaling_initializer`` draws a truncated
normal with stddev ``sqrt(1.3 * factor / n)``; Keras' ``VarianceScaling`` divides ``sqrt(scale / n)`` by
0.87962566103423978 (the stddev of a standard normal cut at ±2), so the exact conversion is
``scale = 1.3 * 0.87962566103423978 ** 2 * factor``. Checked against TF 1.15 by
tests/behaviour/test_catalog_numerics.py (moments of a million draws).
"""
from __future__ import annotations

import dataclasses
from typing import Any, Optional

from tf1to2.catalog.args import MISSING, arguments_of, bind, literal, operand, python_string
from tf1to2.catalog.params import Rendering, apply, call_text
from tf1to2.catalog.records import Param, Role, Unmapped

TRUNCATION = "0.87962566103423978"  # stddev of a standard normal truncated at ±2
CONTRIB_TRUNCATED_SCALE = f"1.3 * {TRUNCATION} ** 2"


@dataclasses.dataclass(frozen=True)
class InitializerRecord:
    api: str
    keras_class: str  # under ``tf.keras.initializers``
    params: tuple[Param, ...]
    special: Optional[str] = None
    notes: tuple[str, ...] = ()


@dataclasses.dataclass(frozen=True)
class Rendered:
    code: str
    unmapped: tuple[Unmapped, ...] = ()
    notes: tuple[str, ...] = ()


def _dtype() -> Param:
    return Param("dtype", None, "tf.float32", Role.IGNORED)


def _seed() -> Param:
    return Param("seed", "seed", "None")


_SEED_DTYPE = (_seed(), _dtype())
_VARIANCE = "variance_scaling"


def _records() -> list[InitializerRecord]:
    normal = (Param("mean", "mean", "0.0", explicit=True), Param("stddev", "stddev", "1.0", explicit=True), *_SEED_DTYPE)
    uniform = (Param("minval", "minval", "0.0", explicit=True), Param("maxval", "maxval", "1.0", explicit=True),
               *_SEED_DTYPE)
    variance = (Param("scale", "scale", "1.0", explicit=True), Param("mode", "mode", '"fan_in"', explicit=True),
                Param("distribution", "distribution", '"truncated_normal"', explicit=True, convert="distribution"),
                *_SEED_DTYPE)
    table = [
        ("random_normal", "RandomNormal", normal, None),
        ("truncated_normal", "TruncatedNormal", normal, None),
        ("random_uniform", "RandomUniform", uniform, None),
        ("glorot_uniform", "GlorotUniform", _SEED_DTYPE, None),
        ("glorot_normal", "GlorotNormal", _SEED_DTYPE, None),
        ("variance_scaling", "VarianceScaling", variance, None),
        ("orthogonal", "Orthogonal", (Param("gain", "gain", "1.0", explicit=True), *_SEED_DTYPE), None),
        ("zeros", "Zeros", (_dtype(),), None),
        ("ones", "Ones", (_dtype(),), None),
        ("constant", "Constant", (Param("value", "value", "0", explicit=True), _dtype(),
                                  Param("verify_shape", None, "False", Role.UNSUPPORTED,
                                        reason="Keras' Constant has no verify_shape")), None),
        ("uniform_unit_scaling", "VarianceScaling", (Param("factor", None, "1.0", Role.SPECIAL), *_SEED_DTYPE),
         "uniform_unit_scaling"),
    ]
    records = []
    for short, keras, params, special in table:
        notes = ()
        if special == "uniform_unit_scaling":
            notes = ("for 1-D shapes TF1 takes the input size as 1, Keras' fan_in as the length: exact for rank >= 2",)
        for api in (f"tf.{short}_initializer", f"tf.initializers.{short}"):
            records.append(InitializerRecord(api, keras, params, special, notes))
    for short, keras in (("he_normal", "HeNormal"), ("he_uniform", "HeUniform"), ("lecun_normal", "LecunNormal"),
                         ("lecun_uniform", "LecunUniform")):
        records.append(InitializerRecord(f"tf.initializers.{short}", keras, (_seed(),)))
        records.append(InitializerRecord(f"tf.keras.initializers.{short}", keras, (_seed(),)))
    records.append(InitializerRecord("tf.initializers.identity", "Identity",
                                     (Param("gain", "gain", "1.0", explicit=True), _dtype())))
    contrib_xavier = (Param("uniform", None, "True", Role.SPECIAL), *_SEED_DTYPE)
    for name in ("xavier_initializer", "xavier_initializer_conv2d"):
        records.append(InitializerRecord(f"tf.contrib.layers.{name}", "VarianceScaling", contrib_xavier, "contrib_xavier"))
    records.append(InitializerRecord(
        "tf.contrib.layers.variance_scaling_initializer", "VarianceScaling",
        (Param("factor", None, "2.0", Role.SPECIAL), Param("mode", None, "'FAN_IN'", Role.SPECIAL),
         Param("uniform", None, "False", Role.SPECIAL), *_SEED_DTYPE),
        "contrib_variance_scaling",
    ))
    return records


RECORDS: dict[str, InitializerRecord] = {r.api: r for r in _records()}
ALIASES = {f"tf.contrib.slim.{n}": f"tf.contrib.layers.{n}"
           for n in ("xavier_initializer", "xavier_initializer_conv2d", "variance_scaling_initializer")}


def lookup(api: Optional[str]) -> Optional[InitializerRecord]:
    if api is None:
        return None
    return RECORDS.get(ALIASES.get(api, api))


def render(record: InitializerRecord, call_args: Any = (), *, tf: str = "tf") -> Rendered:
    """The TF2 expression for one TF1 initializer call (``tf.random_normal_initializer(stddev=0.1)``)."""
    bound = bind([p.tf1 for p in record.params], arguments_of(call_args))
    out = apply(record.params, bound, record.api, _convert)
    if record.special:
        _SPECIALS[record.special](out, bound)
    callee = f"{tf}.keras.initializers.{record.keras_class}"
    return Rendered(call_text(callee, out.keywords), tuple(out.unmapped), tuple(out.notes) + record.notes)


def _convert(kind: str, text: str) -> str:
    if kind == "distribution":
        value = literal(text)
        # TF1's "normal" is the truncated normal (with the 0.8796 correction); Keras 3 refuses the name.
        if value == "normal":
            return python_string("truncated_normal")
        return python_string(value) if isinstance(value, str) else text
    return text


def _mode(text: str) -> str:
    value = literal(text)
    return python_string(value.lower()) if isinstance(value, str) else f"{operand(text)}.lower()"


def _variance_scaling(out: Rendering, factor: str, mode: str, uniform_text: str) -> None:
    uniform = literal(uniform_text)
    if uniform is MISSING:
        out.unmap("uniform", uniform_text, "uniform must be a literal True or False to pick the distribution")
        return
    factor_value = literal(factor)
    if uniform:
        scale = factor
        distribution = "uniform"
    else:
        # TF1 draws stddev sqrt(1.3 * factor / n); Keras divides sqrt(scale / n) by the truncation stddev.
        scale = CONTRIB_TRUNCATED_SCALE if factor_value == 1.0 else f"{CONTRIB_TRUNCATED_SCALE} * {operand(factor)}"
        distribution = "truncated_normal"
    seed = out.keywords.pop("seed", None)
    out.keywords.update(scale=scale, mode=_mode(mode), distribution=python_string(distribution))
    if seed is not None:
        out.keywords["seed"] = seed


def _contrib_xavier(out: Rendering, bound) -> None:
    _variance_scaling(out, "1.0", "'FAN_AVG'", bound.get("uniform", "True"))


def _contrib_variance_scaling(out: Rendering, bound) -> None:
    _variance_scaling(out, bound.get("factor", "2.0"), bound.get("mode", "'FAN_IN'"), bound.get("uniform", "False"))


def _uniform_unit_scaling(out: Rendering, bound) -> None:
    factor = bound.get("factor", "1.0")
    value = literal(factor)
    scale = "1.0" if value == 1 else f"{operand(factor)} ** 2"
    seed = out.keywords.pop("seed", None)
    out.keywords.update(scale=scale, mode=python_string("fan_in"), distribution=python_string("uniform"))
    if seed is not None:
        out.keywords["seed"] = seed


_SPECIALS = {
    "contrib_xavier": _contrib_xavier,
    "contrib_variance_scaling": _contrib_variance_scaling,
    "uniform_unit_scaling": _uniform_unit_scaling,
}
