"""Linear regression in the style of the TF1 tutorials: an InteractiveSession, op.run() and tensor.eval()."""
import numpy as np
import tensorflow as tf


def numpy_results(function):
    """Session.run returned numpy values; so do the functions that replace it."""

    def call(*args, **kwargs):
        results = function(*args, **kwargs)
        return tf.nest.map_structure(lambda value: value.numpy() if hasattr(value, "numpy") else value, results)

    return call


rng = np.random.RandomState(6)
train_X = rng.rand(30, 1).astype(np.float32) * 10
train_Y = 2.0 * train_X + 1.0 + rng.randn(30, 1).astype(np.float32) * 0.5


class Model(tf.keras.layers.Layer):
    """Keras layer holding the module-level TF1 variables and the computations using them."""

    def __init__(self, name=None, **kwargs):
        super().__init__(name=name, **kwargs)
        initial_w = tf.convert_to_tensor([[0.3]])
        self.w = self.add_weight(
            name="w",
            shape=initial_w.shape,
            dtype=initial_w.dtype,
            initializer=tf.keras.initializers.Constant(initial_w),
        )
        initial_b = tf.convert_to_tensor([0.1])
        self.b = self.add_weight(
            name="b",
            shape=initial_b.shape,
            dtype=initial_b.dtype,
            initializer=tf.keras.initializers.Constant(initial_b),
        )

    def call(self, X):
        pred = tf.matmul(X, self.w) + self.b
        return pred


model = Model()
W = model.w
b = model.b
optimizer = tf.keras.optimizers.SGD(learning_rate=0.01)


@numpy_results
@tf.function(input_signature=[
    tf.TensorSpec([None, 1], tf.float32),
    tf.TensorSpec([None, 1], tf.float32),
])
def train_step(X, Y):
    """Runs what optimizer.run() ran."""
    with tf.GradientTape() as tape:
        pred = model(X)
        cost = tf.reduce_mean(tf.square(pred - Y)) / 2
    variables = tape.watched_variables()
    gradients = tape.gradient(cost, variables)
    optimizer.apply_gradients(zip(gradients, variables))
    return None


@numpy_results
@tf.function(input_signature=[
    tf.TensorSpec([None, 1], tf.float32),
    tf.TensorSpec([None, 1], tf.float32),
])
def compute_cost(X, Y):
    """Computes what cost.eval() returned."""
    pred = model(X)
    cost = tf.reduce_mean(tf.square(pred - Y)) / 2
    return cost


@numpy_results
@tf.function
def compute_W():
    """Computes what W.eval() returned."""
    return W


@numpy_results
@tf.function
def compute_b():
    """Computes what b.eval() returned."""
    return b


@numpy_results
@tf.function(input_signature=[tf.TensorSpec([None, 1], tf.float32)])
def compute_pred(X):
    """Computes what pred.eval() returned."""
    pred = model(X)
    return pred


for epoch in range(20):
    train_step(X=train_X, Y=train_Y)
    if epoch % 5 == 0:
        c = compute_cost(X=train_X, Y=train_Y)
        print("epoch %d cost %.6f W %.6f b %.6f" % (epoch, c, compute_W()[0, 0], compute_b()[0]))
print("final cost %.6f" % compute_cost(X=train_X, Y=train_Y))
print("prediction", compute_pred(X=[[1.0], [2.0]]))
