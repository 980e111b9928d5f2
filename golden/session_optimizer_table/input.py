"""One small regression model per TF1 optimizer, all trained by a single sess.run on the same batches."""
import numpy as np
import tensorflow as tf

rng = np.random.RandomState(2)
START = rng.randn(3, 1).astype(np.float32)


def regression(x, scope):
    with tf.variable_scope(scope):
        w = tf.get_variable("w", [3, 1], initializer=tf.constant_initializer(START))
        b = tf.get_variable("b", [1], initializer=tf.zeros_initializer())
        return tf.matmul(x, w) + b


x = tf.placeholder(tf.float32, [None, 3])
y = tf.placeholder(tf.float32, [None, 1])
sgd_loss = tf.reduce_mean(tf.square(regression(x, "sgd") - y))
momentum_loss = tf.reduce_mean(tf.square(regression(x, "momentum") - y))
nesterov_loss = tf.reduce_mean(tf.square(regression(x, "nesterov") - y))
rmsprop_loss = tf.reduce_mean(tf.square(regression(x, "rmsprop") - y))
centered_loss = tf.reduce_mean(tf.square(regression(x, "centered") - y))
adagrad_loss = tf.reduce_mean(tf.square(regression(x, "adagrad") - y))
adadelta_loss = tf.reduce_mean(tf.square(regression(x, "adadelta") - y))

sgd = tf.train.GradientDescentOptimizer(0.05).minimize(sgd_loss)
momentum = tf.train.MomentumOptimizer(0.05, 0.9).minimize(momentum_loss)
nesterov = tf.train.MomentumOptimizer(0.05, 0.9, use_nesterov=True).minimize(nesterov_loss)
rmsprop = tf.train.RMSPropOptimizer(0.01).minimize(rmsprop_loss)
centered = tf.train.RMSPropOptimizer(0.01, decay=0.8, momentum=0.5, centered=True).minimize(centered_loss)
adagrad = tf.train.AdagradOptimizer(0.3).minimize(adagrad_loss)
adadelta = tf.train.AdadeltaOptimizer(1.0).minimize(adadelta_loss)

losses = {"sgd": sgd_loss, "momentum": momentum_loss, "nesterov": nesterov_loss, "rmsprop": rmsprop_loss,
          "centered": centered_loss, "adagrad": adagrad_loss, "adadelta": adadelta_loss}
data = rng.randn(16, 3).astype(np.float32)
target = data.dot(np.array([[1.0], [-2.0], [0.5]], np.float32)) + 0.3
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    for step in range(25):
        _, values = sess.run([[sgd, momentum, nesterov, rmsprop, centered, adagrad, adadelta], losses],
                             feed_dict={x: data, y: target})
        print(step, " ".join("%s=%.7f" % (name, values[name]) for name in sorted(values)))
