"""A tf.contrib.layers network: fully_connected with batch_norm as normalizer, dropout, layer_norm."""
import numpy as np
import tensorflow as tf


def numpy_results(function):
    """Session.run returned numpy values; so do the functions that replace it."""

    def call(*args, **kwargs):
        results = function(*args, **kwargs)
        return tf.nest.map_structure(lambda value: value.numpy() if hasattr(value, "numpy") else value, results)

    return call


class unchanged_moving_statistics:
    """TF1 updated batch normalization's moving statistics only when the UPDATE_OPS ran (with the train op);
    Keras updates them at every call in training mode. Around a run in training mode without the update
    ops, this puts them back as they were (at their initial values for a layer built by the run)."""

    def __init__(self, *layers, training=True):
        self.layers = list(layers) if training else []

    def __enter__(self):
        self.saved = [(layer, [tf.identity(v) for v in (layer.moving_mean, layer.moving_variance)])
                      for layer in self.layers if layer.built]
        self.unbuilt = [layer for layer in self.layers if not layer.built]

    def __exit__(self, *exc_info):
        for layer, values in self.saved:
            for variable, value in zip((layer.moving_mean, layer.moving_variance), values):
                variable.assign(value)
        for layer in self.unbuilt:
            for variable, initializer in ((layer.moving_mean, layer.moving_mean_initializer),
                                          (layer.moving_variance, layer.moving_variance_initializer)):
                variable.assign(initializer(variable.shape, variable.dtype))


fully_connected = tf.keras.layers.Dense(units=64, activation=None, use_bias=False, kernel_regularizer=tf.keras.regularizers.L2(l2=5e-05), name="fully_connected")
fully_connected_batch_norm = tf.keras.layers.BatchNormalization(momentum=0.9, scale=False, epsilon=0.001, name="BatchNorm")
dropout = tf.keras.layers.Dropout(rate=0.2, name="Dropout")
fully_connected_1 = tf.keras.layers.Dense(units=32, activation="relu", kernel_initializer=tf.keras.initializers.VarianceScaling(scale=1.3 * 0.87962566103423978 ** 2, mode="fan_avg", distribution="truncated_normal"), name="fully_connected_1")
layer_norm = tf.keras.layers.LayerNormalization(axis=-1, epsilon=1e-12, name="LayerNorm")
logits_1 = tf.keras.layers.Dense(units=5, activation=None, name="logits")


@numpy_results
# is_training: a Python bool (Keras' training=), not a tensor: two traces, one per mode
@tf.function(reduce_retracing=True)
def compute_probabilities(features, is_training):
    """Computes what sess.run(probabilities) fetched."""
    features = tf.cast(features, tf.float32)
    with unchanged_moving_statistics(fully_connected_batch_norm, training=is_training):
        hidden = tf.nn.relu(fully_connected_batch_norm(fully_connected(features), training=is_training))
        hidden = dropout(hidden, training=is_training)
        hidden = fully_connected_1(hidden)
        hidden = layer_norm(hidden)
        logits = logits_1(hidden)
        probabilities = tf.nn.softmax(logits)
    return probabilities


batch = np.random.rand(4, 20).astype(np.float32)
for training in (True, False):
    print(compute_probabilities(features=batch, is_training=bool(training)).sum(axis=1))
