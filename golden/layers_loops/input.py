"""Variables in loops: a convolution helper whose unnamed scopes are numbered per call, a stack of
weights named by the loop index, blocks named from a list, and an RNN unrolled by hand that reuses its cell from the second step."""
import tensorflow as tf


def conv(x, n, scope=None):
    with tf.variable_scope(scope, default_name="conv"):
        w = tf.get_variable("w", [3, 3, x.get_shape()[-1], n])
        return tf.nn.relu(tf.nn.conv2d(x, w, [1, 1, 1, 1], "SAME"))


def stack(x, n_layers):
    with tf.variable_scope("stack"):
        for i in range(n_layers):
            w = tf.get_variable("w%d" % i, [4, 4], initializer=tf.orthogonal_initializer())
            x = tf.nn.tanh(tf.matmul(x, w))
        return x


def block(x, scope, reuse=None):
    with tf.variable_scope(scope, reuse=reuse):
        w = tf.get_variable("w", [x.shape[-1], 4], initializer=tf.initializers.he_normal())
        if x.shape[-1] > 4:
            x = x[:, :4]
        return tf.nn.relu(tf.matmul(x, w)) + x


def tower(x, names):
    for name in names:
        x = block(x, name)
    return x


def rnn(xs, n, steps):
    h = tf.zeros([tf.shape(xs)[0], n])
    for t in range(steps):
        with tf.variable_scope("cell", reuse=(t > 0)):
            w = tf.get_variable("w", [n, n])
            u = tf.get_variable("u", [xs.get_shape()[-1], n])
            # The same two matrices at every step.
            h = tf.tanh(tf.matmul(h, w) + tf.matmul(xs[:, t, :], u))
    return h


images = tf.placeholder(tf.float32, [None, 8, 8, 3])
features = conv(conv(images, 4), 4)

vectors = tf.placeholder(tf.float32, [None, 4])
mixed = stack(vectors, 3)
towered = tower(vectors, ["low", "high"])

sequence = tf.placeholder(tf.float32, [None, 5, 6])
state = rnn(sequence, 6, 5)
