import pytest

from api_rule_testing import converted, dedent, upgrade


@pytest.mark.parametrize(
    ("before", "after"),
    [
        pytest.param(
            "from tensorflow import placeholder\nx = placeholder('float')\n",
            "from tensorflow.compat.v1 import placeholder\nx = placeholder('float')\n",
            id="a name TF2 lacks is imported from tensorflow.compat.v1",
        ),
        pytest.param(
            "from tensorflow import placeholder, nn\n",
            "from tensorflow.compat.v1 import placeholder\nfrom tensorflow import nn\n",
            id="split by source module",
        ),
        pytest.param(
            "from tensorflow import random_normal as rnd\n",
            "from tensorflow.random import normal as rnd\n",
            id="a renamed name keeps its local name",
        ),
        pytest.param(
            "from tensorflow import random_normal\n",
            "from tensorflow.random import normal as random_normal\n",
            id="the local name survives a rename",
        ),
        pytest.param("from tensorflow.compat import v1 as tf\n", "import tensorflow as tf\n", id="compat v1 module"),
        pytest.param(
            "from tensorflow.compat.v1 import nn, placeholder\n",
            "from tensorflow import nn\nfrom tensorflow.compat.v1 import placeholder\n",
            id="from compat.v1 what TF2 has",
        ),
        pytest.param(
            "def f():\n    from tensorflow import Session, nn\n",
            "def f():\n    from tensorflow.compat.v1 import Session\n    from tensorflow import nn\n",
            id="indented statements keep their indentation",
        ),
        pytest.param(
            "x = 1; from tensorflow import Session, nn\n",
            "x = 1; from tensorflow.compat.v1 import Session; from tensorflow import nn\n",
            id="after a semicolon",
        ),
        pytest.param(
            "from tensorflow import to_float, truncated_normal_initializer\n",
            "from tensorflow.compat.v1 import to_float\n"
            "from tensorflow.keras.initializers import TruncatedNormal as truncated_normal_initializer\n",
            id="names other rules own are imported as those rules spell them",
        ),
    ],
)
def test_from_import_rewritten(before, after):
    assert converted(before) == after


@pytest.mark.parametrize(
    "source",
    [
        pytest.param("from tensorflow import nn, keras\n", id="names TF2 has"),
        pytest.param("from tensorflow.keras.optimizers import Adam\n", id="keras optimizers stay"),
        pytest.param("from tensorflow import *\n", id="star import"),
        pytest.param("from tensorflow.compat.v1 import placeholder\n", id="already compat.v1"),
        pytest.param("from os import path\n", id="not tensorflow"),
        pytest.param("from . import placeholder\n", id="relative import"),
    ],
)
def test_unchanged(source):
    result = upgrade(source)
    assert result.text == dedent(source)
    assert "TF415" not in {d.code for d in result.diagnostics}


def test_tf_layers_import_warns_about_tf_keras():
    result = upgrade("from tensorflow import layers\n")
    assert result.text == "from tensorflow.compat.v1 import layers\n"
    (finding,) = [d for d in result.diagnostics if d.code == "TF415"]
    assert finding.severity.value == "warning" and "TF_USE_LEGACY_KERAS=1" in finding.message
