"""Variable properties that must survive conversion exactly: regularizers (per variable and from the
scope), a constraint, non-trainable statistics, an integer counter, a float64 variable, and the
regularization loss the training objective adds."""
import tensorflow as tf

WEIGHT_DECAY = 1e-3


def dense(x, n_out, scope, weight_decay=WEIGHT_DECAY):
    with tf.variable_scope(scope):
        w = tf.get_variable("w", [x.get_shape()[-1], n_out],
                            initializer=tf.glorot_uniform_initializer(),
                            regularizer=lambda t: weight_decay * tf.nn.l2_loss(t))
        b = tf.get_variable("b", [n_out], initializer=tf.zeros_initializer(),
                            constraint=lambda t: tf.clip_by_value(t, -1.0, 1.0))
        return tf.matmul(x, w) + b


def running_center(x, scope):
    with tf.variable_scope(scope):
        mean = tf.get_variable("moving_mean", [x.get_shape()[-1]], initializer=tf.constant_initializer(0.5),
                               trainable=False)
        steps = tf.get_variable("steps", [], dtype=tf.int32, initializer=tf.zeros_initializer(), trainable=False)
        return x - mean + tf.cast(steps, tf.float32)


def model(x):
    with tf.variable_scope("model"):
        h = tf.nn.relu(dense(x, 16, "fc1"))
        h = running_center(h, "center")
        with tf.variable_scope("head", regularizer=lambda t: 0.5 * tf.reduce_sum(tf.abs(t))):
            scale = tf.get_variable("scale", [], initializer=tf.constant_initializer(2.0))
        offset = tf.get_variable("offset", [4], dtype=tf.float64, initializer=tf.random_uniform_initializer())
        return dense(h, 4, "fc2") * scale + tf.cast(offset, tf.float32)


inputs = tf.placeholder(tf.float32, [None, 8], name="inputs")
logits = model(inputs)
loss = tf.reduce_mean(tf.square(logits)) + tf.losses.get_regularization_loss()
