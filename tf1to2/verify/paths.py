"""Attribute paths from a converted unit to its weights (``blocks[0].attn.w``), and the error type for
everything that cannot bring a checkpoint, a manifest and a converted unit together. No TensorFlow here."""
from __future__ import annotations

import ast
from typing import Any, Union


class CheckpointError(Exception):
    """The checkpoint, the manifest and the converted unit cannot be brought together (says why)."""


Step = tuple[str, Union[str, int]]  # ("attr", name) or ("item", key)


def attribute_steps(path: str) -> list[Step]:
    """``blocks[0].attn.w`` → attr blocks, item 0, attr attn, attr w. Only names, attributes, literal keys."""
    try:
        node = ast.parse(path, mode="eval").body
    except SyntaxError as exc:
        raise CheckpointError(f"attribute path {path!r} is not valid: {exc.msg}") from None
    steps: list[Step] = []
    while True:
        if isinstance(node, ast.Attribute):
            steps.append(("attr", node.attr))
            node = node.value
        elif isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant):
            steps.append(("item", node.slice.value))
            node = node.value
        elif isinstance(node, ast.Name):
            steps.append(("attr", node.id))
            return steps[::-1]
        else:
            raise CheckpointError(f"attribute path {path!r} may only use names, attributes and literal indices")


def resolve_attribute(root: Any, path: str) -> Any:
    value = root
    walked = "unit"
    for kind, key in attribute_steps(path):
        try:
            value = getattr(value, key) if kind == "attr" else value[key]
        except (AttributeError, KeyError, IndexError, TypeError) as exc:
            shown = f".{key}" if kind == "attr" else f"[{key!r}]"
            raise CheckpointError(f"{walked}{shown} does not exist ({type(exc).__name__}: {exc})") from None
        walked += f".{key}" if kind == "attr" else f"[{key!r}]"
    return value


def object_key(path: str) -> str:
    """The key ``tf.train.Checkpoint`` gives the weight at ``path``: ``blocks[0].w`` → ``blocks/0/w``."""
    return "/".join(str(key) for _, key in attribute_steps(path))
