"""A two-layer classifier built from a `linear` helper; the evaluation head reuses the training weights."""
import tensorflow as tf


tf.compat.v1.disable_eager_execution()  # graph-mode code is left in this file (see the report)
class Linear(tf.keras.layers.Layer):
    """Fully connected layer: x @ w + b, with the variables under `scope`."""

    def __init__(self, size, name=None, **kwargs):
        super().__init__(name=name, **kwargs)
        self.size = size
        self.b = self.add_weight(name="b", shape=[size], initializer=tf.keras.initializers.Zeros())

    def build(self, input_shape):
        x_shape = tf.TensorShape(input_shape)
        self.w = self.add_weight(
            name="w",
            shape=[x_shape[1], self.size],
            initializer=tf.keras.initializers.RandomNormal(mean=0.0, stddev=0.02),
        )

    def call(self, x):
        return tf.matmul(x, self.w) + self.b


images = tf.compat.v1.placeholder(tf.float32, [None, 784], name="images")
fc1 = Linear(128, name="fc1")
hidden = tf.nn.relu(fc1(images))
fc2 = Linear(10, name="fc2")
logits = fc2(hidden)

# The evaluation path shares every weight with the training path.
eval_images = tf.compat.v1.placeholder(tf.float32, [None, 784], name="eval_images")
eval_hidden = tf.nn.relu(fc1(eval_images))
eval_logits = fc2(eval_hidden)
