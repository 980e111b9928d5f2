"""Shared test options and markers.

Conventions (also in README.md, "Tests"):

- ``pytest --update-goldens`` rewrites the expected files under ``golden/`` from the current converter
  instead of comparing against them; review the result with ``git diff golden/``.
- ``@pytest.mark.requires_tf``: the test imports TensorFlow. Conversion never does, so the conversion
  environments (``tox -e py310`` ... ``py313``) install no TensorFlow and these tests are skipped there
  with a reason, not failed. Inside a test, ``pytest.importorskip("tensorflow")`` does the same for a
  single test; the ``tf`` fixture returns the module (and marks the test ``requires_tf``).
- ``@pytest.mark.network``: the test downloads from PyPI. It runs by default and skips itself with the
  reason when PyPI cannot be reached; deselect with ``-m "not network"``.
- The ``reference_python`` fixture is the interpreter with real TensorFlow 1.15 named by
  ``TF1TO2_REFERENCE_PYTHON`` (see tools/make_reference_venv.sh); tests using it skip when it is unset
  or not executable, and are marked ``reference`` automatically. The TensorFlow environments of tox run
  ``-m "requires_tf or reference"``.
"""
from __future__ import annotations

import importlib.util
import os
from pathlib import Path
from types import ModuleType

import pytest

TF_MISSING_REASON = "TensorFlow is not installed (conversion never needs it; pip install -e '.[tf]' to run this)"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-goldens",
        action="store_true",
        default=False,
        help="rewrite the expected files of the golden cases instead of comparing against them",
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "requires_tf: the test imports TensorFlow; skipped when it is not installed")
    config.addinivalue_line("markers", "network: the test downloads from PyPI; skipped when PyPI is unreachable")
    config.addinivalue_line("markers", "reference: the test runs real TF 1.15 (set automatically by reference_python)")


def tensorflow_installed() -> bool:
    # find_spec does not import TensorFlow, so collecting the suite stays fast.
    return importlib.util.find_spec("tensorflow") is not None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        fixtures = getattr(item, "fixturenames", ())
        if "reference_python" in fixtures:
            item.add_marker(pytest.mark.reference)
        if "tf" in fixtures:  # so that `-m requires_tf` (the TensorFlow environments of tox) selects it
            item.add_marker(pytest.mark.requires_tf)
    if tensorflow_installed():
        return
    skip = pytest.mark.skip(reason=TF_MISSING_REASON)
    for item in items:
        if "requires_tf" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def update_goldens(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-goldens"))


@pytest.fixture(scope="session")
def tf() -> ModuleType:
    return pytest.importorskip("tensorflow", reason=TF_MISSING_REASON)


@pytest.fixture(scope="session")
def reference_python() -> Path:
    """The TF 1.15 interpreter for reference runs; skips the test when none is configured."""
    configured = os.environ.get("TF1TO2_REFERENCE_PYTHON", "")
    if not configured:
        pytest.skip("TF1TO2_REFERENCE_PYTHON is not set (tools/make_reference_venv.sh makes a TF 1.15 interpreter)")
    path = Path(configured)
    if not (path.is_file() and os.access(path, os.X_OK)):
        pytest.skip(f"TF1TO2_REFERENCE_PYTHON={configured} is not an executable interpreter")
    return path


# Tests add ("section", "line") pairs through the ``summary_lines`` fixture; they are printed once at the
# end of the run, so figures such as the finding counts on real libraries are visible without ``-s``.
_SUMMARY: list[tuple[str, str]] = []


@pytest.fixture(scope="session")
def summary_lines() -> list[tuple[str, str]]:
    return _SUMMARY


def pytest_terminal_summary(terminalreporter, exitstatus: int, config: pytest.Config) -> None:
    sections: dict[str, list[str]] = {}
    for section, line in _SUMMARY:
        sections.setdefault(section, []).append(line)
    for section, lines in sections.items():
        terminalreporter.write_sep("-", section)
        for line in lines:
            terminalreporter.write_line(line)
