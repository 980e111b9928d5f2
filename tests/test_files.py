"""``tf1to2.convert_file``: bytes in, bytes out, and a typed result for every kind of file."""
from __future__ import annotations

import codecs
import os

import pytest
from rename_rule import CODE, rename_rule  # noqa: F401  (fixture)

import tf1to2
from tf1to2 import files
from tf1to2.engine import ConvertResult, Status
from tf1to2.files import Kind
from tf1to2.manifest import Manifest


def write(tmp_path, name: str, data: bytes, mode: int = 0o644) -> str:
    path = tmp_path / name
    path.write_bytes(data)
    path.chmod(mode)
    return str(path)


def test_convert_file_is_exported_from_the_package():
    assert tf1to2.convert_file is files.convert_file


def test_a_converted_file_carries_its_bytes_findings_and_change(tmp_path, rename_rule):
    path = write(tmp_path, "m.py", b"x = old_api(1)\n")
    result = files.convert_file(path)
    assert result.status is Status.CHANGED
    assert result.content == b"x = new_api(1)\n"
    assert [(d.diagnostic.code, d.diagnostic.line, d.diagnostic.col, d.diagnostic.fixed) for d in result.diagnostics] == [
        (CODE, 1, 4, True)
    ]
    assert [(c.before, c.after) for c in result.changes] == [("x = old_api(1)\n", "x = new_api(1)\n")]
    assert result.output is None, "nothing is written without an output"


def test_an_unchanged_file_keeps_its_exact_bytes(tmp_path, rename_rule):
    data = b"# -*- coding: utf-8 -*-\r\nx = 1\t# tab\r\n"
    result = files.convert_file(write(tmp_path, "m.py", data))
    assert result.status is Status.UNCHANGED
    assert result.content == data


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        pytest.param(b"x = old_api(1)\r\ny = 2\r\n", b"x = new_api(1)\r\ny = 2\r\n", id="CRLF newlines kept"),
        pytest.param(b"x = old_api(1)\ry = 2\r", b"x = new_api(1)\ry = 2\r", id="old Mac CR newlines kept"),
        pytest.param(
            codecs.BOM_UTF8 + b"x = old_api(1)\n", codecs.BOM_UTF8 + b"x = new_api(1)\n", id="UTF-8 BOM kept"
        ),
        pytest.param(
            "# -*- coding: latin-1 -*-\ns = 'é'; x = old_api(1)\n".encode("latin-1"),
            "# -*- coding: latin-1 -*-\ns = 'é'; x = new_api(1)\n".encode("latin-1"),
            id="latin-1 file with coding line stays latin-1",
        ),
        pytest.param(
            "ñame = 'héllo wörld'; y = old_api(ñame)\n".encode(),
            "ñame = 'héllo wörld'; y = new_api(ñame)\n".encode(),
            id="non-ASCII identifier and string before the edited column",
        ),
        pytest.param(
            "s = '日本語'\r\nif s:\r\n\tz = old_api(s)  # é\r\n".encode(),
            "s = '日本語'\r\nif s:\r\n\tz = new_api(s)  # é\r\n".encode(),
            id="CRLF with tabs and wide characters",
        ),
        pytest.param(b"", b"", id="empty file"),
        pytest.param(b"x = old_api", b"x = new_api", id="no newline at end of file"),
    ],
)
def test_encoding_bom_and_newlines_survive_conversion(tmp_path, rename_rule, data, expected):
    result = files.convert_file(write(tmp_path, "m.py", data))
    assert result.status is not Status.FAILED
    assert result.content == expected


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        pytest.param(
            "if (n := old_api(3)) > 2:\n    pass\n", "if (n := new_api(3)) > 2:\n    pass\n", id="walrus"
        ),
        pytest.param(
            "match old_api(1):\n    case [a, *rest]:\n        old_api(a)\n    case _:\n        pass\n",
            "match new_api(1):\n    case [a, *rest]:\n        new_api(a)\n    case _:\n        pass\n",
            id="match statement",
        ),
        pytest.param('print(f"{old_api(1)=}")\n', 'print(f"{new_api(1)=}")\n', id="f-string self-documenting"),
        pytest.param(
            "x = f\"a{f'{old_api(1)}'}b\"\n", "x = f\"a{f'{new_api(1)}'}b\"\n", id="nested f-strings"
        ),
        pytest.param(
            "é = 1\r\nx = f'{é}{old_api(é)!r:>{é}}'\r\n",
            "é = 1\r\nx = f'{é}{new_api(é)!r:>{é}}'\r\n",
            id="f-string with format spec after non-ASCII text, CRLF",
        ),
        pytest.param(
            'x = f"""\n{old_api(1)}\n"""\n', 'x = f"""\n{new_api(1)}\n"""\n', id="multi-line f-string"
        ),
    ],
)
def test_newer_syntax_is_converted_exactly_or_left_alone(tmp_path, rename_rule, source, expected):
    data = source.encode()
    result = files.convert_file(write(tmp_path, "m.py", data))
    if result.status is Status.FAILED:
        assert result.content == data, "a failed file keeps its bytes"
    else:
        assert result.content == expected.encode()


@pytest.mark.parametrize(
    ("data", "code", "reason"),
    [
        pytest.param(b'print "x"\n', "TF401", "Python 2", id="Python 2 print statement"),
        pytest.param(b"def f(:\n    pass\n", "TF401", "syntax error", id="syntax error"),
        pytest.param(b"def f(x):\n    return (x +\n", "TF401", "syntax error", id="unfinished file"),
        pytest.param("s = 'é'\n".encode("latin-1"), "TF400", "encoding", id="latin-1 without coding line"),
        pytest.param(
            "import os\n\n\ns = 'é'\n".encode("latin-1"), "TF400", "not valid utf-8", id="latin-1 byte on line 4"
        ),
        pytest.param(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "TF400", "binary", id="binary file named .py"),
        pytest.param(
            b"# coding: klingon\nx = 1\n", "TF400", "encoding", id="unknown encoding in the coding line"
        ),
    ],
)
def test_bad_input_fails_with_a_reason_and_keeps_its_bytes(tmp_path, rename_rule, data, code, reason):
    result = files.convert_file(write(tmp_path, "bad.py", data))
    assert result.status is Status.FAILED
    assert reason.lower() in result.reason.lower()
    assert [d.diagnostic.code for d in result.diagnostics] == [code]
    assert result.content == data


def test_a_file_that_cannot_be_opened_fails_without_content(tmp_path, monkeypatch):
    path = write(tmp_path, "m.py", b"x = 1\n")

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(files, "open", refuse, raising=False)
    result = files.convert_file(path, str(tmp_path / "out.py"))
    assert (result.status, result.content, result.output) == (Status.FAILED, None, None)
    assert "Permission denied" in result.reason
    assert not (tmp_path / "out.py").exists()


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads files whatever their mode")
def test_an_unreadable_file_is_reported(tmp_path):
    path = write(tmp_path, "m.py", b"x = 1\n", mode=0o000)
    result = files.convert_file(path)
    assert result.status is Status.FAILED
    assert result.diagnostics[0].diagnostic.code == "TF400"


def test_output_gets_the_input_mode_and_a_manifest(tmp_path, rename_rule):
    source = write(tmp_path, "tool.py", b"#!/usr/bin/env python\nold_api()\n", mode=0o751)
    output = str(tmp_path / "out" / "tool.py")
    os.mkdir(tmp_path / "out")
    result = files.convert_file(source, output)
    assert result.output == output
    assert os.stat(output).st_mode & 0o777 == 0o751
    assert result.manifest_path == str(tmp_path / "out" / "tool.tf1to2.json")
    manifest = Manifest.from_json((tmp_path / "out" / "tool.tf1to2.json").read_text())
    assert (manifest.source, manifest.converted) == (source, output)
    assert [u.class_name for u in manifest.units] == ["NewApi"]


def test_no_manifest_without_units(tmp_path, rename_rule):
    source = write(tmp_path, "m.py", b"x = 1\n")
    result = files.convert_file(source, str(tmp_path / "out.py"))
    assert result.manifest_path is None
    assert sorted(os.listdir(tmp_path)) == ["m.py", "out.py"]


def test_a_failed_file_is_copied_unchanged_to_the_output(tmp_path, rename_rule):
    data = b'print "x"\n'
    result = files.convert_file(write(tmp_path, "m.py", data), str(tmp_path / "out.py"))
    assert result.status is Status.FAILED
    assert (tmp_path / "out.py").read_bytes() == data


def test_in_place_rewrites_only_a_changed_file(tmp_path, rename_rule):
    changed = write(tmp_path, "a.py", b"old_api()\n", mode=0o700)
    unchanged = write(tmp_path, "b.py", b"x = 1\n")
    os.utime(unchanged, (1, 1))
    assert files.convert_file(changed, changed).status is Status.CHANGED
    assert files.convert_file(unchanged, unchanged).output is None
    assert (tmp_path / "a.py").read_bytes() == b"new_api()\n"
    assert os.stat(changed).st_mode & 0o777 == 0o700
    assert os.stat(unchanged).st_mtime == 1


def test_in_place_through_a_symlink_keeps_the_link(tmp_path, rename_rule):
    target = write(tmp_path, "real.py", b"old_api()\n")
    os.symlink("real.py", tmp_path / "link.py")
    files.convert_file(str(tmp_path / "link.py"), str(tmp_path / "link.py"))
    assert os.path.islink(tmp_path / "link.py")
    assert (tmp_path / "real.py").read_bytes() == b"new_api()\n"
    assert target


@pytest.mark.parametrize("failing", ["fsync", "replace"], ids=["disk full while writing", "rename refused"])
def test_a_failing_in_place_write_never_truncates_the_source(tmp_path, monkeypatch, rename_rule, failing):
    data = b"import os\nx = old_api(1)\n" * 100
    path = write(tmp_path, "m.py", data)

    def fail(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, failing, fail)
    result = files.convert_file(path, path)
    assert result.status is Status.FAILED
    assert [d.diagnostic.code for d in result.diagnostics][-1] == "TF404"
    assert "No space left on device" in result.reason
    assert (tmp_path / "m.py").read_bytes() == data
    assert os.listdir(tmp_path) == ["m.py"], "the temporary file is removed"


def test_a_file_given_by_name_is_python_whatever_its_extension(tmp_path, rename_rule):
    result = files.convert_file(write(tmp_path, "script", b"old_api()\n"))
    assert (result.kind, result.content) == (Kind.PYTHON, b"new_api()\n")


def test_converted_text_that_does_not_fit_the_encoding_fails(tmp_path, monkeypatch):
    data = "# coding: latin-1\nx = 1\n".encode("latin-1")

    def convert_to_greek(text: str, path: str) -> ConvertResult:
        return ConvertResult(path, text, text.replace("1", "'λ'"), Status.CHANGED, ())

    monkeypatch.setattr(files, "convert_source", convert_to_greek)
    result = files.convert_file(write(tmp_path, "m.py", data))
    assert result.status is Status.FAILED
    assert "iso-8859-1" in result.reason
    assert result.content == data
