"""Time ``tf1to2 verify`` on one case, wall clock including both processes, and say what dominates.

Usage:
    python bench/bench_verify.py [CASE_DIR] [--reference-python PATH] [--repeat N]

CASE_DIR holds original.py, converted.py and manifest.json (default: tests/fixtures/verify/linear_reuse,
two function units with weights made in build(), an L2 regularizer, weight reuse and Adam), or is a golden
case (input.py, output.py, manifest.json; ``golden/session_gan_var_lists`` times a script's sess.run sites
traced too). The phases come from the runners themselves: each side's TensorFlow import, unit run and
script run, the time the converted side waited for the original, and the comparison in this process.
Target: under 30 s.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path
from typing import Optional

from tf1to2.verify import driver

DEFAULT_CASE = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "verify" / "linear_reuse"
TARGET_SECONDS = 30.0


def case_files(case: Path) -> tuple[Path, Path, Path]:
    """(original, converted, manifest) of a verify fixture or a golden case."""
    if (case / "original.py").exists():
        return case / "original.py", case / "converted.py", case / "manifest.json"
    return case / "input.py", case / "output.py", case / "manifest.json"


def run_once(case: Path, reference_python: Optional[str]) -> dict[str, float]:
    options = driver.VerifyOptions(reference_python=reference_python)
    started = time.monotonic()
    report = driver.verify(*case_files(case), options)
    wall = time.monotonic() - started
    if not report.equivalent:
        raise SystemExit(f"{case} is not equivalent; a benchmark of a failing case would mislead")
    phases = {"wall (verify call)": wall, "compare": report.seconds.get("compare", 0.0)}
    phases.update({f"original: {name}": value for name, value in report.original_side.seconds.items()})
    phases.update({f"converted: {name}": value for name, value in report.converted_side.seconds.items()})
    phases["original side"] = report.original_side.tensorflow
    phases["converted side"] = f"{report.converted_side.tensorflow}, Keras {report.converted_side.keras}"
    return phases


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("case", nargs="?", type=Path, default=DEFAULT_CASE)
    parser.add_argument("--reference-python", help="interpreter with TensorFlow 1.15 for the original side")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    runs = [run_once(args.case, args.reference_python) for _ in range(args.repeat)]
    print(f"tf1to2 verify {args.case} ({args.repeat} runs; original on {runs[0]['original side']}, "
          f"converted on {runs[0]['converted side']})")
    timed = [name for name, value in runs[0].items() if isinstance(value, float)]
    for name in timed:
        values = [run[name] for run in runs]
        print(f"  {name:<36} median {statistics.median(values):6.2f} s   min {min(values):6.2f} s   max {max(values):6.2f} s")
    parts = {name: statistics.median(run[name] for run in runs) for name in timed if name != "wall (verify call)"}
    dominant = max(parts, key=parts.get)
    wall = statistics.median(run["wall (verify call)"] for run in runs)
    print(f"  dominant phase: {dominant} ({parts[dominant]:.2f} s); the two sides run at the same time")
    print(f"  target < {TARGET_SECONDS:.0f} s: {'met' if wall < TARGET_SECONDS else 'MISSED'} (median wall {wall:.2f} s)")
    return 0 if wall < TARGET_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
