"""Models as plain classes holding tf.Variable attributes (in the style of TF1 tutorials): a logistic
regression called like a function, and a two-layer network whose variables live under a scope."""
import tensorflow as tf


tf.compat.v1.disable_eager_execution()  # graph-mode code is left in this file (see the report)
class LogisticRegression(tf.keras.layers.Layer):
    """Softmax regression: y = softmax(x W + b)."""

    def __init__(self, n_in, n_out):
        super().__init__()
        self.W = self.add_weight(
            name="W",
            shape=[n_in, n_out],
            initializer=tf.keras.initializers.Zeros(),
        )
        self.b = self.add_weight(name="b", shape=[n_out], initializer=tf.keras.initializers.Zeros())

    def call(self, x):
        return tf.nn.softmax(tf.matmul(x, self.W) + self.b)


class TwoLayerNet(tf.keras.layers.Layer):
    def __init__(self, n_in, n_hidden, n_out, scope="two_layer_net"):
        super().__init__(name=scope)
        self.w1 = self.add_weight(
            name="w1",
            shape=[n_in, n_hidden],
            initializer=tf.keras.initializers.TruncatedNormal(mean=0.0, stddev=0.1),
        )
        self.b1 = self.add_weight(
            name="b1",
            shape=[n_hidden],
            initializer=tf.keras.initializers.Constant(value=0.1),
        )
        self.w2 = self.add_weight(
            name="w2",
            shape=[n_hidden, n_out],
            initializer=tf.keras.initializers.TruncatedNormal(mean=0.0, stddev=0.1),
        )
        self.b2 = self.add_weight(
            name="b2",
            shape=[n_out],
            initializer=tf.keras.initializers.Constant(value=0.1),
        )
        self.params = [self.w1, self.b1, self.w2, self.b2]

    def forward(self, x):
        hidden = tf.nn.relu(tf.matmul(x, self.w1) + self.b1)
        return tf.matmul(hidden, self.w2) + self.b2


x = tf.compat.v1.placeholder(tf.float32, [None, 20])
classifier = LogisticRegression(20, 5)
probabilities = classifier(x)

net = TwoLayerNet(20, 16, 3)
scores = net.forward(x)
