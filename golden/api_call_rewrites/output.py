"""Calls tf_upgrade_v2 rewrites as a whole: casts, dataset iterators, name scopes, cross-entropy labels."""
import tensorflow as tf

dataset = tf.data.Dataset.from_tensor_slices(tf.range(10)).batch(2)
iterator = tf.compat.v1.data.make_one_shot_iterator(dataset)
batch = tf.cast(iterator.get_next(), tf.float32)
counts = tf.cast(tf.shape(batch)[0], name="count", dtype=tf.int64)

with tf.name_scope("model"):
    dense = tf.keras.layers.Dense(units=3, name="dense")
    logits = dense(tf.expand_dims(batch, -1))
    labels = tf.one_hot(tf.cast(batch, tf.int32) % 3, 3)
    loss = tf.nn.softmax_cross_entropy_with_logits(labels=tf.stop_gradient(labels), logits=logits)
with tf.compat.v1.name_scope("metrics/"):
    accuracy = tf.reduce_mean(tf.cast(tf.equal(tf.argmax(logits, 1), tf.argmax(labels, 1)), tf.float32))
