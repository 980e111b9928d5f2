"""A policy class in the style of OpenAI baselines whose `__init__` calls `fc` layers with `reuse=reuse`:
the sampling policy creates the variables, the training policy built after it reuses them."""
import tensorflow as tf


class Fc(tf.keras.layers.Layer):
    """Keras layer converted from the TF1 function ``fc``."""

    def __init__(self, nh, name=None, **kwargs):
        super().__init__(name=name, **kwargs)
        self.nh = nh
        self.b = self.add_weight(name="b", shape=[nh], initializer=tf.keras.initializers.Zeros())

    def build(self, input_shape):
        x_shape = tf.TensorShape(input_shape)
        self.w = self.add_weight(
            name="w",
            shape=[x_shape[1], self.nh],
            initializer=tf.keras.initializers.Orthogonal(gain=1.0),
        )

    def call(self, x):
        return tf.matmul(x, self.w) + self.b


class MlpPolicy(object):
    pi_fc1 = None  # the layer of TF1 scope `pi_fc1`, shared by every instance (TF1 reused its variables)
    pi_1 = None  # the layer of TF1 scope `pi`, shared by every instance (TF1 reused its variables)
    vf_1 = None  # the layer of TF1 scope `vf`, shared by every instance (TF1 reused its variables)
    vf_fc1 = None  # the layer of TF1 scope `vf_fc1`, shared by every instance (TF1 reused its variables)

    def __init__(self, nbatch, n_actions, reuse=False):
        X = tf.compat.v1.placeholder(tf.float32, [nbatch, 6], name="Ob")
        if not reuse or MlpPolicy.pi_fc1 is None:
            MlpPolicy.pi_fc1 = Fc(32, name="pi_fc1")
        h = tf.tanh(MlpPolicy.pi_fc1(X))
        if not reuse or MlpPolicy.pi_1 is None:
            MlpPolicy.pi_1 = Fc(n_actions, name="pi")
        pi = MlpPolicy.pi_1(h)
        if not reuse or MlpPolicy.vf_1 is None:
            MlpPolicy.vf_1 = Fc(1, name="vf")
        if not reuse or MlpPolicy.vf_fc1 is None:
            MlpPolicy.vf_fc1 = Fc(32, name="vf_fc1")
        vf = MlpPolicy.vf_1(tf.tanh(MlpPolicy.vf_fc1(X)))[:, 0]
        self.X = X
        self.pi = pi
        self.vf = vf


step_model = MlpPolicy(4, 3, reuse=False)
train_model = MlpPolicy(20, 3, reuse=True)
