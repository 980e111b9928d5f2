import tensorflow as tf


tf.compat.v1.disable_eager_execution()  # graph-mode code is left in this file (see the report)
class MyLayer(tf.keras.layers.Layer):
    """Keras layer holding the TF1 variables of scope ``my_layer`` and the computations using them."""

    def __init__(self, name="my_layer", **kwargs):
        super().__init__(name=name, **kwargs)
        self.weights_ = self.add_weight(
            name="weights",
            shape=[10, 5],
            initializer=tf.keras.initializers.RandomNormal(mean=0.0, stddev=1.0),
        )
        self.biases = self.add_weight(
            name="biases",
            shape=[5],
            initializer=tf.keras.initializers.Zeros(),
        )

    def call(self, x1):
        y1 = tf.matmul(x1, self.weights_) + self.biases
        return y1


my_layer = MyLayer()
x1 = tf.compat.v1.placeholder(tf.float32, shape=[None, 10])
y1 = my_layer(x1)
x2 = tf.compat.v1.placeholder(tf.float32, shape=[None, 10])
y2 = my_layer(x2)

# ... further model definition and training
