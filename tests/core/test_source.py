import codecs

import pytest

from tf1to2.source import LineIndex, SourceDecodeError, decode


@pytest.mark.parametrize(
    ("data", "text", "encoding", "bom", "newline"),
    [
        pytest.param(b"x = 1\n", "x = 1\n", "utf-8", False, "\n", id="plain utf-8"),
        pytest.param(codecs.BOM_UTF8 + b"x = 1\n", "x = 1\n", "utf-8", True, "\n", id="utf-8 with a BOM"),
        pytest.param(b"x = 1\r\ny = 2\r\n", "x = 1\r\ny = 2\r\n", "utf-8", False, "\r\n", id="CRLF kept"),
        pytest.param(
            b"# -*- coding: latin-1 -*-\ns = '\xe9'\n",
            "# -*- coding: latin-1 -*-\ns = '\xe9'\n",
            "iso-8859-1",
            False,
            "\n",
            id="PEP 263 latin-1 coding line",
        ),
        pytest.param(b"", "", "utf-8", False, "\n", id="empty file"),
    ],
)
def test_decode_keeps_what_the_file_declares(data, text, encoding, bom, newline):
    decoded = decode(data)
    assert (decoded.text, decoded.encoding, decoded.has_bom, decoded.newline) == (text, encoding, bom, newline)
    assert decoded.encode(decoded.text) == data


@pytest.mark.parametrize(
    ("data", "line"),
    [
        pytest.param(b"x = 1\ns = '\xe9'\n", 2, id="latin-1 bytes without a coding line"),
        pytest.param(b"x = 1\n\x00\x01\x02", 2, id="binary file named .py"),
        pytest.param(b"# coding: no-such-codec\nx = 1\n", 1, id="unknown codec in coding line"),
    ],
)
def test_decode_errors_name_the_line(data, line):
    with pytest.raises(SourceDecodeError) as info:
        decode(data)
    assert info.value.line == line


def test_line_index_converts_utf8_byte_columns_to_characters():
    text = "s = 'héllo'; y = tf.x\r\nz = 1\n"
    lines = LineIndex(text)
    byte_col = "s = 'héllo'; y = ".encode("utf-8").__len__()
    assert text[lines.offset(1, byte_col):].startswith("tf.x")
    assert lines.char_col(1, byte_col) == len("s = 'héllo'; y = ")
    assert lines.line_of(lines.offset(2, 0)) == 2
