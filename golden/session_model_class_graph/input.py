"""A classifier as a class with a graph of its own (in the style of many TF1 reinforcement-learning and
research projects): __init__ builds it in a method under `with self.graph.as_default():`, RMSProp trains
it, and the methods run it through the session the object holds."""
import numpy as np
import tensorflow as tf


class Classifier:
    def __init__(self, n_features, n_classes, learning_rate=0.05):
        self.n_features = n_features
        self.n_classes = n_classes
        self.learning_rate = learning_rate
        self.graph = tf.Graph()
        with self.graph.as_default():
            self.build_model()
            self.sess = tf.Session(graph=self.graph)
            self.sess.run(tf.global_variables_initializer())

    def build_model(self):
        rng = np.random.RandomState(3)
        self.features = tf.placeholder(tf.float32, [None, 3], name="features")
        self.labels = tf.placeholder(tf.int64, [None], name="labels")
        weights = tf.Variable(rng.randn(self.n_features, self.n_classes).astype(np.float32) * 0.3,
                              name="weights")
        bias = tf.Variable(np.zeros(self.n_classes, np.float32), name="bias")

        self.logits = tf.matmul(self.features, weights) + bias
        self.loss = tf.reduce_mean(
            tf.nn.sparse_softmax_cross_entropy_with_logits(labels=self.labels, logits=self.logits))
        correct = tf.equal(tf.argmax(self.logits, axis=1), self.labels)
        self.accuracy = tf.reduce_mean(tf.cast(correct, tf.float32))
        self.train_op = tf.train.RMSPropOptimizer(self.learning_rate).minimize(self.loss)

    def fit(self, features, labels, steps):
        history = []
        for _ in range(steps):
            _, loss = self.sess.run([self.train_op, self.loss],
                                    feed_dict={self.features: features, self.labels: labels})
            history.append(loss)
        return history

    def score(self, features, labels):
        loss, accuracy = self.sess.run((self.loss, self.accuracy),
                                       feed_dict={self.features: features, self.labels: labels})
        return loss, accuracy

    def probabilities(self, features):
        return self.sess.run(tf.nn.softmax(self.logits), feed_dict={self.features: features})


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
