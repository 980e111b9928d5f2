""" Multilayer Perceptron (after aymericdamien/TensorFlow-Examples): weights and biases are dicts of
tf.Variable at module level, and a function computes the network from them."""
import tensorflow as tf

tf.compat.v1.disable_eager_execution()  # graph-mode code is left in this file (see the report)
# Parameters
learning_rate = 0.001

# Network Parameters
n_hidden_1 = 32  # 1st layer number of neurons
n_hidden_2 = 32  # 2nd layer number of neurons
n_input = 784  # MNIST data input (img shape: 28*28)
n_classes = 10  # MNIST total classes (0-9 digits)

# tf Graph input
X = tf.compat.v1.placeholder("float", [None, n_input])
Y = tf.compat.v1.placeholder("float", [None, n_classes])


class MultilayerPerceptron(tf.keras.layers.Layer):
    """The TF1 function ``multilayer_perceptron`` and the module-level variables it computes with."""

    def __init__(self, name=None, **kwargs):
        super().__init__(name=name, **kwargs)
        self.weights_ = {
            'h1': self.add_weight(
                name="weights_h1",
                shape=[n_input, n_hidden_1],
                initializer=tf.keras.initializers.RandomNormal(mean=0.0, stddev=1.0),
            ),
            'h2': self.add_weight(
                name="weights_h2",
                shape=[n_hidden_1, n_hidden_2],
                initializer=tf.keras.initializers.RandomNormal(mean=0.0, stddev=1.0),
            ),
            'out': self.add_weight(
                name="weights_out",
                shape=[n_hidden_2, n_classes],
                initializer=tf.keras.initializers.RandomNormal(mean=0.0, stddev=1.0),
            ),
        }
        self.biases = {
            'b1': self.add_weight(
                name="biases_b1",
                shape=[n_hidden_1],
                initializer=tf.keras.initializers.RandomNormal(mean=0.0, stddev=1.0),
            ),
            'b2': self.add_weight(
                name="biases_b2",
                shape=[n_hidden_2],
                initializer=tf.keras.initializers.RandomNormal(mean=0.0, stddev=1.0),
            ),
            'out': self.add_weight(
                name="biases_out",
                shape=[n_classes],
                initializer=tf.keras.initializers.RandomNormal(mean=0.0, stddev=1.0),
            ),
        }

    def call(self, x):
        # Hidden fully connected layer with 256 neurons
        layer_1 = tf.add(tf.matmul(x, self.weights_['h1']), self.biases['b1'])
        # Hidden fully connected layer with 256 neurons
        layer_2 = tf.add(tf.matmul(layer_1, self.weights_['h2']), self.biases['b2'])
        # Output fully connected layer with a neuron for each class
        out_layer = tf.matmul(layer_2, self.weights_['out']) + self.biases['out']
        return out_layer


multilayer_perceptron = MultilayerPerceptron()


# Construct model
logits = multilayer_perceptron(X)

# Define loss and optimizer
loss_op = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(logits=logits, labels=tf.stop_gradient(Y)))
optimizer = tf.compat.v1.train.AdamOptimizer(learning_rate=learning_rate)
train_op = optimizer.minimize(loss_op)
