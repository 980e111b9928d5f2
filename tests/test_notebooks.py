"""Notebooks: code cells converted one by one, IPython lines restored exactly, the JSON layout kept."""
from __future__ import annotations

import json

import pytest
from rename_rule import CODE, rename_rule  # noqa: F401  (fixture)

from tf1to2 import files
from tf1to2.engine import Status
from tf1to2.notebooks import convert_notebook


def notebook(*cells, language: str = "python") -> dict:
    return {
        "cells": [
            {"cell_type": kind, "execution_count": None, "metadata": {}, "outputs": [], "source": source}
            if kind == "code"
            else {"cell_type": kind, "metadata": {}, "source": source}
            for kind, source in cells
        ],
        "metadata": {"kernelspec": {"display_name": "K", "language": language, "name": "k"}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }


def dumps(nb: dict, indent: int = 1) -> str:
    """What Jupyter writes: indent 1, non-ASCII as is, a trailing newline."""
    return json.dumps(nb, indent=indent, ensure_ascii=False) + "\n"


def code_sources(text: str) -> list:
    return [cell["source"] for cell in json.loads(text)["cells"] if cell["cell_type"] == "code"]


def test_code_cells_are_converted_and_the_rest_is_kept(rename_rule):
    nb = notebook(
        ("markdown", ["# old_api stays in prose\n"]),
        ("code", ["import os\n", "x = old_api(1)\n", "y = old_api(2)"]),
        ("raw", "old_api()"),
        ("code", "z = old_api(3)"),
    )
    result = convert_notebook(dumps(nb), "nb.ipynb")
    assert result.status is Status.CHANGED
    expected = notebook(
        ("markdown", ["# old_api stays in prose\n"]),
        ("code", ["import os\n", "x = new_api(1)\n", "y = new_api(2)"]),
        ("raw", "old_api()"),
        ("code", "z = new_api(3)"),
    )
    assert result.text == dumps(expected), "same layout: indent 1, source lists stay lists, strings stay strings"
    assert [(c.index, [d.code for d in c.diagnostics]) for c in result.cells] == [(2, [CODE, CODE]), (4, [CODE])]


@pytest.mark.parametrize(
    "source",
    [
        pytest.param("%matplotlib inline\nx = old_api(1)\n", id="line magic"),
        pytest.param("!pip install tensorflow==1.15\nx = old_api(1)\n", id="shell line"),
        pytest.param("?old_api\nx = old_api(1)\n", id="help prefix"),
        pytest.param("old_api??\nx = old_api(1)\n", id="help suffix"),
        pytest.param("for i in range(2):\n    !echo {i}\n    x = old_api(i)\n", id="indented shell line in a loop"),
        pytest.param("%%time\nx = old_api(1)\n", id="Python cell magic"),
        pytest.param("%load_ext autoreload\n%autoreload 2\nx = old_api(1)\n", id="two magics"),
    ],
)
def test_ipython_lines_come_back_byte_for_byte(rename_rule, source):
    result = convert_notebook(dumps(notebook(("code", source))), "nb.ipynb")
    assert not result.cells[0].failed
    assert code_sources(result.text) == [source.replace("x = old_api", "x = new_api")]


def test_a_cell_still_invalid_after_masking_is_kept_exactly(rename_rule):
    source = "%load_ext autoreload\n\tx = old_api(1)\n"  # unexpected indent
    result = convert_notebook(dumps(notebook(("code", source), ("code", "old_api()"))), "nb.ipynb")
    assert code_sources(result.text) == [source, "new_api()"]
    assert result.cells[0].failed
    assert [d.line for d in result.cells[0].diagnostics] == [2]


def test_a_cell_that_is_python_is_not_masked(rename_rule):
    source = "x = (old_api(7)\n     % 2)\n"  # modulo at the start of a continuation line
    result = convert_notebook(dumps(notebook(("code", source))), "nb.ipynb")
    assert code_sources(result.text) == ["x = (new_api(7)\n     % 2)\n"]


def test_a_cell_magic_of_another_language_is_left_alone(rename_rule):
    source = "%%bash\nold_api --flag\n"
    result = convert_notebook(dumps(notebook(("code", source), ("code", "old_api()"))), "nb.ipynb")
    assert code_sources(result.text) == [source, "new_api()"]
    assert [cell.index for cell in result.cells] == [2]


def test_a_cell_that_cannot_be_parsed_is_kept_and_reported(rename_rule):
    nb = notebook(("code", 'print "python 2"'), ("code", "old_api()"))
    result = convert_notebook(dumps(nb), "nb.ipynb")
    assert code_sources(result.text) == ['print "python 2"', "new_api()"]
    assert result.status is Status.CHANGED
    assert result.cells[0].failed and result.cells[0].diagnostics[0].code == "TF401"
    assert result.reason == "cell 1 left unchanged (see the errors)"


def test_an_unchanged_notebook_is_returned_as_the_same_text(rename_rule):
    text = json.dumps(notebook(("code", "x = 1")), indent=2, sort_keys=True)  # not Jupyter's layout
    result = convert_notebook(text, "nb.ipynb")
    assert (result.status, result.text) == (Status.UNCHANGED, text)


@pytest.mark.parametrize("indent", [1, 2, 4], ids=["indent 1", "indent 2", "indent 4"])
def test_the_indent_of_the_input_is_kept(rename_rule, indent):
    nb = notebook(("code", "old_api()"), ("markdown", "Ünïcödé"))
    result = convert_notebook(dumps(nb, indent), "nb.ipynb")
    assert result.text == dumps(notebook(("code", "new_api()"), ("markdown", "Ünïcödé")), indent)


def test_ascii_escapes_of_the_input_are_kept(rename_rule):
    nb = notebook(("code", "old_api()"), ("markdown", "é"))
    text = json.dumps(nb, indent=1) + "\n"  # \u00e9 escapes, as older tools write
    result = convert_notebook(text, "nb.ipynb")
    assert result.text == json.dumps(notebook(("code", "new_api()"), ("markdown", "é")), indent=1) + "\n"


@pytest.mark.parametrize(
    ("text", "status", "reason"),
    [
        pytest.param("{not json", Status.FAILED, "invalid JSON", id="invalid JSON"),
        pytest.param('{"worksheets": []}', Status.FAILED, "nbformat 4", id="nbformat 3"),
        pytest.param(dumps(notebook(("code", "old_api()"), language="R")), Status.SKIPPED, "R", id="R kernel"),
    ],
)
def test_notebooks_that_are_not_converted_say_why(rename_rule, text, status, reason):
    result = convert_notebook(text, "nb.ipynb")
    assert (result.status, result.text) == (status, text)
    assert reason in result.reason


def test_notebook_files_keep_bom_and_crlf(tmp_path, rename_rule):
    text = dumps(notebook(("code", "old_api()"))).replace("\n", "\r\n")
    path = tmp_path / "nb.ipynb"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode())
    result = files.convert_file(str(path))
    expected = dumps(notebook(("code", "new_api()"))).replace("\n", "\r\n")
    assert result.content == b"\xef\xbb\xbf" + expected.encode()
    assert [(c.label, c.after) for c in result.changes] == [(f"{path}:cell 1", "new_api()")]
    assert [d.cell for d in result.diagnostics] == [1]


def test_a_notebook_with_units_gets_a_manifest(tmp_path, rename_rule):
    (tmp_path / "nb.ipynb").write_text(dumps(notebook(("code", "old_api()"))))
    result = files.convert_file(str(tmp_path / "nb.ipynb"), str(tmp_path / "out.ipynb"))
    assert result.manifest_path == str(tmp_path / "out.tf1to2.json")
    assert '"class_name": "NewApi"' in (tmp_path / "out.tf1to2.json").read_text()


def test_a_cell_whose_ipython_line_would_be_lost_is_kept(monkeypatch):
    from tf1to2 import notebooks
    from tf1to2.engine import ConvertResult

    def drop_pass_lines(text: str, path: str) -> ConvertResult:
        converted = "".join(line for line in text.splitlines(keepends=True) if not line.startswith("pass"))
        return ConvertResult(path, text, converted, Status.CHANGED, ())

    monkeypatch.setattr(notebooks, "convert_with_imports", lambda text, path, imports, pinned: drop_pass_lines(text, path))
    source = "!ls\nx = 1\n"
    result = convert_notebook(dumps(notebook(("code", source))), "nb.ipynb")
    assert (result.status, code_sources(result.text)) == (Status.UNCHANGED, [source])
    assert result.cells[0].failed and result.cells[0].diagnostics[0].code == "TF402"


def test_a_notebook_that_is_not_utf8_fails_and_keeps_its_bytes(tmp_path, rename_rule):
    data = dumps(notebook(("markdown", "café"))).encode("latin-1")
    (tmp_path / "nb.ipynb").write_bytes(data)
    result = files.convert_file(str(tmp_path / "nb.ipynb"))
    assert (result.status, result.content) == (Status.FAILED, data)
    assert result.diagnostics[0].diagnostic.code == "TF400"
    assert "not valid UTF-8" in result.reason


# Cells see the imports of the cells above them (the real rules: names resolve through imports).


def converted_cells(*sources: str) -> tuple[list, "object"]:
    result = convert_notebook(dumps(notebook(*(("code", source) for source in sources))), "nb.ipynb")
    return code_sources(result.text), result


@pytest.mark.parametrize(
    "import_cell, use_cell, expected",
    [
        pytest.param("import tensorflow as tf\n", "x = tf.random_normal([2])\n", "x = tf.random.normal([2])\n",
                     id="tf imported in an earlier cell"),
        pytest.param("import tensorflow as tfx\n", "x = tfx.random_normal([2])\n", "x = tfx.random.normal([2])\n",
                     id="an alias from an earlier cell"),
        pytest.param("import tensorflow.compat.v1 as tf\n", "x = tf.random_normal([2])\n", "x = tf.random.normal([2])\n",
                     id="tensorflow.compat.v1 imported in an earlier cell"),
    ],
)
def test_a_cell_resolves_names_through_the_imports_of_earlier_cells(import_cell, use_cell, expected):
    sources, result = converted_cells(import_cell, use_cell)
    assert sources[1].endswith(expected)
    assert [(d.code, d.line, d.col) for d in result.cells[1].diagnostics if d.code == "TF410"] == [("TF410", 1, 4)]


def test_findings_about_an_earlier_cells_imports_are_not_repeated():
    import_cell = "import tensorflow as tf\nfrom tensorflow.contrib import layers\n"
    _, result = converted_cells(import_cell, "x = tf.random_normal([2])\n", "y = tf.random_normal([3])\n")
    contrib_findings = [(cell.index, d.line) for cell in result.cells for d in cell.diagnostics if "contrib" in d.message]
    assert contrib_findings and {index for index, _ in contrib_findings} == {1}


def test_code_inserted_for_a_cell_goes_after_its_cell_magic():
    graph_cell = "%%time\nwith tf.Session() as sess:\n    print(sess.run(tf.constant(1)))\n"
    sources, _ = converted_cells("import tensorflow as tf\n", graph_cell)
    assert sources[1].startswith("%%time\n")
    assert "tf.compat.v1.Session()" in sources[1]


def test_a_converted_notebook_converts_to_itself():
    first, _ = converted_cells("import tensorflow as tf\n", "x = tf.random_normal([2])\n")
    again, result = converted_cells(*first)
    assert again == first
    assert result.status is Status.UNCHANGED


def test_a_cell_that_defines_what_it_uses_is_converted_as_before():
    cell = "import tensorflow as tf\nx = tf.random_normal([2])\n"
    sources, _ = converted_cells("import numpy as np\n", cell)
    assert sources[1] == "import tensorflow as tf\nx = tf.random.normal([2])\n"
