"""A multilayer perceptron in the style of the classic TF1 examples: dicts of tf.Variable, a model function,
GradientDescentOptimizer, mini-batches, and an accuracy built after training inside the session."""
import numpy as np
import tensorflow as tf


def numpy_results(function):
    """Session.run returned numpy values; so do the functions that replace it."""

    def call(*args, **kwargs):
        results = function(*args, **kwargs)
        return tf.nest.map_structure(lambda value: value.numpy() if hasattr(value, "numpy") else value, results)

    return call


# Parameters
learning_rate = 0.5
training_epochs = 6
batch_size = 20
display_step = 1

# Network parameters
n_hidden_1 = 16
n_hidden_2 = 16
n_input = 8
n_classes = 3

rng = np.random.RandomState(8)
features = rng.randn(100, n_input).astype(np.float32)
classes = (features[:, 0] > 0).astype(int) + (features[:, 1] > 0.5).astype(int)
labels = np.eye(n_classes)[classes].astype(np.float32)


def start(*shape):
    return rng.randn(*shape).astype(np.float32) * 0.3


class MultilayerPerceptron(tf.keras.layers.Layer):
    """The TF1 function ``multilayer_perceptron`` and the module-level variables it computes with."""

    def __init__(self, name=None, **kwargs):
        super().__init__(name=name, **kwargs)
        initial_weights_h1 = tf.convert_to_tensor(start(n_input, n_hidden_1))
        initial_weights_h2 = tf.convert_to_tensor(start(n_hidden_1, n_hidden_2))
        initial_weights_out = tf.convert_to_tensor(start(n_hidden_2, n_classes))
        self.weights_ = {
            'h1': self.add_weight(
                name="weights_h1",
                shape=initial_weights_h1.shape,
                dtype=initial_weights_h1.dtype,
                initializer=tf.keras.initializers.Constant(initial_weights_h1),
            ),
            'h2': self.add_weight(
                name="weights_h2",
                shape=initial_weights_h2.shape,
                dtype=initial_weights_h2.dtype,
                initializer=tf.keras.initializers.Constant(initial_weights_h2),
            ),
            'out': self.add_weight(
                name="weights_out",
                shape=initial_weights_out.shape,
                dtype=initial_weights_out.dtype,
                initializer=tf.keras.initializers.Constant(initial_weights_out),
            ),
        }
        initial_biases_b1 = tf.convert_to_tensor(np.zeros(n_hidden_1, np.float32))
        initial_biases_b2 = tf.convert_to_tensor(np.zeros(n_hidden_2, np.float32))
        initial_biases_out = tf.convert_to_tensor(np.zeros(n_classes, np.float32))
        self.biases = {
            'b1': self.add_weight(
                name="biases_b1",
                shape=initial_biases_b1.shape,
                dtype=initial_biases_b1.dtype,
                initializer=tf.keras.initializers.Constant(initial_biases_b1),
            ),
            'b2': self.add_weight(
                name="biases_b2",
                shape=initial_biases_b2.shape,
                dtype=initial_biases_b2.dtype,
                initializer=tf.keras.initializers.Constant(initial_biases_b2),
            ),
            'out': self.add_weight(
                name="biases_out",
                shape=initial_biases_out.shape,
                dtype=initial_biases_out.dtype,
                initializer=tf.keras.initializers.Constant(initial_biases_out),
            ),
        }

    def call(self, x):
        # Hidden fully connected layers with 16 neurons each
        layer_1 = tf.nn.relu(tf.add(tf.matmul(x, self.weights_['h1']), self.biases['b1']))
        layer_2 = tf.nn.relu(tf.add(tf.matmul(layer_1, self.weights_['h2']), self.biases['b2']))
        # Output fully connected layer with a neuron for each class
        out_layer = tf.matmul(layer_2, self.weights_['out']) + self.biases['out']
        return out_layer


multilayer_perceptron = MultilayerPerceptron()


optimizer = tf.keras.optimizers.SGD(learning_rate=learning_rate)


@numpy_results
@tf.function(input_signature=[
    tf.TensorSpec([None, n_input], "float"),
    tf.TensorSpec([None, n_classes], "float"),
])
def train_step(X, Y):
    """Computes what sess.run([train_op, loss_op]) fetched."""
    with tf.GradientTape() as tape:
        # Construct model
        logits = multilayer_perceptron(X)
        # Define loss and optimizer
        loss_op = tf.reduce_mean(tf.compat.v1.nn.softmax_cross_entropy_with_logits_v2(logits=logits, labels=Y))
    variables = tape.watched_variables()
    gradients = tape.gradient(loss_op, variables)
    optimizer.apply_gradients(zip(gradients, variables))
    return [None, loss_op]


# Training cycle
for epoch in range(training_epochs):
    avg_cost = 0.
    total_batch = int(len(features) / batch_size)
    # Loop over all batches
    for i in range(total_batch):
        batch_x = features[i * batch_size:(i + 1) * batch_size]
        batch_y = labels[i * batch_size:(i + 1) * batch_size]
        # Run optimization op (backprop) and cost op (to get loss value)
        _, c = train_step(X=batch_x, Y=batch_y)
        # Compute average loss
        avg_cost += c / total_batch
    # Display logs per epoch step
    if epoch % display_step == 0:
        print("Epoch:", '%04d' % (epoch + 1), "cost={:.9f}".format(avg_cost))
print("Optimization Finished!")


@numpy_results
@tf.function(input_signature=[
    tf.TensorSpec([None, n_input], "float"),
    tf.TensorSpec([None, n_classes], "float"),
])
def compute_accuracy(X, Y):
    """Computes what accuracy.eval() returned."""
    # Construct model
    logits = multilayer_perceptron(X)
    # Test model
    pred = tf.nn.softmax(logits)  # Apply softmax to logits
    correct_prediction = tf.equal(tf.argmax(pred, 1), tf.argmax(Y, 1))
    # Calculate accuracy
    accuracy = tf.reduce_mean(tf.cast(correct_prediction, "float"))
    return accuracy


print("Accuracy:", compute_accuracy(X=features, Y=labels))
