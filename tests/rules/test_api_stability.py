"""Every name in the API tables, used in every way the rules rewrite, converts to stable, parsing code.

The engine's gates fail a file whose output does not parse or changes when converted again, so one
conversion of a file using every table entry proves no rename, argument rewrite or fallback feeds
another rule on the second run (the classic case: a TF1 name whose TF2 target is also a TF1 name).
"""
from __future__ import annotations

import pytest

from api_rule_testing import upgrade
from tf1to2.rules import api_tables


def table_names() -> list[str]:
    symbols = api_tables.symbols()
    arguments = api_tables.arguments()
    names = set(symbols["renames"]) | set(symbols["renames_needing_tf_keras"]) | set(symbols["renames_unavailable"])
    names |= set(symbols["kept"]) | set(api_tables.initializers())
    for table in ("keyword_renames", "reorders", "compat_unless_argument", "added_arguments"):
        names |= {n for n in arguments[table] if n.startswith("tf.")}
    names |= {n for n in api_tables.warnings()["special_cases"] if n.startswith("tf.")}
    return sorted(names)


def uses(name: str, index: int) -> list[str]:
    keywords = api_tables.arguments()["keyword_renames"].get(name, {})
    by_keyword = ", ".join(f"{k}=k{i}" for i, k in enumerate(keywords))
    return [
        f"v{index}a = {name}(a, b, c, d, e, f)",
        f"v{index}b = {name}(a, {by_keyword})" if by_keyword else f"v{index}b = {name}",
        f"v{index}c = {name}.attribute",
    ]


@pytest.mark.parametrize("header", ["import tensorflow as tf", "import tensorflow.compat.v1 as tf\ntf.disable_v2_behavior()"])
def test_every_table_name_converts_stably(header):
    lines = [header, "x = tf.placeholder(tf.float32)"]
    for index, name in enumerate(table_names()):
        lines += uses(name, index)
    result = upgrade("\n".join(lines) + "\n")
    assert result.changed
    assert len(table_names()) > 1000


def test_method_tables_convert_stably():
    methods = [n[2:] for n in api_tables.arguments()["keyword_renames"] if n.startswith("*.")]
    methods += [n[2:] for n in api_tables.warnings()["function_warnings"] if n.startswith("*.")]
    lines = ["import tensorflow as tf"] + [f"r{i} = obj.{m}(a, colocate_gradients_with_ops=True)" for i, m in enumerate(methods)]
    lines += ["it = ds.make_one_shot_iterator()", "it2 = ds.make_initializable_iterator(name='x')"]
    assert upgrade("\n".join(lines) + "\n").changed
