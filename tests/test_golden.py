"""Golden cases: what users see for each input, reviewed as a diff.

``golden/<case>/input.py`` (or ``input.ipynb``) is converted as a file of that name; next to it are

- ``output.py`` (``output.ipynb``): the converted text,
- ``report.txt``: the rendered report (``tf1to2.render.text``),
- ``manifest.json``: the manifest, only when the conversion produced units.

``pytest --update-goldens`` rewrites them from the current converter. Never edit them by hand.
"""
from __future__ import annotations

import ast
import dataclasses
import difflib
import json
import re
from pathlib import Path
from typing import Any

import pytest

from tf1to2 import Status, convert_source
from tf1to2.files import Kind, convert_bytes
from tf1to2.manifest import Manifest
from tf1to2.render.text import report, results_report
from tf1to2.source import decode

GOLDEN = Path(__file__).resolve().parent.parent / "golden"
INPUTS = {"input.py": "output.py", "input.ipynb": "output.ipynb"}  # input name → expected output name
REPORT = "report.txt"
MANIFEST = "manifest.json"
# Reported when the converter crashed or refused its own output: never an expected result for a golden case.
BROKEN_CODES = {"TF402", "TF403"}


@dataclasses.dataclass(frozen=True)
class Converted:
    text: str
    report: str
    units: tuple[Any, ...]
    status: Status
    reason: str


def convert(data: bytes, name: str) -> Converted:
    """Convert a case's input as a file called ``name`` (so reports and manifests name ``input.py``)."""
    if name.endswith(".ipynb"):
        result = convert_bytes(data, name, Kind.NOTEBOOK)
        text = result.content.decode("utf-8") if result.content is not None else ""
        return Converted(text, results_report([result]), tuple(result.units), result.status, result.reason)
    converted = convert_source(decode(data).text, name)
    return Converted(
        converted.text, report(name, converted.diagnostics), converted.units, converted.status, converted.reason
    )


def input_of(case: Path) -> Path:
    found = [case / name for name in INPUTS if (case / name).is_file()]
    assert len(found) == 1, f"{case} needs exactly one of {', '.join(INPUTS)}"
    return found[0]


@dataclasses.dataclass(frozen=True)
class Expectation:
    """The expected files of one case: name → content, or None when the file must not exist."""

    files: dict[str, str | None]
    status: Status
    reason: str


def expectation(case: Path) -> Expectation:
    source = input_of(case)
    output = INPUTS[source.name]
    converted = convert(source.read_bytes(), source.name)
    manifest = Manifest(source.name, output, converted.units).to_json() if converted.units else None
    files = {output: converted.text, REPORT: converted.report, MANIFEST: manifest}
    return Expectation(files, converted.status, converted.reason)


def mismatches(case: Path, expected: Expectation) -> list[str]:
    """One message (with a unified diff) per expected file that differs from what is on disk."""
    problems = []
    for name, want in expected.files.items():
        path = case / name
        have = path.read_bytes().decode("utf-8") if path.exists() else None
        if have == want:
            continue
        if want is None:
            problems.append(f"{path} should not exist (the conversion has no manifest units)")
        elif have is None:
            problems.append(f"{path} is missing")
        else:
            diff = difflib.unified_diff(
                have.splitlines(keepends=True), want.splitlines(keepends=True), f"{name} (expected)", f"{name} (now)"
            )
            problems.append(f"{path} differs from the conversion:\n{''.join(diff)}")
    return problems


def write(case: Path, expected: Expectation) -> None:
    for name, content in expected.files.items():
        path = case / name
        if content is None:
            path.unlink(missing_ok=True)
        elif not path.exists() or path.read_bytes().decode("utf-8") != content:
            path.write_text(content, encoding="utf-8", newline="")


def cases() -> list[Path]:
    return sorted(path for path in GOLDEN.iterdir() if path.is_dir() and not path.name.startswith((".", "_")))


def case_params() -> list:
    return [pytest.param(case, id=case.name) for case in cases()]


@pytest.mark.parametrize("case", case_params())
def test_golden_case(case: Path, update_goldens: bool) -> None:
    expected = expectation(case)
    if update_goldens:
        write(case, expected)
        refresh_readme_quotes()  # so that updating only some cases (-k) keeps the README's quotes too
    problems = mismatches(case, expected)
    assert not problems, "\n".join(problems) + "\n(run pytest --update-goldens and review git diff golden/)"


@pytest.mark.parametrize("case", case_params())
def test_golden_output_is_stable(case: Path) -> None:
    """The committed output parses, converts to itself, and no golden input makes the converter fail."""
    source = input_of(case)
    expected = expectation(case)
    assert expected.status is not Status.FAILED, f"converting {case.name}/{source.name} failed: {expected.reason}"
    report_lines = (case / REPORT).read_text(encoding="utf-8").splitlines() if (case / REPORT).exists() else []
    broken = [line for line in report_lines if any(f" {code} " in line for code in BROKEN_CODES)]
    assert not broken, "the expected report records a converter failure:\n" + "\n".join(broken)
    output_path = case / INPUTS[source.name]
    output = output_path.read_bytes().decode("utf-8")
    if source.suffix == ".ipynb":
        json.loads(output)  # each code cell was already parsed by the notebook converter's gates
    else:
        ast.parse(output, filename=str(output_path))
    again = convert(output.encode("utf-8"), source.name)
    assert again.status is not Status.FAILED, again.reason
    assert again.text == output, f"converting {case.name}/{output_path.name} again changes it"


# README.md quotes golden files between a marker line and a fenced block; the quotes are kept equal to
# the files (rewritten by --update-goldens), so the README's before/after is always a real conversion.
README = GOLDEN.parent / "README.md"
QUOTE = re.compile(r"^<!-- golden (?P<file>[\w./-]+) -->\n```(?P<lang>\w*)\n(?P<body>.*?)^```$", re.M | re.S)


def readme_with_current_quotes(readme: str) -> str:
    def current(match: re.Match) -> str:
        body = (GOLDEN / match["file"]).read_bytes().decode("utf-8")
        return f"<!-- golden {match['file']} -->\n```{match['lang']}\n{body}```"

    return QUOTE.sub(current, readme)


def refresh_readme_quotes() -> None:
    readme = README.read_text(encoding="utf-8")
    current = readme_with_current_quotes(readme)
    if current != readme:
        README.write_text(current, encoding="utf-8")


def test_readme_quotes_golden_files_as_they_are(update_goldens: bool) -> None:
    if update_goldens:
        refresh_readme_quotes()
    readme = README.read_text(encoding="utf-8")
    assert QUOTE.search(readme), "README.md quotes no golden file"
    expected = readme_with_current_quotes(readme)
    diff = "".join(difflib.unified_diff(readme.splitlines(True), expected.splitlines(True), "README.md", "golden files"))
    assert not diff, (
        "README.md quotes golden files that changed: pytest --update-goldens rewrites the quotes; "
        f"commit README.md together with the golden files\n{diff}"
    )


# The harness itself, on a scratch case: it must notice every kind of difference it exists to catch.


@pytest.fixture
def scratch_case(tmp_path: Path) -> Path:
    (tmp_path / "input.py").write_text("x = 1\n", encoding="utf-8")
    return tmp_path


def test_update_writes_every_expected_file(scratch_case: Path) -> None:
    write(scratch_case, expectation(scratch_case))
    assert (scratch_case / "output.py").read_text(encoding="utf-8") == "x = 1\n"
    assert (scratch_case / REPORT).read_text(encoding="utf-8") == ""
    assert not (scratch_case / MANIFEST).exists()
    assert mismatches(scratch_case, expectation(scratch_case)) == []


def test_changed_output_is_a_mismatch_with_a_diff(scratch_case: Path) -> None:
    write(scratch_case, expectation(scratch_case))
    (scratch_case / "output.py").write_text("x = 2\n", encoding="utf-8")
    (problem,) = mismatches(scratch_case, expectation(scratch_case))
    assert "output.py differs" in problem
    assert "-x = 2" in problem and "+x = 1" in problem


def test_missing_report_is_a_mismatch(scratch_case: Path) -> None:
    write(scratch_case, expectation(scratch_case))
    (scratch_case / REPORT).unlink()
    (problem,) = mismatches(scratch_case, expectation(scratch_case))
    assert problem.endswith("report.txt is missing")


def test_stale_manifest_is_a_mismatch_and_update_removes_it(scratch_case: Path) -> None:
    write(scratch_case, expectation(scratch_case))
    (scratch_case / MANIFEST).write_text("{}\n", encoding="utf-8")
    (problem,) = mismatches(scratch_case, expectation(scratch_case))
    assert "should not exist" in problem
    write(scratch_case, expectation(scratch_case))
    assert not (scratch_case / MANIFEST).exists()


def test_notebook_case_expects_a_notebook(tmp_path: Path) -> None:
    cell = {"cell_type": "code", "metadata": {}, "outputs": [], "source": ["%time x = 1\n", "y = 2"]}
    notebook = {"cells": [cell], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    (tmp_path / "input.ipynb").write_text(json.dumps(notebook, indent=1) + "\n", encoding="utf-8")
    write(tmp_path, expectation(tmp_path))
    assert json.loads((tmp_path / "output.ipynb").read_text(encoding="utf-8")) == notebook
    assert not (tmp_path / "output.py").exists()
    assert mismatches(tmp_path, expectation(tmp_path)) == []


def test_case_with_two_inputs_is_refused(scratch_case: Path) -> None:
    (scratch_case / "input.ipynb").write_text("{}", encoding="utf-8")
    with pytest.raises(AssertionError, match="exactly one of"):
        expectation(scratch_case)


def test_readme_quote_is_replaced_by_the_file() -> None:
    readme = "intro\n<!-- golden seed004_dense_scope/input.py -->\n```python\nstale\n```\nrest\n"
    quoted = readme_with_current_quotes(readme)
    assert "stale" not in quoted
    assert (GOLDEN / "seed004_dense_scope" / "input.py").read_text(encoding="utf-8") in quoted
    assert quoted.endswith("```\nrest\n")
