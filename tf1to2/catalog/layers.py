"""TF1 layers (``tf.layers``, ``tf.contrib.layers``, Slim) and the Keras layers that compute the same.

Each record lists the TF1 signature in positional order (checked against TF 1.15 by
tests/catalog/test_tf1_signatures.py), where every argument goes, the TF1 defaults that Keras does not
share, the default TF1 scope name and the TF1 variable names. ``lookup("tf.layers.dense")`` finds a record;
``keras_constructor(record, call_args)`` renders the Keras code for one call.
"""
from __future__ import annotations

from typing import Optional

from tf1to2.catalog.constructor import keras_constructor  # noqa: F401  (part of this module's API)
from tf1to2.catalog.records import REQUIRED, LayerRecord, Param, Role, WeightName

FUSED_NOTE = (
    "TF1's fused batch norm (the default for 4-D inputs, and for contrib's batch_norm also 2-D) updates the "
    "moving variance with the unbiased batch variance (x n/(n-1), n values per channel); Keras 3 uses the "
    "biased one (Keras 2's fused kernel matches TF1): training-mode outputs and moving_mean are equal, moving_variance ends lower by up to 1/n of TF1's "
    "value (measured 2.4% after 5 steps with n=36, momentum 0.9), so inference-mode outputs differ slightly"
)


def _p(tf1: str, keras: Optional[str] = None, default: Optional[str] = None, **kw) -> Param:
    return Param(tf1, keras if keras is not None else tf1, default, **kw)


def _inputs(name: str = "inputs") -> Param:
    return Param(name, None, REQUIRED, Role.INPUT)


def _name(name: str = "name") -> Param:
    return Param(name, "name", "None", Role.NAME)


def _reuse() -> Param:
    return Param("reuse", None, "None", Role.REUSE)


def _ignored(name: str) -> Param:
    return Param(name, None, "None", Role.IGNORED)


def _unsupported(name: str, default: str, reason: str) -> Param:
    return Param(name, None, default, Role.UNSUPPORTED, reason=reason)


def _special(name: str, default: str) -> Param:
    return Param(name, None, default, Role.SPECIAL)


# --- tf.layers ----------------------------------------------------------------------------------------

def _bias_tail(prefix: tuple[str, ...] = ("kernel",)) -> tuple[Param, ...]:
    initializers = tuple(_p(f"{p}_initializer", default="None", convert="initializer") for p in prefix)
    regularizers = tuple(_p(f"{p}_regularizer", default="None", convert="regularizer") for p in prefix)
    constraints = tuple(_p(f"{p}_constraint", default="None") for p in prefix)
    return (
        _p("activation", default="None"),
        _p("use_bias", default="True"),
        *initializers,
        _p("bias_initializer", default="zeros", convert="initializer"),
        *regularizers,
        _p("bias_regularizer", default="None", convert="regularizer"),
        _p("activity_regularizer", default="None", convert="regularizer"),
        *constraints,
        _p("bias_constraint", default="None"),
        _p("trainable", default="True"),
    )


def _conv_head(dims: int, dilation: bool = True) -> tuple[Param, ...]:
    ones = "1" if dims == 1 else "(" + ", ".join("1" * dims) + ")"
    head = (
        _p("filters", default=REQUIRED),
        _p("kernel_size", default=REQUIRED),
        _p("strides", default=ones),
        _p("padding", default="'valid'", convert="padding"),
        _p("data_format", default="'channels_last'"),
    )
    return head + ((_p("dilation_rate", default=ones),) if dilation else ())


_KERNEL_BIAS = (WeightName("kernel", "kernel"), WeightName("bias", "bias", when="use_bias"))
_SEPARABLE_WEIGHTS = (
    WeightName("depthwise_kernel", "depthwise_kernel"),
    WeightName("pointwise_kernel", "pointwise_kernel"),
    WeightName("bias", "bias", when="use_bias"),
)
_BN_WEIGHTS = (
    WeightName("gamma", "gamma", when="scale"),
    WeightName("beta", "beta", when="center"),
    WeightName("moving_mean", "moving_mean"),
    WeightName("moving_variance", "moving_variance"),
)
_BN_PARAMS = (
    _p("axis", default="-1"),
    _p("momentum", default="0.99"),
    _p("epsilon", default="0.001"),
    _p("center", default="True"),
    _p("scale", default="True"),
    _p("beta_initializer", default="zeros", convert="initializer"),
    _p("gamma_initializer", default="ones", convert="initializer"),
    _p("moving_mean_initializer", default="zeros", convert="initializer"),
    _p("moving_variance_initializer", default="ones", convert="initializer"),
    _p("beta_regularizer", default="None", convert="regularizer"),
    _p("gamma_regularizer", default="None", convert="regularizer"),
    _p("beta_constraint", default="None"),
    _p("gamma_constraint", default="None"),
)
_RENORM = "batch renormalization is not in Keras 3's BatchNormalization"
_BN_UNSUPPORTED = {
    "renorm": _unsupported("renorm", "False", _RENORM),
    "renorm_clipping": _unsupported("renorm_clipping", "None", _RENORM),
    "renorm_momentum": _unsupported("renorm_momentum", "0.99", _RENORM),
    "fused": _special("fused", "None"),
    "virtual_batch_size": _unsupported("virtual_batch_size", "None", "Keras 3's BatchNormalization has no ghost batches"),
    "adjustment": _unsupported("adjustment", "None", "Keras 3's BatchNormalization has no adjustment function"),
}


def _tf_layers() -> list[LayerRecord]:
    records = [
        LayerRecord("tf.layers.dense", "Dense", (_inputs(), _p("units", default=REQUIRED), *_bias_tail(), _name(), _reuse()),
                    "dense", _KERNEL_BIAS),
        LayerRecord("tf.layers.Dense", "Dense", (_p("units", default=REQUIRED), *_bias_tail(), _name()),
                    "dense", _KERNEL_BIAS, is_class=True),
    ]
    for dims in (1, 2, 3):
        conv = (*_conv_head(dims), *_bias_tail())
        records.append(LayerRecord(f"tf.layers.conv{dims}d", f"Conv{dims}D", (_inputs(), *conv, _name(), _reuse()),
                                   f"conv{dims}d", _KERNEL_BIAS))
        records.append(LayerRecord(f"tf.layers.Conv{dims}D", f"Conv{dims}D", (*conv, _name()), f"conv{dims}d",
                                   _KERNEL_BIAS, is_class=True))
        for kind, keras in (("max", "MaxPooling"), ("average", "AveragePooling")):
            pool = (_p("pool_size", default=REQUIRED), _p("strides", default=REQUIRED),
                    _p("padding", default="'valid'", convert="padding"), _p("data_format", default="'channels_last'"))
            base = f"{kind}_pooling{dims}d"
            records.append(LayerRecord(f"tf.layers.{base}", f"{keras}{dims}D", (_inputs(), *pool, _name()), base))
            records.append(LayerRecord(f"tf.layers.{keras}{dims}D", f"{keras}{dims}D", (*pool, _name()), base,
                                       is_class=True))
    transpose = (*_conv_head(2, dilation=False), *_bias_tail())
    records.append(LayerRecord("tf.layers.conv2d_transpose", "Conv2DTranspose", (_inputs(), *transpose, _name(), _reuse()),
                               "conv2d_transpose", _KERNEL_BIAS))
    records.append(LayerRecord("tf.layers.Conv2DTranspose", "Conv2DTranspose", (*transpose, _name()), "conv2d_transpose",
                               _KERNEL_BIAS, is_class=True))
    separable = (*_conv_head(2), _p("depth_multiplier", default="1"), *_bias_tail(("depthwise", "pointwise")))
    records.append(LayerRecord("tf.layers.separable_conv2d", "SeparableConv2D", (_inputs(), *separable, _name(), _reuse()),
                               "separable_conv2d", _SEPARABLE_WEIGHTS))
    records.append(LayerRecord("tf.layers.SeparableConv2D", "SeparableConv2D", (*separable, _name()), "separable_conv2d",
                               _SEPARABLE_WEIGHTS, is_class=True))
    u = _BN_UNSUPPORTED
    records.append(LayerRecord(
        "tf.layers.batch_normalization", "BatchNormalization",
        (_inputs(), *_BN_PARAMS, Param("training", None, "False", Role.TRAINING, explicit=True), _p("trainable", default="True"),
         _name(), _reuse(), u["renorm"], u["renorm_clipping"], u["renorm_momentum"], u["fused"], u["virtual_batch_size"],
         u["adjustment"]),
        "batch_normalization", _BN_WEIGHTS, special="fused_note",
    ))
    records.append(LayerRecord(
        "tf.layers.BatchNormalization", "BatchNormalization",
        (*_BN_PARAMS, u["renorm"], u["renorm_clipping"], u["renorm_momentum"], u["fused"], _p("trainable", default="True"),
         u["virtual_batch_size"], u["adjustment"], _name()),
        "batch_normalization", _BN_WEIGHTS, is_class=True, special="fused_note",
    ))
    dropout = (_p("rate", default="0.5", explicit=True), _p("noise_shape", default="None"), _p("seed", default="None"))
    records.append(LayerRecord("tf.layers.dropout", "Dropout",
                               (_inputs(), *dropout, Param("training", None, "False", Role.TRAINING, explicit=True), _name()),
                               "dropout"))
    records.append(LayerRecord("tf.layers.Dropout", "Dropout", (*dropout, _name()), "dropout", is_class=True))
    records.append(LayerRecord("tf.layers.flatten", "Flatten",
                               (_inputs(), _name(), _p("data_format", default="'channels_last'")), "flatten"))
    records.append(LayerRecord("tf.layers.Flatten", "Flatten", (_p("data_format", default="None"),), "flatten",
                               is_class=True))
    return records


# --- tf.contrib.layers (and Slim, which re-exports them) ----------------------------------------------

_CONTRIB_WEIGHTS = (WeightName("weights", "kernel"), WeightName("biases", "bias", when="use_bias"))
_CONTRIB_TAIL = (
    Param("activation_fn", "activation", '"relu"', explicit=True),
    _special("normalizer_fn", "None"),
    _special("normalizer_params", "None"),
    _p("weights_initializer", "kernel_initializer", "xavier_initializer()", convert="initializer"),
    _p("weights_regularizer", "kernel_regularizer", "None", convert="regularizer"),
    _special("biases_initializer", "zeros"),
    _p("biases_regularizer", "bias_regularizer", "None", convert="regularizer"),
    _reuse(),
    _ignored("variables_collections"),
    _ignored("outputs_collections"),
    _p("trainable", default="True"),
    _name("scope"),
)


def _contrib_conv(dims: int) -> LayerRecord:
    head = (
        _inputs(),
        _special("num_outputs", REQUIRED),
        _p("kernel_size", default=REQUIRED),
        _p("stride", "strides", "1"),
        _p("padding", default="'SAME'", explicit=True, convert="padding"),
        _p("data_format", default="None", convert="data_format"),
        _p("rate", "dilation_rate", "1"),
    )
    return LayerRecord(f"tf.contrib.layers.conv{dims}d", f"Conv{dims}D", head + _CONTRIB_TAIL, "Conv", _CONTRIB_WEIGHTS,
                       special="contrib_dense")


def _contrib_pool(kind: str, keras: str, default_name: str) -> LayerRecord:
    return LayerRecord(
        f"tf.contrib.layers.{kind}_pool2d", f"{keras}2D",
        (_inputs(), _p("kernel_size", "pool_size", REQUIRED), _p("stride", "strides", "2", explicit=True),
         _p("padding", default="'VALID'", explicit=True, convert="padding"),
         _p("data_format", default="'NHWC'", convert="data_format"), _ignored("outputs_collections"), _name("scope")),
        default_name, variable_scope=False,
    )


_BN_CONTRIB_WEIGHTS = (
    WeightName("beta", "beta", when="center"),
    WeightName("gamma", "gamma", when="scale"),
    WeightName("moving_mean", "moving_mean"),
    WeightName("moving_variance", "moving_variance"),
)


def _contrib_layers() -> list[LayerRecord]:
    records = [
        LayerRecord("tf.contrib.layers.fully_connected", "Dense",
                    (_inputs(), _special("num_outputs", REQUIRED), *_CONTRIB_TAIL), "fully_connected", _CONTRIB_WEIGHTS,
                    special="contrib_dense"),
        *(_contrib_conv(dims) for dims in (1, 2, 3)),
        LayerRecord("tf.contrib.layers.conv2d_transpose", "Conv2DTranspose",
                    (_inputs(), _special("num_outputs", REQUIRED), _p("kernel_size", default=REQUIRED),
                     _p("stride", "strides", "1"), _p("padding", default="'SAME'", explicit=True, convert="padding"),
                     _p("data_format", default="'NHWC'", convert="data_format"), *_CONTRIB_TAIL),
                    "Conv2d_transpose", _CONTRIB_WEIGHTS, special="contrib_dense"),
        _contrib_pool("max", "MaxPooling", "MaxPool2D"),
        _contrib_pool("avg", "AveragePooling", "AvgPool2D"),
        LayerRecord("tf.contrib.layers.flatten", "Flatten",
                    (_inputs(), _ignored("outputs_collections"), _name("scope")), "Flatten", variable_scope=False),
        LayerRecord(
            "tf.contrib.layers.batch_norm", "BatchNormalization",
            (_inputs(), _p("decay", "momentum", "0.999", explicit=True), _p("center", default="True"),
             _p("scale", default="False", explicit=True), _p("epsilon", default="0.001", explicit=True),
             _special("activation_fn", "None"), _special("param_initializers", "None"),
             _special("param_regularizers", "None"), _special("updates_collections", "tf.GraphKeys.UPDATE_OPS"),
             Param("is_training", None, "True", Role.TRAINING, explicit=True), _reuse(),
             _ignored("variables_collections"), _ignored("outputs_collections"), _p("trainable", default="True"),
             _unsupported("batch_weights", "None", "Keras' BatchNormalization has no per-example weights"),
             _special("fused", "None"), _special("data_format", "'NHWC'"),
             _unsupported("zero_debias_moving_mean", "False", "Keras' moving averages are not zero-debiased"),
             _name("scope"), _BN_UNSUPPORTED["renorm"], _BN_UNSUPPORTED["renorm_clipping"],
             _unsupported("renorm_decay", "0.99", _RENORM), _BN_UNSUPPORTED["adjustment"]),
            "BatchNorm", _BN_CONTRIB_WEIGHTS, special="contrib_batch_norm",
        ),
        LayerRecord(
            "tf.contrib.layers.layer_norm", "LayerNormalization",
            (_inputs(), _p("center", default="True"), _p("scale", default="True"), _special("activation_fn", "None"),
             _reuse(), _ignored("variables_collections"), _ignored("outputs_collections"), _p("trainable", default="True"),
             _special("begin_norm_axis", "1"), _special("begin_params_axis", "-1"), _name("scope")),
            "LayerNorm", (WeightName("beta", "beta", when="center"), WeightName("gamma", "gamma", when="scale")),
            fixed=(("epsilon", "1e-12"),), special="contrib_layer_norm",
        ),
        LayerRecord(
            "tf.contrib.layers.dropout", "Dropout",
            (_inputs(), _p("keep_prob", "rate", "0.5", explicit=True, convert="keep_prob"), _p("noise_shape", default="None"),
             Param("is_training", None, "True", Role.TRAINING, explicit=True), _ignored("outputs_collections"),
             _name("scope"), _p("seed", default="None")),
            "Dropout",
        ),
        LayerRecord(
            "tf.contrib.layers.embed_sequence", "Embedding",
            (_inputs("ids"), _p("vocab_size", "input_dim", "None"), _p("embed_dim", "output_dim", "None"),
             _unsupported("unique", "False", "embedding_lookup_unique has no Keras layer (the numbers are the same: drop it)"),
             _p("initializer", "embeddings_initializer", "None", explicit=True, convert="initializer"),
             _p("regularizer", "embeddings_regularizer", "None", convert="regularizer"),
             _p("trainable", default="True"), _name("scope"), _reuse()),
            "EmbedSequence", (WeightName("embeddings", "embeddings"),), special="embed_sequence",
        ),
    ]
    return records


def _slim_linear(fully_connected: LayerRecord) -> LayerRecord:
    """``slim.linear`` is ``functools.partial(fully_connected, activation_fn=None)``."""
    params = tuple(
        Param("activation_fn", "activation", "None") if p.tf1 == "activation_fn" else p for p in fully_connected.params
    )
    return LayerRecord("tf.contrib.layers.linear", "Dense", params, "fully_connected", fully_connected.weights,
                       special="contrib_dense")


def _build() -> dict[str, LayerRecord]:
    records = {r.api: r for r in _tf_layers() + _contrib_layers()}
    records["tf.contrib.layers.linear"] = _slim_linear(records["tf.contrib.layers.fully_connected"])
    return records


RECORDS: dict[str, LayerRecord] = _build()

# Other TF1 spellings of the same functions: contrib's long names, Slim's re-exports, tf_slim.
_CONTRIB_SYNONYMS = {
    "convolution1d": "conv1d", "convolution2d": "conv2d", "convolution3d": "conv3d",
    "convolution2d_transpose": "conv2d_transpose",
}
ALIASES: dict[str, str] = {
    **{f"tf.contrib.layers.{long}": f"tf.contrib.layers.{short}" for long, short in _CONTRIB_SYNONYMS.items()},
    **{f"tf.contrib.slim.{long}": f"tf.contrib.layers.{short}" for long, short in _CONTRIB_SYNONYMS.items()},
    **{
        f"tf.contrib.slim.{api.rsplit('.', 1)[1]}": api
        for api in RECORDS
        if api.startswith("tf.contrib.layers.")
    },
}


def lookup(api: Optional[str]) -> Optional[LayerRecord]:
    """The record for a TF1 API name (``tf.layers.dense``, ``tf.contrib.slim.conv2d``), or None."""
    if api is None:
        return None
    return RECORDS.get(ALIASES.get(api, api))


def canonical(api: str) -> str:
    """The catalog's name for ``api``: ``tf.contrib.slim.conv2d`` → ``tf.contrib.layers.conv2d``."""
    return ALIASES.get(api, api)
