"""A VGG-style Slim stack under arg_scope, at module level."""
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


conv1_1 = tf.keras.layers.Conv2D(filters=32, kernel_size=[3, 3], padding="same", activation=None, use_bias=False, kernel_initializer=tf.keras.initializers.TruncatedNormal(mean=0.0, stddev=0.01), kernel_regularizer=tf.keras.regularizers.L2(l2=0.00025), name="conv1_1")
conv1_1_batch_norm = tf.keras.layers.BatchNormalization(momentum=0.99, scale=True, epsilon=0.001, name="BatchNorm")
conv1_2 = tf.keras.layers.Conv2D(filters=32, kernel_size=[3, 3], padding="same", activation=None, use_bias=False, kernel_initializer=tf.keras.initializers.TruncatedNormal(mean=0.0, stddev=0.01), kernel_regularizer=tf.keras.regularizers.L2(l2=0.00025), name="conv1_2")
conv1_2_batch_norm = tf.keras.layers.BatchNormalization(momentum=0.99, scale=True, epsilon=0.001, name="BatchNorm")
pool1 = tf.keras.layers.MaxPooling2D(pool_size=[2, 2], strides=2, padding="valid", name="pool1")
conv2_1 = tf.keras.layers.Conv2D(filters=64, kernel_size=[3, 3], padding="same", activation=None, use_bias=False, kernel_initializer=tf.keras.initializers.TruncatedNormal(mean=0.0, stddev=0.01), kernel_regularizer=tf.keras.regularizers.L2(l2=0.00025), name="conv2_1")
conv2_1_batch_norm = tf.keras.layers.BatchNormalization(momentum=0.99, scale=True, epsilon=0.001, name="BatchNorm")
pool2 = tf.keras.layers.MaxPooling2D(pool_size=[2, 2], strides=2, padding="valid", name="pool2")
flatten = tf.keras.layers.Flatten()
fc3 = tf.keras.layers.Dense(units=128, activation=tf.nn.relu, kernel_initializer=tf.keras.initializers.TruncatedNormal(mean=0.0, stddev=0.01), kernel_regularizer=tf.keras.regularizers.L2(l2=0.00025), name="fc3")
dropout3 = tf.keras.layers.Dropout(rate=0.5, name="dropout3")
fc4 = tf.keras.layers.Dense(units=10, activation=None, kernel_initializer=tf.keras.initializers.TruncatedNormal(mean=0.0, stddev=0.01), kernel_regularizer=tf.keras.regularizers.L2(l2=0.00025), name="fc4")


@numpy_results
# is_training: a Python bool (Keras' training=), not a tensor: two traces, one per mode
@tf.function(reduce_retracing=True)
def compute_logits(images, is_training):
    """Computes what sess.run(logits) fetched."""
    images = tf.cast(images, tf.float32)
    with unchanged_moving_statistics(conv1_1_batch_norm, conv1_2_batch_norm, conv2_1_batch_norm, training=is_training):
        net = tf.nn.relu(conv1_1_batch_norm(conv1_1(images), training=is_training))
        net = tf.nn.relu(conv1_2_batch_norm(conv1_2(net), training=is_training))
        net = pool1(net)
        net = tf.nn.relu(conv2_1_batch_norm(conv2_1(net), training=is_training))
        net = pool2(net)
        net = flatten(net)
        net = fc3(net)
        net = dropout3(net, training=is_training)
        logits = fc4(net)
    return logits


batch = np.random.rand(2, 32, 32, 3).astype(np.float32)
print(compute_logits(images=batch, is_training=False).shape)
