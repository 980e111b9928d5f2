"""One small regression model per TF1 optimizer, all trained by a single sess.run on the same batches."""
import numpy as np
import tensorflow as tf


class RMSpropFromOne(tf.keras.optimizers.RMSprop):
    """RMSprop whose mean-square accumulator starts at 1.0, as TF1's RMSPropOptimizer's does."""

    def build(self, var_list):
        fresh = not (getattr(self, "built", False) or getattr(self, "_built", False))
        super().build(var_list)
        if fresh:
            with tf.init_scope():
                for velocity in self._velocities:
                    velocity.assign(tf.ones(velocity.shape, velocity.dtype))


def numpy_results(function):
    """Session.run returned numpy values; so do the functions that replace it."""

    def call(*args, **kwargs):
        results = function(*args, **kwargs)
        return tf.nest.map_structure(lambda value: value.numpy() if hasattr(value, "numpy") else value, results)

    return call


rng = np.random.RandomState(2)
START = rng.randn(3, 1).astype(np.float32)


class Regression(tf.keras.layers.Layer):
    """Keras layer converted from the TF1 function ``regression``."""

    def __init__(self, name=None, **kwargs):
        super().__init__(name=name, **kwargs)
        self.w = self.add_weight(
            name="w",
            shape=[3, 1],
            initializer=tf.keras.initializers.Constant(value=START),
        )
        self.b = self.add_weight(name="b", shape=[1], initializer=tf.keras.initializers.Zeros())

    def call(self, x):
        return tf.matmul(x, self.w) + self.b


sgd_1 = Regression(name="sgd")
momentum_1 = Regression(name="momentum")
nesterov_1 = Regression(name="nesterov")
rmsprop_1 = Regression(name="rmsprop")
centered_1 = Regression(name="centered")
adagrad_1 = Regression(name="adagrad")
adadelta_1 = Regression(name="adadelta")

sgd_optimizer = tf.keras.optimizers.SGD(learning_rate=0.05)
momentum_optimizer = tf.keras.optimizers.SGD(learning_rate=0.05, momentum=0.9)
nesterov_optimizer = tf.keras.optimizers.SGD(learning_rate=0.05, momentum=0.9, nesterov=True)
rmsprop_optimizer = RMSpropFromOne(learning_rate=0.01, rho=0.8999999761581421, epsilon=1e-10)
centered_optimizer = RMSpropFromOne(
    learning_rate=0.01, rho=0.800000011920929, momentum=0.5, epsilon=1e-10, centered=True
)
adagrad_optimizer = tf.keras.optimizers.Adagrad(
    learning_rate=0.3, initial_accumulator_value=0.1, epsilon=0.0
)
adadelta_optimizer = tf.keras.optimizers.Adadelta(
    learning_rate=1.0, rho=0.949999988079071, epsilon=1e-08
)


@numpy_results
@tf.function(input_signature=[
    tf.TensorSpec([None, 3], tf.float32),
    tf.TensorSpec([None, 1], tf.float32),
])
def train_step(x, y):
    """Computes what sess.run([[sgd, momentum, nesterov, rmsprop, c...) fetched."""
    with tf.GradientTape(persistent=True) as tape:
        sgd_loss = tf.reduce_mean(tf.square(sgd_1(x) - y))
        momentum_loss = tf.reduce_mean(tf.square(momentum_1(x) - y))
        nesterov_loss = tf.reduce_mean(tf.square(nesterov_1(x) - y))
        rmsprop_loss = tf.reduce_mean(tf.square(rmsprop_1(x) - y))
        centered_loss = tf.reduce_mean(tf.square(centered_1(x) - y))
        adagrad_loss = tf.reduce_mean(tf.square(adagrad_1(x) - y))
        adadelta_loss = tf.reduce_mean(tf.square(adadelta_1(x) - y))
    variables = tape.watched_variables()
    losses = {"sgd": sgd_loss, "momentum": momentum_loss, "nesterov": nesterov_loss, "rmsprop": rmsprop_loss,
              "centered": centered_loss, "adagrad": adagrad_loss, "adadelta": adadelta_loss}
    sgd_gradients = tape.gradient(sgd_loss, variables)
    sgd_optimizer.apply_gradients([(g, v) for g, v in zip(sgd_gradients, variables) if g is not None])
    momentum_gradients = tape.gradient(momentum_loss, variables)
    momentum_optimizer.apply_gradients([(g, v) for g, v in zip(momentum_gradients, variables) if g is not None])
    nesterov_gradients = tape.gradient(nesterov_loss, variables)
    nesterov_optimizer.apply_gradients([(g, v) for g, v in zip(nesterov_gradients, variables) if g is not None])
    rmsprop_gradients = tape.gradient(rmsprop_loss, variables)
    rmsprop_optimizer.apply_gradients([(g, v) for g, v in zip(rmsprop_gradients, variables) if g is not None])
    centered_gradients = tape.gradient(centered_loss, variables)
    centered_optimizer.apply_gradients([(g, v) for g, v in zip(centered_gradients, variables) if g is not None])
    adagrad_gradients = tape.gradient(adagrad_loss, variables)
    adagrad_optimizer.apply_gradients([(g, v) for g, v in zip(adagrad_gradients, variables) if g is not None])
    adadelta_gradients = tape.gradient(adadelta_loss, variables)
    adadelta_optimizer.apply_gradients([(g, v) for g, v in zip(adadelta_gradients, variables) if g is not None])
    return [[None, None, None, None, None, None, None], losses]


data = rng.randn(16, 3).astype(np.float32)
target = data.dot(np.array([[1.0], [-2.0], [0.5]], np.float32)) + 0.3
for step in range(25):
    _, values = train_step(x=data, y=target)
    print(step, " ".join("%s=%.7f" % (name, values[name]) for name in sorted(values)))
