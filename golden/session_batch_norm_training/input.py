"""Batch normalization driven by an is_training placeholder: training steps update the moving statistics."""
import numpy as np
import tensorflow as tf

rng = np.random.RandomState(0)
features = (rng.randn(32, 6) * 3.0 + 1.0).astype(np.float32)
targets = (features[:, :1] * 0.5 - features[:, 1:2]).astype(np.float32)
hidden_kernel = (rng.randn(6, 8) * 0.3).astype(np.float32)
output_kernel = (rng.randn(8, 1) * 0.3).astype(np.float32)

x = tf.placeholder(tf.float32, [None, 6])
y = tf.placeholder(tf.float32, [None, 1])
is_training = tf.placeholder_with_default(False, [], name="is_training")

norm = tf.layers.BatchNormalization(momentum=0.9, name="norm")
hidden = tf.layers.dense(x, 8, kernel_initializer=tf.constant_initializer(hidden_kernel), name="hidden")
hidden = tf.nn.relu(norm(hidden, training=is_training))
prediction = tf.layers.dense(hidden, 1, kernel_initializer=tf.constant_initializer(output_kernel), name="output")
# a larger weight on the error outside training, chosen by the same placeholder
loss = tf.reduce_mean(tf.square(prediction - y)) * tf.cond(is_training, lambda: 1.0, lambda: 2.0)

update_ops = tf.get_collection(tf.GraphKeys.UPDATE_OPS)
with tf.control_dependencies(update_ops):
    train_op = tf.train.GradientDescentOptimizer(0.05).minimize(loss)

with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    for step in range(5):
        batch = slice(8 * (step % 4), 8 * (step % 4) + 8)
        _, training_loss = sess.run([train_op, loss], feed_dict={x: features[batch], y: targets[batch],
                                                                  is_training: True})
        print(step, "training loss", training_loss)
    print("moving mean", sess.run(norm.moving_mean))
    print("moving variance", sess.run(norm.moving_variance))
    print("inference loss", sess.run(loss, feed_dict={x: features, y: targets}))
    # in training mode, without the train op (and its UPDATE_OPS): the moving statistics stay
    print("batch-statistics loss", sess.run(loss, feed_dict={x: features, y: targets, is_training: True}))
    print("moving mean after", sess.run(norm.moving_mean))
