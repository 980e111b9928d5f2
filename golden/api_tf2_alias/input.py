"""TensorFlow imported under another alias: names are resolved through the import, not the spelling."""
import numpy as tf  # not TensorFlow, whatever the name
import tensorflow as tf2


def pooled_scores(batch, keep_prob):
    scores = tf2.reduce_max(batch, reduction_indices=1, keep_dims=True)
    dropped = tf2.nn.dropout(scores, keep_prob)
    return tf2.norm(dropped, axis=1, keep_dims=True) + tf2.to_float(tf2.size(dropped))


def summarize(values):
    tf2.summary.histogram("values", values)
    return tf.ones([3])  # numpy: untouched
