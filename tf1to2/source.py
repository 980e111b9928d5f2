"""Reading and writing Python source without losing anything.

Bytes are decoded the way the interpreter would (PEP 263 coding line, UTF-8 BOM) and written back the
same way, with the file's own newline style. ``ast`` reports columns as UTF-8 byte offsets within a
line; ``LineIndex`` is the one place that turns them into offsets into the decoded text.
"""
from __future__ import annotations

import bisect
import codecs
import dataclasses
import io
import re
import tokenize

_NEWLINE = re.compile(r"\r\n|\r|\n")


class SourceDecodeError(ValueError):
    """The bytes are not text in the encoding the file declares (or in UTF-8)."""

    def __init__(self, message: str, line: int = 1) -> None:
        super().__init__(message)
        self.line = line


@dataclasses.dataclass(frozen=True)
class DecodedSource:
    text: str
    encoding: str
    has_bom: bool
    newline: str

    def encode(self, text: str) -> bytes:
        body = text.encode(self.encoding)
        return codecs.BOM_UTF8 + body if self.has_bom else body


def decode(data: bytes) -> DecodedSource:
    """Decode source bytes as Python does; raise SourceDecodeError with the offending line."""
    if b"\x00" in data:
        raise SourceDecodeError("binary file: contains NUL bytes", line=data[: data.index(b"\x00")].count(b"\n") + 1)
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError as exc:
        raise SourceDecodeError(f"cannot determine encoding: {exc}") from None
    has_bom = encoding == "utf-8-sig"
    body = data[len(codecs.BOM_UTF8):] if has_bom else data
    codec = "utf-8" if has_bom else encoding
    try:
        text = body.decode(codec)
    except UnicodeDecodeError as exc:
        line = body[: exc.start].count(b"\n") + 1
        raise SourceDecodeError(f"not valid {codec}: byte 0x{body[exc.start]:02x} cannot be decoded", line=line) from None
    match = _NEWLINE.search(text)
    return DecodedSource(text=text, encoding=codec, has_bom=has_bom, newline=match.group() if match else "\n")


class LineIndex:
    """Maps (line, UTF-8 byte column) positions of ``ast`` nodes to offsets into ``text``."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts = [0] + [m.end() for m in _NEWLINE.finditer(text)]
        # In ASCII text a byte column is a character column: no line needs encoding.
        self._ascii = text.isascii()

    def offset(self, line: int, byte_col: int) -> int:
        start = self.starts[line - 1]
        end = self.starts[line] if line < len(self.starts) else len(self.text)
        if self._ascii:
            return start + min(byte_col, end - start)
        prefix = self.text[start:end].encode("utf-8")[:byte_col]
        return start + len(prefix.decode("utf-8", errors="ignore"))

    def char_col(self, line: int, byte_col: int) -> int:
        return self.offset(line, byte_col) - self.starts[line - 1]

    def line_of(self, offset: int) -> int:
        return bisect.bisect_right(self.starts, offset)

    def line_text(self, line: int) -> str:
        start = self.starts[line - 1]
        end = self.starts[line] if line < len(self.starts) else len(self.text)
        return self.text[start:end]

    def span(self, node) -> tuple[int, int]:
        """Character offsets of an AST node's full extent."""
        return self.offset(node.lineno, node.col_offset), self.offset(node.end_lineno, node.end_col_offset)

    def snippet(self, node) -> str:
        start, end = self.span(node)
        return self.text[start:end]
