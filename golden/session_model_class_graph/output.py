"""A classifier as a class with a graph of its own (in the style of many TF1 reinforcement-learning and
research projects): __init__ builds it in a method under `with self.graph.as_default():`, RMSProp trains
it, and the methods run it through the session the object holds."""
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


def numpy_method_results(method):
    """Session.run returned numpy values; so do the methods that replace it."""

    def call(self, *args, **kwargs):
        results = method.__get__(self, type(self))(*args, **kwargs)
        return tf.nest.map_structure(lambda value: value.numpy() if hasattr(value, "numpy") else value, results)

    return call


class Classifier(tf.Module):
    def __init__(self, n_features, n_classes, learning_rate=0.05):
        super().__init__()
        self.n_features = n_features
        self.n_classes = n_classes
        self.learning_rate = learning_rate
        self.build_model()

    @numpy_method_results
    @tf.function(input_signature=[
        tf.TensorSpec([None, 3], tf.float32),
        tf.TensorSpec([None], tf.int64),
    ])
    def train_step(self, features, labels):
        """Computes what self.sess.run([self.train_op, self.loss]) fetched."""
        with tf.GradientTape() as tape:
            logits = tf.matmul(features, self.weights) + self.bias
            loss = tf.reduce_mean(
                tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits))
        variables = tape.watched_variables()
        gradients = tape.gradient(loss, variables)
        self.optimizer.apply_gradients(zip(gradients, variables))
        return [None, loss]

    @numpy_method_results
    @tf.function(input_signature=[
        tf.TensorSpec([None, 3], tf.float32),
        tf.TensorSpec([None], tf.int64),
    ])
    def compute_loss_and_accuracy(self, features, labels):
        """Computes what self.sess.run((self.loss, self.accuracy)) fetched."""
        logits = tf.matmul(features, self.weights) + self.bias
        loss = tf.reduce_mean(
            tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits))
        correct = tf.equal(tf.argmax(logits, axis=1), labels)
        accuracy = tf.reduce_mean(tf.cast(correct, tf.float32))
        return (loss, accuracy)

    @numpy_method_results
    @tf.function(input_signature=[tf.TensorSpec([None, 3], tf.float32)])
    def compute_logits(self, features):
        """Computes what self.sess.run(tf.nn.softmax(self.logits)) fetched."""
        logits = tf.matmul(features, self.weights) + self.bias
        return tf.nn.softmax(logits)

    def build_model(self):
        rng = np.random.RandomState(3)
        self.weights = tf.Variable(rng.randn(self.n_features, self.n_classes).astype(np.float32) * 0.3,
                                   name="weights")
        self.bias = tf.Variable(np.zeros(self.n_classes, np.float32), name="bias")

        self.optimizer = RMSpropFromOne(
            learning_rate=self.learning_rate, rho=0.8999999761581421, epsilon=1e-10
        )

    def fit(self, features, labels, steps):
        history = []
        for _ in range(steps):
            _, loss = self.train_step(features=features, labels=labels)
            history.append(loss)
        return history

    def score(self, features, labels):
        loss, accuracy = self.compute_loss_and_accuracy(features=features, labels=labels)
        return loss, accuracy

    def probabilities(self, features):
        return self.compute_logits(features=features)


if __name__ == "__main__":
    rng = np.random.RandomState(0)
    data = rng.randn(90, 3).astype(np.float32)
    labels = (data[:, 0] + 0.5 * data[:, 1] > 0).astype(np.int64)
    model = Classifier(3, 2)
    for step, loss in enumerate(model.fit(data, labels, 20)):
        if step % 4 == 0:
            print("step %d loss %.8f" % (step, loss))
    print("loss %.8f accuracy %.4f" % model.score(data, labels))
    print(model.probabilities(data[:3]))
