"""A two-tower similarity model in TensorFlow 1.15 style.

Weights are created with tf.get_variable inside variable scopes; both inputs go through one encoder,
whose weights are shared by calling it a second time with reuse=True.
"""
import tensorflow as tf


def linear(x, output_size, scope, stddev=0.02):
    """x @ w + b, with variables <scope>/w and <scope>/b."""
    input_size = x.get_shape()[-1].value
    with tf.variable_scope(scope):
        w = tf.get_variable("w", [input_size, output_size],
                            initializer=tf.random_normal_initializer(stddev=stddev))
        b = tf.get_variable("b", [output_size], initializer=tf.zeros_initializer())
        return tf.matmul(x, w) + b


def encoder(x, hidden_size, reuse=False):
    """Two dense layers under the scope "encoder"."""
    with tf.variable_scope("encoder", reuse=reuse):
        h = tf.nn.relu(linear(x, hidden_size, "fc1"))
        return tf.tanh(linear(h, hidden_size, "fc2"))


def similarity_model(left, right, hidden_size):
    """Logits that `left` and `right` are the same item; the encoder is shared by both towers."""
    left_code = encoder(left, hidden_size)
    right_code = encoder(right, hidden_size, reuse=True)
    features = tf.concat([left_code, right_code, tf.abs(left_code - right_code)], axis=1)
    with tf.variable_scope("head"):
        logits = linear(features, 1, "out")
    return tf.squeeze(logits, axis=[1])
