"""A small CNN trained with RMSProp, gradients clipped by their global norm, a decaying learning rate."""
import numpy as np
import tensorflow as tf


class RMSpropFromOne(tf.keras.optimizers.RMSprop):
    """RMSprop whose mean-square accumulator starts at 1.0, as TF1's RMSPropOptimizer's does."""

    def build(self, var_list):
        fresh = not (getattr(self, "built", False) or getattr(self, "_built", False))
        super().build(var_list)
        if fresh:
            with tf.init_scope():
                for velocity in self._velocities:
                    velocity.assign(tf.ones(velocity.shape, velocity.dtype))


def graph_variables(*holders, trainable=True):
    """What tf.trainable_variables() (tf.global_variables() with trainable=False) listed in TF1: the
    variables of these layers and variables, in the order given."""
    found = []
    for holder in tf.nest.flatten(list(holders)):
        variables = getattr(holder, "trainable_variables" if trainable else "variables", None)
        for variable in [holder] if variables is None else variables:
            if (variable.trainable or not trainable) and all(variable is not seen for seen in found):
                found.append(variable)
    return found


def numpy_results(function):
    """Session.run returned numpy values; so do the functions that replace it."""

    def call(*args, **kwargs):
        results = function(*args, **kwargs)
        return tf.nest.map_structure(lambda value: value.numpy() if hasattr(value, "numpy") else value, results)

    return call


rng = np.random.RandomState(4)
START = {
    "conv1/kernel": rng.randn(3, 3, 1, 4).astype(np.float32) * 0.3,
    "conv2/kernel": rng.randn(3, 3, 4, 8).astype(np.float32) * 0.2,
    "logits/w": rng.randn(2 * 2 * 8, 3).astype(np.float32) * 0.2,
}


class ConvRelu(tf.keras.layers.Layer):
    """Keras layer converted from the TF1 function ``conv_relu``."""

    def __init__(self, shape, start, name=None, **kwargs):
        super().__init__(name=name, **kwargs)
        self.kernel = self.add_weight(
            name="kernel",
            shape=shape,
            initializer=tf.keras.initializers.Constant(value=start),
        )
        self.bias = self.add_weight(
            name="bias",
            shape=[shape[-1]],
            initializer=tf.keras.initializers.Zeros(),
        )

    def call(self, x):
        y = tf.nn.conv2d(x, filters=self.kernel, strides=[1, 1, 1, 1], padding="SAME") + self.bias
        return tf.nn.max_pool2d(input=tf.nn.relu(y), ksize=[1, 2, 2, 1], strides=[1, 2, 2, 1], padding="SAME")


class Classifier(tf.keras.layers.Layer):
    """Keras layer converted from the TF1 function ``classifier``."""

    def __init__(self, name=None, **kwargs):
        super().__init__(name=name, **kwargs)
        self.conv1 = ConvRelu([3, 3, 1, 4], START["conv1/kernel"], name="conv1")
        self.conv2 = ConvRelu([3, 3, 4, 8], START["conv2/kernel"], name="conv2")
        self.logits_w = self.add_weight(
            name="logits_w",
            shape=[2 * 2 * 8, 3],
            initializer=tf.keras.initializers.Constant(value=START["logits/w"]),
        )
        self.logits_b = self.add_weight(
            name="logits_b",
            shape=[3],
            initializer=tf.keras.initializers.Zeros(),
        )

    def call(self, images):
        net = self.conv1(images)
        net = self.conv2(net)
        net = tf.reshape(net, [-1, 2 * 2 * 8])
        return tf.matmul(net, self.logits_w) + self.logits_b


classifier = Classifier()

learning_rate = tf.keras.optimizers.schedules.ExponentialDecay(
    initial_learning_rate=0.01, decay_steps=10, decay_rate=0.7, staircase=True
)
optimizer = RMSpropFromOne(learning_rate=learning_rate, rho=0.8999999761581421, epsilon=1e-10)
global_step = optimizer.iterations
tvars = graph_variables(classifier)


@numpy_results
@tf.function(input_signature=[
    tf.TensorSpec([None, 8, 8, 1], tf.float32),
    tf.TensorSpec([None], tf.int64),
])
def train_step(images, labels):
    """Computes what sess.run([train_op, loss, grad_norm]) fetched."""
    with tf.GradientTape() as tape:
        logits = classifier(images)
        loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits))
    grads, grad_norm = tf.clip_by_global_norm(tape.gradient(loss, tvars), 1.0)
    optimizer.apply_gradients(zip(grads, tvars))
    return [None, loss, grad_norm]


@numpy_results
@tf.function
def compute_learning_rate():
    """Computes what sess.run(learning_rate) fetched."""
    return learning_rate(optimizer.iterations)


@numpy_results
@tf.function(input_signature=[
    tf.TensorSpec([None, 8, 8, 1], tf.float32),
    tf.TensorSpec([None], tf.int64),
])
def compute_accuracy(images, labels):
    """Computes what sess.run(accuracy) fetched."""
    logits = classifier(images)
    accuracy = tf.reduce_mean(tf.cast(tf.equal(tf.argmax(logits, 1), labels), tf.float32))
    return accuracy


@numpy_results
@tf.function
def compute_global_step():
    """Computes what sess.run(global_step) fetched."""
    return global_step


batch_images = rng.rand(24, 8, 8, 1).astype(np.float32)
batch_labels = (batch_images.mean(axis=(1, 2, 3)) * 6).astype(np.int64) % 3
for step in range(30):
    _, loss_value, norm = train_step(images=batch_images, labels=batch_labels)
    if step % 5 == 0:
        print("step %d loss %.7f norm %.7f lr %.5f" % (step, loss_value, norm, compute_learning_rate()))
print("accuracy %.4f" % compute_accuracy(images=batch_images, labels=batch_labels))
print("global step", compute_global_step())
