"""A TF 1.15 training script of the usual shape: flags, placeholders with defaults, a model built from
get_variable, a decaying learning rate on the global step, UPDATE_OPS, summaries, a Saver, app.run."""
from __future__ import absolute_import, division, print_function

import os

import numpy as np
import tensorflow as tf

flags = tf.app.flags
flags.DEFINE_integer("batch_size", 16, "Batch size.")
flags.DEFINE_float("learning_rate", 0.01, "Initial learning rate.")
flags.DEFINE_string("model_dir", "model", "Where to write summaries and checkpoints.")
FLAGS = flags.FLAGS

rng = np.random.RandomState(10)
START = {"hidden": rng.randn(6, 12).astype(np.float32) * 0.4, "logits": rng.randn(12, 3).astype(np.float32) * 0.4}


def dense(inputs, units, scope, start, activation=None):
    with tf.variable_scope(scope):
        w = tf.get_variable("w", [inputs.get_shape()[-1].value, units], initializer=tf.constant_initializer(start))
        b = tf.get_variable("b", [units], initializer=tf.zeros_initializer())
        out = tf.matmul(inputs, w) + b
        return activation(out) if activation is not None else out


def model(features, keep_prob):
    net = dense(features, 12, "hidden", START["hidden"], activation=tf.nn.relu)
    net = tf.nn.dropout(net, keep_prob)
    return dense(net, 3, "logits", START["logits"])


def main(_):
    features = tf.placeholder(tf.float32, [None, 6], name="features")
    labels = tf.placeholder(tf.int64, [None], name="labels")
    keep_prob = tf.placeholder_with_default(1.0, [], name="keep_prob")

    logits = model(features, keep_prob)
    loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits))
    correct = tf.equal(tf.argmax(logits, 1), labels)
    accuracy = tf.reduce_mean(tf.cast(correct, tf.float32))
    tf.summary.scalar("loss", loss)
    tf.summary.scalar("accuracy", accuracy)

    global_step = tf.train.get_or_create_global_step()
    learning_rate = tf.train.exponential_decay(FLAGS.learning_rate, global_step, 10, 0.5, staircase=True)
    update_ops = tf.get_collection(tf.GraphKeys.UPDATE_OPS)
    with tf.control_dependencies(update_ops):
        train_op = tf.train.AdamOptimizer(learning_rate).minimize(loss, global_step=global_step)

    summaries = tf.summary.merge_all()
    saver = tf.train.Saver(max_to_keep=3)
    data = rng.randn(64, 6).astype(np.float32)
    targets = (data[:, 0] + data[:, 1] > 0).astype(np.int64) + (data[:, 2] > 1).astype(np.int64)
    with tf.Session() as sess:
        writer = tf.summary.FileWriter(FLAGS.model_dir, sess.graph)
        sess.run([tf.global_variables_initializer(), tf.local_variables_initializer()])
        for step in range(30):
            start = (step * FLAGS.batch_size) % len(data)
            feed = {features: data[start:start + FLAGS.batch_size], labels: targets[start:start + FLAGS.batch_size],
                    keep_prob: 1.0}
            _, summary, loss_value = sess.run([train_op, summaries, loss], feed_dict=feed)
            writer.add_summary(summary, step)
            if step % 10 == 0:
                print("step %d: loss %.6f lr %.5f" % (step, loss_value, sess.run(learning_rate)))
                saver.save(sess, os.path.join(FLAGS.model_dir, "model.ckpt"), global_step=step)
        print("accuracy %.4f" % sess.run(accuracy, feed_dict={features: data, labels: targets}))
        writer.close()


if __name__ == "__main__":
    tf.app.run()
