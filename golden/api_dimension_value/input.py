"""TF1 shapes held Dimension objects; TF2 shapes hold ints."""
import tensorflow as tf


def dense(x, units):
    fan_in = x.get_shape()[-1].value
    w = tf.get_variable("w", [fan_in, units])
    return tf.matmul(x, w)


def flatten(x):
    size = x.shape[1].value * x.shape[2].value * x.shape[3].value
    return tf.reshape(x, [-1, size])
