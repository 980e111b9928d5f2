import tensorflow as tf


tf.compat.v1.disable_eager_execution()  # graph-mode code is left in this file (see the report)
class MyDenseLayer(tf.keras.layers.Layer):
    """Keras layer holding the TF1 variables of scope ``my_dense_layer`` and the computations using them."""

    def __init__(self, name="my_dense_layer", **kwargs):
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

    def call(self, x):
        y = tf.matmul(x, self.weights_) + self.biases
        return y


my_dense_layer = MyDenseLayer()

x = tf.compat.v1.placeholder(tf.float32, shape=[None, 10])
y = my_dense_layer(x)

#Further model definition and training steps would follow...
