"""On the same inputs, tf1to2 changes or reports every line TensorFlow's own upgrader changes.

The inputs are the API golden cases (``golden/api_*/input.py``, among them a realistic TF1 training
script). tf_upgrade_v2 runs in this process, on strings. A line counts as covered when tf1to2's API
pass changes it or reports a finding on the statement it belongs to (the header line of a compound
statement). This is the only test here that imports TensorFlow.

tf1to2 refuses some of tf_upgrade_v2's changes on purpose (DESIGN.md, the issue's list of its defects);
those lines are excused only when tf_upgrade_v2's version contains what is refused, and every refusal
must still occur in the inputs, so the list cannot go stale.
"""
from __future__ import annotations

import ast
import contextlib
import difflib
import io
from pathlib import Path

import pytest

from api_rule_testing import upgrade

GOLDEN = Path(__file__).resolve().parents[2] / "golden"
REFUSED = {
    "tf.keras.optimizers.legacy.": "raises ImportError under Keras 3: tf1to2 keeps tf.keras.optimizers.X, TF2 already",
}


def changed_lines(before: str, after: str) -> dict[int, str]:
    """Line numbers of ``before`` that are not kept as they are in ``after``, with what replaced them."""
    new = after.splitlines()
    matcher = difflib.SequenceMatcher(a=before.splitlines(), b=new, autojunk=False)
    return {
        i + 1: "\n".join(new[j1:j2])
        for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag != "equal" for i in range(i1, i2)
    }


def statement_of(tree: ast.AST, line: int) -> set[int]:
    """The lines of the smallest statement containing ``line`` (only its header if it has a body)."""
    best = None
    for node in ast.walk(tree):
        if not isinstance(node, ast.stmt) or not node.lineno <= line <= node.end_lineno:
            continue
        body = getattr(node, "body", None)
        end = body[0].lineno - 1 if isinstance(body, list) and body and line < body[0].lineno else node.end_lineno
        if best is None or end - node.lineno < best[1] - best[0]:
            best = (node.lineno, end)
    return set(range(best[0], best[1] + 1)) if best else {line}


@pytest.mark.requires_tf
@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # tf_upgrade_v2 uses ast.Str and friends
def test_every_line_tf_upgrade_v2_changes_is_changed_or_reported(tf):
    from tensorflow.tools.compatibility import ast_edits, tf_upgrade_v2

    cases = sorted(GOLDEN.glob("api_*/input.py"))
    assert len(cases) >= 14, "the API golden cases are the inputs of this comparison"
    upgrader = ast_edits.ASTCodeUpgrader(tf_upgrade_v2.TFAPIChangeSpec())
    compared, missed, refused = 0, [], set()
    for path in cases:
        source = path.read_text(encoding="utf-8")
        with contextlib.redirect_stdout(io.StringIO()):  # tf_upgrade_v2 prints its log
            _, theirs, _, _ = upgrader.update_string_pasta(source, str(path))
        ours = upgrade(source)
        covered = set(changed_lines(source, ours.text)) | {d.line for d in ours.diagnostics}
        tree = ast.parse(source)
        for line, replacement in sorted(changed_lines(source, theirs).items()):
            compared += 1
            excuse = [name for name in REFUSED if name in replacement]
            refused.update(excuse)
            if not covered & statement_of(tree, line) and not excuse:
                missed.append(f"{path.parent.name}:{line}: {source.splitlines()[line - 1].strip()}")
    assert compared > 80, "tf_upgrade_v2 changed almost nothing: the comparison proves nothing"
    assert missed == [], "tf_upgrade_v2 changes these lines; tf1to2 neither changes nor reports them"
    assert refused == set(REFUSED), "a refused change no longer occurs in the inputs: drop it from REFUSED"
