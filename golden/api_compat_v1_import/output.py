"""The TF1 way of running on TF 2.x: compat.v1 imported as tf, v2 behaviour switched off."""
import numpy as np
import tensorflow as tf


def numpy_results(function):
    """Session.run returned numpy values; so do the functions that replace it."""

    def call(*args, **kwargs):
        results = function(*args, **kwargs)
        return tf.nest.map_structure(lambda value: value.numpy() if hasattr(value, "numpy") else value, results)

    return call



class Model(tf.keras.layers.Layer):
    """Keras layer holding the module-level TF1 variables and the computations using them."""

    def __init__(self, name=None, **kwargs):
        super().__init__(name=name, **kwargs)
        self.w = self.add_weight(
            name="w",
            shape=[4, 2],
            initializer=tf.keras.initializers.GlorotUniform(),
        )

    def call(self, x):
        y = tf.nn.relu(tf.matmul(x, self.w))
        return y


model = Model()


@numpy_results
@tf.function(input_signature=[tf.TensorSpec([None, 4], tf.float32)])
def compute_total(x):
    """Computes what sess.run(total) fetched."""
    y = model(x)
    total = tf.reduce_sum(y, axis=1, keepdims=True)
    return total


print(compute_total(x=np.ones([3, 4], np.float32)))
