"""The ``verify``, ``convert-checkpoint`` and ``diff-checkpoint`` commands; ``tf1to2.cli`` adds them.

Exit codes: 0 equivalent / clean, 1 a comparison failed / names do not match, 2 usage or internal error.
TensorFlow is imported only when a command runs (``verify`` itself never imports it: its runners do).
"""
from __future__ import annotations

from pathlib import Path
from typing import Optional

import click

from tf1to2.render import verify_report

EXISTING_FILE = click.Path(exists=True, dir_okay=False, path_type=Path)


def _fail(ctx: click.Context, command: str, message: str) -> None:
    click.echo(f"tf1to2 {command}: {message}", err=True)
    ctx.exit(2)


@click.command("verify")
@click.argument("original", type=EXISTING_FILE)
@click.argument("converted", type=EXISTING_FILE)
@click.option("--manifest", type=EXISTING_FILE,
              help="The manifest convert wrote. Default: <stem>.tf1to2.json next to CONVERTED.")
@click.option("--reference-python", type=click.Path(exists=True, dir_okay=False), envvar="TF1TO2_REFERENCE_PYTHON",
              show_envvar=True,
              help="Interpreter with TensorFlow 1.15 for the original. Default: this one, through tf.compat.v1.")
@click.option("--steps", type=click.IntRange(0, 10_000), default=3, show_default=True,
              help="Optimizer steps to compare.")
@click.option("--batch-size", type=click.IntRange(1), default=4, show_default=True,
              help="Size of unknown input dimensions.")
@click.option("--rtol", type=click.FloatRange(0), default=1e-5, show_default=True,
              help="Relative tolerance, of each element and of the array's largest magnitude.")
@click.option("--atol", type=click.FloatRange(0), default=1e-6, show_default=True, help="Absolute tolerance.")
@click.option("--json", "json_path", type=click.Path(dir_okay=False, allow_dash=True),
              help="Also write the report as JSON to this file ('-': JSON on stdout instead of the table).")
@click.option("--keep", is_flag=True, help="Keep the exchanged files (checkpoints, arrays, logs) and say where.")
@click.pass_context
def verify(
    ctx: click.Context,
    original: Path,
    converted: Path,
    manifest: Optional[Path],
    reference_python: Optional[str],
    steps: int,
    batch_size: int,
    rtol: float,
    atol: float,
    json_path: Optional[str],
    keep: bool,
) -> None:
    """Check that CONVERTED computes what ORIGINAL computed.

    Compares variables, outputs, gradients, optimizer steps and initializer distributions, with the
    original's weights transferred through the manifest. Exit 0 equivalent, 1 a comparison failed, 2 error."""
    from tf1to2.verify import driver

    manifest = manifest or driver.default_manifest(converted)
    if not manifest.is_file():
        raise click.UsageError(f"no manifest at {manifest}; pass --manifest")
    options = driver.VerifyOptions(steps=steps, batch_size=batch_size, rtol=rtol, atol=atol,
                                   reference_python=reference_python, keep=keep)
    try:
        report = driver.verify(original, converted, manifest, options)
    except driver.VerifyError as exc:
        _fail(ctx, "verify", str(exc))
        return
    if json_path == "-":
        click.echo(verify_report.to_json(report), nl=False)
    else:
        click.echo(verify_report.table(report), nl=False)
        if json_path:
            Path(json_path).write_text(verify_report.to_json(report), encoding="utf-8")
    ctx.exit(0 if report.equivalent else 1)


@click.command("convert-checkpoint")
@click.argument("tf1_checkpoint")
@click.option("--manifest", type=EXISTING_FILE, required=True, help="The manifest of the converted file.")
@click.option("-o", "--output", required=True, help="Checkpoint prefix to write, or a file ending in .weights.h5.")
@click.option("--unit", "unit_name", help="The unit (class name) to load, when the manifest has several.")
@click.option("--converted", type=EXISTING_FILE, help="The converted module. Default: the one the manifest names.")
@click.option("--with-optimizer", is_flag=True,
              help="Also convert Adam/Momentum/RMSProp/Adagrad slots and Adam's step count.")
@click.option("--learning-rate", type=click.FloatRange(0, min_open=True),
              help="The converted optimizer's learning rate (Keras saves it). Default: 0.001 for Adam, else required.")
@click.option("--beta1", type=click.FloatRange(0, 1, min_open=True, max_open=True), default=0.9, show_default=True,
              help="Adam's beta1, to count the steps from beta1_power.")
@click.option("--beta1-power", help="The beta1_power variable to count steps from, when the checkpoint has several.")
@click.pass_context
def convert_checkpoint(ctx: click.Context, tf1_checkpoint: str, manifest: Path, output: str, unit_name: Optional[str],
                       converted: Optional[Path], with_optimizer: bool, learning_rate: Optional[float], beta1: float,
                       beta1_power: Optional[str]) -> None:
    """Make a TF1 checkpoint loadable by the converted unit.

    Load it with tf.train.Checkpoint(model=unit, optimizer=optimizer).read(OUTPUT), or with Keras
    load_weights when OUTPUT ends in .weights.h5."""
    from tf1to2.verify import checkpoints, slots

    settings = slots.OptimizerSettings(learning_rate=learning_rate, beta1=beta1, beta1_power=beta1_power)
    try:
        result = checkpoints.convert_checkpoint(
            tf1_checkpoint, manifest, output, unit_name=unit_name, converted=converted,
            with_optimizer=with_optimizer, settings=settings,
        )
    except checkpoints.CheckpointError as exc:
        _fail(ctx, "convert-checkpoint", str(exc))
        return
    click.echo(verify_report.converted_checkpoint(result), nl=False)


@click.command("diff-checkpoint")
@click.argument("checkpoint")
@click.option("--manifest", type=EXISTING_FILE, required=True, help="The manifest of the converted file.")
@click.option("--unit", "unit_name", help="Compare with this unit only.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
@click.pass_context
def diff_checkpoint(
    ctx: click.Context, checkpoint: str, manifest: Path, unit_name: Optional[str], as_json: bool
) -> None:
    """Explain why a checkpoint does not load into the converted unit.

    Lists missing, unexpected and wrongly shaped weights.

    Each name comes with the closest name on the other side. Exit 0 when every weight matches, 1 otherwise."""
    from tf1to2.verify import checkpoints

    try:
        diff = checkpoints.diff_checkpoint(checkpoint, manifest, unit_name)
    except checkpoints.CheckpointError as exc:
        _fail(ctx, "diff-checkpoint", str(exc))
        return
    click.echo((verify_report.checkpoint_diff_json if as_json else verify_report.checkpoint_diff)(diff), nl=False)
    ctx.exit(0 if diff.clean else 1)


COMMANDS = (verify, convert_checkpoint, diff_checkpoint)
