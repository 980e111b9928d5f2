"""What users read: report lines, the JSON report, diffs, the summary line, the rule table."""
from __future__ import annotations

import json

import pytest

from tf1to2.diagnostics import Diagnostic, Severity
from tf1to2.engine import Status
from tf1to2.files import FileDiagnostic, FileResult, Kind, TextChange
from tf1to2.render import diff, json_report, rules, text
from tf1to2.render.summary import Summary
from tf1to2.rules.base import Rule

FIXED = Diagnostic("TF410", Severity.INFO, 3, 4, "tf.placeholder became a call argument", fixed=True)
WARNING = Diagnostic("TF450", Severity.WARNING, 7, 0, "Session.run kept")
ERROR = Diagnostic("TF401", Severity.ERROR, 1, 0, "syntax error: invalid syntax; file left unchanged")

RESULTS = [
    FileResult("src/model.py", Kind.PYTHON, Status.CHANGED, diagnostics=(FileDiagnostic(FIXED), FileDiagnostic(WARNING)),
               output="out/model.py"),
    FileResult("src/nb.ipynb", Kind.NOTEBOOK, Status.UNCHANGED, diagnostics=(FileDiagnostic(WARNING, cell=3),)),
    FileResult("src/old.py", Kind.PYTHON, Status.FAILED, "syntax error: invalid syntax", (FileDiagnostic(ERROR),),
               output="out/old.py"),
    FileResult("src/data.csv", Kind.OTHER, Status.SKIPPED, "copied unchanged (not Python)", output="out/data.csv"),
    FileResult("src/r.ipynb", Kind.NOTEBOOK, Status.SKIPPED, "notebook kernel language is R, not Python"),
]


def test_text_report_lines_name_path_line_column_code_and_state():
    assert text.results_report(RESULTS) == (
        "src/model.py:3:5: TF410 [fixed] tf.placeholder became a call argument\n"
        "src/model.py:7:1: TF450 [warning] Session.run kept\n"
        "src/nb.ipynb:cell 3:7:1: TF450 [warning] Session.run kept\n"
        "src/old.py:1:1: TF401 [error] syntax error: invalid syntax; file left unchanged\n"
    )


def test_json_report_has_the_same_findings_plus_status_and_reason():
    report = json.loads(json_report.report(RESULTS))
    assert (report["format"], report["version"]) == ("tf1to2.report", 1)
    files = {entry["path"]: entry for entry in report["files"]}
    assert [(p, e["status"], e["reason"]) for p, e in files.items()] == [
        ("src/model.py", "changed", ""),
        ("src/nb.ipynb", "unchanged", ""),
        ("src/old.py", "failed", "syntax error: invalid syntax"),
        ("src/data.csv", "skipped", "copied unchanged (not Python)"),
        ("src/r.ipynb", "skipped", "notebook kernel language is R, not Python"),
    ]
    assert files["src/model.py"]["diagnostics"][0] == {
        "code": "TF410", "severity": "info", "line": 3, "col": 5,
        "message": "tf.placeholder became a call argument", "fixed": True,
    }
    assert files["src/nb.ipynb"]["diagnostics"][0]["cell"] == 3
    assert "cell" not in files["src/model.py"]["diagnostics"][0]
    assert files["src/old.py"]["output"] == "out/old.py"
    lines = text.results_report(RESULTS).splitlines()
    assert len(lines) == sum(len(entry["diagnostics"]) for entry in report["files"]), "same content as the text report"


def test_summary_counts_files_by_status_and_findings_by_severity():
    summary = Summary.of(RESULTS)
    assert summary.line() == (
        "tf1to2: 1 file converted, 1 unchanged, 1 failed, 1 copied, 1 skipped; findings: 1 error, 2 warnings, 1 info"
    )
    assert summary.as_dict()["findings"] == {"error": 1, "warning": 2, "info": 1}


def test_summary_of_a_dry_run_says_would_be():
    assert Summary.of(RESULTS[:1]).line(dry_run=True) == (
        "tf1to2: 1 file would be converted, 0 unchanged, 0 failed; findings: 0 errors, 1 warning, 1 info"
    )


@pytest.mark.parametrize(
    ("before", "after", "expected"),
    [
        pytest.param(
            "a = 1\nb = old(2)\n",
            "a = 1\nb = new(2)\n",
            "--- a/m.py\n+++ b/m.py\n@@ -1,2 +1,2 @@\n a = 1\n-b = old(2)\n+b = new(2)\n",
            id="ordinary change",
        ),
        pytest.param(
            "b = old(2)",
            "b = new(2)",
            "--- a/m.py\n+++ b/m.py\n@@ -1 +1 @@\n-b = old(2)\n\\ No newline at end of file\n"
            "+b = new(2)\n\\ No newline at end of file\n",
            id="no newline at end of file",
        ),
    ],
)
def test_unified_diff_is_a_valid_patch(before, after, expected):
    assert diff.unified_diff(TextChange("m.py", before, after)) == expected


def test_diffs_cover_every_change_in_order():
    results = [
        FileResult("a.py", Kind.PYTHON, Status.CHANGED, changes=(TextChange("a.py", "x\n", "y\n"),)),
        FileResult("nb.ipynb", Kind.NOTEBOOK, Status.CHANGED, changes=(TextChange("nb.ipynb:cell 2", "p", "q"),)),
    ]
    rendered = diff.diffs(results)
    assert rendered.index("+++ b/a.py") < rendered.index("+++ b/nb.ipynb:cell 2")


def test_rule_table_lists_engine_codes_and_rules_in_code_order():
    rule = Rule("TF410", "tf.placeholder becomes an argument", Severity.INFO, "doc", lambda module: iter(()))
    table = rules.table([rule], {"TF400": "file cannot be read"})
    assert table == "TF400  error    file cannot be read\nTF410  info     tf.placeholder becomes an argument\n"


def test_explanation_prints_a_rules_documentation():
    rule = Rule("TF410", "summary", Severity.WARNING, "Before:\n  a\n\nAfter:\n  b", lambda module: iter(()))
    assert rules.explanation("TF410", rule, {}) == "TF410 (warning): summary\n\nBefore:\n  a\n\nAfter:\n  b\n"


def test_explanation_of_an_engine_code_says_the_file_is_left_unchanged():
    explained = rules.explanation("TF401", None, {"TF401": "file is not valid Python 3"})
    assert explained.startswith("TF401: file is not valid Python 3\n")
    assert "left as it was" in explained
