"""tf.nn.dropout took the probability to keep; TF2's takes the rate to drop."""
import tensorflow as tf

tf.compat.v1.disable_eager_execution()  # graph-mode code is left in this file (see the report)
keep_prob = tf.compat.v1.placeholder_with_default(1.0, shape=[])
hidden = tf.compat.v1.placeholder(tf.float32, [None, 64])

a = tf.nn.dropout(hidden, rate=1 - keep_prob)
b = tf.nn.dropout(hidden, rate=1 - 0.9)
c = tf.nn.dropout(hidden, rate=1 - (1.0 - 0.25), noise_shape=[1, 64])
d = tf.nn.dropout(hidden, rate=1 - tf.minimum(keep_prob, 0.8), seed=7)
e = tf.nn.dropout(hidden, rate=0.1)  # TF2 already
