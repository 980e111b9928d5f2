"""Bad input through the command line: a clear per-file error or correct output, and nothing lost.

Each case puts one bad file into a tree next to a good one. The bad file must be reported (or converted
correctly), copied byte for byte into the output tree, left byte for byte with ``--inplace``, and must
not stop the good file from converting. Output paths that cannot be used are in test_cli.py.
"""
from __future__ import annotations

import codecs
import os

import pytest
from click.testing import CliRunner
from rename_rule import rename_rule  # noqa: F401  (fixture)

from tf1to2 import cli

GOOD = b"x = old_api(1)\n"
CONVERTED_GOOD = b"x = new_api(1)\n"

# (file name, bytes, expected converted bytes or None when the file must fail, words of the reason)
CASES = [
    pytest.param("py2.py", b'print "hello"\n', None, "Python 2", id="Python 2 print statement"),
    pytest.param("syntax.py", b"def f(:\n    return 1\n", None, "syntax error", id="syntax error"),
    pytest.param("unfinished.py", b"def f(x):\n    return (x +\n", None, "syntax error", id="unfinished file"),
    pytest.param(
        "latin1.py", "import os\n\n\ns = 'café'\n".encode("latin-1"), None, "not valid utf-8",
        id="non-UTF-8 without a coding line",
    ),
    pytest.param(
        "latin1_declared.py",
        "# -*- coding: latin-1 -*-\ns = 'café'; y = old_api(s)\n".encode("latin-1"),
        "# -*- coding: latin-1 -*-\ns = 'café'; y = new_api(s)\n".encode("latin-1"),
        "",
        id="non-UTF-8 with a PEP 263 coding line",
    ),
    pytest.param(
        "bom.py", codecs.BOM_UTF8 + b"y = old_api(2)\n", codecs.BOM_UTF8 + b"y = new_api(2)\n", "", id="UTF-8 BOM"
    ),
    pytest.param("crlf.py", b"a = 1\r\ny = old_api(a)\r\n", b"a = 1\r\ny = new_api(a)\r\n", "", id="CRLF newlines"),
    pytest.param(
        "tabs.py", b"if True:\n\ty = old_api(1)\n\tz = 2\n", b"if True:\n\ty = new_api(1)\n\tz = 2\n", "", id="tabs"
    ),
    pytest.param(
        "mixed.py", b"if True:\n        a = 1\n\tb = 2\n", None, "syntax error", id="inconsistent tabs and spaces"
    ),
    pytest.param("empty.py", b"", b"", "", id="empty file"),
    pytest.param("image.py", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00", None, "binary", id="binary file named .py"),
    pytest.param("nulls.py", b"x = 1\n\x00\x00\n", None, "binary", id="NUL bytes in a text file"),
    pytest.param(
        "nb.ipynb", b'{"cells": [ {"cell_type": "code", "source": ', None, "invalid JSON", id="truncated notebook"
    ),
]


@pytest.fixture
def tree_with(tmp_path):
    def make(name: str, data: bytes):
        src = tmp_path / "src"
        src.mkdir()
        (src / "good.py").write_bytes(GOOD)
        (src / name).write_bytes(data)
        return src

    return make


def invoke(*args: str):
    return CliRunner().invoke(cli.cli, ["convert", *args, "--jobs", "1"])


@pytest.mark.parametrize(("name", "data", "expected", "reason"), CASES)
def test_bad_file_in_an_output_tree(tmp_path, tree_with, rename_rule, name, data, expected, reason):
    src = tree_with(name, data)
    result = invoke(str(src), "-o", str(tmp_path / "out"))
    assert (tmp_path / "out" / "good.py").read_bytes() == CONVERTED_GOOD
    written = (tmp_path / "out" / name).read_bytes()
    if expected is None:
        assert result.exit_code == 1
        assert written == data, "a failed file is copied unchanged"
        line = next(line for line in result.stdout.splitlines() if line.startswith(str(src / name)))
        assert "[error]" in line and reason.lower() in line.lower() and line.endswith("file left unchanged")
        assert "1 failed" in result.stderr
    else:
        assert result.exit_code == 0, result.output
        assert written == expected


@pytest.mark.parametrize(("name", "data", "expected", "reason"), CASES)
def test_bad_file_in_place(tree_with, rename_rule, name, data, expected, reason):
    src = tree_with(name, data)
    result = invoke(str(src), "--inplace")
    assert (src / "good.py").read_bytes() == CONVERTED_GOOD
    assert (src / name).read_bytes() == (data if expected is None else expected)
    assert result.exit_code == (1 if expected is None else 0)


def test_a_failing_write_in_place_leaves_every_source_whole(tree_with, monkeypatch, rename_rule):
    src = tree_with("other.py", b"y = old_api(2)\n" * 1000)

    def no_space(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", no_space)
    result = invoke(str(src), "--inplace")
    assert result.exit_code == 1
    assert (src / "good.py").read_bytes() == GOOD
    assert (src / "other.py").read_bytes() == b"y = old_api(2)\n" * 1000
    assert sorted(os.listdir(src)) == ["good.py", "other.py"], "no temporary files are left behind"
    assert result.stdout.count("TF404 [error] cannot write") == 2


def test_an_unwritable_output_file_is_reported(tmp_path, tree_with, monkeypatch, rename_rule):
    src = tree_with("other.py", b"y = 1\n")

    def no_space(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", no_space)
    result = invoke(str(src), "-o", str(tmp_path / "out"))
    assert result.exit_code == 1
    assert "2 failed" in result.stderr
    assert os.listdir(tmp_path / "out") == []


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads files whatever their mode")
def test_an_unreadable_file_is_reported_and_the_tree_goes_on(tmp_path, tree_with, rename_rule):
    src = tree_with("secret.py", b"y = old_api(3)\n")
    (src / "secret.py").chmod(0)
    try:
        result = invoke(str(src), "-o", str(tmp_path / "out"))
    finally:
        (src / "secret.py").chmod(0o644)
    assert result.exit_code == 1
    assert "secret.py:1:1: TF400 [error] cannot read file: Permission denied" in result.stdout
    assert (tmp_path / "out" / "good.py").read_bytes() == CONVERTED_GOOD


def test_an_unreadable_file_simulated_for_root(tmp_path, tree_with, monkeypatch, rename_rule):
    """Root can read any file, so the permission error is raised where the file is opened."""
    from tf1to2 import files

    src = tree_with("secret.py", b"y = old_api(3)\n")
    real_open = open

    def open_refusing_secret(path, *args, **kwargs):
        if str(path).endswith("secret.py"):
            raise PermissionError(13, "Permission denied")
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(files, "open", open_refusing_secret, raising=False)
    result = invoke(str(src), "-o", str(tmp_path / "out"))
    assert result.exit_code == 1
    assert "secret.py:1:1: TF400 [error] cannot read file: Permission denied; file left unchanged" in result.stdout
    assert (tmp_path / "out" / "good.py").read_bytes() == CONVERTED_GOOD
    assert not (tmp_path / "out" / "secret.py").exists()
