"""A small CNN classifier written with tf.layers at module level, trained a few steps in a session."""
import numpy as np
import tensorflow as tf


def numpy_results(function):
    """Session.run returned numpy values; so do the functions that replace it."""

    def call(*args, **kwargs):
        results = function(*args, **kwargs)
        return tf.nest.map_structure(lambda value: value.numpy() if hasattr(value, "numpy") else value, results)

    return call


conv2d = tf.keras.layers.Conv2D(filters=16, kernel_size=5, padding="same", activation=tf.nn.relu, name="conv2d")
max_pooling2d = tf.keras.layers.MaxPooling2D(pool_size=2, strides=2, name="max_pooling2d")
batch_normalization = tf.keras.layers.BatchNormalization(name="batch_normalization")
conv2d_1 = tf.keras.layers.Conv2D(filters=32, kernel_size=5, padding="same", activation=tf.nn.relu, name="conv2d_1")
max_pooling2d_1 = tf.keras.layers.MaxPooling2D(pool_size=2, strides=2, name="max_pooling2d_1")
flatten = tf.keras.layers.Flatten(name="flatten")
fc1 = tf.keras.layers.Dense(units=64, activation=tf.nn.relu, name="fc1")
dropout = tf.keras.layers.Dropout(rate=0.4, name="dropout")
logits_1 = tf.keras.layers.Dense(units=10, name="logits")

optimizer = tf.keras.optimizers.Adam(
    learning_rate=1e-3, beta_1=0.8999999761581421, beta_2=0.9990000128746033, epsilon=1e-08
)


@numpy_results
# is_training: a Python bool (Keras' training=), not a tensor: two traces, one per mode
@tf.function(reduce_retracing=True)
def train_step(images, labels, is_training=False):
    """Computes what sess.run([train_op, loss]) fetched."""
    images = tf.cast(images, tf.float32)
    labels = tf.cast(labels, tf.int64)
    with tf.GradientTape() as tape:
        net = conv2d(images)
        net = max_pooling2d(net)
        net = batch_normalization(net, training=is_training)
        net = conv2d_1(net)
        net = max_pooling2d_1(net)
        net = flatten(net)
        net = fc1(net)
        net = dropout(net, training=is_training)
        logits = logits_1(net)
        loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits))
    variables = tape.watched_variables()
    gradients = tape.gradient(loss, variables)
    optimizer.apply_gradients(zip(gradients, variables))
    return [None, loss]


batch_x = np.random.rand(8, 28, 28, 1).astype(np.float32)
batch_y = np.random.randint(0, 10, size=8)
for step in range(3):
    _, loss_value = train_step(images=batch_x, labels=batch_y, is_training=True)
    print(step, loss_value)
