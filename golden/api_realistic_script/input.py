"""A TF 1.15 training script of the usual shape: flags, placeholders, a model, a session loop."""
from __future__ import absolute_import, division, print_function

import os

import numpy as np
import tensorflow as tf

flags = tf.app.flags
flags.DEFINE_integer("batch_size", 64, "Batch size.")
flags.DEFINE_float("learning_rate", 1e-3, "Learning rate.")
flags.DEFINE_string("model_dir", "/tmp/mnist_model", "Where to write checkpoints.")
FLAGS = flags.FLAGS


def conv_block(inputs, filters, is_training, scope):
    with tf.variable_scope(scope):
        channels = inputs.get_shape()[-1].value
        kernel = tf.get_variable(
            "kernel", [3, 3, channels, filters],
            initializer=tf.truncated_normal_initializer(stddev=0.1))
        bias = tf.get_variable("bias", [filters], initializer=tf.constant_initializer(0.0))
        net = tf.nn.conv2d(inputs, kernel, [1, 1, 1, 1], "SAME") + bias
        net = tf.layers.batch_normalization(net, training=is_training)
        net = tf.nn.relu(net)
        return tf.nn.max_pool(net, [1, 2, 2, 1], [1, 2, 2, 1], "SAME")


def model(images, keep_prob, is_training):
    net = conv_block(images, 32, is_training, "block1")
    net = conv_block(net, 64, is_training, "block2")
    size = net.shape[1].value * net.shape[2].value * net.shape[3].value
    net = tf.reshape(net, [-1, size])
    with tf.variable_scope("fc"):
        w = tf.get_variable("w", [size, 10], initializer=tf.random_normal_initializer(stddev=0.01))
        b = tf.get_variable("b", [10], initializer=tf.zeros_initializer())
        net = tf.nn.dropout(net, keep_prob)
        return tf.matmul(net, w) + b


def main(_):
    tf.logging.set_verbosity(tf.logging.INFO)
    if not tf.gfile.Exists(FLAGS.model_dir):
        tf.gfile.MakeDirs(FLAGS.model_dir)

    images = tf.placeholder(tf.float32, [None, 28, 28, 1], name="images")
    labels = tf.placeholder(tf.int64, [None], name="labels")
    keep_prob = tf.placeholder_with_default(1.0, [], name="keep_prob")
    is_training = tf.placeholder_with_default(False, [], name="is_training")

    logits = model(images, keep_prob, is_training)
    one_hot = tf.one_hot(labels, 10)
    loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits_v2(labels=one_hot, logits=logits))
    correct = tf.equal(tf.argmax(logits, 1), labels)
    accuracy = tf.reduce_mean(tf.to_float(correct))
    tf.summary.scalar("loss", loss)
    tf.summary.scalar("accuracy", accuracy)

    global_step = tf.train.get_or_create_global_step()
    learning_rate = tf.train.exponential_decay(FLAGS.learning_rate, global_step, 1000, 0.96, staircase=True)
    update_ops = tf.get_collection(tf.GraphKeys.UPDATE_OPS)
    with tf.control_dependencies(update_ops):
        train_op = tf.train.AdamOptimizer(learning_rate).minimize(loss, global_step=global_step)

    summaries = tf.summary.merge_all()
    saver = tf.train.Saver(max_to_keep=3)
    rng = np.random.RandomState(0)
    with tf.Session() as sess:
        writer = tf.summary.FileWriter(FLAGS.model_dir, sess.graph)
        sess.run([tf.global_variables_initializer(), tf.local_variables_initializer()])
        for step in range(100):
            batch_images = rng.rand(FLAGS.batch_size, 28, 28, 1).astype(np.float32)
            batch_labels = rng.randint(0, 10, FLAGS.batch_size)
            feed = {images: batch_images, labels: batch_labels, keep_prob: 0.5, is_training: True}
            _, summary, loss_value = sess.run([train_op, summaries, loss], feed_dict=feed)
            writer.add_summary(summary, step)
            if step % 20 == 0:
                tf.logging.info("step %d: loss %.3f", step, loss_value)
                saver.save(sess, os.path.join(FLAGS.model_dir, "model.ckpt"), global_step=step)


if __name__ == "__main__":
    tf.app.run()
