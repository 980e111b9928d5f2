"""``tf1to2 convert``, ``rules``, ``explain``: a thin layer, so these check wiring, streams and exit codes."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import types

import click
import pytest
from click.testing import CliRunner
from rename_rule import CODE, rename_rule  # noqa: F401  (fixture)

from tf1to2 import cli, convert_source
from tf1to2 import rules as registry

TF1_SNIPPET = "import tensorflow as tf\nx = tf.placeholder(tf.float32)\n"


def run(*args: str) -> click.testing.Result:
    return CliRunner().invoke(cli.cli, list(args))


@pytest.fixture
def src(tmp_path):
    (tmp_path / "src" / "pkg").mkdir(parents=True)
    (tmp_path / "src" / "model.py").write_text("x = old_api(1)\n")
    (tmp_path / "src" / "pkg" / "same.py").write_text("y = 2\n")
    (tmp_path / "src" / "README.md").write_text("# docs\n")
    return tmp_path / "src"


def test_a_file_converts_to_a_file(tmp_path, src, rename_rule):
    result = run("convert", str(src / "model.py"), "-o", str(tmp_path / "out.py"))
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out.py").read_text() == "x = new_api(1)\n"
    assert result.stdout == f"{src / 'model.py'}:1:5: {CODE} [fixed] old_api renamed to new_api\n"
    assert result.stderr == "tf1to2: 1 file converted, 0 unchanged, 0 failed; findings: 0 errors, 0 warnings, 1 info\n"


def test_real_tf1_code_converts_like_convert_source(tmp_path):
    (tmp_path / "m.py").write_text(TF1_SNIPPET)
    result = run("convert", str(tmp_path / "m.py"), "-o", str(tmp_path / "out.py"))
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out.py").read_text() == convert_source(TF1_SNIPPET, str(tmp_path / "m.py")).text


def test_a_directory_converts_to_a_mirrored_directory(tmp_path, src, rename_rule):
    result = run("convert", str(src), "-o", str(tmp_path / "out"), "--jobs", "1")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out" / "model.py").read_text() == "x = new_api(1)\n"
    assert (tmp_path / "out" / "pkg" / "same.py").read_text() == "y = 2\n"
    assert (tmp_path / "out" / "README.md").read_text() == "# docs\n"
    assert (tmp_path / "out" / "model.tf1to2.json").exists()
    assert result.stderr.startswith("tf1to2: 1 file converted, 1 unchanged, 0 failed, 1 copied;")


def test_parallel_tree_conversion_matches_convert_source(tmp_path):
    for index in range(4):
        (tmp_path / "src").mkdir(exist_ok=True)
        (tmp_path / "src" / f"m{index}.py").write_text(TF1_SNIPPET + f"y = {index}\n")
    result = run("convert", str(tmp_path / "src"), "-o", str(tmp_path / "out"), "--jobs", "2")
    assert result.exit_code == 0, result.output
    for index in range(4):
        source = (tmp_path / "src" / f"m{index}.py").read_text()
        expected = convert_source(source, str(tmp_path / "src" / f"m{index}.py")).text
        assert (tmp_path / "out" / f"m{index}.py").read_text() == expected


def test_output_dash_writes_the_converted_file_to_stdout_and_the_report_to_stderr(src, rename_rule):
    result = run("convert", str(src / "model.py"), "-o", "-")
    assert result.exit_code == 0
    assert result.stdout == "x = new_api(1)\n"
    assert f"{CODE} [fixed]" in result.stderr


def test_diff_prints_a_patch_and_writes_nothing(src, rename_rule):
    result = run("convert", str(src), "--diff", "--jobs", "1")
    assert result.exit_code == 0
    model = str(src / "model.py")
    assert result.stdout == f"--- a/{model}\n+++ b/{model}\n@@ -1 +1 @@\n-x = old_api(1)\n+x = new_api(1)\n"
    assert (src / "model.py").read_text() == "x = old_api(1)\n"
    assert "would be converted" in result.stderr and f"{CODE} [fixed]" in result.stderr


@pytest.mark.parametrize(
    ("content", "exit_code"),
    [pytest.param("x = old_api(1)\n", 1, id="would change: exit 1"), pytest.param("x = 1\n", 0, id="clean: exit 0")],
)
def test_check_writes_nothing_and_exits_1_on_changes(tmp_path, rename_rule, content, exit_code):
    (tmp_path / "m.py").write_text(content)
    result = run("convert", str(tmp_path / "m.py"), "--check")
    assert result.exit_code == exit_code
    assert (tmp_path / "m.py").read_text() == content
    assert os.listdir(tmp_path) == ["m.py"]


def test_inplace_rewrites_the_tree(src, rename_rule):
    result = run("convert", str(src), "--inplace", "--jobs", "1")
    assert result.exit_code == 0
    assert (src / "model.py").read_text() == "x = new_api(1)\n"
    assert (src / "model.tf1to2.json").exists()
    assert sorted(os.listdir(src)) == ["README.md", "model.py", "model.tf1to2.json", "pkg"]


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_report_file_gets_the_report_and_the_terminal_only_the_summary(tmp_path, src, rename_rule, fmt):
    report = tmp_path / f"report.{fmt}"
    result = run("convert", str(src), "-o", str(tmp_path / "out"), "--report", str(report), "--format", fmt, "-j", "1")
    assert result.exit_code == 0
    assert result.stdout == ""
    assert result.stderr.startswith("tf1to2: 1 file converted")
    if fmt == "json":
        entries = {e["path"]: e for e in json.loads(report.read_text())["files"]}
        assert entries[str(src / "model.py")]["diagnostics"][0]["code"] == CODE
        assert entries[str(src / "README.md")]["status"] == "skipped"
    else:
        assert report.read_text() == f"{src / 'model.py'}:1:5: {CODE} [fixed] old_api renamed to new_api\n"


def test_json_format_prints_json_on_stdout(tmp_path, src, rename_rule):
    result = run("convert", str(src / "model.py"), "--check", "--format", "json")
    assert json.loads(result.stdout)["files"][0]["status"] == "changed"


def test_quiet_prints_nothing_but_keeps_the_exit_code(tmp_path, src, rename_rule):
    result = run("convert", str(src), "--check", "--quiet", "-j", "1")
    assert (result.exit_code, result.stdout, result.stderr) == (1, "", "")


def test_a_failed_file_makes_exit_code_1_and_the_rest_is_written(tmp_path, src, rename_rule):
    (src / "old.py").write_text('print "x"\n')
    result = run("convert", str(src), "-o", str(tmp_path / "out"), "-j", "1")
    assert result.exit_code == 1
    assert (tmp_path / "out" / "old.py").read_text() == 'print "x"\n'
    assert (tmp_path / "out" / "model.py").read_text() == "x = new_api(1)\n"
    assert "old.py:1:1: TF401 [error]" in result.stdout
    assert "1 failed" in result.stderr


def test_several_inputs_go_into_one_output_directory(tmp_path, src, rename_rule):
    (tmp_path / "single.py").write_text("old_api()\n")
    result = run("convert", str(src), str(tmp_path / "single.py"), "-o", str(tmp_path / "out"), "-j", "1")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out" / "single.py").read_text() == "new_api()\n"
    assert (tmp_path / "out" / "src" / "model.py").read_text() == "x = new_api(1)\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        pytest.param(["SRC"], "nothing to do", id="no output mode"),
        pytest.param(["SRC", "-o", "OUT", "--inplace"], "exclude each other", id="output and inplace"),
        pytest.param(["SRC", "--diff", "--inplace"], "write nothing", id="diff and inplace"),
        pytest.param(["SRC", "--check", "-o", "OUT"], "write nothing", id="check and output"),
        pytest.param(["SRC", "-o", "-"], "exactly one input file", id="stdout with a directory"),
        pytest.param(["SRC", "-o", "SRC"], "same directory", id="input equal to output"),
        pytest.param(["SRC", "-o", "SRC/pkg/inner"], "inside the input", id="output inside input"),
        pytest.param(["SRC/pkg", "-o", "SRC"], "inside the output", id="input inside output"),
        pytest.param(["SRC", "--jobs", "0", "--check"], "0", id="zero jobs"),
        pytest.param(["SRC", "--format", "xml", "--check"], "xml", id="unknown format"),
    ],
)
def test_usage_errors_exit_2_and_write_nothing(tmp_path, src, args, message):
    before = sorted(str(p) for p in tmp_path.rglob("*"))
    args = [arg.replace("SRC", str(src)).replace("OUT", str(tmp_path / "out")) for arg in args]
    result = run("convert", *args)
    assert result.exit_code == 2, result.output
    assert message in result.stderr
    assert sorted(str(p) for p in tmp_path.rglob("*")) == before


def test_missing_input_is_a_usage_error(tmp_path):
    result = run("convert", str(tmp_path / "nope.py"), "--check")
    assert result.exit_code == 2
    assert "does not exist" in result.stderr


def test_existing_output_directory_needs_force(tmp_path, src, rename_rule):
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "old.txt").write_text("x")
    refused = run("convert", str(src), "-o", str(tmp_path / "out"))
    assert refused.exit_code == 2 and "not empty" in refused.stderr
    assert os.listdir(tmp_path / "out") == ["old.txt"]
    forced = run("convert", str(src), "-o", str(tmp_path / "out"), "--force", "-j", "1")
    assert forced.exit_code == 0
    assert (tmp_path / "out" / "model.py").read_text() == "x = new_api(1)\n"


def test_an_internal_error_exits_2_with_a_message(tmp_path, src, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("planner exploded")

    monkeypatch.setattr(cli.tree, "plan", broken)
    result = run("convert", str(src), "--check")
    assert result.exit_code == 2
    assert "internal error: RuntimeError: planner exploded" in result.stderr


def test_progress_bar_only_on_a_terminal(tmp_path, src, monkeypatch):
    quiet_terminal = run("convert", str(src), "--check", "-j", "1")
    assert "converting" not in quiet_terminal.stderr
    monkeypatch.setattr(cli, "_is_terminal", lambda stream: True)
    terminal = run("convert", str(src), "--check", "-j", "1")
    assert "converting" in terminal.stderr


def test_rules_lists_engine_codes_and_rules(rename_rule):
    result = run("rules")
    assert result.exit_code == 0
    assert "TF401  error    file is not valid Python 3 (syntax error)\n" in result.stdout
    assert f"{CODE}  info     old_api is renamed to new_api\n" in result.stdout
    codes = [line.split()[0] for line in result.stdout.splitlines()]
    assert codes == sorted(codes)
    assert set(codes) == set(registry.ENGINE_CODES) | {rule.code for rule in registry.all_rules()}


@pytest.mark.parametrize("code", [CODE, CODE.lower()], ids=["upper case", "lower case"])
def test_explain_prints_the_rule_documentation(rename_rule, code):
    result = run("explain", code)
    assert result.exit_code == 0
    assert result.stdout.startswith(f"{CODE} (info): old_api is renamed to new_api\n\nRename old_api to new_api.")
    assert "Before:" in result.stdout and "Caveats:" in result.stdout


def test_explain_an_engine_code():
    result = run("explain", "TF402")
    assert result.exit_code == 0
    assert result.stdout.startswith("TF402: conversion gate failed")


def test_explain_an_unknown_code_exits_2():
    result = run("explain", "TF000")
    assert result.exit_code == 2
    assert "unknown rule code TF000" in result.stderr


def test_main_returns_the_exit_code(tmp_path, capsys, rename_rule):
    (tmp_path / "m.py").write_text("old_api()\n")
    assert cli.main(["convert", str(tmp_path / "m.py"), "--check"]) == 1
    assert cli.main(["convert", str(tmp_path / "m.py"), "-o", str(tmp_path / "o.py")]) == 0
    assert cli.main(["convert", str(tmp_path / "m.py")]) == 2
    assert cli.main(["--help"]) == 0
    assert "nothing to do" in capsys.readouterr().err


def test_commands_of_extension_modules_are_added_when_asked_for(monkeypatch):
    module = types.ModuleType("fake_extension")

    @click.command("say-hello")
    def say_hello() -> None:
        click.echo("hello")

    module.say_hello = say_hello
    monkeypatch.setitem(sys.modules, "fake_extension", module)
    monkeypatch.setattr(cli, "EXTENSION_MODULES", ("tf1to2.no_such_module", "fake_extension"))
    monkeypatch.setattr(cli._Commands, "_extensions_loaded", False)
    group = cli._Commands(commands={"convert": cli.convert})
    result = CliRunner().invoke(group, ["say-hello"])
    assert (result.exit_code, result.stdout) == (0, "hello\n")


def test_the_console_entry_point_converts_without_importing_tensorflow(tmp_path):
    (tmp_path / "m.py").write_text(TF1_SNIPPET)
    program = (
        "import sys; from tf1to2.cli import main; code = main(sys.argv[1:]); "
        "assert 'tensorflow' not in sys.modules, 'convert imported TensorFlow'; sys.exit(code)"
    )
    out = tmp_path / "out.py"
    done = subprocess.run([sys.executable, "-c", program, "convert", str(tmp_path / "m.py"), "-o", str(out)],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert out.exists()


def test_python_dash_m_runs_the_cli():
    done = subprocess.run([sys.executable, "-m", "tf1to2", "explain", "TF000"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert "unknown rule code TF000" in done.stderr


def test_a_notebook_in_a_tree_is_converted_and_reported_by_cell(tmp_path, src, rename_rule):
    cells = [
        {"cell_type": "markdown", "metadata": {}, "source": ["old_api in prose"]},
        {"cell_type": "code", "execution_count": 1, "metadata": {}, "outputs": [],
         "source": ["%matplotlib inline\n", "y = old_api(2)"]},
    ]
    notebook = {"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    (src / "explore.ipynb").write_text(json.dumps(notebook, indent=1) + "\n")
    result = run("convert", str(src), "-o", str(tmp_path / "out"), "-j", "1")
    assert result.exit_code == 0, result.output
    assert f"{src / 'explore.ipynb'}:cell 2:2:5: {CODE} [fixed]" in result.stdout
    cells[1]["source"] = ["%matplotlib inline\n", "y = new_api(2)"]
    assert (tmp_path / "out" / "explore.ipynb").read_text() == json.dumps(notebook, indent=1) + "\n"
    diff = run("convert", str(src / "explore.ipynb"), "--diff").stdout
    assert f"+++ b/{src / 'explore.ipynb'}:cell 2\n" in diff and "+y = new_api(2)" in diff


def test_an_interrupted_run_exits_130(tmp_path, src, monkeypatch, capsys):
    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(cli.tree, "run", interrupted)
    assert cli.main(["convert", str(src), "--check"]) == 130
    assert "Aborted." in capsys.readouterr().err
