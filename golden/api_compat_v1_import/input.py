"""The TF1 way of running on TF 2.x: compat.v1 imported as tf, v2 behaviour switched off."""
import numpy as np
import tensorflow.compat.v1 as tf

tf.disable_v2_behavior()

x = tf.placeholder(tf.float32, [None, 4])
w = tf.get_variable("w", [4, 2], initializer=tf.glorot_uniform_initializer())
y = tf.nn.relu(tf.matmul(x, w))
total = tf.reduce_sum(y, axis=1, keep_dims=True)

with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    print(sess.run(total, feed_dict={x: np.ones([3, 4], np.float32)}))
