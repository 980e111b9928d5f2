"""docs/rules.md describes the registry as it is: every pass it runs, and a documented range for every code."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from tf1to2 import rules as registry

RULES_DOC = Path(__file__).resolve().parent.parent / "docs" / "rules.md"
RANGE_ROW = re.compile(r"^\| TF(\d{3})–TF(\d{3}) \|", re.M)


def documented_ranges() -> list[range]:
    return [range(int(low), int(high) + 1) for low, high in RANGE_ROW.findall(RULES_DOC.read_text(encoding="utf-8"))]


def test_code_ranges_cover_400_to_489_without_overlap() -> None:
    numbers = sorted(n for r in documented_ranges() for n in r)
    assert numbers == list(range(400, 490))


@pytest.mark.parametrize("code", sorted({rule.code for rule in registry.all_rules()} | set(registry.ENGINE_CODES)))
def test_every_code_is_in_a_documented_range(code: str) -> None:
    number = int(code.removeprefix("TF"))
    assert any(number in r for r in documented_ranges()), f"{code} is outside the ranges of docs/rules.md"


def test_every_pass_is_documented() -> None:
    text = RULES_DOC.read_text(encoding="utf-8")
    missing = [p.name for p in registry.passes() if f"**{p.name}**" not in text]
    assert not missing, f"docs/rules.md does not describe the passes {missing}"
