"""A function mixing get_variable with contrib layers, under a scope given as a parameter."""
import tensorflow as tf

x = tf.placeholder(tf.float32, [None, 12], name="x")


def head(x, size, scope):
    with tf.variable_scope(scope):
        h = tf.contrib.layers.fully_connected(x, 32)
        h = tf.contrib.layers.fully_connected(h, 16, activation_fn=tf.nn.tanh, scope="hidden")
        w = tf.get_variable("w", [16, size], initializer=tf.random_normal_initializer(stddev=0.1))
        b = tf.get_variable("b", [size], initializer=tf.zeros_initializer())
        return tf.matmul(h, w) + b


out = head(x, 4, "head")
