"""Batch normalization driven by an is_training placeholder: training steps update the moving statistics."""
import numpy as np
import tensorflow as tf


def numpy_results(function):
    """Session.run returned numpy values; so do the functions that replace it."""

    def call(*args, **kwargs):
        results = function(*args, **kwargs)
        return tf.nest.map_structure(lambda value: value.numpy() if hasattr(value, "numpy") else value, results)

    return call


class unchanged_moving_statistics:
    """TF1 updated batch normalization's moving statistics only when the UPDATE_OPS ran (with the train op);
    Keras updates them at every call in training mode. Around a run in training mode without the update
    ops, this puts them back as they were (at their initial values for a layer built by the run)."""

    def __init__(self, *layers, training=True):
        self.layers = list(layers) if training else []

    def __enter__(self):
        self.saved = [(layer, [tf.identity(v) for v in (layer.moving_mean, layer.moving_variance)])
                      for layer in self.layers if layer.built]
        self.unbuilt = [layer for layer in self.layers if not layer.built]

    def __exit__(self, *exc_info):
        for layer, values in self.saved:
            for variable, value in zip((layer.moving_mean, layer.moving_variance), values):
                variable.assign(value)
        for layer in self.unbuilt:
            for variable, initializer in ((layer.moving_mean, layer.moving_mean_initializer),
                                          (layer.moving_variance, layer.moving_variance_initializer)):
                variable.assign(initializer(variable.shape, variable.dtype))


rng = np.random.RandomState(0)
features = (rng.randn(32, 6) * 3.0 + 1.0).astype(np.float32)
targets = (features[:, :1] * 0.5 - features[:, 1:2]).astype(np.float32)
hidden_kernel = (rng.randn(6, 8) * 0.3).astype(np.float32)
output_kernel = (rng.randn(8, 1) * 0.3).astype(np.float32)

norm = tf.keras.layers.BatchNormalization(momentum=0.9, name="norm")
hidden_1 = tf.keras.layers.Dense(units=8, kernel_initializer=tf.keras.initializers.Constant(value=hidden_kernel), name="hidden")
output = tf.keras.layers.Dense(units=1, kernel_initializer=tf.keras.initializers.Constant(value=output_kernel), name="output")

optimizer = tf.keras.optimizers.SGD(learning_rate=0.05)


@numpy_results
# is_training: a Python bool (Keras' training=), not a tensor: two traces, one per mode
@tf.function(reduce_retracing=True)
def train_step(x, y, is_training=False):
    """Computes what sess.run([train_op, loss]) fetched."""
    x = tf.cast(x, tf.float32)
    y = tf.cast(y, tf.float32)
    with tf.GradientTape() as tape:
        hidden = hidden_1(x)
        hidden = tf.nn.relu(norm(hidden, training=is_training))
        prediction = output(hidden)
        # a larger weight on the error outside training, chosen by the same placeholder
        loss = tf.reduce_mean(tf.square(prediction - y)) * tf.cond(tf.constant(is_training), lambda: 1.0, lambda: 2.0)
    variables = tape.watched_variables()
    gradients = tape.gradient(loss, variables)
    optimizer.apply_gradients(zip(gradients, variables))
    return [None, loss]


@numpy_results
@tf.function
def compute_norm_moving_mean():
    """Computes what sess.run(norm.moving_mean) fetched."""
    return norm.moving_mean


@numpy_results
@tf.function
def compute_norm_moving_variance():
    """Computes what sess.run(norm.moving_variance) fetched."""
    return norm.moving_variance


@numpy_results
# is_training: a Python bool (Keras' training=), not a tensor: two traces, one per mode
@tf.function(reduce_retracing=True)
def compute_loss(x, y, is_training=False):
    """Computes what sess.run(loss) fetched."""
    x = tf.cast(x, tf.float32)
    y = tf.cast(y, tf.float32)
    with unchanged_moving_statistics(norm, training=is_training):
        hidden = hidden_1(x)
        hidden = tf.nn.relu(norm(hidden, training=is_training))
        prediction = output(hidden)
        # a larger weight on the error outside training, chosen by the same placeholder
        loss = tf.reduce_mean(tf.square(prediction - y)) * tf.cond(tf.constant(is_training), lambda: 1.0, lambda: 2.0)
    return loss


for step in range(5):
    batch = slice(8 * (step % 4), 8 * (step % 4) + 8)
    _, training_loss = train_step(x=features[batch], y=targets[batch], is_training=True)
    print(step, "training loss", training_loss)
print("moving mean", compute_norm_moving_mean())
print("moving variance", compute_norm_moving_variance())
print("inference loss", compute_loss(x=features, y=targets))
# in training mode, without the train op (and its UPDATE_OPS): the moving statistics stay
print("batch-statistics loss", compute_loss(x=features, y=targets, is_training=True))
print("moving mean after", compute_norm_moving_mean())
