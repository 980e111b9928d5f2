"""tox's inline plugin for this project: find every pyenv-installed Python.

pyenv's shims (``python3.10``, ``python3.12`` ...) only run the versions that are currently selected, so
on a machine whose selected version is 3.11 tox would skip py310, py312 and py313 as missing although
pyenv has them. Selecting every installed CPython version, the current one first, lets each shim find
its own interpreter (tox.ini passes PYENV_VERSION through to interpreter discovery and to commands).
Without pyenv this does nothing.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

_CPYTHON_VERSION = re.compile(r"\d+\.\d+\.\d+")


def _selected_versions() -> list[str]:
    if os.environ.get("PYENV_VERSION"):
        return os.environ["PYENV_VERSION"].split(":")
    pyenv = shutil.which("pyenv")
    if pyenv is None:
        return []
    completed = subprocess.run([pyenv, "version-name"], capture_output=True, text=True, check=False)
    return completed.stdout.strip().split(":") if completed.returncode == 0 else []


def _installed_versions(root: Path) -> list[str]:
    names = [path.name for path in (root / "versions").glob("*") if _CPYTHON_VERSION.fullmatch(path.name)]
    return sorted(names, key=lambda name: tuple(int(part) for part in name.split(".")), reverse=True)


def _select_every_pyenv_version() -> None:
    root = os.environ.get("PYENV_ROOT") or (str(Path.home() / ".pyenv") if shutil.which("pyenv") else "")
    if not root or not Path(root, "versions").is_dir():
        return
    selected = [version for version in _selected_versions() if version]
    others = [version for version in _installed_versions(Path(root)) if version not in selected]
    if others:
        os.environ["PYENV_ROOT"] = root
        os.environ["PYENV_VERSION"] = ":".join(selected + others)


_select_every_pyenv_version()
