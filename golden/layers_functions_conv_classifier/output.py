"""A convolutional classifier built by a function from tf.layers calls, without a variable scope."""
import tensorflow as tf

tf.compat.v1.disable_eager_execution()  # graph-mode code is left in this file (see the report)
images = tf.compat.v1.placeholder(tf.float32, [None, 28, 28, 1], name="images")


class Classifier(tf.keras.layers.Layer):
    """Keras layer converted from the TF1 function ``classifier``."""

    def __init__(self, num_classes=10, name=None, **kwargs):
        super().__init__(name=name, **kwargs)
        self.conv2d = tf.keras.layers.Conv2D(
            filters=16,
            kernel_size=3,
            padding="same",
            activation=tf.nn.relu,
            name="conv2d",
        )
        self.max_pooling2d = tf.keras.layers.MaxPooling2D(
            pool_size=2,
            strides=2,
            name="max_pooling2d",
        )
        self.conv2d_1 = tf.keras.layers.Conv2D(
            filters=32,
            kernel_size=3,
            activation=tf.nn.relu,
            name="conv2d_1",
        )
        self.max_pooling2d_1 = tf.keras.layers.MaxPooling2D(
            pool_size=2,
            strides=2,
            name="max_pooling2d_1",
        )
        self.flatten = tf.keras.layers.Flatten(name="flatten")
        self.dense = tf.keras.layers.Dense(units=64, activation=tf.nn.relu, name="dense")
        self.logits = tf.keras.layers.Dense(units=num_classes, name="logits")

    def call(self, images):
        net = self.conv2d(images)
        net = self.max_pooling2d(net)
        net = self.conv2d_1(net)
        net = self.max_pooling2d_1(net)
        net = self.flatten(net)
        net = self.dense(net)
        return self.logits(net)


classifier = Classifier()
logits = classifier(images)
