"""compute_gradients/apply_gradients with clipped gradients, Momentum with a decaying learning rate (kept as
TF1's optimizer, which Keras cannot reproduce) and Adam with a learning rate fed at every step."""
import numpy as np
import tensorflow as tf

rng = np.random.RandomState(5)
START = {name: rng.randn(4, 1).astype(np.float32) for name in ("clipped", "momentum", "fed")}


def linear(x, scope, start):
    with tf.variable_scope(scope):
        w = tf.get_variable("w", [4, 1], initializer=tf.constant_initializer(start))
        return tf.matmul(x, w)


x = tf.placeholder(tf.float32, [None, 4])
y = tf.placeholder(tf.float32, [None, 1])
rate = tf.placeholder(tf.float32, [], name="rate")
clipped_loss = tf.reduce_mean(tf.square(linear(x, "clipped", START["clipped"]) - y))
momentum_loss = tf.reduce_mean(tf.square(linear(x, "momentum", START["momentum"]) - y))
fed_loss = tf.reduce_mean(tf.square(linear(x, "fed", START["fed"]) - y))

sgd = tf.train.GradientDescentOptimizer(0.1)
grads_and_vars = sgd.compute_gradients(clipped_loss)
capped = [(tf.clip_by_value(grad, -0.5, 0.5), var) for grad, var in grads_and_vars if grad is not None]
clipped_step = sgd.apply_gradients(capped)

step = tf.train.get_or_create_global_step()
decayed = tf.train.exponential_decay(0.05, step, 4, 0.5)
momentum_step = tf.train.MomentumOptimizer(decayed, 0.9).minimize(momentum_loss, global_step=step)

fed_step = tf.train.AdamOptimizer(rate).minimize(fed_loss)

data = rng.randn(20, 4).astype(np.float32)
target = data.sum(axis=1, keepdims=True)
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    for i in range(16):
        feed = {x: data, y: target}
        _, clipped_value = sess.run([clipped_step, clipped_loss], feed_dict=feed)
        _, momentum_value = sess.run([momentum_step, momentum_loss], feed_dict=feed)
        _, fed_value = sess.run([fed_step, fed_loss], feed_dict={x: data, y: target, rate: 0.1 / (1 + i)})
        print("%2d clipped %.7f momentum %.7f fed %.7f" % (i, clipped_value, momentum_value, fed_value))
