"""TensorFlow imported under another alias: names are resolved through the import, not the spelling."""
import numpy as tf  # not TensorFlow, whatever the name
import tensorflow as tf2


def pooled_scores(batch, keep_prob):
    scores = tf2.reduce_max(batch, axis=1, keepdims=True)
    dropped = tf2.nn.dropout(scores, rate=1 - keep_prob)
    return tf2.norm(dropped, axis=1, keepdims=True) + tf2.cast(tf2.size(dropped), tf2.float32)


def summarize(values):
    tf2.compat.v1.summary.histogram("values", values)
    return tf.ones([3])  # numpy: untouched
