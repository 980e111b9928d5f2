"""Seed 004's second example (one weight matrix shared by two layers under their own variable scopes)
with the training steps the seed says "would follow". Initial values come from numpy so that TF1 and the
converted program start from the same weights."""
import numpy as np
import tensorflow as tf

rng = np.random.RandomState(9)

with tf.variable_scope("shared_weights"):
    W = tf.get_variable("shared_weights", shape=[5, 2],
                        initializer=tf.constant_initializer(rng.randn(5, 2).astype(np.float32)))

with tf.variable_scope("layer1"):
    b1 = tf.get_variable("biases", shape=[2], initializer=tf.zeros_initializer())
    x1 = tf.placeholder(tf.float32, shape=[None, 5])
    y1 = tf.matmul(x1, W) + b1

with tf.variable_scope("layer2"):
    b2 = tf.get_variable("biases", shape=[2], initializer=tf.zeros_initializer())
    x2 = tf.placeholder(tf.float32, shape=[None, 5])
    y2 = tf.matmul(x2, W) + b2

# Further model definition and training steps would follow...
target = tf.placeholder(tf.float32, shape=[None, 2])
loss = tf.reduce_mean(tf.square(y1 - target)) + tf.reduce_mean(tf.square(y2 + target))
train_op = tf.train.AdamOptimizer(0.05).minimize(loss)

a = rng.randn(16, 5).astype(np.float32)
b = rng.randn(16, 5).astype(np.float32)
t = rng.randn(16, 2).astype(np.float32)
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    for step in range(20):
        _, value = sess.run([train_op, loss], feed_dict={x1: a, x2: b, target: t})
        print("step %d loss %.7f" % (step, value))
    print(sess.run(W))
