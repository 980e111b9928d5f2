import pytest

from api_rule_testing import converted, dedent, upgrade


@pytest.mark.parametrize(
    ("before", "after"),
    [
        pytest.param(
            "it = dataset.make_one_shot_iterator()",
            "it = tf.compat.v1.data.make_one_shot_iterator(dataset)",
            id="one-shot iterator",
        ),
        pytest.param(
            "it = ds.make_initializable_iterator(shared_name='it')",
            "it = tf.compat.v1.data.make_initializable_iterator(ds, shared_name='it')",
            id="initializable iterator with an argument",
        ),
        pytest.param(
            "it = tf.data.Dataset.range(3).batch(2).make_one_shot_iterator()",
            "it = tf.compat.v1.data.make_one_shot_iterator(tf.data.Dataset.range(3).batch(2))",
            id="a chained receiver",
        ),
    ],
)
def test_iterator_method(before, after):
    assert converted("import tensorflow as tf\n" + before + "\n") == "import tensorflow as tf\n" + after + "\n"


def test_rewrite_is_a_warning():
    (finding,) = upgrade("import tensorflow as tf\nit = ds.make_one_shot_iterator()\n").diagnostics
    assert (finding.code, finding.severity.value, finding.fixed) == ("TF425", "warning", True)


@pytest.mark.parametrize(
    "source",
    [
        pytest.param("import tensorflow as tf\nit = tf.compat.v1.data.make_one_shot_iterator(ds)\n", id="function form"),
        pytest.param("it = ds.make_one_shot_iterator()\n", id="module without tensorflow"),
        pytest.param("import tensorflow as tf\nit = iter(ds)\n", id="TF2 iteration"),
    ],
)
def test_unchanged(source):
    result = upgrade(source)
    assert result.text == dedent(source)
    assert "TF425" not in {d.code for d in result.diagnostics}
