"""Regression with a one-hidden-layer network: placeholders, Adam, a Session loop and a prediction."""
import numpy as np
import tensorflow as tf


def numpy_results(function):
    """Session.run returned numpy values; so do the functions that replace it."""

    def call(*args, **kwargs):
        results = function(*args, **kwargs)
        return tf.nest.map_structure(lambda value: value.numpy() if hasattr(value, "numpy") else value, results)

    return call


rng = np.random.RandomState(0)


class Model(tf.keras.layers.Layer):
    """Keras layer holding the module-level TF1 variables and the computations using them."""

    def __init__(self, name=None, **kwargs):
        super().__init__(name=name, **kwargs)
        initial_w = tf.convert_to_tensor(rng.randn(4, 8).astype(np.float32) * 0.5)
        self.w = self.add_weight(
            name="w",
            shape=initial_w.shape,
            dtype=initial_w.dtype,
            initializer=tf.keras.initializers.Constant(initial_w),
        )
        initial_b = tf.convert_to_tensor(np.zeros(8, np.float32))
        self.b = self.add_weight(
            name="b",
            shape=initial_b.shape,
            dtype=initial_b.dtype,
            initializer=tf.keras.initializers.Constant(initial_b),
        )
        initial_v = tf.convert_to_tensor(rng.randn(8, 1).astype(np.float32) * 0.5)
        self.v = self.add_weight(
            name="v",
            shape=initial_v.shape,
            dtype=initial_v.dtype,
            initializer=tf.keras.initializers.Constant(initial_v),
        )

    def call(self, x):
        # the model
        hidden = tf.tanh(tf.matmul(x, self.w) + self.b)
        prediction = tf.matmul(hidden, self.v)
        return prediction


model = Model()

optimizer = tf.keras.optimizers.Adam(
    learning_rate=0.01, beta_1=0.8999999761581421, beta_2=0.9990000128746033, epsilon=1e-08
)


@numpy_results
@tf.function(input_signature=[
    tf.TensorSpec([None, 4], tf.float32),
    tf.TensorSpec([None, 1], tf.float32),
])
def train_step(x, y):
    """Computes what sess.run([train_op, loss]) fetched."""
    with tf.GradientTape() as tape:
        # the model
        prediction = model(x)
        loss = tf.reduce_mean(tf.square(prediction - y))
    variables = tape.watched_variables()
    gradients = tape.gradient(loss, variables)
    optimizer.apply_gradients(zip(gradients, variables))
    return [None, loss]


@numpy_results
@tf.function(input_signature=[tf.TensorSpec([None, 4], tf.float32)])
def compute_prediction(x):
    """Computes what sess.run(prediction) fetched."""
    # the model
    prediction = model(x)
    return prediction


data = rng.randn(64, 4).astype(np.float32)
target = np.sum(data, axis=1, keepdims=True)
for step in range(40):
    _, loss_value = train_step(x=data, y=target)
    print("step %d loss %.8f" % (step, loss_value))
print(compute_prediction(x=data[:3]))
