"""The sessions pass over the real TF1 libraries (tflearn 0.5.0, tf-slim 1.1.0): every session site gets a
finding (converted or kept, with a reason), nothing crashes, every output parses and converts to itself.

Runs the sessions pass alone (the whole pipeline is tests/test_real_libraries.py's job) and prints, at the
end of the run, how many sites became functions, how many stayed graph code, and the commonest reasons.
"""
from __future__ import annotations

import ast
import collections
import importlib.util
import re
from pathlib import Path
from types import ModuleType
from unittest import mock

import pytest

from tf1to2 import Status, convert_source
from tf1to2 import rules as registry
from tf1to2.analysis.graph import analyse
from tf1to2.analysis.module import ModuleContext
from tf1to2.source import SourceDecodeError, decode

pytestmark = pytest.mark.network

TOOLS = Path(__file__).resolve().parents[2] / "tools"


def _real_libraries() -> ModuleType:
    spec = importlib.util.spec_from_file_location("real_libraries", TOOLS / "real_libraries.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


real_libraries = _real_libraries()


def sessions_only(text: str, path: str):
    passes = [registry.Pass("sessions", tuple(registry.SESSIONS_PASS))]
    with mock.patch.object(registry, "passes", lambda: passes):
        return convert_source(text, path)


@pytest.mark.parametrize(
    ("name", "version"),
    [pytest.param(name, version, id=f"{name} {version}") for name, version in real_libraries.LIBRARIES],
)
def test_every_session_site_is_reported(name: str, version: str, summary_lines: list) -> None:
    try:
        tree = real_libraries.fetch(name, version)
    except real_libraries.DownloadError as exc:
        pytest.skip(f"{name} {version} could not be downloaded from PyPI: {exc}")
    converted = kept = 0
    reasons: collections.Counter = collections.Counter()
    problems = []
    for path in sorted(tree.rglob("*.py")):
        try:
            text = decode(path.read_bytes()).text
            module = ModuleContext.parse(text, str(path))
        except (SourceDecodeError, SyntaxError, ValueError):
            continue  # Python 2 files: the engine reports them (TF401)
        result = sessions_only(text, str(path))
        if result.status is Status.FAILED:
            problems.append(f"{path}: {result.reason}")
            continue
        ast.parse(result.text)
        sites = {(c.line, c.col) for c in analyse(module).session_calls}
        reported = {(d.line, d.col) for d in result.diagnostics if d.code in ("TF451", "TF452")}
        missing = sites - reported
        if missing:
            problems.append(f"{path}: session sites without a finding at {sorted(missing)[:5]}")
        for diagnostic in result.diagnostics:
            if diagnostic.code == "TF451":
                converted += 1
            elif diagnostic.code == "TF452":
                kept += 1
                reasons[_reason(diagnostic.message)] += 1
    summary_lines.append(("sessions on real libraries", f"{name} {version}: {converted} session sites became "
                                                         f"functions, {kept} stayed graph code"))
    for reason, count in reasons.most_common(6):
        summary_lines.append(("sessions on real libraries", f"    {count:4d} {reason}"))
    assert not problems, "\n".join(problems[:20])


def _reason(message: str) -> str:
    """The reason of a TF452 message, without the site's own text and positions."""
    reason = message.split("kept as graph code: ")[-1]
    reason = re.sub(r"line \d+", "line N", reason)
    reason = re.sub(r"\(([^()]*)\)", "(...)", reason)
    return reason[:100]
