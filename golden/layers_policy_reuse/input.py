"""A policy class in the style of OpenAI baselines whose `__init__` calls `fc` layers with `reuse=reuse`:
the sampling policy creates the variables, the training policy built after it reuses them."""
import tensorflow as tf


def fc(x, scope, nh, reuse=False):
    with tf.variable_scope(scope, reuse=reuse):
        w = tf.get_variable("w", [x.get_shape()[1], nh], initializer=tf.orthogonal_initializer())
        b = tf.get_variable("b", [nh], initializer=tf.zeros_initializer())
        return tf.matmul(x, w) + b


class MlpPolicy(object):
    def __init__(self, nbatch, n_actions, reuse=False):
        X = tf.placeholder(tf.float32, [nbatch, 6], name="Ob")
        h = tf.tanh(fc(X, "pi_fc1", 32, reuse=reuse))
        pi = fc(h, "pi", n_actions, reuse=reuse)
        vf = fc(tf.tanh(fc(X, "vf_fc1", 32, reuse=reuse)), "vf", 1, reuse=reuse)[:, 0]
        self.X = X
        self.pi = pi
        self.vf = vf


step_model = MlpPolicy(4, 3, reuse=False)
train_model = MlpPolicy(20, 3, reuse=True)
