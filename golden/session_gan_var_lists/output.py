"""A tiny GAN in the DCGAN style: d_/g_ variables, three Adam train ops on disjoint variable lists."""
import numpy as np
import tensorflow as tf


def numpy_results(function):
    """Session.run returned numpy values; so do the functions that replace it."""

    def call(*args, **kwargs):
        results = function(*args, **kwargs)
        return tf.nest.map_structure(lambda value: value.numpy() if hasattr(value, "numpy") else value, results)

    return call


rng = np.random.RandomState(1)
SHAPES = {"g_w": (2, 8), "g_v": (8, 3), "d_w": (3, 8), "d_v": (8, 1)}
START = {name: rng.randn(*shape).astype(np.float32) * 0.3 for name, shape in sorted(SHAPES.items())}


def init(name):
    return tf.constant_initializer(START[name])


class Generator(tf.keras.layers.Layer):
    """Keras layer converted from the TF1 function ``generator``."""

    def __init__(self, name="generator", **kwargs):
        super().__init__(name=name, **kwargs)
        self.g_w = self.add_weight(name="g_w", shape=[2, 8], initializer=init("g_w"))
        self.g_b = self.add_weight(name="g_b", shape=[8], initializer=tf.keras.initializers.Zeros())
        self.g_v = self.add_weight(name="g_v", shape=[8, 3], initializer=init("g_v"))

    def call(self, z):
        return tf.matmul(tf.tanh(tf.matmul(z, self.g_w) + self.g_b), self.g_v)


class Discriminator(tf.keras.layers.Layer):
    """Keras layer converted from the TF1 function ``discriminator``."""

    def __init__(self, name="discriminator", **kwargs):
        super().__init__(name=name, **kwargs)
        self.d_w = self.add_weight(name="d_w", shape=[3, 8], initializer=init("d_w"))
        self.d_v = self.add_weight(name="d_v", shape=[8, 1], initializer=init("d_v"))

    def call(self, x):
        return tf.matmul(tf.nn.relu(tf.matmul(x, self.d_w)), self.d_v)


generator = Generator()
discriminator = Discriminator()

d_vars = discriminator.trainable_variables
g_vars = generator.trainable_variables
d_optimizer = tf.keras.optimizers.Adam(
    learning_rate=0.01, beta_1=0.5, beta_2=0.9990000128746033, epsilon=1e-08
)
g_optimizer = tf.keras.optimizers.Adam(
    learning_rate=0.01, beta_1=0.5, beta_2=0.9990000128746033, epsilon=1e-08
)


@numpy_results
@tf.function(input_signature=[
    tf.TensorSpec([None, 2], tf.float32),
    tf.TensorSpec([None, 3], tf.float32),
])
def d_step(z, real):
    """Computes what sess.run([d_optim, d_loss]) fetched."""
    with tf.GradientTape() as tape:
        fake = generator(z)
        d_real = discriminator(real)
        d_fake = discriminator(fake)
        d_loss = tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(logits=d_real, labels=tf.ones_like(d_real))) + \
            tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(logits=d_fake, labels=tf.zeros_like(d_fake)))
    gradients = tape.gradient(d_loss, d_vars)
    d_optimizer.apply_gradients(zip(gradients, d_vars))
    return [None, d_loss]


@numpy_results
@tf.function(input_signature=[tf.TensorSpec([None, 2], tf.float32)])
def g_step(z):
    """Computes what sess.run([g_optim, g_loss]) fetched."""
    with tf.GradientTape() as tape:
        fake = generator(z)
        d_fake = discriminator(fake)
        g_loss = tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(logits=d_fake, labels=tf.ones_like(d_fake)))
    gradients = tape.gradient(g_loss, g_vars)
    g_optimizer.apply_gradients(zip(gradients, g_vars))
    return [None, g_loss]


data = rng.randn(32, 3).astype(np.float32) + 2.0
for step in range(15):
    noise = rng.uniform(-1, 1, [32, 2]).astype(np.float32)
    _, d_value = d_step(z=noise, real=data)
    _, g_value = g_step(z=noise)
    # run g_optim twice to make sure that d_loss does not go to zero (as DCGAN does)
    _, g_value = g_step(z=noise)
    print("step %d d_loss %.6f g_loss %.6f" % (step, d_value, g_value))
