"""Templates with holes and tokenize-aware re-indentation (tf1to2.rewrite.templates)."""
from __future__ import annotations

import ast

import pytest

from tf1to2.rewrite import templates


def test_block_hole_is_indented_to_its_column_and_inline_holes_are_replaced():
    template = "class $name(Base):\n    def call(self):\n        $body\n"
    text = templates.render(template, {"name": "Linear", "body": "a = 1\nreturn a\n"})
    assert text == "class Linear(Base):\n    def call(self):\n        a = 1\n        return a\n"


def test_empty_block_hole_removes_its_line():
    text = templates.render("def f():\n    $extra\n    return 1\n", {"extra": ""})
    assert text == "def f():\n    return 1\n"


def test_render_at_an_indentation_with_a_two_space_unit():
    text = templates.render("if x:\n    $body\n", {"body": "y = 1\n"}, indent="  ", unit="  ")
    assert text == "  if x:\n    y = 1\n"


def test_missing_hole_value_is_an_error():
    with pytest.raises(templates.TemplateError, match=r"\$body"):
        templates.render("$body\n", {})


@pytest.mark.parametrize(
    "block, old, new, expected",
    [
        pytest.param(
            '    x = """\n  keep\n    this\n"""\n    y = 1\n',
            "    ", "",
            'x = """\n  keep\n    this\n"""\ny = 1\n',
            id="lines inside a multi-line string keep their text when dedenting",
        ),
        pytest.param(
            'x = f"""a\n{y}\n  b"""\n',
            "", "        ",
            '        x = f"""a\n{y}\n  b"""\n',
            id="lines inside a multi-line f-string keep their text when indenting",
        ),
        pytest.param(
            "    call(a,\n         b)\n",
            "    ", "        ",
            "        call(a,\n             b)\n",
            id="continuation lines move with their statement",
        ),
        pytest.param(
            "        if a:\n  # shallow comment\n            b()\n",
            "        ", "    ",
            "    if a:\n# shallow comment\n        b()\n",
            id="a line shallower than the block loses what it has",
        ),
    ],
)
def test_reindent(block, old, new, expected):
    assert templates.reindent(block, old, new) == expected


def test_reindented_code_means_the_same():
    source = 'def f():\n    s = """\n    text\n"""\n    return s\n'
    body = source.split("\n", 1)[1]
    moved = "class C:\n    def g(self):\n" + templates.reindent(body, "    ", "        ")
    namespace: dict = {}
    exec(compile(ast.parse(source), "a", "exec"), namespace)
    exec(compile(ast.parse(moved), "b", "exec"), namespace)
    assert namespace["C"]().g() == namespace["f"]()
