"""A library of graph-building helpers under compat.v1: graph mode is still needed, so the switch stays."""
import tensorflow as tf

tf.compat.v1.disable_v2_behavior()


def build_inputs(batch_size):
    images = tf.compat.v1.placeholder(tf.float32, [batch_size, 28, 28, 1], name="images")
    labels = tf.compat.v1.placeholder(tf.int64, [batch_size], name="labels")
    return images, labels


def classification_loss(logits, labels):
    losses = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits)
    return tf.reduce_mean(losses, keepdims=False)
