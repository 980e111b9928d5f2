"""Real TF1 code for the tests and benchmarks: tflearn 0.5.0 and tf-slim 1.1.0 from PyPI.

The releases are fetched with ``pip download --no-deps`` and unpacked into a cache outside the
repository (``$TF1TO2_CACHE``, default ``~/.cache/tf1to2``); third-party code is never committed.
Unpacking goes through a temporary directory and a rename, so concurrent runs never see half a tree.

    python tools/real_libraries.py        # fetch both and print their source directories
"""
from __future__ import annotations

import os
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from pathlib import Path

LIBRARIES: tuple[tuple[str, str], ...] = (("tflearn", "0.5.0"), ("tf-slim", "1.1.0"))


class DownloadError(RuntimeError):
    """pip could not fetch a release (no network, PyPI unreachable, or no such release)."""


def cache_dir() -> Path:
    configured = os.environ.get("TF1TO2_CACHE")
    return Path(configured) if configured else Path.home() / ".cache" / "tf1to2"


def fetch(name: str, version: str, cache: Path | None = None) -> Path:
    """The unpacked source tree of ``name==version``, downloading it on first use."""
    cache = cache or cache_dir()
    tree = cache / "src" / f"{name}-{version}"
    if tree.is_dir():
        return tree
    archive = _download(name, version, cache / "downloads")
    tree.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=tree.parent) as scratch:
        unpacked = Path(scratch) / "tree"
        _unpack(archive, unpacked)
        try:
            unpacked.rename(tree)
        except OSError:
            if not tree.is_dir():  # another run unpacked it at the same time: theirs is as good
                raise
    return tree


def fetch_all(cache: Path | None = None) -> list[Path]:
    return [fetch(name, version, cache) for name, version in LIBRARIES]


def _download(name: str, version: str, downloads: Path) -> Path:
    existing = _archive_in(downloads, name, version)
    if existing is not None:
        return existing
    downloads.mkdir(parents=True, exist_ok=True)
    command = [
        sys.executable, "-m", "pip", "download", "--no-deps", "--disable-pip-version-check",
        "--timeout", "30", "--retries", "1", "--dest", str(downloads), f"{name}=={version}",
    ]
    completed = subprocess.run(command, capture_output=True, text=True, check=False)
    archive = _archive_in(downloads, name, version)
    if completed.returncode != 0 or archive is None:
        errors = [line for line in completed.stderr.splitlines() if line.startswith("ERROR")]
        detail = errors[-1] if errors else (completed.stderr.strip().splitlines() or ["no output"])[-1]
        raise DownloadError(f"pip download {name}=={version} failed: {detail}")
    return archive


def _archive_in(downloads: Path, name: str, version: str) -> Path | None:
    # Wheels spell the name with underscores (tf_slim-1.1.0-py2.py3-none-any.whl), sdists may not.
    stems = {f"{name}-{version}", f"{name.replace('-', '_')}-{version}"}
    for path in sorted(downloads.glob("*")) if downloads.is_dir() else []:
        if any(path.name.startswith(stem) for stem in stems) and path.name.endswith((".tar.gz", ".whl", ".zip")):
            return path
    return None


def _unpack(archive: Path, destination: Path) -> None:
    destination.mkdir(parents=True)
    if archive.name.endswith(".tar.gz"):
        with tarfile.open(archive) as tar:
            # The "data" filter refuses links and paths that leave the destination.
            if hasattr(tarfile, "data_filter"):
                tar.extractall(destination, filter="data")
            else:  # Python without the backported filter (3.10 < 3.10.12)
                tar.extractall(destination)
        return
    with zipfile.ZipFile(archive) as zipped:
        zipped.extractall(destination)


if __name__ == "__main__":
    for directory in fetch_all():
        print(directory)
