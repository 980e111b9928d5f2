"""Running the API upgrade pass alone, for the tests of its rules (tests/rules/test_api_*.py).

``upgrade(source)`` converts with the structural pass switched off, so these tests see exactly what the
API pass does, with the engine's gates (the output parses, a second conversion changes nothing) on.
"""
from __future__ import annotations

import textwrap
from types import ModuleType
from unittest import mock

from tf1to2 import ConvertResult, Status, convert_source
from tf1to2 import rules as registry


def upgrade(source: str, rules: tuple[ModuleType, ...] = ()) -> ConvertResult:
    """The API pass (or only ``rules``) over ``source``; fails the test if the conversion failed."""
    passes = [registry.Pass("api", tuple(rules or registry.API_PASS))]
    with mock.patch.object(registry, "passes", lambda: passes):
        result = convert_source(textwrap.dedent(source), "example.py")
    assert result.status is not Status.FAILED, result.reason
    return result


def converted(source: str) -> str:
    return upgrade(source).text


def codes(source: str) -> list[str]:
    return [d.code for d in upgrade(source).diagnostics]


def messages(source: str, code: str) -> list[str]:
    return [d.message for d in upgrade(source).diagnostics if d.code == code]


def dedent(text: str) -> str:
    return textwrap.dedent(text)
