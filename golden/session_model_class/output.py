"""A regression model as a class, in the style of many TF1 projects: the graph is built in __init__ into
attributes of self, a session held by the object runs it in train / evaluate / predict methods, and a
saver it holds writes and reads its checkpoints."""
import os

import numpy as np
import tensorflow as tf


def numpy_method_results(method):
    """Session.run returned numpy values; so do the methods that replace it."""

    def call(self, *args, **kwargs):
        results = method.__get__(self, type(self))(*args, **kwargs)
        return tf.nest.map_structure(lambda value: value.numpy() if hasattr(value, "numpy") else value, results)

    return call


def save_checkpoint(checkpoint, path, step=None, max_to_keep=5):
    """saver.save(sess, path, global_step=step) of TF1: writes path (path-step with a step, then recorded as
    the latest checkpoint of its directory, the newest max_to_keep kept) and returns what it wrote."""
    if step is None:
        return checkpoint.write(path)
    directory, name = os.path.split(path)
    manager = tf.train.CheckpointManager(checkpoint, directory or ".", max_to_keep, checkpoint_name=name)
    return manager.save(checkpoint_number=int(step))


class Regressor(tf.Module):
    """Two-layer regression network trained with Adam."""

    def __init__(self, n_in, n_hidden, learning_rate=0.01, seed=0):
        super().__init__()
        rng = np.random.RandomState(seed)
        self.w1 = tf.Variable(rng.randn(n_in, n_hidden).astype(np.float32) * 0.5, name="w1")
        self.b1 = tf.Variable(np.zeros(n_hidden, np.float32), name="b1")
        self.w2 = tf.Variable(rng.randn(n_hidden, 1).astype(np.float32) * 0.5, name="w2")

        self.optimizer = tf.keras.optimizers.Adam(
            learning_rate=learning_rate, beta_1=0.8999999761581421, beta_2=0.9990000128746033, epsilon=1e-08
        )

    @numpy_method_results
    @tf.function(input_signature=[
        tf.TensorSpec([None, 4], tf.float32),
        tf.TensorSpec([None, 1], tf.float32),
    ])
    def train_step(self, x, y):
        """Computes what self.sess.run([self.train_op, self.loss]) fetched."""
        with tf.GradientTape() as tape:
            hidden = tf.tanh(tf.matmul(x, self.w1) + self.b1)
            prediction = tf.matmul(hidden, self.w2)
            loss = tf.reduce_mean(tf.square(prediction - y))
        variables = tape.watched_variables()
        gradients = tape.gradient(loss, variables)
        self.optimizer.apply_gradients(zip(gradients, variables))
        return [None, loss]

    @numpy_method_results
    @tf.function(input_signature=[
        tf.TensorSpec([None, 4], tf.float32),
        tf.TensorSpec([None, 1], tf.float32),
    ])
    def compute_loss_and_error(self, x, y):
        """Computes what self.sess.run({'loss': self.loss, 'error': self.error}) fetched."""
        hidden = tf.tanh(tf.matmul(x, self.w1) + self.b1)
        prediction = tf.matmul(hidden, self.w2)
        loss = tf.reduce_mean(tf.square(prediction - y))
        error = tf.reduce_max(tf.abs(prediction - y))
        return {"loss": loss, "error": error}

    @numpy_method_results
    @tf.function(input_signature=[tf.TensorSpec([None, 4], tf.float32)])
    def compute_prediction(self, x):
        """Computes what self.sess.run(self.prediction) fetched."""
        hidden = tf.tanh(tf.matmul(x, self.w1) + self.b1)
        prediction = tf.matmul(hidden, self.w2)
        return prediction

    def train(self, batch_x, batch_y):
        _, loss = self.train_step(x=batch_x, y=batch_y)
        return loss

    def evaluate(self, batch_x, batch_y):
        return self.compute_loss_and_error(x=batch_x, y=batch_y)

    def predict(self, batch_x):
        return self.compute_prediction(x=batch_x)

    def save(self, directory, step):
        return save_checkpoint(tf.train.Checkpoint(model=self), os.path.join(directory, "regressor"), step, max_to_keep=2)

    def restore(self, directory):
        tf.train.Checkpoint(model=self).restore(tf.train.latest_checkpoint(directory))

    def close(self):
        pass


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
