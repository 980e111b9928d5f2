"""A function building a network from tf.layers calls in a variable scope, called twice with reuse."""
import tensorflow as tf

tf.compat.v1.disable_eager_execution()  # graph-mode code is left in this file (see the report)
x = tf.compat.v1.placeholder(tf.float32, [None, 16], name="x")


class Encoder(tf.keras.layers.Layer):
    """Keras layer converted from the TF1 function ``encoder``."""

    def __init__(self, name="encoder", **kwargs):
        super().__init__(name=name, **kwargs)
        self.dense = tf.keras.layers.Dense(units=64, activation=tf.nn.relu, name="dense")
        self.batch_normalization = tf.keras.layers.BatchNormalization(name="batch_normalization")
        self.dropout = tf.keras.layers.Dropout(rate=0.1, name="dropout")
        self.code = tf.keras.layers.Dense(units=8, name="code")

    def call(self, x, training=None):
        h = self.dense(x)
        h = self.batch_normalization(h, training=training)
        h = self.dropout(h, training=training)
        return self.code(h)


encoder = Encoder()
train_code = encoder(x, training=True)
eval_code = encoder(x, training=False)
