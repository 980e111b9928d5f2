"""tf.layers class forms held by a policy object and called through .apply."""
import tensorflow as tf


class Policy(object):
    def __init__(self, num_actions):
        self.hidden = tf.keras.layers.Dense(units=64, activation=tf.nn.tanh, name="hidden")
        self.dropout = tf.keras.layers.Dropout(rate=0.1)
        self.logits = tf.keras.layers.Dense(units=num_actions, kernel_initializer=tf.keras.initializers.RandomNormal(mean=0.0, stddev=0.01), name="logits")

    def __call__(self, observations, training=False):
        h = self.hidden(observations)
        h = self.dropout(h, training=training)
        return self.logits(h)


pool = tf.keras.layers.MaxPooling2D(pool_size=2, strides=2, padding="same")
norm = tf.compat.v1.layers.BatchNormalization(momentum=0.9, renorm=True)
