"""tf.layers class forms held by a policy object and called through .apply."""
import tensorflow as tf


class Policy(object):
    def __init__(self, num_actions):
        self.hidden = tf.layers.Dense(64, tf.nn.tanh, name="hidden")
        self.dropout = tf.layers.Dropout(0.1)
        self.logits = tf.layers.Dense(num_actions, kernel_initializer=tf.random_normal_initializer(stddev=0.01),
                                      name="logits")

    def __call__(self, observations, training=False):
        h = self.hidden.apply(observations)
        h = self.dropout.apply(h, training=training)
        return self.logits(h)


pool = tf.layers.MaxPooling2D(pool_size=2, strides=2, padding="SAME")
norm = tf.layers.BatchNormalization(momentum=0.9, renorm=True)
