"""tf.layers is not in TF2; tf.compat.v1.layers needs tf-keras on TF >= 2.16."""
import tensorflow as tf


class Classifier(tf.keras.layers.Layer):
    """Keras layer converted from the TF1 function ``classifier``."""

    def __init__(self, name=None, **kwargs):
        super().__init__(name=name, **kwargs)
        self.conv2d = tf.keras.layers.Conv2D(
            filters=32,
            kernel_size=3,
            activation=tf.nn.relu,
            name="conv2d",
        )
        self.max_pooling2d = tf.keras.layers.MaxPooling2D(
            pool_size=2,
            strides=2,
            name="max_pooling2d",
        )
        self.batch_normalization = tf.keras.layers.BatchNormalization(name="batch_normalization")
        self.flatten = tf.keras.layers.Flatten(name="flatten")
        self.dropout = tf.keras.layers.Dropout(rate=0.5, name="dropout")
        self.dense = tf.keras.layers.Dense(units=10, name="dense")

    def call(self, images, training=None):
        net = self.conv2d(images)
        net = self.max_pooling2d(net)
        net = self.batch_normalization(net, training=training)
        net = self.flatten(net)
        net = self.dropout(net, training=training)
        return self.dense(net)


spec = tf.keras.layers.InputSpec(ndim=4)
