"""How the engine runs its passes: one parse shared while the text is unchanged, and a gate that is not
weakened by skipping what it already knows."""
import types

import pytest

from tf1to2 import Status, convert_source
from tf1to2 import engine
from tf1to2 import rules as registry
from tf1to2.diagnostics import Severity
from tf1to2.rewrite.edits import Edit
from tf1to2.rules.base import Finding


def _rule(check) -> types.ModuleType:
    rule = types.ModuleType("fake_rule", "A rule for engine tests.")
    rule.CODE, rule.SUMMARY, rule.SEVERITY, rule.check = "TF999", "fake", Severity.INFO, check
    return rule


def _use_passes(monkeypatch, *checks) -> None:
    passes = [registry.Pass(f"pass {i}", (_rule(check),)) for i, check in enumerate(checks)]
    monkeypatch.setattr(registry, "passes", lambda: passes)


def _no_findings(seen: list):
    def check(module):
        seen.append(module)
        return iter(())

    return check


def _append_once(marker: str):
    """Adds ``marker`` at the end unless the text already ends with it: stable."""

    def check(module):
        if not module.text.endswith(marker):
            yield Finding("TF999", 1, 0, "appended", (Edit(len(module.text), len(module.text), marker),))

    return check


def _append_always(marker: str):
    """Adds ``marker`` every time: converting the output again changes it."""

    def check(module):
        yield Finding("TF999", 1, 0, "appended", (Edit(len(module.text), len(module.text), marker),))

    return check


def test_passes_that_change_nothing_share_one_parse(monkeypatch):
    seen: list = []
    _use_passes(monkeypatch, _no_findings(seen), _no_findings(seen), _no_findings(seen))
    result = convert_source("x = 1\n")
    assert result.status is Status.UNCHANGED
    assert len(seen) == 3  # an unchanged file is converted once: the gate knows every pass's output
    assert seen[0] is seen[1] is seen[2]


def test_a_changed_text_is_parsed_again_for_the_next_pass(monkeypatch):
    seen: list = []
    _use_passes(monkeypatch, _append_once("y = 2\n"), _no_findings(seen))
    result = convert_source("x = 1\n")
    assert result.text == "x = 1\ny = 2\n"
    assert all(module.text == "x = 1\ny = 2\n" for module in seen)


@pytest.mark.parametrize("position", [0, 1, 2], ids=["first pass", "middle pass", "last pass"])
def test_an_unstable_pass_still_fails_the_gate(monkeypatch, position):
    checks = [_no_findings([]), _no_findings([]), _no_findings([])]
    checks[position] = _append_always("# again\n")
    _use_passes(monkeypatch, *checks)
    result = convert_source("x = 1\n")
    assert result.status is Status.FAILED
    assert result.diagnostics[0].code == "TF402"
    assert result.text == "x = 1\n"


def test_output_that_does_not_parse_fails_the_gate_not_the_run(monkeypatch):
    _use_passes(monkeypatch, _append_once("def\n"))
    result = convert_source("x = 1\n")
    assert (result.status, result.diagnostics[0].code) == (Status.FAILED, "TF402")
    assert "does not parse" in result.diagnostics[0].message


def test_a_stable_change_passes_the_gate(monkeypatch):
    _use_passes(monkeypatch, _no_findings([]), _append_once("y = 2\n"), _no_findings([]))
    result = convert_source("x = 1\n")
    assert (result.status, result.text) == (Status.CHANGED, "x = 1\ny = 2\n")


def test_the_gate_reruns_passes_whose_input_it_has_not_seen(monkeypatch):
    calls: list[str] = []

    def counting(name, check):
        def wrapped(module):
            calls.append(name)
            return check(module)

        return wrapped

    _use_passes(monkeypatch, counting("first", _append_once("y = 2\n")), counting("second", _no_findings([])))
    engine.convert_source("x = 1\n")
    # The first pass changed the text, so the gate runs it on the output; the second pass saw the
    # output already in the first run, and its result there is reused.
    assert calls == ["first", "second", "first"]
