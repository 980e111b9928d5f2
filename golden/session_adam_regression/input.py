"""Regression with a one-hidden-layer network: placeholders, Adam, a Session loop and a prediction."""
import numpy as np
import tensorflow as tf

rng = np.random.RandomState(0)
x = tf.placeholder(tf.float32, [None, 4], name="x")
y = tf.placeholder(tf.float32, [None, 1], name="y")
W = tf.Variable(rng.randn(4, 8).astype(np.float32) * 0.5, name="W")
b = tf.Variable(np.zeros(8, np.float32), name="b")
V = tf.Variable(rng.randn(8, 1).astype(np.float32) * 0.5, name="V")

# the model
hidden = tf.tanh(tf.matmul(x, W) + b)
prediction = tf.matmul(hidden, V)
loss = tf.reduce_mean(tf.square(prediction - y))
train_op = tf.train.AdamOptimizer(0.01).minimize(loss)
init = tf.global_variables_initializer()

data = rng.randn(64, 4).astype(np.float32)
target = np.sum(data, axis=1, keepdims=True)
with tf.Session() as sess:
    sess.run(init)
    for step in range(40):
        _, loss_value = sess.run([train_op, loss], feed_dict={x: data, y: target})
        print("step %d loss %.8f" % (step, loss_value))
    print(sess.run(prediction, feed_dict={x: data[:3]}))
