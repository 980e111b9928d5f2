"""Time ``tf1to2 convert`` against TensorFlow's ``tf_upgrade_v2`` on the same tree, in one run.

The tree: examples/ plus tflearn 0.5.0 and tf-slim 1.1.0 from PyPI (fetched into a cache outside the
repository by tools/real_libraries.py). Both tools come from the environment of the Python running this
script, so they see the same installed TensorFlow. Every figure is the wall time of a fresh process:

- tree: convert the whole tree into a new output directory (both tools copy the other files too);
- single file: convert examples/tf1_project/train.py, i.e. a cold start plus one file.

Each figure is given as wall time and as CPU time (user + system of the process and its children): on a
shared machine the CPU time is the steadier one. One warm-up run of each tool first lets Python write
bytecode, as a regular ``pip install`` does (an editable install, or PYTHONDONTWRITEBYTECODE=1, would
otherwise make every run compile tf1to2 from source while TensorFlow's bytecode was compiled at install).

    python bench/bench_convert.py [--repeat N] [--jobs N]
"""
from __future__ import annotations

import argparse
import dataclasses
import importlib.util
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Sequence

ROOT = Path(__file__).resolve().parent.parent
SINGLE_FILE = ROOT / "examples" / "tf1_project" / "train.py"


def _real_libraries():
    spec = importlib.util.spec_from_file_location("real_libraries", ROOT / "tools" / "real_libraries.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def tool(name: str) -> list[str]:
    """The console script installed next to this interpreter (so both tools share one TensorFlow)."""
    beside = Path(sys.executable).parent / name
    if beside.exists():
        return [str(beside)]
    found = shutil.which(name)
    if found is None:
        raise SystemExit(f"{name} not found next to {sys.executable} or on PATH")
    return [found]


def build_tree(destination: Path) -> tuple[Path, int]:
    """examples/ and the real libraries side by side in one directory; returns it and its .py count."""
    if destination.exists():
        shutil.rmtree(destination)
    destination.mkdir(parents=True)
    shutil.copytree(ROOT / "examples", destination / "examples")
    for source in _real_libraries().fetch_all():
        shutil.copytree(source, destination / source.name)
    return destination, sum(1 for _ in destination.rglob("*.py"))


@dataclasses.dataclass(frozen=True)
class Timing:
    wall: float
    cpu: float  # user + system time of the command and its child processes


def timed(command: Sequence[str], env: dict[str, str] | None = None) -> Timing:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    completed = subprocess.run(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, check=False, env=env
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    # tf1to2 exits 1 when a file failed; that is a result, not a benchmark error. 2 is a usage error.
    if completed.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(command)} exited {completed.returncode}:\n{completed.stderr[-2000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Timing(wall, cpu)


def summary(timings: list[Timing]) -> str:
    wall = statistics.median(t.wall for t in timings)
    cpu = statistics.median(t.cpu for t in timings)
    return f"{wall:7.2f} s wall {cpu:7.2f} s CPU  (medians; best wall {min(t.wall for t in timings):.2f} s)"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs of each measurement (default 3)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="tf1to2 --jobs (default: cores)")
    args = parser.parse_args(argv)

    tf1to2, upgrader = tool("tf1to2"), tool("tf_upgrade_v2")
    with tempfile.TemporaryDirectory(prefix="tf1to2-bench-") as scratch_dir:
        scratch = Path(scratch_dir)
        tree, files = build_tree(scratch / "tree")
        outputs = iter(range(10**6))

        def fresh(name: str) -> str:
            return str(scratch / f"{name}-{next(outputs)}")

        measurements = {
            ("tree", "tf1to2"): lambda: [*tf1to2, "convert", str(tree), "-o", fresh("ours"), "--quiet", "--jobs", str(args.jobs)],
            ("tree", "tf_upgrade_v2"): lambda: [
                *upgrader, "--intree", str(tree), "--outtree", fresh("theirs"), "--reportfile", fresh("report.txt")
            ],
            ("file", "tf1to2"): lambda: [*tf1to2, "convert", str(SINGLE_FILE), "-o", fresh("ours.py"), "--quiet"],
            ("file", "tf_upgrade_v2"): lambda: [
                *upgrader, "--infile", str(SINGLE_FILE), "--outfile", fresh("theirs.py"), "--reportfile", fresh("report.txt")
            ],
        }
        warm_up = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
        for what, name in measurements:
            if what == "file":
                timed(measurements[(what, name)](), env=warm_up)
        times: dict[tuple[str, str], list[Timing]] = {key: [] for key in measurements}
        for _ in range(args.repeat):  # interleaved, so both tools see the same machine load
            for key, command in measurements.items():
                times[key].append(timed(command()))

    print(f"tree: {files} Python files (examples, tflearn 0.5.0, tf-slim 1.1.0); tf1to2 --jobs {args.jobs}; {args.repeat} runs")
    for (what, name), values in times.items():
        label = "tree" if what == "tree" else "single file (cold start)"
        print(f"  {label:<25} {name:<14} {summary(values)}")
    for what, label in (("tree", "tree"), ("file", "single file")):
        for measure in ("wall", "cpu"):
            theirs = statistics.median(getattr(t, measure) for t in times[(what, "tf_upgrade_v2")])
            ours = statistics.median(getattr(t, measure) for t in times[(what, "tf1to2")])
            print(f"  {label}, {measure} time: tf_upgrade_v2 / tf1to2 = {theirs / ours:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
