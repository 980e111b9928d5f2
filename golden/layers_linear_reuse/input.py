"""A two-layer classifier built from a `linear` helper; the evaluation head reuses the training weights."""
import tensorflow as tf


def linear(x, size, scope, reuse=False):
    """Fully connected layer: x @ w + b, with the variables under `scope`."""
    with tf.variable_scope(scope, reuse=reuse):
        w = tf.get_variable("w", [x.get_shape()[1], size],
                            initializer=tf.random_normal_initializer(stddev=0.02))
        b = tf.get_variable("b", [size], initializer=tf.zeros_initializer())
        return tf.matmul(x, w) + b


images = tf.placeholder(tf.float32, [None, 784], name="images")
hidden = tf.nn.relu(linear(images, 128, "fc1"))
logits = linear(hidden, 10, "fc2")

# The evaluation path shares every weight with the training path.
eval_images = tf.placeholder(tf.float32, [None, 784], name="eval_images")
eval_hidden = tf.nn.relu(linear(eval_images, 128, "fc1", reuse=True))
eval_logits = linear(eval_hidden, 10, "fc2", reuse=True)
