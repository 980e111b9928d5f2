"""Models as plain classes holding tf.Variable attributes (in the style of TF1 tutorials): a logistic
regression called like a function, and a two-layer network whose variables live under a scope."""
import tensorflow as tf


class LogisticRegression(object):
    """Softmax regression: y = softmax(x W + b)."""

    def __init__(self, n_in, n_out):
        self.W = tf.Variable(tf.zeros([n_in, n_out]), name="W")
        self.b = tf.Variable(tf.zeros([n_out]), name="b")

    def __call__(self, x):
        return tf.nn.softmax(tf.matmul(x, self.W) + self.b)


class TwoLayerNet:
    def __init__(self, n_in, n_hidden, n_out, scope="two_layer_net"):
        with tf.variable_scope(scope):
            self.w1 = tf.get_variable("w1", [n_in, n_hidden], initializer=tf.truncated_normal_initializer(stddev=0.1))
            self.b1 = tf.get_variable("b1", [n_hidden], initializer=tf.constant_initializer(0.1))
            self.w2 = tf.get_variable("w2", [n_hidden, n_out], initializer=tf.truncated_normal_initializer(stddev=0.1))
            self.b2 = tf.get_variable("b2", [n_out], initializer=tf.constant_initializer(0.1))
        self.params = [self.w1, self.b1, self.w2, self.b2]

    def forward(self, x):
        hidden = tf.nn.relu(tf.matmul(x, self.w1) + self.b1)
        return tf.matmul(hidden, self.w2) + self.b2


x = tf.placeholder(tf.float32, [None, 20])
classifier = LogisticRegression(20, 5)
probabilities = classifier(x)

net = TwoLayerNet(20, 16, 3)
scores = net.forward(x)
