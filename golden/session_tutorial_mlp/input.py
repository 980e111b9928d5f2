"""A multilayer perceptron in the style of the classic TF1 examples: dicts of tf.Variable, a model function,
GradientDescentOptimizer, mini-batches, and an accuracy built after training inside the session."""
import numpy as np
import tensorflow as tf

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

# tf Graph input
X = tf.placeholder("float", [None, n_input])
Y = tf.placeholder("float", [None, n_classes])


def start(*shape):
    return rng.randn(*shape).astype(np.float32) * 0.3


# Store layers weight & bias
weights = {
    'h1': tf.Variable(start(n_input, n_hidden_1)),
    'h2': tf.Variable(start(n_hidden_1, n_hidden_2)),
    'out': tf.Variable(start(n_hidden_2, n_classes))
}
biases = {
    'b1': tf.Variable(np.zeros(n_hidden_1, np.float32)),
    'b2': tf.Variable(np.zeros(n_hidden_2, np.float32)),
    'out': tf.Variable(np.zeros(n_classes, np.float32))
}


# Create model
def multilayer_perceptron(x):
    # Hidden fully connected layers with 16 neurons each
    layer_1 = tf.nn.relu(tf.add(tf.matmul(x, weights['h1']), biases['b1']))
    layer_2 = tf.nn.relu(tf.add(tf.matmul(layer_1, weights['h2']), biases['b2']))
    # Output fully connected layer with a neuron for each class
    out_layer = tf.matmul(layer_2, weights['out']) + biases['out']
    return out_layer


# Construct model
logits = multilayer_perceptron(X)

# Define loss and optimizer
loss_op = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits_v2(logits=logits, labels=Y))
optimizer = tf.train.GradientDescentOptimizer(learning_rate=learning_rate)
train_op = optimizer.minimize(loss_op)
# Initializing the variables
init = tf.global_variables_initializer()

with tf.Session() as sess:
    sess.run(init)

    # Training cycle
    for epoch in range(training_epochs):
        avg_cost = 0.
        total_batch = int(len(features) / batch_size)
        # Loop over all batches
        for i in range(total_batch):
            batch_x = features[i * batch_size:(i + 1) * batch_size]
            batch_y = labels[i * batch_size:(i + 1) * batch_size]
            # Run optimization op (backprop) and cost op (to get loss value)
            _, c = sess.run([train_op, loss_op], feed_dict={X: batch_x, Y: batch_y})
            # Compute average loss
            avg_cost += c / total_batch
        # Display logs per epoch step
        if epoch % display_step == 0:
            print("Epoch:", '%04d' % (epoch + 1), "cost={:.9f}".format(avg_cost))
    print("Optimization Finished!")

    # Test model
    pred = tf.nn.softmax(logits)  # Apply softmax to logits
    correct_prediction = tf.equal(tf.argmax(pred, 1), tf.argmax(Y, 1))
    # Calculate accuracy
    accuracy = tf.reduce_mean(tf.cast(correct_prediction, "float"))
    print("Accuracy:", accuracy.eval({X: features, Y: labels}))
