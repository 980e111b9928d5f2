"""A training script with tf.app.flags, summaries written by a FileWriter, and a Saver that saves every few
steps and restores the last checkpoint at the end."""
import os

import numpy as np
import tensorflow as tf

flags = tf.app.flags
flags.DEFINE_integer("steps", 12, "Training steps.")
flags.DEFINE_float("learning_rate", 0.05, "Learning rate.")
flags.DEFINE_string("logdir", "run", "Where summaries and checkpoints go.")
FLAGS = flags.FLAGS

rng = np.random.RandomState(7)
START = rng.randn(5, 1).astype(np.float32)


def linear(x):
    w = tf.get_variable("w", [5, 1], initializer=tf.constant_initializer(START))
    b = tf.get_variable("b", [1], initializer=tf.zeros_initializer())
    return tf.matmul(x, w) + b


def main(_):
    tf.set_random_seed(0)
    x = tf.placeholder(tf.float32, [None, 5], name="x")
    y = tf.placeholder(tf.float32, [None, 1], name="y")
    prediction = linear(x)
    loss = tf.reduce_mean(tf.square(prediction - y))
    tf.summary.scalar("loss", loss)
    tf.summary.histogram("prediction", prediction)
    merged = tf.summary.merge_all()
    global_step = tf.train.get_or_create_global_step()
    train_op = tf.train.GradientDescentOptimizer(FLAGS.learning_rate).minimize(loss, global_step=global_step)
    saver = tf.train.Saver(max_to_keep=2)

    data = rng.randn(32, 5).astype(np.float32)
    target = data.dot(np.arange(5, dtype=np.float32).reshape(5, 1))
    with tf.Session() as sess:
        writer = tf.summary.FileWriter(FLAGS.logdir, sess.graph)
        sess.run(tf.global_variables_initializer())
        for step in range(FLAGS.steps):
            summary, _, loss_value = sess.run([merged, train_op, loss], feed_dict={x: data, y: target})
            writer.add_summary(summary, step)
            print("step %d loss %.6f" % (step, loss_value))
            if step % 4 == 3:
                path = saver.save(sess, os.path.join(FLAGS.logdir, "model.ckpt"), global_step=global_step)
                print("saved", os.path.basename(path))
        writer.close()
        print("event files", len([f for f in os.listdir(FLAGS.logdir) if f.startswith("events.out")]))
        print("kept", sorted(f for f in os.listdir(FLAGS.logdir) if f.endswith(".index")))
        saver.restore(sess, tf.train.latest_checkpoint(FLAGS.logdir))
        print("restored step", sess.run(global_step))
        print("restored loss %.6f" % sess.run(loss, feed_dict={x: data, y: target}))


if __name__ == "__main__":
    tf.app.run()
