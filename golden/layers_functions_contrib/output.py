"""A function mixing get_variable with contrib layers, under a scope given as a parameter."""
import tensorflow as tf

tf.compat.v1.disable_eager_execution()  # graph-mode code is left in this file (see the report)
x = tf.compat.v1.placeholder(tf.float32, [None, 12], name="x")


class Head(tf.keras.layers.Layer):
    """Keras layer converted from the TF1 function ``head``."""

    def __init__(self, size, name=None, **kwargs):
        super().__init__(name=name, **kwargs)
        self.fully_connected = tf.keras.layers.Dense(
            units=32,
            activation="relu",
            name="fully_connected",
        )
        self.hidden = tf.keras.layers.Dense(units=16, activation=tf.nn.tanh, name="hidden")
        self.w = self.add_weight(
            name="w",
            shape=[16, size],
            initializer=tf.keras.initializers.RandomNormal(mean=0.0, stddev=0.1),
        )
        self.b = self.add_weight(name="b", shape=[size], initializer=tf.keras.initializers.Zeros())

    def call(self, x):
        h = self.fully_connected(x)
        h = self.hidden(h)
        return tf.matmul(h, self.w) + self.b


head = Head(4, name="head")
out = head(x)
