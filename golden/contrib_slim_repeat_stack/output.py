"""VGG-style blocks written with slim.repeat and a classifier head with slim.stack, as in slim's nets/vgg.py."""
import numpy as np
import tensorflow as tf


def numpy_results(function):
    """Session.run returned numpy values; so do the functions that replace it."""

    def call(*args, **kwargs):
        results = function(*args, **kwargs)
        return tf.nest.map_structure(lambda value: value.numpy() if hasattr(value, "numpy") else value, results)

    return call


conv1_conv1_1 = tf.keras.layers.Conv2D(filters=16, kernel_size=[3, 3], padding="same", activation=tf.nn.relu, kernel_regularizer=tf.keras.regularizers.L2(l2=0.00025), name="conv1_1")
conv1_conv1_2 = tf.keras.layers.Conv2D(filters=16, kernel_size=[3, 3], padding="same", activation=tf.nn.relu, kernel_regularizer=tf.keras.regularizers.L2(l2=0.00025), name="conv1_2")
pool1 = tf.keras.layers.MaxPooling2D(pool_size=[2, 2], strides=2, padding="valid", name="pool1")
conv2_conv2_1 = tf.keras.layers.Conv2D(filters=32, kernel_size=[3, 3], padding="same", activation=tf.nn.relu, kernel_regularizer=tf.keras.regularizers.L2(l2=0.00025), name="conv2_1")
conv2_conv2_2 = tf.keras.layers.Conv2D(filters=32, kernel_size=[3, 3], padding="same", activation=tf.nn.relu, kernel_regularizer=tf.keras.regularizers.L2(l2=0.00025), name="conv2_2")
pool2 = tf.keras.layers.MaxPooling2D(pool_size=[2, 2], strides=2, padding="valid", name="pool2")
flatten = tf.keras.layers.Flatten(name="flatten")
fc_fc_1 = tf.keras.layers.Dense(units=64, activation=tf.nn.relu, kernel_regularizer=tf.keras.regularizers.L2(l2=0.00025), name="fc_1")
fc_fc_2 = tf.keras.layers.Dense(units=32, activation=tf.nn.relu, kernel_regularizer=tf.keras.regularizers.L2(l2=0.00025), name="fc_2")
logits_1 = tf.keras.layers.Dense(units=10, activation=None, kernel_regularizer=tf.keras.regularizers.L2(l2=0.00025), name="logits")


@numpy_results
@tf.function(input_signature=[tf.TensorSpec([None, 32, 32, 3], tf.float32)])
def compute_logits(images):
    """Computes what sess.run(logits) fetched."""
    net = conv1_conv1_2(conv1_conv1_1(images))
    net = pool1(net)
    net = conv2_conv2_2(conv2_conv2_1(net))
    net = pool2(net)
    net = flatten(net)
    net = fc_fc_2(fc_fc_1(net))
    logits = logits_1(net)
    return logits


batch = np.random.rand(2, 32, 32, 3).astype(np.float32)
print(compute_logits(images=batch).shape)
