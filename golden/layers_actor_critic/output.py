"""An actor-critic policy in the style of OpenAI baselines (a2c/policies.py): `fc` layers with an
orthogonal initializer written by hand, and a policy class built twice, the training copy reusing the
sampling copy's variables."""
import collections

import numpy as np
import tensorflow as tf

tf.compat.v1.disable_eager_execution()  # graph-mode code is left in this file (see the report)
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


class Fc(tf.keras.layers.Layer):
    """Keras layer converted from the TF1 function ``fc``."""

    def __init__(self, nh, init_scale=1.0, init_bias=0.0, name=None, **kwargs):
        super().__init__(name=name, **kwargs)
        self.nh = nh
        self.init_scale = init_scale
        self.b = self.add_weight(
            name="b",
            shape=[nh],
            initializer=tf.keras.initializers.Constant(value=init_bias),
        )

    def build(self, input_shape):
        x_shape = tf.TensorShape(input_shape)
        nin = x_shape[1]
        self.w = self.add_weight(
            name="w",
            shape=[nin, self.nh],
            initializer=ortho_init(self.init_scale),
        )

    def call(self, x):
        return tf.matmul(x, self.w) + self.b


class Model(tf.keras.layers.Layer):
    """TF1 scope ``model`` of ``MlpPolicy.__init__`` as a layer: its variables and the computations using them."""

    def __init__(self, nact, name="model", **kwargs):
        super().__init__(name=name, **kwargs)
        self.pi_fc1 = Fc(nh=64, init_scale=np.sqrt(2), name='pi_fc1')
        self.pi_fc2 = Fc(nh=64, init_scale=np.sqrt(2), name='pi_fc2')
        self.pi = Fc(nact, init_scale=0.01, name='pi')
        self.vf_fc1 = Fc(nh=64, init_scale=np.sqrt(2), name='vf_fc1')
        self.vf_fc2 = Fc(nh=64, init_scale=np.sqrt(2), name='vf_fc2')
        self.vf = Fc(1, name='vf')

    def call(self, X):
        h1 = tf.tanh(self.pi_fc1(X))
        h2 = tf.tanh(self.pi_fc2(h1))
        pi = self.pi(h2)
        h1 = tf.tanh(self.vf_fc1(X))
        h2 = tf.tanh(self.vf_fc2(h1))
        vf = self.vf(h2)[:, 0]
        return pi, vf


class MlpPolicy(object):
    model = None  # the layer of TF1 scope `model`, shared by every instance (TF1 reused its variables)

    def __init__(self, sess, ob_space, ac_space, nbatch, nsteps, reuse=False):
        ob_shape = (nbatch,) + ob_space.shape
        nact = ac_space.n
        X = tf.compat.v1.placeholder(tf.float32, ob_shape, name='Ob')
        if not reuse or MlpPolicy.model is None:
            MlpPolicy.model = Model(nact)
        pi, vf = MlpPolicy.model(X)

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
sess = tf.compat.v1.Session()
step_model = MlpPolicy(sess, ob_space, ac_space, nenvs, 1, reuse=False)
train_model = MlpPolicy(sess, ob_space, ac_space, nenvs * nsteps, nsteps, reuse=True)
