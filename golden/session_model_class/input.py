"""A regression model as a class, in the style of many TF1 projects: the graph is built in __init__ into
attributes of self, a session held by the object runs it in train / evaluate / predict methods, and a
saver it holds writes and reads its checkpoints."""
import os

import numpy as np
import tensorflow as tf


class Regressor(object):
    """Two-layer regression network trained with Adam."""

    def __init__(self, n_in, n_hidden, learning_rate=0.01, seed=0):
        rng = np.random.RandomState(seed)
        self.x = tf.placeholder(tf.float32, [None, 4], name="x")
        self.y = tf.placeholder(tf.float32, [None, 1], name="y")
        w1 = tf.Variable(rng.randn(n_in, n_hidden).astype(np.float32) * 0.5, name="w1")
        b1 = tf.Variable(np.zeros(n_hidden, np.float32), name="b1")
        self.w2 = tf.Variable(rng.randn(n_hidden, 1).astype(np.float32) * 0.5, name="w2")

        hidden = tf.tanh(tf.matmul(self.x, w1) + b1)
        self.prediction = tf.matmul(hidden, self.w2)
        self.loss = tf.reduce_mean(tf.square(self.prediction - self.y))
        self.error = tf.reduce_max(tf.abs(self.prediction - self.y))
        optimizer = tf.train.AdamOptimizer(learning_rate)
        self.train_op = optimizer.minimize(self.loss)

        self.saver = tf.train.Saver(max_to_keep=2)
        self.sess = tf.Session()
        self.sess.run(tf.global_variables_initializer())

    def train(self, batch_x, batch_y):
        _, loss = self.sess.run([self.train_op, self.loss], feed_dict={self.x: batch_x, self.y: batch_y})
        return loss

    def evaluate(self, batch_x, batch_y):
        return self.sess.run({"loss": self.loss, "error": self.error}, {self.x: batch_x, self.y: batch_y})

    def predict(self, batch_x):
        return self.sess.run(self.prediction, feed_dict={self.x: batch_x})

    def save(self, directory, step):
        return self.saver.save(self.sess, os.path.join(directory, "regressor"), global_step=step)

    def restore(self, directory):
        self.saver.restore(self.sess, tf.train.latest_checkpoint(directory))

    def close(self):
        self.sess.close()


if __name__ == "__main__":
    rng = np.random.RandomState(1)
    data = rng.randn(64, 4).astype(np.float32)
    target = np.sum(data, axis=1, keepdims=True)
    model = Regressor(4, 8)
    os.makedirs("checkpoints")
    for step in range(30):
        loss_value = model.train(data, target)
        if step % 5 == 0:
            print("step %d loss %.8f" % (step, loss_value))
        if step % 10 == 9:
            model.save("checkpoints", step)
    print(sorted(name for name in os.listdir("checkpoints") if name.endswith(".index")))
    scores = model.evaluate(data, target)
    print("loss %.8f error %.8f" % (scores["loss"], scores["error"]))
    print(model.predict(data[:3]))
    model.train(data, target)
    model.restore("checkpoints")
    print(model.predict(data[:3]))
    model.close()
