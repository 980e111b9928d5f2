"""A small CNN classifier written with tf.layers at module level, trained a few steps in a session."""
import numpy as np
import tensorflow as tf

images = tf.placeholder(tf.float32, [None, 28, 28, 1], name="images")
labels = tf.placeholder(tf.int64, [None], name="labels")
is_training = tf.placeholder_with_default(False, [], name="is_training")

net = tf.layers.conv2d(images, 16, 5, padding="same", activation=tf.nn.relu)
net = tf.layers.max_pooling2d(net, 2, 2)
net = tf.layers.batch_normalization(net, training=is_training)
net = tf.layers.conv2d(net, 32, 5, padding="same", activation=tf.nn.relu)
net = tf.layers.max_pooling2d(net, 2, 2)
net = tf.layers.flatten(net)
net = tf.layers.dense(net, 64, activation=tf.nn.relu, name="fc1")
net = tf.layers.dropout(net, rate=0.4, training=is_training)
logits = tf.layers.dense(net, 10, name="logits")

loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits))
update_ops = tf.get_collection(tf.GraphKeys.UPDATE_OPS)
with tf.control_dependencies(update_ops):
    train_op = tf.train.AdamOptimizer(1e-3).minimize(loss)

batch_x = np.random.rand(8, 28, 28, 1).astype(np.float32)
batch_y = np.random.randint(0, 10, size=8)
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    for step in range(3):
        _, loss_value = sess.run([train_op, loss], feed_dict={images: batch_x, labels: batch_y, is_training: True})
        print(step, loss_value)
