"""A VGG-style Slim stack under arg_scope, at module level."""
import numpy as np
import tensorflow as tf


def numpy_results(function):
    """Session.run returned numpy values; so do the functions that replace it."""

    def call(*args, **kwargs):
        results = function(*args, **kwargs)
        return tf.nest.map_structure(lambda value: value.numpy() if hasattr(value, "numpy") else value, results)

    return call


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
