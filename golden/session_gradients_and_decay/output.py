"""compute_gradients/apply_gradients with clipped gradients, Momentum with a decaying learning rate (kept as
TF1's optimizer, which Keras cannot reproduce) and Adam with a learning rate fed at every step."""
import numpy as np
import tensorflow as tf


def numpy_results(function):
    """Session.run returned numpy values; so do the functions that replace it."""

    def call(*args, **kwargs):
        results = function(*args, **kwargs)
        return tf.nest.map_structure(lambda value: value.numpy() if hasattr(value, "numpy") else value, results)

    return call


rng = np.random.RandomState(5)
START = {name: rng.randn(4, 1).astype(np.float32) for name in ("clipped", "momentum", "fed")}


class Linear(tf.keras.layers.Layer):
    """Keras layer converted from the TF1 function ``linear``."""

    def __init__(self, start, name=None, **kwargs):
        super().__init__(name=name, **kwargs)
        self.w = self.add_weight(
            name="w",
            shape=[4, 1],
            initializer=tf.keras.initializers.Constant(value=start),
        )

    def call(self, x):
        return tf.matmul(x, self.w)


clipped = Linear(START["clipped"], name="clipped")
momentum = Linear(START["momentum"], name="momentum")
fed = Linear(START["fed"], name="fed")

sgd = tf.keras.optimizers.SGD(learning_rate=0.1)

step = tf.compat.v1.train.get_or_create_global_step()
decayed = tf.compat.v1.train.exponential_decay(0.05, step, 4, 0.5)
momentum_optimizer = tf.compat.v1.train.MomentumOptimizer(decayed, 0.9)

fed_optimizer = tf.keras.optimizers.Adam(
    learning_rate=0.0, beta_1=0.8999999761581421, beta_2=0.9990000128746033, epsilon=1e-08
)


@numpy_results
@tf.function(input_signature=[
    tf.TensorSpec([None, 4], tf.float32),
    tf.TensorSpec([None, 1], tf.float32),
])
def clipped_step(x, y):
    """Computes what sess.run([clipped_step, clipped_loss]) fetched."""
    with tf.GradientTape() as tape:
        clipped_loss = tf.reduce_mean(tf.square(clipped(x) - y))
    variables = tape.watched_variables()
    grads_and_vars = list(zip(tape.gradient(clipped_loss, variables), variables))
    capped = [(tf.clip_by_value(grad, -0.5, 0.5), var) for grad, var in grads_and_vars if grad is not None]
    sgd.apply_gradients(capped)
    return [None, clipped_loss]


@numpy_results
@tf.function(input_signature=[
    tf.TensorSpec([None, 4], tf.float32),
    tf.TensorSpec([None, 1], tf.float32),
])
def momentum_step(x, y):
    """Computes what sess.run([momentum_step, momentum_loss]) fetched."""
    with tf.GradientTape() as tape:
        momentum_loss = tf.reduce_mean(tf.square(momentum(x) - y))
    variables = tape.watched_variables()
    gradients = tape.gradient(momentum_loss, variables)
    momentum_optimizer.apply_gradients(zip(gradients, variables), global_step=step)
    return [None, momentum_loss]


@numpy_results
@tf.function(input_signature=[
    tf.TensorSpec([None, 4], tf.float32),
    tf.TensorSpec([None, 1], tf.float32),
    tf.TensorSpec([], tf.float32),
])
def fed_step(x, y, rate):
    """Computes what sess.run([fed_step, fed_loss]) fetched."""
    with tf.GradientTape() as tape:
        fed_loss = tf.reduce_mean(tf.square(fed(x) - y))
    variables = tape.watched_variables()
    fed_optimizer.learning_rate = rate
    gradients = tape.gradient(fed_loss, variables)
    fed_optimizer.apply_gradients(zip(gradients, variables))
    return [None, fed_loss]


data = rng.randn(20, 4).astype(np.float32)
target = data.sum(axis=1, keepdims=True)
for i in range(16):
    feed = {"x": data, "y": target}
    _, clipped_value = clipped_step(x=feed["x"], y=feed["y"])
    _, momentum_value = momentum_step(x=feed["x"], y=feed["y"])
    _, fed_value = fed_step(x=data, y=target, rate=0.1 / (1 + i))
    print("%2d clipped %.7f momentum %.7f fed %.7f" % (i, clipped_value, momentum_value, fed_value))
