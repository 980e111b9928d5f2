"""A small CNN trained with RMSProp, gradients clipped by their global norm, a decaying learning rate."""
import numpy as np
import tensorflow as tf

rng = np.random.RandomState(4)
START = {
    "conv1/kernel": rng.randn(3, 3, 1, 4).astype(np.float32) * 0.3,
    "conv2/kernel": rng.randn(3, 3, 4, 8).astype(np.float32) * 0.2,
    "logits/w": rng.randn(2 * 2 * 8, 3).astype(np.float32) * 0.2,
}


def conv_relu(x, scope, shape, start):
    with tf.variable_scope(scope):
        kernel = tf.get_variable("kernel", shape, initializer=tf.constant_initializer(start))
        bias = tf.get_variable("bias", [shape[-1]], initializer=tf.zeros_initializer())
        y = tf.nn.conv2d(x, kernel, strides=[1, 1, 1, 1], padding="SAME") + bias
        return tf.nn.max_pool(tf.nn.relu(y), [1, 2, 2, 1], [1, 2, 2, 1], "SAME")


def classifier(images):
    net = conv_relu(images, "conv1", [3, 3, 1, 4], START["conv1/kernel"])
    net = conv_relu(net, "conv2", [3, 3, 4, 8], START["conv2/kernel"])
    net = tf.reshape(net, [-1, 2 * 2 * 8])
    with tf.variable_scope("logits"):
        w = tf.get_variable("w", [2 * 2 * 8, 3], initializer=tf.constant_initializer(START["logits/w"]))
        b = tf.get_variable("b", [3], initializer=tf.zeros_initializer())
        return tf.matmul(net, w) + b


images = tf.placeholder(tf.float32, [None, 8, 8, 1], name="images")
labels = tf.placeholder(tf.int64, [None], name="labels")
logits = classifier(images)
loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits))
accuracy = tf.reduce_mean(tf.cast(tf.equal(tf.argmax(logits, 1), labels), tf.float32))

global_step = tf.train.get_or_create_global_step()
learning_rate = tf.train.exponential_decay(0.01, global_step, 10, 0.7, staircase=True)
optimizer = tf.train.RMSPropOptimizer(learning_rate)
tvars = tf.trainable_variables()
grads, grad_norm = tf.clip_by_global_norm(tf.gradients(loss, tvars), 1.0)
train_op = optimizer.apply_gradients(zip(grads, tvars), global_step=global_step)

batch_images = rng.rand(24, 8, 8, 1).astype(np.float32)
batch_labels = (batch_images.mean(axis=(1, 2, 3)) * 6).astype(np.int64) % 3
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    for step in range(30):
        _, loss_value, norm = sess.run([train_op, loss, grad_norm],
                                       feed_dict={images: batch_images, labels: batch_labels})
        if step % 5 == 0:
            print("step %d loss %.7f norm %.7f lr %.5f" % (step, loss_value, norm, sess.run(learning_rate)))
    print("accuracy %.4f" % sess.run(accuracy, feed_dict={images: batch_images, labels: batch_labels}))
    print("global step", sess.run(global_step))
