"""Inserted code goes above the comments that belong to the statement it is inserted before."""
from __future__ import annotations

import pytest

from tf1to2.rewrite.placement import above_comments

IMPORT = "import tensorflow as tf\n"


@pytest.mark.parametrize(
    "between, expected_prefix",
    [
        pytest.param("", IMPORT, id="no comment: before the statement"),
        pytest.param("\n", IMPORT + "\n", id="a blank line only: blank line kept above"),
        pytest.param("# Parameters\n", IMPORT, id="a comment directly above goes with the statement"),
        pytest.param("\n# Parameters\n", IMPORT + "\n", id="a section header after a blank line"),
        pytest.param("\n# Section\n\n# Parameters\n", IMPORT + "\n", id="several comment blocks"),
    ],
)
def test_inserted_code_goes_above_the_comments_of_the_next_statement(between, expected_prefix):
    text = IMPORT + between + "learning_rate = 0.5\n"
    offset = text.index("learning_rate")
    assert text[: above_comments(text, offset, floor=0)] == expected_prefix


def test_never_above_the_floor():
    text = "#!/usr/bin/env python\n# licence\nx = 1\n"
    floor = text.index("# licence")
    assert above_comments(text, text.index("x = 1"), floor) == floor
