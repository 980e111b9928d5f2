"""TensorFlow imported under another alias: names are resolved through the import, not the spelling."""
import tensorflow as tf2
import numpy as tf  # not TensorFlow, whatever the name

batch = tf2.compat.v1.placeholder(tf2.float32, [None, 10])
scores = tf2.reduce_max(batch, axis=1, keepdims=True)
dropped = tf2.nn.dropout(batch, rate=1 - 0.5)
norm = tf2.norm(batch, axis=1, keepdims=True)
ones = tf.ones([3])
with tf2.compat.v1.Session() as session:
    session.run(tf2.compat.v1.global_variables_initializer())
