"""The one-line summary of a run: files converted / unchanged / failed, findings by severity."""
from __future__ import annotations

import dataclasses
from typing import Iterable

from tf1to2.diagnostics import Severity
from tf1to2.engine import Status
from tf1to2.files import FileResult, Kind


@dataclasses.dataclass(frozen=True)
class Summary:
    converted: int = 0
    unchanged: int = 0
    failed: int = 0
    copied: int = 0  # files and links mirrored without conversion
    skipped: int = 0  # neither converted nor copied (a notebook in another language, a device file)
    errors: int = 0
    warnings: int = 0
    info: int = 0

    @classmethod
    def of(cls, results: Iterable[FileResult]) -> "Summary":
        counts = {name: 0 for name in (f.name for f in dataclasses.fields(cls))}
        for result in results:
            counts[_bucket(result)] += 1
            for located in result.diagnostics:
                counts[_SEVERITY_FIELD[located.diagnostic.severity]] += 1
        return cls(**counts)

    def line(self, *, dry_run: bool = False) -> str:
        verb = "would be converted" if dry_run else "converted"
        files = "file" if self.converted == 1 else "files"
        parts = [f"{self.converted} {files} {verb}", f"{self.unchanged} unchanged", f"{self.failed} failed"]
        if self.copied:
            parts.append(f"{self.copied} copied")
        if self.skipped:
            parts.append(f"{self.skipped} skipped")
        errors = "error" if self.errors == 1 else "errors"
        warnings = "warning" if self.warnings == 1 else "warnings"
        findings = f"{self.errors} {errors}, {self.warnings} {warnings}, {self.info} info"
        return f"tf1to2: {', '.join(parts)}; findings: {findings}"

    def as_dict(self) -> dict:
        return {
            "converted": self.converted,
            "unchanged": self.unchanged,
            "failed": self.failed,
            "copied": self.copied,
            "skipped": self.skipped,
            "findings": {"error": self.errors, "warning": self.warnings, "info": self.info},
        }


_SEVERITY_FIELD = {Severity.ERROR: "errors", Severity.WARNING: "warnings", Severity.INFO: "info"}


def _bucket(result: FileResult) -> str:
    if result.status is Status.CHANGED:
        return "converted"
    if result.status is Status.UNCHANGED:
        return "unchanged"
    if result.status is Status.FAILED:
        return "failed"
    if result.kind in (Kind.OTHER, Kind.SYMLINK) and result.output is not None:
        return "copied"
    return "skipped"
