"""Train the similarity model on synthetic pairs: placeholders, a Session, Adam, a Saver."""
import os
import tempfile

import numpy as np
import tensorflow as tf

from model import similarity_model

FEATURES = 16
HIDDEN = 32
BATCH_SIZE = 64


def synthetic_pairs(rng, batch_size):
    """Half of the pairs are noisy copies (label 1), the rest unrelated vectors (label 0)."""
    left = rng.normal(size=(batch_size, FEATURES))
    same = rng.uniform(size=batch_size) < 0.5
    copies = left + rng.normal(scale=0.1, size=left.shape)
    right = np.where(same[:, None], copies, rng.normal(size=left.shape))
    return left.astype(np.float32), right.astype(np.float32), same.astype(np.float32)


def main(steps=200):
    tf.set_random_seed(0)
    left = tf.placeholder(tf.float32, [None, FEATURES], name="left")
    right = tf.placeholder(tf.float32, [None, FEATURES], name="right")
    label = tf.placeholder(tf.float32, [None], name="label")

    logits = similarity_model(left, right, HIDDEN)
    loss = tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(labels=label, logits=logits))
    predictions = tf.cast(logits > 0, tf.float32)
    accuracy = tf.reduce_mean(tf.cast(tf.equal(predictions, label), tf.float32))
    train_op = tf.train.AdamOptimizer(learning_rate=1e-3).minimize(loss)
    saver = tf.train.Saver()

    rng = np.random.RandomState(0)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for step in range(steps):
            l, r, y = synthetic_pairs(rng, BATCH_SIZE)
            _, loss_value = sess.run([train_op, loss], feed_dict={left: l, right: r, label: y})
            if step % 50 == 0:
                print("step %d: loss %.4f" % (step, loss_value))
        l, r, y = synthetic_pairs(rng, 512)
        print("accuracy %.3f" % sess.run(accuracy, feed_dict={left: l, right: r, label: y}))
        saver.save(sess, os.path.join(tempfile.gettempdir(), "tf1_project", "model.ckpt"))


if __name__ == "__main__":
    main()
