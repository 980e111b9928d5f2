"""TensorFlow imported under another alias: names are resolved through the import, not the spelling."""
import tensorflow as tf2
import numpy as tf  # not TensorFlow, whatever the name

batch = tf2.placeholder(tf2.float32, [None, 10])
scores = tf2.reduce_max(batch, reduction_indices=1, keep_dims=True)
dropped = tf2.nn.dropout(batch, 0.5)
norm = tf2.norm(batch, axis=1, keep_dims=True)
ones = tf.ones([3])
with tf2.Session() as session:
    session.run(tf2.global_variables_initializer())
