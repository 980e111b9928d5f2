"""Trees: planning what happens to each path, mirroring, in place, dry runs, parallel workers."""
from __future__ import annotations

import multiprocessing
import os

import pytest
from rename_rule import rename_rule  # noqa: F401  (fixture)

from tf1to2 import tree
from tf1to2.engine import Status
from tf1to2.files import Kind


@pytest.fixture
def project(tmp_path):
    """A small source tree with a bit of everything."""
    src = tmp_path / "src"
    (src / "pkg" / "__pycache__").mkdir(parents=True)
    (src / "empty").mkdir()
    (src / "model.py").write_bytes(b"y = old_api(1)\n")
    (src / "model.tf1to2.json").write_text("{}")  # a manifest of an earlier conversion
    (src / "pkg" / "__init__.py").write_bytes(b"")
    (src / "pkg" / "train.py").write_bytes(b"import os\nold_api(os)\n")
    (src / "pkg" / "run.sh").write_bytes(b"#!/bin/sh\necho hi\n")
    (src / "pkg" / "run.sh").chmod(0o755)
    (src / "pkg" / "__pycache__" / "train.cpython-311.pyc").write_bytes(b"\x00bytecode")
    (src / "data.bin").write_bytes(bytes(range(256)))
    os.symlink("model.py", src / "alias.py")
    os.symlink("pkg", src / "pkg_link")
    os.symlink("/nonexistent/target", src / "dangling")
    return src


def by_path(results):
    return {os.path.relpath(r.path, r.path.split(os.sep + "src")[0] + os.sep + "src"): r for r in results}


def test_a_directory_is_mirrored(tmp_path, project, rename_rule):
    out = tmp_path / "out"
    results = tree.convert_tree(str(project), str(out), jobs=1)
    assert (out / "model.py").read_bytes() == b"y = new_api(1)\n"
    assert (out / "pkg" / "train.py").read_bytes() == b"import os\nnew_api(os)\n"
    assert (out / "pkg" / "__init__.py").read_bytes() == b""
    assert (out / "data.bin").read_bytes() == bytes(range(256))
    assert os.stat(out / "pkg" / "run.sh").st_mode & 0o777 == 0o755
    assert (out / "empty").is_dir()
    assert not (out / "pkg" / "__pycache__").exists()
    for link, target in [("alias.py", "model.py"), ("pkg_link", "pkg"), ("dangling", "/nonexistent/target")]:
        assert os.readlink(out / link) == target
    statuses = {path: (r.kind, r.status) for path, r in by_path(results).items()}
    assert statuses == {
        "model.py": (Kind.PYTHON, Status.CHANGED),
        "model.tf1to2.json": (Kind.OTHER, Status.SKIPPED),
        "pkg/__init__.py": (Kind.PYTHON, Status.UNCHANGED),
        "pkg/train.py": (Kind.PYTHON, Status.CHANGED),
        "pkg/run.sh": (Kind.OTHER, Status.SKIPPED),
        "data.bin": (Kind.OTHER, Status.SKIPPED),
        "alias.py": (Kind.SYMLINK, Status.SKIPPED),
        "pkg_link": (Kind.SYMLINK, Status.SKIPPED),
        "dangling": (Kind.SYMLINK, Status.SKIPPED),
    }


def test_the_new_manifest_replaces_the_stale_one(tmp_path, project, rename_rule):
    out = tmp_path / "out"
    tree.convert_tree(str(project), str(out), jobs=1)
    assert '"class_name": "NewApi"' in (out / "model.tf1to2.json").read_text()


def test_a_bad_file_is_copied_unchanged_and_the_tree_goes_on(tmp_path, project, rename_rule):
    (project / "pkg" / "old.py").write_bytes(b'print "python 2"\n')
    out = tmp_path / "out"
    results = by_path(tree.convert_tree(str(project), str(out), jobs=1))
    assert results["pkg/old.py"].status is Status.FAILED
    assert (out / "pkg" / "old.py").read_bytes() == b'print "python 2"\n'
    assert (out / "model.py").read_bytes() == b"y = new_api(1)\n"


def test_in_place_touches_only_converted_files(tmp_path, project, rename_rule):
    before = {p: p.read_bytes() for p in project.rglob("*") if p.is_file() and not p.is_symlink()}
    results = by_path(tree.convert_tree(str(project), inplace=True, jobs=1))
    assert set(results) == {"model.py", "pkg/__init__.py", "pkg/train.py"}
    assert (project / "model.py").read_bytes() == b"y = new_api(1)\n"
    assert os.path.islink(project / "alias.py")
    untouched = {p for p in before if p.name not in ("model.py", "train.py", "model.tf1to2.json")}
    assert all(p.read_bytes() == before[p] for p in untouched)


def test_a_dry_run_writes_nothing_and_keeps_the_changes(tmp_path, project, rename_rule):
    before = sorted((str(p), p.read_bytes() if p.is_file() else b"") for p in project.rglob("*"))
    results = by_path(tree.convert_tree(str(project), jobs=1))
    assert sorted((str(p), p.read_bytes() if p.is_file() else b"") for p in project.rglob("*")) == before
    assert [c.after for c in results["model.py"].changes] == ["y = new_api(1)\n"]
    assert all(r.output is None for r in results.values())


def test_parallel_workers_give_the_same_results(tmp_path, project, rename_rule):
    if multiprocessing.get_start_method() != "fork":
        pytest.skip("the stand-in rule reaches worker processes only when they are forked")
    for index in range(6):
        (project / f"extra{index}.py").write_bytes(f"z{index} = old_api({index})\n".encode())
    serial = tree.convert_tree(str(project), str(tmp_path / "serial"), jobs=1)
    parallel = tree.convert_tree(str(project), str(tmp_path / "parallel"), jobs=2)
    strip = lambda results: [(r.kind, r.status, r.diagnostics, r.units) for r in results]  # noqa: E731
    assert strip(parallel) == strip(serial)
    assert (tmp_path / "parallel" / "extra5.py").read_bytes() == b"z5 = new_api(5)\n"


def test_an_internal_error_fails_that_file_only(tmp_path, project, monkeypatch):
    real_dispatch = tree._dispatch

    def explode_on_train(task):
        if task.path.endswith("train.py"):
            raise RuntimeError("boom")
        return real_dispatch(task)

    monkeypatch.setattr(tree, "_dispatch", explode_on_train)
    results = by_path(tree.convert_tree(str(project), str(tmp_path / "out"), jobs=1))
    assert results["pkg/train.py"].status is Status.FAILED
    assert results["pkg/train.py"].diagnostics[0].diagnostic.code == "TF403"
    assert "RuntimeError: boom" in results["pkg/train.py"].reason
    assert results["model.py"].status is not Status.FAILED


def test_several_inputs_go_into_the_output_directory_by_name(tmp_path, project, rename_rule):
    single = tmp_path / "single.py"
    single.write_bytes(b"old_api()\n")
    out = tmp_path / "out"
    tree.run(tree.plan([str(project), str(single)], str(out)), jobs=1)
    assert (out / "single.py").read_bytes() == b"new_api()\n"
    assert (out / "src" / "model.py").read_bytes() == b"y = new_api(1)\n"


def test_a_file_goes_into_an_existing_output_directory(tmp_path, rename_rule):
    (tmp_path / "m.py").write_bytes(b"old_api()\n")
    (tmp_path / "out").mkdir()
    tree.run(tree.plan([str(tmp_path / "m.py")], str(tmp_path / "out")), jobs=1)
    assert (tmp_path / "out" / "m.py").read_bytes() == b"new_api()\n"


def test_a_file_goes_into_a_new_directory_named_with_a_trailing_slash(tmp_path, rename_rule):
    (tmp_path / "m.py").write_bytes(b"old_api()\n")
    tree.run(tree.plan([str(tmp_path / "m.py")], str(tmp_path / "new") + os.sep), jobs=1)
    assert (tmp_path / "new" / "m.py").read_bytes() == b"new_api()\n"


def test_a_file_output_in_a_new_directory_is_created(tmp_path, rename_rule):
    (tmp_path / "m.py").write_bytes(b"old_api()\n")
    tree.run(tree.plan([str(tmp_path / "m.py")], str(tmp_path / "new" / "deeper" / "m2.py")), jobs=1)
    assert (tmp_path / "new" / "deeper" / "m2.py").read_bytes() == b"new_api()\n"


@pytest.mark.parametrize(
    ("inputs", "output", "message"),
    [
        pytest.param(["src"], "src", "same directory", id="output equals input directory"),
        pytest.param(["src/model.py"], "src/model.py", "same file", id="output equals input file"),
        pytest.param(["src/model.py"], "src", "same file", id="file into its own directory"),
        pytest.param(["src"], "src/out", "inside the input", id="output inside input"),
        pytest.param(["src/pkg"], "other", "not empty", id="existing non-empty output directory"),
        pytest.param(["src/pkg"], "src/model.py", "is a file", id="directory into a file"),
        pytest.param(["src/pkg", "other/pkg"], "out", "named pkg", id="two inputs with one name"),
    ],
)
def test_unusable_outputs_are_refused_before_anything_is_written(tmp_path, project, monkeypatch, inputs, output, message):
    (tmp_path / "other" / "pkg").mkdir(parents=True)
    monkeypatch.chdir(tmp_path)
    before = sorted(str(p) for p in tmp_path.rglob("*"))
    with pytest.raises(tree.DestinationError, match=message):
        tree.plan(inputs, output)
    assert sorted(str(p) for p in tmp_path.rglob("*")) == before


def test_input_inside_output_is_refused_even_with_force(tmp_path, project, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(tree.DestinationError, match="inside the output"):
        tree.plan(["src/pkg"], "src", force=True)


def test_force_writes_into_a_non_empty_directory(tmp_path, project, rename_rule):
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.txt").write_text("mine")
    tree.run(tree.plan([str(project)], str(out), force=True), jobs=1)
    assert (out / "keep.txt").read_text() == "mine"
    assert (out / "model.py").read_bytes() == b"y = new_api(1)\n"


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads files whatever their mode")
def test_an_unreadable_file_in_a_tree_is_reported_and_the_rest_converted(tmp_path, project, rename_rule):
    (project / "secret.py").write_bytes(b"x = 1\n")
    (project / "secret.py").chmod(0)
    results = by_path(tree.convert_tree(str(project), str(tmp_path / "out"), jobs=1))
    assert results["secret.py"].status is Status.FAILED
    assert results["model.py"].status is Status.CHANGED


def test_a_read_only_directory_is_mirrored_read_only_after_its_files(tmp_path, project, rename_rule):
    (project / "pkg").chmod(0o555)
    try:
        tree.convert_tree(str(project), str(tmp_path / "out"), jobs=1)
        assert os.stat(tmp_path / "out" / "pkg").st_mode & 0o777 == 0o555
        assert (tmp_path / "out" / "pkg" / "train.py").read_bytes() == b"import os\nnew_api(os)\n"
    finally:
        (project / "pkg").chmod(0o755)
        if (tmp_path / "out" / "pkg").exists():
            (tmp_path / "out" / "pkg").chmod(0o755)


def test_a_directory_that_cannot_be_listed_is_reported(tmp_path, project, monkeypatch, rename_rule):
    real_scandir = os.scandir

    def refuse_pkg(path):
        if str(path).endswith("pkg"):
            raise PermissionError(13, "Permission denied")
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", refuse_pkg)
    results = by_path(tree.convert_tree(str(project), str(tmp_path / "out"), jobs=1))
    assert (results["pkg"].kind, results["pkg"].status) == (Kind.DIRECTORY, Status.FAILED)
    assert "cannot list directory: Permission denied" in results["pkg"].reason
    assert results["model.py"].status is Status.CHANGED
