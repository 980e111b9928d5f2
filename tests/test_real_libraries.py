"""Whole real TF1 libraries (tflearn 0.5.0, tf-slim 1.1.0) convert as trees without a crash, into code that parses.

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

from tf1to2.files import Kind
from tf1to2.tree import convert_tree

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
def test_real_library_converts_without_crashing(name: str, version: str, tmp_path: Path, summary_lines: list) -> None:
    try:
        tree = real_libraries.fetch(name, version)
    except real_libraries.DownloadError as exc:
        pytest.skip(f"{name} {version} could not be downloaded from PyPI: {exc}")
    results = convert_tree(str(tree), str(tmp_path / "out"), jobs=2)
    python = [result for result in results if result.kind is Kind.PYTHON]
    assert python, f"no Python files in {tree}"
    codes = collections.Counter(d.diagnostic.code for result in python for d in result.diagnostics)
    statuses = collections.Counter(result.status.value for result in python)
    crashes = [
        f"{result.path}:{d.diagnostic.line}: {d.diagnostic.message}"
        for result in python
        for d in result.diagnostics
        if d.diagnostic.code == "TF403"
    ]
    unparsable = []
    for result in python:
        assert result.output, f"{result.path} was not written: {result.reason}"
        try:
            ast.parse(Path(result.output).read_bytes(), filename=result.output)
        except SyntaxError as exc:
            unparsable.append(f"{result.output}:{exc.lineno}: {exc.msg}")
    by_code = ", ".join(f"{code} {count}" for code, count in sorted(codes.items())) or "none"
    by_status = ", ".join(f"{count} {status}" for status, count in sorted(statuses.items()))
    summary_lines.append(("findings on real libraries", f"{name} {version}: {len(python)} files ({by_status}); {by_code}"))
    assert not crashes, "internal errors:\n" + "\n".join(crashes)
    assert not unparsable, "outputs that do not parse:\n" + "\n".join(unparsable)
