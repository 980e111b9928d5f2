"""Whole real TF1 libraries (tflearn 0.5.0, tf-slim 1.1.0) convert without a crash into code that parses.

The releases come from PyPI into a cache outside the repository (tools/real_libraries.py); the test skips
with the reason when they cannot be downloaded. The findings by code are printed at the end of the run.
"""
from __future__ import annotations

import ast
import collections
import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

from tf1to2 import convert_source
from tf1to2.source import decode

pytestmark = pytest.mark.network

TOOLS = Path(__file__).resolve().parent.parent / "tools"


def _real_libraries() -> ModuleType:
    spec = importlib.util.spec_from_file_location("real_libraries", TOOLS / "real_libraries.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


real_libraries = _real_libraries()


@pytest.mark.parametrize(
    ("name", "version"), [pytest.param(name, version, id=f"{name} {version}") for name, version in real_libraries.LIBRARIES]
)
def test_real_library_converts_without_crashing(name: str, version: str, summary_lines: list) -> None:
    try:
        tree = real_libraries.fetch(name, version)
    except real_libraries.DownloadError as exc:
        pytest.skip(f"{name} {version} could not be downloaded from PyPI: {exc}")
    files = sorted(tree.rglob("*.py"))
    assert files, f"no Python files in {tree}"
    codes: collections.Counter[str] = collections.Counter()
    statuses: collections.Counter[str] = collections.Counter()
    crashes, unparsable = [], []
    for path in files:
        relative = str(path.relative_to(tree))
        result = convert_source(decode(path.read_bytes()).text, relative)
        statuses[result.status.value] += 1
        codes.update(diagnostic.code for diagnostic in result.diagnostics)
        crashes += [f"{relative}:{d.line}: {d.message}" for d in result.diagnostics if d.code == "TF403"]
        try:
            ast.parse(result.text, filename=relative)
        except SyntaxError as exc:
            unparsable.append(f"{relative}:{exc.lineno}: {exc.msg}")
    by_code = ", ".join(f"{code} {count}" for code, count in sorted(codes.items())) or "none"
    by_status = ", ".join(f"{count} {status}" for status, count in sorted(statuses.items()))
    summary_lines.append(("findings on real libraries", f"{name} {version}: {len(files)} files ({by_status}); {by_code}"))
    assert not crashes, "internal errors:\n" + "\n".join(crashes)
    assert not unparsable, "outputs that do not parse:\n" + "\n".join(unparsable)
