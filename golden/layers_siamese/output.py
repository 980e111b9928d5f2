"""A siamese network (in the style of ywpkwon/siamese-tf): one tower applied to two inputs inside a
variable scope, the second time after `scope.reuse_variables()`, trained with a contrastive loss."""
import tensorflow as tf


tf.compat.v1.disable_eager_execution()  # graph-mode code is left in this file (see the report)
class FcLayer(tf.keras.layers.Layer):
    """Keras layer converted from the TF1 function ``fc_layer``."""

    def __init__(self, n_weight, name, **kwargs):
        super().__init__(name=name, **kwargs)
        self.n_weight = n_weight
        self.b = self.add_weight(
            name=name + 'b',
            shape=[n_weight],
            initializer=tf.keras.initializers.Constant(0.01),
            dtype=tf.float32,
        )

    def build(self, input_shape):
        bottom_shape = tf.TensorShape(input_shape)
        n_prev_weight = bottom_shape[1]
        initer = tf.keras.initializers.TruncatedNormal(stddev=0.01)
        self.w = self.add_weight(
            name=self.name + 'W',
            shape=[n_prev_weight, self.n_weight],
            initializer=initer,
            dtype=tf.float32,
        )

    def call(self, bottom):
        assert len(bottom.get_shape()) == 2
        fc = tf.nn.bias_add(tf.matmul(bottom, self.w), self.b)
        return fc


class Network(tf.keras.layers.Layer):
    """Keras layer converted from the TF1 function ``network``."""

    def __init__(self, name=None, **kwargs):
        super().__init__(name=name, **kwargs)
        self.fc1 = FcLayer(64, "fc1")
        self.fc2 = FcLayer(64, "fc2")
        self.fc3 = FcLayer(2, "fc3")

    def call(self, x):
        fc1 = self.fc1(x)
        ac1 = tf.nn.relu(fc1)
        fc2 = self.fc2(ac1)
        ac2 = tf.nn.relu(fc2)
        fc3 = self.fc3(ac2)
        return fc3


x1 = tf.compat.v1.placeholder(tf.float32, [None, 784])
x2 = tf.compat.v1.placeholder(tf.float32, [None, 784])


class Siamese(tf.keras.layers.Layer):
    """Keras layer holding the TF1 variables of scope ``siamese`` and the computations using them."""

    def __init__(self, name="siamese", **kwargs):
        super().__init__(name=name, **kwargs)
        self.network = Network()

    def call(self, x1):
        o1 = self.network(x1)
        return o1


siamese = Siamese()
o1 = siamese(x1)
o2 = siamese(x2)

# Contrastive loss: similar pairs (y_ = 1) pulled together, others pushed beyond the margin.
y_ = tf.compat.v1.placeholder(tf.float32, [None])
margin = 5.0
eucd2 = tf.reduce_sum(tf.pow(o1 - o2, 2), 1)
eucd = tf.sqrt(eucd2 + 1e-6)
neg = (1.0 - y_) * tf.pow(tf.maximum(margin - eucd, 0.0), 2)
loss = tf.reduce_mean(y_ * eucd2 + neg)
