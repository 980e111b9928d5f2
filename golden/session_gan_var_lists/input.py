"""A tiny GAN in the DCGAN style: d_/g_ variables, three Adam train ops on disjoint variable lists."""
import numpy as np
import tensorflow as tf

rng = np.random.RandomState(1)
SHAPES = {"g_w": (2, 8), "g_v": (8, 3), "d_w": (3, 8), "d_v": (8, 1)}
START = {name: rng.randn(*shape).astype(np.float32) * 0.3 for name, shape in sorted(SHAPES.items())}


def init(name):
    return tf.constant_initializer(START[name])


def generator(z):
    with tf.variable_scope("generator"):
        w = tf.get_variable("g_w", [2, 8], initializer=init("g_w"))
        b = tf.get_variable("g_b", [8], initializer=tf.zeros_initializer())
        v = tf.get_variable("g_v", [8, 3], initializer=init("g_v"))
        return tf.matmul(tf.tanh(tf.matmul(z, w) + b), v)


def discriminator(x, reuse=False):
    with tf.variable_scope("discriminator", reuse=reuse):
        w = tf.get_variable("d_w", [3, 8], initializer=init("d_w"))
        v = tf.get_variable("d_v", [8, 1], initializer=init("d_v"))
        return tf.matmul(tf.nn.relu(tf.matmul(x, w)), v)


z = tf.placeholder(tf.float32, [None, 2], name="z")
real = tf.placeholder(tf.float32, [None, 3], name="real")
fake = generator(z)
d_real = discriminator(real)
d_fake = discriminator(fake, reuse=True)
d_loss = tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(logits=d_real, labels=tf.ones_like(d_real))) + \
    tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(logits=d_fake, labels=tf.zeros_like(d_fake)))
g_loss = tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(logits=d_fake, labels=tf.ones_like(d_fake)))

t_vars = tf.trainable_variables()
d_vars = [var for var in t_vars if "d_" in var.name]
g_vars = [var for var in t_vars if "g_" in var.name]
d_optim = tf.train.AdamOptimizer(0.01, beta1=0.5).minimize(d_loss, var_list=d_vars)
g_optim = tf.train.AdamOptimizer(0.01, beta1=0.5).minimize(g_loss, var_list=g_vars)

data = rng.randn(32, 3).astype(np.float32) + 2.0
with tf.Session() as sess:
    tf.global_variables_initializer().run()
    for step in range(15):
        noise = rng.uniform(-1, 1, [32, 2]).astype(np.float32)
        _, d_value = sess.run([d_optim, d_loss], feed_dict={z: noise, real: data})
        _, g_value = sess.run([g_optim, g_loss], feed_dict={z: noise})
        # run g_optim twice to make sure that d_loss does not go to zero (as DCGAN does)
        _, g_value = sess.run([g_optim, g_loss], feed_dict={z: noise})
        print("step %d d_loss %.6f g_loss %.6f" % (step, d_value, g_value))
