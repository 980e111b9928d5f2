"""Write a file so that readers see either the old bytes or the new bytes, never a partial file.

The new content goes to a temporary file in the destination's own directory (so ``os.replace`` is a
rename within one filesystem), is flushed to disk, gets the requested mode, and only then replaces the
destination. Any failure removes the temporary file and leaves the destination as it was.
"""
from __future__ import annotations

import os
import tempfile
from typing import Optional


def write_atomic(path: str, data: bytes, mode: Optional[int] = None) -> None:
    """Replace ``path`` with ``data``; ``mode`` defaults to the existing file's mode (or 0o644)."""
    directory = os.path.dirname(os.path.abspath(path))
    if mode is None:
        mode = existing_mode(path, default=0o644)
    fd, temporary = tempfile.mkstemp(dir=directory, prefix=f".{os.path.basename(path)}.", suffix=".tf1to2-tmp")
    try:
        with os.fdopen(fd, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        _remove_quietly(temporary)
        raise


def existing_mode(path: str, default: int) -> int:
    try:
        return os.stat(path).st_mode & 0o7777
    except OSError:
        return default


def _remove_quietly(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass
