from tf1to2 import Status, convert_source


def test_unchanged_source_is_reported_unchanged():
    result = convert_source("x = 1\n")
    assert result.status is Status.UNCHANGED
    assert result.text == "x = 1\n"


def test_python2_source_fails_with_line_and_stays_unchanged():
    source = "import tensorflow as tf\nprint 'x'\n"
    result = convert_source(source, "old.py")
    assert result.status is Status.FAILED
    assert result.text == source
    (diagnostic,) = result.diagnostics
    assert (diagnostic.code, diagnostic.line) == ("TF401", 2)
    assert "Python 2" in diagnostic.message


def test_unfinished_file_fails_cleanly():
    result = convert_source("def f(:\n", "broken.py")
    assert result.status is Status.FAILED
    assert result.diagnostics[0].code == "TF401"


def test_new_syntax_parses_and_round_trips():
    source = 'if (n := 3) > 2:\n    print(f"{n=}")\nmatch n:\n    case 3:\n        pass\n'
    result = convert_source(source)
    assert result.status is Status.UNCHANGED
    assert result.text == source
