"""A training script with tf.app.flags, summaries written by a FileWriter, and a Saver that saves every few
steps and restores the last checkpoint at the end."""
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


flags.DEFINE_integer("steps", 12, "Training steps.")
flags.DEFINE_float("learning_rate", 0.05, "Learning rate.")
flags.DEFINE_string("logdir", "run", "Where summaries and checkpoints go.")
FLAGS = flags.FLAGS

rng = np.random.RandomState(7)
START = rng.randn(5, 1).astype(np.float32)


class Linear(tf.keras.layers.Layer):
    """Keras layer converted from the TF1 function ``linear``."""

    def __init__(self, name=None, **kwargs):
        super().__init__(name=name, **kwargs)
        self.w = self.add_weight(
            name="w",
            shape=[5, 1],
            initializer=tf.keras.initializers.Constant(value=START),
        )
        self.b = self.add_weight(name="b", shape=[1], initializer=tf.keras.initializers.Zeros())

    def call(self, x):
        return tf.matmul(x, self.w) + self.b


def main(_):
    tf.random.set_seed(0)
    linear_1 = Linear()
    optimizer = tf.keras.optimizers.SGD(learning_rate=FLAGS.learning_rate)
    global_step = optimizer.iterations

    @numpy_results
    @tf.function(input_signature=[
        tf.TensorSpec([None, 5], tf.float32),
        tf.TensorSpec([None, 1], tf.float32),
    ])
    def train_step(x, y):
        """Computes what sess.run([merged, train_op, loss]) fetched."""
        with tf.GradientTape() as tape:
            prediction = linear_1(x)
            loss = tf.reduce_mean(tf.square(prediction - y))
        variables = tape.watched_variables()
        gradients = tape.gradient(loss, variables)
        optimizer.apply_gradients(zip(gradients, variables))
        return [{("scalar", "loss"): loss, ("histogram", "prediction"): prediction}, None, loss]

    @numpy_results
    @tf.function
    def compute_global_step():
        """Computes what sess.run(global_step) fetched."""
        return global_step

    @numpy_results
    @tf.function(input_signature=[
        tf.TensorSpec([None, 5], tf.float32),
        tf.TensorSpec([None, 1], tf.float32),
    ])
    def compute_loss(x, y):
        """Computes what sess.run(loss) fetched."""
        prediction = linear_1(x)
        loss = tf.reduce_mean(tf.square(prediction - y))
        return loss

    saver = tf.train.Checkpoint(linear_1=linear_1, optimizer=optimizer)

    data = rng.randn(32, 5).astype(np.float32)
    target = data.dot(np.arange(5, dtype=np.float32).reshape(5, 1))
    writer = tf.summary.create_file_writer(FLAGS.logdir)
    for step in range(FLAGS.steps):
        summary, _, loss_value = train_step(x=data, y=target)
        write_summaries(writer, summary, step)
        print("step %d loss %.6f" % (step, loss_value))
        if step % 4 == 3:
            path = save_checkpoint(saver, os.path.join(FLAGS.logdir, "model.ckpt"), global_step, max_to_keep=2)
            print("saved", os.path.basename(path))
    writer.close()
    print("event files", len([f for f in os.listdir(FLAGS.logdir) if f.startswith("events.out")]))
    print("kept", sorted(f for f in os.listdir(FLAGS.logdir) if f.endswith(".index")))
    saver.restore(tf.train.latest_checkpoint(FLAGS.logdir))
    print("restored step", compute_global_step())
    print("restored loss %.6f" % compute_loss(x=data, y=target))


if __name__ == "__main__":
    app.run(main)
