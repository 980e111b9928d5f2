"""Keyword renames, arguments whose position moved, and arguments TF2 treats differently."""
import tensorflow as tf

tf.compat.v1.disable_eager_execution()  # graph-mode code is left in this file (see the report)
x = tf.compat.v1.placeholder(tf.float32, [None, 32, 32, 3])


class Model(tf.keras.layers.Layer):
    """Keras layer holding the module-level TF1 variables and the computations using them."""

    def __init__(self, name=None, **kwargs):
        super().__init__(name=name, **kwargs)
        self.kernel = self.add_weight(
            name="kernel",
            shape=[3, 3, 3, 8],
            initializer=tf.keras.initializers.GlorotUniform(),
        )

    def call(self, x):
        features = tf.nn.conv2d(x, filters=self.kernel, strides=[1, 1, 1, 1], padding="SAME")
        return features


model = Model()
kernel = model.kernel

features = model(x)
pooled = tf.nn.max_pool2d(input=features, ksize=[1, 2, 2, 1], strides=[1, 2, 2, 1], padding="VALID")
means = tf.reduce_mean(pooled, axis=[1, 2], keepdims=True)
total = tf.reduce_sum(pooled, None, None, "total", axis=[3])
best = tf.argmax(means, axis=3)
expanded = tf.expand_dims(best, axis=-1)
normalized = tf.nn.l2_normalize(means, axis=3)
unit = tf.compat.v1.zeros_like(means, optimize=False)
branch = tf.cond(tf.reduce_any(best > 0), true_fn=lambda: means, false_fn=lambda: -means)
gradients = tf.gradients(total, [kernel])
step = tf.compat.v1.train.GradientDescentOptimizer(0.1).minimize(total)
