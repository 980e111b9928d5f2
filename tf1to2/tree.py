"""Convert many files: plan what happens to each path, then run the plan in parallel processes.

Three modes: mirror (``output``: a file to a file, a directory to a mirrored directory where Python files
and notebooks are converted, everything else is copied, modes are kept and symlinks stay links), in
place (``inplace``: Python files and notebooks rewritten atomically), and dry run (neither: nothing is
written, for ``--diff`` and ``--check``). One bad file never stops the others: every task ends in a
``FileResult``, even when the worker running it fails.
"""
from __future__ import annotations

import concurrent.futures
import contextlib
import dataclasses
import gc
import os
import shutil
from typing import Callable, Iterable, Optional, Sequence

from tf1to2.engine import Status
from tf1to2.files import (
    MANIFEST_SUFFIX,
    FileResult,
    Kind,
    convert_file,
    copy_file,
    copy_link,
    kind_of,
    read_failure,
)

# Caches of compiled bytecode describe the old sources; they are not mirrored.
SKIPPED_DIRECTORIES = frozenset({"__pycache__"})


class DestinationError(ValueError):
    """The requested output cannot be used (it is the input, inside it, or a non-empty directory)."""


@dataclasses.dataclass(frozen=True)
class Task:
    """One path to handle; ``destination`` None means nothing is written (a dry run)."""

    kind: Kind
    path: str
    destination: Optional[str]


@dataclasses.dataclass
class Plan:
    tasks: list[Task] = dataclasses.field(default_factory=list)
    directories: list[tuple[str, str]] = dataclasses.field(default_factory=list)  # (source, mirror), parents first
    results: list[FileResult] = dataclasses.field(default_factory=list)  # settled while planning


def plan(paths: Sequence[str], output: Optional[str] = None, *, inplace: bool = False, force: bool = False) -> Plan:
    """Decide what happens to every path; raises DestinationError before anything is written.

    With ``output``: one file goes to the file ``output`` (or into it, when it is a directory); one
    directory is mirrored as ``output``; several paths go into the directory ``output`` by name.
    """
    if inplace and output is not None:
        raise DestinationError("--inplace and an output path exclude each other")
    result = Plan()
    if output is None:
        for path in paths:
            _walk(path, None, result, in_place=inplace)
        return result
    if len(paths) == 1 and not os.path.isdir(paths[0]):
        into_directory = os.path.isdir(output) or output.endswith(os.sep)
        destination = os.path.join(output, os.path.basename(paths[0])) if into_directory else output
        _refuse_same_file(paths[0], destination)
        if os.path.dirname(destination):
            result.directories.append((os.path.dirname(destination),) * 2)
        result.tasks.append(Task(kind_of(paths[0], in_tree=False), paths[0], destination))
        return result
    for path in paths:
        if os.path.isdir(path):
            _refuse_overlap(path, output)
    _check_output_directory(output, force)
    if len(paths) == 1:
        result.directories.append((paths[0], output))
        _walk(paths[0], output, result, in_place=False)
        return result
    names = [os.path.basename(os.path.normpath(path)) for path in paths]
    duplicates = sorted({name for name in names if names.count(name) > 1})
    if duplicates:
        raise DestinationError(
            f"several inputs are named {', '.join(duplicates)}: they would overwrite each other in {output}"
        )
    result.directories.append((output, output))
    for path, name in zip(paths, names):
        destination = os.path.join(output, name)
        if os.path.isdir(path):
            result.directories.append((path, destination))
            _walk(path, destination, result, in_place=False)
        else:
            _refuse_same_file(path, destination)
            result.tasks.append(Task(kind_of(path, in_tree=False), path, destination))
    return result


def run(
    plan_: Plan,
    *,
    jobs: Optional[int] = None,
    keep_changes: bool = False,
    on_result: Optional[Callable[[FileResult], None]] = None,
) -> list[FileResult]:
    """Run the plan with ``jobs`` processes (default: one per core); results sorted by path.

    ``keep_changes`` keeps the before/after texts for diffs; otherwise results carry findings only.
    """
    _make_directories(plan_.directories)
    results = list(plan_.results)
    for task_result in _run_tasks(plan_.tasks, jobs or os.cpu_count() or 1, keep_changes):
        results.append(task_result)
        if on_result is not None:
            on_result(task_result)
    _copy_directory_modes(plan_.directories)
    return sorted(results, key=lambda r: r.path)


def convert_tree(
    root: str, output: Optional[str] = None, *, inplace: bool = False, force: bool = False, jobs: Optional[int] = None
) -> list[FileResult]:
    """Convert a directory (or a file): mirrored into ``output``, rewritten ``inplace``, or a dry run."""
    dry_run = output is None and not inplace
    return run(plan([root], output, inplace=inplace, force=force), jobs=jobs, keep_changes=dry_run)


def run_task(task: Task, keep_changes: bool = False) -> FileResult:
    """Run one task in this process; an unexpected error becomes that file's failure."""
    try:
        result = _dispatch(task)
    except Exception as exc:  # one file's internal error must not abort a tree  # noqa: BLE001
        return read_failure(task.path, task.kind, f"internal error: {type(exc).__name__}: {exc}", code="TF403")
    return dataclasses.replace(result, content=None, changes=result.changes if keep_changes else ())


def _dispatch(task: Task) -> FileResult:
    if task.kind is Kind.SYMLINK:
        return copy_link(task.path, task.destination)
    if task.kind is Kind.OTHER:
        return copy_file(task.path, task.destination)
    return convert_file(task.path, task.destination, kind=task.kind)


def _run_tasks(tasks: list[Task], jobs: int, keep_changes: bool) -> Iterable[FileResult]:
    if jobs <= 1 or len(tasks) <= 1:
        with _collecting_less():
            for task in tasks:
                yield run_task(task, keep_changes)
        return
    with concurrent.futures.ProcessPoolExecutor(
        max_workers=min(jobs, len(tasks)), initializer=_collect_less
    ) as pool:
        futures = {pool.submit(run_task, task, keep_changes): task for task in _largest_first(tasks)}
        for future in concurrent.futures.as_completed(futures):
            task = futures[future]
            try:
                yield future.result()
            except Exception as exc:  # the worker process died (killed, out of memory)  # noqa: BLE001
                reason = f"internal error: worker process failed: {type(exc).__name__}: {exc}"
                yield read_failure(task.path, task.kind, reason, code="TF403")


def _largest_first(tasks: list[Task]) -> list[Task]:
    """Conversions first, largest file first: a large file started last would leave the other workers
    idle while it finishes. Copies and links take no time. Results are sorted by path afterwards."""

    def cost(task: Task) -> int:
        if task.kind not in (Kind.PYTHON, Kind.NOTEBOOK):
            return -1
        try:
            return os.lstat(task.path).st_size
        except OSError:
            return 0  # reported when the task runs

    return sorted(tasks, key=cost, reverse=True)


# Converting allocates millions of small objects that reference counting frees (the analyses build no
# cycles), yet by default the garbage collector counts them and scans the whole heap (imported modules,
# rule tables, the module being converted) over and over. Objects alive before the conversion are
# frozen out of every collection, and the first generation is large enough that collections are rare.
_CONVERSION_THRESHOLDS = (50_000, 20, 20)


def _collect_less() -> None:
    """Set the collector for a worker process, which only converts."""
    gc.freeze()
    gc.set_threshold(*_CONVERSION_THRESHOLDS)


@contextlib.contextmanager
def _collecting_less():
    """The same in this process, for the conversion only."""
    thresholds = gc.get_threshold()
    _collect_less()
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
        gc.unfreeze()


def _walk(root: str, mirror: Optional[str], plan_: Plan, *, in_place: bool) -> None:
    """Add a task for every entry under ``root`` (a file given by name is a task itself)."""
    if not os.path.isdir(root):
        destination = root if in_place else None
        plan_.tasks.append(Task(kind_of(root, in_tree=False), root, destination))
        return
    try:
        entries = sorted(os.scandir(root), key=lambda e: e.name)
    except OSError as exc:
        plan_.results.append(read_failure(root, Kind.DIRECTORY, f"cannot list directory: {exc.strerror or exc}"))
        return
    names = {entry.name for entry in entries}
    for entry in entries:
        target = os.path.join(mirror, entry.name) if mirror is not None else None
        if entry.is_symlink():
            if target is not None:
                plan_.tasks.append(Task(Kind.SYMLINK, entry.path, target))
        elif entry.is_dir():
            if entry.name in SKIPPED_DIRECTORIES:
                continue
            if target is not None:
                plan_.directories.append((entry.path, target))
            _walk(entry.path, target, plan_, in_place=in_place)
        elif entry.is_file():
            _add_file(entry.path, entry.name, target, names, plan_, in_place=in_place)
        else:
            reason = "not a regular file (device, pipe or socket)"
            plan_.results.append(FileResult(entry.path, Kind.OTHER, Status.SKIPPED, reason))


def _add_file(path: str, name: str, target: Optional[str], siblings: set[str], plan_: Plan, *, in_place: bool) -> None:
    kind = kind_of(path, in_tree=True)
    if kind is Kind.OTHER:
        if target is None:
            return  # in place and dry runs touch only what they convert
        if _is_stale_manifest(name, siblings):
            reason = "manifest of an earlier conversion: not copied"
            plan_.results.append(FileResult(path, Kind.OTHER, Status.SKIPPED, reason))
            return
        plan_.tasks.append(Task(kind, path, target))
        return
    plan_.tasks.append(Task(kind, path, path if in_place else target))


def _is_stale_manifest(name: str, siblings: set[str]) -> bool:
    if not name.endswith(MANIFEST_SUFFIX):
        return False
    stem = name[: -len(MANIFEST_SUFFIX)]
    return f"{stem}.py" in siblings or f"{stem}.ipynb" in siblings


def _make_directories(directories: list[tuple[str, str]]) -> None:
    for _, mirror in directories:
        try:
            os.makedirs(mirror, exist_ok=True)
        except OSError:
            pass  # the files under it fail one by one, each with the reason


def _copy_directory_modes(directories: list[tuple[str, str]]) -> None:
    """Last and deepest first, so a read-only directory is made read-only after its files are in."""
    for source, mirror in reversed(directories):
        if source == mirror:
            continue
        try:
            shutil.copymode(source, mirror)
        except OSError:
            pass  # the mode is a courtesy; the files are already written


def _check_output_directory(output: str, force: bool) -> None:
    if os.path.exists(output) and not os.path.isdir(output):
        raise DestinationError(f"output {output} is a file; a directory or several inputs need an output directory")
    if os.path.isdir(output) and os.listdir(output) and not force:
        raise DestinationError(f"output directory {output} is not empty (use --force to write into it)")


def _refuse_overlap(source: str, output: str) -> None:
    real_source, real_output = os.path.realpath(source), os.path.realpath(output)
    if real_source == real_output:
        raise DestinationError(f"input and output are the same directory ({source}); use --inplace to rewrite it")
    if _is_inside(real_output, real_source):
        raise DestinationError(f"output {output} is inside the input {source}")
    if _is_inside(real_source, real_output):
        raise DestinationError(f"input {source} is inside the output {output}")


def _refuse_same_file(source: str, destination: str) -> None:
    if os.path.realpath(source) == os.path.realpath(destination):
        raise DestinationError(f"input and output are the same file ({source}); use --inplace to rewrite it")


def _is_inside(path: str, directory: str) -> bool:
    return path.startswith(directory.rstrip(os.sep) + os.sep)
