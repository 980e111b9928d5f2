"""Scope names evaluated at a call site, and the Python names generated code uses.

A scope name is kept symbolic (``analysis.syntax.StaticStr``) until a call site binds the function's
parameters; ``substitute`` then folds what is constant. The result is a *key*: two sites with equal
keys under the same parent address the same TF1 variables, so they become one Keras object.
"""
from __future__ import annotations

import keyword
import re
from typing import Iterable, Optional

from tf1to2.analysis.syntax import StaticStr

# Attributes a Keras Layer already has (Keras 2 and Keras 3): generated attributes must not shadow them.
RESERVED_ATTRIBUTES = frozenset(
    """activity_regularizer add_loss add_metric add_update add_variable add_weight build built call
    compute_dtype compute_mask compute_output_shape compute_output_spec count_params dtype dtype_policy
    dynamic finalize_state from_config get_build_config get_config get_weights inbound_nodes input
    input_dtype input_shape input_spec losses metrics metrics_variables name name_scope non_trainable_variables
    non_trainable_weights outbound_nodes output output_shape path quantize quantization_mode
    set_weights stateful submodules supports_masking trainable trainable_variables trainable_weights
    updates variable_dtype variables weights with_name_scope layers summary compile fit evaluate predict
    save load_weights save_weights optimizer loss""".split()
)


def is_constant(key: StaticStr) -> bool:
    return key[0] == "const"


def names_in(key: StaticStr) -> set[str]:
    """Names a symbolic string still depends on."""
    if key[0] == "name":
        return {key[1]}
    if key[0] == "attr":
        return {key[1]}
    found: set[str] = set()
    for part in key[1:]:
        if isinstance(part, tuple):
            if part and isinstance(part[0], str) and part[0] in _FORMS:
                found |= names_in(part)
            else:
                for item in part:
                    if isinstance(item, tuple):
                        found |= names_in(item)
    return found


_FORMS = {"const", "name", "attr", "or", "percent", "fstring", "concat", "format", "str", "unknown"}


def substitute(key: StaticStr, env: dict[str, StaticStr]) -> StaticStr:
    """Replace names bound in ``env`` and fold what became constant."""
    kind = key[0]
    if kind == "name":
        return env.get(key[1], key)
    if kind in ("const", "unknown", "attr"):
        return key
    if kind == "or":
        left, right = substitute(key[1], env), substitute(key[2], env)
        if left[0] == "const":
            return left if left[1] else right
        return ("or", left, right)
    if kind == "str":
        inner = substitute(key[1], env)
        return ("const", str(inner[1])) if inner[0] == "const" else ("str", inner)
    if kind == "concat":
        left, right = substitute(key[1], env), substitute(key[2], env)
        if left[0] == right[0] == "const" and isinstance(left[1], str) and isinstance(right[1], str):
            return ("const", left[1] + right[1])
        return ("concat", left, right)
    if kind in ("percent", "format"):
        args = tuple(substitute(a, env) for a in key[2])
        if all(a[0] == "const" for a in args):
            try:
                values = tuple(a[1] for a in args)
                text = key[1] % values if kind == "percent" else key[1].format(*values)
                return ("const", text)
            except (TypeError, ValueError, IndexError, KeyError):
                return ("unknown",)
        return (kind, key[1], args)
    if kind == "fstring":
        parts = tuple(substitute(p, env) for p in key[1])
        if all(p[0] == "const" for p in parts):
            return ("const", "".join(str(p[1]) for p in parts))
        return ("fstring", parts)
    return ("unknown",)


def is_known(key: StaticStr) -> bool:
    if key[0] == "unknown":
        return False
    if key[0] in ("const", "name", "attr"):
        return True
    if key[0] == "or":
        return is_known(key[1]) and is_known(key[2])
    if key[0] in ("str",):
        return is_known(key[1])
    if key[0] == "concat":
        return is_known(key[1]) and is_known(key[2])
    if key[0] in ("percent", "format"):
        return all(is_known(a) for a in key[2])
    if key[0] == "fstring":
        return all(is_known(p) for p in key[1])
    return False


def literal_prefix(key: StaticStr) -> str:
    """``h`` for ``'h%d' % i``, ``layer_`` for ``f'layer_{i}'``: the constant text a name starts with."""
    if key[0] == "const":
        return str(key[1])
    if key[0] in ("percent", "format"):
        return re.split(r"%|\{", key[1])[0]
    if key[0] == "fstring" and key[1] and key[1][0][0] == "const":
        return str(key[1][0][1])
    if key[0] == "concat":
        return literal_prefix(key[1])
    return ""


def describe(key: StaticStr) -> str:
    """Human-readable spelling of a key for messages and manifests: ``h{i}``."""
    kind = key[0]
    if kind == "const":
        return str(key[1])
    if kind == "name":
        return "{" + key[1] + "}"
    if kind == "attr":
        return "{" + key[1] + "." + key[2] + "}"
    if kind == "or":
        return describe(key[1]) if is_known(key[1]) else describe(key[2])
    if kind == "str":
        return describe(key[1])
    if kind == "concat":
        return describe(key[1]) + describe(key[2])
    if kind == "percent":
        pieces = re.split(r"%[-+ #0-9.]*[sdifr]", key[1])
        out = pieces[0]
        for arg, piece in zip(key[2], pieces[1:]):
            out += describe(arg) + piece
        return out
    if kind == "format":
        pieces = re.split(r"\{[^}]*\}", key[1])
        out = pieces[0]
        for arg, piece in zip(key[2], pieces[1:]):
            out += describe(arg) + piece
        return out
    if kind == "fstring":
        return "".join(describe(p) for p in key[1])
    return "?"


def identifier(text: str, fallback: str = "layer") -> str:
    """A snake_case Python identifier from a scope or variable name."""
    name = re.sub(r"[^0-9A-Za-z_]+", "_", text).strip("_")
    name = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name).lower() if name and not name.islower() and not name.isupper() else name.lower()
    name = re.sub(r"_+", "_", name)
    if not name:
        name = fallback
    if name[0].isdigit():
        name = f"{fallback}_{name}"
    if keyword.iskeyword(name):
        name += "_"
    return name


def class_name(text: str, fallback: str = "Layer") -> str:
    """``my_dense_layer`` → ``MyDenseLayer``; ``conv2d`` → ``Conv2d``."""
    words = [w for w in re.split(r"[^0-9A-Za-z]+|_", text) if w]
    name = "".join(w[:1].upper() + w[1:] for w in words)
    if not name:
        return fallback
    if name[0].isdigit():
        name = fallback + name
    return name


def attribute(text: str, taken: Iterable[str], fallback: str = "layer") -> str:
    """An attribute name for ``self``: an identifier that shadows nothing Keras or earlier code owns."""
    base = identifier(text, fallback)
    if base in RESERVED_ATTRIBUTES:
        base += "_"
    return unique(base, taken)


def unique(base: str, taken: Iterable[str]) -> str:
    used = set(taken)
    if base not in used:
        return base
    number = 1
    while f"{base}_{number}" in used:
        number += 1
    return f"{base}_{number}"


def python_string(value: str) -> str:
    """A double-quoted Python string literal."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def first_name(keys: Iterable[Optional[str]]) -> Optional[str]:
    return next((k for k in keys if k), None)
