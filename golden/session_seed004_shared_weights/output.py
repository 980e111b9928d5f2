"""Seed 004's second example (one weight matrix shared by two layers under their own variable scopes)
with the training steps the seed says "would follow". Initial values come from numpy so that TF1 and the
converted program start from the same weights."""
import numpy as np
import tensorflow as tf


def numpy_results(function):
    """Session.run returned numpy values; so do the functions that replace it."""

    def call(*args, **kwargs):
        results = function(*args, **kwargs)
        return tf.nest.map_structure(lambda value: value.numpy() if hasattr(value, "numpy") else value, results)

    return call


rng = np.random.RandomState(9)


class SharedWeights(tf.keras.layers.Layer):
    """Keras layer holding the TF1 variables of scope ``shared_weights`` and the computations using them."""

    def __init__(self, name="shared_weights", **kwargs):
        super().__init__(name=name, **kwargs)
        self.shared_weights = self.add_weight(
            name="shared_weights",
            shape=[5, 2],
            initializer=tf.keras.initializers.Constant(value=rng.randn(5, 2).astype(np.float32)),
        )
        self.built = True  # holds weights only: Keras never calls it to build it


shared_weights = SharedWeights()
W = shared_weights.shared_weights


class Layer1(tf.keras.layers.Layer):
    """Keras layer holding the TF1 variables of scope ``layer1`` and the computations using them."""

    def __init__(self, shared_weights, name="layer1", **kwargs):
        super().__init__(name=name, **kwargs)
        self.shared_weights = shared_weights
        self.biases = self.add_weight(
            name="biases",
            shape=[2],
            initializer=tf.keras.initializers.Zeros(),
        )

    def call(self, x1):
        y1 = tf.matmul(x1, self.shared_weights.shared_weights) + self.biases
        return y1


layer1 = Layer1(shared_weights)


class Layer2(tf.keras.layers.Layer):
    """Keras layer holding the TF1 variables of scope ``layer2`` and the computations using them."""

    def __init__(self, shared_weights, name="layer2", **kwargs):
        super().__init__(name=name, **kwargs)
        self.shared_weights = shared_weights
        self.biases = self.add_weight(
            name="biases",
            shape=[2],
            initializer=tf.keras.initializers.Zeros(),
        )

    def call(self, x2):
        y2 = tf.matmul(x2, self.shared_weights.shared_weights) + self.biases
        return y2


layer2 = Layer2(shared_weights)

optimizer = tf.keras.optimizers.Adam(
    learning_rate=0.05, beta_1=0.8999999761581421, beta_2=0.9990000128746033, epsilon=1e-08
)


@numpy_results
@tf.function(input_signature=[
    tf.TensorSpec([None, 5], tf.float32),
    tf.TensorSpec([None, 5], tf.float32),
    tf.TensorSpec([None, 2], tf.float32),
])
def train_step(x1, x2, target):
    """Computes what sess.run([train_op, loss]) fetched."""
    with tf.GradientTape() as tape:
        y1 = layer1(x1)
        y2 = layer2(x2)
        loss = tf.reduce_mean(tf.square(y1 - target)) + tf.reduce_mean(tf.square(y2 + target))
    variables = tape.watched_variables()
    gradients = tape.gradient(loss, variables)
    optimizer.apply_gradients(zip(gradients, variables))
    return [None, loss]


@numpy_results
@tf.function
def compute_W():
    """Computes what sess.run(W) fetched."""
    return W


a = rng.randn(16, 5).astype(np.float32)
b = rng.randn(16, 5).astype(np.float32)
t = rng.randn(16, 2).astype(np.float32)
for step in range(20):
    _, value = train_step(x1=a, x2=b, target=t)
    print("step %d loss %.7f" % (step, value))
print(compute_W())
