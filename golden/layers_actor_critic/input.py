"""An actor-critic policy in the style of OpenAI baselines (a2c/policies.py): `fc` layers with an
orthogonal initializer written by hand, and a policy class built twice, the training copy reusing the
sampling copy's variables."""
import collections

import numpy as np
import tensorflow as tf

Box = collections.namedtuple("Box", ["shape"])
Discrete = collections.namedtuple("Discrete", ["n"])


def ortho_init(scale=1.0):
    def _ortho_init(shape, dtype, partition_info=None):
        # lasagne ortho init for tf
        shape = tuple(shape)
        if len(shape) == 2:
            flat_shape = shape
        elif len(shape) == 4:  # assumes NHWC
            flat_shape = (np.prod(shape[:-1]), shape[-1])
        else:
            raise NotImplementedError
        a = np.random.normal(0.0, 1.0, flat_shape)
        u, _, v = np.linalg.svd(a, full_matrices=False)
        q = u if u.shape == flat_shape else v  # pick the one with the correct shape
        q = q.reshape(shape)
        return (scale * q[:shape[0], :shape[1]]).astype(np.float32)
    return _ortho_init


def fc(x, scope, nh, init_scale=1.0, init_bias=0.0):
    with tf.variable_scope(scope):
        nin = x.get_shape()[1].value
        w = tf.get_variable("w", [nin, nh], initializer=ortho_init(init_scale))
        b = tf.get_variable("b", [nh], initializer=tf.constant_initializer(init_bias))
        return tf.matmul(x, w) + b


class MlpPolicy(object):
    def __init__(self, sess, ob_space, ac_space, nbatch, nsteps, reuse=False):
        ob_shape = (nbatch,) + ob_space.shape
        nact = ac_space.n
        X = tf.placeholder(tf.float32, ob_shape, name='Ob')
        with tf.variable_scope("model", reuse=reuse):
            h1 = tf.tanh(fc(X, 'pi_fc1', nh=64, init_scale=np.sqrt(2)))
            h2 = tf.tanh(fc(h1, 'pi_fc2', nh=64, init_scale=np.sqrt(2)))
            pi = fc(h2, 'pi', nact, init_scale=0.01)
            h1 = tf.tanh(fc(X, 'vf_fc1', nh=64, init_scale=np.sqrt(2)))
            h2 = tf.tanh(fc(h1, 'vf_fc2', nh=64, init_scale=np.sqrt(2)))
            vf = fc(h2, 'vf', 1)[:, 0]

        a0 = tf.argmax(pi, axis=1)

        def step(ob):
            a, v = sess.run([a0, vf], {X: ob})
            return a, v

        def value(ob):
            return sess.run(vf, {X: ob})

        self.X = X
        self.pi = pi
        self.vf = vf
        self.step = step
        self.value = value


nenvs, nsteps = 4, 5
ob_space, ac_space = Box(shape=(6,)), Discrete(n=3)
sess = tf.Session()
step_model = MlpPolicy(sess, ob_space, ac_space, nenvs, 1, reuse=False)
train_model = MlpPolicy(sess, ob_space, ac_space, nenvs * nsteps, nsteps, reuse=True)
