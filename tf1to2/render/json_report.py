"""The report as JSON: every finding of the text report, plus each file's status and reason.

Format ``tf1to2.report`` version 1 (documented in docs/cli.md)::

    {"format": "tf1to2.report", "version": 1,
     "summary": {"converted": 1, "unchanged": 0, "failed": 0, "copied": 0, "skipped": 0,
                 "findings": {"error": 0, "warning": 1, "info": 2}},
     "files": [{"path": "src/model.py", "kind": "python", "status": "changed", "reason": "",
                "output": "out/model.py", "manifest": null,
                "diagnostics": [{"code": "TF410", "severity": "info", "line": 3, "col": 5,
                                 "message": "...", "fixed": true}]}]}

``col`` is 1-based like the text report; notebook findings carry ``"cell"`` (1-based among all cells).
"""
from __future__ import annotations

import json
from typing import Sequence

from tf1to2.files import FileDiagnostic, FileResult
from tf1to2.render.summary import Summary

FORMAT = "tf1to2.report"
VERSION = 1


def report(results: Sequence[FileResult]) -> str:
    payload = {
        "format": FORMAT,
        "version": VERSION,
        "summary": Summary.of(results).as_dict(),
        "files": [file_entry(result) for result in results],
    }
    return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"


def file_entry(result: FileResult) -> dict:
    return {
        "path": result.path,
        "kind": result.kind.value,
        "status": result.status.value,
        "reason": result.reason,
        "output": result.output,
        "manifest": result.manifest_path,
        "diagnostics": [_diagnostic(located) for located in result.diagnostics],
    }


def _diagnostic(located: FileDiagnostic) -> dict:
    entry = located.diagnostic.as_dict()
    if located.cell is not None:
        entry["cell"] = located.cell
    return entry
