"""TF1 shapes held Dimension objects; TF2 shapes hold ints."""
import tensorflow as tf


class Dense(tf.keras.layers.Layer):
    """Keras layer converted from the TF1 function ``dense``."""

    def __init__(self, units, name=None, **kwargs):
        super().__init__(name=name, **kwargs)
        self.units = units

    def build(self, input_shape):
        x_shape = tf.TensorShape(input_shape)
        fan_in = x_shape[-1]
        self.w = self.add_weight(
            name="w",
            shape=[fan_in, self.units],
            initializer=tf.keras.initializers.GlorotUniform(),
        )

    def call(self, x):
        return tf.matmul(x, self.w)


def flatten(x):
    size = x.shape[1] * x.shape[2] * x.shape[3]
    return tf.reshape(x, [-1, size])
