"""Calls tf_upgrade_v2 rewrites as a whole: casts, dataset iterators, name scopes, cross-entropy labels."""
import tensorflow as tf

dataset = tf.data.Dataset.from_tensor_slices(tf.range(10)).batch(2)
iterator = dataset.make_one_shot_iterator()
batch = tf.to_float(iterator.get_next())
counts = tf.to_int64(tf.shape(batch)[0], name="count")

with tf.name_scope(None, "model", [batch]):
    logits = tf.layers.dense(tf.expand_dims(batch, -1), 3)
    labels = tf.one_hot(tf.to_int32(batch) % 3, 3)
    loss = tf.nn.softmax_cross_entropy_with_logits(labels=labels, logits=logits)
with tf.name_scope("metrics/"):
    accuracy = tf.reduce_mean(tf.to_float(tf.equal(tf.argmax(logits, 1), tf.argmax(labels, 1))))
