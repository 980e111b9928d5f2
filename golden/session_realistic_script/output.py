"""A TF 1.15 training script of the usual shape: flags, placeholders with defaults, a model built from
get_variable, a decaying learning rate on the global step, UPDATE_OPS, summaries, a Saver, app.run."""
from __future__ import absolute_import, division, print_function

import os

import numpy as np
import tensorflow as tf
from absl import flags
from absl import app


def numpy_results(function):
    """Session.run returned numpy values; so do the functions that replace it."""

    def call(*args, **kwargs):
        results = function(*args, **kwargs)
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


def write_summaries(writer, summaries, step):
    """writer.add_summary(summary, step) of TF1: the fetched summaries, {(kind, tag): value}, written with
    TF2's tf.summary.scalar / histogram / image / text / audio at that step."""
    with writer.as_default():
        for (kind, tag), value in summaries.items():
            getattr(tf.summary, kind)(tag, value, step=int(step))


flags.DEFINE_integer("batch_size", 16, "Batch size.")
flags.DEFINE_float("learning_rate", 0.01, "Initial learning rate.")
flags.DEFINE_string("model_dir", "model", "Where to write summaries and checkpoints.")
FLAGS = flags.FLAGS

rng = np.random.RandomState(10)
START = {"hidden": rng.randn(6, 12).astype(np.float32) * 0.4, "logits": rng.randn(12, 3).astype(np.float32) * 0.4}


class Dense(tf.keras.layers.Layer):
    """Keras layer converted from the TF1 function ``dense``."""

    def __init__(self, units, start, activation=None, name=None, **kwargs):
        super().__init__(name=name, **kwargs)
        self.units = units
        self.start = start
        self.activation = activation
        self.b = self.add_weight(name="b", shape=[units], initializer=tf.keras.initializers.Zeros())

    def build(self, input_shape):
        input_shape = tf.TensorShape(input_shape)
        self.w = self.add_weight(
            name="w",
            shape=[input_shape[-1], self.units],
            initializer=tf.keras.initializers.Constant(value=self.start),
        )

    def call(self, inputs):
        out = tf.matmul(inputs, self.w) + self.b
        return self.activation(out) if self.activation is not None else out


class Model(tf.keras.layers.Layer):
    """Keras layer converted from the TF1 function ``model``."""

    def __init__(self, name=None, **kwargs):
        super().__init__(name=name, **kwargs)
        self.hidden = Dense(12, START["hidden"], activation=tf.nn.relu, name="hidden")
        self.logits = Dense(3, START["logits"], name="logits")

    def call(self, features, keep_prob):
        net = self.hidden(features)
        net = tf.nn.dropout(net, rate=1 - keep_prob)
        return self.logits(net)


def main(_):
    model_1 = Model()

    learning_rate = tf.keras.optimizers.schedules.ExponentialDecay(
        initial_learning_rate=FLAGS.learning_rate, decay_steps=10, decay_rate=0.5, staircase=True
    )
    optimizer = tf.keras.optimizers.Adam(
        learning_rate=learning_rate, beta_1=0.8999999761581421, beta_2=0.9990000128746033, epsilon=1e-08
    )
    global_step = optimizer.iterations

    @numpy_results
    @tf.function(input_signature=[
        tf.TensorSpec([None, 6], tf.float32),
        tf.TensorSpec([None], tf.int64),
        tf.TensorSpec([], tf.float32),
    ])
    def train_step(features, labels, keep_prob=1.0):
        """Computes what sess.run([train_op, summaries, loss]) fetched."""
        with tf.GradientTape() as tape:
            logits = model_1(features, keep_prob)
            loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits))
        variables = tape.watched_variables()
        correct = tf.equal(tf.argmax(logits, 1), labels)
        accuracy = tf.reduce_mean(tf.cast(correct, tf.float32))
        gradients = tape.gradient(loss, variables)
        optimizer.apply_gradients(zip(gradients, variables))
        return [None, {("scalar", "loss"): loss, ("scalar", "accuracy"): accuracy}, loss]

    @numpy_results
    @tf.function
    def compute_learning_rate():
        """Computes what sess.run(learning_rate) fetched."""
        return learning_rate(optimizer.iterations)

    @numpy_results
    @tf.function(input_signature=[
        tf.TensorSpec([None, 6], tf.float32),
        tf.TensorSpec([None], tf.int64),
        tf.TensorSpec([], tf.float32),
    ])
    def compute_accuracy(features, labels, keep_prob=1.0):
        """Computes what sess.run(accuracy) fetched."""
        logits = model_1(features, keep_prob)
        correct = tf.equal(tf.argmax(logits, 1), labels)
        accuracy = tf.reduce_mean(tf.cast(correct, tf.float32))
        return accuracy

    saver = tf.train.Checkpoint(model_1=model_1, optimizer=optimizer)
    data = rng.randn(64, 6).astype(np.float32)
    targets = (data[:, 0] + data[:, 1] > 0).astype(np.int64) + (data[:, 2] > 1).astype(np.int64)
    writer = tf.summary.create_file_writer(FLAGS.model_dir)
    for step in range(30):
        start = (step * FLAGS.batch_size) % len(data)
        feed = {"features": data[start:start + FLAGS.batch_size], "labels": targets[start:start + FLAGS.batch_size],
                "keep_prob": 1.0}
        _, summary, loss_value = train_step(features=feed["features"], labels=feed["labels"], keep_prob=feed["keep_prob"])
        write_summaries(writer, summary, step)
        if step % 10 == 0:
            print("step %d: loss %.6f lr %.5f" % (step, loss_value, compute_learning_rate()))
            save_checkpoint(saver, os.path.join(FLAGS.model_dir, "model.ckpt"), step, max_to_keep=3)
    print("accuracy %.4f" % compute_accuracy(features=data, labels=targets))
    writer.close()


if __name__ == "__main__":
    app.run(main)
