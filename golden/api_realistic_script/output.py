"""A TF 1.15 training script of the usual shape: flags, placeholders, a model, a session loop."""
from __future__ import absolute_import, division, print_function

import os

import numpy as np
import tensorflow as tf
from absl import flags
from absl import app

tf.compat.v1.disable_eager_execution()  # graph-mode code is left in this file (see the report)
flags.DEFINE_integer("batch_size", 64, "Batch size.")
flags.DEFINE_float("learning_rate", 1e-3, "Learning rate.")
flags.DEFINE_string("model_dir", "/tmp/mnist_model", "Where to write checkpoints.")
FLAGS = flags.FLAGS


def conv_block(inputs, filters, is_training, scope):
    with tf.compat.v1.variable_scope(scope):
        channels = inputs.shape[-1]
        kernel = tf.compat.v1.get_variable(
            "kernel", [3, 3, channels, filters],
            initializer=tf.keras.initializers.TruncatedNormal(stddev=0.1))
        bias = tf.compat.v1.get_variable("bias", [filters], initializer=tf.constant_initializer(0.0))
        net = tf.nn.conv2d(inputs, filters=kernel, strides=[1, 1, 1, 1], padding="SAME") + bias
        net = tf.compat.v1.layers.batch_normalization(net, training=is_training)
        net = tf.nn.relu(net)
        return tf.nn.max_pool2d(input=net, ksize=[1, 2, 2, 1], strides=[1, 2, 2, 1], padding="SAME")


def model(images, keep_prob, is_training):
    net = conv_block(images, 32, is_training, "block1")
    net = conv_block(net, 64, is_training, "block2")
    size = net.shape[1] * net.shape[2] * net.shape[3]
    net = tf.reshape(net, [-1, size])
    with tf.compat.v1.variable_scope("fc"):
        w = tf.compat.v1.get_variable("w", [size, 10], initializer=tf.random_normal_initializer(stddev=0.01))
        b = tf.compat.v1.get_variable("b", [10], initializer=tf.zeros_initializer())
        net = tf.nn.dropout(net, rate=1 - keep_prob)
        return tf.matmul(net, w) + b


def main(_):
    tf.compat.v1.logging.set_verbosity(tf.compat.v1.logging.INFO)
    if not tf.io.gfile.exists(FLAGS.model_dir):
        tf.io.gfile.makedirs(FLAGS.model_dir)

    images = tf.compat.v1.placeholder(tf.float32, [None, 28, 28, 1], name="images")
    labels = tf.compat.v1.placeholder(tf.int64, [None], name="labels")
    keep_prob = tf.compat.v1.placeholder_with_default(1.0, [], name="keep_prob")
    is_training = tf.compat.v1.placeholder_with_default(False, [], name="is_training")

    logits = model(images, keep_prob, is_training)
    one_hot = tf.one_hot(labels, 10)
    loss = tf.reduce_mean(tf.compat.v1.nn.softmax_cross_entropy_with_logits_v2(labels=one_hot, logits=logits))
    correct = tf.equal(tf.argmax(logits, 1), labels)
    accuracy = tf.reduce_mean(tf.cast(correct, tf.float32))
    tf.compat.v1.summary.scalar("loss", loss)
    tf.compat.v1.summary.scalar("accuracy", accuracy)

    global_step = tf.compat.v1.train.get_or_create_global_step()
    learning_rate = tf.compat.v1.train.exponential_decay(FLAGS.learning_rate, global_step, 1000, 0.96, staircase=True)
    update_ops = tf.compat.v1.get_collection(tf.compat.v1.GraphKeys.UPDATE_OPS)
    with tf.control_dependencies(update_ops):
        train_op = tf.compat.v1.train.AdamOptimizer(learning_rate).minimize(loss, global_step=global_step)

    summaries = tf.compat.v1.summary.merge_all()
    saver = tf.compat.v1.train.Saver(max_to_keep=3)
    rng = np.random.RandomState(0)
    with tf.compat.v1.Session() as sess:
        writer = tf.compat.v1.summary.FileWriter(FLAGS.model_dir, sess.graph)
        sess.run([tf.compat.v1.global_variables_initializer(), tf.compat.v1.local_variables_initializer()])
        for step in range(100):
            batch_images = rng.rand(FLAGS.batch_size, 28, 28, 1).astype(np.float32)
            batch_labels = rng.randint(0, 10, FLAGS.batch_size)
            feed = {images: batch_images, labels: batch_labels, keep_prob: 0.5, is_training: True}
            _, summary, loss_value = sess.run([train_op, summaries, loss], feed_dict=feed)
            writer.add_summary(summary, step)
            if step % 20 == 0:
                tf.compat.v1.logging.info("step %d: loss %.3f", step, loss_value)
                saver.save(sess, os.path.join(FLAGS.model_dir, "model.ckpt"), global_step=step)


if __name__ == "__main__":
    app.run(main)
