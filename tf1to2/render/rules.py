"""``tf1to2 rules`` and ``tf1to2 explain``: the rule table and one rule's documentation."""
from __future__ import annotations

from typing import Iterable, Optional

from tf1to2.rules.base import Rule

_ENGINE_DOC = """{code}: {summary}

Reported by the converter itself, not by a rule. The file is not converted: it is left as it was
(copied unchanged into an output tree, not touched with --inplace) and counted as failed, so the run
exits with status 1. The message says what went wrong and where."""


def table(rules: Iterable[Rule], engine_codes: dict[str, str]) -> str:
    rows = [(code, "error", summary) for code, summary in engine_codes.items()]
    rows += [(rule.code, rule.severity.value, rule.summary) for rule in rules]
    rows.sort(key=lambda row: row[0])
    return "".join(f"{code}  {severity:<7}  {summary}\n" for code, severity, summary in rows)


def explanation(code: str, rule: Optional[Rule], engine_codes: dict[str, str]) -> str:
    if rule is not None:
        return f"{rule.code} ({rule.severity.value}): {rule.summary}\n\n{rule.documentation}\n"
    return _ENGINE_DOC.format(code=code, summary=engine_codes[code]) + "\n"
