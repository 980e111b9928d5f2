import pytest

from tf1to2.analysis.imports import tf1_api_name
from tf1to2.analysis.module import ModuleContext


def _reference(source: str):
    module = ModuleContext.parse(source)
    expression = module.tree.body[-1].value
    return module.imports.qualified_name(expression)


@pytest.mark.parametrize(
    ("source", "qualified", "api"),
    [
        pytest.param("import tensorflow as tf\ntf.nn.relu", "tensorflow.nn.relu", "tf.nn.relu", id="import as tf"),
        pytest.param("import tensorflow as tf2\ntf2.nn.relu", "tensorflow.nn.relu", "tf.nn.relu", id="import as tf2"),
        pytest.param(
            "import tensorflow.compat.v1 as tf\ntf.placeholder",
            "tensorflow.compat.v1.placeholder",
            "tf.placeholder",
            id="compat.v1 imported as tf",
        ),
        pytest.param("from tensorflow import placeholder\nplaceholder", "tensorflow.placeholder", "tf.placeholder", id="from-import"),
        pytest.param(
            "import tensorflow.contrib.slim as slim\nslim.conv2d",
            "tensorflow.contrib.slim.conv2d",
            "tf.contrib.slim.conv2d",
            id="contrib slim alias",
        ),
        pytest.param("import tf_slim as slim\nslim.conv2d", "tensorflow.contrib.slim.conv2d", "tf.contrib.slim.conv2d", id="tf_slim package"),
        pytest.param("import tensorflow\ntensorflow.layers.dense", "tensorflow.layers.dense", "tf.layers.dense", id="plain import"),
        pytest.param("import numpy as tf\ntf.zeros", "numpy.zeros", None, id="tf alias that is not tensorflow"),
        pytest.param("tf.zeros", None, None, id="unbound name"),
    ],
)
def test_names_resolve_through_imports(source, qualified, api):
    assert _reference(source) == qualified
    assert tf1_api_name(qualified) == api
