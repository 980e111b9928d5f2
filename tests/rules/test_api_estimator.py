import pytest

from api_rule_testing import dedent, upgrade


@pytest.mark.parametrize(
    ("source", "lines"),
    [
        pytest.param("import tensorflow as tf\ne = tf.estimator.Estimator(model_fn)\n", [2], id="a use"),
        pytest.param(
            "import tensorflow.compat.v1 as tf\nspec = tf.estimator.EstimatorSpec(mode, loss=l)\n", [2], id="through compat.v1"
        ),
        pytest.param(
            "from tensorflow import estimator\ne = estimator.Estimator(f)\n", [1, 2], id="the import and the use"
        ),
        pytest.param("from tensorflow.estimator import RunConfig\n", [1], id="from-import of a member"),
        pytest.param("import tensorflow as tf\nk = tf.compat.v1.estimator.ModeKeys.TRAIN\n", [2], id="explicit compat.v1"),
    ],
)
def test_estimator_reported(source, lines):
    result = upgrade(source)
    findings = [d for d in result.diagnostics if d.code == "TF422"]
    assert [d.line for d in findings] == lines
    assert all(d.severity.value == "error" and "2.16" in d.message for d in findings)


def test_estimator_code_is_not_changed():
    source = "import tensorflow as tf\ne = tf.estimator.Estimator(model_fn)\n"
    assert upgrade(source).text == dedent(source)


def test_keras_is_not_estimator():
    assert "TF422" not in {d.code for d in upgrade("import tensorflow as tf\nm = tf.keras.Model()\n").diagnostics}
