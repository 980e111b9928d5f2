"""The ``tf1to2`` command line: a thin layer over ``tf1to2.tree`` / ``tf1to2.files`` and ``tf1to2.render``.

Exit codes: 0 done; 1 a file failed, or ``--check`` found files that would change; 2 usage or internal
error. Output: the product of the command (a diff, converted code with ``-o -``, else the report) on
stdout; the progress bar and the one-line summary on stderr.
"""
from __future__ import annotations

import importlib
import os
import sys
from typing import Optional, Sequence

import click

from tf1to2 import rules as registry
from tf1to2.engine import Status
from tf1to2.files import FileResult, convert_file
from tf1to2.render import diff as diff_render
from tf1to2.render import json_report, rules as rules_render, text
from tf1to2.render.summary import Summary
from tf1to2 import tree

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report Ctrl-C

# ---- Commands from other modules -------------------------------------------------------------------
# Each module here defines click commands at module level (or lists them in ``COMMANDS``); they are
# added to ``tf1to2`` as they are. A module is imported only when one of its commands is run or the
# command list is shown, so ``convert`` never imports it (and never TensorFlow). Add modules here.
EXTENSION_MODULES: tuple[str, ...] = (
    "tf1to2.verify.commands",  # verify, convert-checkpoint, diff-checkpoint
)


class InternalError(click.ClickException):
    exit_code = EXIT_USAGE

    def format_message(self) -> str:
        return f"internal error: {self.message} (this is a bug in tf1to2; please report it)"


class _Commands(click.Group):
    """Built-in commands plus those of EXTENSION_MODULES; an unexpected exception exits with 2."""

    _extensions_loaded = False

    def list_commands(self, ctx: click.Context) -> list[str]:
        self._load_extensions()
        return super().list_commands(ctx)

    def get_command(self, ctx: click.Context, name: str) -> Optional[click.Command]:
        command = super().get_command(ctx, name)
        if command is None:
            self._load_extensions()
            command = super().get_command(ctx, name)
        return command

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except Exception as exc:
            raise InternalError(f"{type(exc).__name__}: {exc}") from exc

    def _load_extensions(self) -> None:
        if self._extensions_loaded:
            return
        self._extensions_loaded = True
        for module_name in EXTENSION_MODULES:
            try:
                module = importlib.import_module(module_name)
            except ModuleNotFoundError as exc:
                if exc.name and module_name.startswith(exc.name):
                    continue  # not installed in this tree yet
                raise
            commands = getattr(module, "COMMANDS", None) or [
                value for value in vars(module).values() if isinstance(value, click.Command)
            ]
            for command in commands:
                if command.name not in self.commands:
                    self.add_command(command)


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="tf1to2", prog_name="tf1to2")
def cli() -> None:
    """Convert TensorFlow 1.15 code to TensorFlow 2 / Keras, and report what was done."""


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, readable=False))
@click.option("-o", "--output", type=click.Path(), help="Output file or directory; '-' writes one file to stdout.")
@click.option("--inplace", is_flag=True, help="Rewrite the inputs (atomically; unchanged files are not touched).")
@click.option("--diff", "show_diff", is_flag=True, help="Print a unified diff; write nothing.")
@click.option("--check", is_flag=True, help="Write nothing; exit 1 if any file would change.")
@click.option("--report", "report_file", type=click.Path(dir_okay=False), help="Write the report to this file.")
@click.option("--format", "report_format", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="Report format.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None,
              help="Processes converting a tree in parallel [default: number of cores].")
@click.option("-q", "--quiet", is_flag=True, help="No report, summary or progress on the terminal.")
@click.option("--force", is_flag=True, help="Write into an output directory that is not empty.")
@click.pass_context
def convert(
    ctx: click.Context,
    paths: tuple[str, ...],
    output: Optional[str],
    inplace: bool,
    show_diff: bool,
    check: bool,
    report_file: Optional[str],
    report_format: str,
    jobs: Optional[int],
    quiet: bool,
    force: bool,
) -> None:
    """Convert Python files, notebooks and directory trees.

    A file converts to a file (-o FILE, or -o - for stdout); a directory to a mirrored directory
    (-o DIR) where Python files and notebooks are converted and everything else is copied.
    """
    _check_modes(output, inplace, show_diff, check)
    if output == "-":
        results = [_convert_to_stdout(paths)]
    else:
        try:
            plan = tree.plan(list(paths), output, inplace=inplace, force=force)
        except tree.DestinationError as exc:
            raise click.UsageError(str(exc)) from None
        results = _run_with_progress(plan, jobs, keep_changes=show_diff, show=not quiet)
    if show_diff:
        click.echo(diff_render.diffs(results), nl=False)
    stdout_taken = show_diff or output == "-"
    _emit_report(results, report_file, report_format, quiet=quiet, to_stderr=stdout_taken)
    if not quiet:
        click.echo(Summary.of(results).line(dry_run=output is None and not inplace), err=True)
    ctx.exit(_exit_code(results, check))


def _check_modes(output: Optional[str], inplace: bool, show_diff: bool, check: bool) -> None:
    if output is not None and inplace:
        raise click.UsageError("-o/--output and --inplace exclude each other")
    if (output is not None or inplace) and (show_diff or check):
        raise click.UsageError("--diff and --check write nothing; they cannot be combined with -o or --inplace")
    if output is None and not (inplace or show_diff or check):
        raise click.UsageError("nothing to do: give -o OUT, --inplace, --diff or --check")


def _convert_to_stdout(paths: Sequence[str]) -> FileResult:
    if len(paths) != 1 or os.path.isdir(paths[0]):
        raise click.UsageError("-o - (stdout) takes exactly one input file")
    result = convert_file(paths[0])
    if result.content is not None:
        sys.stdout.flush()
        sys.stdout.buffer.write(result.content)
        sys.stdout.buffer.flush()
    return result


def _run_with_progress(plan: tree.Plan, jobs: Optional[int], *, keep_changes: bool, show: bool) -> list[FileResult]:
    if not (show and len(plan.tasks) > 1 and _is_terminal(sys.stderr)):
        return tree.run(plan, jobs=jobs, keep_changes=keep_changes)
    with click.progressbar(length=len(plan.tasks), label="converting", file=sys.stderr) as bar:
        return tree.run(plan, jobs=jobs, keep_changes=keep_changes, on_result=lambda _: bar.update(1))


def _is_terminal(stream) -> bool:
    return bool(getattr(stream, "isatty", None)) and stream.isatty()


def _emit_report(
    results: list[FileResult], report_file: Optional[str], report_format: str, *, quiet: bool, to_stderr: bool
) -> None:
    rendered = json_report.report(results) if report_format == "json" else text.results_report(results)
    if report_file is not None:
        try:
            with open(report_file, "w", encoding="utf-8") as stream:
                stream.write(rendered)
        except OSError as exc:
            raise click.FileError(report_file, hint=exc.strerror) from None
        return
    if not quiet and rendered:
        click.echo(rendered, nl=False, err=to_stderr)


def _exit_code(results: list[FileResult], check: bool) -> int:
    if any(result.status is Status.FAILED for result in results):
        return EXIT_FINDINGS
    if check and any(result.status is Status.CHANGED for result in results):
        return EXIT_FINDINGS
    return EXIT_OK


@cli.command("rules")
def list_rules() -> None:
    """List every rule code with its summary."""
    click.echo(rules_render.table(registry.all_rules(), registry.ENGINE_CODES), nl=False)


@cli.command()
@click.argument("code")
def explain(code: str) -> None:
    """Print the documentation of a rule code (TF4xx)."""
    code = code.upper()
    rule = registry.find_rule(code)
    if rule is None and code not in registry.ENGINE_CODES:
        raise click.BadParameter(f"unknown rule code {code}; `tf1to2 rules` lists them", param_hint="CODE")
    click.echo(rules_render.explanation(code, rule, registry.ENGINE_CODES), nl=False)


def main(argv: Optional[Sequence[str]] = None) -> int:
    """Run the command line; returns the exit code instead of exiting (``python -m tf1to2`` exits)."""
    try:
        code = cli.main(args=list(argv) if argv is not None else None, prog_name="tf1to2", standalone_mode=False)
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    except click.Abort:
        click.echo("Aborted.", err=True)
        return EXIT_INTERRUPTED
    return code if isinstance(code, int) else EXIT_OK
