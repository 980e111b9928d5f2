import tensorflow as tf


tf.compat.v1.disable_eager_execution()  # graph-mode code is left in this file (see the report)
class SharedWeights(tf.keras.layers.Layer):
    """Keras layer holding the TF1 variables of scope ``shared_weights`` and the computations using them."""

    def __init__(self, name="shared_weights", **kwargs):
        super().__init__(name=name, **kwargs)
        self.shared_weights = self.add_weight(
            name="shared_weights",
            shape=[5, 2],
            initializer=tf.keras.initializers.RandomNormal(mean=0.0, stddev=1.0),
        )
        self.built = True  # holds weights only: Keras never calls it to build it


shared_weights = SharedWeights()


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
x1 = tf.compat.v1.placeholder(tf.float32, shape=[None, 5])
y1 = layer1(x1)


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
x2 = tf.compat.v1.placeholder(tf.float32, shape=[None, 5])
y2 = layer2(x2)

# ... further model definition and training
